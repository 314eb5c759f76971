/*
 * scardssp over Wine's own winscard.dll, for users who install without the
 * bridge (tools/install-prefix --no-bridge): tests/run-matrix runs this
 * program under Wine 10 in such a prefix, against a T=0 and a T=1 card.
 * No member may end the process: the card database members, which Wine's
 * winscard stubs, give SCARD_E_UNSUPPORTED_FEATURE, and the card members
 * give the answers they give over the bridge.  Debian 13's 32-bit Wine
 * winscard fails every call with SCARD_E_INVALID_PARAMETER (a Wine/Debian
 * defect, see the README): a 32-bit run checks that scardssp passes that
 * error on.
 *
 * min-checks: 19 (tests/run-wine fails a run with fewer)
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

#define SC_DLG_NO_UI 0x02   /* winscard's dialog flags: not in Wine's headers */
#ifndef SCARD_E_UNSUPPORTED_FEATURE
#define SCARD_E_UNSUPPORTED_FEATURE ((DWORD)0x80100022)
#endif

static BOOL broken_32bit;   /* Debian 13's 32-bit Wine winscard */

static void *create(const CLSID *clsid, const IID *iid)
{
    void *object = NULL;
    HRESULT hr = CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, iid, &object);
    ok(hr == S_OK, "CoCreateInstance got %#lx.\n", hr);
    return object;
}

static void test_database(void)
{
    ISCardDatabase *database = create(&CLSID_CSCardDatabase, &IID_ISCardDatabase);
    SAFEARRAY *array = (SAFEARRAY *)0xdeadbeef;
    GUID *guid = (GUID *)0xdeadbeef;
    BSTR name = SysAllocString(L"dummycard");
    HRESULT hr;

    hr = ISCardDatabase_ListCards(database, NULL, NULL, 0x409, &array);
    ok(hr == SCARD_E_UNSUPPORTED_FEATURE, "ListCards got %#lx.\n", hr);
    ok(!array, "Got array %p.\n", array);
    hr = ISCardDatabase_ListCardInterfaces(database, name, &array);
    ok(hr == SCARD_E_UNSUPPORTED_FEATURE, "ListCardInterfaces got %#lx.\n", hr);
    hr = ISCardDatabase_GetProviderCardId(database, name, &guid);
    ok(hr == SCARD_E_UNSUPPORTED_FEATURE, "GetProviderCardId got %#lx.\n", hr);
    ok(!guid, "Got GUID %p.\n", guid);

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
    SysFreeString(name);
    ISCardDatabase_Release(database);
}

static void test_locate(void)
{
    ISCardLocate *locate = create(&CLSID_CSCardLocate, &IID_ISCardLocate);
    SCARDINFO *info = (SCARDINFO *)0xdeadbeef;
    HRESULT hr;

    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    ok(hr == SCARD_E_UNSUPPORTED_FEATURE, "FindCard got %#lx.\n", hr);
    ok(!info, "Got info %p.\n", info);
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
    BOOL wow64 = FALSE;

    ok(protocol && reader, "No reader stack: VCARD_PROTOCOL %s, VCARD_READER0 %s.\n", protocol, reader);
    if (!protocol || !reader)
        return;
    IsWow64Process(GetCurrentProcess(), &wow64);
    broken_32bit = wow64;
    if (strstr(GetCommandLineA(), " raw-child"))
        raw_child(reader);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    test_database();
    test_locate();
    test_card(reader, !strcmp(protocol, "t1"));
    test_raw_after(reader, !strcmp(protocol, "t1"));
    CoUninitialize();
}
