/*
 * ISO 7816-4 command APDU encoding and parsing (platform neutral)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/*
 * Encodings produced (H = CLA INS P1 P2):
 *
 *   case 1    H
 *   case 2S   H Le                       Le 1..256, 256 -> 00
 *   case 3S   H Lc data                  Lc 1..255
 *   case 4S   H Lc data Le
 *   case 2E   H 00 Le1 Le2               Le 1..65536, 65536 -> 00 00
 *   case 3E   H 00 Lc1 Lc2 data          Lc 1..65535
 *   case 4E   H 00 Lc1 Lc2 data Le1 Le2
 *
 * The extended form is used for the whole APDU as soon as one field needs
 * it (lc > 255 or le > 256); otherwise the short form is used.
 *
 * Parsing decides on the total length and on B5, the byte after the header:
 *
 *   - fewer than 4 bytes: invalid;
 *   - 4 bytes: case 1;
 *   - 5 bytes: always case 2S (B5 00 means Le 256), never the start of an
 *     extended field;
 *   - 6 or more bytes and B5 != 00: short form, B5 is Lc; the length must be
 *     exactly 5 + Lc (case 3S) or 6 + Lc (case 4S);
 *   - 6 or more bytes and B5 == 00: extended form, since a short Lc is never
 *     00.  6 bytes is a truncated extended field (invalid); 7 bytes is
 *     case 2E; otherwise Lc = B6 B7 must be nonzero and the length exactly
 *     7 + Lc (case 3E) or 9 + Lc (case 4E);
 *   - any other length, trailing bytes included, is invalid.
 *
 * With those rules every byte string has at most one reading.  Extended
 * encodings of small values (say H 00 00 05) are valid ISO 7816-4 and are
 * accepted, but struct apdu does not record the form, so encoding the
 * parsed fields again gives the short form.
 */

#include "apdu.h"

#include <string.h>

/* Whether the fields are within range and consistent. */
static int apdu_valid(const struct apdu *apdu)
{
    if (!apdu) return 0;
    if (apdu->lc > APDU_MAX_LC || apdu->le > APDU_MAX_LE) return 0;
    if (apdu->lc && !apdu->data) return 0;
    return 1;
}

int apdu_case(const struct apdu *apdu)
{
    if (!apdu) return 0;
    if (!apdu->lc) return apdu->le ? 2 : 1;
    return apdu->le ? 4 : 3;
}

int apdu_is_extended(const struct apdu *apdu)
{
    if (!apdu) return 0;
    return apdu->lc > 255 || apdu->le > 256;
}

size_t apdu_encoded_size(const struct apdu *apdu)
{
    size_t size = 4;
    int ext;

    if (!apdu_valid(apdu)) return 0;
    ext = apdu_is_extended(apdu);

    if (apdu->lc) size += (ext ? 3 : 1) + apdu->lc;
    if (apdu->le)
    {
        /* case 2E carries the 00 marker in front of Le itself */
        if (!ext) size += 1;
        else size += apdu->lc ? 2 : 3;
    }
    return size;
}

enum apdu_status apdu_encode(const struct apdu *apdu, uint8_t *out, size_t outsize, size_t *written)
{
    size_t size, pos = 0;
    int ext;

    if (written) *written = 0;
    if (!(size = apdu_encoded_size(apdu))) return APDU_E_INVALID;
    if (!out || outsize < size) return APDU_E_BUFFER;
    ext = apdu_is_extended(apdu);

    out[pos++] = apdu->cla;
    out[pos++] = apdu->ins;
    out[pos++] = apdu->p1;
    out[pos++] = apdu->p2;

    if (apdu->lc)
    {
        if (ext)
        {
            out[pos++] = 0;
            out[pos++] = (uint8_t)(apdu->lc >> 8);
        }
        out[pos++] = (uint8_t)apdu->lc;
        memcpy(out + pos, apdu->data, apdu->lc);
        pos += apdu->lc;
    }

    if (apdu->le)
    {
        /* 256 and 65536 wrap to zero bytes */
        if (ext)
        {
            if (!apdu->lc) out[pos++] = 0;
            out[pos++] = (uint8_t)(apdu->le >> 8);
        }
        out[pos++] = (uint8_t)apdu->le;
    }

    if (written) *written = pos;
    return APDU_OK;
}

enum apdu_status apdu_parse(const uint8_t *raw, size_t len, struct apdu *apdu)
{
    struct apdu res;
    size_t lc;

    if (!raw || !apdu || len < 4) return APDU_E_INVALID;

    memset(&res, 0, sizeof(res));
    res.cla = raw[0];
    res.ins = raw[1];
    res.p1 = raw[2];
    res.p2 = raw[3];

    if (len == 4)
    {
        /* case 1 */
    }
    else if (len == 5)
    {
        /* case 2S */
        res.le = raw[4] ? raw[4] : 256;
    }
    else if (raw[4])
    {
        /* short form with Lc = B5: case 3S or 4S */
        lc = raw[4];
        if (len - 5 < lc) return APDU_E_INVALID;
        res.lc = lc;
        res.data = raw + 5;
        if (len == 6 + lc) res.le = raw[5 + lc] ? raw[5 + lc] : 256;
        else if (len != 5 + lc) return APDU_E_INVALID;
    }
    else if (len == 6)
    {
        /* extended marker followed by a single byte */
        return APDU_E_INVALID;
    }
    else if (len == 7)
    {
        /* case 2E */
        res.le = ((uint32_t)raw[5] << 8) | raw[6];
        if (!res.le) res.le = 65536;
    }
    else
    {
        /* extended form with Lc = B6 B7: case 3E or 4E */
        lc = ((size_t)raw[5] << 8) | raw[6];
        if (!lc || len - 7 < lc) return APDU_E_INVALID;
        res.lc = lc;
        res.data = raw + 7;
        if (len == 9 + lc)
        {
            res.le = ((uint32_t)raw[7 + lc] << 8) | raw[8 + lc];
            if (!res.le) res.le = 65536;
        }
        else if (len != 7 + lc) return APDU_E_INVALID;
    }

    *apdu = res;
    return APDU_OK;
}

uint8_t apdu_p3(const struct apdu *apdu)
{
    if (!apdu) return 0;
    if (apdu->lc) return (uint8_t)apdu->lc;
    return (uint8_t)apdu->le;
}
