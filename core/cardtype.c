/*
 * The matching rules of the smart card database (cardtype.h)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "cardtype.h"

size_t cardtype_atr_length(const uint8_t *atr, size_t size)
{
    size_t pos = 2, len;
    int tck = 0;
    uint8_t y;

    if (size < 2) return 0;
    y = atr[1] >> 4;
    for (;;)
    {
        pos += !!(y & 1) + !!(y & 2) + !!(y & 4);
        if (!(y & 8)) break;
        if (pos >= size || pos >= CARDTYPE_MAX_ATR) return 0;
        /* TDi names a protocol other than T=0: a TCK follows */
        if (atr[pos] & 0x0f) tck = 1;
        y = atr[pos++] >> 4;
    }
    len = pos + (atr[1] & 0x0f) + tck;
    return len <= size && len <= CARDTYPE_MAX_ATR ? len : 0;
}

int cardtype_atr_matches(const uint8_t *atr, size_t atr_len, const uint8_t *ref, const uint8_t *mask,
                         size_t ref_len)
{
    size_t i;

    if (atr_len != ref_len) return 0;
    for (i = 0; i < ref_len; i++)
    {
        uint8_t m = mask ? mask[i] : 0xff;

        if ((atr[i] & m) != (ref[i] & m)) return 0;
    }
    return 1;
}

int cardtype_supports_all(const uint8_t *supported, size_t size, const uint8_t *wanted, size_t count)
{
    size_t i, j, supported_count = size / CARDTYPE_GUID_SIZE;

    for (i = 0; i < count; i++)
    {
        for (j = 0; j < supported_count; j++)
            if (!memcmp(supported + j * CARDTYPE_GUID_SIZE, wanted + i * CARDTYPE_GUID_SIZE, CARDTYPE_GUID_SIZE))
                break;
        if (j == supported_count) return 0;
    }
    return 1;
}
