/*
 * Conformance tests of the winscard bridge: contexts, readers, cards.
 * Run as bridge_t0.exe and bridge_t1.exe: tests/run-wine starts a private
 * stack of that personality (tools/stack), which the program reads from
 * the stack (test_protocol).
 *
 * min-checks: 455 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scard_test.h"

static struct stack_info stack;
static DWORD test_protocol;   /* the virtual card's personality, SCARD_PROTOCOL_T0 or _T1 */

static const BYTE get_challenge[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };
/* READ BINARY of EF 0001 by its SFI: 16 bytes 00 .. 0F (vcard/README.md) */
static const BYTE read_binary[] = { 0x00, 0xb0, 0x81, 0x00, 0x10 };

static const SCARD_IO_REQUEST *test_pci(void)
{
    return test_protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
}

#define connect_card(a, b, c) connect_card_(__LINE__, a, b, c)
static SCARDHANDLE connect_card_(unsigned int line, SCARDCONTEXT context, DWORD share, LONG expect)
{
    SCARDHANDLE card = 0;
    DWORD protocol = 0xdeadbeef;
    LONG ret;

    ret = SCardConnectA(context, stack.card_reader, share, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    ok_(__FILE__, line)(ret == expect, "SCardConnectA returned %#lx, expected %#lx.\n", ret, expect);
    if (!ret)
        ok_(__FILE__, line)(protocol == test_protocol, "got protocol %#lx.\n", protocol);
    return ret ? 0 : card;
}

#define check_challenge(a, b) check_challenge_(__LINE__, a, b)
static void check_challenge_(unsigned int line, SCARDHANDLE card, LONG expect)
{
    SCARD_IO_REQUEST recv_pci = { 0xdead, 0xbeef };
    BYTE response[258];
    DWORD len = sizeof(response);
    LONG ret;

    memset(response, 0xcc, sizeof(response));
    ret = SCardTransmit(card, test_pci(), get_challenge, sizeof(get_challenge), &recv_pci, response, &len);
    ok_(__FILE__, line)(ret == expect, "SCardTransmit returned %#lx, expected %#lx.\n", ret, expect);
    if (ret) return;
    ok_(__FILE__, line)(len == 10, "got length %lu.\n", len);
    ok_(__FILE__, line)(response[8] == 0x90 && response[9] == 0x00, "got SW %02x %02x.\n", response[8], response[9]);
    ok_(__FILE__, line)(response[10] == 0xcc, "wrote past the response.\n");
    ok_(__FILE__, line)(recv_pci.dwProtocol == test_protocol, "got recv protocol %#lx.\n", recv_pci.dwProtocol);
    ok_(__FILE__, line)(recv_pci.cbPciLength == sizeof(SCARD_IO_REQUEST), "got recv pci length %lu.\n",
                        recv_pci.cbPciLength);
}

/* READ BINARY with the PCI given (NULL: the connection's protocol) and its
 * exact reply */
#define check_read_binary(a, b) check_read_binary_(__LINE__, a, b)
static void check_read_binary_(unsigned int line, SCARDHANDLE card, const SCARD_IO_REQUEST *pci)
{
    SCARD_IO_REQUEST recv_pci = { 0xdead, 0xbeef };
    BYTE response[258];
    DWORD len = sizeof(response), i;
    BOOL same = TRUE;
    LONG ret;

    memset(response, 0xcc, sizeof(response));
    ret = SCardTransmit(card, pci, read_binary, sizeof(read_binary), &recv_pci, response, &len);
    ok_(__FILE__, line)(ret == SCARD_S_SUCCESS, "SCardTransmit returned %#lx.\n", ret);
    if (ret) return;
    for (i = 0; i < 16; i++) if (response[i] != i) same = FALSE;
    ok_(__FILE__, line)(len == 18 && same && response[16] == 0x90 && response[17] == 0x00 && response[18] == 0xcc,
                        "got length %lu, %02x %02x .. %02x %02x %02x.\n", len, response[0], response[1],
                        response[15], response[16], response[17]);
    ok_(__FILE__, line)(recv_pci.dwProtocol == (pci ? pci->dwProtocol : test_protocol)
                        && recv_pci.cbPciLength == sizeof(recv_pci), "got recv pci %#lx %lu.\n",
                        recv_pci.dwProtocol, recv_pci.cbPciLength);
}

struct transmit_args
{
    SCARDHANDLE card;
    LONG ret;
    DWORD len;
};

static DWORD WINAPI transmit_thread(void *arg)
{
    struct transmit_args *args = arg;
    BYTE response[258];

    args->len = sizeof(response);
    args->ret = SCardTransmit(args->card, test_pci(), get_challenge, sizeof(get_challenge), NULL, response,
                              &args->len);
    return 0;
}

static void test_pci_exports(void)
{
    ok(g_rgSCardT0Pci.dwProtocol == SCARD_PROTOCOL_T0 && g_rgSCardT0Pci.cbPciLength == 8,
       "T0 pci %#lx %lu.\n", g_rgSCardT0Pci.dwProtocol, g_rgSCardT0Pci.cbPciLength);
    ok(g_rgSCardT1Pci.dwProtocol == SCARD_PROTOCOL_T1 && g_rgSCardT1Pci.cbPciLength == 8,
       "T1 pci %#lx %lu.\n", g_rgSCardT1Pci.dwProtocol, g_rgSCardT1Pci.cbPciLength);
    ok(g_rgSCardRawPci.dwProtocol == SCARD_PROTOCOL_RAW && g_rgSCardRawPci.cbPciLength == 8,
       "RAW pci %#lx %lu.\n", g_rgSCardRawPci.dwProtocol, g_rgSCardRawPci.cbPciLength);
    ok(sizeof(SCARD_IO_REQUEST) == 8, "SCARD_IO_REQUEST is %u bytes.\n", (unsigned int)sizeof(SCARD_IO_REQUEST));
    ok(sizeof(SCARD_READERSTATEA) == (sizeof(void *) == 8 ? 64 : 56), "SCARD_READERSTATEA is %u bytes.\n",
       (unsigned int)sizeof(SCARD_READERSTATEA));
}

static void test_context(void)
{
    SCARDCONTEXT context, context2;
    LONG ret;

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    context = 0xdeadbeef;
    ret = SCardEstablishContext(3, NULL, NULL, &context);
    ok(ret == SCARD_E_INVALID_VALUE, "got %#lx.\n", ret);
    ok(context == 0xdeadbeef, "context changed to %#Ix.\n", context);

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &context2);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(context && context2 && context != context2, "contexts %#Ix %#Ix.\n", context, context2);

    ret = SCardIsValidContext(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardIsValidContext(0);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardIsValidContext(BAD_HANDLE);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardIsValidContext(context + 0x4000);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    ret = SCardReleaseContext(context2);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardIsValidContext(context2);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardReleaseContext(context2);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardReleaseContext(BAD_HANDLE);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardCancel(BAD_HANDLE);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardCancel(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardCancel(0);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardReleaseContext(0);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    ret = SCardReleaseContext(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardIsValidContext(context);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
}

static void test_list_readers(SCARDCONTEXT context)
{
    char readersA[1024], *autoA = NULL;
    WCHAR readersW[1024], *autoW = NULL;
    DWORD len, lenW;
    const char *p;
    unsigned int count = 0;
    LONG ret;

    lock_card_database();

    ret = SCardListReadersA(context, NULL, NULL, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardListReadersA(BAD_HANDLE, NULL, NULL, &len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardListReadersA(context, NULL, readersA, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    /* the sizing call: a NULL buffer, whatever the length says */
    len = 0;
    ret = SCardListReadersA(context, NULL, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len, "got length %lu, expected %lu.\n", len, stack.readers_len);
    /* a buffer of length 0 is too small */
    memset(readersA, 0xcc, sizeof(readersA));
    len = 0;
    ret = SCardListReadersA(context, NULL, readersA, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == stack.readers_len, "got length %lu.\n", len);
    ok((BYTE)readersA[0] == 0xcc, "buffer written.\n");
    /* exactly the size asked */
    len = stack.readers_len;
    ret = SCardListReadersA(context, NULL, readersA, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len && !memcmp(readersA, stack.readers, len), "readers differ, length %lu.\n", len);

    len = 0xdeadbeef;
    ret = SCardListReadersA(context, NULL, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len, "got length %lu, expected %lu.\n", len, stack.readers_len);

    memset(readersA, 0xcc, sizeof(readersA));
    len = stack.readers_len - 1;
    ret = SCardListReadersA(context, NULL, readersA, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == stack.readers_len, "got length %lu.\n", len);
    ok((BYTE)readersA[0] == 0xcc, "buffer written.\n");

    len = sizeof(readersA);
    ret = SCardListReadersA(context, NULL, readersA, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len, "got length %lu.\n", len);
    ok(!memcmp(readersA, stack.readers, len), "readers differ.\n");
    ok(!readersA[len - 1] && !readersA[len - 2], "not double-null terminated.\n");
    for (p = readersA; *p; p += strlen(p) + 1) count++;
    ok(count == 1 || count == 2, "got %u readers.\n", count);

    /* a NULL context lists the same readers */
    len = sizeof(readersA);
    ret = SCardListReadersA(0, NULL, readersA, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len && !memcmp(readersA, stack.readers, len), "readers differ.\n");

    len = SCARD_AUTOALLOCATE;
    ret = SCardListReadersA(context, NULL, (char *)&autoA, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len, "got length %lu.\n", len);
    ok(autoA && !memcmp(autoA, stack.readers, len), "readers differ.\n");
    ret = SCardFreeMemory(context, autoA);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = SCARD_AUTOALLOCATE;
    ret = SCardListReadersA(context, NULL, NULL, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    /* W: the same names, lengths in characters */
    lenW = 0;
    ret = SCardListReadersW(context, NULL, NULL, &lenW);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(lenW == stack.readers_len, "got length %lu.\n", lenW);
    lenW = ARRAY_SIZE(readersW);
    ret = SCardListReadersW(context, NULL, readersW, &lenW);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(!wcscmp(readersW, wide(stack.readers)), "got %s.\n", debugstr_w(readersW));
    ok(!readersW[lenW - 1] && !readersW[lenW - 2], "not double-null terminated.\n");
    lenW = 3;
    ret = SCardListReadersW(context, NULL, readersW, &lenW);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(lenW == stack.readers_len, "got length %lu.\n", lenW);
    lenW = SCARD_AUTOALLOCATE;
    ret = SCardListReadersW(context, NULL, (WCHAR *)&autoW, &lenW);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(autoW && !wcscmp(autoW, wide(stack.readers)), "got %s.\n", debugstr_w(autoW));
    ret = SCardFreeMemory(0, autoW);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    lenW = SCARD_AUTOALLOCATE;
    ret = SCardListReadersW(context, NULL, NULL, &lenW);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    lenW = 0;
    ret = SCardListReadersW(context, NULL, readersW, &lenW);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(lenW == stack.readers_len, "got length %lu.\n", lenW);
    ret = SCardListReadersW(context, NULL, readersW, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    /* groups */
    len = sizeof(readersA);
    ret = SCardListReadersA(context, "SCard$AllReaders\0", readersA, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.readers_len && !memcmp(readersA, stack.readers, len), "readers differ.\n");
    lenW = ARRAY_SIZE(readersW);
    ret = SCardListReadersW(context, L"SCard$NoSuchGroup\0SCard$DefaultReaders\0", readersW, &lenW);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(lenW == stack.readers_len, "got length %lu.\n", lenW);
    len = sizeof(readersA);
    ret = SCardListReadersA(context, "SCard$NoSuchGroup\0", readersA, &len);
    ok(ret == SCARD_E_NO_READERS_AVAILABLE, "got %#lx.\n", ret);

    unlock_card_database();
}

static void test_list_reader_groups(SCARDCONTEXT context)
{
    char groups[256], *autoA = NULL;
    WCHAR groupsW[256], *autoW = NULL;
    DWORD len;
    LONG ret;

    lock_card_database();

    ret = SCardListReaderGroupsA(context, groups, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = sizeof(groups);
    ret = SCardListReaderGroupsA(BAD_HANDLE, groups, &len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    len = 0;
    ret = SCardListReaderGroupsA(context, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof("SCard$DefaultReaders\0"), "got length %lu.\n", len);
    len = 5;
    ret = SCardListReaderGroupsA(context, groups, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == sizeof("SCard$DefaultReaders\0"), "got length %lu.\n", len);
    len = sizeof(groups);
    ret = SCardListReaderGroupsA(context, groups, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof("SCard$DefaultReaders\0") && !memcmp(groups, "SCard$DefaultReaders\0", len),
       "got %s, length %lu.\n", groups, len);
    len = sizeof("SCard$DefaultReaders\0");
    memset(groups, 0xcc, sizeof(groups));
    ret = SCardListReaderGroupsA(context, groups, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == sizeof("SCard$DefaultReaders\0") && !memcmp(groups, "SCard$DefaultReaders\0", len),
       "got %s, length %lu.\n", groups, len);
    len = 0;
    ret = SCardListReaderGroupsA(context, groups, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == sizeof("SCard$DefaultReaders\0"), "got length %lu.\n", len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardListReaderGroupsA(context, NULL, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    len = SCARD_AUTOALLOCATE;
    ret = SCardListReaderGroupsA(0, (char *)&autoA, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(autoA && !strcmp(autoA, "SCard$DefaultReaders"), "got %s.\n", autoA);
    ret = SCardFreeMemory(0, autoA);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    len = 0;
    ret = SCardListReaderGroupsW(context, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == ARRAY_SIZE(L"SCard$DefaultReaders\0"), "got length %lu.\n", len);
    ret = SCardListReaderGroupsW(context, groupsW, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = ARRAY_SIZE(groupsW);
    ret = SCardListReaderGroupsW(context, groupsW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == ARRAY_SIZE(L"SCard$DefaultReaders\0") && !memcmp(groupsW, L"SCard$DefaultReaders\0", len * sizeof(WCHAR)),
       "got %s, length %lu.\n", debugstr_w(groupsW), len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardListReaderGroupsW(context, (WCHAR *)&autoW, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(autoW && !wcscmp(autoW, L"SCard$DefaultReaders"), "got %s.\n", debugstr_w(autoW));
    ret = SCardFreeMemory(context, autoW);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    unlock_card_database();
}

static void test_status_change(SCARDCONTEXT context)
{
    SCARD_READERSTATEA statesA[3];
    SCARD_READERSTATEW statesW[2];
    DWORD count = stack.empty_reader[0] ? 2 : 1;
    LONG ret;

    memset(statesA, 0, sizeof(statesA));
    statesA[0].szReader = stack.card_reader;
    statesA[0].pvUserData = (void *)0x1234;
    statesA[1].szReader = stack.empty_reader;
    ret = SCardGetStatusChangeA(context, 0, statesA, count);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok((statesA[0].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_PRESENT),
       "got state %#lx.\n", statesA[0].dwEventState);
    ok(statesA[0].dwCurrentState == SCARD_STATE_UNAWARE, "current state changed to %#lx.\n", statesA[0].dwCurrentState);
    ok(statesA[0].pvUserData == (void *)0x1234, "user data changed.\n");
    ok(statesA[0].szReader == stack.card_reader, "reader changed.\n");
    ok(statesA[0].cbAtr == stack.atr_len && !memcmp(statesA[0].rgbAtr, stack.atr, stack.atr_len), "ATR differs.\n");
    if (count == 2)
    {
        ok((statesA[1].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_EMPTY),
           "got state %#lx.\n", statesA[1].dwEventState);
        ok(statesA[1].cbAtr == 0, "got ATR length %lu.\n", statesA[1].cbAtr);
    }

    /* nothing changed: a zero timeout times out */
    statesA[0].dwCurrentState = statesA[0].dwEventState & ~SCARD_STATE_CHANGED;
    statesA[1].dwCurrentState = statesA[1].dwEventState & ~SCARD_STATE_CHANGED;
    ret = SCardGetStatusChangeA(context, 0, statesA, count);
    ok(ret == SCARD_E_TIMEOUT, "got %#lx.\n", ret);
    ret = SCardGetStatusChangeA(context, 50, statesA, count);
    ok(ret == SCARD_E_TIMEOUT, "got %#lx.\n", ret);

    memset(statesW, 0, sizeof(statesW));
    statesW[0].szReader = wide(stack.card_reader);
    statesW[0].dwCurrentState = SCARD_STATE_EMPTY;
    ret = SCardGetStatusChangeW(context, 1000, statesW, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok((statesW[0].dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_PRESENT),
       "got state %#lx.\n", statesW[0].dwEventState);
    ok(statesW[0].cbAtr == stack.atr_len && !memcmp(statesW[0].rgbAtr, stack.atr, stack.atr_len), "ATR differs.\n");

    /* the Plug and Play pseudo reader: the high word counts the readers */
    memset(statesA, 0, sizeof(statesA));
    statesA[0].szReader = "\\\\?PnP?\\Notification";
    ret = SCardGetStatusChangeA(context, 0, statesA, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(statesA[0].dwEventState == (SCARD_STATE_CHANGED | (count << 16)), "got state %#lx.\n", statesA[0].dwEventState);
    statesA[0].dwCurrentState = count << 16;
    ret = SCardGetStatusChangeA(context, 10, statesA, 1);
    ok(ret == SCARD_E_TIMEOUT, "got %#lx.\n", ret);

    /* with a reader: an ATR length given in is no input */
    memset(statesA, 0, sizeof(statesA));
    statesA[0].szReader = "\\\\?PnP?\\Notification";
    statesA[1].szReader = stack.card_reader;
    statesA[1].cbAtr = sizeof(statesA[1].rgbAtr) + 1;
    ret = SCardGetStatusChangeA(context, 1000, statesA, 2);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(statesA[0].dwEventState == (SCARD_STATE_CHANGED | (count << 16)), "got state %#lx.\n", statesA[0].dwEventState);
    ok(statesA[1].cbAtr == stack.atr_len && !memcmp(statesA[1].rgbAtr, stack.atr, stack.atr_len),
       "got ATR length %lu.\n", statesA[1].cbAtr);
    /* the reader as known, the readers' count not: the count is the change */
    statesA[1].dwCurrentState = statesA[1].dwEventState & ~SCARD_STATE_CHANGED;
    ret = SCardGetStatusChangeA(context, 1000, statesA, 2);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(statesA[0].dwEventState == (SCARD_STATE_CHANGED | (count << 16)), "got state %#lx.\n", statesA[0].dwEventState);
    ok(statesA[1].dwEventState == statesA[1].dwCurrentState, "got state %#lx, was %#lx.\n",
       statesA[1].dwEventState, statesA[1].dwCurrentState);

    /* errors */
    memset(statesA, 0, sizeof(statesA));
    statesA[0].szReader = "No Such Reader 00 00";
    ret = SCardGetStatusChangeA(context, 0, statesA, 1);
    ok(ret == SCARD_E_UNKNOWN_READER, "got %#lx.\n", ret);
    statesA[0].szReader = NULL;
    ret = SCardGetStatusChangeA(context, 0, statesA, 1);
    ok(ret == SCARD_E_INVALID_VALUE, "got %#lx.\n", ret);
    ret = SCardGetStatusChangeA(context, 0, NULL, 1);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardGetStatusChangeA(context, 0, NULL, 0);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardGetStatusChangeW(context, 1000, NULL, 0);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    statesA[0].szReader = stack.card_reader;
    ret = SCardGetStatusChangeA(BAD_HANDLE, 0, statesA, 1);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardGetStatusChangeW(0, 0, statesW, 1);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
}

struct wait_args
{
    SCARDCONTEXT context;
    DWORD readers;
    LONG ret;
};

static DWORD WINAPI wait_thread(void *arg)
{
    struct wait_args *args = arg;
    SCARD_READERSTATEA state;

    memset(&state, 0, sizeof(state));
    state.szReader = "\\\\?PnP?\\Notification";
    state.dwCurrentState = args->readers << 16;
    args->ret = SCardGetStatusChangeA(args->context, INFINITE, &state, 1);
    return 0;
}

/* One context used by two threads at once, as Windows allows: while one
 * thread waits on it, the other lists, connects and transmits on it;
 * SCardCancel then ends the wait. */
static void test_threads(SCARDCONTEXT context)
{
    struct wait_args args = { context, stack.empty_reader[0] ? 2 : 1, 0xdeadbeef };
    SCARDHANDLE card;
    char readers[1024];
    DWORD len, start, elapsed;
    HANDLE thread;
    LONG ret;

    thread = CreateThread(NULL, 0, wait_thread, &args, 0, NULL);
    ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT, "the wait returned %#lx.\n", args.ret);

    /* (timed from when the lock is ours: another test may hold it for a while) */
    lock_card_database();
    start = GetTickCount();
    len = sizeof(readers);
    ret = SCardListReadersA(context, NULL, readers, &len);
    unlock_card_database();
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    check_challenge(card, SCARD_S_SUCCESS);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    elapsed = GetTickCount() - start;
    ok(elapsed < 2000, "calls on the context took %lu ms while another thread waited on it.\n", elapsed);
    ok(WaitForSingleObject(thread, 0) == WAIT_TIMEOUT, "the wait returned %#lx.\n", args.ret);

    ret = SCardCancel(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "the wait was not cancelled.\n");
    ok(args.ret == SCARD_E_CANCELLED, "got %#lx.\n", args.ret);
    CloseHandle(thread);

    /* releasing the context ends a wait too */
    {
        SCARDCONTEXT context2;

        ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context2);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        args.context = context2;
        args.ret = 0xdeadbeef;
        thread = CreateThread(NULL, 0, wait_thread, &args, 0, NULL);
        ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT, "the wait returned %#lx.\n", args.ret);
        ret = SCardReleaseContext(context2);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "the wait did not end.\n");
        ok(args.ret == SCARD_E_CANCELLED, "got %#lx.\n", args.ret);
        CloseHandle(thread);
    }
}

static void test_connect(SCARDCONTEXT context)
{
    SCARDHANDLE card, card2;
    BYTE response[258];
    DWORD protocol, len;
    LONG ret;

    card = 0xdeadbeef;
    protocol = 0xdeadbeef;
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_SHARED,
            test_protocol == SCARD_PROTOCOL_T0 ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0, &card, &protocol);
    ok(ret == SCARD_E_PROTO_MISMATCH, "got %#lx.\n", ret);
    ok(card == 0xdeadbeef && protocol == 0xdeadbeef, "outputs changed.\n");
    ret = SCardConnectA(context, "No Such Reader 00 00", SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == SCARD_E_UNKNOWN_READER, "got %#lx.\n", ret);
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, NULL, &protocol);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardConnectA(context, NULL, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardConnectA(BAD_HANDLE, stack.card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardConnectW(0, wide(stack.card_reader), SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    if (stack.empty_reader[0])
    {
        ret = SCardConnectA(context, stack.empty_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
        ok(ret == SCARD_E_NO_SMARTCARD, "got %#lx.\n", ret);
    }

    /* W, the exact protocol; then RAW is refused by the card */
    ret = SCardConnectW(context, wide(stack.card_reader), SCARD_SHARE_SHARED, test_protocol, &card, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == test_protocol, "got protocol %#lx.\n", protocol);
    check_challenge(card, SCARD_S_SUCCESS);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    /* the active protocol is an optional output; so is Reconnect's */
    card = 0xdeadbeef;
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, NULL);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(card != 0xdeadbeef, "no handle.\n");
    check_read_binary(card, NULL);
    ret = SCardReconnect(card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, SCARD_LEAVE_CARD, NULL);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_read_binary(card, test_pci());
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    card = 0xdeadbeef;
    ret = SCardConnectW(context, wide(stack.card_reader), SCARD_SHARE_SHARED, test_protocol, &card, NULL);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_read_binary(card, NULL);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardDisconnect(0, SCARD_LEAVE_CARD);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* sharing */
    card = connect_card(context, SCARD_SHARE_EXCLUSIVE, SCARD_S_SUCCESS);
    connect_card(context, SCARD_SHARE_SHARED, SCARD_E_SHARING_VIOLATION);
    connect_card(context, SCARD_SHARE_EXCLUSIVE, SCARD_E_SHARING_VIOLATION);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    connect_card(context, SCARD_SHARE_EXCLUSIVE, SCARD_E_SHARING_VIOLATION);
    card2 = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    ok(card2 != card, "same handle %#Ix.\n", card);
    check_challenge(card, SCARD_S_SUCCESS);
    check_challenge(card2, SCARD_S_SUCCESS);
    ret = SCardDisconnect(card2, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardDisconnect(card2, SCARD_LEAVE_CARD);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    check_challenge(card2, ERROR_INVALID_HANDLE);

    /* direct access without a protocol */
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_DIRECT, 0, &card2, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == 0, "got protocol %#lx.\n", protocol);
    /* no protocol to take for a missing send PCI */
    len = sizeof(response);
    ret = SCardTransmit(card2, NULL, get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardDisconnect(card2, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    /* reconnect */
    protocol = 0xdeadbeef;
    ret = SCardReconnect(card, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, SCARD_LEAVE_CARD, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == test_protocol, "got protocol %#lx.\n", protocol);
    ret = SCardReconnect(card, SCARD_SHARE_SHARED, test_protocol, SCARD_RESET_CARD, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == test_protocol, "got protocol %#lx.\n", protocol);
    check_challenge(card, SCARD_S_SUCCESS);
    ret = SCardReconnect(BAD_HANDLE, SCARD_SHARE_SHARED, test_protocol, SCARD_LEAVE_CARD, &protocol);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardReconnect(context, SCARD_SHARE_SHARED, test_protocol, SCARD_LEAVE_CARD, &protocol);
    ok(ret == ERROR_INVALID_HANDLE, "a context is no card handle: got %#lx.\n", ret);

    ret = SCardDisconnect(card, SCARD_RESET_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardDisconnect(BAD_HANDLE, SCARD_LEAVE_CARD);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardDisconnect(context, SCARD_LEAVE_CARD);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
}

static void test_status(SCARDCONTEXT context)
{
    char names[256], *autonames = NULL;
    WCHAR namesW[256];
    BYTE atr[40], *autoatr = NULL;
    DWORD len, atr_len, state, protocol, name_len = strlen(stack.card_reader) + 2;
    SCARDHANDLE card;
    LONG ret;

    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);

    len = sizeof(names);
    atr_len = sizeof(atr);
    state = protocol = 0xdeadbeef;
    memset(names, 0xcc, sizeof(names));
    ret = SCardStatusA(card, names, &len, &state, &protocol, atr, &atr_len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == name_len, "got length %lu.\n", len);
    ok(!strcmp(names, stack.card_reader) && !names[len - 1], "got %s.\n", names);
    ok(state == SCARD_SPECIFIC, "got state %#lx.\n", state);
    ok(protocol == test_protocol, "got protocol %#lx.\n", protocol);
    ok(atr_len == stack.atr_len && !memcmp(atr, stack.atr, atr_len), "ATR differs, length %lu.\n", atr_len);

    /* sizes */
    len = 0;
    atr_len = 0;
    ret = SCardStatusA(card, NULL, &len, NULL, NULL, NULL, &atr_len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == name_len && atr_len == stack.atr_len, "got lengths %lu %lu.\n", len, atr_len);
    len = 3;
    ret = SCardStatusA(card, names, &len, NULL, NULL, NULL, NULL);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == name_len, "got length %lu.\n", len);
    atr_len = 2;
    ret = SCardStatusA(card, NULL, NULL, NULL, NULL, atr, &atr_len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(atr_len == stack.atr_len, "got length %lu.\n", atr_len);
    ret = SCardStatusA(card, NULL, NULL, NULL, NULL, NULL, NULL);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    /* SCARD_AUTOALLOCATE */
    len = atr_len = SCARD_AUTOALLOCATE;
    ret = SCardStatusA(card, (char *)&autonames, &len, &state, NULL, (BYTE *)&autoatr, &atr_len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == name_len && autonames && !strcmp(autonames, stack.card_reader), "got %s.\n", autonames);
    ok(atr_len == stack.atr_len && autoatr && !memcmp(autoatr, stack.atr, atr_len), "ATR differs.\n");
    ret = SCardFreeMemory(context, autonames);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardFreeMemory(context, autoatr);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardFreeMemory(context, autoatr);
    ok(ret == SCARD_E_INVALID_PARAMETER, "freeing twice: got %#lx.\n", ret);
    ret = SCardFreeMemory(context, names);
    ok(ret == SCARD_E_INVALID_PARAMETER, "freeing a foreign pointer: got %#lx.\n", ret);
    ret = SCardFreeMemory(BAD_HANDLE, NULL);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardFreeMemory(context, NULL);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    /* W */
    len = ARRAY_SIZE(namesW);
    ret = SCardStatusW(card, namesW, &len, &state, &protocol, NULL, NULL);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == name_len && !wcscmp(namesW, wide(stack.card_reader)) && !namesW[len - 1],
       "got %s, length %lu.\n", debugstr_w(namesW), len);
    ok(state == SCARD_SPECIFIC, "got state %#lx.\n", state);
    len = 1;
    ret = SCardStatusW(card, namesW, &len, NULL, NULL, NULL, NULL);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == name_len, "got length %lu.\n", len);
    /* the sizing call with the other outputs */
    len = atr_len = 0;
    state = protocol = 0xdeadbeef;
    ret = SCardStatusW(card, NULL, &len, &state, &protocol, NULL, &atr_len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == name_len && atr_len == stack.atr_len, "got lengths %lu %lu.\n", len, atr_len);
    ok(state == SCARD_SPECIFIC && protocol == test_protocol, "got state %#lx protocol %#lx.\n", state, protocol);
    /* buffers of length 0 */
    len = 0;
    ret = SCardStatusW(card, namesW, &len, NULL, NULL, NULL, NULL);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == name_len, "got length %lu.\n", len);
    atr_len = 0;
    ret = SCardStatusW(card, NULL, NULL, NULL, NULL, atr, &atr_len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(atr_len == stack.atr_len, "got length %lu.\n", atr_len);
    {
        WCHAR *autonamesW = NULL;

        len = SCARD_AUTOALLOCATE;
        ret = SCardStatusW(card, (WCHAR *)&autonamesW, &len, NULL, NULL, NULL, NULL);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        ok(len == name_len && autonamesW && !wcscmp(autonamesW, wide(stack.card_reader)), "got %s.\n",
           debugstr_w(autonamesW));
        ret = SCardFreeMemory(context, autonamesW);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    }
    len = SCARD_AUTOALLOCATE;
    ret = SCardStatusW(card, NULL, &len, NULL, NULL, NULL, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    /* SCardState, the old form */
    atr_len = sizeof(atr);
    ret = SCardState(card, &state, &protocol, atr, &atr_len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(state == SCARD_SPECIFIC && protocol == test_protocol, "got state %#lx protocol %#lx.\n", state, protocol);
    ok(atr_len == stack.atr_len, "got length %lu.\n", atr_len);

    ret = SCardStatusA(BAD_HANDLE, names, &len, &state, &protocol, atr, &atr_len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardStatusW(context, NULL, NULL, &state, NULL, NULL, NULL);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* a direct connection without a protocol reports the card's state */
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

static void test_transmit(SCARDCONTEXT context)
{
    static const BYTE select_mf[] = { 0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00 };
    BYTE response[258];
    SCARDHANDLE card;
    DWORD len;
    LONG ret;

    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    check_challenge(card, SCARD_S_SUCCESS);

    len = sizeof(response);
    ret = SCardTransmit(card, test_pci(), select_mf, sizeof(select_mf), NULL, response, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len >= 2, "got length %lu.\n", len);

    len = 4;
    ret = SCardTransmit(card, test_pci(), get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == 10, "got length %lu.\n", len);

    /* no send PCI: the connection's protocol, as on Windows */
    check_read_binary(card, NULL);
    len = 0;
    ret = SCardTransmit(card, NULL, read_binary, sizeof(read_binary), NULL, response, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == 18, "got length %lu.\n", len);
    len = sizeof(response);
    ret = SCardTransmit(card, NULL, read_binary, 0, NULL, response, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardTransmit(card, test_pci(), NULL, 5, NULL, response, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardTransmit(card, test_pci(), get_challenge, sizeof(get_challenge), NULL, response, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = SCARD_AUTOALLOCATE;
    ret = SCardTransmit(card, test_pci(), get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = sizeof(response);
    ret = SCardTransmit(card, test_protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T1 : SCARD_PCI_T0,
                        get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == SCARD_E_PROTO_MISMATCH, "got %#lx.\n", ret);
    len = sizeof(response);
    ret = SCardTransmit(card, SCARD_PCI_RAW, get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == SCARD_E_PROTO_MISMATCH, "got %#lx.\n", ret);
    ret = SCardTransmit(BAD_HANDLE, test_pci(), get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardTransmit(0, test_pci(), get_challenge, sizeof(get_challenge), NULL, response, &len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

static void test_attrib_control(SCARDCONTEXT context)
{
    BYTE buffer[300], *autobuf = NULL;
    WCHAR name[256];
    DWORD len, returned;
    SCARDHANDLE card;
    LONG ret;

    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);

    len = sizeof(buffer);
    ret = SCardGetAttrib(card, SCARD_ATTR_CURRENT_PROTOCOL_TYPE, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == 4 && *(DWORD *)buffer == test_protocol, "got length %lu value %#lx.\n", len, *(DWORD *)buffer);

    len = sizeof(buffer);
    ret = SCardGetAttrib(card, SCARD_ATTR_ATR_STRING, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.atr_len && !memcmp(buffer, stack.atr, len), "ATR differs, length %lu.\n", len);

    len = sizeof(buffer);
    ret = SCardGetAttrib(card, SCARD_ATTR_DEVICE_FRIENDLY_NAME_A, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == strlen(stack.card_reader) + 1 && !strcmp((char *)buffer, stack.card_reader), "got %s.\n", buffer);
    len = sizeof(name);
    ret = SCardGetAttrib(card, SCARD_ATTR_DEVICE_FRIENDLY_NAME_W, (BYTE *)name, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == (strlen(stack.card_reader) + 1) * sizeof(WCHAR) && !wcscmp(name, wide(stack.card_reader)),
       "got %s, length %lu.\n", debugstr_w(name), len);
    len = 0;
    ret = SCardGetAttrib(card, SCARD_ATTR_DEVICE_SYSTEM_NAME_A, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == strlen(stack.card_reader) + 1, "got length %lu.\n", len);
    len = 3;
    ret = SCardGetAttrib(card, SCARD_ATTR_DEVICE_FRIENDLY_NAME_A, buffer, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == strlen(stack.card_reader) + 1, "got length %lu.\n", len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardGetAttrib(card, SCARD_ATTR_DEVICE_FRIENDLY_NAME_A, (BYTE *)&autobuf, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(autobuf && !strcmp((char *)autobuf, stack.card_reader), "got %s.\n", autobuf);
    ret = SCardFreeMemory(context, autobuf);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardGetAttrib(card, SCARD_ATTR_DEVICE_FRIENDLY_NAME_A, buffer, NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    len = 0;
    ret = SCardGetAttrib(card, SCARD_ATTR_CURRENT_PROTOCOL_TYPE, NULL, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == 4, "got length %lu.\n", len);
    len = 0;
    ret = SCardGetAttrib(card, SCARD_ATTR_ATR_STRING, buffer, &len);
    ok(ret == SCARD_E_INSUFFICIENT_BUFFER, "got %#lx.\n", ret);
    ok(len == stack.atr_len, "got length %lu.\n", len);
    len = SCARD_AUTOALLOCATE;
    ret = SCardGetAttrib(card, SCARD_ATTR_ATR_STRING, (BYTE *)&autobuf, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(len == stack.atr_len && autobuf && !memcmp(autobuf, stack.atr, len), "ATR differs, length %lu.\n", len);
    ret = SCardFreeMemory(context, autobuf);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    len = SCARD_AUTOALLOCATE;
    ret = SCardGetAttrib(card, SCARD_ATTR_ATR_STRING, NULL, &len);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);

    /* pcsc-lite's 0x8010001f comes back as Windows' SCARD_E_UNSUPPORTED_FEATURE */
    len = sizeof(buffer);
    ret = SCardGetAttrib(card, SCARD_ATTR_VALUE(SCARD_CLASS_VENDOR_DEFINED, 0x7777), buffer, &len);
    ok(ret == SCARD_E_UNSUPPORTED_FEATURE, "got %#lx.\n", ret);
    ok((ULONG)SCARD_E_UNSUPPORTED_FEATURE == 0x80100022, "header value %#lx.\n", (LONG)SCARD_E_UNSUPPORTED_FEATURE);

    ret = SCardGetAttrib(BAD_HANDLE, SCARD_ATTR_CURRENT_PROTOCOL_TYPE, buffer, &len);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardSetAttrib(BAD_HANDLE, SCARD_ATTR_CURRENT_PROTOCOL_TYPE, buffer, 4);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardSetAttrib(card, SCARD_ATTR_DEVICE_FRIENDLY_NAME_A, NULL, 4);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardSetAttrib(card, SCARD_ATTR_VALUE(SCARD_CLASS_VENDOR_DEFINED, 0x7777), buffer, 4);
    ok(ret == SCARD_E_NOT_TRANSACTED, "got %#lx.\n", ret);

    /* a Windows control code is translated to pcsc-lite's form */
    /* (vpcd has no features: pcsc-lite's 0x8010001f, translated) */
    returned = 0xdeadbeef;
    ret = SCardControl(card, SCARD_CTL_CODE(3400), NULL, 0, buffer, sizeof(buffer), &returned);
    ok(ret == SCARD_E_UNSUPPORTED_FEATURE, "got %#lx.\n", ret);
    ok(returned == 0xdeadbeef, "returned changed to %lu.\n", returned);
    ret = SCardControl(card, SCARD_CTL_CODE(3400), NULL, 0, buffer, sizeof(buffer), NULL);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardControl(card, SCARD_CTL_CODE(3400), NULL, 4, buffer, sizeof(buffer), &returned);
    ok(ret == SCARD_E_INVALID_PARAMETER, "got %#lx.\n", ret);
    ret = SCardControl(BAD_HANDLE, SCARD_CTL_CODE(3400), NULL, 0, buffer, sizeof(buffer), &returned);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

static void test_transactions(SCARDCONTEXT context)
{
    struct transmit_args args;
    SCARDHANDLE card, card2;
    HANDLE thread;
    LONG ret;

    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    card2 = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);

    ret = SCardBeginTransaction(card);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    check_challenge(card, SCARD_S_SUCCESS);
    /* another connection waits while the transaction lasts */
    args.card = card2;
    args.ret = 0xdeadbeef;
    thread = CreateThread(NULL, 0, transmit_thread, &args, 0, NULL);
    ok(WaitForSingleObject(thread, 300) == WAIT_TIMEOUT, "the other connection's SCardTransmit returned %#lx.\n",
       args.ret);
    ret = SCardEndTransaction(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(WaitForSingleObject(thread, 5000) == WAIT_OBJECT_0, "SCardTransmit still waits.\n");
    ok(args.ret == SCARD_S_SUCCESS && args.len == 10, "got %#lx, length %lu.\n", args.ret, args.len);
    CloseHandle(thread);
    ret = SCardEndTransaction(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_E_NOT_TRANSACTED, "got %#lx.\n", ret);

    ret = SCardBeginTransaction(BAD_HANDLE);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardEndTransaction(BAD_HANDLE, SCARD_LEAVE_CARD);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardDisconnect(card2, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

/* Child of test_transaction_processes: holds a transaction until told. */
static void child_transaction(const char *reader, const char *parent)
{
    char name[64];
    HANDLE started, finish;

    /* named after the parent: tests of other personalities run at the same time */
    snprintf(name, sizeof(name), "scardssp-winscard-tx-started-%s", parent);
    started = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
    snprintf(name, sizeof(name), "scardssp-winscard-tx-finish-%s", parent);
    finish = OpenEventA(SYNCHRONIZE, FALSE, name);
    SCARDCONTEXT context;
    SCARDHANDLE card;
    DWORD protocol;
    LONG ret;

    ok(started && finish, "events not found.\n");
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardConnectA(context, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardBeginTransaction(card);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    SetEvent(started);
    ok(WaitForSingleObject(finish, 20000) == WAIT_OBJECT_0, "never told to finish.\n");
    ret = SCardEndTransaction(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(context);
}

struct begin_args
{
    SCARDHANDLE card;
    LONG ret;
};

static DWORD WINAPI begin_thread(void *arg)
{
    struct begin_args *args = arg;
    args->ret = SCardBeginTransaction(args->card);
    return 0;
}

static void test_transaction_processes(SCARDCONTEXT context)
{
    HANDLE started, finish;
    char name[64];
    struct begin_args begin = { 0, 0xdeadbeef };
    struct transmit_args transmit = { 0, 0xdeadbeef, 0 };
    HANDLE begin_thr, transmit_thr;
    PROCESS_INFORMATION pi;
    char cmdline[300];
    LONG ret;

    snprintf(name, sizeof(name), "scardssp-winscard-tx-started-%lu", GetCurrentProcessId());
    started = CreateEventA(NULL, TRUE, FALSE, name);
    snprintf(name, sizeof(name), "scardssp-winscard-tx-finish-%lu", GetCurrentProcessId());
    finish = CreateEventA(NULL, TRUE, FALSE, name);

    /* (connected first: pcsc-lite's SCardConnect waits for another process's transaction) */
    begin.card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    transmit.card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);

    snprintf(cmdline, sizeof(cmdline), "transaction %lu \"%s\"", GetCurrentProcessId(), stack.card_reader);
    if (!start_child(cmdline, &pi))
    {
        ok(0, "cannot start the child, error %lu.\n", GetLastError());
        return;
    }
    ok(WaitForSingleObject(started, 20000) == WAIT_OBJECT_0, "the child did not start its transaction.\n");

    /* the other process's transaction holds off our transaction and our APDUs */
    begin_thr = CreateThread(NULL, 0, begin_thread, &begin, 0, NULL);
    transmit_thr = CreateThread(NULL, 0, transmit_thread, &transmit, 0, NULL);
    ok(WaitForSingleObject(begin_thr, 500) == WAIT_TIMEOUT, "SCardBeginTransaction did not wait: %#lx.\n", begin.ret);
    ok(WaitForSingleObject(transmit_thr, 0) == WAIT_TIMEOUT, "SCardTransmit did not wait: %#lx.\n", transmit.ret);

    /* the child ends its transaction: ours begins; the waiting APDU goes
     * through before or after it (both poll for the reader) */
    SetEvent(finish);
    ok(WaitForSingleObject(begin_thr, 10000) == WAIT_OBJECT_0, "SCardBeginTransaction still waits.\n");
    ok(begin.ret == SCARD_S_SUCCESS, "got %#lx.\n", begin.ret);
    check_challenge(begin.card, SCARD_S_SUCCESS);
    ret = SCardEndTransaction(begin.card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(WaitForSingleObject(transmit_thr, 10000) == WAIT_OBJECT_0, "SCardTransmit still waits.\n");
    ok(transmit.ret == SCARD_S_SUCCESS && transmit.len == 10, "got %#lx, length %lu.\n", transmit.ret, transmit.len);
    CloseHandle(begin_thr);
    CloseHandle(transmit_thr);

    ret = SCardDisconnect(begin.card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardDisconnect(transmit.card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    ok(wait_child(&pi) == 0, "the child failed.\n");
    CloseHandle(started);
    CloseHandle(finish);
}

/* Child of test_raw_processes: a RAW connection, which it ends with LEAVE;
 * "rawhold" keeps it until told, and checks that it still works (no reset
 * under its feet). */
static void child_raw(const char *reader, const char *parent, BOOL hold)
{
    HANDLE started = NULL, finish = NULL;
    SCARDCONTEXT context;
    SCARDHANDLE card;
    DWORD protocol = 0xdeadbeef;
    char name[64];
    LONG ret;

    if (hold)
    {
        snprintf(name, sizeof(name), "scardssp-winscard-raw-started-%s", parent);
        started = OpenEventA(EVENT_MODIFY_STATE, FALSE, name);
        snprintf(name, sizeof(name), "scardssp-winscard-raw-finish-%s", parent);
        finish = OpenEventA(SYNCHRONIZE, FALSE, name);
        ok(started && finish, "events not found.\n");
    }
    test_protocol = SCARD_PROTOCOL_RAW;   /* what check_read_binary expects back */
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardConnectA(context, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_RAW, &card, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == SCARD_PROTOCOL_RAW, "got protocol %#lx.\n", protocol);
    check_read_binary(card, SCARD_PCI_RAW);
    if (hold)
    {
        SetEvent(started);
        ok(WaitForSingleObject(finish, 20000) == WAIT_OBJECT_0, "never told to finish.\n");
        check_read_binary(card, NULL);
    }
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    SCardReleaseContext(context);
    if (started) CloseHandle(started);
    if (finish) CloseHandle(finish);
}

/* A program connects with SCARD_PROTOCOL_RAW and leaves (LEAVE): the next
 * program's T=0/T=1 connect works, as on Windows (pcsc-lite alone refuses
 * it until the card is reset, its issue #49).  While another program holds
 * the card in RAW, its connection is left alone and the connect refused. */
static void test_raw_processes(SCARDCONTEXT context)
{
    PROCESS_INFORMATION pi;
    HANDLE started, finish;
    char name[64], cmdline[300];
    SCARDHANDLE card;
    DWORD protocol;
    LONG ret;

    snprintf(cmdline, sizeof(cmdline), "raw %lu \"%s\"", GetCurrentProcessId(), stack.card_reader);
    if (!start_child(cmdline, &pi))
    {
        ok(0, "cannot start the child, error %lu.\n", GetLastError());
        return;
    }
    ok(wait_child(&pi) == 0, "the child failed.\n");
    card = 0;
    protocol = 0xdeadbeef;
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == test_protocol, "got protocol %#lx.\n", protocol);
    check_read_binary(card, test_pci());
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    snprintf(name, sizeof(name), "scardssp-winscard-raw-started-%lu", GetCurrentProcessId());
    started = CreateEventA(NULL, TRUE, FALSE, name);
    snprintf(name, sizeof(name), "scardssp-winscard-raw-finish-%lu", GetCurrentProcessId());
    finish = CreateEventA(NULL, TRUE, FALSE, name);
    snprintf(cmdline, sizeof(cmdline), "rawhold %lu \"%s\"", GetCurrentProcessId(), stack.card_reader);
    if (!start_child(cmdline, &pi))
    {
        ok(0, "cannot start the child, error %lu.\n", GetLastError());
        return;
    }
    ok(WaitForSingleObject(started, 20000) == WAIT_OBJECT_0, "the child did not connect.\n");
    card = 0xdeadbeef;
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == SCARD_E_PROTO_MISMATCH, "got %#lx.\n", ret);
    ok(card == 0xdeadbeef, "handle changed to %#Ix.\n", card);
    SetEvent(finish);
    ok(wait_child(&pi) == 0, "the child failed.\n");
    CloseHandle(started);
    CloseHandle(finish);

    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    check_read_binary(card, NULL);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

/* Runs "$VCARD ctl $VCARD_CONTROL0 COMMAND" (tools/stack's virtual card
 * control): Wine starts a Unix program given by its Z: path.  (Its exit
 * code does not come back through Wine: callers check the effect.) */
static BOOL card_ctl(const char *command)
{
    char vcard[MAX_PATH], control[MAX_PATH], cmdline[3 * MAX_PATH], *p;
    STARTUPINFOA si = { sizeof(si) };
    PROCESS_INFORMATION pi;

    if (!GetEnvironmentVariableA("VCARD", vcard, sizeof(vcard))
        || !GetEnvironmentVariableA("VCARD_CONTROL0", control, sizeof(control)))
        return FALSE;
    for (p = vcard; *p; p++) if (*p == '/') *p = '\\';
    snprintf(cmdline, sizeof(cmdline), "Z:%s ctl %s %s", vcard, control, command);
    if (!CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi)) return FALSE;
    /* Wine hands back no handles for a Unix program: hProcess is NULL, and
     * Wine 10 leaves hThread holding stack garbage, not to be closed */
    if (pi.hProcess)
    {
        WaitForSingleObject(pi.hProcess, 10000);
        CloseHandle(pi.hProcess);
        CloseHandle(pi.hThread);
    }
    return TRUE;
}

#define wait_reader_state(a, b) wait_reader_state_(__LINE__, a, b)
static void wait_reader_state_(unsigned int line, SCARDCONTEXT context, DWORD wanted)
{
    SCARD_READERSTATEA state;
    DWORD start = GetTickCount();
    LONG ret;

    memset(&state, 0, sizeof(state));
    state.szReader = stack.card_reader;
    /* (pcsc-lite 2.5 can answer a wait with an error while vpcd's card goes
     * or comes, seen once under load: the wait goes on until its bound) */
    do
    {
        ret = SCardGetStatusChangeA(context, 1000, &state, 1);
        if (ret == SCARD_S_SUCCESS) state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        else if (ret != SCARD_E_TIMEOUT) Sleep(100);
    } while (!(state.dwCurrentState & wanted) && GetTickCount() - start < 10000);
    ok_(__FILE__, line)(state.dwCurrentState & wanted, "got %#lx, state %#lx.\n", ret, state.dwCurrentState);
}

static void test_removed_card(SCARDCONTEXT context)
{
    SCARD_READERSTATEA state;
    SCARDHANDLE card, card2;
    DWORD len, atr_len, card_state, protocol;
    BYTE atr[36];
    char names[256];
    LONG ret;

    /* tools/stack gives every card a control socket */
    len = GetEnvironmentVariableA("VCARD_CONTROL0", names, sizeof(names));
    ok(len != 0, "the virtual card has no control socket (VCARD_CONTROL0).\n");
    if (!len) return;
    card = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    check_challenge(card, SCARD_S_SUCCESS);

    ok(card_ctl("remove"), "cannot run the card control.\n");
    wait_reader_state(context, SCARD_STATE_EMPTY);
    memset(&state, 0, sizeof(state));
    state.szReader = stack.card_reader;
    ret = SCardGetStatusChangeA(context, 0, &state, 1);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok((state.dwEventState & 0xffff) == (SCARD_STATE_CHANGED | SCARD_STATE_EMPTY), "got state %#lx.\n",
       state.dwEventState);
    ok(state.cbAtr == 0, "got ATR length %lu.\n", state.cbAtr);

    check_challenge(card, SCARD_W_REMOVED_CARD);
    len = sizeof(names);
    atr_len = sizeof(atr);
    ret = SCardStatusA(card, names, &len, &card_state, NULL, atr, &atr_len);
    ok(ret == SCARD_W_REMOVED_CARD, "got %#lx.\n", ret);
    ret = SCardBeginTransaction(card);
    ok(ret == SCARD_W_REMOVED_CARD, "got %#lx.\n", ret);
    connect_card(context, SCARD_SHARE_SHARED, SCARD_E_NO_SMARTCARD);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    ok(card_ctl("insert"), "cannot run the card control.\n");
    wait_reader_state(context, SCARD_STATE_PRESENT);

    /* RAW, on the card fresh from its insertion (no protocol chosen yet):
     * Windows' 0x10000 is pcsc-lite's 4, both ways */
    protocol = 0xdeadbeef;
    ret = SCardConnectA(context, stack.card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_RAW, &card2, &protocol);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ok(protocol == SCARD_PROTOCOL_RAW, "got protocol %#lx.\n", protocol);
    if (!ret)
    {
        BYTE response[258];
        DWORD len = sizeof(response), state;

        ret = SCardStatusA(card2, NULL, NULL, &state, &protocol, NULL, NULL);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        ok(protocol == SCARD_PROTOCOL_RAW && state == SCARD_SPECIFIC, "got protocol %#lx state %lu.\n",
           protocol, state);
        ret = SCardTransmit(card2, SCARD_PCI_RAW, get_challenge, sizeof(get_challenge), NULL, response, &len);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
        ok(len == 10, "got length %lu.\n", len);
        len = sizeof(response);
        ret = SCardTransmit(card2, test_pci(), get_challenge, sizeof(get_challenge), NULL, response, &len);
        ok(ret == SCARD_E_PROTO_MISMATCH, "got %#lx.\n", ret);
        ret = SCardDisconnect(card2, SCARD_UNPOWER_CARD);
        ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    }


    card2 = connect_card(context, SCARD_SHARE_SHARED, SCARD_S_SUCCESS);
    check_challenge(card2, SCARD_S_SUCCESS);
    ret = SCardDisconnect(card2, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

static void test_started_event(void)
{
    HANDLE event, event2;

    event = SCardAccessStartedEvent();
    ok(event != NULL, "no event.\n");
    ok(WaitForSingleObject(event, 0) == WAIT_OBJECT_0, "the event is not signalled.\n");
    event2 = SCardAccessStartedEvent();
    ok(event2 == event, "got %p and %p.\n", event, event2);
    SCardReleaseStartedEvent();
    SCardReleaseStartedEvent();
    SCardReleaseStartedEvent(); /* one too many does no harm */
}

static void test_release_context_cards(void)
{
    SCARDCONTEXT context;
    SCARDHANDLE card;
    DWORD state;
    LONG ret;

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    card = connect_card(context, SCARD_SHARE_EXCLUSIVE, SCARD_S_SUCCESS);
    ret = SCardReleaseContext(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardStatusA(card, NULL, NULL, &state, NULL, NULL, NULL);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* the exclusive connection is gone with its context */
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    card = connect_card(context, SCARD_SHARE_EXCLUSIVE, SCARD_S_SUCCESS);
    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    ret = SCardReleaseContext(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}

START_TEST(bridge)
{
    SCARDCONTEXT context;
    LONG ret;

    if (__argc >= 3 && !strcmp(__argv[1], "child"))
    {
        if (!strcmp(__argv[2], "transaction") && __argc >= 5) child_transaction(__argv[4], __argv[3]);
        if (!strcmp(__argv[2], "raw") && __argc >= 5) child_raw(__argv[4], __argv[3], FALSE);
        if (!strcmp(__argv[2], "rawhold") && __argc >= 5) child_raw(__argv[4], __argv[3], TRUE);
        return;
    }

    test_pci_exports();

    if (!(test_protocol = stack_protocol())) return;
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    /* run-wine started a stack for this program: no service is a failure */
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
    if (ret) return;
    if (!find_stack(context, &stack))
    {
        ok(0, "no reader with a card in the test stack.\n");
        SCardReleaseContext(context);
        return;
    }
    trace("card in %s, ATR length %lu, empty reader %s\n", stack.card_reader, stack.atr_len,
          stack.empty_reader[0] ? stack.empty_reader : "none");

    test_context();
    test_started_event();
    test_list_readers(context);
    test_list_reader_groups(context);
    test_status_change(context);
    test_connect(context);
    test_status(context);
    test_transmit(context);
    test_attrib_control(context);
    test_transactions(context);
    test_transaction_processes(context);
    test_raw_processes(context);
    test_threads(context);
    test_release_context_cards();
    test_removed_card(context);

    ret = SCardReleaseContext(context);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);
}
