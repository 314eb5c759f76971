/*
 * Tests for CSCard / ISCard that need no card: the object itself, bad
 * input, every member while not attached (card.c and faults.c run
 * against the reader stack).
 *
 * min-checks: 54 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "cardtest.h"

static void test_interfaces(void)
{
    IDispatch *dispatch;
    IUnknown *unknown;
    ISCardCmd *cmd;
    ISCard *card;
    UINT count;
    HRESULT hr;
    ULONG ref;

    card = create_card();
    ok(get_refcount(card) == 1, "Got refcount %lu.\n", get_refcount(card));

    hr = ISCard_QueryInterface(card, &IID_IUnknown, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCard_QueryInterface(card, &IID_IUnknown, (void **)&unknown);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unknown == (IUnknown *)card, "Got %p, expected %p.\n", unknown, card);
    IUnknown_Release(unknown);
    hr = ISCard_QueryInterface(card, &IID_IDispatch, (void **)&dispatch);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(dispatch == (IDispatch *)card, "Got %p, expected %p.\n", dispatch, card);
    hr = IDispatch_GetTypeInfoCount(dispatch, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 1, "Got count %u.\n", count);
    IDispatch_Release(dispatch);
    cmd = (ISCardCmd *)0xdeadbeef;
    hr = ISCard_QueryInterface(card, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!cmd, "Got %p.\n", cmd);
    ok(get_refcount(card) == 1, "Got refcount %lu.\n", get_refcount(card));

    ref = ISCard_Release(card);
    ok(!ref, "Got refcount %lu.\n", ref);
}

/* Everything that is decided before winscard is reached: out-pointers,
 * enums, calls while not attached.  No context is established by any of
 * them. */
static void test_not_attached(void)
{
    HSCARDCONTEXT context;
    SCARD_PROTOCOLS protocol;
    SCARD_STATES state;
    ISCardCmd *cmd, *null_cmd = NULL;
    IByteBuffer *atr;
    HSCARD handle;
    ISCard *card;
    HRESULT hr;

    card = create_card();

    hr = ISCard_get_Atr(card, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCard_get_CardHandle(card, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Context(card, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Protocol(card, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Status(card, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    /* documented: 0 when not connected / no context */
    handle = 0xdead;
    hr = ISCard_get_CardHandle(card, &handle);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!handle, "Got handle %#Ix.\n", handle);
    context = 0xdead;
    hr = ISCard_get_Context(card, &context);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!context, "Got context %#Ix.\n", context);

    /* the card operations: SCARD_E_INVALID_HANDLE */
    atr = (IByteBuffer *)0xdeadbeef;
    hr = ISCard_get_Atr(card, &atr);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    ok(!atr, "Got %p.\n", atr);
    protocol = 0xdead;
    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    ok(protocol == 0xdead, "Got protocol %#x.\n", protocol);
    state = 0xdead;
    hr = ISCard_get_Status(card, &state);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    ok(state == 0xdead, "Got state %#x.\n", state);
    hr = ISCard_LockSCard(card);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    hr = ISCard_UnlockSCard(card, LEAVE);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    /* Detach while not attached does nothing */
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, EJECT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* Transaction: the arguments first, then the command, then the card */
    hr = ISCard_Transaction(card, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCard_Transaction(card, &null_cmd);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!null_cmd, "Got %p.\n", null_cmd);
    cmd = create_cmd();
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    set_apdu(cmd, "00 84 00 00 08");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    check_no_reply(cmd);

    /* bad enums, whatever the state */
    hr = ISCard_Detach(card, 4);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCard_Detach(card, -1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCard_UnlockSCard(card, 4);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    /* share modes are PC/SC's to judge (tests/card/pcscvalues.c):
     * not attached, nothing to reconnect */
    hr = ISCard_ReAttach(card, 0, LEAVE);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, 3, LEAVE);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, SHARED, 4);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByHandle(card, 0);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    hr = ISCard_AttachByReader(card, NULL, SHARED, T0);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCard_AttachByReader(card, (BSTR)L"", SHARED, T0);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    /* none of that needed a resource manager */
    context = 0xdead;
    hr = ISCard_get_Context(card, &context);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!context, "Got context %#Ix.\n", context);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

START_TEST(unattached)
{
    CoInitialize(NULL);

    test_interfaces();
    test_not_attached();

    CoUninitialize();
}
