/*
 * winscard bridge conformance tests without a smart card service:
 * tests/run-wine points pcsc-lite at a socket that does not exist.
 *
 * min-checks: 14 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scard_test.h"

START_TEST(noservice)
{
    SCARD_READERSTATEA state;
    SCARDCONTEXT context = 0xdeadbeef;
    SCARDHANDLE card = 0xdeadbeef;
    char buffer[256];
    DWORD len, protocol;
    HANDLE event;
    LONG ret;

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_E_NO_SERVICE, "got %#lx.\n", ret);
    ok(context == 0xdeadbeef, "context changed to %#Ix.\n", context);
    ret = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, &context);
    ok(ret == SCARD_E_NO_SERVICE, "got %#lx.\n", ret);

    /* calls that accept no context ask the service themselves */
    len = sizeof(buffer);
    ret = SCardListReadersA(0, NULL, buffer, &len);
    ok(ret == SCARD_E_NO_SERVICE, "got %#lx.\n", ret);
    len = sizeof(buffer);
    ret = SCardListReaderGroupsA(0, buffer, &len);
    ok(ret == SCARD_E_NO_SERVICE, "got %#lx.\n", ret);
    memset(&state, 0, sizeof(state));
    state.szReader = "Virtual PCD 00 00";
    ret = SCardLocateCardsByATRA(0, NULL, 0, &state, 1);
    ok(ret == SCARD_E_NO_SERVICE, "got %#lx.\n", ret);

    /* the card database is the registry's: no service needed */
    len = sizeof(buffer);
    ret = SCardListCardsA(0, NULL, NULL, 0, buffer, &len);
    ok(ret == SCARD_S_SUCCESS, "got %#lx.\n", ret);

    /* handles are still checked first */
    ret = SCardConnectA(BAD_HANDLE, "Virtual PCD 00 00", SCARD_SHARE_SHARED, SCARD_PROTOCOL_Tx, &card, &protocol);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ok(card == 0xdeadbeef, "card changed to %#Ix.\n", card);
    ret = SCardIsValidContext(BAD_HANDLE);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardReleaseContext(BAD_HANDLE);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);
    ret = SCardStatusA(BAD_HANDLE, NULL, NULL, NULL, NULL, NULL, NULL);
    ok(ret == ERROR_INVALID_HANDLE, "got %#lx.\n", ret);

    /* the service never starts: the event stays unsignalled */
    event = SCardAccessStartedEvent();
    ok(event != NULL, "no event.\n");
    ok(WaitForSingleObject(event, 1500) == WAIT_TIMEOUT, "the service looks started.\n");
    SCardReleaseStartedEvent();
}
