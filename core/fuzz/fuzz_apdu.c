/*
 * libFuzzer target: APDU parse/encode round trips (core/apdu.c)
 *
 * The input is read twice:
 *  - as raw bytes: whatever apdu_parse() accepts must satisfy the layout
 *    rules of apdu.c (lengths, case, form), encode again into a valid APDU
 *    that parses to the same fields, and encoding is idempotent;
 *  - as fields (CLA INS P1 P2, a 16-bit Lc, a 17-bit Le, data): apdu_encode()
 *    must succeed exactly when the fields are in range, write
 *    apdu_encoded_size() bytes in the form apdu.c documents, refuse a
 *    buffer one byte short, and parse back to the same fields.
 * Any broken rule aborts (a crash for libFuzzer); so does any ASan/UBSan
 * report.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdlib.h>
#include <string.h>

#include "apdu.h"
#include "fuzz.h"

static uint8_t out[APDU_MAX_ENCODED], again[APDU_MAX_ENCODED];

static int same_fields(const struct apdu *a, const struct apdu *b)
{
    return a->cla == b->cla && a->ins == b->ins && a->p1 == b->p1 && a->p2 == b->p2
            && a->lc == b->lc && a->le == b->le
            && (!a->lc || !memcmp(a->data, b->data, a->lc));
}

/* The size of the encoding of lc and le, by apdu.c's table. */
/* A 2-byte Le: 00 00 is 65536. */
static uint32_t le16(const uint8_t *p)
{
    uint32_t le = ((uint32_t)p[0] << 8) | p[1];
    return le ? le : 65536u;
}

static size_t expected_size(size_t lc, uint32_t le)
{
    int ext = lc > 255 || le > 256;
    size_t size = 4;

    if (lc) size += (ext ? 3 : 1) + lc;
    if (le) size += !ext ? 1 : lc ? 2 : 3;
    return size;
}

/* Encodes a (known valid) apdu and checks the encoding against the rules. */
static size_t encode_checked(const struct apdu *apdu, uint8_t *buf)
{
    struct apdu back;
    size_t written = 12345, size = apdu_encoded_size(apdu);
    int ext = apdu_is_extended(apdu);

    FUZZ_CHECK(size == expected_size(apdu->lc, apdu->le));
    FUZZ_CHECK(apdu_encode(apdu, buf, size - 1, &written) == APDU_E_BUFFER && written == 0);
    FUZZ_CHECK(apdu_encode(apdu, buf, size, &written) == APDU_OK && written == size);
    FUZZ_CHECK(buf[0] == apdu->cla && buf[1] == apdu->ins && buf[2] == apdu->p1 && buf[3] == apdu->p2);
    FUZZ_CHECK(ext == (apdu->lc > 255 || apdu->le > 256));
    if (ext && size > 4) FUZZ_CHECK(buf[4] == 0);
    if (!ext && apdu->lc) FUZZ_CHECK(buf[4] == apdu->lc);
    if (apdu->lc) FUZZ_CHECK(!memcmp(buf + (ext ? 7 : 5), apdu->data, apdu->lc));
    FUZZ_CHECK(apdu_case(apdu) == (apdu->lc ? (apdu->le ? 4 : 3) : (apdu->le ? 2 : 1)));
    FUZZ_CHECK(apdu_p3(apdu) == (uint8_t)(apdu->lc ? apdu->lc : apdu->le));

    FUZZ_CHECK(apdu_parse(buf, size, &back) == APDU_OK);
    FUZZ_CHECK(same_fields(apdu, &back));
    if (back.lc) FUZZ_CHECK(back.data == buf + (ext ? 7 : 5));
    return size;
}

static void check_raw(const uint8_t *data, size_t size)
{
    struct apdu apdu, copy;
    size_t n, m;

    memset(&apdu, 0xa5, sizeof(apdu));
    copy = apdu;
    if (apdu_parse(data, size, &apdu) != APDU_OK)
    {
        /* left alone on failure */
        FUZZ_CHECK(!memcmp(&apdu, &copy, sizeof(apdu)));
        /* what apdu.c calls invalid: under 4 bytes, a 6-byte extended stub,
         * or a length that matches no case */
        return;
    }

    FUZZ_CHECK(size >= 4 && size <= APDU_MAX_ENCODED);
    FUZZ_CHECK(apdu.lc <= APDU_MAX_LC && apdu.le <= APDU_MAX_LE);
    FUZZ_CHECK(!apdu.lc == !apdu.data);
    FUZZ_CHECK(apdu.cla == data[0] && apdu.ins == data[1] && apdu.p1 == data[2] && apdu.p2 == data[3]);
    if (size == 4) FUZZ_CHECK(!apdu.lc && !apdu.le);
    else if (size == 5) FUZZ_CHECK(!apdu.lc && apdu.le == (data[4] ? data[4] : 256u));
    else if (data[4])
    {
        /* short form: B5 is Lc */
        FUZZ_CHECK(apdu.lc == data[4] && apdu.data == data + 5);
        FUZZ_CHECK(size == 5 + apdu.lc + !!apdu.le);
        if (apdu.le) FUZZ_CHECK(apdu.le == (data[size - 1] ? data[size - 1] : 256u));
    }
    else
    {
        /* extended form */
        FUZZ_CHECK(size >= 7);
        if (size == 7) FUZZ_CHECK(!apdu.lc && apdu.le == le16(data + 5));
        else
        {
            FUZZ_CHECK(apdu.lc && apdu.lc == (((size_t)data[5] << 8) | data[6]) && apdu.data == data + 7);
            FUZZ_CHECK(size == 7 + apdu.lc + 2 * !!apdu.le);
            if (apdu.le)
                FUZZ_CHECK(apdu.le == le16(data + size - 2));
        }
    }

    /* encoding gives the canonical form: never longer, the same bytes when
     * the input was canonical, and stable from then on */
    n = encode_checked(&apdu, out);
    FUZZ_CHECK(n <= size);
    if (n == size) FUZZ_CHECK(!memcmp(out, data, size));
    FUZZ_CHECK(apdu_parse(out, n, &copy) == APDU_OK);
    m = encode_checked(&copy, again);
    FUZZ_CHECK(m == n && !memcmp(out, again, n));
}

static void check_fields(const uint8_t *data, size_t size)
{
    struct apdu apdu;
    size_t written = 1;
    unsigned int mode;

    if (size < 9) return;
    mode = data[6] >> 5;
    memset(&apdu, 0, sizeof(apdu));
    apdu.cla = data[0];
    apdu.ins = data[1];
    apdu.p1 = data[2];
    apdu.p2 = data[3];
    /* Lc: 0..65535 as asked for, capped by the bytes there are, and now and
     * then one past the limit or without data */
    apdu.lc = ((size_t)data[4] << 8) | data[5];
    apdu.le = ((uint32_t)(data[6] & 1) << 16) | ((uint32_t)data[7] << 8) | data[8];
    data += 9;
    size -= 9;
    if (apdu.lc > size) apdu.lc = size;
    apdu.data = apdu.lc ? data : NULL;

    switch (mode)
    {
    case 0:
        apdu.lc = APDU_MAX_LC + 1;  /* out of range */
        apdu.data = data;
        break;
    case 1:
        apdu.le = APDU_MAX_LE + 1 + (apdu.le & 0xff);
        break;
    case 2:
        if (apdu.lc) apdu.data = NULL;  /* Lc without data */
        break;
    default:
        if (apdu.le > APDU_MAX_LE) apdu.le = APDU_MAX_LE;
        encode_checked(&apdu, out);
        return;
    }
    if (!(apdu.lc > APDU_MAX_LC || apdu.le > APDU_MAX_LE || (apdu.lc && !apdu.data))) return;
    FUZZ_CHECK(apdu_encoded_size(&apdu) == 0);
    FUZZ_CHECK(apdu_encode(&apdu, out, sizeof(out), &written) == APDU_E_INVALID && written == 0);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* a copy of the exact size, so that ASan sees a read past the end */
    uint8_t *copy = malloc(size ? size : 1);

    memcpy(copy, data, size);
    check_raw(copy, size);
    check_fields(copy, size);
    free(copy);
    return 0;
}
