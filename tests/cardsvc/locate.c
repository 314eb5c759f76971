/*
 * Tests for CSCardLocate / ISCardLocate against the reader stack
 * (tools/stack: vpcd's two readers, the virtual card in the first), run
 * as locate_t0.exe and locate_t1.exe: tests/run-wine starts a stack of
 * that personality, and the program reads it from the stack.
 *
 * min-checks: 240 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>

#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "winscard.h"
#include "scardssp.h"

#include "wine/test.h"
#include "cardstack.h"
#include "cardsvc.h"

#define SC_DLG_MINIMAL_UI 0x01
#define SC_DLG_NO_UI 0x02
#define SC_DLG_FORCE_UI 0x04

static const WCHAR card_reader[] = L"Virtual PCD 00 00";
/* the virtual card's default ATRs (vcard/README.md) */
static const BYTE atr_t0[] = {0x3b, 0x89, 0x00, 0x80, 0x55, 0x56, 0x43, 0x41, 0x52, 0x44, 0x61, 0x00};
static const BYTE atr_t1[] = {0x3b, 0x89, 0x01, 0x80, 0x55, 0x56, 0x43, 0x41, 0x52, 0x44, 0x61, 0x01, 0x7f};
static const WCHAR test_card[] = L"scardssp locate test card";
static const GUID test_provider = {0x5e1f3a10, 0x2b7c, 0x4d8e, {0x9a, 0x61, 0x0c, 0x3d, 0x44, 0x72, 0x18, 0xe5}};
static const GUID test_interface = {0x5e1f3a11, 0x2b7c, 0x4d8e, {0x9a, 0x61, 0x0c, 0x3d, 0x44, 0x72, 0x18, 0xe5}};
static const WCHAR test_interface_str[] = L"{5E1F3A11-2B7C-4D8E-9A61-0C3D447218E5}";

static ISCardLocate *create_locate(void)
{
    ISCardLocate *locate = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardLocate, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardLocate, (void **)&locate);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return locate;
}

#define configure_names(a, b, c, d, e) configure_names_(__LINE__, a, b, c, d, e)
static void configure_names_(unsigned int line, ISCardLocate *locate, const WCHAR *name, const WCHAR *group,
        LONG flags, HRESULT expected)
{
    SAFEARRAY *names = create_bstr_array(&name, 1), *groups = group ? create_bstr_array(&group, 1) : NULL;
    BSTR title = SysAllocString(L"Insert the test card");
    HRESULT hr;

    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, groups, title, flags);
    ok_(__FILE__, line)(hr == expected, "Got hr %#lx, expected %#lx.\n", hr, expected);
    SysFreeString(title);
    SafeArrayDestroy(names);
    SafeArrayDestroy(groups);
}

/* FindCard that must fail, at once */
#define find_no_card(a, b, c, d, e) find_no_card_(__LINE__, a, b, c, d, e)
static void find_no_card_(unsigned int line, ISCardLocate *locate, SCARD_SHARE_MODES share, SCARD_PROTOCOLS protocols,
        LONG flags, HRESULT expected)
{
    SCARDINFO *info = (SCARDINFO *)0xdeadbeef;
    DWORD start = GetTickCount(), elapsed;
    HRESULT hr;

    hr = ISCardLocate_FindCard(locate, share, protocols, flags, &info);
    elapsed = GetTickCount() - start;
    ok_(__FILE__, line)(hr == expected, "Got hr %#lx, expected %#lx.\n", hr, expected);
    ok_(__FILE__, line)(!info, "Got %p.\n", info);
    ok_(__FILE__, line)(elapsed < 3000, "FindCard took %lu ms.\n", elapsed);
}

static void test_interfaces(ISCardLocate *locate)
{
    IDispatch *dispatch;
    IUnknown *unk;
    HRESULT hr;

    hr = ISCardLocate_QueryInterface(locate, &IID_IDispatch, (void **)&dispatch);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(dispatch == (IDispatch *)locate, "Got %p, expected %p.\n", dispatch, locate);
    IDispatch_Release(dispatch);
    unk = (IUnknown *)0xdeadbeef;
    hr = ISCardLocate_QueryInterface(locate, &IID_ISCardDatabase, (void **)&unk);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);
}

/* everything that fails before winscard is asked anything */
static void test_bad_input(void)
{
    static const WCHAR *bad_guids[] = {L"GemSAFE"};
    static const WCHAR *empty_name[] = {L""};
    static const WCHAR *name[] = {L"Some Card"};
    SAFEARRAYBOUND bounds[2] = {{1, 0}, {1, 0}};
    SAFEARRAY *names, *array;
    ISCardLocate *locate;
    ULONG refcount;
    HRESULT hr;

    locate = create_locate();
    if (!locate)
        return;

    /* nothing configured yet */
    find_no_card(locate, SHARED, T0, SC_DLG_NO_UI, E_UNEXPECTED);
    hr = ISCardLocate_FindCard(locate, SHARED, T0, SC_DLG_NO_UI, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    names = create_bstr_array(name, 1);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, NULL, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardLocate_ConfigureCardGuidSearch(locate, NULL, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, NULL, 0);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, NULL, SC_DLG_NO_UI | SC_DLG_FORCE_UI);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, NULL, 8);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    /* a failed Configure leaves nothing configured */
    find_no_card(locate, SHARED, T0, SC_DLG_NO_UI, E_UNEXPECTED);

    array = SafeArrayCreateVector(VT_BSTR, 0, 0);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    array = create_bstr_array(empty_name, 1);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    array = SafeArrayCreateVector(VT_I4, 0, 1);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, array, NULL, SC_DLG_NO_UI);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    array = SafeArrayCreate(VT_BSTR, 2, bounds);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    array = create_bstr_array(bad_guids, 1);
    hr = ISCardLocate_ConfigureCardGuidSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);

    find_no_card(locate, SHARED, T0, SC_DLG_NO_UI, E_UNEXPECTED);

    /* FindCard's own arguments are checked before anything else */
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    find_no_card(locate, 0, T0, SC_DLG_NO_UI, E_INVALIDARG);
    find_no_card(locate, 3, T0, SC_DLG_NO_UI, E_INVALIDARG);
    find_no_card(locate, SHARED, 0, SC_DLG_NO_UI, E_INVALIDARG);
    find_no_card(locate, SHARED, 4, SC_DLG_NO_UI, E_INVALIDARG);
    find_no_card(locate, SHARED, 0x10000, SC_DLG_NO_UI, E_INVALIDARG);
    find_no_card(locate, SHARED, T0, 0, E_INVALIDARG);
    find_no_card(locate, SHARED, T0, 3, E_INVALIDARG);
    hr = ISCardLocate_FindCard(locate, SHARED, T0, SC_DLG_NO_UI, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(names);

    refcount = ISCardLocate_Release(locate);
    ok(!refcount, "Got refcount %lu.\n", refcount);
}

/* Whether the first reader holds the virtual card of the expected personality. */
static BOOL check_card(SCARDCONTEXT context, const BYTE *expected, DWORD expected_len)
{
    SCARD_READERSTATEW state = {0};
    LONG ret;

    state.szReader = card_reader;
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    ret = SCardGetStatusChangeW(context, 0, &state, 1);
    ok(!ret, "SCardGetStatusChangeW returned %#lx.\n", ret);
    ok(state.dwEventState & SCARD_STATE_PRESENT, "Got state %#lx.\n", state.dwEventState);
    ok(state.cbAtr == expected_len && !memcmp(state.rgbAtr, expected, expected_len),
            "Got an ATR of %lu bytes, %02x %02x %02x.\n", state.cbAtr, state.rgbAtr[0], state.rgbAtr[1],
            state.rgbAtr[2]);
    return !ret && (state.dwEventState & SCARD_STATE_PRESENT);
}

static void test_not_found(void)
{
    ISCardLocate *locate = create_locate();
    ULONG refcount;

    if (!locate)
        return;

    /* a card the database does not know cannot be in any reader */
    configure_names(locate, L"scardssp no such card", NULL, SC_DLG_NO_UI, S_OK);
    find_no_card(locate, SHARED, T0, SC_DLG_NO_UI, SCARD_E_NO_SMARTCARD);
    find_no_card(locate, EXCLUSIVE, RAW, SC_DLG_NO_UI, SCARD_E_NO_SMARTCARD);
    /* NO_UI given to Configure wins over FindCard's MINIMAL_UI and FORCE_UI */
    find_no_card(locate, SHARED, T0, SC_DLG_MINIMAL_UI, SCARD_E_NO_SMARTCARD);
    find_no_card(locate, SHARED, T0, SC_DLG_FORCE_UI, SCARD_E_NO_SMARTCARD);

    /* where a dialog would show, this process has no display (tests/run-wine
     * gives one only to the dialog's own tests): the NO_UI answer, at once */
    configure_names(locate, L"scardssp no such card", NULL, SC_DLG_MINIMAL_UI, S_OK);
    find_no_card(locate, SHARED, T0, SC_DLG_MINIMAL_UI, SCARD_E_NO_SMARTCARD);
    find_no_card(locate, SHARED, T0, SC_DLG_FORCE_UI, SCARD_E_NO_SMARTCARD);
    find_no_card(locate, SHARED, T0, SC_DLG_NO_UI, SCARD_E_NO_SMARTCARD);
    configure_names(locate, L"scardssp no such card", NULL, SC_DLG_FORCE_UI, S_OK);
    find_no_card(locate, SHARED, T0, SC_DLG_MINIMAL_UI, SCARD_E_NO_SMARTCARD);

    refcount = ISCardLocate_Release(locate);
    ok(!refcount, "Got refcount %lu.\n", refcount);
}

#define check_info(a, b, c) check_info_(__LINE__, a, b, c)
static void check_info_(unsigned int line, SCARDINFO *info, SCARD_SHARE_MODES share, SCARD_PROTOCOLS expected_protocol)
{
    static const BYTE get_challenge[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    SCARD_IO_REQUEST pci;
    WCHAR reader[64];
    DWORD reader_len = ARRAY_SIZE(reader), state = 0, protocol = 0, atr_len = 36, reply_len;
    BYTE atr[36], reply[258];
    LONG ret;

    ok_(__FILE__, line)(info->hCard != 0, "Got no card handle.\n");
    ok_(__FILE__, line)(info->hContext != 0, "Got no context.\n");
    ok_(__FILE__, line)(info->ActiveProtocol == expected_protocol, "Got protocol %#x, expected %#x.\n",
            info->ActiveProtocol, expected_protocol);
    ok_(__FILE__, line)(info->ShareMode == share, "Got share mode %d.\n", info->ShareMode);
    ok_(__FILE__, line)(!info->hwndOwner, "Got hwndOwner %#Ix.\n", info->hwndOwner);
    ok_(__FILE__, line)(!info->lpfnConnectProc, "Got lpfnConnectProc %#Ix.\n", info->lpfnConnectProc);
    ok_(__FILE__, line)(!info->lpfnCheckProc, "Got lpfnCheckProc %#Ix.\n", info->lpfnCheckProc);
    ok_(__FILE__, line)(!info->lpfnDisconnectProc, "Got lpfnDisconnectProc %#Ix.\n", info->lpfnDisconnectProc);

    /* the handle is a live connection in the card's reader */
    ret = SCardStatusW(info->hCard, reader, &reader_len, &state, &protocol, atr, &atr_len);
    ok_(__FILE__, line)(!ret, "SCardStatusW returned %#lx.\n", ret);
    ok_(__FILE__, line)(!wcscmp(reader, card_reader), "Got reader %s.\n", dbgstr_w(reader));
    ok_(__FILE__, line)(protocol == (DWORD)expected_protocol, "Got protocol %#lx.\n", protocol);

    pci.dwProtocol = protocol;
    pci.cbPciLength = sizeof(pci);
    reply_len = sizeof(reply);
    ret = SCardTransmit(info->hCard, &pci, get_challenge, sizeof(get_challenge), NULL, reply, &reply_len);
    ok_(__FILE__, line)(!ret, "SCardTransmit returned %#lx.\n", ret);
    ok_(__FILE__, line)(reply_len == 10 && reply[8] == 0x90 && reply[9] == 0x00,
            "Got %lu bytes, SW %02x %02x.\n", reply_len, reply_len >= 2 ? reply[reply_len - 2] : 0,
            reply_len >= 2 ? reply[reply_len - 1] : 0);
}

#define release_info(a) release_info_(__LINE__, a)
static void release_info_(unsigned int line, SCARDINFO *info)
{
    LONG ret;

    ret = SCardDisconnect(info->hCard, 0 /* SCARD_LEAVE_CARD */);
    ok_(__FILE__, line)(!ret, "SCardDisconnect returned %#lx.\n", ret);
    ret = SCardReleaseContext(info->hContext);
    ok_(__FILE__, line)(!ret, "SCardReleaseContext returned %#lx.\n", ret);
    CoTaskMemFree(info);
}

static void test_find(SCARDCONTEXT context, SCARD_PROTOCOLS protocol)
{
    static const WCHAR *names[] = {L"scardssp no such card", L"SCARDSSP Locate Test Card"};
    static const WCHAR *interfaces[] = {test_interface_str};
    static const WCHAR *unknown_interfaces[] = {L"{5E1F3A12-2B7C-4D8E-9A61-0C3D447218E5}"};
    const SCARD_PROTOCOLS other = protocol == T0 ? T1 : T0;
    const BYTE *atr = protocol == T0 ? atr_t0 : atr_t1;
    DWORD atr_len = protocol == T0 ? sizeof(atr_t0) : sizeof(atr_t1);
    BYTE mask[33];
    SAFEARRAY *array, *groups;
    SCARDHANDLE holder;
    ISCardLocate *locate;
    SCARDINFO *info;
    DWORD active;
    ULONG refcount;
    LONG ret;
    HRESULT hr;

    if (!check_card(context, atr, atr_len))
        return;
    memset(mask, 0xff, sizeof(mask));
    SCardForgetCardTypeW(context, test_card);
    ret = SCardIntroduceCardTypeW(context, test_card, &test_provider, &test_interface, 1, atr, mask, atr_len);
    ok(!ret, "SCardIntroduceCardTypeW returned %#lx.\n", ret);

    /* which protocol the card speaks */
    ret = SCardConnectW(context, card_reader, SHARED /* SCARD_SHARE_SHARED */, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1,
            &holder, &active);
    ok(!ret, "SCardConnectW returned %#lx.\n", ret);
    ok(active == (DWORD)protocol, "Got protocol %#lx.\n", active);

    if (!(locate = create_locate()))
        return;

    /* by name, without case, among others; shared beside the holder */
    array = create_bstr_array(names, ARRAY_SIZE(names));
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        check_info(info, SHARED, protocol);
        release_info(info);
    }
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, protocol, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        check_info(info, SHARED, protocol);
        release_info(info);
    }

    /* a match that refuses the connection: its error */
    info = (SCARDINFO *)0xdeadbeef;
    hr = ISCardLocate_FindCard(locate, EXCLUSIVE, protocol, SC_DLG_NO_UI, &info);
    ok(hr == SCARD_E_SHARING_VIOLATION, "Got hr %#lx.\n", hr);
    ok(!info, "Got %p.\n", info);
    info = (SCARDINFO *)0xdeadbeef;
    hr = ISCardLocate_FindCard(locate, SHARED, other, SC_DLG_NO_UI, &info);
    ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
    ok(!info, "Got %p.\n", info);

    ret = SCardDisconnect(holder, 0 /* SCARD_LEAVE_CARD */);
    ok(!ret, "SCardDisconnect returned %#lx.\n", ret);

    /* alone with the card: exclusive, and the default MINIMAL_UI finds it without a dialog */
    info = NULL;
    hr = ISCardLocate_FindCard(locate, EXCLUSIVE, protocol, SC_DLG_MINIMAL_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        check_info(info, EXCLUSIVE, protocol);
        release_info(info);
    }

    /* within a reader group */
    array = create_bstr_array(names + 1, 1);
    groups = create_bstr_array((const WCHAR *[]){L"SCard$DefaultReaders"}, 1);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, groups, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(groups);
    SafeArrayDestroy(array);
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, protocol, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        check_info(info, SHARED, protocol);
        release_info(info);
    }

    /* the card handle handed to an ISCard, which then owns it; the context stays the caller's */
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, protocol, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        SCARD_PROTOCOLS card_protocol = 0;
        HSCARD handle = 0;
        ISCard *card;

        hr = CoCreateInstance(&CLSID_CSCard, NULL, CLSCTX_INPROC_SERVER, &IID_ISCard, (void **)&card);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (SUCCEEDED(hr))
        {
            hr = ISCard_AttachByHandle(card, info->hCard);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            hr = ISCard_get_CardHandle(card, &handle);
            ok(hr == S_OK && handle == info->hCard, "Got hr %#lx, handle %#Ix.\n", hr, handle);
            hr = ISCard_get_Protocol(card, &card_protocol);
            ok(hr == S_OK && card_protocol == protocol, "Got hr %#lx, protocol %#x.\n", hr, card_protocol);
            hr = ISCard_Detach(card, LEAVE);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            refcount = ISCard_Release(card);
            ok(!refcount, "Got refcount %lu.\n", refcount);
        }
        ret = SCardReleaseContext(info->hContext);
        ok(!ret, "SCardReleaseContext returned %#lx.\n", ret);
        CoTaskMemFree(info);
    }

    /* a group without readers: nothing to look at */
    array = create_bstr_array(names + 1, 1);
    groups = create_bstr_array((const WCHAR *[]){L"scardssp no such group"}, 1);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, groups, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(groups);
    SafeArrayDestroy(array);
    find_no_card(locate, SHARED, protocol, SC_DLG_NO_UI, SCARD_E_NO_READERS_AVAILABLE);
    find_no_card(locate, SHARED, protocol, SC_DLG_FORCE_UI, SCARD_E_NO_READERS_AVAILABLE);

    /* card names in an array of VARIANTs, as a script makes them */
    array = SafeArrayCreateVector(VT_VARIANT, 0, 1);
    {
        VARIANT v;
        LONG index = 0;

        V_VT(&v) = VT_BSTR;
        V_BSTR(&v) = SysAllocString(test_card);
        hr = SafeArrayPutElement(array, &index, &v);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        VariantClear(&v);
    }
    hr = ISCardLocate_ConfigureCardNameSearch(locate, array, NULL, NULL, SC_DLG_MINIMAL_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, protocol, SC_DLG_FORCE_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        check_info(info, SHARED, protocol);
        release_info(info);
    }

    /* by interface */
    array = create_bstr_array(interfaces, 1);
    hr = ISCardLocate_ConfigureCardGuidSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (info)
    {
        check_info(info, SHARED, protocol);
        release_info(info);
    }
    array = create_bstr_array(unknown_interfaces, 1);
    hr = ISCardLocate_ConfigureCardGuidSearch(locate, array, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    find_no_card(locate, SHARED, T0 | T1, SC_DLG_NO_UI, SCARD_E_NO_SMARTCARD);
    find_no_card(locate, SHARED, T0 | T1, SC_DLG_MINIMAL_UI, SCARD_E_NO_SMARTCARD);

    /* once the database forgets the card, nothing matches it */
    ret = SCardForgetCardTypeW(context, test_card);
    ok(!ret, "SCardForgetCardTypeW returned %#lx.\n", ret);
    configure_names(locate, test_card, NULL, SC_DLG_NO_UI, S_OK);
    find_no_card(locate, SHARED, T0 | T1, SC_DLG_NO_UI, SCARD_E_NO_SMARTCARD);

    refcount = ISCardLocate_Release(locate);
    ok(!refcount, "Got refcount %lu.\n", refcount);
}

START_TEST(locate)
{
    ISCardLocate *locate;
    SCARDCONTEXT context = 0;
    SCARD_PROTOCOLS protocol;
    ULONG refcount;
    LONG ret;

    CoInitialize(NULL);

    if (!(locate = create_locate()))
    {
        CoUninitialize();
        return;
    }
    test_interfaces(locate);
    refcount = ISCardLocate_Release(locate);
    ok(!refcount, "Got refcount %lu.\n", refcount);
    test_bad_input();

    /* tests/run-wine started the stack this program's name asks for */
    if (!(protocol = stack_protocol()))
    {
        CoUninitialize();
        return;
    }
    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(!ret, "SCardEstablishContext returned %#lx.\n", ret);
    if (ret)
    {
        CoUninitialize();
        return;
    }

    lock_card_database();
    test_not_found();
    test_find(context, protocol);
    unlock_card_database();

    SCardReleaseContext(context);
    CoUninitialize();
}
