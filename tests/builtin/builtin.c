/*
 * scardssp over Wine's own winscard.dll, for users who install without the
 * bridge (tools/install-prefix --no-bridge) and for 32-bit programs in
 * Wine's new WoW64 mode before 11.2 (where the installer leaves them Wine's
 * own): tests/run-matrix runs this program in such a prefix, against a
 * T=0 and a T=1 card.  No member may end the process: Wine's winscard
 * stubs the card database, so scardssp reads the card types that an
 * installer wrote into the registry itself (as a .reg file or an INF
 * would: here in this architecture's view), and the card members give the
 * answers they give over the bridge.  Debian 13's 32-bit Wine winscard
 * fails every call with SCARD_E_INVALID_PARAMETER (a Wine/Debian defect,
 * see the README): where the harness says so (SCARDSSP_BROKEN_WINSCARD32),
 * a 32-bit run checks that scardssp passes that error on.
 *
 * min-checks: 55 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "winscard.h"
#include "scardssp.h"

#include "wine/test.h"
#include "cardstack.h"
#include "../cardsvc/cardsvc.h"

#define SC_DLG_NO_UI 0x02   /* winscard's dialog flags: not in Wine's headers */

static BOOL broken_32bit;   /* Debian 13's 32-bit Wine winscard */

static void *create(const CLSID *clsid, const IID *iid)
{
    void *object = NULL;
    HRESULT hr = CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, iid, &object);
    ok(hr == S_OK, "CoCreateInstance got %#lx.\n", hr);
    return object;
}

/* The card type an installer writes (HKLM\...\Calais\SmartCards\<name>) */
static const WCHAR card_name[] = L"scardssp builtin test card";
static const WCHAR cards_key[] = L"SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards\\scardssp builtin test card";
/* the virtual card's ATRs (vcard/README.md); the mask leaves out TD1, the
 * protocol byte and the TCK */
static const BYTE t0_atr[] = {0x3b, 0x89, 0x00, 0x80, 0x55, 0x56, 0x43, 0x41, 0x52, 0x44, 0x61, 0x00};
static const BYTE t1_atr[] = {0x3b, 0x89, 0x01, 0x80, 0x55, 0x56, 0x43, 0x41, 0x52, 0x44, 0x61, 0x01, 0x7f};
static const BYTE card_mask[] = {0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x00, 0x00};
static const GUID card_provider = {0x1a2b3c4d, 0x1111, 0x2222, {0x33, 0x33, 0x44, 0x44, 0x55, 0x55, 0x66, 0x66}};
static const GUID card_interfaces[] =
{
    {0x0badcafe, 0x0001, 0x0002, {0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a}},
    {0x0badcafe, 0x0001, 0x0002, {0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0b}},
};

static void register_card_type(const BYTE *atr, DWORD atr_len)
{
    HKEY key;
    LONG ret;

    ret = RegCreateKeyExW(HKEY_LOCAL_MACHINE, cards_key, 0, NULL, 0, KEY_ALL_ACCESS, NULL, &key, NULL);
    ok(!ret, "RegCreateKeyExW returned %ld.\n", ret);
    if (ret) return;
    ret = RegSetValueExW(key, L"ATR", 0, REG_BINARY, atr, atr_len);
    ok(!ret, "RegSetValueExW returned %ld.\n", ret);
    ret = RegSetValueExW(key, L"ATRMask", 0, REG_BINARY, card_mask, atr_len);
    ok(!ret, "RegSetValueExW returned %ld.\n", ret);
    ret = RegSetValueExW(key, L"Primary Provider", 0, REG_BINARY, (const BYTE *)&card_provider, sizeof(GUID));
    ok(!ret, "RegSetValueExW returned %ld.\n", ret);
    ret = RegSetValueExW(key, L"Supported Interfaces", 0, REG_BINARY, (const BYTE *)card_interfaces,
                         sizeof(card_interfaces));
    ok(!ret, "RegSetValueExW returned %ld.\n", ret);
    RegCloseKey(key);
}

static IByteBuffer *byte_buffer(const BYTE *data, ULONG size)
{
    IByteBuffer *buffer = create(&CLSID_CByteBuffer, &IID_IByteBuffer);

    IByteBuffer_Write(buffer, (BYTE *)data, size, NULL);
    IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    return buffer;
}

static SAFEARRAY *guid_array(const GUID *guid)
{
    WCHAR str[39];
    const WCHAR *strings[] = {str};

    StringFromGUID2(guid, str, ARRAY_SIZE(str));
    return create_bstr_array(strings, 1);
}

/* An array of names is exactly EXPECTED (NULL: empty), then destroyed. */
#define check_names(a, b) check_names_(__LINE__, a, b)
static void check_names_(unsigned int line, SAFEARRAY *array, const WCHAR *expected)
{
    ULONG count = expected ? 1 : 0;
    BSTR *data;

    ok_(__FILE__, line)(array && array->cDims == 1 && array->rgsabound[0].cElements == count,
                        "Got array %p of %lu.\n", array, array ? array->rgsabound[0].cElements : 0);
    if (array && count && array->rgsabound[0].cElements == count && SUCCEEDED(SafeArrayAccessData(array, (void **)&data)))
    {
        ok_(__FILE__, line)(!wcscmp(data[0], expected), "Got %s.\n", dbgstr_w(data[0]));
        SafeArrayUnaccessData(array);
    }
    if (array) SafeArrayDestroy(array);
}

static void test_database(const BYTE *atr, ULONG atr_len)
{
    static const WCHAR *const both_interfaces[] =
    {
        L"{0BADCAFE-0001-0002-0304-05060708090B}", L"{0badcafe-0001-0002-0304-05060708090a}",
    };
    BYTE other_atr[sizeof(t1_atr)];
    ISCardDatabase *database = create(&CLSID_CSCardDatabase, &IID_ISCardDatabase);
    SAFEARRAY *array = (SAFEARRAY *)0xdeadbeef, *guids;
    GUID *guid = (GUID *)0xdeadbeef;
    BSTR name = SysAllocString(card_name), unknown = SysAllocString(L"no such card");
    IByteBuffer *buffer;
    WCHAR str[39];
    BSTR *data;
    HRESULT hr;
    LONG i;

    hr = ISCardDatabase_ListCards(database, NULL, NULL, 0x409, &array);
    ok(hr == S_OK, "ListCards got %#lx.\n", hr);
    check_names(array, card_name);
    /* by the ATR of the card in the reader, under the mask */
    buffer = byte_buffer(atr, atr_len);
    array = NULL;
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0x409, &array);
    ok(hr == S_OK, "ListCards got %#lx.\n", hr);
    check_names(array, card_name);
    IByteBuffer_Release(buffer);
    memcpy(other_atr, atr, atr_len);
    other_atr[10] = 0x62;                   /* a byte the mask keeps */
    buffer = byte_buffer(other_atr, atr_len);
    array = NULL;
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0x409, &array);
    ok(hr == S_OK, "ListCards got %#lx.\n", hr);
    check_names(array, NULL);
    IByteBuffer_Release(buffer);
    /* by interface: both, in the other order; one the card lacks */
    guids = create_bstr_array(both_interfaces, ARRAY_SIZE(both_interfaces));
    array = NULL;
    hr = ISCardDatabase_ListCards(database, NULL, guids, 0x409, &array);
    ok(hr == S_OK, "ListCards got %#lx.\n", hr);
    check_names(array, card_name);
    SafeArrayDestroy(guids);
    guids = guid_array(&card_provider);
    array = NULL;
    hr = ISCardDatabase_ListCards(database, NULL, guids, 0x409, &array);
    ok(hr == S_OK, "ListCards got %#lx.\n", hr);
    check_names(array, NULL);
    SafeArrayDestroy(guids);

    array = NULL;
    hr = ISCardDatabase_ListCardInterfaces(database, name, &array);
    ok(hr == S_OK, "ListCardInterfaces got %#lx.\n", hr);
    ok(array && array->rgsabound[0].cElements == 2, "Got array %p.\n", array);
    if (array && array->rgsabound[0].cElements == 2 && SUCCEEDED(SafeArrayAccessData(array, (void **)&data)))
    {
        for (i = 0; i < 2; i++)
        {
            StringFromGUID2(&card_interfaces[i], str, ARRAY_SIZE(str));
            ok(!wcscmp(data[i], str), "Got %s.\n", dbgstr_w(data[i]));
        }
        SafeArrayUnaccessData(array);
    }
    if (array) SafeArrayDestroy(array);
    hr = ISCardDatabase_GetProviderCardId(database, name, &guid);
    ok(hr == S_OK, "GetProviderCardId got %#lx.\n", hr);
    ok(guid && IsEqualGUID(guid, &card_provider), "Got GUID %p.\n", guid);
    CoTaskMemFree(guid);

    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCardInterfaces(database, unknown, &array);
    ok(hr == SCARD_E_UNKNOWN_CARD, "ListCardInterfaces got %#lx.\n", hr);
    ok(!array, "Got array %p.\n", array);
    guid = (GUID *)0xdeadbeef;
    hr = ISCardDatabase_GetProviderCardId(database, unknown, &guid);
    ok(hr == SCARD_E_UNKNOWN_CARD, "GetProviderCardId got %#lx.\n", hr);
    ok(!guid, "Got GUID %p.\n", guid);

    array = NULL;
    hr = ISCardDatabase_ListReaders(database, 0x409, &array);
    if (broken_32bit)
        ok(hr == SCARD_E_INVALID_PARAMETER, "ListReaders got %#lx.\n", hr);
    else
    {
        ok(hr == S_OK, "ListReaders got %#lx.\n", hr);
        if (hr == S_OK)
        {
            ok(array->rgsabound[0].cElements == 2, "Got %lu readers.\n", array->rgsabound[0].cElements);
            SafeArrayDestroy(array);
        }
    }
    SysFreeString(unknown);
    SysFreeString(name);
    ISCardDatabase_Release(database);
}

/* FindCard by name and by interface connects to the card; the handle
 * then belongs to an ISCard, which talks to the card. */
static void test_locate(void)
{
    const WCHAR *name = card_name;
    static const BYTE get_challenge[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    ISCardLocate *locate = create(&CLSID_CSCardLocate, &IID_ISCardLocate);
    SCARDINFO *info = (SCARDINFO *)0xdeadbeef;
    SAFEARRAY *names, *guids;
    ISCardCmd *cmd = NULL;
    IByteBuffer *buffer;
    ISCard *card;
    LONG len = 0;
    HRESULT hr;

    names = create_bstr_array(&name, 1);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "ConfigureCardNameSearch got %#lx.\n", hr);
    SafeArrayDestroy(names);
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    if (broken_32bit)
    {
        ok(hr == SCARD_E_INVALID_PARAMETER, "FindCard got %#lx.\n", hr);
        ok(!info, "Got info %p.\n", info);
        ISCardLocate_Release(locate);
        return;
    }
    ok(hr == S_OK, "FindCard got %#lx.\n", hr);
    ok(info && info->hCard && info->hContext, "Got info %p.\n", info);
    if (hr != S_OK || !info)
    {
        ISCardLocate_Release(locate);
        return;
    }
    card = create(&CLSID_CSCard, &IID_ISCard);
    hr = ISCard_AttachByHandle(card, info->hCard);
    ok(hr == S_OK, "AttachByHandle got %#lx.\n", hr);
    buffer = byte_buffer(get_challenge, sizeof(get_challenge));
    hr = ISCardCmd_put_Apdu(cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd), buffer);
    ok(hr == S_OK, "put_Apdu got %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Transaction got %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReplyLength(cmd, &len);
    ok(hr == S_OK && len == 10, "get_ApduReplyLength got %#lx, %ld.\n", hr, len);
    ISCardCmd_Release(cmd);
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Detach got %#lx.\n", hr);
    ISCard_Release(card);
    SCardReleaseContext(info->hContext);
    CoTaskMemFree(info);

    guids = guid_array(&card_interfaces[1]);
    hr = ISCardLocate_ConfigureCardGuidSearch(locate, guids, NULL, NULL, SC_DLG_NO_UI);
    ok(hr == S_OK, "ConfigureCardGuidSearch got %#lx.\n", hr);
    SafeArrayDestroy(guids);
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "FindCard got %#lx.\n", hr);
    ok(info && info->hCard, "Got info %p.\n", info);
    if (info)
    {
        SCardDisconnect(info->hCard, LEAVE);
        SCardReleaseContext(info->hContext);
        CoTaskMemFree(info);
    }
    ISCardLocate_Release(locate);
}

/* SELECT MF with its FCI: the same reply in both personalities (under T=0
 * scardssp fetches it with GET RESPONSE) */
static void test_card(const char *reader, BOOL t1)
{
    static const BYTE select_mf[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00, 0x00};
    static const BYTE fci[] = {0x6f, 0x07, 0x82, 0x01, 0x38, 0x83, 0x02, 0x3f, 0x00, 0x90, 0x00};
    ISCard *card = create(&CLSID_CSCard, &IID_ISCard);
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd);
    IByteBuffer *buffer = create(&CLSID_CByteBuffer, &IID_IByteBuffer);
    SCARD_STATES state = 0;
    SCARD_PROTOCOLS protocol = 0;
    WCHAR name[64];
    BSTR bstr;
    BYTE reply[32];
    LONG len = 0;
    HRESULT hr;

    MultiByteToWideChar(CP_UTF8, 0, reader, -1, name, ARRAY_SIZE(name));
    bstr = SysAllocString(name);
    hr = ISCard_AttachByReader(card, bstr, SHARED, T0 | T1);
    SysFreeString(bstr);
    if (broken_32bit)
    {
        ok(hr == SCARD_E_INVALID_PARAMETER, "AttachByReader got %#lx.\n", hr);
        hr = ISCard_get_Status(card, &state);
        ok(hr == SCARD_E_INVALID_HANDLE, "get_Status got %#lx.\n", hr);
        goto done;
    }
    ok(hr == S_OK, "AttachByReader got %#lx.\n", hr);
    hr = ISCard_get_Status(card, &state);
    ok(hr == S_OK && state == SPECIFICMODE, "get_Status got %#lx, state %d.\n", hr, state);
    hr = ISCard_get_Protocol(card, &protocol);
    ok(hr == S_OK && protocol == (t1 ? T1 : T0), "get_Protocol got %#lx, protocol %#x.\n", hr, protocol);

    IByteBuffer_Write(buffer, (BYTE *)select_mf, sizeof(select_mf), NULL);
    IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    hr = ISCardCmd_put_Apdu(cmd, buffer);
    ok(hr == S_OK, "put_Apdu got %#lx.\n", hr);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Transaction got %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReplyLength(cmd, &len);
    ok(hr == S_OK && len == sizeof(fci), "get_ApduReplyLength got %#lx, %ld.\n", hr, len);
    IByteBuffer_Release(buffer);
    buffer = NULL;
    hr = ISCardCmd_get_ApduReply(cmd, &buffer);
    ok(hr == S_OK, "get_ApduReply got %#lx.\n", hr);
    if (hr == S_OK)
    {
        memset(reply, 0, sizeof(reply));
        IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
        IByteBuffer_Read(buffer, reply, sizeof(reply), &len);
        ok(len == sizeof(fci) && !memcmp(reply, fci, sizeof(fci)), "Got reply of %ld bytes.\n", len);
    }
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Detach got %#lx.\n", hr);
done:
    if (buffer) IByteBuffer_Release(buffer);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* READ BINARY of EF 0001 by its SFI: 00 .. 0F, 90 00 (vcard/README.md) */
static HRESULT read_binary(ISCard *card, BYTE *reply, LONG *len)
{
    static const BYTE apdu[] = {0x00, 0xb0, 0x81, 0x00, 0x10};
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd);
    IByteBuffer *buffer = create(&CLSID_CByteBuffer, &IID_IByteBuffer);
    HRESULT hr;

    *len = 0;
    IByteBuffer_Write(buffer, (BYTE *)apdu, sizeof(apdu), NULL);
    IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    ISCardCmd_put_Apdu(cmd, buffer);
    IByteBuffer_Release(buffer);
    if ((hr = ISCard_Transaction(card, &cmd)) == S_OK && (hr = ISCardCmd_get_ApduReply(cmd, &buffer)) == S_OK)
    {
        IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
        IByteBuffer_Read(buffer, reply, 32, len);
        IByteBuffer_Release(buffer);
    }
    ISCardCmd_Release(cmd);
    return hr;
}

static HRESULT attach(ISCard *card, const char *reader, LONG protocols)
{
    WCHAR name[64];
    BSTR bstr;
    HRESULT hr;

    MultiByteToWideChar(CP_UTF8, 0, reader, -1, name, ARRAY_SIZE(name));
    bstr = SysAllocString(name);
    hr = ISCard_AttachByReader(card, bstr, SHARED, protocols);
    SysFreeString(bstr);
    return hr;
}

/* The first program of test_raw_after: a RAW attachment (Windows' 0x10000,
 * which scardssp gives Wine's winscard as pcsc-lite's 4), a READ BINARY,
 * Detach with LEAVE.  Its exit code is its verdict. */
static void raw_child(const char *reader)
{
    ISCard *card;
    BYTE reply[32];
    LONG len;
    BOOL good;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    card = create(&CLSID_CSCard, &IID_ISCard);
    if (broken_32bit)
        good = attach(card, reader, 0x10000) == SCARD_E_INVALID_PARAMETER;
    else
        good = attach(card, reader, 0x10000) == S_OK && read_binary(card, reply, &len) == S_OK && len == 18
                && reply[15] == 0x0f && ISCard_Detach(card, LEAVE) == S_OK;
    ISCard_Release(card);
    CoUninitialize();
    ExitProcess(good ? 0 : 1);
}

/* After a program's RAW attachment ended with LEAVE, the next program's
 * SHARED T0|T1 attachment works, as on Windows: pcsc-lite would refuse it
 * until the card is reset (its issue #49), so scardssp resets a card
 * nobody holds. */
static void test_raw_after(const char *reader, BOOL t1)
{
    static const BYTE expect[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 0x90, 0x00};
    SCARD_PROTOCOLS protocol = 0;
    PROCESS_INFORMATION pi;
    ISCard *card;
    BYTE reply[32];
    LONG len;
    HRESULT hr;

    if (!start_child("raw-child", &pi))
    {
        ok(0, "cannot start the child, error %lu.\n", GetLastError());
        return;
    }
    ok(wait_child(&pi) == 0, "the child's RAW attachment failed.\n");

    card = create(&CLSID_CSCard, &IID_ISCard);
    hr = attach(card, reader, T0 | T1);
    if (broken_32bit)
        ok(hr == SCARD_E_INVALID_PARAMETER, "AttachByReader got %#lx.\n", hr);
    else
    {
        ok(hr == S_OK, "AttachByReader got %#lx.\n", hr);
        hr = ISCard_get_Protocol(card, &protocol);
        ok(hr == S_OK && protocol == (t1 ? T1 : T0), "get_Protocol got %#lx, protocol %#x.\n", hr, protocol);
        hr = read_binary(card, reply, &len);
        ok(hr == S_OK, "Transaction got %#lx.\n", hr);
        ok(len == sizeof(expect) && !memcmp(reply, expect, sizeof(expect)), "Got reply of %ld bytes.\n", len);
    }
    ISCard_Release(card);
}

START_TEST(builtin)
{
    const char *protocol = getenv("VCARD_PROTOCOL"), *reader = getenv("VCARD_READER0");
    const char *broken = getenv("SCARDSSP_BROKEN_WINSCARD32");
    BOOL wow64 = FALSE, t1;
    HKEY key;

    ok(protocol && reader, "No reader stack: VCARD_PROTOCOL %s, VCARD_READER0 %s.\n", protocol, reader);
    if (!protocol || !reader)
        return;
    t1 = !strcmp(protocol, "t1");
    IsWow64Process(GetCurrentProcess(), &wow64);
    broken_32bit = wow64 && broken && !strcmp(broken, "1");
    if (strstr(GetCommandLineA(), " raw-child"))
        raw_child(reader);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    lock_card_database();
    register_card_type(t1 ? t1_atr : t0_atr, t1 ? sizeof(t1_atr) : sizeof(t0_atr));
    test_database(t1 ? t1_atr : t0_atr, t1 ? sizeof(t1_atr) : sizeof(t0_atr));
    test_locate();
    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, L"SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards", 0,
                       KEY_ALL_ACCESS, &key))
    {
        ok(!RegDeleteKeyW(key, card_name), "RegDeleteKeyW failed.\n");
        RegCloseKey(key);
    }
    unlock_card_database();
    test_card(reader, t1);
    test_raw_after(reader, t1);
    CoUninitialize();
}
