#!/usr/bin/env python3
#
# Checks the virtual card (vcard/vcard) from the outside: raw APDUs through
# the real pcscd and vpcd with pyscard's low-level API, which does no
# GET RESPONSE or 6Cxx handling of its own, so the T=0 behaviour is seen
# raw.  Every expected byte comes from vcard/README.md, not from the card's
# source.
#
# Needs a running stack (tools/stack start DIR; source DIR/env): it reads
# PCSCLITE_CSOCK_NAME, VCARD_PROTOCOL, VCARD_READER0, VCARD_CONTROL0 and
# VCARD_EMPTY_READER.  check_vcard.sh runs it once per personality.  (Not
# named check_vcard.py: automake would give it the same log file as
# check_vcard.sh, both .py and .sh being test extensions.)
# The last line is "vcard: N passed, N failed"; the exit status is 1 on
# any failure.
#
# Copyright 2025 the scardssp authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Lesser General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.

import os
import socket
import sys
import threading
import time
import traceback

from smartcard.scard import (
    SCardConnect, SCardDisconnect, SCardEstablishContext, SCardGetStatusChange, SCardReconnect,
    SCardReleaseContext, SCardStatus, SCardTransmit,
    SCARD_LEAVE_CARD, SCARD_PROTOCOL_T0, SCARD_PROTOCOL_T1, SCARD_RESET_CARD, SCARD_SCOPE_USER,
    SCARD_SHARE_SHARED, SCARD_STATE_EMPTY, SCARD_STATE_PRESENT, SCARD_STATE_UNAWARE, SCARD_UNPOWER_CARD,
)

SCARD_S_SUCCESS = 0
SCARD_E_TIMEOUT = 0x8010000A
SCARD_E_NO_SMARTCARD = 0x8010000C
SCARD_E_PROTO_MISMATCH = 0x8010000F
SCARD_W_REMOVED_CARD = 0x80100069

# the longest wait for pcscd to see a card come or go (it polls every 400 ms;
# a loaded machine takes longer)
WAIT_MS = 10000

PROTOCOL = os.environ.get("VCARD_PROTOCOL", "t1")
if len(sys.argv) > 2 and sys.argv[1] == "--protocol":
    PROTOCOL = sys.argv[2]
T0 = PROTOCOL == "t0"
READER = os.environ["VCARD_READER0"]
CONTROL = os.environ["VCARD_CONTROL0"]
EMPTY_READER = os.environ.get("VCARD_EMPTY_READER")

ATR = {"t0": "3B8900805556434152446100", "t1": "3B89018055564341524461017F"}[PROTOCOL]
KEY = b"VCARDKEY"
PIN = "31323334"

passed = 0
failed = 0


def check(name, got, want):
    global passed, failed
    if got == want:
        passed += 1
    else:
        failed += 1
        print("FAIL [%s] %s: got %s, expected %s" % (PROTOCOL, name, got, want), flush=True)


def u32(hr):
    return hr & 0xFFFFFFFF


def ctl(command):
    """One fault injection command on the card's control socket; returns the answer line."""
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(10)
        s.connect(CONTROL)
        s.sendall(command.encode() + b"\n")
        answer = b""
        while not answer.endswith(b"\n"):
            chunk = s.recv(256)
            if not chunk:
                break
            answer += chunk
    return answer.decode().strip()


def auth(data):
    """The card's documented authentication function."""
    out = []
    for i, b in enumerate(data):
        x = b ^ KEY[i % len(KEY)]
        out.append(((x << 1) | (x >> 7)) & 0xFF)
    return bytes(out)


def challenge(n, length):
    """The n-th GET CHALLENGE answer since reset."""
    return bytes((n * 0x11 + k) & 0xFF for k in range(length))


class Card:
    def __init__(self):
        hr, self.ctx = SCardEstablishContext(SCARD_SCOPE_USER)
        assert hr == 0, "SCardEstablishContext: %08X" % u32(hr)
        self.handle = None
        self.connect()

    def connect(self):
        want = SCARD_PROTOCOL_T0 if T0 else SCARD_PROTOCOL_T1
        hr, self.handle, self.proto = SCardConnect(self.ctx, READER, SCARD_SHARE_SHARED, want)
        return u32(hr)

    def tx(self, apdu):
        """Sends hex, returns the response as upper-case hex, or 'ERR xxxxxxxx'."""
        hr, resp = SCardTransmit(self.handle, self.proto, list(bytes.fromhex(apdu.replace(" ", ""))))
        if hr:
            return "ERR %08X" % u32(hr)
        return bytes(resp).hex().upper()

    def events(self, reader):
        """The number of insertions and removals pcscd counted in the reader (the high word of
        the event state)."""
        hr, states = SCardGetStatusChange(self.ctx, 0, [(reader, SCARD_STATE_UNAWARE)])
        assert u32(hr) == SCARD_S_SUCCESS, "SCardGetStatusChange: %08X" % u32(hr)
        return states[0][1] >> 16

    def wait_state(self, reader, want, timeout_ms, events=None):
        """Waits until pcscd shows the reader in one of the states of want (EMPTY, PRESENT; a
        present card must not be mute) and, with events, until pcscd counted at least that many
        insertions and removals, so that a removal the card is already back from is seen too.
        Returns the event state (with the count in the high word), or None after timeout_ms."""
        start = time.monotonic()
        hr, states = SCardGetStatusChange(self.ctx, 0, [(reader, SCARD_STATE_UNAWARE)])
        if u32(hr) != SCARD_S_SUCCESS:
            return None
        state = states[0][1]
        while True:
            if (state & want and not (want == SCARD_STATE_PRESENT and state & 0x200)  # not MUTE
                    and (events is None or state >> 16 >= events)):
                return state
            left = int(timeout_ms - (time.monotonic() - start) * 1000)
            if left <= 0:
                return None
            hr, states = SCardGetStatusChange(self.ctx, min(left, 500), [(reader, state & ~0x2)])
            if u32(hr) == SCARD_S_SUCCESS:
                state = states[0][1]
            elif u32(hr) != SCARD_E_TIMEOUT:
                # pcsc-lite 2.5 can answer with an error while the card goes or
                # comes (seen once under load): wait on, within timeout_ms
                time.sleep(0.1)


def both(t0, t1):
    return t0 if T0 else t1


def hexs(data):
    return data.hex().upper()


def case4(card, apdu, le="00"):
    """A command with data expecting data: T=1 sends Le; T=0 sends case 3, expects 61xx, fetches."""
    if not T0:
        return card.tx(apdu + le)
    first = card.tx(apdu)
    if not first.startswith("61") or len(first) != 4:
        return first
    return card.tx("00C00000" + first[2:])


def case2(card, apdu):
    """A command without data: T=1 sends Le 00; T=0 sends P3=00, and again with the 6Cxx length."""
    first = card.tx(apdu + "00")
    if T0 and first.startswith("6C") and len(first) == 4:
        return card.tx(apdu + first[2:])
    return first


# ---------------------------------------------------------------------------

def test_atr_and_protocol(card):
    hr, reader, state, proto, atr = SCardStatus(card.handle)
    check("SCardStatus", u32(hr), 0)
    check("ATR", hexs(bytes(atr)), ATR)
    check("active protocol", proto, SCARD_PROTOCOL_T0 if T0 else SCARD_PROTOCOL_T1)
    other = SCARD_PROTOCOL_T1 if T0 else SCARD_PROTOCOL_T0
    hr, h, p = SCardConnect(card.ctx, READER, SCARD_SHARE_SHARED, other)
    check("connect with the other protocol", u32(hr), SCARD_E_PROTO_MISMATCH)
    check("GET DATA 9F7F (protocol byte)", case2(card, "00CA9F7F"), "56434152440001" + both("00", "01") + "9000")


def test_select(card):
    tx = card.tx
    mf_fci = "6F0782013883023F00"
    df1000_fci = "6F10820138830210008407F0564341524401"
    df1100_fci = "6F10820138830211008407F0564341524402"

    check("select MF, no answer", tx("00A4000C023F00"), "9000")
    if T0:
        check("T=0 select MF FCI: 61xx", tx("00A40000023F00"), "6109")
        check("T=0 GET RESPONSE short", tx("00C0000004"), mf_fci[:8] + "6105")
        check("T=0 GET RESPONSE rest", tx("00C0000005"), mf_fci[8:] + "9000")
        check("T=0 GET RESPONSE nothing left", tx("00C0000001"), "6985")
        check("T=0 select MF with Le: still 61xx", tx("00A40000023F0000"), "6109")
        check("T=0 GET RESPONSE too long: 6Cxx", tx("00C0000010"), "6C09")
        check("T=0 GET RESPONSE after 6C", tx("00C0000009"), mf_fci + "9000")
        check("T=0 select MF, no data, P3=00: 6Cxx", tx("00A4000000"), "6C09")
        check("T=0 select MF, no data, P3=09", tx("00A4000009"), mf_fci + "9000")
        check("T=0 pending dropped by another command", tx("00A40000023F00"), "6109")
        check("T=0 (another command)", tx("00A4000C023F00"), "9000")
        check("T=0 GET RESPONSE after another command", tx("00C0000009"), "6985")
    else:
        check("T=1 select MF FCI, no Le: no data", tx("00A40000023F00"), "9000")
        check("T=1 select MF FCI", tx("00A40000023F0000"), mf_fci + "9000")
        check("T=1 select MF FCI short Le: 61xx", tx("00A40000023F0004"), mf_fci[:8] + "6105")
        check("T=1 GET RESPONSE", tx("00C0000000"), mf_fci[8:] + "9000")
        check("T=1 select MF, empty data, Le", tx("00A4000000"), mf_fci + "9000")
        check("T=1 GET RESPONSE without Le", tx("00C00000"), "6700")
    check("GET RESPONSE, nothing pending", case2(card, "00C00000"), "6985")
    check("GET RESPONSE P1P2", tx("00C0010000"), "6A86")

    check("select DF 1000 (P1=01) FCI", case4(card, "00A40100021000"), df1000_fci + "9000")
    check("select EF 1001 (P1=02) FCI", case4(card, "00A40200021001"), "6F0B8201018302100180020040" + "9000")
    check("select EF 0001 FCP", case4(card, "00A40004020001"), "620B8201018302000180020010" + "9000")
    check("select EF 0003 FCP (record EF)", case4(card, "00A40004020003"),
          "620F" "820502410008 04" "83020003" "80020020".replace(" ", "") + "9000")
    check("select EF 0004 FCP (variable)", case4(card, "00A40004020004"),
          "620F820504410020038302000480020 00B".replace(" ", "") + "9000")
    check("select EF 0005 FCP (cyclic)", case4(card, "00A40004020005"),
          "620F82050641000403830200058002000C" + "9000")

    # P1=00 search: children, then the parent and its children
    check("select DF 1000", tx("00A4000C021000"), "9000")
    check("select sibling EF 0001 from DF 1000", tx("00A4000C020001"), "9000")
    check("read EF 0001", tx("00B0000002"), "00019000")
    check("select DF 1000 again", tx("00A4000C021000"), "9000")
    check("select DF 1100 (child)", tx("00A4000C021100"), "9000")
    check("select parent DF 1000 by FID", tx("00A4000C021000"), "9000")
    check("P1=03 parent of DF 1000", tx(both("00A4030C00", "00A4030C")), "9000")
    check("P1=03 at the MF", tx(both("00A4030C00", "00A4030C")), "6A82")
    check("P1=03 FCI at the MF", tx("00A4030000"), "6A82")
    check("select DF 1000", tx("00A4010C021000"), "9000")
    check("P1=03 FCI", case2(card, "00A40300"), mf_fci + "9000")

    # by DF name, with partial names and the next occurrence
    check("P1=04 full name, no answer", tx("00A4040C07F0564341524402"), "9000")
    check("P1=04 -> DF 1100: read needs an EF", tx("00B0000001"), "6986")
    check("P1=04 full name FCI", case4(card, "00A4040007F0564341524401"), df1000_fci + "9000")
    check("P1=04 partial name: first", case4(card, "00A4040006F05643415244"), df1000_fci + "9000")
    check("P1=04 partial name: next", case4(card, "00A4040206F05643415244"), df1100_fci + "9000")
    check("P1=04 partial name: no more", tx("00A4040E06F05643415244"), "6A82")
    check("P1=04 unknown name", tx("00A4040C03A00000"), "6A82")
    check("P1=04 last occurrence unsupported", tx("00A4040D06F05643415244"), "6A86")

    # by path
    check("P1=08 path 1000/1100/1101", tx("00A4080C06100011001101"), "9000")
    check("read EF 1101", tx("00B0000008"), "11223344556677889000")
    check("P1=08 path with 3F00", tx("00A4080C063F0010001001"), "9000")
    check("read EF 1001", tx("00B0000004"), "808182839000")
    check("P1=08 path missing", tx("00A4080C0410001234"), "6A82")
    check("P1=08 path through an EF", tx("00A4080C0400011000"), "6A82")
    check("P1=08 odd path", tx("00A4080C03100011"), "6700")
    check("select DF 1000 (P1=00: the current DF itself)", tx("00A4000C021000"), "9000")
    check("P1=09 relative path 1100/1101", tx("00A4090C0411001101"), "9000")
    check("read EF 1101", tx("00B0000002"), "11229000")
    check("P1=09 relative path FCI", case4(card, "00A40900021101"),
          "6F0B8201018302110180020008" + "9000")

    # errors
    check("select unknown FID", tx("00A4000C021234"), "6A82")
    check("select MF", tx("00A4000C023F00"), "9000")
    check("P1=01 with an EF's FID", tx("00A4010C020001"), "6A82")
    check("P1=02 with a DF's FID", tx("00A4020C021000"), "6A82")
    check("P1=05", tx("00A4050C023F00"), "6A86")
    check("P2=08 (FMD)", tx("00A40008023F00"), "6A86")
    check("P2=10", tx("00A40010023F00"), "6A86")
    check("FID of 1 byte", tx("00A4000C013F"), "6700")
    check("Lc does not match", tx("00A4000C033F00"), "6700")


def test_binary(card):
    tx = card.tx
    check("factory", ctl("factory"), "ok")
    check("select MF", tx("00A4000C023F00"), "9000")
    check("READ BINARY, no current EF", tx("00B0000004"), "6986")
    check("select EF 0001", tx("00A4020C020001"), "9000")
    check("READ BINARY 16", tx("00B0000010"), "000102030405060708090A0B0C0D0E0F9000")
    check("READ BINARY 4", tx("00B0000004"), "000102039000")
    check("READ BINARY offset 12", tx("00B0000C04"), "0C0D0E0F9000")
    check("READ BINARY Le 00", tx("00B0000000"), both("6C10", "000102030405060708090A0B0C0D0E0F9000"))
    check("READ BINARY more than there is", tx("00B0000C08"), both("6C04", "0C0D0E0F6282"))
    check("READ BINARY at the end", tx("00B0001001"), "6B00")
    check("READ BINARY far away", tx("00B07F0001"), "6B00")
    check("READ BINARY with data", tx("00B0000001AA"), "6700")
    if not T0:
        check("READ BINARY without Le", tx("00B00000"), "6700")

    # short file identifiers: P1 = 100xxxxx
    check("READ BINARY SFI 2", tx("00B0820004"), "000102039000")
    check("READ BINARY SFI 2 offset 0x10", tx("00B0821004"), "101112139000")
    check("SFI made EF 0002 current", tx("00B000FF02"), "FF009000")
    check("READ BINARY SFI 30 (none)", tx("00B09E0001"), "6A82")
    check("READ BINARY SFI with b7 set", tx("00B0C20001"), "6A86")
    check("READ BINARY SFI 0", tx("00B0800001"), "6A86")
    check("READ BINARY 256 of EF 0002", tx("00B0000000"), hexs(bytes(range(256))) + "9000")
    check("READ BINARY offset 0x3E0", tx("00B003E000"), both("6C08", hexs(bytes(range(0xE0, 0xE8))) + "9000"))
    if T0:
        check("T=0 READ BINARY offset 0x3E0 again", tx("00B003E008"), hexs(bytes(range(0xE0, 0xE8))) + "9000")

    ef2 = bytes(i & 0xFF for i in range(1000))
    if T0:
        check("T=0 extended READ BINARY", tx("00B000000003E8"), "6700")
        check("T=0 extended READ BINARY Le 0000", tx("00B00000000000"), "6700")
        check("T=0 extended UPDATE BINARY", tx("00D60000000002AABB"), "6700")
    else:
        check("T=1 extended READ BINARY 1000", tx("00B000000003E8"), hexs(ef2) + "9000")
        check("T=1 extended READ BINARY Le 0000", tx("00B00000000000"), hexs(ef2) + "9000")
        check("T=1 extended READ BINARY offset 900", tx("00B00384000100"), hexs(ef2[900:]) + "6282")
        check("T=1 extended READ BINARY 300", tx("00B0000000012C"), hexs(ef2[:300]) + "9000")
        check("T=1 extended UPDATE BINARY 500", tx("00D60000" + "0001F4" + "5A" * 500), "9000")
        check("T=1 extended read back", tx("00B00000000000"), "5A" * 500 + hexs(ef2[500:]) + "9000")
        check("T=1 extended case 2 GET DATA", tx("00CA0101000000"), "564344319000")

    # writes
    check("select EF 0001", tx("00A4020C020001"), "9000")
    check("UPDATE BINARY", tx("00D6000204AABBCCDD"), "9000")
    check("read back", tx("00B0000008"), "0001AABBCCDD06079000")
    check("WRITE BINARY (OR)", tx("00D000000201F0"), "9000")
    check("read back", tx("00B0000002"), "01F19000")
    check("ERASE BINARY to the end", tx(both("000E000E00", "000E000E")), "9000")
    check("read back", tx("00B0000C04"), "0C0D00009000")
    check("ERASE BINARY with an end offset", tx("000E0001020003"), "9000")
    check("read back", tx("00B0000004"), "010000BB9000")
    check("ERASE BINARY end before start", tx("000E0004020002"), "6A80")
    check("ERASE BINARY bad data length", tx("000E000001AA"), "6700")
    check("UPDATE BINARY past the end", tx("00D6000F020102"), "6A84")
    check("UPDATE BINARY offset at the end", tx("00D6001001AA"), "6B00")
    check("UPDATE BINARY without data", tx(both("00D6000000", "00D60000")), "6700")
    check("UPDATE BINARY SFI 1", tx("00D6810001" "77"), "9000")
    check("READ BINARY SFI 1", tx("00B0810001"), "779000")
    check("UPDATE BINARY on a record EF", tx("00D6830001AA"), "6981")
    check("READ BINARY on a record EF", tx("00B0830001"), "6981")

    # security
    check("select EF 0006", tx("00A4020C020006"), "9000")
    check("READ BINARY needs the PIN", tx("00B0000008"), "6982")
    check("UPDATE BINARY needs the PIN", tx("00D6000001AA"), "6982")
    check("VERIFY", tx("0020000104" + PIN), "9000")
    check("READ BINARY with the PIN", tx("00B0000008"), "53454352455430319000")
    check("select EF 0007", tx("00A4020C020007"), "9000")
    check("READ BINARY EF 0007", tx("00B0000008"), "00" * 8 + "9000")
    check("UPDATE BINARY EF 0007 needs EXTERNAL AUTHENTICATE", tx("00D6000001AA"), "6982")
    check("factory", ctl("factory"), "ok")


def test_records(card):
    tx = card.tx
    rec = {n: bytes((n << 4) | j for j in range(8)) for n in range(1, 5)}
    check("select EF 0003", tx("00A4020C020003"), "9000")
    check("READ RECORD 1", tx("00B2010408"), hexs(rec[1]) + "9000")
    check("READ RECORD 4", tx("00B2040408"), hexs(rec[4]) + "9000")
    check("READ RECORD 5", tx("00B2050408"), "6A83")
    check("READ RECORD 2", tx("00B2020408"), hexs(rec[2]) + "9000")
    check("READ RECORD current (2)", tx("00B2000408"), hexs(rec[2]) + "9000")
    check("READ RECORD Le 00", tx("00B2030400"), both("6C08", hexs(rec[3]) + "9000"))
    check("READ RECORD part", tx("00B2030404"), hexs(rec[3][:4]) + "9000")
    check("READ RECORD more than the record", tx("00B2030410"), both("6C08", hexs(rec[3]) + "6282"))
    check("READ RECORD SFI 3", tx("00B2011C08"), hexs(rec[1]) + "9000")
    check("READ RECORD by identifier: unsupported", tx("00B2010008"), "6A81")
    check("READ RECORD mode 7", tx("00B2010708"), "6A86")
    check("READ RECORD mode 5 with P1=0", tx("00B2000508"), "6A86")
    check("READ RECORD SFI 1 (transparent)", tx("00B2010C08"), "6981")
    check("READ RECORD SFI 9 (none)", tx("00B2014C08"), "6A82")
    check("READ RECORD 3..last", case2(card, "00B20305"), hexs(rec[3] + rec[4]) + "9000")
    check("READ RECORD last..3", case2(card, "00B20306"), hexs(rec[4] + rec[3]) + "9000")

    check("select EF 0004 by SFI: READ RECORD", case2(card, "00B20124"), "4F4E459000")
    check("READ RECORD 2..last (variable)", case2(card, "00B20225"), "54574F54485245459000")
    check("READ RECORD last..1 (variable)", case2(card, "00B20126"), "5448524545" "54574F" "4F4E45" "9000")

    # writes
    new = bytes(range(0xA0, 0xA8))
    check("UPDATE RECORD 2", tx("00DC021C08" + hexs(new)), "9000")
    check("read back", tx("00B2021C08"), hexs(new) + "9000")
    check("UPDATE RECORD wrong length", tx("00DC021C03AABBCC"), "6700")
    check("UPDATE RECORD 9", tx("00DC091C08" + hexs(new)), "6A83")
    check("UPDATE RECORD next (by identifier)", tx("00DC001A08" + hexs(new)), "6A81")
    check("UPDATE RECORD mode 5", tx("00DC021D08" + hexs(new)), "6A86")
    check("WRITE RECORD 3 (OR)", tx("00D2031C08" + "0000000000000080"), "9000")
    check("read back", tx("00B2031C08"), hexs(rec[3][:7]) + "B7" + "9000")
    check("UPDATE RECORD current (3)", tx("00DC001C08" + "00" * 8), "9000")
    check("read back", tx("00B2031C08"), "00" * 8 + "9000")
    check("APPEND RECORD", tx("00E2001808" + "11" * 8), "9000")
    check("read 5", tx("00B2051C08"), "11" * 8 + "9000")
    check("current record is 5", tx("00B2001C08"), "11" * 8 + "9000")
    check("APPEND RECORD 6", tx("00E2001808" + "22" * 8), "9000")
    check("APPEND RECORD 7: full", tx("00E2001808" + "33" * 8), "6A84")
    check("APPEND RECORD wrong length", tx("00E2001807" + "33" * 7), "6700")
    check("APPEND RECORD P1", tx("00E2011808" + "33" * 8), "6A86")
    check("APPEND RECORD P2 mode", tx("00E2001C08" + "33" * 8), "6A86")
    check("APPEND RECORD transparent", tx("00E2000801AA"), "6981")
    check("APPEND RECORD variable", tx("00E2002002AABB"), "9000")
    check("read 4 (variable)", case2(card, "00B20424"), "AABB9000")
    check("UPDATE RECORD variable, shorter", tx("00DC012401EE"), "9000")
    check("read 1 (variable)", case2(card, "00B20124"), "EE9000")
    check("WRITE RECORD variable, other length", tx("00D2012402EEEE"), "6700")
    check("UPDATE RECORD variable too long", tx("00DC0124" + "21" + "00" * 33), "6700")
    check("APPEND RECORD cyclic", tx("00E2002804DDDDDDDD"), "9000")
    check("cyclic 1", tx("00B2012C04"), "DDDDDDDD9000")
    check("cyclic 2", tx("00B2022C04"), "C1C1C1C19000")
    check("cyclic 3", tx("00B2032C04"), "C2C2C2C29000")
    check("cyclic 4", tx("00B2042C04"), "6A83")
    check("select EF 0005 FCP after append", case4(card, "00A40004020005"),
          "620F82050641000403830200058002000C" + "9000")
    check("factory", ctl("factory"), "ok")


def test_verify(card):
    tx = card.tx
    q = both("0020000100", "00200001")
    check("reset", ctl("reset"), "ok")
    check("VERIFY query", tx(q), "63C3")
    check("VERIFY wrong", tx("002000010431313131"), "63C2")
    check("VERIFY query", tx(q), "63C2")
    check("VERIFY wrong length", tx("002000010131"), "63C1")
    check("VERIFY right", tx("0020000104" + PIN), "9000")
    check("VERIFY query: verified", tx(q), "9000")
    check("VERIFY reset status (P1=FF)", tx(both("0020FF0100", "0020FF01")), "9000")
    check("VERIFY query", tx(q), "63C3")
    check("VERIFY P2=02", tx("0020000204" + PIN), "6A88")
    check("VERIFY P1=01", tx("0020010104" + PIN), "6A86")
    check("VERIFY right", tx("0020000104" + PIN), "9000")
    check("control reset", ctl("reset"), "ok")
    check("VERIFY query after reset", tx(q), "63C3")
    check("VERIFY right", tx("0020000104" + PIN), "9000")
    hr, proto = SCardReconnect(card.handle, SCARD_SHARE_SHARED, card.proto, SCARD_RESET_CARD)
    check("SCardReconnect with reset", u32(hr), 0)
    check("VERIFY query after a PC/SC reset", tx(q), "63C3")
    for left in (2, 1, 0):
        check("VERIFY wrong, %d left" % left, tx("002000010430303030"), "63C%X" % left)
    check("VERIFY query: blocked", tx(q), "6983")
    check("VERIFY right: blocked", tx("0020000104" + PIN), "6983")
    check("factory", ctl("factory"), "ok")
    check("VERIFY query after factory", tx(q), "63C3")


def test_auth(card):
    tx = card.tx
    check("reset", ctl("reset"), "ok")
    check("GET CHALLENGE 1", tx("0084000008"), hexs(challenge(1, 8)) + "9000")
    check("GET CHALLENGE 2", tx("0084000008"), hexs(challenge(2, 8)) + "9000")
    check("GET CHALLENGE 256", tx("0084000000"), hexs(challenge(3, 256)) + "9000")
    check("GET CHALLENGE P1", tx("0084010008"), "6A86")
    if not T0:
        check("GET CHALLENGE without Le", tx("00840000"), "6700")
        check("GET CHALLENGE ext Le 0000", tx("00840000000000"), "6700")
    check("reset", ctl("reset"), "ok")
    check("GET CHALLENGE restarts", tx("0084000004"), hexs(challenge(1, 4)) + "9000")

    data = bytes.fromhex("0102030405060708090A")
    check("INTERNAL AUTHENTICATE", case4(card, "008800000A" + hexs(data)), hexs(auth(data)) + "9000")
    if T0:
        check("T=0 INTERNAL AUTHENTICATE raw", tx("008800010A" + hexs(data)), "610A")
        check("T=0 GET RESPONSE", tx("00C000000A"), hexs(auth(data)) + "9000")
        check("T=0 INTERNAL AUTHENTICATE with Le", tx("008800000A" + hexs(data) + "00"), "610A")
        check("T=0 GET RESPONSE part", tx("00C0000003"), hexs(auth(data)[:3]) + "6107")
        check("T=0 GET RESPONSE too much", tx("00C0000008"), "6C07")
        check("T=0 GET RESPONSE rest", tx("00C0000007"), hexs(auth(data)[3:]) + "9000")
    else:
        check("T=1 INTERNAL AUTHENTICATE Le 4", tx("008800000A" + hexs(data) + "04"), hexs(auth(data)[:4]) + "6106")
        check("T=1 GET RESPONSE", tx("00C0000000"), hexs(auth(data)[4:]) + "9000")
        check("T=1 INTERNAL AUTHENTICATE without Le", tx("008800000A" + hexs(data)), "9000")
    check("INTERNAL AUTHENTICATE P1", tx("008801000A" + hexs(data)), "6A86")
    check("INTERNAL AUTHENTICATE key 2", tx("008800020A" + hexs(data)), "6A88")
    check("INTERNAL AUTHENTICATE without data", tx(both("0088000000", "00880000")), "6700")

    check("reset", ctl("reset"), "ok")
    check("EXTERNAL AUTHENTICATE without challenge", tx("0082000008" + "00" * 8), "6985")
    check("GET CHALLENGE", tx("0084000008"), hexs(challenge(1, 8)) + "9000")
    check("EXTERNAL AUTHENTICATE wrong", tx("0082000008" + "00" * 8), "6300")
    check("EXTERNAL AUTHENTICATE challenge used up", tx("0082000008" + hexs(auth(challenge(1, 8)))), "6985")
    check("GET CHALLENGE", tx("0084000008"), hexs(challenge(2, 8)) + "9000")
    check("EXTERNAL AUTHENTICATE right", tx("0082000108" + hexs(auth(challenge(2, 8)))), "9000")
    check("select EF 0007", tx("00A4020C020007"), "9000")
    check("UPDATE BINARY EF 0007 after EXTERNAL AUTHENTICATE", tx("00D6000002CAFE"), "9000")
    check("read back", tx("00B0000002"), "CAFE9000")
    check("GET CHALLENGE 16", tx("0084000010"), hexs(challenge(3, 16)) + "9000")
    check("EXTERNAL AUTHENTICATE of 8 bytes for 16", tx("0082000008" + hexs(auth(challenge(3, 16))[:8])), "6300")
    check("EXTERNAL AUTHENTICATE P2=05", tx("0082000508" + "00" * 8), "6A88")
    check("EXTERNAL AUTHENTICATE P1", tx("0082010008" + "00" * 8), "6A86")
    check("EXTERNAL AUTHENTICATE no data", tx(both("0082000000", "00820000")), "6700")
    check("UPDATE BINARY EF 0007, auth lost", tx("00D6000002CAFE"), "6982")
    check("factory", ctl("factory"), "ok")


def test_data_objects(card):
    tx = card.tx
    check("GET DATA 0101", case2(card, "00CA0101"), "564344319000")
    check("GET DATA 0101 Le 00 raw", tx("00CA010100"), both("6C04", "564344319000"))
    check("GET DATA 0101 Le 4", tx("00CA010104"), "564344319000")
    check("GET DATA 0102 Le 1", tx("00CA010201"), both("6C04", "006103"))
    if not T0:
        check("T=1 GET RESPONSE", tx("00C0000000"), "0000009000")
        check("GET DATA without Le", tx("00CA0101"), "6700")
    check("GET DATA 9F7F", tx("00CA9F7F08"), "56434152440001" + both("00", "01") + "9000")
    check("GET DATA unknown", tx("00CA123408"), "6A88")
    check("PUT DATA 0101", tx("00DA010103414243"), "9000")
    check("GET DATA 0101", case2(card, "00CA0101"), "4142439000")
    check("PUT DATA 0102 needs the PIN", tx("00DA010201AA"), "6982")
    check("VERIFY", tx("0020000104" + PIN), "9000")
    check("PUT DATA 0102", tx("00DA010201AA"), "9000")
    check("GET DATA 0102", case2(card, "00CA0102"), "AA9000")
    check("PUT DATA 9F7F read only", tx("00DA9F7F0101"), "6986")
    check("PUT DATA unknown", tx("00DA12340101"), "6A88")
    check("PUT DATA 33 bytes", tx("00DA010121" + "00" * 33), "6700")
    check("PUT DATA 32 bytes", tx("00DA010120" + "5A" * 32), "9000")
    check("GET DATA 32 bytes", case2(card, "00CA0101"), "5A" * 32 + "9000")
    check("PUT DATA without data", tx(both("00DA010100", "00DA0101")), "6700")
    check("factory", ctl("factory"), "ok")
    check("GET DATA 0101 after factory", case2(card, "00CA0101"), "564344319000")


def test_channels(card):
    tx = card.tx
    check("reset", ctl("reset"), "ok")
    check("MANAGE CHANNEL open", tx("0070000001"), "019000")
    check("select DF 1000 on channel 1", tx("01A4000C021000"), "9000")
    check("select EF 1001 on channel 1", tx("01A4020C021001"), "9000")
    check("READ BINARY on channel 1", tx("01B0000004"), "808182839000")
    check("basic channel still on the MF", tx("00B0000004"), "6986")
    check("select EF 0001 on channel 0", tx("00A4020C020001"), "9000")
    check("READ BINARY on channel 0", tx("00B0000002"), "00019000")
    check("READ BINARY on channel 1 again", tx("01B0000002"), "80819000")
    check("MANAGE CHANNEL open 2", tx("0070000001"), "029000")
    check("MANAGE CHANNEL open 3 by number", tx(both("0070000300", "00700003")), "9000")
    check("MANAGE CHANNEL open: none free", tx("0070000001"), "6A81")
    check("MANAGE CHANNEL open 3 again", tx(both("0070000300", "00700003")), "6985")
    check("MANAGE CHANNEL open 4", tx(both("0070000400", "00700004")), "6A86")
    check("MANAGE CHANNEL close 1", tx(both("0070800100", "00708001")), "9000")
    check("command on a closed channel", tx("01A4000C023F00"), "6881")
    check("MANAGE CHANNEL close 1 again", tx(both("0070800100", "00708001")), "6985")
    check("MANAGE CHANNEL close 0", tx(both("0070800000", "00708000")), "6A86")
    check("MANAGE CHANNEL P1=40", tx(both("0070400100", "00704001")), "6A86")
    check("MANAGE CHANNEL open from channel 2", tx("0270000001"), "019000")
    check("new channel 1 starts on the MF", tx("01B0000001"), "6986")
    check("control reset closes channels", ctl("reset"), "ok")
    check("channel 1 closed", tx("01A4000C023F00"), "6881")
    check("channel 2 closed", tx("02A4000C023F00"), "6881")
    if T0:
        check("T=0 MANAGE CHANNEL open, P3=00: 6C01", tx("0070000000"), "6C01")
        check("T=0 the 6C01 opened nothing", tx("01A4000C023F00"), "6881")
        check("T=0 MANAGE CHANNEL open, P3=01", tx("0070000001"), "019000")
    else:
        check("T=1 MANAGE CHANNEL open, Le 00", tx("0070000000"), "019000")
        check("T=1 MANAGE CHANNEL open, no Le: no data", tx("00700000"), "9000")
        check("T=1 channel 2 is open", tx("02A4000C023F00"), "9000")


def test_class_and_ins(card):
    tx = card.tx
    check("CLA 80", tx("80A4000C023F00"), "6E00")
    # GSM 11.11's class A0: 9F xx, then the caller's own GET RESPONSE
    check("CLA A0 SELECT, no FCI", tx("A0A4000C023F00"), "9000")
    check("CLA A0 SELECT MF: 9F 09", tx("A0A40000023F00"), "9F09")
    check("CLA A0 GET RESPONSE", tx("A0C0000009"), "6F07820138830" + "23F00" + "9000")
    check("CLA A0 GET RESPONSE, nothing left", tx("A0C0000009"), "6985")
    check("CLA A0 GET DATA (no data sent): as CLA 00", case2(card, "A0CA0101"), "564344319000")
    check("CLA A1", tx("A1A4000C023F00"), "6E00")
    check("CLA FF", tx("FFA4000C023F00"), "6E00")
    check("CLA 20", tx("20A4000C023F00"), "6E00")
    check("CLA 0C (secure messaging)", tx("0CA4000C023F00"), "6882")
    check("CLA 10 (chaining)", tx("10A4000C023F00"), "6884")
    check("CLA 40 (channel 4)", tx("40A4000C023F00"), "6881")
    check("INS 12", tx("0012000000"), "6D00")
    check("INS FE", tx("00FE000000"), "6D00")
    check("INS B1 (odd READ BINARY)", tx("00B1000000"), "6D00")
    check("Lc longer than the data", tx("00B0000005AA"), "6700")
    check("3 bytes", tx("00A400"), "6700")
    check("case 4 with Lc 0 (bad)", tx("00A40000" "00" "00"), "6700")


def test_speed(card):
    count = 1000
    start = time.monotonic()
    for _ in range(count):
        card.tx("00A4000C023F00")
    us = (time.monotonic() - start) / count * 1e6
    print("[%s] round trip: %.1f us per APDU (%d x SCardTransmit, pyscard)" % (PROTOCOL, us, count), flush=True)
    # a delayed ACK (no TCP_NODELAY/QUICKACK) would cost about 40 ms
    check("round trip under 10 ms", us < 10000, True)


def transmit_in_thread(card, apdu):
    result = {}

    def run():
        hr, resp = SCardTransmit(card.handle, card.proto, list(bytes.fromhex(apdu)))
        result["hr"] = u32(hr)
        result["resp"] = bytes(resp).hex().upper()
        result["t"] = time.monotonic()
    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


def test_faults(card):
    tx = card.tx
    check("factory", ctl("factory"), "ok")

    # slow
    check("slow 300", ctl("slow 300"), "ok")
    start = time.monotonic()
    check("slow answer", tx("00A4000C023F00"), "9000")
    took = time.monotonic() - start
    check("slow answer took 0.3..2 s", 0.29 <= took < 2, True)
    check("slow 0", ctl("slow 0"), "ok")
    start = time.monotonic()
    tx("00A4000C023F00")
    check("fast again", time.monotonic() - start < 0.2, True)

    # malformed one and long: vpcd and pcscd pass them through
    check("malformed one", ctl("malformed one"), "ok")
    check("one byte answer", tx("00A4000C023F00"), "90")
    check("next answer is fine", tx("00A4000C023F00"), "9000")
    check("malformed long", ctl("malformed long"), "ok")
    check("over-long answer", tx("00CA9F7F08"), "56434152440001" + both("00", "01") + "EE" * 300 + "9000")
    check("next answer is fine", tx("00A4000C023F00"), "9000")

    # card removed and inserted.  Every insert waits until pcscd has seen the
    # reader empty: a card back before pcscd's next poll meets a reader state
    # that is still the old card's (SCardReconnect succeeds, SCardTransmit
    # then fails on vpcd's dead connection: SCARD_E_NOT_TRANSACTED), or pcscd
    # taking the old card out meanwhile (its removal clears the ATR and the
    # protocol before it marks the reader empty: an SCardReconnect in between
    # gets SCARD_E_PROTO_MISMATCH), depending on the poll's phase and the
    # machine's load.  The waits are bounded (WAIT_MS) and long: pcscd polls
    # every 400 ms.
    check("remove", ctl("remove"), "ok")
    check("reader empty after remove", card.wait_state(READER, SCARD_STATE_EMPTY, WAIT_MS) is not None, True)
    check("transmit after remove", tx("00A4000C023F00"), "ERR %08X" % SCARD_W_REMOVED_CARD)
    hr, h, p = SCardConnect(card.ctx, READER, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1)
    check("connect without a card", u32(hr), SCARD_E_NO_SMARTCARD)
    check("status while removed", ctl("status").split()[1:3], ["inserted=0", "connected=0"])
    check("insert", ctl("insert"), "ok")
    check("card present after insert", card.wait_state(READER, SCARD_STATE_PRESENT, WAIT_MS) is not None, True)
    check("old handle", tx("00A4000C023F00"), "ERR %08X" % SCARD_W_REMOVED_CARD)
    hr, proto = SCardReconnect(card.handle, SCARD_SHARE_SHARED, card.proto, SCARD_LEAVE_CARD)
    check("SCardReconnect", u32(hr), 0)
    check("transmit after reconnect", tx("00A4000C023F00"), "9000")

    # mute: vpcd waits for the answer without a time limit, so SCardTransmit
    # blocks; removing the card ends it, and pcscd then reports success with
    # an empty answer (vpcd reads the closed connection as 0 bytes)
    check("mute", ctl("mute"), "ok")
    thread, result = transmit_in_thread(card, "00A4000C023F00")
    thread.join(1.0)
    check("muted: no answer after 1 s", thread.is_alive(), True)
    check("muted: the APDU was swallowed", "swallowed=1" in ctl("status"), True)
    removed_at = time.monotonic()
    check("remove", ctl("remove"), "ok")
    thread.join(WAIT_MS / 1000)
    check("muted transmit ends when the card is removed", thread.is_alive(), False)
    check("muted transmit result", (result.get("hr"), result.get("resp")), (SCARD_S_SUCCESS, ""))
    if "t" in result:
        check("muted transmit ended within 1 s of remove", result["t"] - removed_at < 1, True)
    check("reader empty after mute and remove", card.wait_state(READER, SCARD_STATE_EMPTY, WAIT_MS) is not None,
          True)
    check("unmute", ctl("unmute"), "ok")
    check("insert", ctl("insert"), "ok")
    check("card back after mute", card.wait_state(READER, SCARD_STATE_PRESENT, WAIT_MS) is not None, True)
    hr, proto = SCardReconnect(card.handle, SCARD_SHARE_SHARED, card.proto, SCARD_LEAVE_CARD)
    check("SCardReconnect after mute", u32(hr), 0)
    check("transmit after mute", tx("00A4000C023F00"), "9000")

    # malformed empty: vpcd completes an empty answer only when the
    # connection ends, so the card drops it; the transmit gets success and
    # 0 bytes, the reader goes empty, the card comes back after ~1 s.  The
    # card's return does not wait for the test: pcscd's event count (one
    # removal, one insertion) tells that the reader was empty in between.
    events = card.events(READER)
    check("malformed empty", ctl("malformed empty"), "ok")
    thread, result = transmit_in_thread(card, "00A4000C023F00")
    thread.join(WAIT_MS / 1000)
    check("empty answer: transmit ends", thread.is_alive(), False)
    check("empty answer: success, 0 bytes", (result.get("hr"), result.get("resp")), (SCARD_S_SUCCESS, ""))
    state = card.wait_state(READER, SCARD_STATE_EMPTY | SCARD_STATE_PRESENT, WAIT_MS, events + 1)
    check("empty answer: the removal counted", state is not None, True)
    # (the card may be back already: the handle is the old card's either way)
    check("empty answer: transmit after the removal", tx("00A4000C023F00"), "ERR %08X" % SCARD_W_REMOVED_CARD)
    state = card.wait_state(READER, SCARD_STATE_PRESENT, WAIT_MS, events + 2)
    check("empty answer: card back", state is not None, True)
    check("empty answer: one removal and one insertion", state and (state >> 16) - events, 2)
    check("empty answer: old handle", tx("00A4000C023F00"), "ERR %08X" % SCARD_W_REMOVED_CARD)
    hr, proto = SCardReconnect(card.handle, SCARD_SHARE_SHARED, card.proto, SCARD_LEAVE_CARD)
    check("SCardReconnect after empty answer", u32(hr), 0)
    check("transmit after empty answer", tx("00A4000C023F00"), "9000")
    check("connections so far", "connects=4" in ctl("status"), True)

    # power: PC/SC unpower and reset reach the card
    check("VERIFY", tx("0020000104" + PIN), "9000")
    check("SCardDisconnect unpower", u32(SCardDisconnect(card.handle, SCARD_UNPOWER_CARD)), 0)
    check("connect again", card.connect(), 0)
    check("VERIFY query after power cycle", tx(both("0020000100", "00200001")), "63C3")

    # a different ATR, seen after the next insertion
    check("atr", ctl("atr 3B021401"), "ok")
    check("remove", ctl("remove"), "ok")
    check("reader empty", card.wait_state(READER, SCARD_STATE_EMPTY, WAIT_MS) is not None, True)
    check("insert", ctl("insert"), "ok")
    check("card present", card.wait_state(READER, SCARD_STATE_PRESENT, WAIT_MS) is not None, True)
    hr, states = SCardGetStatusChange(card.ctx, 0, [(READER, SCARD_STATE_UNAWARE)])
    check("new ATR", hexs(bytes(states[0][2])), "3B021401")
    check("atr (default)", ctl("atr"), "ok")
    check("remove", ctl("remove"), "ok")
    check("reader empty again", card.wait_state(READER, SCARD_STATE_EMPTY, WAIT_MS) is not None, True)
    check("insert", ctl("insert"), "ok")
    check("card present again", card.wait_state(READER, SCARD_STATE_PRESENT, WAIT_MS) is not None, True)
    hr, states = SCardGetStatusChange(card.ctx, 0, [(READER, SCARD_STATE_UNAWARE)])
    check("default ATR back", hexs(bytes(states[0][2])), ATR)
    check("connect", card.connect(), 0)
    check("factory", ctl("factory"), "ok")
    check("unknown control command", ctl("jump").startswith("error:"), True)
    check("slow without a number", ctl("slow x").startswith("error:"), True)

    if EMPTY_READER:
        hr, states = SCardGetStatusChange(card.ctx, 0, [(EMPTY_READER, SCARD_STATE_UNAWARE)])
        check("the spare reader is empty", bool(states[0][1] & SCARD_STATE_EMPTY), True)


def main():
    card = Card()
    print("[%s] reader %r, control %s" % (PROTOCOL, READER, CONTROL), flush=True)
    tests = [test_atr_and_protocol, test_select, test_binary, test_records, test_verify, test_auth,
             test_data_objects, test_channels, test_class_and_ins, test_speed, test_faults]
    global failed
    for test in tests:
        try:
            check("factory before " + test.__name__, ctl("factory"), "ok")
            test(card)
        except Exception:
            failed += 1
            print("FAIL [%s] %s raised:" % (PROTOCOL, test.__name__), flush=True)
            traceback.print_exc(file=sys.stdout)
    SCardReleaseContext(card.ctx)
    print("vcard: %d passed, %d failed" % (passed, failed), flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
