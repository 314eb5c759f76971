/*
 * Tests for CSCard / ISCard against the virtual reader stack, run as
 * card_t0.exe and card_t1.exe: tests/run-wine starts a private stack
 * (tools/stack) of the personality the program's name ends with, and
 * the program reads it from the stack (cardtest.h).  The card's
 * behaviour (files, PIN, key, challenges, the T=0 and T=1 length rules)
 * is the one vcard/card.c and vcard/README.md describe.
 *
 * min-checks: 940 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "cardtest.h"

/* §6.2 (iscard-attachbyreader, -get-atr, -get-cardhandle, -get-context,
 * -get-protocol, -get-status, -detach) and flow F3. */
static void test_attach_by_reader(void)
{
    HSCARDCONTEXT context, context2;
    SCARD_PROTOCOLS protocol;
    SCARD_STATES state;
    HSCARD handle, handle2;
    IByteBuffer *atr;
    BYTE buf[32];
    ISCard *card, *other;
    LONG count;
    BSTR name;
    HRESULT hr;

    card = create_card();
    name = SysAllocString(reader_names[0]);

    /* the documented call: AttachByReader(bstr, SHARED, T0); T0 only works
     * with the T=0 card, T0|T1 with both */
    hr = ISCard_AttachByReader(card, name, SHARED, T0);
    if (stack.t1)
    {
        ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
        check_handle(card, FALSE);
        hr = ISCard_AttachByReader(card, name, SHARED, T1);
    }
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    handle = 0;
    hr = ISCard_get_CardHandle(card, &handle);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!handle, "Got no handle.\n");
    context = 0;
    hr = ISCard_get_Context(card, &context);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!context, "Got no context.\n");

    protocol = 0xdead;
    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(protocol == (stack.t1 ? T1 : T0), "Got protocol %#x.\n", protocol);

    state = 0xdead;
    hr = ISCard_get_Status(card, &state);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(state == SPECIFICMODE, "Got state %#x.\n", state);

    /* get_Atr: a new buffer, readable at once from offset 0 */
    atr = NULL;
    hr = ISCard_get_Atr(card, &atr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    memset(buf, 0xcc, sizeof(buf));
    count = -1;
    hr = IByteBuffer_Read(atr, buf, sizeof(buf), &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == (LONG)stack.atr_len, "Got %ld ATR bytes, expected %u.\n", count, stack.atr_len);
    ok(!memcmp(buf, stack.atr, stack.atr_len), "Got ATR %s.\n", hexdump(buf, count));
    ok(get_refcount(atr) == 1, "Got refcount %lu.\n", get_refcount(atr));
    IByteBuffer_Release(atr);

    /* the same handle as long as attached */
    handle2 = 0;
    hr = ISCard_get_CardHandle(card, &handle2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(handle2 == handle, "Got handle %#Ix, expected %#Ix.\n", handle2, handle);

    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);
    /* the context stays */
    context2 = 0;
    hr = ISCard_get_Context(card, &context2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(context2 == context, "Got context %#Ix, expected %#Ix.\n", context2, context);
    hr = ISCard_get_Status(card, &state);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);

    /* T0|T1 (3) and the default EXCLUSIVE; each Detach disposition */
    hr = ISCard_AttachByReader(card, name, EXCLUSIVE, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(protocol == (stack.t1 ? T1 : T0), "Got protocol %#x.\n", protocol);
    hr = ISCard_Detach(card, RESET);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card, name, EXCLUSIVE, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, UNPOWER);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card, name, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, EJECT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);

    /* RAW: the command goes as built, T=0 rules or not: the T=0 card's
     * 61 08 to a case 4 is the reply.  pcscd (1.9.9) switches the card to
     * RAW whatever other connections use, and T=0 or T=1 connections then
     * fail until the card is powered down */
    other = create_card();
    hr = ISCard_AttachByReader(other, name, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card, name, SHARED, RAW);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    protocol = 0xdead;
    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(protocol == RAW, "Got protocol %#x.\n", protocol);
    hr = ISCard_get_Status(card, &state);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(state == SPECIFICMODE, "Got state %#x.\n", state);
    {
        ISCardCmd *cmd = create_cmd();

        set_apdu(cmd, "00 88 00 00 08 01 02 03 04 05 06 07 08 08");
        transact(card, cmd, stack.t1 ? "AE 82 84 AC 82 9A 84 A2 90 00" : "61 08");
        if (!stack.t1)
        {
            set_apdu(cmd, "00 C0 00 00 08");
            transact(card, cmd, "AE 82 84 AC 82 9A 84 A2 90 00");
        }
        ISCardCmd_Release(cmd);
    }
    hr = ISCard_AttachByReader(other, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, UNPOWER);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(other, name, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ISCard_Release(other);

    /* the wrong single protocol */
    hr = ISCard_AttachByReader(card, name, SHARED, stack.t1 ? T0 : T1);
    ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);

    /* attaching while attached: the first card is detached (LEAVE) first */
    hr = ISCard_AttachByReader(card, name, EXCLUSIVE, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_CardHandle(card, &handle);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SysFreeString(name);
    name = SysAllocString(reader_names[1]);
    hr = ISCard_AttachByReader(card, name, EXCLUSIVE, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_CardHandle(card, &handle2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* (the first handle is gone: a winscard may give its value again) */
    ok(handle2 != 0, "Got handle %#Ix (first %#Ix).\n", handle2, handle);
    /* the first reader is free again: another object gets it exclusively */
    {
        ISCard *other = create_card();
        BSTR first = SysAllocString(reader_names[0]);

        hr = ISCard_AttachByReader(other, first, EXCLUSIVE, T0 | T1);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        SysFreeString(first);
        ISCard_Release(other);
    }
    /* a failed attachment leaves the object detached */
    SysFreeString(name);
    name = SysAllocString(L"No Such Reader 00 00");
    hr = ISCard_AttachByReader(card, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_UNKNOWN_READER, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);

    SysFreeString(name);
    ISCard_Release(card);
}

/* A fresh object establishes its context on the first attachment, whatever
 * its outcome. */
static void test_unknown_reader(void)
{
    HSCARDCONTEXT context;
    ISCard *card;
    BSTR name;
    HRESULT hr;

    card = create_card();
    name = SysAllocString(L"Vendor Reader 0");   /* the name of the documented example */
    hr = ISCard_AttachByReader(card, name, SHARED, T0);
    ok(hr == SCARD_E_UNKNOWN_READER, "Got hr %#lx.\n", hr);
    context = 0;
    hr = ISCard_get_Context(card, &context);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!context, "Got no context.\n");
    check_handle(card, FALSE);
    SysFreeString(name);
    ISCard_Release(card);
}

/* §6.2 iscard-attachbyhandle: a handle the caller opened with winscard. */
static void test_attach_by_handle(void)
{
    SCARDHANDLE handle, handle2;
    SCARDCONTEXT context;
    HSCARDCONTEXT card_context;
    SCARD_PROTOCOLS protocol;
    DWORD active, state, proto, atr_len, names_len;
    BYTE atr[36];
    WCHAR names[256];
    ISCardCmd *cmd;
    ISCard *card;
    HSCARD got;
    HRESULT hr;
    LONG ret;

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    ret = SCardConnectW(context, reader_names[0], SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
            &handle, &active);
    ok(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    ok(active == (stack.t1 ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0), "Got protocol %#lx.\n", active);

    card = create_card();
    hr = ISCard_AttachByHandle(card, handle);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    got = 0;
    hr = ISCard_get_CardHandle(card, &got);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(got == handle, "Got handle %#Ix, expected %#Ix.\n", got, handle);
    /* the caller's context is not the object's: it has none */
    card_context = 0xdead;
    hr = ISCard_get_Context(card, &card_context);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!card_context, "Got context %#Ix.\n", card_context);
    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(protocol == (stack.t1 ? T1 : T0), "Got protocol %#x.\n", protocol);
    hr = ISCard_AttachByHandle(card, handle);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    cmd = create_cmd();
    reset_card(card);
    set_apdu(cmd, "00 84 00 00 08");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 15 16 17 18 90 00");
    /* the caller's handle still works beside the object */
    atr_len = sizeof(atr);
    names_len = ARRAY_SIZE(names);
    ret = SCardStatusW(handle, names, &names_len, &state, &proto, atr, &atr_len);
    ok(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    ok(!wcscmp(names, reader_names[0]), "Got reader %ls.\n", names);

    /* the handle belongs to the object now: Detach disconnects it */
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);
    atr_len = sizeof(atr);
    names_len = ARRAY_SIZE(names);
    ret = SCardStatusW(handle, names, &names_len, &state, &proto, atr, &atr_len);
    ok(ret == ERROR_INVALID_HANDLE, "Got %#lx.\n", ret);

    /* a handle winscard does not know */
    hr = ISCard_AttachByHandle(card, handle);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByHandle(card, 0x1234);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);

    /* attaching by handle while attached by reader: the old one goes */
    attach(card, 1, SHARED);
    ret = SCardConnectW(context, reader_names[0], SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
            &handle2, &active);
    ok(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    hr = ISCard_AttachByHandle(card, handle2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_CardHandle(card, &got);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(got == handle2, "Got handle %#Ix, expected %#Ix.\n", got, handle2);
    /* the final Release disconnects it too */
    ISCard_Release(card);
    atr_len = sizeof(atr);
    names_len = ARRAY_SIZE(names);
    ret = SCardStatusW(handle2, names, &names_len, &state, &proto, atr, &atr_len);
    ok(ret == ERROR_INVALID_HANDLE, "Got %#lx.\n", ret);

    ISCardCmd_Release(cmd);
    SCardReleaseContext(context);
}

struct transaction_thread
{
    ISCard *card;
    ISCardCmd *cmd;
    HRESULT hr;
    DWORD elapsed;
};

static DWORD WINAPI transaction_thread(void *arg)
{
    struct transaction_thread *params = arg;
    DWORD start = GetTickCount();

    params->hr = ISCard_Transaction(params->card, &params->cmd);
    params->elapsed = GetTickCount() - start;
    return 0;
}

/* §6.2 iscard-reattach, -lockscard, -unlockscard */
static void test_reattach_lock(void)
{
    struct transaction_thread params;
    SCARD_PROTOCOLS protocol;
    SCARD_STATES state;
    HSCARD handle, handle2;
    ISCardCmd *cmd, *cmd2;
    ISCard *card, *other;
    HANDLE thread;
    HRESULT hr;
    DWORD ret;
    BSTR name;

    /* (pcsc-lite 1.9.9 keeps a connection made EXCLUSIVE exclusive for
     * SCardConnect after SCardReconnect to SHARED: start SHARED) */
    card = create_card();
    attach(card, 0, SHARED);
    hr = ISCard_get_CardHandle(card, &handle);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_CardHandle(card, &handle2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(handle2 == handle, "Got handle %#Ix, expected %#Ix.\n", handle2, handle);
    /* now shared: a second object gets in */
    other = create_card();
    attach(other, 0, SHARED);

    /* RESET restarts the card's challenge sequence */
    cmd = create_cmd();
    set_apdu(cmd, "00 84 00 00 04");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, SHARED, RESET);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* the other connection is told of the reset until it attaches again */
    hr = ISCard_Transaction(other, &cmd);
    ok(hr == SCARD_W_RESET_CARD, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Status(other, &state);
    ok(hr == SCARD_W_RESET_CARD, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(other, &cmd);
    ok(hr == SCARD_W_RESET_CARD, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(other, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 90 00");
    hr = ISCard_Transaction(other, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "22 23 24 25 90 00");

    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(protocol == (stack.t1 ? T1 : T0), "Got protocol %#x.\n", protocol);
    hr = ISCard_get_Status(card, &state);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(state == SPECIFICMODE, "Got state %#x.\n", state);

    /* UnlockSCard without LockSCard */
    hr = ISCard_UnlockSCard(card, LEAVE);
    ok(hr == SCARD_E_NOT_TRANSACTED, "Got hr %#lx.\n", hr);

    /* LockSCard: the other object's transaction waits for UnlockSCard */
    hr = ISCard_LockSCard(card);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "33 34 35 36 90 00");
    cmd2 = create_cmd();
    set_apdu(cmd2, "00 84 00 00 04");
    params.card = other;
    params.cmd = cmd2;
    params.hr = E_FAIL;
    thread = CreateThread(NULL, 0, transaction_thread, &params, 0, NULL);
    ret = WaitForSingleObject(thread, 700);
    ok(ret == WAIT_TIMEOUT, "Got %#lx.\n", ret);
    /* still the holder's */
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "44 45 46 47 90 00");
    hr = ISCard_UnlockSCard(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ret = WaitForSingleObject(thread, 10000);
    ok(ret == WAIT_OBJECT_0, "Got %#lx.\n", ret);
    CloseHandle(thread);
    ok(params.hr == S_OK, "Got hr %#lx.\n", params.hr);
    ok(params.elapsed >= 600, "Waited %lu ms.\n", params.elapsed);
    check_reply(cmd2, "55 56 57 58 90 00");
    ISCardCmd_Release(cmd2);

    /* UnlockSCard(RESET) resets the card: the holder too is told */
    hr = ISCard_LockSCard(card);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_UnlockSCard(card, RESET);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_W_RESET_CARD, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 90 00");

    /* back to EXCLUSIVE once alone (SCardReconnect would wait for the
     * other connection to go) */
    ISCard_Release(other);
    hr = ISCard_ReAttach(card, EXCLUSIVE, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    other = create_card();
    name = SysAllocString(reader_names[0]);
    hr = ISCard_AttachByReader(other, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_SHARING_VIOLATION, "Got hr %#lx.\n", hr);
    SysFreeString(name);
    ISCard_Release(other);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

static void test_sharing_violation(void)
{
    ISCard *card, *card2;
    BSTR name;
    HRESULT hr;

    card = create_card();
    card2 = create_card();
    name = SysAllocString(reader_names[0]);

    hr = ISCard_AttachByReader(card, name, EXCLUSIVE, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card2, name, EXCLUSIVE, T0 | T1);
    ok(hr == SCARD_E_SHARING_VIOLATION, "Got hr %#lx.\n", hr);
    check_handle(card2, FALSE);
    hr = ISCard_AttachByReader(card2, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_SHARING_VIOLATION, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card2, name, EXCLUSIVE, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_SHARING_VIOLATION, "Got hr %#lx.\n", hr);

    SysFreeString(name);
    ISCard_Release(card2);
    ISCard_Release(card);
}

/* F1: building an ISO 7816-4 APDU command (GetChallenge) and running it;
 * F5: the ISO7816 builder fills the caller's ISCardCmd. */
static void test_flow_challenge(void)
{
    ISCardISO7816 *iso;
    ISCardCmd *cmd, *cmd2 = NULL;
    ISCard *card;
    HRESULT hr;

    cmd = create_cmd();
    iso = create_iso();
    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);

    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "00 84 00 00 08");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 15 16 17 18 90 00");

    /* a command the builder creates (*ppCmd NULL) */
    hr = ISCardISO7816_GetChallenge(iso, 4, &cmd2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd2, "22 23 24 25 90 00");
    ok(get_refcount(cmd2) == 1, "Got refcount %lu.\n", get_refcount(cmd2));

    /* the reply replaces the previous one */
    hr = ISCardISO7816_GetChallenge(iso, 0, &cmd);   /* Le 00: 256 bytes */
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    {
        BYTE expect[258];
        int k;

        for (k = 0; k < 256; k++)
            expect[k] = (BYTE)(3 * 0x11 + k);
        expect[256] = 0x90;
        expect[257] = 0x00;
        check_reply_bytes(cmd, expect, sizeof(expect));
    }

    ISCardCmd_Release(cmd2);
    ISCard_Release(card);
    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
}

/* F2/F4: connect, build, Transaction, interpret, repeat: a PIN-protected
 * file, with the ISO7816 builders; exact replies in both personalities. */
static void test_flow_files(void)
{
    IByteBuffer *pin, *bad_pin, *fid, *data, *name;
    ISCardISO7816 *iso;
    ISCardCmd *cmd;
    ISCard *card;

    cmd = create_cmd();
    iso = create_iso();
    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);

    /* SELECT MF with its FCI: T=0 answers 61 09 and the GET RESPONSE is
     * made by Transaction; T=1 answers at once */
    fid = buffer_from_hex("3F 00");
    ok(ISCardISO7816_SelectFile(iso, 0x00, 0x00, fid, 256, &cmd) == S_OK, "SelectFile failed.\n");
    check_apdu(cmd, "00 A4 00 00 02 3F 00 00");
    transact(card, cmd, "6F 07 82 01 38 83 02 3F 00 90 00");
    IByteBuffer_Release(fid);

    /* SELECT by DF name, then an EF below it, FCP */
    name = buffer_from_hex("F0 56 43 41 52 44 01");
    ok(ISCardISO7816_SelectFile(iso, 0x04, 0x00, name, 256, &cmd) == S_OK, "SelectFile failed.\n");
    transact(card, cmd, "6F 10 82 01 38 83 02 10 00 84 07 F0 56 43 41 52 44 01 90 00");
    IByteBuffer_Release(name);
    fid = buffer_from_hex("10 01");
    ok(ISCardISO7816_SelectFile(iso, 0x02, 0x04, fid, 256, &cmd) == S_OK, "SelectFile failed.\n");
    transact(card, cmd, "62 0B 82 01 01 83 02 10 01 80 02 00 40 90 00");
    IByteBuffer_Release(fid);
    ok(ISCardISO7816_ReadBinary(iso, 0x00, 0x3c, 4, &cmd) == S_OK, "ReadBinary failed.\n");
    transact(card, cmd, "BC BD BE BF 90 00");
    /* back to the MF, no answer data (P2 0C): a case 1 */
    ok(ISCardISO7816_SelectFile(iso, 0x00, 0x0c, NULL, 0, &cmd) == S_OK, "SelectFile failed.\n");
    check_apdu(cmd, "00 A4 00 0C");
    transact(card, cmd, "90 00");

    /* READ BINARY by SFI, Le 00: the whole 16-byte EF.  T=0 gets 6C 10 and
     * Transaction sends it again with Le 10 */
    ok(ISCardISO7816_ReadBinary(iso, 0x81, 0x00, 0, &cmd) == S_OK, "ReadBinary failed.\n");
    check_apdu(cmd, "00 B0 81 00 00");
    transact(card, cmd, "00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 90 00");
    /* an Le past the end: T=0 corrects it (6C 10), T=1 warns (62 82) */
    ok(ISCardISO7816_ReadBinary(iso, 0x81, 0x00, 0x20, &cmd) == S_OK, "ReadBinary failed.\n");
    transact(card, cmd, stack.t1 ? "00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 62 82"
                                 : "00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 90 00");
    /* an offset past the end */
    ok(ISCardISO7816_ReadBinary(iso, 0x81, 0x10, 1, &cmd) == S_OK, "ReadBinary failed.\n");
    transact(card, cmd, "6B 00");

    /* the PIN-protected EF 0006 (SFI 6) */
    ok(ISCardISO7816_ReadBinary(iso, 0x86, 0x00, 8, &cmd) == S_OK, "ReadBinary failed.\n");
    transact(card, cmd, "69 82");
    ok(ISCardISO7816_Verify(iso, 0x01, NULL, &cmd) == S_OK, "Verify failed.\n");
    transact(card, cmd, "63 C3");
    bad_pin = buffer_from_hex("30 30 30 30");
    ok(ISCardISO7816_Verify(iso, 0x01, bad_pin, &cmd) == S_OK, "Verify failed.\n");
    check_apdu(cmd, "00 20 00 01 04 30 30 30 30");
    transact(card, cmd, "63 C2");
    pin = buffer_from_hex("31 32 33 34");
    ok(ISCardISO7816_Verify(iso, 0x01, pin, &cmd) == S_OK, "Verify failed.\n");
    transact(card, cmd, "90 00");
    ok(ISCardISO7816_ReadBinary(iso, 0x86, 0x00, 8, &cmd) == S_OK, "ReadBinary failed.\n");
    transact(card, cmd, "53 45 43 52 45 54 30 31 90 00");

    /* records: READ RECORD, UPDATE RECORD, back */
    ok(ISCardISO7816_ReadRecord(iso, 0x02, 0x1c, 8, &cmd) == S_OK, "ReadRecord failed.\n");
    check_apdu(cmd, "00 B2 02 1C 08");
    transact(card, cmd, "20 21 22 23 24 25 26 27 90 00");
    data = buffer_from_hex("AA BB CC DD EE FF 00 11");
    ok(ISCardISO7816_UpdateRecord(iso, 0x02, 0x1c, data, &cmd) == S_OK, "UpdateRecord failed.\n");
    transact(card, cmd, "90 00");
    IByteBuffer_Release(data);
    ok(ISCardISO7816_ReadRecord(iso, 0x02, 0x1c, 0, &cmd) == S_OK, "ReadRecord failed.\n");
    transact(card, cmd, "AA BB CC DD EE FF 00 11 90 00");
    data = buffer_from_hex("20 21 22 23 24 25 26 27");
    ok(ISCardISO7816_UpdateRecord(iso, 0x02, 0x1c, data, &cmd) == S_OK, "UpdateRecord failed.\n");
    transact(card, cmd, "90 00");
    IByteBuffer_Release(data);

    /* GET DATA: the card says which protocol it runs */
    ok(ISCardISO7816_GetData(iso, 0x9f, 0x7f, 0, &cmd) == S_OK, "GetData failed.\n");
    transact(card, cmd, stack.t1 ? "56 43 41 52 44 00 01 01 90 00" : "56 43 41 52 44 00 01 00 90 00");

    /* INTERNAL AUTHENTICATE, a case 4: T=0 sends it as case 3 and fetches
     * the 8 bytes with GET RESPONSE */
    data = buffer_from_hex("01 02 03 04 05 06 07 08");
    ok(ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, data, 8, &cmd) == S_OK, "failed.\n");
    check_apdu(cmd, "00 88 00 00 08 01 02 03 04 05 06 07 08 08");
    transact(card, cmd, "AE 82 84 AC 82 9A 84 A2 90 00");
    IByteBuffer_Release(data);

    /* the PIN counter back to 3 for the next run, security state cleared */
    ok(ISCardISO7816_Verify(iso, 0x01, NULL, &cmd) == S_OK, "Verify failed.\n");
    transact(card, cmd, "90 00");
    IByteBuffer_Release(bad_pin);
    IByteBuffer_Release(pin);
    ISCard_Release(card);
    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
}

/* EXTERNAL AUTHENTICATE with the answer to a challenge, then the write it
 * unlocks. */
static void test_flow_authenticate(void)
{
    static const BYTE key[8] = {0x56, 0x43, 0x41, 0x52, 0x44, 0x4b, 0x45, 0x59};
    BYTE challenge[8], response[8];
    ISCardISO7816 *iso;
    IByteBuffer *buffer;
    ISCardCmd *cmd;
    ISCard *card;
    int i;

    cmd = create_cmd();
    iso = create_iso();
    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);

    buffer = buffer_from_hex("01 02");
    ok(ISCardISO7816_UpdateBinary(iso, 0x87, 0x00, buffer, &cmd) == S_OK, "UpdateBinary failed.\n");
    transact(card, cmd, "69 82");
    IByteBuffer_Release(buffer);

    ok(ISCardISO7816_GetChallenge(iso, 8, &cmd) == S_OK, "GetChallenge failed.\n");
    transact(card, cmd, "11 12 13 14 15 16 17 18 90 00");
    for (i = 0; i < 8; i++)
    {
        BYTE x;

        challenge[i] = 0x11 + i;
        x = challenge[i] ^ key[i];
        response[i] = (BYTE)((x << 1) | (x >> 7));
    }
    buffer = buffer_from_bytes(response, sizeof(response));
    ok(ISCardISO7816_ExternalAuthenticate(iso, 0x00, 0x01, buffer, &cmd) == S_OK, "failed.\n");
    transact(card, cmd, "90 00");
    IByteBuffer_Release(buffer);

    buffer = buffer_from_hex("01 02");
    ok(ISCardISO7816_UpdateBinary(iso, 0x87, 0x00, buffer, &cmd) == S_OK, "UpdateBinary failed.\n");
    transact(card, cmd, "90 00");
    IByteBuffer_Release(buffer);
    ok(ISCardISO7816_ReadBinary(iso, 0x87, 0x00, 8, &cmd) == S_OK, "ReadBinary failed.\n");
    transact(card, cmd, "01 02 00 00 00 00 00 00 90 00");
    buffer = buffer_from_hex("00 00");
    ok(ISCardISO7816_UpdateBinary(iso, 0x87, 0x00, buffer, &cmd) == S_OK, "UpdateBinary failed.\n");
    transact(card, cmd, "90 00");
    IByteBuffer_Release(buffer);

    ISCard_Release(card);
    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
}

/* F9: the GemCard sequence: CByteBuffer filled with SetSize and Write, no
 * Initialize; BuildCmd; Transaction; ApduReplyLength bytes of ApduReply. */
static void test_flow_gem(void)
{
    static const BYTE name[] = {0xf0, 0x56, 0x43, 0x41, 0x52, 0x44, 0x02};
    static const BYTE expect[] = {0x6f, 0x10, 0x82, 0x01, 0x38, 0x83, 0x02, 0x11, 0x00,
            0x84, 0x07, 0xf0, 0x56, 0x43, 0x41, 0x52, 0x44, 0x02, 0x90, 0x00};
    IByteBuffer *buffer, *reply;
    BYTE data[300];
    LONG le, written, length, read;
    ISCardCmd *cmd;
    ISCard *card;
    HRESULT hr;

    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);
    cmd = create_cmd();
    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_SetSize(buffer, sizeof(name));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(buffer, (BYTE *)name, sizeof(name), &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    le = 256;
    hr = ISCardCmd_BuildCmd(cmd, 0x00, 0xa4, 0x04, 0x00, buffer, &le);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    length = 0;
    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(length == sizeof(expect), "Got length %ld.\n", length);
    hr = ISCardCmd_get_ApduReply(cmd, &reply);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    read = 0;
    hr = IByteBuffer_Read(reply, data, length, &read);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == sizeof(expect) && !memcmp(data, expect, sizeof(expect)), "Got %s.\n", hexdump(data, read));
    IByteBuffer_Release(reply);

    /* SetSize(0): a command without data */
    hr = IByteBuffer_SetSize(buffer, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    le = 0;
    hr = ISCardCmd_BuildCmd(cmd, 0x00, 0xa4, 0x03, 0x0c, buffer, &le);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "00 A4 03 0C");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, "90 00");

    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* Transaction's own rules: what goes in, what comes back. */
static void test_transaction(void)
{
    ISCardISO7816 *iso;
    ISCardCmd *cmd;
    IByteBuffer *data;
    ISCard *card;
    HRESULT hr;
    WORD status;
    BYTE nad;

    cmd = create_cmd();
    iso = create_iso();
    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);

    /* §6.2 iscard-transaction: BuildCmd, then Transaction(&cmd) */
    hr = ISCardCmd_BuildCmd(cmd, 0x00, 0x84, 0x00, 0x00, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* a case 1 GET CHALLENGE: the card wants an Le */
    transact(card, cmd, "67 00");

    /* the reply's NAD is 0, whatever it was */
    hr = ISCardCmd_put_ReplyNad(cmd, 0x12);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    set_apdu(cmd, "00 84 00 00 02");
    transact(card, cmd, "11 12 90 00");

    /* a failed transaction leaves the previous reply alone */
    hr = ISCardCmd_put_ReplyStatus(cmd, 0x1234);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    status = 0;
    hr = ISCardCmd_get_ReplyStatus(cmd, &status);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(status == 0x1234, "Got status %#x.\n", status);
    attach(card, 0, SHARED);

    /* T=0 cannot carry more than 255 data bytes: nothing is sent */
    {
        BYTE big[300];

        memset(big, 0x5a, sizeof(big));
        data = buffer_from_bytes(big, sizeof(big));
        hr = ISCardISO7816_UpdateBinary(iso, 0x82, 0x00, data, &cmd);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        IByteBuffer_Release(data);
        hr = ISCardCmd_put_ReplyStatus(cmd, 0x1234);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ISCard_Transaction(card, &cmd);
        if (stack.t1)
        {
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            check_reply(cmd, "90 00");
            /* and back to i mod 256 */
            for (int i = 0; i < 300; i++)
                big[i] = (BYTE)i;
            data = buffer_from_bytes(big, sizeof(big));
            ISCardISO7816_UpdateBinary(iso, 0x82, 0x00, data, &cmd);
            IByteBuffer_Release(data);
            transact(card, cmd, "90 00");
        }
        else
        {
            ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
            hr = ISCardCmd_get_ReplyStatus(cmd, &status);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            ok(status == 0x1234, "Got status %#x.\n", status);
        }
    }

    /* T=1 gives what the card answered, 61 xx included; T=0 fetches it */
    data = buffer_from_hex("00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00");
    hr = ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, data, 4, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(data);
    /* x = 0: f(0)[i] = rotl(key[i]) */
    if (stack.t1)
    {
        transact(card, cmd, "AC 86 82 A4 61 10");
        hr = ISCardISO7816_GetResponse(iso, 0x00, 0x00, 0x10, &cmd);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        transact(card, cmd, "88 96 8A B2 AC 86 82 A4 88 96 8A B2 AC 86 82 A4 90 00");
    }
    else
    {
        /* the whole answer: the card cannot know Le under T=0 */
        transact(card, cmd, "AC 86 82 A4 88 96 8A B2 AC 86 82 A4 88 96 8A B2 AC 86 82 A4 90 00");
    }

    /* nothing pending: a GET RESPONSE of the caller's own */
    hr = ISCardISO7816_GetResponse(iso, 0x00, 0x00, 0x10, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "69 85");

    /* an unknown instruction, a bad class */
    set_apdu(cmd, "00 FE 00 00");
    transact(card, cmd, "6D 00");
    set_apdu(cmd, "80 84 00 00 08");
    transact(card, cmd, "6E 00");

    nad = 0xff;
    hr = ISCardCmd_get_ReplyNad(cmd, &nad);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!nad, "Got NAD %#x.\n", nad);

    ISCard_Release(card);
    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
}

/* AlternateClassId: the CLA of the GET RESPONSE that T=0 makes, shown by
 * the card's answer to it: 6E 00 for a proprietary class, 68 82 for one
 * that asks for secure messaging.  T=1 makes none: the class never shows. */
static void test_alternate_class(void)
{
    ISCardISO7816 *iso;
    IByteBuffer *data;
    ISCardCmd *cmd;
    ISCard *card;
    HRESULT hr;

    cmd = create_cmd();
    iso = create_iso();
    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);

    data = buffer_from_hex("01 02 03 04 05 06 07 08");
    hr = ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, data, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(data);

    hr = ISCardCmd_put_AlternateClassId(cmd, 0x80);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, stack.t1 ? "AE 82 84 AC 82 9A 84 A2 90 00" : "6E 00");
    hr = ISCardCmd_put_AlternateClassId(cmd, 0x0c);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, stack.t1 ? "AE 82 84 AC 82 9A 84 A2 90 00" : "68 82");
    /* the command's own class again */
    hr = ISCardCmd_put_AlternateClassId(cmd, 0x00);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "AE 82 84 AC 82 9A 84 A2 90 00");

    /* with a logical channel: the GET RESPONSE goes to the command's
     * channel unless AlternateClassId says otherwise */
    hr = ISCardISO7816_ManageChannel(iso, 0x00, 0x01, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "90 00");
    data = buffer_from_hex("01 02 03 04 05 06 07 08");
    hr = ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, data, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(data);
    hr = ISCardCmd_put_ClassId(cmd, 0x01);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* AlternateClassId is still 00: channel 0 has nothing pending */
    transact(card, cmd, stack.t1 ? "AE 82 84 AC 82 9A 84 A2 90 00" : "69 85");
    hr = ISCardCmd_put_AlternateClassId(cmd, 0x01);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "AE 82 84 AC 82 9A 84 A2 90 00");
    hr = ISCardCmd_put_ClassId(cmd, 0x00);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* command on channel 0, GET RESPONSE on channel 1: nothing pending there */
    transact(card, cmd, stack.t1 ? "AE 82 84 AC 82 9A 84 A2 90 00" : "69 85");
    hr = ISCardISO7816_ManageChannel(iso, 0x80, 0x01, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "90 00");

    ISCard_Release(card);
    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
}

/* Extended APDUs: READ BINARY of the 1000-byte EF 0002.  T=1 sends the
 * extended command as built; T=0 cannot, and asks for 256 bytes (P3 00). */
static void test_extended(void)
{
    ISCardISO7816 *iso;
    ISCardCmd *cmd;
    ISCard *card;
    BYTE expect[1002];
    HRESULT hr;
    int i;

    cmd = create_cmd();
    iso = create_iso();
    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);

    for (i = 0; i < 1000; i++)
        expect[i] = (BYTE)i;

    hr = ISCardISO7816_ReadBinary(iso, 0x82, 0x00, 1000, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "00 B0 82 00 00 03 E8");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (stack.t1)
    {
        expect[1000] = 0x90;
        expect[1001] = 0x00;
        check_reply_bytes(cmd, expect, 1002);
    }
    else
    {
        expect[256] = 0x90;
        expect[257] = 0x00;
        check_reply_bytes(cmd, expect, 258);
    }

    /* Le 65536 (00 00): up to the end, from offset 0x10 of the current EF */
    for (i = 0; i < 1000; i++)
        expect[i] = (BYTE)i;
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x10, 65536, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "00 B0 00 10 00 00 00");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (stack.t1)
    {
        memmove(expect, expect + 0x10, 1000 - 0x10);
        expect[1000 - 0x10] = 0x90;
        expect[1000 - 0x10 + 1] = 0x00;
        check_reply_bytes(cmd, expect, 1000 - 0x10 + 2);
    }
    else
    {
        memmove(expect, expect + 0x10, 256);
        expect[256] = 0x90;
        expect[257] = 0x00;
        check_reply_bytes(cmd, expect, 258);
    }

    /* an extended case 3 with short values, as put_Apdu took it: T=1 sends
     * it as it is, T=0 re-encodes it short */
    set_apdu(cmd, "00 D6 82 00 00 00 02 00 01");
    transact(card, cmd, "90 00");

    ISCard_Release(card);
    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
}

struct thread_params
{
    int reader;
    int rounds;
    LONG failures;
};

static DWORD WINAPI reader_thread(void *arg)
{
    struct thread_params *params = arg;
    IByteBuffer *data;
    ISCardCmd *cmd = NULL;
    ISCardISO7816 *iso;
    ISCard *card;
    BSTR name;
    HRESULT hr;
    int i;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    hr = CoCreateInstance(&CLSID_CSCard, NULL, CLSCTX_INPROC_SERVER, &IID_ISCard, (void **)&card);
    if (FAILED(hr))
    {
        params->failures++;
        return 1;
    }
    CoCreateInstance(&CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardISO7816, (void **)&iso);
    name = SysAllocString(reader_names[params->reader]);
    if (ISCard_AttachByReader(card, name, EXCLUSIVE, T0 | T1) != S_OK)
        params->failures++;
    SysFreeString(name);

    data = buffer_from_hex("01 02 03 04 05 06 07 08");
    for (i = 0; i < params->rounds; i++)
    {
        BYTE reply[16];
        LONG len = 0, read = 0;
        IByteBuffer *buffer;

        if (ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, data, 8, &cmd) != S_OK
                || ISCard_Transaction(card, &cmd) != S_OK
                || ISCardCmd_get_ApduReplyLength(cmd, &len) != S_OK || len != 10
                || ISCardCmd_get_ApduReply(cmd, &buffer) != S_OK)
        {
            params->failures++;
            continue;
        }
        IByteBuffer_Read(buffer, reply, len, &read);
        IByteBuffer_Release(buffer);
        if (read != 10 || memcmp(reply, "\xae\x82\x84\xac\x82\x9a\x84\xa2\x90\x00", 10))
            params->failures++;
    }
    IByteBuffer_Release(data);
    if (cmd)
        ISCardCmd_Release(cmd);
    ISCardISO7816_Release(iso);
    ISCard_Release(card);
    CoUninitialize();
    return 0;
}

/* Two threads, two ISCard objects, two readers, at the same time. */
static void test_threads(void)
{
    struct thread_params params[2] = {{0, 200, 0}, {1, 200, 0}};
    HANDLE threads[2];
    DWORD ret;
    int i;

    for (i = 0; i < 2; i++)
        threads[i] = CreateThread(NULL, 0, reader_thread, &params[i], 0, NULL);
    ret = WaitForMultipleObjects(2, threads, TRUE, 60000);
    ok(ret == WAIT_OBJECT_0, "Got %#lx.\n", ret);
    for (i = 0; i < 2; i++)
    {
        ok(!params[i].failures, "Thread %d: %ld failures.\n", i, params[i].failures);
        CloseHandle(threads[i]);
    }
}

/* One ISCard object shared by two threads: the object serialises them. */
static DWORD WINAPI shared_thread(void *arg)
{
    ISCard *card = arg;
    ISCardCmd *cmd;
    DWORD failures = 0;
    int i;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (FAILED(CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd)))
        return 1000;
    set_apdu(cmd, "00 B0 81 00 10");
    for (i = 0; i < 200; i++)
    {
        LONG len = 0;

        if (ISCard_Transaction(card, &cmd) != S_OK || ISCardCmd_get_ApduReplyLength(cmd, &len) != S_OK
                || len != 18)
            failures++;
    }
    ISCardCmd_Release(cmd);
    CoUninitialize();
    return failures;
}

static void test_threads_one_object(void)
{
    HANDLE threads[2];
    ISCard *card;
    DWORD ret, code;
    int i;

    card = create_card();
    attach(card, 0, SHARED);
    reset_card(card);
    for (i = 0; i < 2; i++)
        threads[i] = CreateThread(NULL, 0, shared_thread, card, 0, NULL);
    ret = WaitForMultipleObjects(2, threads, TRUE, 60000);
    ok(ret == WAIT_OBJECT_0, "Got %#lx.\n", ret);
    for (i = 0; i < 2; i++)
    {
        code = 0xdead;
        GetExitCodeThread(threads[i], &code);
        ok(!code, "Thread %d: %lu failures.\n", i, code);
        CloseHandle(threads[i]);
    }
    ISCard_Release(card);
}

START_TEST(card)
{
    CoInitialize(NULL);
    if (stack_init())
    {
        test_unknown_reader();
        test_attach_by_reader();
        test_attach_by_handle();
        test_reattach_lock();
        test_sharing_violation();
        test_flow_challenge();
        test_flow_files();
        test_flow_authenticate();
        test_flow_gem();
        test_transaction();
        test_alternate_class();
        test_extended();
        test_threads();
        test_threads_one_object();
    }
    CoUninitialize();
}
