/*
 * The APDU core alone (a benchmark, run under callgrind): N x building
 * a case-4 command and encoding it, then parsing it back.
 *   core N
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <stdlib.h>

#include "apdu.h"

int main(int argc, char **argv)
{
    static const uint8_t data[] = { 0x3f, 0x00 };
    uint8_t out[16];
    struct apdu apdu = { 0x00, 0xa4, 0x00, 0x00, data, sizeof(data), 256 }, parsed;
    unsigned long sum = 0;
    size_t written;
    int i, n = argc > 1 ? atoi(argv[1]) : 100000;

    for (i = 0; i < n; ++i)
    {
        apdu.p2 = (uint8_t)i;
        if (apdu_encode(&apdu, out, sizeof(out), &written) != APDU_OK) return 1;
        if (apdu_parse(out, written, &parsed) != APDU_OK) return 1;
        sum += parsed.p2 + written;
    }
    printf("%lu\n", sum);
    return 0;
}
