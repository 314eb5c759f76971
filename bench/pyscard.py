#!/usr/bin/env python3
# pyscard's transmit round trip (a benchmark): pyscard.py READER N
# prints the mean microseconds per APDU.
import sys
import time

from smartcard.System import readers

reader = next(r for r in readers() if str(r) == sys.argv[1])
n = int(sys.argv[2])
connection = reader.createConnection()
connection.connect()
apdu = [0x00, 0x84, 0x00, 0x00, 0x08]
for _ in range(n // 10 + 1):
    connection.transmit(apdu)
start = time.perf_counter()
for _ in range(n):
    connection.transmit(apdu)
print("%.1f" % ((time.perf_counter() - start) * 1e6 / n))
