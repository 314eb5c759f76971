/*
 * Native CUnit tests for the APDU transport rules (core/transport.c)
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
#include "transport.h"

static uint8_t pattern[70000];
/* where the transport assembles replies */
static uint8_t room[TRANSPORT_BUFFER_SIZE];

static void init_pattern(void)
{
    size_t i;
    for (i = 0; i < sizeof(pattern); i++) pattern[i] = (uint8_t)(i * 7 + 3);
}

/* Checks that the next command is exactly expect[expect_len]. */
#define CHECK_COMMAND(t, ...) check_command(t, (const uint8_t[]){__VA_ARGS__}, \
        sizeof((const uint8_t[]){__VA_ARGS__}), __LINE__)
static void check_command(struct transport *t, const uint8_t *expect, size_t expect_len, int line)
{
    const uint8_t *cmd;
    size_t len;

    cmd = transport_command(t, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(cmd);
    if (len != expect_len || memcmp(cmd, expect, len))
    {
        size_t i;
        fprintf(stderr, "\nline %d: command", line);
        for (i = 0; i < len; i++) fprintf(stderr, " %02x", cmd[i]);
        fprintf(stderr, "\n");
    }
    CU_ASSERT_EQUAL(len, expect_len);
    CU_ASSERT(len == expect_len && !memcmp(cmd, expect, len));
}

#define FEED(t, ...) transport_feed(t, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}))

#define CHECK_REPLY(t, ...) check_reply(t, (const uint8_t[]){__VA_ARGS__}, \
        sizeof((const uint8_t[]){__VA_ARGS__}))
static void check_reply(struct transport *t, const uint8_t *expect, size_t expect_len)
{
    const uint8_t *reply;
    size_t len;

    reply = transport_reply(t, &len);
    CU_ASSERT_PTR_NOT_NULL_FATAL(reply);
    CU_ASSERT_EQUAL(len, expect_len);
    CU_ASSERT(len == expect_len && !memcmp(reply, expect, len));
    CU_ASSERT_PTR_NULL(transport_command(t, &len));
    CU_ASSERT_EQUAL(len, 0);
}

static void test_t1_as_built(void)
{
    static const uint8_t case4[] = {0x00, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb, 0x10};
    static const uint8_t case3_ext[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x02};
    struct transport t;

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case4, sizeof(case4), 0xc0, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb, 0x10);
    /* no follow-up under T=1: 61 xx and 6C xx are final */
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x10), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x61, 0x10);
    CU_ASSERT_EQUAL(t.exchanges, 1);
    transport_end(&t);

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case4, sizeof(case4), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x01, 0x02, 0x6c, 0x08), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x01, 0x02, 0x6c, 0x08);
    transport_end(&t);

    /* an extended encoding of small values is sent as given */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case3_ext, sizeof(case3_ext), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x02, 0x01, 0x02);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x90, 0x00);
    transport_end(&t);

    /* RAW behaves like T=1 */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_RAW, case4, sizeof(case4), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb, 0x10);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x02), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x61, 0x02);
    transport_end(&t);
}

static void test_t1_extended(void)
{
    uint8_t cmd[4 + 3 + 1000 + 2], *reply;
    struct transport t;
    const uint8_t *sent;
    size_t len;

    memcpy(cmd, "\x00\xb0\x00\x00\x00\x03\xe8", 7);
    memcpy(cmd + 7, pattern, 1000);
    cmd[1007] = 0x04;
    cmd[1008] = 0x00;
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, cmd, sizeof(cmd), -1, room), TRANSPORT_SEND);
    sent = transport_command(&t, &len);
    CU_ASSERT_EQUAL(len, sizeof(cmd));
    CU_ASSERT(sent && !memcmp(sent, cmd, sizeof(cmd)));

    reply = malloc(1024 + 2);
    memcpy(reply, pattern, 1024);
    reply[1024] = 0x90;
    reply[1025] = 0x00;
    CU_ASSERT_EQUAL(transport_feed(&t, reply, 1026), TRANSPORT_OK);
    sent = transport_reply(&t, &len);
    CU_ASSERT_EQUAL(len, 1026);
    CU_ASSERT(sent && !memcmp(sent, reply, 1026));
    free(reply);
    transport_end(&t);
}

static void test_t0_case1_case3(void)
{
    static const uint8_t case1[] = {0x00, 0x44, 0x00, 0x00};
    static const uint8_t case3[] = {0x00, 0x20, 0x00, 0x01, 0x04, 0x31, 0x32, 0x33, 0x34};
    struct transport t;

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case1, sizeof(case1), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0x44, 0x00, 0x00);
    CU_ASSERT_EQUAL(t.command_has_le, 0);
    /* 6C xx to a command without Le is a final status */
    CU_ASSERT_EQUAL(FEED(&t, 0x6c, 0x02), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x6c, 0x02);
    transport_end(&t);

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case3, sizeof(case3), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0x20, 0x00, 0x01, 0x04, 0x31, 0x32, 0x33, 0x34);
    CU_ASSERT_EQUAL(FEED(&t, 0x63, 0xc2), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x63, 0xc2);
    CU_ASSERT_EQUAL(t.exchanges, 1);
    transport_end(&t);
}

static void test_t0_case4_get_response(void)
{
    static const uint8_t case4[] = {0x80, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb, 0x08};
    struct transport t;

    /* Le stripped; GET RESPONSE with the command's CLA */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4, sizeof(case4), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x80, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x08), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x80, 0xc0, 0x00, 0x00, 0x08);
    CU_ASSERT_EQUAL(FEED(&t, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 1, 2, 3, 4, 5, 6, 7, 8, 0x90, 0x00);
    CU_ASSERT_EQUAL(t.exchanges, 2);
    transport_end(&t);

    /* the alternate class byte for GET RESPONSE only */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4, sizeof(case4), 0xc0, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x80, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x03), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0xc0, 0xc0, 0x00, 0x00, 0x03);
    /* repeated while 61 xx, data joined */
    CU_ASSERT_EQUAL(FEED(&t, 0x11, 0x22, 0x33, 0x61, 0x00), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0xc0, 0xc0, 0x00, 0x00, 0x00);
    CU_ASSERT_EQUAL(FEED(&t, 0x44, 0x61, 0x01), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0xc0, 0xc0, 0x00, 0x00, 0x01);
    CU_ASSERT_EQUAL(FEED(&t, 0x55, 0x62, 0x83), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x11, 0x22, 0x33, 0x44, 0x55, 0x62, 0x83);
    transport_end(&t);

    /* an alternate class of 0 is a real class byte, -1 and out of range are none */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4, sizeof(case4), 0x00, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x01), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xc0, 0x00, 0x00, 0x01);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4, sizeof(case4), 0x100, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x01), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x80, 0xc0, 0x00, 0x00, 0x01);
    transport_end(&t);

    /* a case 4 the card answers at once */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4, sizeof(case4), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x90, 0x00);
    transport_end(&t);
}

static void test_t0_wrong_le(void)
{
    static const uint8_t case2[] = {0x00, 0xb0, 0x00, 0x00, 0x10};
    static const uint8_t case2_256[] = {0x00, 0xb0, 0x00, 0x00, 0x00};
    static const uint8_t case4[] = {0x00, 0xa4, 0x04, 0x00, 0x01, 0xa0, 0x20};
    struct transport t;

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), 0xc0, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x10);
    CU_ASSERT_EQUAL(t.command_has_le, 1);
    /* the same command again with Le = xx (the original CLA), the 6C answer's bytes dropped */
    CU_ASSERT_EQUAL(FEED(&t, 0xee, 0x6c, 0x04), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x04);
    CU_ASSERT_EQUAL(FEED(&t, 9, 8, 7, 6, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 9, 8, 7, 6, 0x90, 0x00);
    transport_end(&t);

    /* Le 256 is P3 00; 6C 00 asks for 256 again */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2_256, sizeof(case2_256), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x00);
    CU_ASSERT_EQUAL(FEED(&t, 0x6c, 0x00), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x00);
    CU_ASSERT_EQUAL(FEED(&t, 0x6c, 0x02), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x02);
    /* then 61 xx after the resend */
    CU_ASSERT_EQUAL(FEED(&t, 0x01, 0x61, 0x01), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xc0, 0x00, 0x00, 0x01);
    CU_ASSERT_EQUAL(FEED(&t, 0x02, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x01, 0x02, 0x90, 0x00);
    transport_end(&t);

    /* 6C xx in answer to GET RESPONSE: GET RESPONSE again with that Le */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4, sizeof(case4), 0x80, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xa4, 0x04, 0x00, 0x01, 0xa0);
    CU_ASSERT_EQUAL(t.command_has_le, 0);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x20), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x80, 0xc0, 0x00, 0x00, 0x20);
    CU_ASSERT_EQUAL(FEED(&t, 0x6c, 0x03), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x80, 0xc0, 0x00, 0x00, 0x03);
    CU_ASSERT_EQUAL(FEED(&t, 0x6f, 0x01, 0x84, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x6f, 0x01, 0x84, 0x90, 0x00);
    transport_end(&t);
}

static void test_t0_extended(void)
{
    static const uint8_t case2e[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x2c};   /* Le 300 */
    static const uint8_t case2e_max[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00}; /* Le 65536 */
    static const uint8_t case4e[] = {0x00, 0x88, 0x00, 0x00, 0x00, 0x00, 0x02, 0xaa, 0xbb, 0x03, 0xe8};
    static const uint8_t case3e_small[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x01, 0x5a};
    uint8_t *cmd, answer[258];
    struct transport t;
    const uint8_t *reply;
    size_t len;

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2e, sizeof(case2e), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x00);
    memcpy(answer, pattern, 256);
    answer[256] = 0x61;
    answer[257] = 0x2c;
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 258), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xc0, 0x00, 0x00, 0x2c);
    memcpy(answer, pattern + 256, 44);
    answer[44] = 0x90;
    answer[45] = 0x00;
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 46), TRANSPORT_OK);
    reply = transport_reply(&t, &len);
    CU_ASSERT_EQUAL(len, 302);
    CU_ASSERT(reply && !memcmp(reply, pattern, 300) && reply[300] == 0x90 && reply[301] == 0x00);
    transport_end(&t);

    /* the largest reply: 65536 data bytes in 256 GET RESPONSEs */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2e_max, sizeof(case2e_max), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xb0, 0x00, 0x00, 0x00);
    for (len = 0; len < 256; len++)
    {
        memcpy(answer, pattern + len * 256, 256);
        answer[256] = len == 255 ? 0x90 : 0x61;
        answer[257] = 0x00;
        CU_ASSERT_EQUAL_FATAL(transport_feed(&t, answer, 258), len == 255 ? TRANSPORT_OK : TRANSPORT_SEND);
    }
    reply = transport_reply(&t, &len);
    CU_ASSERT_EQUAL(len, 65538);
    CU_ASSERT(reply && !memcmp(reply, pattern, 65536) && reply[65536] == 0x90 && reply[65537] == 0x00);
    transport_end(&t);

    /* case 4 extended with short data: short case 3 */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case4e, sizeof(case4e), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0x88, 0x00, 0x00, 0x02, 0xaa, 0xbb);
    transport_end(&t);

    /* an extended encoding of a short case 3: re-encoded short */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case3e_small, sizeof(case3e_small), -1, room), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xd6, 0x00, 0x00, 0x01, 0x5a);
    transport_end(&t);

    /* more than 255 data bytes: not sendable under T=0, fine under T=1 */
    cmd = malloc(4 + 3 + 256);
    memcpy(cmd, "\x00\xd6\x00\x00\x00\x01\x00", 7);
    memcpy(cmd + 7, pattern, 256);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, cmd, 4 + 3 + 256, -1, room), TRANSPORT_E_INVALID);
    CU_ASSERT_PTR_NULL(transport_command(&t, &len));
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 2), TRANSPORT_E_STATE);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, cmd, 4 + 3 + 256, -1, room), TRANSPORT_SEND);
    transport_end(&t);
    free(cmd);
}

static void test_short_answers(void)
{
    static const uint8_t case2[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    static const uint8_t one[1] = {0x90};
    enum transport_protocol protocols[] = {TRANSPORT_T0, TRANSPORT_T1, TRANSPORT_RAW};
    struct transport t;
    size_t i, len;

    for (i = 0; i < 3; i++)
    {
        CU_ASSERT_EQUAL(transport_begin(&t, protocols[i], case2, sizeof(case2), -1, room), TRANSPORT_SEND);
        CU_ASSERT_EQUAL(transport_feed(&t, one, 0), TRANSPORT_E_SHORT_REPLY);
        CU_ASSERT_PTR_NULL(transport_reply(&t, &len));
        CU_ASSERT_EQUAL(len, 0);
        CU_ASSERT_PTR_NULL(transport_command(&t, &len));
        /* errors are final */
        CU_ASSERT_EQUAL(transport_feed(&t, one, 2), TRANSPORT_E_STATE);
        transport_end(&t);

        CU_ASSERT_EQUAL(transport_begin(&t, protocols[i], case2, sizeof(case2), -1, room), TRANSPORT_SEND);
        CU_ASSERT_EQUAL(transport_feed(&t, one, 1), TRANSPORT_E_SHORT_REPLY);
        transport_end(&t);
    }

    /* a short answer to GET RESPONSE */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x61, 0x08), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(transport_feed(&t, one, 1), TRANSPORT_E_SHORT_REPLY);
    transport_end(&t);
}

static void test_long_answers(void)
{
    static const uint8_t case2[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00};
    uint8_t *answer = malloc(TRANSPORT_RECV_SIZE);
    struct transport t;
    size_t len;

    memcpy(answer, pattern, TRANSPORT_RECV_SIZE);
    answer[65536] = 0x90;
    answer[65537] = 0x00;

    /* T=1: 65538 bytes are fine, one more is not */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(transport_feed(&t, answer, TRANSPORT_MAX_REPLY), TRANSPORT_OK);
    CU_ASSERT_PTR_NOT_NULL(transport_reply(&t, &len));
    CU_ASSERT_EQUAL(len, TRANSPORT_MAX_REPLY);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(transport_feed(&t, answer, TRANSPORT_RECV_SIZE), TRANSPORT_E_REPLY_TOO_LONG);
    CU_ASSERT_PTR_NULL(transport_reply(&t, &len));
    transport_end(&t);

    /* T=0: the joined reply over the bound, in the final answer ... */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    answer[65536] = 0x61;
    answer[65537] = 0x00;
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 65538), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x01, 0x90, 0x00), TRANSPORT_E_REPLY_TOO_LONG);
    transport_end(&t);
    /* (65536 data bytes and the final status word are fine) */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 65538), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_OK);
    CU_ASSERT_PTR_NOT_NULL(transport_reply(&t, &len));
    CU_ASSERT_EQUAL(len, 65538);
    transport_end(&t);
    /* ... and in a 61 xx answer */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 65538), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x01, 0x02, 0x61, 0x00), TRANSPORT_E_REPLY_TOO_LONG);
    transport_end(&t);
    /* exactly 65536 data bytes in two answers: fine */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    answer[65535] = 0x61;
    answer[65536] = 0x01;
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 65537), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x01, 0x6a, 0x82), TRANSPORT_OK);
    CU_ASSERT_PTR_NOT_NULL(transport_reply(&t, &len));
    CU_ASSERT_EQUAL(len, 65538);
    transport_end(&t);

    free(answer);
}

static void test_endless_cards(void)
{
    static const uint8_t case2[] = {0x00, 0xb0, 0x00, 0x00, 0x05};
    struct transport t;
    unsigned int i;
    enum transport_status status = TRANSPORT_SEND;

    /* 61 01 forever, with no data: TRANSPORT_MAX_EXCHANGES commands, then an error */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    for (i = 0; i < TRANSPORT_MAX_EXCHANGES + 5 && status == TRANSPORT_SEND; i++)
        status = FEED(&t, 0x61, 0x01);
    CU_ASSERT_EQUAL(status, TRANSPORT_E_TOO_MANY_EXCHANGES);
    CU_ASSERT_EQUAL(i, TRANSPORT_MAX_EXCHANGES);
    transport_end(&t);

    /* 6C xx forever */
    status = TRANSPORT_SEND;
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    for (i = 0; i < TRANSPORT_MAX_EXCHANGES + 5 && status == TRANSPORT_SEND; i++)
        status = FEED(&t, 0x6c, (uint8_t)i);
    CU_ASSERT_EQUAL(status, TRANSPORT_E_TOO_MANY_EXCHANGES);
    CU_ASSERT_EQUAL(i, TRANSPORT_MAX_EXCHANGES);
    transport_end(&t);

    /* the last allowed exchange may still end the reply */
    status = TRANSPORT_SEND;
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    for (i = 0; i < TRANSPORT_MAX_EXCHANGES - 1 && status == TRANSPORT_SEND; i++)
        status = FEED(&t, 0x61, 0x01);
    CU_ASSERT_EQUAL(status, TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_OK);
    CHECK_REPLY(&t, 0x90, 0x00);
    transport_end(&t);
}

static void test_invalid_commands(void)
{
    static const uint8_t bad_lc[] = {0x00, 0xd6, 0x00, 0x00, 0x05, 0x01};
    static const uint8_t good[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    struct transport t;
    size_t len;

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, NULL, 4, -1, room), TRANSPORT_E_INVALID);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, good, 3, -1, room), TRANSPORT_E_INVALID);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, good, 0, -1, room), TRANSPORT_E_INVALID);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, bad_lc, sizeof(bad_lc), -1, room), TRANSPORT_E_INVALID);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, bad_lc, sizeof(bad_lc), -1, room), TRANSPORT_E_INVALID);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(&t, (enum transport_protocol)7, good, sizeof(good), -1, room),
                    TRANSPORT_E_INVALID);
    transport_end(&t);
    CU_ASSERT_EQUAL(transport_begin(NULL, TRANSPORT_T0, good, sizeof(good), -1, room), TRANSPORT_E_STATE);

    /* out of order */
    memset(&t, 0, sizeof(t));
    transport_end(&t);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_E_STATE);
    CU_ASSERT_PTR_NULL(transport_command(&t, &len));
    CU_ASSERT_PTR_NULL(transport_reply(&t, &len));
    CU_ASSERT_EQUAL(transport_feed(NULL, good, 2), TRANSPORT_E_STATE);
    CU_ASSERT_PTR_NULL(transport_command(NULL, &len));
    CU_ASSERT_PTR_NULL(transport_reply(NULL, &len));
    transport_end(NULL);

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, good, sizeof(good), -1, room), TRANSPORT_SEND);
    CU_ASSERT_PTR_NULL(transport_reply(&t, &len));
    CU_ASSERT_EQUAL(transport_feed(&t, NULL, 2), TRANSPORT_E_STATE);
    transport_end(&t);

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, good, sizeof(good), -1, room), TRANSPORT_SEND);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_OK);
    CU_ASSERT_EQUAL(FEED(&t, 0x90, 0x00), TRANSPORT_E_STATE);
    /* the reply is still there after a misplaced feed */
    CHECK_REPLY(&t, 0x90, 0x00);
    transport_end(&t);
    /* the structure can be begun again */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, good, sizeof(good), -1, room), TRANSPORT_SEND);
    transport_end(&t);
}

/* No copy where none is needed: T=1 sends the caller's APDU itself, answers
 * received at transport_answer_room() stay where they are, and the reply is
 * the caller's buffer. */
static void test_in_place(void)
{
    static const uint8_t case2[] = {0x00, 0xb0, 0x00, 0x00, 0x08};
    struct transport t;
    uint8_t *answer;
    size_t len;

    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_PTR_EQUAL(transport_command(&t, &len), case2);
    CU_ASSERT_PTR_EQUAL(transport_answer_room(&t), room);
    memcpy(room, "\x01\x02\x90\x00", 4);
    CU_ASSERT_EQUAL(transport_feed(&t, room, 4), TRANSPORT_OK);
    CU_ASSERT_PTR_EQUAL(transport_reply(&t, &len), room);
    CU_ASSERT(len == 4 && !memcmp(room, "\x01\x02\x90\x00", 4));
    CU_ASSERT_PTR_NULL(transport_answer_room(&t));
    transport_end(&t);

    /* T=0: each answer's data lands behind the previous one's */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T0, case2, sizeof(case2), -1, room), TRANSPORT_SEND);
    CU_ASSERT_PTR_NOT_EQUAL(transport_command(&t, &len), case2);
    answer = transport_answer_room(&t);
    CU_ASSERT_PTR_EQUAL(answer, room);
    memcpy(answer, "\xaa\xbb\xcc\x61\x02", 5);
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 5), TRANSPORT_SEND);
    CHECK_COMMAND(&t, 0x00, 0xc0, 0x00, 0x00, 0x02);
    answer = transport_answer_room(&t);
    CU_ASSERT_PTR_EQUAL(answer, room + 3);
    memcpy(answer, "\xdd\xee\x90\x00", 4);
    CU_ASSERT_EQUAL(transport_feed(&t, answer, 4), TRANSPORT_OK);
    CU_ASSERT_PTR_EQUAL(transport_reply(&t, &len), room);
    CU_ASSERT(len == 7 && !memcmp(room, "\xaa\xbb\xcc\xdd\xee\x90\x00", 7));
    transport_end(&t);

    /* no buffer: nothing to assemble the reply in */
    CU_ASSERT_EQUAL(transport_begin(&t, TRANSPORT_T1, case2, sizeof(case2), -1, NULL), TRANSPORT_E_INVALID);
    CU_ASSERT_PTR_NULL(transport_answer_room(&t));
    transport_end(&t);
}

/* A scripted T=0 card for transport_exchange(): answers GET CHALLENGE
 * (INS 84) with 61 xx then data, READ BINARY (B0) with 6C xx when P3 is
 * not 6, a given error code when asked. */
struct fake_card
{
    int calls;
    long fail_at;        /* transmit call number that fails, 0 for none */
    uint8_t last[300];
    size_t last_len;
    size_t room_seen;
};

static long fake_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *answer, size_t *answer_len)
{
    struct fake_card *card = ctx;

    card->room_seen = *answer_len;
    card->calls++;
    if (card->fail_at == card->calls) return 0x80100069;
    memcpy(card->last, cmd, cmd_len < sizeof(card->last) ? cmd_len : sizeof(card->last));
    card->last_len = cmd_len;
    if (cmd[1] == 0x84)
    {
        memcpy(answer, "\x61\x04", 2);
        *answer_len = 2;
    }
    else if (cmd[1] == 0xc0)
    {
        memcpy(answer, "\xde\xad\xbe\xef\x90\x00", 6);
        *answer_len = 6;
    }
    else if (cmd[1] == 0xb0 && cmd[4] != 6)
    {
        memcpy(answer, "\x6c\x06", 2);
        *answer_len = 2;
    }
    else if (cmd[1] == 0xb0)
    {
        memcpy(answer, "\x01\x02\x03\x04\x05\x06\x90\x00", 8);
        *answer_len = 8;
    }
    else
    {
        /* claims a length larger than the room it was given */
        *answer_len = TRANSPORT_RECV_SIZE + 100;
        memset(answer, 0x90, TRANSPORT_RECV_SIZE);
    }
    return 0;
}

static void test_exchange(void)
{
    static const uint8_t challenge[] = {0x00, 0x84, 0x00, 0x00, 0x04};
    static const uint8_t read[] = {0x00, 0xb0, 0x00, 0x00, 0x00};
    static const uint8_t other[] = {0x00, 0x01, 0x00, 0x00};
    struct fake_card card;
    const uint8_t *reply = room;
    size_t len;
    long error;

    memset(&card, 0, sizeof(card));
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, challenge, sizeof(challenge), 0xa0, fake_transmit,
                                       &card, &error, room, &len), TRANSPORT_OK);
    CU_ASSERT_EQUAL(error, 0);
    CU_ASSERT_EQUAL(card.calls, 2);
    CU_ASSERT_EQUAL(card.room_seen, TRANSPORT_RECV_SIZE);
    CU_ASSERT(card.last_len == 5 && !memcmp(card.last, "\xa0\xc0\x00\x00\x04", 5));
    CU_ASSERT(len == 6 && !memcmp(reply, "\xde\xad\xbe\xef\x90\x00", 6));

    /* under T=1 the 61 xx is the reply */
    memset(&card, 0, sizeof(card));
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T1, challenge, sizeof(challenge), 0xa0, fake_transmit,
                                       &card, &error, room, &len), TRANSPORT_OK);
    CU_ASSERT_EQUAL(card.calls, 1);
    CU_ASSERT(len == 2 && reply && !memcmp(reply, "\x61\x04", 2));

    memset(&card, 0, sizeof(card));
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, read, sizeof(read), -1, fake_transmit,
                                       &card, &error, room, &len), TRANSPORT_OK);
    CU_ASSERT_EQUAL(card.calls, 2);
    CU_ASSERT(len == 8 && reply && !memcmp(reply, "\x01\x02\x03\x04\x05\x06\x90\x00", 8));

    /* the transmit function's error comes back, in the first or a later call */
    memset(&card, 0, sizeof(card));
    card.fail_at = 2;
    len = 5;
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, challenge, sizeof(challenge), -1, fake_transmit,
                                       &card, &error, room, &len), TRANSPORT_E_TRANSMIT);
    CU_ASSERT_EQUAL(error, 0x80100069);
    CU_ASSERT_EQUAL(len, 0);
    memset(&card, 0, sizeof(card));
    card.fail_at = 1;
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T1, challenge, sizeof(challenge), -1, fake_transmit,
                                       &card, NULL, room, &len), TRANSPORT_E_TRANSMIT);

    /* a transmit function claiming more than the room: over-long */
    memset(&card, 0, sizeof(card));
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T1, other, sizeof(other), -1, fake_transmit,
                                       &card, &error, room, &len), TRANSPORT_E_REPLY_TOO_LONG);
    CU_ASSERT_EQUAL(len, 0);

    /* bad input: nothing sent */
    memset(&card, 0, sizeof(card));
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, other, 3, -1, fake_transmit,
                                       &card, &error, room, &len), TRANSPORT_E_INVALID);
    CU_ASSERT_EQUAL(card.calls, 0);
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, other, 4, -1, NULL,
                                       &card, &error, room, &len), TRANSPORT_E_STATE);
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, other, 4, -1, fake_transmit,
                                       &card, &error, NULL, &len), TRANSPORT_E_INVALID);
    CU_ASSERT_EQUAL(transport_exchange(TRANSPORT_T0, other, 4, -1, fake_transmit,
                                       &card, &error, room, NULL), TRANSPORT_E_STATE);
    CU_ASSERT_EQUAL(card.calls, 0);
}

int main(void)
{
    static const struct cunit_test transport_tests[] =
    {
        {"T=1 and RAW as built", test_t1_as_built},
        {"T=1 extended", test_t1_extended},
        {"T=0 case 1 and 3", test_t0_case1_case3},
        {"T=0 case 4 and GET RESPONSE", test_t0_case4_get_response},
        {"T=0 wrong Le (6C xx)", test_t0_wrong_le},
        {"T=0 extended commands", test_t0_extended},
        {"answers without status word", test_short_answers},
        {"over-long replies", test_long_answers},
        {"cards that never finish", test_endless_cards},
        {"invalid commands and misuse", test_invalid_commands},
        {"answers and replies in place", test_in_place},
        {"exchange with a transmit function", test_exchange},
    };
    static const struct cunit_suite suites[] =
    {
        CUNIT_SUITE("transport", transport_tests),
    };

    init_pattern();

    return cunit_run(suites, sizeof(suites) / sizeof(suites[0]));
}
