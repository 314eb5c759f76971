/*
 * winscard bridge conformance tests: the smart card database (card types,
 * reader aliases and groups, locating cards), with pyscard's public
 * testcase_listcards vector.  Runs as database_t1.exe, against a T=1
 * virtual card stack (tests/tests.mk).
 *
 * min-checks: 220 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scard_test.h"

static const BYTE dummy_atr[] = { 0x3b, 0x75, 0x94, 0x00, 0x00, 0x62, 0x02, 0x02, 0x01, 0x01 };
static const BYTE dummy_mask[] = { 0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff };
static const GUID guid1 = { 0xad4f1667, 0xea75, 0x4124, { 0x84, 0xd4, 0x64, 0x1b, 0x3b, 0x19, 0x7c, 0x65 } };
static const GUID guid2 = { 0x382ae95a, 0x7c2c, 0x449c, { 0xa1, 0x79, 0x56, 0xc6, 0xde, 0x6f, 0xf3, 0xbc } };
static const GUID guid3 = { 0x11111111, 0x2222, 0x3333, { 0x44, 0x44, 0x55, 0x55, 0x55, 0x55, 0x55, 0x55 } };

static struct stack_info stack;

#define check_multiA(a, b, c) check_multiA_(__LINE__, a, b, c)
static void check_multiA_(unsigned int line, const char *got, DWORD len, const char *expect)
{
    DWORD expect_len = 0;
    const char *p;

    for (p = expect; *p; p += strlen(p) + 1);
    expect_len = p - expect + 1;
    if (expect_len == 1) expect_len = 2;  /* an empty list is two terminators */
    ok_(__FILE__, line)(len == expect_len, "got length %lu, expected %lu.\n", len, expect_len);
    ok_(__FILE__, line)(len == expect_len && !memcmp(got, expect, len), "got %s.\n", got);
}

#define check_multiW(a, b, c) check_multiW_(__LINE__, a, b, c)
static void check_multiW_(unsigned int line, const WCHAR *got, DWORD len, const WCHAR *expect)
{
    DWORD expect_len = 0;
    const WCHAR *p;

    for (p = expect; *p; p += wcslen(p) + 1);
    expect_len = p - expect + 1;
    if (expect_len == 1) expect_len = 2;
    ok_(__FILE__, line)(len == expect_len, "got length %lu, expected %lu.\n", len, expect_len);
    ok_(__FILE__, line)(len == expect_len && !memcmp(got, expect, len * sizeof(WCHAR)), "got %s.\n", debugstr_w(got));
}

static void introduce_dummycard(SCARDCONTEXT context)
{
    GUID interfaces[2] = { guid1, guid2 };
    LONG ret;

    SCardForgetCardTypeA(context, "dummycard");
    ret = SCardIntroduceCardTypeA(context, "dummycard", &guid1, interfaces, 2, dummy_atr, dummy_mask, sizeof(dummy_atr));
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

static void test_registry_layout(void)
{
    BYTE data[64];
    DWORD size, type;
    HKEY key;
    LONG ret;

    ret = RegOpenKeyExA(HKEY_LOCAL_MACHINE, "SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards\\dummycard",
                        0, KEY_READ, &key);
    ok(ret == ERROR_SUCCESS, "got %ld.\n", ret);
    if (ret) return;
    size = sizeof(data);
    ret = RegQueryValueExA(key, "ATR", NULL, &type, data, &size);
    ok(!ret && type == REG_BINARY && size == sizeof(dummy_atr) && !memcmp(data, dummy_atr, size),
       "ATR: %ld, type %lu, size %lu.\n", ret, type, size);
    size = sizeof(data);
    ret = RegQueryValueExA(key, "ATRMask", NULL, &type, data, &size);
    ok(!ret && type == REG_BINARY && size == sizeof(dummy_mask) && !memcmp(data, dummy_mask, size),
       "ATRMask: %ld, type %lu, size %lu.\n", ret, type, size);
    size = sizeof(data);
    ret = RegQueryValueExA(key, "Primary Provider", NULL, &type, data, &size);
    ok(!ret && type == REG_BINARY && size == sizeof(GUID) && !memcmp(data, &guid1, size),
       "Primary Provider: %ld, type %lu, size %lu.\n", ret, type, size);
    size = sizeof(data);
    ret = RegQueryValueExA(key, "Supported Interfaces", NULL, &type, data, &size);
    ok(!ret && type == REG_BINARY && size == 2 * sizeof(GUID) && !memcmp(data, &guid1, sizeof(GUID))
       && !memcmp(data + sizeof(GUID), &guid2, sizeof(GUID)),
       "Supported Interfaces: %ld, type %lu, size %lu.\n", ret, type, size);
    RegCloseKey(key);
}

static void test_list_cards(SCARDCONTEXT context)
{
    BYTE atr[sizeof(dummy_atr)];
    char cards[1024], *autocards = NULL;
    WCHAR cardsW[1024];
    GUID interfaces[2], guids[4], *autoguids = NULL;
    DWORD len;
    LONG ret;

    /* by ATR: exact, then differing where the mask hides it, then where it does not */
    len = sizeof(cards);
    ret = SCardListCardsA(context, dummy_atr, NULL, 0, cards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(cards, len, "dummycard\0");
    memcpy(atr, dummy_atr, sizeof(atr));
    atr[4] = 0x55;
    len = sizeof(cards);
    ret = SCardListCardsA(0, atr, NULL, 0, cards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(cards, len, "dummycard\0");
    atr[4] = 0x00;
    atr[9] = 0x02;
    len = sizeof(cards);
    ret = SCardListCardsA(context, atr, NULL, 0, cards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(cards, len, "\0");

    /* by interfaces: every one given must be supported, in any order */
    interfaces[0] = guid2;
    interfaces[1] = guid1;
    len = sizeof(cards);
    ret = SCardListCardsA(context, NULL, interfaces, 2, cards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(cards, len, "dummycard\0");
    interfaces[1] = guid3;
    len = sizeof(cards);
    ret = SCardListCardsA(context, NULL, interfaces, 2, cards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(cards, len, "\0");
    len = ARRAY_SIZE(cardsW);
    ret = SCardListCardsW(context, dummy_atr, &guid1, 1, cardsW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiW(cardsW, len, L"dummycard\0");

    /* everything: the list holds dummycard (other tests may add their own cards) */
    len = SCARD_AUTOALLOCATE;
    ret = SCardListCardsA(context, NULL, NULL, 0, (char *)&autocards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    if (!ret)
    {
        const char *p;
        BOOL found = FALSE;

        for (p = autocards; *p; p += strlen(p) + 1) if (!strcmp(p, "dummycard")) found = TRUE;
        ok(found, "dummycard not listed.\n");
        ok(len == (DWORD)(p - autocards + 1), "got length %lu.\n", len);
        ret = SCardFreeMemory(context, autocards);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    }

    /* sizes and errors */
    len = 0;
    ret = SCardListCardsA(context, dummy_atr, NULL, 0, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof("dummycard\0"), "got length %lu.\n", len);
    len = 4;
    ret = SCardListCardsA(context, dummy_atr, NULL, 0, cards, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == sizeof("dummycard\0"), "got length %lu.\n", len);
    len = 4;
    ret = SCardListCardsW(context, dummy_atr, NULL, 0, cardsW, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == ARRAY_SIZE(L"dummycard\0"), "got length %lu.\n", len);
    ret = SCardListCardsA(context, dummy_atr, NULL, 0, cards, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    /* a buffer of length 0; SCARD_AUTOALLOCATE in W, and without a pointer to fill */
    len = 0;
    ret = SCardListCardsA(context, dummy_atr, NULL, 0, cards, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == sizeof("dummycard\0"), "got length %lu.\n", len);
    len = 0;
    ret = SCardListCardsW(context, dummy_atr, NULL, 0, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == ARRAY_SIZE(L"dummycard\0"), "got length %lu.\n", len);
    {
        WCHAR *autoW = NULL;

        len = SCARD_AUTOALLOCATE;
        ret = SCardListCardsW(context, dummy_atr, NULL, 0, (WCHAR *)&autoW, &len);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        ok(len == ARRAY_SIZE(L"dummycard\0") && autoW && !memcmp(autoW, L"dummycard\0", sizeof(L"dummycard\0")),
           "got %s, length %lu.\n", debugstr_w(autoW), len);
        ret = SCardFreeMemory(context, autoW);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    }
    len = SCARD_AUTOALLOCATE;
    ret = SCardListCardsA(context, dummy_atr, NULL, 0, NULL, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = sizeof(cards);
    ret = SCardListCardsA(context, NULL, NULL, 1, cards, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardListCardsA(BAD_HANDLE, NULL, NULL, 0, cards, &len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* interfaces of a card */
    len = ARRAY_SIZE(guids);
    memset(guids, 0, sizeof(guids));
    ret = SCardListInterfacesA(context, "dummycard", guids, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == 2 && IsEqualGUID(&guids[0], &guid1) && IsEqualGUID(&guids[1], &guid2), "got %lu interfaces.\n", len);
    len = 0;
    ret = SCardListInterfacesW(context, L"dummycard", NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == 2, "got %lu.\n", len);
    len = 1;
    ret = SCardListInterfacesW(context, L"dummycard", guids, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == 2, "got %lu.\n", len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardListInterfacesW(context, L"dummycard", (GUID *)&autoguids, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == 2 && autoguids && IsEqualGUID(&autoguids[1], &guid2), "got %lu interfaces.\n", len);
    ret = SCardFreeMemory(context, autoguids);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = ARRAY_SIZE(guids);
    ret = SCardListInterfacesA(context, "nosuchcard", guids, &len);
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardListInterfacesA(context, "dummycard", guids, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = 0;
    ret = SCardListInterfacesA(context, "dummycard", guids, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == 2, "got %lu.\n", len);
    autoguids = NULL;
    len = SCARD_AUTOALLOCATE;
    ret = SCardListInterfacesA(context, "dummycard", (GUID *)&autoguids, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == 2 && autoguids && IsEqualGUID(&autoguids[0], &guid1), "got %lu interfaces.\n", len);
    ret = SCardFreeMemory(context, autoguids);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = SCARD_AUTOALLOCATE;
    ret = SCardListInterfacesW(context, L"dummycard", NULL, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
}

static void test_providers(SCARDCONTEXT context)
{
    static const char guid1_str[] = "{AD4F1667-EA75-4124-84D4-641B3B197C65}";
    char name[256], *autoname = NULL;
    WCHAR nameW[256];
    GUID guid;
    DWORD len;
    LONG ret;

    memset(&guid, 0, sizeof(guid));
    ret = SCardGetProviderIdA(context, "dummycard", &guid);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(IsEqualGUID(&guid, &guid1), "wrong GUID.\n");
    memset(&guid, 0, sizeof(guid));
    ret = SCardGetProviderIdW(0, L"dummycard", &guid);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(IsEqualGUID(&guid, &guid1), "wrong GUID.\n");
    ret = SCardGetProviderIdA(context, "nosuchcard", &guid);
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardGetProviderIdA(context, "dummycard", NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardGetProviderIdA(BAD_HANDLE, "dummycard", &guid);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* the primary provider as a string; no CSP yet (pyscard sees 2 on Windows) */
    len = sizeof(name);
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_PRIMARY, name, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof(guid1_str) && !strcmp(name, guid1_str), "got %s, length %lu.\n", name, len);
    len = ARRAY_SIZE(nameW);
    ret = SCardGetCardTypeProviderNameW(context, L"dummycard", SCARD_PROVIDER_PRIMARY, nameW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof(guid1_str) && !wcscmp(nameW, wide(guid1_str)), "got %s.\n", debugstr_w(nameW));
    len = sizeof(name);
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, name, &len);
    ok(ret == ERROR_FILE_NOT_FOUND, "got %#lx.\n", ret);

    ret = SCardSetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, "Bridge Test CSP");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardSetCardTypeProviderNameW(context, L"dummycard", SCARD_PROVIDER_KSP, L"Bridge Test KSP");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardSetCardTypeProviderNameW(context, L"dummycard", SCARD_PROVIDER_CARD_MODULE, L"bridgetest.dll");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardSetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_PRIMARY, guid1_str);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardSetCardTypeProviderNameA(context, "dummycard", 5, "x");
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardSetCardTypeProviderNameA(context, "nosuchcard", SCARD_PROVIDER_CSP, "x");
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardSetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    len = sizeof(name);
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, name, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof("Bridge Test CSP") && !strcmp(name, "Bridge Test CSP"), "got %s.\n", name);
    len = 3;
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, name, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == sizeof("Bridge Test CSP"), "got length %lu.\n", len);
    len = 0;
    ret = SCardGetCardTypeProviderNameW(context, L"dummycard", SCARD_PROVIDER_KSP, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == ARRAY_SIZE(L"Bridge Test KSP"), "got length %lu.\n", len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CARD_MODULE, (char *)&autoname, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(autoname && !strcmp(autoname, "bridgetest.dll") && len == sizeof("bridgetest.dll"), "got %s.\n", autoname);
    ret = SCardFreeMemory(context, autoname);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    {
        WCHAR *autonameW = NULL;

        len = SCARD_AUTOALLOCATE;
        ret = SCardGetCardTypeProviderNameW(context, L"dummycard", SCARD_PROVIDER_KSP, (WCHAR *)&autonameW, &len);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        ok(autonameW && !wcscmp(autonameW, L"Bridge Test KSP") && len == ARRAY_SIZE(L"Bridge Test KSP"),
           "got %s, length %lu.\n", debugstr_w(autonameW), len);
        ret = SCardFreeMemory(context, autonameW);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    }
    len = 0;
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, name, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == sizeof("Bridge Test CSP"), "got length %lu.\n", len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, NULL, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = sizeof(name);
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", 5, name, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardGetCardTypeProviderNameA(context, "nosuchcard", SCARD_PROVIDER_CSP, name, &len);
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardGetCardTypeProviderNameA(context, "dummycard", SCARD_PROVIDER_CSP, name, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
}

/* UTF-16 names outward, ANSI (the process code page) for A */
static void test_unicode_names(SCARDCONTEXT context)
{
    static const BYTE atr[] = { 0x3b, 0x02, 0x14, 0x50 };
    static const WCHAR name[] = L"bridge-\x00e9t\x00e9-\x4e2d\x6587";
    char nameA[64], cards[128], expectA[70];
    WCHAR cardsW[64], expectW[64];
    DWORD len, count;
    LONG ret;

    ret = SCardIntroduceCardTypeW(context, name, NULL, NULL, 0, atr, NULL, sizeof(atr));
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    len = ARRAY_SIZE(cardsW);
    ret = SCardListCardsW(context, atr, NULL, 0, cardsW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    memset(expectW, 0, sizeof(expectW));
    wcscpy(expectW, name);
    check_multiW(cardsW, len, expectW);

    memset(expectA, 0, sizeof(expectA));
    WideCharToMultiByte(CP_ACP, 0, name, -1, expectA, sizeof(expectA) - 1, NULL, NULL);
    len = sizeof(cards);
    ret = SCardListCardsA(context, atr, NULL, 0, cards, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(cards, len, expectA);

    /* the A name of a card reaches the same card when the code page holds it */
    strcpy(nameA, expectA);
    count = 5;
    ret = SCardListInterfacesA(context, nameA, NULL, &count);
    ok(ret == (strchr(nameA, '?') ? SCARD_E_UNKNOWN_CARD : SCARD_S_SUCCESS), "got %#lx for %s.\n", ret, nameA);
    count = 5;
    ret = SCardListInterfacesW(context, name, NULL, &count);
    ok(ret == SCARD_S_SUCCESS && count == 0, "got %#lx, count %lu.\n", ret, count);

    ret = SCardForgetCardTypeW(context, name);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

static void test_introduce_errors(SCARDCONTEXT context)
{
    LONG ret;

    ret = SCardIntroduceCardTypeA(context, NULL, NULL, NULL, 0, dummy_atr, NULL, sizeof(dummy_atr));
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceCardTypeA(context, "bridge-bad", NULL, NULL, 0, NULL, NULL, sizeof(dummy_atr));
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceCardTypeA(context, "bridge-bad", NULL, NULL, 0, dummy_atr, NULL, 0);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceCardTypeA(context, "bridge-bad", NULL, NULL, 0, dummy_atr, NULL, 37);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceCardTypeA(context, "bridge-bad", NULL, NULL, 2, dummy_atr, NULL, sizeof(dummy_atr));
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceCardTypeA(context, "bad\\name", NULL, NULL, 0, dummy_atr, NULL, sizeof(dummy_atr));
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceCardTypeW(BAD_HANDLE, L"bridge-bad", NULL, NULL, 0, dummy_atr, NULL, sizeof(dummy_atr));
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardForgetCardTypeA(context, "bridge-bad");
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardForgetCardTypeA(context, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardForgetCardTypeW(BAD_HANDLE, L"dummycard");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
}

static void test_locate(SCARDCONTEXT context)
{
    SCARD_READERSTATEA states[2];
    SCARD_READERSTATEW statesW[1];
    SCARD_ATRMASK masks[2];
    DWORD count = stack.empty_reader[0] ? 2 : 1;
    LONG ret;

    /* a card type for the virtual card's ATR */
    ret = SCardIntroduceCardTypeW(context, L"bridge-vcard", NULL, &guid3, 1, stack.atr, NULL, stack.atr_len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    memset(states, 0, sizeof(states));
    states[0].szReader = stack.card_reader;
    states[1].szReader = stack.empty_reader;
    ret = SCardLocateCardsA(context, "dummycard\0bridge-vcard\0", states, count);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok((states[0].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_PRESENT | SCARD_STATE_ATRMATCH),
       "got state %#lx.\n", states[0].dwEventState);
    ok(states[0].cbAtr == stack.atr_len && !memcmp(states[0].rgbAtr, stack.atr, stack.atr_len), "ATR differs.\n");
    if (count == 2)
        ok((states[1].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_EMPTY),
           "got state %#lx.\n", states[1].dwEventState);

    /* the caller knew the state already: no CHANGED; dummycard alone does not match */
    states[0].dwCurrentState = states[0].dwEventState & ~(SCARD_STATE_CHANGED | SCARD_STATE_ATRMATCH);
    ret = SCardLocateCardsA(context, "dummycard\0", states, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(states[0].dwEventState == states[0].dwCurrentState, "got state %#lx, current %#lx.\n",
       states[0].dwEventState, states[0].dwCurrentState);
    /* with the match, the state differs again */
    ret = SCardLocateCardsA(context, "bridge-vcard\0", states, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(states[0].dwEventState == (states[0].dwCurrentState | SCARD_STATE_ATRMATCH | SCARD_STATE_CHANGED),
       "got state %#lx.\n", states[0].dwEventState);

    memset(statesW, 0, sizeof(statesW));
    statesW[0].szReader = wide(stack.card_reader);
    ret = SCardLocateCardsW(0, L"bridge-vcard\0", statesW, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(statesW[0].dwEventState & SCARD_STATE_ATRMATCH, "got state %#lx.\n", statesW[0].dwEventState);

    ret = SCardLocateCardsA(context, "nosuchcard\0", states, 1);
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardLocateCardsA(context, NULL, states, 1);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardLocateCardsA(context, "bridge-vcard\0", NULL, 1);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardLocateCardsA(BAD_HANDLE, "bridge-vcard\0", states, 1);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* by ATR and mask */
    memset(masks, 0, sizeof(masks));
    masks[0].cbAtr = sizeof(dummy_atr);
    memcpy(masks[0].rgbAtr, dummy_atr, sizeof(dummy_atr));
    memcpy(masks[0].rgbMask, dummy_mask, sizeof(dummy_mask));
    masks[1].cbAtr = stack.atr_len;
    memcpy(masks[1].rgbAtr, stack.atr, stack.atr_len);
    memset(masks[1].rgbMask, 0xff, stack.atr_len);
    masks[1].rgbMask[1] = 0;          /* T0 hidden */
    masks[1].rgbAtr[1] ^= 0xff;
    memset(states, 0, sizeof(states));
    states[0].szReader = stack.card_reader;
    states[1].szReader = stack.empty_reader;
    ret = SCardLocateCardsByATRA(context, masks, 2, states, count);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok((states[0].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_PRESENT | SCARD_STATE_ATRMATCH),
       "got state %#lx.\n", states[0].dwEventState);
    if (count == 2) ok(!(states[1].dwEventState & SCARD_STATE_ATRMATCH), "got state %#lx.\n", states[1].dwEventState);
    memset(statesW, 0, sizeof(statesW));
    statesW[0].szReader = wide(stack.card_reader);
    ret = SCardLocateCardsByATRW(context, masks, 1, statesW, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok((statesW[0].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_PRESENT),
       "got state %#lx.\n", statesW[0].dwEventState);
    masks[0].cbAtr = 37;
    ret = SCardLocateCardsByATRA(context, masks, 1, states, 1);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardLocateCardsByATRA(context, NULL, 1, states, 1);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardLocateCardsByATRW(BAD_HANDLE, masks, 0, statesW, 1);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    ret = SCardForgetCardTypeW(context, L"bridge-vcard");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

/* pyscard's testcase_readergroups, with exact values */
static void test_reader_groups(SCARDCONTEXT context)
{
    static const char group[] = "SCard$BridgeTestGroup";
    char alias[300], expect[600], buffer[1024], names[600];
    WCHAR bufferW[1024];
    SCARDHANDLE card;
    DWORD len, protocol, state, type;
    HKEY key;
    LONG ret;

    snprintf(alias, sizeof(alias), "%s alias", stack.card_reader);

    ret = SCardIntroduceReaderGroupA(context, group);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    /* a group without readers is not listed */
    len = sizeof(buffer);
    ret = SCardListReaderGroupsA(context, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(buffer, len, "SCard$DefaultReaders\0");

    ret = SCardIntroduceReaderA(context, alias, stack.card_reader);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardIntroduceReaderA(context, alias, stack.card_reader);
    ok(ret == SCARD_E_DUPLICATE_READER, "got %#lx.\n", ret);
    ret = SCardAddReaderToGroupA(context, alias, group);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardAddReaderToGroupA(context, alias, group);
    ok(ret == SCARD_S_SUCCESS, "adding twice: got %#lx.\n", ret);

    /* the registry: one reader list for both architectures */
    snprintf(buffer, sizeof(buffer), "SOFTWARE\\Microsoft\\Cryptography\\Calais\\Readers\\%s", alias);
    ret = RegOpenKeyExA(HKEY_LOCAL_MACHINE, buffer, 0, KEY_READ | KEY_WOW64_64KEY, &key);
    ok(ret == ERROR_SUCCESS, "got %ld.\n", ret);
    if (!ret)
    {
        len = sizeof(names);
        ret = RegQueryValueExA(key, "Device", NULL, &type, (BYTE *)names, &len);
        ok(!ret && type == REG_SZ && !strcmp(names, stack.card_reader), "Device: %ld, type %lu, %s.\n", ret, type, names);
        len = sizeof(names);
        memset(names, 0, sizeof(names));
        ret = RegQueryValueExA(key, "Groups", NULL, &type, (BYTE *)names, &len);
        ok(!ret && type == REG_MULTI_SZ, "Groups: %ld, type %lu.\n", ret, type);
        check_multiA(names, len, "SCard$DefaultReaders\0SCard$BridgeTestGroup\0");
        RegCloseKey(key);
    }

    len = sizeof(buffer);
    ret = SCardListReaderGroupsA(context, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(buffer, len, "SCard$DefaultReaders\0SCard$BridgeTestGroup\0");
    len = ARRAY_SIZE(bufferW);
    ret = SCardListReaderGroupsW(context, bufferW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiW(bufferW, len, L"SCard$DefaultReaders\0SCard$BridgeTestGroup\0");

    /* the readers of the group: the alias */
    len = sizeof(buffer);
    ret = SCardListReadersA(context, "SCard$BridgeTestGroup\0", buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    memset(expect, 0, sizeof(expect));
    strcpy(expect, alias);
    check_multiA(buffer, len, expect);
    len = ARRAY_SIZE(bufferW);
    ret = SCardListReadersW(context, L"SCard$BridgeTestGroup\0", bufferW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == strlen(alias) + 2 && !wcscmp(bufferW, wide(alias)) && !bufferW[len - 1], "got %s.\n", debugstr_w(bufferW));
    /* all readers: the real ones, then the alias */
    len = sizeof(buffer);
    ret = SCardListReadersA(context, NULL, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    memcpy(expect, stack.readers, stack.readers_len - 1);
    strcpy(expect + stack.readers_len - 1, alias);
    expect[stack.readers_len + strlen(alias)] = 0;
    check_multiA(buffer, len, expect);

    /* the alias works as a reader name, and SCardStatus reports every name */
    ret = SCardConnectA(context, alias, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    if (!ret)
    {
        len = sizeof(buffer);
        ret = SCardStatusA(card, buffer, &len, &state, NULL, NULL, NULL);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        memset(names, 0, sizeof(names));
        strcpy(names, stack.card_reader);
        strcpy(names + strlen(stack.card_reader) + 1, alias);
        check_multiA(buffer, len, names);
        SCardDisconnect(card, SCARD_LEAVE_CARD);
    }

    ret = SCardRemoveReaderFromGroupA(context, alias, group);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = sizeof(buffer);
    ret = SCardListReaderGroupsA(context, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(buffer, len, "SCard$DefaultReaders\0");
    len = sizeof(buffer);
    ret = SCardListReadersA(context, "SCard$BridgeTestGroup\0", buffer, &len);
    ok(ret == SCARD_E_NO_READERS_AVAILABLE, "got %#lx.\n", ret);

    /* forgetting a group takes its readers out of it */
    ret = SCardAddReaderToGroupW(context, wide(alias), L"SCard$BridgeTestGroup");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardForgetReaderGroupA(context, group);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = sizeof(buffer);
    ret = SCardListReadersA(context, "SCard$BridgeTestGroup\0", buffer, &len);
    ok(ret == SCARD_E_NO_READERS_AVAILABLE, "got %#lx.\n", ret);

    ret = SCardForgetReaderA(context, alias);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardForgetReaderA(context, alias);
    ok(ret == SCARD_E_UNKNOWN_READER, "got %#lx.\n", ret);
    len = sizeof(buffer);
    ret = SCardListReadersA(context, NULL, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_multiA(buffer, len, stack.readers);

    /* a real reader can join a group without being introduced */
    ret = SCardAddReaderToGroupW(context, wide(stack.card_reader), L"SCard$BridgeTestGroup");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = sizeof(buffer);
    ret = SCardListReadersA(context, "SCard$BridgeTestGroup\0", buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    memset(expect, 0, sizeof(expect));
    strcpy(expect, stack.card_reader);
    check_multiA(buffer, len, expect);
    ret = SCardForgetReaderW(context, wide(stack.card_reader));
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    /* the same with the W functions */
    snprintf(alias, sizeof(alias), "%s aliasW", stack.card_reader);
    ret = SCardIntroduceReaderGroupW(context, L"SCard$BridgeTestGroupW");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardIntroduceReaderW(context, wide(alias), wide(stack.card_reader));
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardAddReaderToGroupW(context, wide(alias), L"SCard$BridgeTestGroupW");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = ARRAY_SIZE(bufferW);
    ret = SCardListReadersW(context, L"SCard$BridgeTestGroupW\0", bufferW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == strlen(alias) + 2 && !wcscmp(bufferW, wide(alias)), "got %s.\n", debugstr_w(bufferW));
    ret = SCardRemoveReaderFromGroupW(context, wide(alias), L"SCard$BridgeTestGroupW");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = ARRAY_SIZE(bufferW);
    ret = SCardListReadersW(context, L"SCard$BridgeTestGroupW\0", bufferW, &len);
    ok(ret == SCARD_E_NO_READERS_AVAILABLE, "got %#lx.\n", ret);
    ret = SCardForgetReaderGroupW(context, L"SCard$BridgeTestGroupW");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardForgetReaderW(context, wide(alias));
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardForgetReaderW(context, wide(alias));
    ok(ret == SCARD_E_UNKNOWN_READER, "got %#lx.\n", ret);

    /* errors */
    ret = SCardAddReaderToGroupA(context, "No Such Reader 00 00", group);
    ok(ret == SCARD_E_UNKNOWN_READER, "got %#lx.\n", ret);
    ret = SCardRemoveReaderFromGroupA(context, "No Such Reader 00 00", group);
    ok(ret == SCARD_E_UNKNOWN_READER, "got %#lx.\n", ret);
    ret = SCardIntroduceReaderGroupA(context, "");
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardIntroduceReaderGroupW(BAD_HANDLE, L"x");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardIntroduceReaderA(context, "bridge alias", NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardForgetReaderGroupW(BAD_HANDLE, L"x");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardIntroduceReaderW(BAD_HANDLE, L"x", L"y");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardForgetReaderW(BAD_HANDLE, L"x");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardAddReaderToGroupW(BAD_HANDLE, L"x", L"y");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardRemoveReaderFromGroupW(BAD_HANDLE, L"x", L"y");
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
}

START_TEST(database)
{
    SCARDCONTEXT context;
    LONG ret;

    /* run-wine started a stack for this program: no stack or no service is a failure */
    if (!stack_protocol()) return;
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    if (ret) return;

    lock_card_database();
    introduce_dummycard(context);
    test_registry_layout();
    test_list_cards(context);
    test_providers(context);
    test_introduce_errors(context);
    test_unicode_names(context);

    if (find_stack(context, &stack))
    {
        test_locate(context);
        test_reader_groups(context);
    }
    else ok(0, "no reader with a card in the test stack.\n");

    ret = SCardForgetCardTypeA(context, "dummycard");
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardForgetCardTypeA(context, "dummycard");
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    ret = SCardListInterfacesA(context, "dummycard", NULL, &(DWORD){ 0 });
    ok(ret == SCARD_E_UNKNOWN_CARD, "got %#lx.\n", ret);
    unlock_card_database();

    ret = SCardReleaseContext(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}
