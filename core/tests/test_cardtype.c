/*
 * Native CUnit tests for the card database's matching rules (core/cardtype.c)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdlib.h>
#include <string.h>

#include "cunit_run.h"

#include "cardtype.h"

/* pyscard's test vector (testcase_listcards.py): "dummycard" */
static const uint8_t dummy_atr[] = {0x3b, 0x75, 0x94, 0x00, 0x00, 0x62, 0x02, 0x02, 0x01, 0x01};
static const uint8_t dummy_mask[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff};

/* An ATR's length from its own bytes, read from a buffer of exactly SIZE
 * bytes (ASan catches a read past them). */
static size_t length_of(const uint8_t *atr, size_t size)
{
    uint8_t *copy = malloc(size ? size : 1);
    size_t len;

    memcpy(copy, atr, size);
    len = cardtype_atr_length(copy, size);
    free(copy);
    return len;
}

static void test_atr_length(void)
{
    /* T=1 card of vcard/ (TD1 announces T=1: a TCK) */
    static const uint8_t t1[] = {0x3b, 0x8a, 0x80, 0x01, 'S', 'C', 'A', 'R', 'D', 'S', 'S', 'P', '0', '1', 0x00};
    /* TD1 = 0x80: TD2 follows with T=0 only, no TCK */
    static const uint8_t t0_td[] = {0x3b, 0x80, 0x80, 0x00};
    /* 15 historical bytes, no interface bytes */
    static const uint8_t hist15[] = {0x3b, 0x0f, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15};
    uint8_t longest[40];

    CU_ASSERT_EQUAL(length_of(dummy_atr, sizeof(dummy_atr)), 10);
    CU_ASSERT_EQUAL(length_of(dummy_atr, 9), 0);              /* shorter than it declares */
    CU_ASSERT_EQUAL(length_of(dummy_atr, 2), 0);
    CU_ASSERT_EQUAL(length_of(dummy_atr, 1), 0);
    CU_ASSERT_EQUAL(length_of(dummy_atr, 0), 0);
    CU_ASSERT_EQUAL(length_of(t1, sizeof(t1)), 15);
    CU_ASSERT_EQUAL(length_of(t1, sizeof(t1) - 1), 0);        /* the TCK missing */
    CU_ASSERT_EQUAL(length_of(t0_td, sizeof(t0_td)), 4);
    CU_ASSERT_EQUAL(length_of(t0_td, 3), 0);                  /* TD2 announced, absent */
    CU_ASSERT_EQUAL(length_of(hist15, sizeof(hist15)), 17);
    /* a longer buffer than the ATR: its own length */
    CU_ASSERT_EQUAL(cardtype_atr_length(hist15, 33), 17);

    /* every TDi announcing another TDi: the chain runs past 33 bytes */
    memset(longest, 0xf1, sizeof(longest));
    longest[0] = 0x3b;
    longest[1] = 0xf0;
    CU_ASSERT_EQUAL(length_of(longest, sizeof(longest)), 0);
    /* TA1 TB1 TC1 TD1 (T=1), TA2..TD2 ... up to 33 bytes exactly */
    memset(longest, 0, sizeof(longest));
    longest[0] = 0x3b;
    longest[1] = 0x8f;                                        /* TD1, 15 historical */
    longest[2] = 0xf1;                                        /* TA2 TB2 TC2 TD2, T=1 */
    longest[6] = 0x71;                                        /* TA3 TB3 TC3, T=1 */
    /* TS T0 TD1 TA2..TD2 TA3..TC3, 15 historical bytes, TCK */
    CU_ASSERT_EQUAL(length_of(longest, sizeof(longest)), 2 + 1 + 4 + 3 + 15 + 1);
    longest[6] = 0xf1;                                        /* TD3 too */
    longest[10] = 0xf1;                                       /* TA4..TD4 */
    longest[14] = 0x01;                                       /* nothing after TD4 */
    CU_ASSERT_EQUAL(length_of(longest, sizeof(longest)), 2 + 1 + 4 + 4 + 4 + 15 + 1);
    longest[14] = 0x71;                                       /* TA5 TB5 TC5: 34 bytes, over the limit */
    CU_ASSERT_EQUAL(length_of(longest, sizeof(longest)), 0);
}

static void test_atr_matches(void)
{
    uint8_t atr[sizeof(dummy_atr)];

    memcpy(atr, dummy_atr, sizeof(atr));
    CU_ASSERT_TRUE(cardtype_atr_matches(atr, 10, dummy_atr, dummy_mask, 10));
    atr[4] = 0x5a;                                            /* masked out */
    CU_ASSERT_TRUE(cardtype_atr_matches(atr, 10, dummy_atr, dummy_mask, 10));
    CU_ASSERT_FALSE(cardtype_atr_matches(atr, 10, dummy_atr, NULL, 10));
    atr[5] = 0x63;                                            /* counts */
    CU_ASSERT_FALSE(cardtype_atr_matches(atr, 10, dummy_atr, dummy_mask, 10));
    memcpy(atr, dummy_atr, sizeof(atr));
    CU_ASSERT_FALSE(cardtype_atr_matches(atr, 9, dummy_atr, dummy_mask, 10));
    CU_ASSERT_FALSE(cardtype_atr_matches(atr, 10, dummy_atr, dummy_mask, 9));
    CU_ASSERT_TRUE(cardtype_atr_matches(atr, 10, dummy_atr, NULL, 10));
    CU_ASSERT_TRUE(cardtype_atr_matches(atr, 0, dummy_atr, NULL, 0));
}

static void test_supports_all(void)
{
    uint8_t guids[3 * CARDTYPE_GUID_SIZE], wanted[2 * CARDTYPE_GUID_SIZE];
    unsigned int i;

    for (i = 0; i < sizeof(guids); i++) guids[i] = i / CARDTYPE_GUID_SIZE + 1;
    memcpy(wanted, guids + 2 * CARDTYPE_GUID_SIZE, CARDTYPE_GUID_SIZE);     /* the third, then the first */
    memcpy(wanted + CARDTYPE_GUID_SIZE, guids, CARDTYPE_GUID_SIZE);
    CU_ASSERT_TRUE(cardtype_supports_all(guids, sizeof(guids), wanted, 2));
    CU_ASSERT_TRUE(cardtype_supports_all(guids, sizeof(guids), wanted, 1));
    CU_ASSERT_TRUE(cardtype_supports_all(guids, sizeof(guids), wanted, 0));
    CU_ASSERT_TRUE(cardtype_supports_all(NULL, 0, wanted, 0));
    CU_ASSERT_FALSE(cardtype_supports_all(NULL, 0, wanted, 1));
    /* the third GUID cut short is not supported */
    CU_ASSERT_FALSE(cardtype_supports_all(guids, sizeof(guids) - 1, wanted, 1));
    CU_ASSERT_TRUE(cardtype_supports_all(guids, sizeof(guids) - 1, wanted + CARDTYPE_GUID_SIZE, 1));
    wanted[CARDTYPE_GUID_SIZE + 15] ^= 1;
    CU_ASSERT_FALSE(cardtype_supports_all(guids, sizeof(guids), wanted, 2));
}

int main(void)
{
    static const struct cunit_test tests[] =
    {
        {"ATR length from its structure", test_atr_length},
        {"ATR and mask", test_atr_matches},
        {"supported interfaces", test_supports_all},
    };
    static const struct cunit_suite suites[] =
    {
        CUNIT_SUITE("card types", tests),
    };

    return cunit_run(suites, sizeof(suites) / sizeof(suites[0]));
}
