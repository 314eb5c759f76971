/*
 * Native CUnit tests for the platform neutral core (APDU codec, byte store)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"

#include "apdu.h"
#include "bytestore.h"

/* Data bytes 0, 1, 2, ... (mod 251, so that 256-byte periods are visible). */
static uint8_t test_data[APDU_MAX_LC];

static void init_test_data(void)
{
    size_t i;
    for (i = 0; i < sizeof(test_data); i++) test_data[i] = (uint8_t)(i % 251);
}

static struct apdu make_apdu(uint8_t cla, uint8_t ins, uint8_t p1, uint8_t p2,
                             const uint8_t *data, size_t lc, uint32_t le)
{
    struct apdu apdu;

    apdu.cla = cla;
    apdu.ins = ins;
    apdu.p1 = p1;
    apdu.p2 = p2;
    apdu.data = data;
    apdu.lc = lc;
    apdu.le = le;
    return apdu;
}

/* Builds the expected encoding: header, prefix, lc data bytes, suffix. */
static uint8_t *build(const uint8_t *prefix, size_t prefix_len, size_t lc,
                      const uint8_t *suffix, size_t suffix_len, size_t *len)
{
    static const uint8_t header[4] = {0x80, 0xca, 0x9f, 0x7f};
    uint8_t *buf;

    *len = 4 + prefix_len + lc + suffix_len;
    buf = malloc(*len);
    memcpy(buf, header, 4);
    if (prefix_len) memcpy(buf + 4, prefix, prefix_len);
    if (lc) memcpy(buf + 4 + prefix_len, test_data, lc);
    if (suffix_len) memcpy(buf + 4 + prefix_len + lc, suffix, suffix_len);
    return buf;
}

/* Encodes apdu and compares with expect[expect_len] byte for byte, checks
 * that one byte less of room fails, then parses expect back and compares
 * the fields.  Output buffers are exactly sized heap blocks, so ASan
 * catches any write or read past them. */
static void check_codec(const struct apdu *apdu, int expect_case, int expect_ext,
                        const uint8_t *expect, size_t expect_len, size_t data_offset)
{
    struct apdu parsed;
    uint8_t *out;
    size_t written = 12345;

    CU_ASSERT_EQUAL(apdu_case(apdu), expect_case);
    CU_ASSERT_EQUAL(apdu_is_extended(apdu), expect_ext);
    CU_ASSERT_EQUAL(apdu_encoded_size(apdu), expect_len);

    out = malloc(expect_len);
    CU_ASSERT_EQUAL_FATAL(apdu_encode(apdu, out, expect_len, &written), APDU_OK);
    CU_ASSERT_EQUAL(written, expect_len);
    CU_ASSERT(!memcmp(out, expect, expect_len));
    free(out);

    out = malloc(expect_len - 1);
    written = 12345;
    CU_ASSERT_EQUAL(apdu_encode(apdu, out, expect_len - 1, &written), APDU_E_BUFFER);
    CU_ASSERT_EQUAL(written, 0);
    free(out);

    memset(&parsed, 0xcc, sizeof(parsed));
    CU_ASSERT_EQUAL_FATAL(apdu_parse(expect, expect_len, &parsed), APDU_OK);
    CU_ASSERT_EQUAL(parsed.cla, apdu->cla);
    CU_ASSERT_EQUAL(parsed.ins, apdu->ins);
    CU_ASSERT_EQUAL(parsed.p1, apdu->p1);
    CU_ASSERT_EQUAL(parsed.p2, apdu->p2);
    CU_ASSERT_EQUAL(parsed.lc, apdu->lc);
    CU_ASSERT_EQUAL(parsed.le, apdu->le);
    if (apdu->lc)
    {
        CU_ASSERT_PTR_EQUAL(parsed.data, expect + data_offset);
        CU_ASSERT(!memcmp(parsed.data, apdu->data, apdu->lc));
    }
    else
        CU_ASSERT_PTR_NULL(parsed.data);
}

/* One test vector: header 80 CA 9F 7F, the prefix bytes, lc test data bytes,
 * the suffix bytes. */
static void check_vector(size_t lc, uint32_t le, int expect_case, int expect_ext,
                         const uint8_t *prefix, size_t prefix_len,
                         const uint8_t *suffix, size_t suffix_len)
{
    struct apdu apdu = make_apdu(0x80, 0xca, 0x9f, 0x7f, lc ? test_data : NULL, lc, le);
    size_t len;
    uint8_t *expect = build(prefix, prefix_len, lc, suffix, suffix_len, &len);

    check_codec(&apdu, expect_case, expect_ext, expect, len, 4 + prefix_len);
    free(expect);
}

#define VEC(lc, le, c, ext, pre, suf) \
    check_vector(lc, le, c, ext, pre, sizeof(pre), suf, sizeof(suf))
#define VEC_NOSUF(lc, le, c, ext, pre) check_vector(lc, le, c, ext, pre, sizeof(pre), NULL, 0)

static void test_apdu_case1(void)
{
    static const uint8_t expect[] = {0x00, 0xa4, 0x04, 0x0c};
    struct apdu apdu = make_apdu(0x00, 0xa4, 0x04, 0x0c, NULL, 0, 0);

    check_codec(&apdu, 1, 0, expect, sizeof(expect), 0);
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0);

    /* data is ignored when lc is 0 */
    apdu.data = test_data;
    CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), 4);
    CU_ASSERT_EQUAL(apdu_case(&apdu), 1);
}

static void test_apdu_case2_short(void)
{
    static const uint8_t le1[] = {0x01}, le255[] = {0xff}, le256[] = {0x00}, le128[] = {0x80};

    VEC_NOSUF(0, 1, 2, 0, le1);
    VEC_NOSUF(0, 128, 2, 0, le128);
    VEC_NOSUF(0, 255, 2, 0, le255);
    VEC_NOSUF(0, 256, 2, 0, le256);
}

static void test_apdu_case2_extended(void)
{
    static const uint8_t le257[] = {0x00, 0x01, 0x01}, le512[] = {0x00, 0x02, 0x00};
    static const uint8_t le65535[] = {0x00, 0xff, 0xff}, le65536[] = {0x00, 0x00, 0x00};

    VEC_NOSUF(0, 257, 2, 1, le257);
    VEC_NOSUF(0, 512, 2, 1, le512);
    VEC_NOSUF(0, 65535, 2, 1, le65535);
    VEC_NOSUF(0, 65536, 2, 1, le65536);
}

static void test_apdu_case3_short(void)
{
    static const uint8_t lc1[] = {0x01}, lc2[] = {0x02}, lc255[] = {0xff};

    VEC_NOSUF(1, 0, 3, 0, lc1);
    VEC_NOSUF(2, 0, 3, 0, lc2);
    VEC_NOSUF(255, 0, 3, 0, lc255);
}

static void test_apdu_case3_extended(void)
{
    static const uint8_t lc256[] = {0x00, 0x01, 0x00}, lc257[] = {0x00, 0x01, 0x01};
    static const uint8_t lc65535[] = {0x00, 0xff, 0xff};

    VEC_NOSUF(256, 0, 3, 1, lc256);
    VEC_NOSUF(257, 0, 3, 1, lc257);
    VEC_NOSUF(65535, 0, 3, 1, lc65535);
}

static void test_apdu_case4_short(void)
{
    static const uint8_t lc1[] = {0x01}, lc255[] = {0xff};
    static const uint8_t le1[] = {0x01}, le255[] = {0xff}, le256[] = {0x00};

    VEC(1, 1, 4, 0, lc1, le1);
    VEC(1, 255, 4, 0, lc1, le255);
    VEC(1, 256, 4, 0, lc1, le256);
    VEC(255, 1, 4, 0, lc255, le1);
    VEC(255, 256, 4, 0, lc255, le256);
}

static void test_apdu_case4_extended(void)
{
    static const uint8_t lc1[] = {0x00, 0x00, 0x01}, lc255[] = {0x00, 0x00, 0xff};
    static const uint8_t lc256[] = {0x00, 0x01, 0x00}, lc65535[] = {0x00, 0xff, 0xff};
    static const uint8_t le1[] = {0x00, 0x01}, le256[] = {0x01, 0x00}, le257[] = {0x01, 0x01};
    static const uint8_t le65535[] = {0xff, 0xff}, le65536[] = {0x00, 0x00};

    /* Lc needs the extended form, so Le follows even when small */
    VEC(256, 1, 4, 1, lc256, le1);
    VEC(256, 256, 4, 1, lc256, le256);
    VEC(65535, 1, 4, 1, lc65535, le1);
    VEC(65535, 65536, 4, 1, lc65535, le65536);
    /* Le needs the extended form, so Lc follows even when small */
    VEC(1, 257, 4, 1, lc1, le257);
    VEC(1, 65535, 4, 1, lc1, le65535);
    VEC(1, 65536, 4, 1, lc1, le65536);
    VEC(255, 257, 4, 1, lc255, le257);

    {
        struct apdu apdu = make_apdu(0, 0, 0, 0, test_data, APDU_MAX_LC, APDU_MAX_LE);
        CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), APDU_MAX_ENCODED);
        CU_ASSERT_EQUAL(APDU_MAX_ENCODED, 65544);
    }
}

static void test_apdu_invalid_fields(void)
{
    uint8_t out[16];
    struct apdu apdu;
    size_t written;

    /* Le above 65536 */
    apdu = make_apdu(0, 0xb0, 0, 0, NULL, 0, 65537);
    CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), 0);
    written = 99;
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);
    CU_ASSERT_EQUAL(written, 0);
    apdu.le = UINT32_MAX;
    CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), 0);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);

    /* Lc above 65535 */
    apdu = make_apdu(0, 0xd6, 0, 0, test_data, 65536, 0);
    CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), 0);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);
    apdu.lc = (size_t)-1;
    CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), 0);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);

    /* both in range but one of them too big still fails */
    apdu = make_apdu(0, 0xd6, 0, 0, test_data, 1, 65537);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);

    /* no data for a nonzero Lc */
    apdu = make_apdu(0, 0xd6, 0, 0, NULL, 1, 0);
    CU_ASSERT_EQUAL(apdu_encoded_size(&apdu), 0);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);
    apdu.le = 5;
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_E_INVALID);

    /* NULL arguments */
    CU_ASSERT_EQUAL(apdu_encoded_size(NULL), 0);
    CU_ASSERT_EQUAL(apdu_encode(NULL, out, sizeof(out), &written), APDU_E_INVALID);
    CU_ASSERT_EQUAL(apdu_case(NULL), 0);
    CU_ASSERT_EQUAL(apdu_is_extended(NULL), 0);
    CU_ASSERT_EQUAL(apdu_p3(NULL), 0);

    /* buffer too small, and no buffer at all */
    apdu = make_apdu(0, 0xb0, 0, 0, NULL, 0, 1);
    written = 99;
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, 4, &written), APDU_E_BUFFER);
    CU_ASSERT_EQUAL(written, 0);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, NULL, 0, &written), APDU_E_BUFFER);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, NULL, 100, &written), APDU_E_BUFFER);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, 0, &written), APDU_E_BUFFER);

    /* written is optional; a bigger buffer is fine */
    memset(out, 0xee, sizeof(out));
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), NULL), APDU_OK);
    CU_ASSERT_EQUAL(out[4], 0x01);
    CU_ASSERT_EQUAL(out[5], 0xee);
}

static void test_apdu_p3(void)
{
    struct apdu apdu;

    apdu = make_apdu(0, 0, 0, 0, NULL, 0, 0);
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x00);
    apdu.le = 1;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x01);
    apdu.le = 255;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0xff);
    apdu.le = 256;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x00);
    apdu.le = 257;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x01);
    apdu.le = 65536;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x00);

    apdu = make_apdu(0, 0, 0, 0, test_data, 1, 0);
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x01);
    apdu.le = 0x42;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x01);
    apdu.lc = 255;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0xff);
    apdu.lc = 256;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x00);
    apdu.lc = 0x1234;
    apdu.le = 0;
    CU_ASSERT_EQUAL(apdu_p3(&apdu), 0x34);
}

/* Parses raw[len] from an exactly sized heap copy and returns the status. */
static enum apdu_status parse_copy(const uint8_t *raw, size_t len, struct apdu *apdu)
{
    enum apdu_status status;
    uint8_t *copy = malloc(len ? len : 1);

    if (len) memcpy(copy, raw, len);
    status = apdu_parse(copy, len, apdu);
    /* data must point into the copy; do not keep it past the free */
    if (status == APDU_OK && apdu->lc)
    {
        CU_ASSERT(apdu->data >= copy + 5 && apdu->data + apdu->lc <= copy + len);
    }
    free(copy);
    apdu->data = NULL;
    return status;
}

static void test_apdu_parse_explicit(void)
{
    static const uint8_t hdr_only[] = {0x00, 0xa4, 0x04, 0x00};
    static const uint8_t ext_le5[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x05};
    static const uint8_t ext_lc1[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x01, 0xaa};
    static const uint8_t ext_lc1_le1[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x01};
    static const uint8_t ext_lc1_le0[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x00};
    static const uint8_t short_lc1_le0[] = {0x00, 0xd6, 0x00, 0x00, 0x01, 0xaa, 0x00};
    static const uint8_t short_lc1[] = {0x00, 0xd6, 0x00, 0x00, 0x01, 0xaa};
    static const uint8_t short_le0[] = {0x00, 0xb0, 0x00, 0x00, 0x00};
    struct apdu apdu;
    uint8_t out[16];
    size_t written;

    CU_ASSERT_EQUAL(parse_copy(hdr_only, sizeof(hdr_only), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu_case(&apdu), 1);
    CU_ASSERT_EQUAL(apdu.ins, 0xa4);

    /* 5 bytes ending in 00 is case 2 short with Le 256, not an extended marker */
    CU_ASSERT_EQUAL(parse_copy(short_le0, sizeof(short_le0), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu.le, 256);
    CU_ASSERT_EQUAL(apdu.lc, 0);

    CU_ASSERT_EQUAL(parse_copy(short_lc1, sizeof(short_lc1), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu.lc, 1);
    CU_ASSERT_EQUAL(apdu.le, 0);

    CU_ASSERT_EQUAL(parse_copy(short_lc1_le0, sizeof(short_lc1_le0), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu.lc, 1);
    CU_ASSERT_EQUAL(apdu.le, 256);

    /* extended encodings of small values are accepted; re-encoding gives
     * the short form */
    CU_ASSERT_EQUAL(parse_copy(ext_le5, sizeof(ext_le5), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu_case(&apdu), 2);
    CU_ASSERT_EQUAL(apdu.le, 5);
    CU_ASSERT_EQUAL(apdu_is_extended(&apdu), 0);
    CU_ASSERT_EQUAL(apdu_encode(&apdu, out, sizeof(out), &written), APDU_OK);
    CU_ASSERT_EQUAL(written, 5);
    CU_ASSERT_EQUAL(out[4], 0x05);

    CU_ASSERT_EQUAL(parse_copy(ext_lc1, sizeof(ext_lc1), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu_case(&apdu), 3);
    CU_ASSERT_EQUAL(apdu.lc, 1);

    CU_ASSERT_EQUAL(parse_copy(ext_lc1_le1, sizeof(ext_lc1_le1), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu_case(&apdu), 4);
    CU_ASSERT_EQUAL(apdu.lc, 1);
    CU_ASSERT_EQUAL(apdu.le, 1);

    CU_ASSERT_EQUAL(parse_copy(ext_lc1_le0, sizeof(ext_lc1_le0), &apdu), APDU_OK);
    CU_ASSERT_EQUAL(apdu.le, 65536);
}

static void check_parse_fails(const uint8_t *raw, size_t len)
{
    struct apdu apdu;

    memset(&apdu, 0x5a, sizeof(apdu));
    CU_ASSERT_EQUAL(parse_copy(raw, len, &apdu), APDU_E_INVALID);
    /* the output is not touched on failure (apart from data, see parse_copy) */
    CU_ASSERT_EQUAL(apdu.cla, 0x5a);
    CU_ASSERT_EQUAL(apdu.lc, (size_t)0x5a5a5a5a5a5a5a5aull);
}

#define FAILS(...) do { static const uint8_t raw_[] = {__VA_ARGS__}; check_parse_fails(raw_, sizeof(raw_)); } while (0)

static void test_apdu_parse_malformed(void)
{
    static const uint8_t four[] = {0x00, 0xa4, 0x04, 0x00};
    struct apdu apdu;
    uint8_t *big;
    size_t len;

    /* too short */
    check_parse_fails(four, 0);
    check_parse_fails(four, 1);
    check_parse_fails(four, 2);
    check_parse_fails(four, 3);
    CU_ASSERT_EQUAL(apdu_parse(NULL, 4, &apdu), APDU_E_INVALID);
    CU_ASSERT_EQUAL(apdu_parse(NULL, 0, &apdu), APDU_E_INVALID);
    CU_ASSERT_EQUAL(apdu_parse(four, 4, NULL), APDU_E_INVALID);

    /* extended marker with a single byte after it */
    FAILS(0x00, 0xb0, 0x00, 0x00, 0x00, 0x05);
    FAILS(0x00, 0xb0, 0x00, 0x00, 0x00, 0x00);
    /* short Lc that does not match the remaining length */
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x02, 0xaa);
    FAILS(0x00, 0xd6, 0x00, 0x00, 0xff, 0xaa, 0xbb);
    /* short case 4 with trailing garbage */
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x01, 0xaa, 0x10, 0x20);
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x01, 0xaa, 0x10, 0x20, 0x30);
    /* extended Lc of zero */
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x00, 0xaa);
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00);
    /* extended Lc larger than the remaining bytes */
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x00, 0x01, 0x00, 0xaa);
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x00, 0xff, 0xff, 0xaa, 0xbb, 0xcc);
    /* extended case 4 with a one-byte or three-byte Le */
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x01, 0xaa, 0x05);
    FAILS(0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x01, 0xaa, 0x00, 0x00, 0x05);
    /* extended case 2 with a trailing byte */
    FAILS(0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00);

    /* boundaries with big bodies: 255 data bytes + 2 trailing bytes,
     * 65535 data bytes + 1 or 3 trailing bytes */
    big = build((const uint8_t *)"\xff", 1, 255, (const uint8_t *)"\x01\x02", 2, &len);
    check_parse_fails(big, len);
    CU_ASSERT_EQUAL(parse_copy(big, len - 1, &apdu), APDU_OK);   /* case 4S, Le 1 */
    CU_ASSERT_EQUAL(apdu.le, 1);
    CU_ASSERT_EQUAL(parse_copy(big, len - 2, &apdu), APDU_OK);   /* case 3S */
    CU_ASSERT_EQUAL(apdu.le, 0);
    CU_ASSERT_EQUAL(apdu.lc, 255);
    check_parse_fails(big, len - 3);
    free(big);

    big = build((const uint8_t *)"\x00\xff\xff", 3, 65535, (const uint8_t *)"\x01\x02\x03", 3, &len);
    check_parse_fails(big, len);
    CU_ASSERT_EQUAL(parse_copy(big, len - 1, &apdu), APDU_OK);   /* case 4E, Le 0x0102 */
    CU_ASSERT_EQUAL(apdu.le, 0x0102);
    check_parse_fails(big, len - 2);
    CU_ASSERT_EQUAL(parse_copy(big, len - 3, &apdu), APDU_OK);   /* case 3E */
    CU_ASSERT_EQUAL(apdu.lc, 65535);
    CU_ASSERT_EQUAL(apdu.le, 0);
    check_parse_fails(big, len - 4);
    free(big);
}

/* Reference reading of raw[len] written independently of apdu_parse: try
 * each of the seven layouts and count the ones that fit. */
static int reference_parse(const uint8_t *raw, size_t len, struct apdu *apdu)
{
    int matches = 0;
    size_t lc;

    memset(apdu, 0, sizeof(*apdu));
    if (len < 4) return 0;
    apdu->cla = raw[0];
    apdu->ins = raw[1];
    apdu->p1 = raw[2];
    apdu->p2 = raw[3];

    if (len == 4) matches++;                                    /* 1 */
    if (len == 5)                                               /* 2S */
    {
        apdu->le = raw[4] ? raw[4] : 256;
        matches++;
    }
    if (len >= 5 && raw[4])
    {
        lc = raw[4];
        if (len == 5 + lc)                                      /* 3S */
        {
            apdu->lc = lc;
            apdu->data = raw + 5;
            matches++;
        }
        if (len == 6 + lc)                                      /* 4S */
        {
            apdu->lc = lc;
            apdu->data = raw + 5;
            apdu->le = raw[len - 1] ? raw[len - 1] : 256;
            matches++;
        }
    }
    if (len == 7 && !raw[4])                                    /* 2E */
    {
        apdu->le = (raw[5] << 8 | raw[6]) ? (uint32_t)(raw[5] << 8 | raw[6]) : 65536;
        matches++;
    }
    if (len >= 7 && !raw[4] && (lc = (size_t)(raw[5] << 8 | raw[6])))
    {
        if (len == 7 + lc)                                      /* 3E */
        {
            apdu->lc = lc;
            apdu->data = raw + 7;
            matches++;
        }
        if (len == 9 + lc)                                      /* 4E */
        {
            apdu->lc = lc;
            apdu->data = raw + 7;
            apdu->le = (raw[len - 2] << 8 | raw[len - 1]) ? (uint32_t)(raw[len - 2] << 8 | raw[len - 1]) : 65536;
            matches++;
        }
    }
    return matches;
}

/* Every length 0..10 with every value of B5 and B6 and a selection of B7,
 * the rest filled with two patterns; each input lives in an exactly sized
 * heap block so that ASan reports any read past it. */
static void test_apdu_parse_exhaustive(void)
{
    static const uint8_t b7_values[] = {0x00, 0x01, 0x02, 0x03, 0x04, 0x7f, 0x80, 0xff};
    static const uint8_t fills[] = {0x00, 0xff};
    unsigned int b5, b6, b7, fill;
    size_t len, i, written;

    for (len = 0; len <= 10; len++)
    {
        unsigned int mismatches = 0, ambiguous = 0, bad_roundtrip = 0, accepted = 0, tried = 0;
        uint8_t *raw = malloc(len ? len : 1);
        uint8_t out[16];

        for (b5 = 0; b5 < 256; b5++)
        for (b6 = 0; b6 < 256; b6++)
        for (b7 = 0; b7 < sizeof(b7_values); b7++)
        for (fill = 0; fill < sizeof(fills); fill++)
        {
            struct apdu got, expect, again;
            enum apdu_status status;
            int matches;

            /* skip combinations that would only repeat bytes the length cuts off */
            if ((len <= 4 && (b5 || b6 || b7)) || (len <= 5 && (b6 || b7)) || (len <= 6 && b7)) continue;
            if (len <= 7 && fill) continue;

            for (i = 0; i < len; i++) raw[i] = fills[fill] ^ (uint8_t)i;
            if (len > 4) raw[4] = (uint8_t)b5;
            if (len > 5) raw[5] = (uint8_t)b6;
            if (len > 6) raw[6] = b7_values[b7];
            tried++;

            memset(&got, 0, sizeof(got));
            status = apdu_parse(len ? raw : NULL, len, &got);
            matches = reference_parse(raw, len, &expect);
            if (matches > 1) ambiguous++;
            if ((status == APDU_OK) != (matches == 1))
            {
                mismatches++;
                continue;
            }
            if (status != APDU_OK) continue;
            accepted++;

            if (got.cla != expect.cla || got.ins != expect.ins || got.p1 != expect.p1 || got.p2 != expect.p2
                    || got.lc != expect.lc || got.le != expect.le || got.data != expect.data)
                mismatches++;

            /* canonical encodings (short form, or extended form because a
             * field needs it) come back byte for byte; the others give the
             * same fields again */
            if (apdu_encode(&got, out, sizeof(out), &written) != APDU_OK
                    || apdu_parse(out, written, &again) != APDU_OK
                    || again.lc != got.lc || again.le != got.le || again.cla != got.cla
                    || (got.lc && memcmp(again.data, got.data, got.lc)))
                bad_roundtrip++;
            else if ((len <= 5 || raw[4] || apdu_is_extended(&got)) && (written != len || memcmp(out, raw, len)))
                bad_roundtrip++;
        }
        free(raw);

        CU_ASSERT_EQUAL(mismatches, 0);
        CU_ASSERT_EQUAL(ambiguous, 0);
        CU_ASSERT_EQUAL(bad_roundtrip, 0);
        CU_ASSERT(tried > 0);
        if (len < 4) CU_ASSERT_EQUAL(accepted, 0);
        if (len == 4 || len == 5) CU_ASSERT_EQUAL(accepted, tried);
        if (len == 6)
            CU_ASSERT_EQUAL(accepted, 256);        /* B5 = 01 only, any data byte */
        if (len == 7)
            CU_ASSERT(accepted > 0 && accepted < tried);
    }
}

/* Round trip through every Lc 0..300 and a set of Le values, plus the ends. */
static void test_apdu_roundtrip_sweep(void)
{
    static const uint32_t le_values[] = {0, 1, 2, 127, 255, 256, 257, 300, 4096, 65535, 65536};
    unsigned int failures = 0;
    uint8_t *out = malloc(APDU_MAX_ENCODED);
    size_t lc, i, written, expect_size;

    for (lc = 0; lc <= 65535; lc = (lc < 300 ? lc + 1 : lc < 65530 ? 65530 : lc + 1))
    {
        for (i = 0; i < sizeof(le_values) / sizeof(le_values[0]); i++)
        {
            struct apdu apdu = make_apdu(0x0c, 0x2a, 0x9e, 0x9a, lc ? test_data : NULL, lc, le_values[i]);
            struct apdu parsed;
            int ext = lc > 255 || le_values[i] > 256;

            expect_size = 4 + (lc ? (ext ? 3 : 1) + lc : 0)
                    + (le_values[i] ? (ext ? (lc ? 2 : 3) : 1) : 0);
            if (apdu_encoded_size(&apdu) != expect_size
                    || apdu_encode(&apdu, out, APDU_MAX_ENCODED, &written) != APDU_OK
                    || written != expect_size
                    || apdu_parse(out, written, &parsed) != APDU_OK
                    || parsed.lc != lc || parsed.le != le_values[i]
                    || (lc && (parsed.data != out + (ext ? 7 : 5) || memcmp(parsed.data, test_data, lc)))
                    || apdu_is_extended(&parsed) != ext)
                failures++;
        }
    }
    free(out);
    CU_ASSERT_EQUAL(failures, 0);
}

/* ---- byte store ---- */

static int all_zero(const uint8_t *p, size_t len)
{
    size_t i;
    for (i = 0; i < len; i++) if (p[i]) return 0;
    return 1;
}

static void test_store_init_free(void)
{
    struct bytestore store;
    uint8_t buf[4];

    memset(&store, 0xcc, sizeof(store));
    bytestore_init(&store);
    CU_ASSERT_PTR_NULL(store.data);
    CU_ASSERT_EQUAL(store.size, 0);
    CU_ASSERT_EQUAL(store.capacity, 0);
    CU_ASSERT_PTR_NULL(store.locks);
    CU_ASSERT_EQUAL(store.lock_count, 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 0);
    bytestore_free(&store);
    bytestore_free(&store);   /* free leaves an empty store behind */

    CU_ASSERT_EQUAL(bytestore_write(&store, 0, "abc", 3), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 1, 1), BYTESTORE_OK);
    bytestore_free(&store);
    CU_ASSERT_PTR_NULL(store.data);
    CU_ASSERT_EQUAL(store.size, 0);
    CU_ASSERT_EQUAL(store.lock_count, 0);
    CU_ASSERT_PTR_NULL(store.locks);
}

static void test_store_set_size(void)
{
    struct bytestore store;
    uint8_t buf[200];
    size_t cap;

    bytestore_init(&store);

    CU_ASSERT_EQUAL(bytestore_set_size(&store, 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 0);

    CU_ASSERT_EQUAL(bytestore_set_size(&store, 10), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 10);
    CU_ASSERT(store.capacity >= 10);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 10);
    CU_ASSERT(all_zero(buf, 10));

    /* truncate keeps the prefix; growing again zeroes, stale bytes stay hidden */
    memset(buf, 0xab, 100);
    CU_ASSERT_EQUAL(bytestore_write(&store, 0, buf, 100), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 100);
    cap = store.capacity;
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 60), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 60);
    CU_ASSERT_EQUAL(store.capacity, cap);
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 150), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 150);
    CU_ASSERT_EQUAL(buf[0], 0xab);
    CU_ASSERT_EQUAL(buf[59], 0xab);
    CU_ASSERT(all_zero(buf + 60, 90));

    /* a deep truncation gives memory back */
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 2);
    CU_ASSERT(store.capacity >= 2 && store.capacity <= 150);
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 5), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 5);
    CU_ASSERT_EQUAL(buf[0], 0xab);
    CU_ASSERT_EQUAL(buf[1], 0xab);
    CU_ASSERT(all_zero(buf + 2, 3));

    CU_ASSERT_EQUAL(bytestore_set_size(&store, 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 0);

    /* beyond the limit: refused, store unchanged */
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 3), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_set_size(&store, (size_t)BYTESTORE_MAX_SIZE + 1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_set_size(&store, (size_t)-1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(store.size, 3);

    bytestore_free(&store);
}

static void test_store_growth(void)
{
    struct bytestore store;
    unsigned int reallocs = 0, bad = 0;
    size_t i, cap = 0;
    uint8_t byte, *check;

    bytestore_init(&store);
    for (i = 0; i < 100000; i++)
    {
        byte = (uint8_t)(i * 7);
        if (bytestore_write(&store, store.size, &byte, 1) != BYTESTORE_OK) bad++;
        if (store.capacity != cap) reallocs++;
        cap = store.capacity;
        if (store.capacity < store.size || store.capacity > BYTESTORE_MAX_SIZE) bad++;
    }
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(store.size, 100000);
    /* geometric: about log2(100000) reallocations, not one per byte */
    CU_ASSERT(reallocs <= 20);
    CU_ASSERT(store.capacity < 2 * 100000 + 64);

    check = malloc(100000);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, check, 100000), 100000);
    for (i = 0; i < 100000; i++) if (check[i] != (uint8_t)(i * 7)) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    free(check);

    /* one big jump allocates at least what was asked */
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 1000003), BYTESTORE_OK);
    CU_ASSERT(store.capacity >= 1000003);
    bytestore_free(&store);
}

static void test_store_write(void)
{
    static const uint8_t expect1[] = {0, 0, 0, 0, 0, 'a', 'b', 'c'};
    static const uint8_t expect2[] = {0, 0, 0, 0, 0, 'a', 'X', 'Y', 'Z', 'W'};
    static const uint8_t expect3[] = {'1', '2', 0, 0, 0, 'a', 'X', 'Y', 'Z', 'W'};
    struct bytestore store;
    uint8_t buf[32];

    bytestore_init(&store);

    /* writing past the end zero-fills the gap */
    CU_ASSERT_EQUAL(bytestore_write(&store, 5, "abc", 3), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 8);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 8);
    CU_ASSERT(!memcmp(buf, expect1, sizeof(expect1)));

    /* overlapping the end grows by what sticks out */
    CU_ASSERT_EQUAL(bytestore_write(&store, 6, "XYZW", 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 10);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 10);
    CU_ASSERT(!memcmp(buf, expect2, sizeof(expect2)));

    /* inside: no growth */
    CU_ASSERT_EQUAL(bytestore_write(&store, 0, "12", 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 10);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 10);
    CU_ASSERT(!memcmp(buf, expect3, sizeof(expect3)));

    /* exactly at the end */
    CU_ASSERT_EQUAL(bytestore_write(&store, 10, "!", 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 11);
    CU_ASSERT_EQUAL(bytestore_read(&store, 10, buf, 1), 1);
    CU_ASSERT_EQUAL(buf[0], '!');

    /* len 0 never grows, wherever it points */
    CU_ASSERT_EQUAL(bytestore_write(&store, 100, "x", 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_write(&store, 100, NULL, 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_write(&store, BYTESTORE_MAX_SIZE, "x", 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 11);

    /* out of range or no source */
    CU_ASSERT_EQUAL(bytestore_write(&store, 0, NULL, 1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, (size_t)BYTESTORE_MAX_SIZE + 1, "x", 0), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, BYTESTORE_MAX_SIZE, "x", 1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, BYTESTORE_MAX_SIZE - 1, "xy", 2), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, (size_t)-1, "x", 1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, 1, "x", (size_t)-1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, 0, "x", (size_t)BYTESTORE_MAX_SIZE + 1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_write(&store, (size_t)-1, "x", (size_t)-1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(store.size, 11);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 11);
    CU_ASSERT(!memcmp(buf, expect3, sizeof(expect3)));

    /* a write inside may come from the store itself */
    CU_ASSERT_EQUAL(bytestore_write(&store, 1, store.data, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, 5), 5);
    CU_ASSERT(!memcmp(buf, "112\0\0", 5));

    bytestore_free(&store);
}

static void test_store_read(void)
{
    struct bytestore store;
    uint8_t buf[16];

    bytestore_init(&store);
    CU_ASSERT_EQUAL(bytestore_assign(&store, "0123456789", 10), BYTESTORE_OK);

    memset(buf, '#', sizeof(buf));
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, 4), 4);
    CU_ASSERT(!memcmp(buf, "0123####", 8));

    /* a read crossing the end is cut short; nothing after the count is touched */
    memset(buf, '#', sizeof(buf));
    CU_ASSERT_EQUAL(bytestore_read(&store, 7, buf, 8), 3);
    CU_ASSERT(!memcmp(buf, "789#####", 8));

    memset(buf, '#', sizeof(buf));
    CU_ASSERT_EQUAL(bytestore_read(&store, 9, buf, 1), 1);
    CU_ASSERT_EQUAL(buf[0], '9');
    CU_ASSERT_EQUAL(bytestore_read(&store, 10, buf, 1), 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, 11, buf, 1), 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, (size_t)-1, buf, 1), 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, 0), 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, (size_t)-1), 10);
    memset(buf, '#', sizeof(buf));
    CU_ASSERT_EQUAL(bytestore_read(&store, 5, buf, (size_t)-1), 5);
    CU_ASSERT(!memcmp(buf, "56789###", 8));
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, NULL, 0), 0);
    bytestore_free(&store);
}

static void test_store_assign(void)
{
    struct bytestore store;
    uint8_t buf[16], *big;
    size_t i;

    bytestore_init(&store);
    CU_ASSERT_EQUAL(bytestore_assign(&store, "hello", 5), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 5);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 5);
    CU_ASSERT(!memcmp(buf, "hello", 5));

    /* shorter content replaces everything */
    CU_ASSERT_EQUAL(bytestore_assign(&store, "yo", 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 2);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 2);
    CU_ASSERT(!memcmp(buf, "yo", 2));
    /* the old tail does not come back when growing */
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 5), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 5);
    CU_ASSERT(!memcmp(buf, "yo\0\0\0", 5));

    /* from the store's own content */
    CU_ASSERT_EQUAL(bytestore_assign(&store, "abcdef", 6), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_assign(&store, store.data + 2, 3), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 3);
    CU_ASSERT(!memcmp(buf, "cde", 3));

    /* bigger than the capacity */
    big = malloc(5000);
    for (i = 0; i < 5000; i++) big[i] = (uint8_t)(i ^ 0x5a);
    CU_ASSERT_EQUAL(bytestore_assign(&store, big, 5000), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 5000);
    CU_ASSERT(store.capacity >= 5000);
    CU_ASSERT(!memcmp(store.data, big, 5000));
    free(big);

    /* empty */
    CU_ASSERT_EQUAL(bytestore_assign(&store, NULL, 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 0);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 0);
    CU_ASSERT_EQUAL(bytestore_assign(&store, "x", 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.size, 0);

    /* invalid: store unchanged */
    CU_ASSERT_EQUAL(bytestore_assign(&store, "abc", 3), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_assign(&store, NULL, 5), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(bytestore_assign(&store, "x", (size_t)BYTESTORE_MAX_SIZE + 1), BYTESTORE_E_INVALID);
    CU_ASSERT_EQUAL(store.size, 3);
    CU_ASSERT_EQUAL(bytestore_read(&store, 0, buf, sizeof(buf)), 3);
    CU_ASSERT(!memcmp(buf, "abc", 3));

    bytestore_free(&store);
}

static void test_store_lock_types(void)
{
    static const uint32_t bad_types[] = {0, 3, 5, 6, 7, 8, 16, 0x80000000u, 0xffffffffu};
    static const uint32_t good_types[] = {1, 2, 4};
    struct bytestore store;
    size_t i;

    bytestore_init(&store);
    for (i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++)
    {
        CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 10, bad_types[i]), BYTESTORE_E_INVALID);
        CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, bad_types[i]), BYTESTORE_E_INVALID);
    }
    CU_ASSERT_EQUAL(store.lock_count, 0);

    for (i = 0; i < 3; i++)
    {
        CU_ASSERT_EQUAL(bytestore_lock_region(&store, i * 10, 10, good_types[i]), BYTESTORE_OK);
        CU_ASSERT_EQUAL(store.lock_count, i + 1);
        CU_ASSERT_EQUAL(store.locks[i].offset, i * 10);
        CU_ASSERT_EQUAL(store.locks[i].length, 10);
        CU_ASSERT_EQUAL(store.locks[i].type, good_types[i]);
    }
    for (i = 0; i < 3; i++)
        CU_ASSERT_EQUAL(bytestore_unlock_region(&store, i * 10, 10, good_types[i]), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 0);
    bytestore_free(&store);
}

static void test_store_lock_overlap(void)
{
    static const uint32_t types[] = {1, 2, 4};
    struct bytestore store;
    size_t i, j;

    bytestore_init(&store);

    /* any overlap is refused, whatever the two types */
    for (i = 0; i < 3; i++)
    {
        CU_ASSERT_EQUAL(bytestore_lock_region(&store, 100, 10, types[i]), BYTESTORE_OK);
        for (j = 0; j < 3; j++)
        {
            CU_ASSERT_EQUAL(bytestore_lock_region(&store, 100, 10, types[j]), BYTESTORE_E_LOCKED);
            CU_ASSERT_EQUAL(bytestore_lock_region(&store, 95, 6, types[j]), BYTESTORE_E_LOCKED);
            CU_ASSERT_EQUAL(bytestore_lock_region(&store, 109, 1, types[j]), BYTESTORE_E_LOCKED);
            CU_ASSERT_EQUAL(bytestore_lock_region(&store, 102, 3, types[j]), BYTESTORE_E_LOCKED);
            CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 1000, types[j]), BYTESTORE_E_LOCKED);
            CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, UINT64_MAX, types[j]), BYTESTORE_E_LOCKED);
        }
        CU_ASSERT_EQUAL(store.lock_count, 1);
        CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 100, 10, types[i]), BYTESTORE_OK);
    }

    /* adjacent ranges do not overlap */
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 10, 10, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 10, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 20, 10, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 3);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 19, 2, 4), BYTESTORE_E_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 9, 2, 4), BYTESTORE_E_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 30, 1, 4), BYTESTORE_OK);

    /* unlocking one leaves its neighbours locked */
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 10, 10, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 3);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 9, 1, 1), BYTESTORE_E_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 20, 1, 1), BYTESTORE_E_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 10, 10, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 10, 10, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 20, 10, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 30, 1, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 0);

    /* ranges reaching the top of the 64-bit space, and beyond the data */
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, UINT64_MAX - 1, UINT64_MAX, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, UINT64_MAX, 1, 2), BYTESTORE_E_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, UINT64_MAX, 2), BYTESTORE_E_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, UINT64_MAX - 1, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, UINT64_MAX - 1, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, UINT64_MAX - 1, UINT64_MAX, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, (uint64_t)BYTESTORE_MAX_SIZE * 4, 100, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, (uint64_t)BYTESTORE_MAX_SIZE * 4, 100, 1), BYTESTORE_OK);

    bytestore_free(&store);
}

static void test_store_unlock(void)
{
    struct bytestore store;

    bytestore_init(&store);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 1), BYTESTORE_E_NOT_LOCKED);

    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 10, 1), BYTESTORE_OK);
    /* only an exact match unlocks */
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 2), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 4), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 9, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 11, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 1, 9, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 5, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 5, 5, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 0, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(store.lock_count, 1);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 5, 1, 1), BYTESTORE_E_LOCKED);

    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 0);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 5, 1, 1), BYTESTORE_OK);

    /* locks live on while the data changes */
    CU_ASSERT_EQUAL(bytestore_assign(&store, "abc", 3), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_set_size(&store, 0), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 1);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 5, 1, 1), BYTESTORE_E_LOCKED);
    /* and do not block the data */
    CU_ASSERT_EQUAL(bytestore_write(&store, 5, "z", 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 5, 1, 1), BYTESTORE_OK);

    bytestore_free(&store);
}

static void test_store_lock_zero_length(void)
{
    struct bytestore store;

    bytestore_init(&store);
    /* an empty range overlaps nothing, not even inside another lock */
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 10, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 5, 0, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 5, 0, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 0, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, UINT64_MAX, 0, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 5);

    /* and does not block a later lock over it */
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 10, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_lock_region(&store, 0, 100, 4), BYTESTORE_OK);

    /* released one at a time by exact match */
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 5, 0, 2), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 5, 0, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 5, 0, 1), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 5, 0, 1), BYTESTORE_E_NOT_LOCKED);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 0, 2), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, UINT64_MAX, 0, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(bytestore_unlock_region(&store, 0, 100, 4), BYTESTORE_OK);
    CU_ASSERT_EQUAL(store.lock_count, 0);
    bytestore_free(&store);
}

static void test_store_many_locks(void)
{
    struct bytestore store;
    unsigned int bad = 0;
    uint64_t i;

    bytestore_init(&store);
    for (i = 0; i < 1000; i++)
        if (bytestore_lock_region(&store, i * 2, 2, 1u << (i % 3)) != BYTESTORE_OK) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(store.lock_count, 1000);
    CU_ASSERT(store.lock_capacity >= 1000);
    for (i = 0; i < 1000; i++)
        if (bytestore_lock_region(&store, i * 2 + 1, 1, 1) != BYTESTORE_E_LOCKED) bad++;
    CU_ASSERT_EQUAL(bad, 0);

    /* unlock the odd ones, then the even ones are still there */
    for (i = 1; i < 1000; i += 2)
        if (bytestore_unlock_region(&store, i * 2, 2, 1u << (i % 3)) != BYTESTORE_OK) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(store.lock_count, 500);
    for (i = 0; i < 1000; i++)
        if (bytestore_lock_region(&store, i * 2, 1, 1) != (i % 2 ? BYTESTORE_OK : BYTESTORE_E_LOCKED)) bad++;
    CU_ASSERT_EQUAL(bad, 0);
    CU_ASSERT_EQUAL(store.lock_count, 1000);
    bytestore_free(&store);
}

int main(void)
{
    static const struct cunit_test apdu_tests[] =
    {
        {"case 1", test_apdu_case1},
        {"case 2 short", test_apdu_case2_short},
        {"case 2 extended", test_apdu_case2_extended},
        {"case 3 short", test_apdu_case3_short},
        {"case 3 extended", test_apdu_case3_extended},
        {"case 4 short", test_apdu_case4_short},
        {"case 4 extended", test_apdu_case4_extended},
        {"invalid fields", test_apdu_invalid_fields},
        {"p3", test_apdu_p3},
        {"parse explicit", test_apdu_parse_explicit},
        {"parse malformed", test_apdu_parse_malformed},
        {"parse exhaustive lengths 0..10", test_apdu_parse_exhaustive},
        {"round trip sweep", test_apdu_roundtrip_sweep},
    };
    static const struct cunit_test store_tests[] =
    {
        {"init and free", test_store_init_free},
        {"set_size", test_store_set_size},
        {"geometric growth", test_store_growth},
        {"write", test_store_write},
        {"read", test_store_read},
        {"assign", test_store_assign},
        {"lock types", test_store_lock_types},
        {"lock overlap", test_store_lock_overlap},
        {"unlock exact match", test_store_unlock},
        {"zero-length locks", test_store_lock_zero_length},
        {"many locks", test_store_many_locks},
    };
    static const struct cunit_suite suites[] =
    {
        CUNIT_SUITE("apdu", apdu_tests),
        CUNIT_SUITE("bytestore", store_tests),
    };

    init_test_data();

    return cunit_run(suites, sizeof(suites) / sizeof(suites[0]));
}
