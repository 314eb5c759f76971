/*
 * An ordinary Windows program, built with plain mingw-w64 (its own
 * <winscard.h>, -lwinscard, no Wine header): connects to the card of the
 * test stack, transmits, asks the status and waits for a state change.
 * Prints one line per failure and exits 1 on any (no smart card service
 * is one: tests/run-wine starts the test stack for it).
 *
 * min-checks: 15 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <windows.h>
#include <winscard.h>
#include <stdio.h>
#include <string.h>

static int failures, checks;

#define check(cond, ...) do { checks++; if (!(cond)) { failures++; printf("plain.c:%d: Test failed: ", __LINE__); \
                                printf(__VA_ARGS__); } } while (0)

int main(void)
{
    static const BYTE get_challenge[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };
    SCARD_READERSTATEW states[2];
    WCHAR readers[1024], names[256], *card_reader = NULL;
    BYTE response[258], atr[36];
    DWORD len, protocol, state, atr_len, count = 0, i;
    SCARDCONTEXT context;
    SCARDHANDLE card;
    LONG ret;

    setvbuf(stdout, NULL, _IONBF, 0);
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    /* tests/run-wine started a stack for plain_t1.exe: no service is a failure */
    check(ret == SCARD_S_SUCCESS, "SCardEstablishContext %#lx\n", ret);
    if (ret) return 1;

    len = ARRAYSIZE(readers);
    ret = SCardListReadersW(context, NULL, readers, &len);
    check(ret == SCARD_S_SUCCESS, "SCardListReadersW %#lx\n", ret);
    memset(states, 0, sizeof(states));
    for (WCHAR *p = readers; !ret && *p && count < 2; p += wcslen(p) + 1) states[count++].szReader = p;
    for (i = 0; i < 50; i++)
    {
        ret = SCardGetStatusChangeW(context, 0, states, count);
        check(ret == SCARD_S_SUCCESS, "SCardGetStatusChangeW %#lx\n", ret);
        for (DWORD j = 0; j < count; j++)
            if (states[j].dwEventState & SCARD_STATE_PRESENT) card_reader = (WCHAR *)states[j].szReader;
        if (card_reader || ret) break;
        Sleep(100);
    }
    check(card_reader != NULL, "no card\n");
    if (!card_reader) return 1;

    ret = SCardConnectW(context, card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    check(ret == SCARD_S_SUCCESS, "SCardConnectW %#lx\n", ret);
    check(protocol == SCARD_PROTOCOL_T0 || protocol == SCARD_PROTOCOL_T1, "protocol %#lx\n", protocol);

    len = sizeof(response);
    ret = SCardTransmit(card, protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1, get_challenge,
                        sizeof(get_challenge), NULL, response, &len);
    check(ret == SCARD_S_SUCCESS, "SCardTransmit %#lx\n", ret);
    check(len == 10 && response[8] == 0x90 && response[9] == 0x00, "response length %lu\n", len);

    len = ARRAYSIZE(names);
    atr_len = sizeof(atr);
    ret = SCardStatusW(card, names, &len, &state, &protocol, atr, &atr_len);
    check(ret == SCARD_S_SUCCESS, "SCardStatusW %#lx\n", ret);
    check(!wcscmp(names, card_reader) && len == wcslen(card_reader) + 2, "names length %lu\n", len);
    check(state == SCARD_SPECIFIC, "state %#lx\n", state);
    check(atr_len >= 2 && atr[0] == 0x3b, "ATR length %lu\n", atr_len);

    /* no change within 100 ms */
    for (i = 0; i < count; i++) states[i].dwCurrentState = states[i].dwEventState & ~SCARD_STATE_CHANGED;
    ret = SCardGetStatusChangeW(context, 100, states, count);
    check(ret == SCARD_E_TIMEOUT, "SCardGetStatusChangeW %#lx\n", ret);

    ret = SCardDisconnect(card, SCARD_LEAVE_CARD);
    check(ret == SCARD_S_SUCCESS, "SCardDisconnect %#lx\n", ret);
    ret = SCardReleaseContext(context);
    check(ret == SCARD_S_SUCCESS, "SCardReleaseContext %#lx\n", ret);

    printf("plain: %d tests executed (0 marked as todo, %d failures), 0 skipped.\n", checks, failures);
    return failures ? 1 : 0;
}
