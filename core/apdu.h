/*
 * ISO 7816-4 command APDU encoding and parsing (platform neutral)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef SCARDSSP_CORE_APDU_H
#define SCARDSSP_CORE_APDU_H

#include <stddef.h>
#include <stdint.h>

#define APDU_MAX_LC      65535u
#define APDU_MAX_LE      65536u
/* header + 3-byte extended Lc + data + 2-byte extended Le */
#define APDU_MAX_ENCODED (4u + 3u + APDU_MAX_LC + 2u)

enum apdu_status
{
    APDU_OK = 0,
    APDU_E_INVALID = -1,     /* a field out of range, or malformed raw bytes */
    APDU_E_BUFFER = -2,      /* output buffer too small */
};

/* A command APDU split into fields.  le == 0 means "no Le field";
 * 1..65536 is the number of bytes expected (256 and 65536 encode as zeros). */
struct apdu
{
    uint8_t cla, ins, p1, p2;
    const uint8_t *data;     /* lc bytes; not owned */
    size_t lc;               /* 0..APDU_MAX_LC */
    uint32_t le;             /* 0..APDU_MAX_LE */
};

/* ISO 7816-4 case (1..4) implied by lc and le. */
int apdu_case(const struct apdu *apdu);

/* Whether the encoding needs the extended form (lc > 255 or le > 256). */
int apdu_is_extended(const struct apdu *apdu);

/* Number of bytes apdu_encode() writes, or 0 when a field is out of range. */
size_t apdu_encoded_size(const struct apdu *apdu);

/* Encodes into out[outsize]; *written gets the length.  Short form unless
 * apdu_is_extended(); extended form uses 00 Lc1 Lc2 and a 2-byte Le
 * (3 bytes 00 Le1 Le2 for case 2). */
enum apdu_status apdu_encode(const struct apdu *apdu, uint8_t *out, size_t outsize, size_t *written);

/* Parses raw[len] (short or extended form).  apdu->data points into raw
 * (NULL when lc is 0); *apdu is left alone on failure.  Extended encodings
 * of values that fit the short form are accepted, so encoding the result
 * may give fewer bytes than raw.  See apdu.c for how ambiguities resolve. */
enum apdu_status apdu_parse(const uint8_t *raw, size_t len, struct apdu *apdu);

/* The P3 byte: the short Lc for cases 3/4, the short Le for case 2
 * (256 -> 0), 0 for case 1; for extended APDUs the low byte of the
 * same value. */
uint8_t apdu_p3(const struct apdu *apdu);

#endif
