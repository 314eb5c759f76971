/*
 * Native CUnit tests for the PC/SC value conversions (core/pcscvalues.c)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <string.h>

#include "cunit_run.h"

#include "pcscvalues.h"

static void test_protocols_from_win(void)
{
    static const struct
    {
        uint32_t win, pcsc;
    }
    tests[] =
    {
        {0x0, 0x0},                 /* DIRECT's "no protocol" */
        {0x1, 0x1},
        {0x2, 0x2},
        {0x3, 0x3},
        {0x10000, 0x4},             /* RAW */
        {0x10003, 0x7},
        {0x80000000, 0x3},          /* DEFAULT: T0|T1 */
        {0x80000001, 0x3},
        {0x4, 0x4},                 /* pcsc-lite's RAW value, as it is: pcsc-lite judges it */
        {0x8, 0x8},                 /* T=15 */
        {0xff, 0xff},
    };
    unsigned int i;

    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
        CU_ASSERT_EQUAL(pcsc_protocols_from_win(tests[i].win), tests[i].pcsc);
    CU_ASSERT_EQUAL(pcsc_protocols_from_win(0xffffffff), 0x7ffeffff);
}

static void test_protocol_to_win(void)
{
    CU_ASSERT_EQUAL(pcsc_protocol_to_win(0), 0);
    CU_ASSERT_EQUAL(pcsc_protocol_to_win(1), 1);
    CU_ASSERT_EQUAL(pcsc_protocol_to_win(2), 2);
    CU_ASSERT_EQUAL(pcsc_protocol_to_win(4), 0x10000);
    CU_ASSERT_EQUAL(pcsc_protocol_to_win(8), 8);

    /* a DIRECT connection asked with no protocol has none (Windows), whatever
     * pcsc-lite says the card runs */
    CU_ASSERT_EQUAL(pcsc_connection_protocol(3, 0, 1), 0);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(3, 0, 2), 0);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(3, 0, 4), 0);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(3, 1, 1), 1);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(3, 0x10000, 4), 0x10000);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(2, 0, 2), 2);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(2, 3, 2), 2);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(1, 0x80000000, 1), 1);
    CU_ASSERT_EQUAL(pcsc_connection_protocol(2, 0x10000, 4), 0x10000);

    /* what a connection can have: none, T0, T1, RAW (Windows' values) */
    CU_ASSERT_TRUE(pcsc_connection_protocol_valid(0));
    CU_ASSERT_TRUE(pcsc_connection_protocol_valid(1));
    CU_ASSERT_TRUE(pcsc_connection_protocol_valid(2));
    CU_ASSERT_TRUE(pcsc_connection_protocol_valid(0x10000));
    CU_ASSERT_FALSE(pcsc_connection_protocol_valid(3));
    CU_ASSERT_FALSE(pcsc_connection_protocol_valid(4));
    CU_ASSERT_FALSE(pcsc_connection_protocol_valid(0x80000000));
    CU_ASSERT_FALSE(pcsc_connection_protocol_valid(0xffffffff));
}

static void test_state_to_win(void)
{
    static const struct
    {
        uint32_t pcsc, win, win_connected;
    }
    tests[] =
    {
        {0x00, 0, 0},
        {0x01, 0, 0},               /* SCARD_UNKNOWN */
        {0x02, 1, 1},               /* ABSENT */
        {0x04, 2, 2},               /* PRESENT */
        {0x0c, 3, 3},               /* SWALLOWED */
        {0x14, 4, 4},               /* POWERED */
        {0x34, 5, 6},               /* NEGOTIABLE: SPECIFIC once a protocol is active */
        {0x74, 6, 6},               /* SPECIFIC */
        {0x40, 6, 6},
        {0x20, 5, 6},
        {0x10034, 5, 6},            /* pcsc-lite's event counter in the high bits */
        {0xffff0000, 0, 0},
        {0x80, 0, 0},
        {0x7f, 6, 6},
    };
    unsigned int i;

    for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
    {
        CU_ASSERT_EQUAL(pcsc_state_to_win(tests[i].pcsc, 0), tests[i].win);
        CU_ASSERT_EQUAL(pcsc_state_to_win(tests[i].pcsc, 1), tests[i].win_connected);
        CU_ASSERT_EQUAL(pcsc_state_to_win(tests[i].pcsc, 0x10000), tests[i].win_connected);
    }
}

static void test_error_to_win(void)
{
    uint32_t code;

    CU_ASSERT_EQUAL(pcsc_error_to_win(0x8010001f), 0x80100022);
    for (code = 0x80100001; code <= 0x80100070; code++)
        if (code != 0x8010001f) CU_ASSERT_EQUAL(pcsc_error_to_win(code), code);
    CU_ASSERT_EQUAL(pcsc_error_to_win(0), 0);
    CU_ASSERT_EQUAL(pcsc_error_to_win(6), 6);
    CU_ASSERT_EQUAL(pcsc_error_to_win(0x80100022), 0x80100022);
}

static void test_control_code(void)
{
    /* CTL_CODE(FILE_DEVICE_SMARTCARD, n, METHOD_BUFFERED, FILE_ANY_ACCESS) = 0x310000 + 4n */
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x310000 + 4 * 3400), 0x42000000 + 3400);
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x310000), 0x42000000);
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x310000 + 4 * 0xfff), 0x42000fff);
    /* the access bits are not looked at */
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x314000 + 4 * 5), 0x42000005);
    /* other methods, devices and pcsc-lite's own codes pass unchanged */
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x310001), 0x310001);
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x320000), 0x320000);
    CU_ASSERT_EQUAL(pcsc_control_code_from_win(0x42000d48), 0x42000d48);
}

static void test_context_lost(void)
{
    static const uint32_t lost[] = {0x8010001d, 0x8010001e, 0x80100003, 6, 0x8010006a};
    unsigned int i;
    uint32_t code;

    for (i = 0; i < sizeof(lost) / sizeof(lost[0]); i++)
        CU_ASSERT_TRUE(pcsc_context_lost(lost[i]));
    /* card and transmit errors are the card's, not the service's */
    for (code = 0x80100001; code <= 0x80100070; code++)
        if (code != 0x8010001d && code != 0x8010001e && code != 0x80100003 && code != 0x8010006a)
            CU_ASSERT_FALSE(pcsc_context_lost(code));
    CU_ASSERT_FALSE(pcsc_context_lost(0));
    CU_ASSERT_FALSE(pcsc_context_lost(5));
    CU_ASSERT_FALSE(pcsc_context_lost(0x80100013));   /* SCARD_F_COMM_ERROR */
}

static void test_ssp_protocols(void)
{
    /* the type library's RAW, and PC/SC's own values passed on */
    CU_ASSERT_EQUAL(ssp_protocols_to_win(0xff), 0x10000);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(1), 1);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(2), 2);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(3), 3);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(0), 0);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(0x10000), 0x10000);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(0x80000000), 0x80000000);
    CU_ASSERT_EQUAL(ssp_protocols_to_win(0xfe), 0xfe);

    CU_ASSERT_EQUAL(ssp_protocol_from_win(1), 1);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(2), 2);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(0x10000), 0xff);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(0), 0);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(3), 0);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(4), 0);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(8), 0);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(0xff), 0);

    /* the round trip of the Wine >= 9 path: scardssp -> Windows -> pcsc-lite
     * -> Windows -> scardssp */
    CU_ASSERT_EQUAL(pcsc_protocols_from_win(ssp_protocols_to_win(0xff)), 0x4);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(pcsc_protocol_to_win(0x4)), 0xff);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(pcsc_protocol_to_win(1)), 1);
    CU_ASSERT_EQUAL(ssp_protocol_from_win(pcsc_protocol_to_win(2)), 2);
}

/* pcsc-lite's reader, as measured with 1.9.9 and vpcd: the card's protocol
 * (0 not negotiated, 1, 2, RAW 4) is kept until a reset; a RAW connect
 * sets RAW whatever the card had; a T=0/T=1 connect negotiates only a card
 * not negotiated yet; DIRECT reports the card's protocol. */
struct fake_reader
{
    uint32_t card_protocols;    /* what the card can: 1, 2 */
    uint32_t protocol;
    int holders, exclusive, resets, calls;
    uint64_t next_card;
};

static uint32_t fake_connect(void *ctx, uint32_t share_mode, uint32_t protocols, uint64_t *card, uint32_t *active)
{
    struct fake_reader *r = ctx;

    r->calls++;
    if (r->exclusive || (share_mode == 1 && r->holders)) return 0x8010000b;   /* SHARING_VIOLATION */
    if (share_mode != 3)
    {
        if (protocols & 4) r->protocol = 4;
        else if (!r->protocol)
        {
            if (!(protocols & r->card_protocols)) return 0x8010000f;
            r->protocol = protocols & r->card_protocols & 1 ? 1 : 2;
        }
        else if (!(protocols & r->protocol)) return 0x8010000f;
    }
    r->holders++;
    r->exclusive = share_mode == 1;
    *card = ++r->next_card;
    *active = r->protocol;
    return 0;
}

static uint32_t fake_reconnect(void *ctx, uint64_t card, uint32_t share_mode, uint32_t protocols,
                               uint32_t initialization, uint32_t *active)
{
    struct fake_reader *r = ctx;

    r->calls++;
    CU_ASSERT_EQUAL(card, r->next_card);
    CU_ASSERT_EQUAL(initialization, 1);   /* RESET */
    r->resets++;
    r->protocol = 0;
    if (!(protocols & r->card_protocols)) return 0x8010000f;
    r->protocol = protocols & r->card_protocols & 1 ? 1 : 2;
    r->exclusive = share_mode == 1;
    *active = r->protocol;
    return 0;
}

static uint32_t fake_disconnect(void *ctx, uint64_t card, uint32_t disposition)
{
    struct fake_reader *r = ctx;

    r->calls++;
    CU_ASSERT_EQUAL(disposition, 0);   /* LEAVE */
    r->holders--;
    r->exclusive = 0;
    return 0;
}

static uint32_t fake_run(struct fake_reader *r, uint32_t share_mode, uint32_t protocols, uint64_t *card,
                         uint32_t *active)
{
    const struct pcsc_connect_calls calls = { r, fake_connect, fake_reconnect, fake_disconnect };

    r->calls = 0;
    *card = 0xdead;
    *active = 0xdead;
    return pcsc_connect(&calls, share_mode, protocols, card, active);
}

static void test_connect_after_raw(void)
{
    struct fake_reader r;
    uint64_t card;
    uint32_t active;

    /* a T=1 card left in RAW by a program gone: a SHARED T0|T1 connect
     * resets it and connects, holding it once, shared */
    memset(&r, 0, sizeof(r));
    r.card_protocols = 2;
    r.protocol = 4;
    CU_ASSERT_EQUAL(fake_run(&r, 2, 3, &card, &active), 0);
    CU_ASSERT_EQUAL(active, 2);
    CU_ASSERT_EQUAL(card, r.next_card);
    CU_ASSERT_EQUAL(r.resets, 1);
    CU_ASSERT_EQUAL(r.holders, 1);
    CU_ASSERT_FALSE(r.exclusive);
    CU_ASSERT_EQUAL(r.calls, 5);   /* connect, direct, disconnect, exclusive, reconnect */

    /* the same for a T=0 card asked T=0 alone, and EXCLUSIVE */
    memset(&r, 0, sizeof(r));
    r.card_protocols = 1;
    r.protocol = 4;
    CU_ASSERT_EQUAL(fake_run(&r, 1, 1, &card, &active), 0);
    CU_ASSERT_EQUAL(active, 1);
    CU_ASSERT_EQUAL(r.resets, 1);
    CU_ASSERT_TRUE(r.exclusive);

    /* someone holds the card in RAW: no reset, the mismatch stands, nothing held */
    memset(&r, 0, sizeof(r));
    r.card_protocols = 2;
    r.protocol = 4;
    r.holders = 1;
    CU_ASSERT_EQUAL(fake_run(&r, 2, 3, &card, &active), 0x8010000f);
    CU_ASSERT_EQUAL(card, 0xdead);
    CU_ASSERT_EQUAL(r.resets, 0);
    CU_ASSERT_EQUAL(r.holders, 1);
    CU_ASSERT_EQUAL(r.protocol, 4);

    /* a T=1 card in T=1 asked T=0: the card's answer, no reset */
    memset(&r, 0, sizeof(r));
    r.card_protocols = 2;
    r.protocol = 2;
    CU_ASSERT_EQUAL(fake_run(&r, 2, 1, &card, &active), 0x8010000f);
    CU_ASSERT_EQUAL(r.resets, 0);
    CU_ASSERT_EQUAL(r.holders, 0);
    CU_ASSERT_EQUAL(r.protocol, 2);

    /* a T=1 card in RAW asked T=0: reset (nobody holds it), then the
     * card's mismatch, nothing held */
    memset(&r, 0, sizeof(r));
    r.card_protocols = 2;
    r.protocol = 4;
    CU_ASSERT_EQUAL(fake_run(&r, 2, 1, &card, &active), 0x8010000f);
    CU_ASSERT_EQUAL(card, 0xdead);
    CU_ASSERT_EQUAL(r.resets, 1);
    CU_ASSERT_EQUAL(r.holders, 0);

    /* connects made as asked, once: success, other errors, DIRECT, RAW in the mask */
    memset(&r, 0, sizeof(r));
    r.card_protocols = 2;
    CU_ASSERT_EQUAL(fake_run(&r, 2, 3, &card, &active), 0);
    CU_ASSERT_EQUAL(active, 2);
    CU_ASSERT_EQUAL(r.calls, 1);
    CU_ASSERT_EQUAL(fake_run(&r, 1, 3, &card, &active), 0x8010000b);
    CU_ASSERT_EQUAL(r.calls, 1);
    r.holders = 0;
    r.protocol = 4;
    CU_ASSERT_EQUAL(fake_run(&r, 3, 0, &card, &active), 0);
    CU_ASSERT_EQUAL(r.calls, 1);
    CU_ASSERT_EQUAL(fake_run(&r, 2, 4, &card, &active), 0);
    CU_ASSERT_EQUAL(active, 4);
    CU_ASSERT_EQUAL(r.calls, 1);
    CU_ASSERT_EQUAL(r.resets, 0);
}

int main(void)
{
    static const struct cunit_test tests[] =
    {
        {"protocol masks to pcsc-lite", test_protocols_from_win},
        {"active protocols to Windows", test_protocol_to_win},
        {"card states to Windows", test_state_to_win},
        {"error codes to Windows", test_error_to_win},
        {"control codes to pcsc-lite", test_control_code},
        {"lost services", test_context_lost},
        {"scardssp's protocols", test_ssp_protocols},
        {"connects after a RAW connection", test_connect_after_raw},
    };
    static const struct cunit_suite suites[] =
    {
        CUNIT_SUITE("PC/SC values", tests),
    };

    return cunit_run(suites, sizeof(suites) / sizeof(suites[0]));
}
