/*
 * Tests for CSCardISO7816 / ISCardISO7816
 *
 * min-checks: 750 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdarg.h>
#include <stdlib.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "scardssp.h"

#include "wine/test.h"
#include "unload.h"

static ULONG get_refcount(void *iface)
{
    IUnknown *unk = iface;

    IUnknown_AddRef(unk);
    return IUnknown_Release(unk);
}

static ISCardISO7816 *create_iso(void)
{
    ISCardISO7816 *iso = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardISO7816, (void **)&iso);
    ok(hr == S_OK, "Failed to create CSCardISO7816, hr %#lx.\n", hr);
    return iso;
}

static ISCardCmd *create_cmd(void)
{
    ISCardCmd *cmd = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == S_OK, "Failed to create CSCardCmd, hr %#lx.\n", hr);
    return cmd;
}

/* A CByteBuffer holding data[size], its seek pointer at the end. */
#define create_buffer(a, b) create_buffer_(__LINE__, a, b)
static IByteBuffer *create_buffer_(unsigned int line, const BYTE *data, LONG size)
{
    IByteBuffer *buffer = NULL;
    LONG count;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok_(__FILE__, line)(hr == S_OK, "Failed to create CByteBuffer, hr %#lx.\n", hr);
    if (buffer && size)
    {
        count = -1;
        hr = IByteBuffer_Write(buffer, (BYTE *)data, size, &count);
        ok_(__FILE__, line)(hr == S_OK, "Write returned %#lx.\n", hr);
        ok_(__FILE__, line)(count == size, "Wrote %ld bytes.\n", count);
    }
    return buffer;
}

#define check_position(a, b) check_position_(__LINE__, a, b)
static void check_position_(unsigned int line, IByteBuffer *buffer, LONG expect)
{
    LONG pos = -1;
    HRESULT hr;

    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_CUR, &pos);
    ok_(__FILE__, line)(hr == S_OK, "Seek returned %#lx.\n", hr);
    ok_(__FILE__, line)(pos == expect, "Got position %ld, expected %ld.\n", pos, expect);
}

/* get_Apdu gives prefix + middle + suffix, positioned at 0. */
#define check_apdu3(a, b, c, d, e, f, g) check_apdu3_(__LINE__, a, b, c, d, e, f, g)
static void check_apdu3_(unsigned int line, ISCardCmd *cmd, const BYTE *prefix, size_t prefix_len,
        const BYTE *middle, size_t middle_len, const BYTE *suffix, size_t suffix_len)
{
    size_t size = prefix_len + middle_len + suffix_len, i;
    IByteBuffer *buffer = NULL;
    BYTE *expect, *got;
    LONG count = -1, length = -1;
    HRESULT hr;

    ok_(__FILE__, line)(!!cmd, "No command object.\n");
    if (!cmd)
        return;
    hr = ISCardCmd_get_ApduLength(cmd, &length);
    ok_(__FILE__, line)(hr == S_OK, "get_ApduLength returned %#lx.\n", hr);
    ok_(__FILE__, line)(length == (LONG)size, "Got length %ld, expected %Iu.\n", length, size);
    hr = ISCardCmd_get_Apdu(cmd, &buffer);
    ok_(__FILE__, line)(hr == S_OK, "get_Apdu returned %#lx.\n", hr);
    if (!buffer)
        return;
    check_position_(line, buffer, 0);

    expect = malloc(size + 1);
    got = malloc(size + 16);
    memcpy(expect, prefix, prefix_len);
    memcpy(expect + prefix_len, middle, middle_len);
    memcpy(expect + prefix_len + middle_len, suffix, suffix_len);
    hr = IByteBuffer_Read(buffer, got, size + 16, &count);
    ok_(__FILE__, line)(hr == S_OK, "Read returned %#lx.\n", hr);
    ok_(__FILE__, line)(count == (LONG)size, "Got %ld bytes, expected %Iu.\n", count, size);
    if (count == (LONG)size)
    {
        for (i = 0; i < size; ++i)
            if (got[i] != expect[i])
                break;
        ok_(__FILE__, line)(i == size, "Byte %Iu is %#x, expected %#x.\n", i,
                i < size ? got[i] : 0, i < size ? expect[i] : 0);
    }
    free(expect);
    free(got);
    IByteBuffer_Release(buffer);
}

#define check_apdu(a, b, c) check_apdu3_(__LINE__, a, b, c, NULL, 0, NULL, 0)

static BYTE *pattern(size_t size)
{
    BYTE *data = malloc(size ? size : 1);
    size_t i;

    for (i = 0; i < size; ++i)
        data[i] = (BYTE)(i * 5 + 1);
    return data;
}

static void test_interfaces(void)
{
    ISCardISO7816 *iso = create_iso();
    ITypeInfo *typeinfo;
    TYPEATTR *attr;
    IDispatch *disp;
    IUnknown *unk;
    UINT count;
    HRESULT hr;

    hr = ISCardISO7816_QueryInterface(iso, &IID_IUnknown, (void **)&unk);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unk == (IUnknown *)iso, "Got a different IUnknown.\n");
    IUnknown_Release(unk);
    hr = ISCardISO7816_QueryInterface(iso, &IID_IDispatch, (void **)&disp);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(disp == (IDispatch *)iso, "Got a different IDispatch.\n");
    IDispatch_Release(disp);
    unk = (IUnknown *)0xdeadbeef;
    hr = ISCardISO7816_QueryInterface(iso, &IID_ISCardCmd, (void **)&unk);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);
    hr = ISCardISO7816_QueryInterface(iso, &IID_IUnknown, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    ok(get_refcount(iso) == 1, "Got refcount %lu.\n", get_refcount(iso));

    count = 0xdead;
    hr = ISCardISO7816_GetTypeInfoCount(iso, &count);
    ok(hr == S_OK && count == 1, "Got hr %#lx, count %u.\n", hr, count);
    typeinfo = NULL;
    hr = ISCardISO7816_GetTypeInfo(iso, 0, 0, &typeinfo);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (typeinfo)
    {
        hr = ITypeInfo_GetTypeAttr(typeinfo, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&attr->guid, &IID_ISCardISO7816), "Got the type info of another interface.\n");
        ok(attr->cFuncs == 18, "Got %u functions.\n", attr->cFuncs);
        ITypeInfo_ReleaseTypeAttr(typeinfo, attr);
        ITypeInfo_Release(typeinfo);
    }

    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
}

static void test_create_and_reuse(void)
{
    static const BYTE challenge8[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    static const BYTE challenge16[] = {0x00, 0x84, 0x00, 0x00, 0x10};
    static const BYTE read_binary[] = {0x00, 0xb0, 0x00, 0x00, 0x10};
    static const BYTE reply[] = {0x01, 0x02, 0x90, 0x00};
    ISCardISO7816 *iso = create_iso();
    ISCardCmd *cmd = NULL, *cmd2, *first;
    IByteBuffer *buffer;
    LONG length;
    BYTE byte;
    HRESULT hr;

    /* *ppCmd NULL: a new object, one reference for the caller */
    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!cmd, "No command created.\n");
    ok(get_refcount(cmd) == 1, "Got refcount %lu.\n", get_refcount(cmd));
    check_apdu(cmd, challenge8, sizeof(challenge8));

    /* a second call with a NULL pointer makes another object */
    cmd2 = NULL;
    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(cmd2 && cmd2 != cmd, "Got %p, %p.\n", cmd2, cmd);
    ok(!ISCardCmd_Release(cmd2), "Object not released.\n");

    /* an existing object is reused, with its reply and settings */
    buffer = create_buffer(reply, sizeof(reply));
    hr = ISCardCmd_put_ApduReply(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    hr = ISCardCmd_put_AlternateClassId(cmd, 0xc0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    first = cmd;
    hr = ISCardISO7816_GetChallenge(iso, 16, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(cmd == first, "Got another object.\n");
    ok(get_refcount(cmd) == 1, "Got refcount %lu.\n", get_refcount(cmd));
    check_apdu(cmd, challenge16, sizeof(challenge16));
    length = 0;
    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok(hr == S_OK && length == sizeof(reply), "Got hr %#lx, length %ld.\n", hr, length);
    byte = 0;
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == S_OK && byte == 0xc0, "Got hr %#lx, class %#x.\n", hr, byte);

    /* another builder on the same object */
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x00, 0x10, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(cmd == first, "Got another object.\n");
    check_apdu(cmd, read_binary, sizeof(read_binary));

    /* a failure leaves an existing object unchanged */
    hr = ISCardISO7816_GetChallenge(iso, -1, &cmd);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(cmd == first, "Got %p.\n", cmd);
    check_apdu(cmd, read_binary, sizeof(read_binary));
    hr = ISCardISO7816_UpdateBinary(iso, 0x00, 0x00, NULL, &cmd);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(cmd == first, "Got %p.\n", cmd);
    check_apdu(cmd, read_binary, sizeof(read_binary));
    ok(!ISCardCmd_Release(cmd), "Object not released.\n");

    /* and creates nothing when *ppCmd is NULL */
    cmd = NULL;
    hr = ISCardISO7816_GetChallenge(iso, 65537, &cmd);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!cmd, "Got %p.\n", cmd);
    hr = ISCardISO7816_WriteBinary(iso, 0x00, 0x00, NULL, &cmd);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!cmd, "Got %p.\n", cmd);

    /* a command object created by the caller works the same */
    cmd = create_cmd();
    first = cmd;
    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(cmd == first, "Got another object.\n");
    check_apdu(cmd, challenge8, sizeof(challenge8));
    ok(!ISCardCmd_Release(cmd), "Object not released.\n");

    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
}

static void test_null_ppcmd(void)
{
    static const BYTE data[] = {0x01, 0x02};
    ISCardISO7816 *iso = create_iso();
    IByteBuffer *buffer = create_buffer(data, sizeof(data));
    HRESULT hr;

    hr = ISCardISO7816_AppendRecord(iso, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_EraseBinary(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_ExternalAuthenticate(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_GetChallenge(iso, 8, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_GetData(iso, 0x00, 0x00, 1, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_GetResponse(iso, 0x00, 0x00, 0, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, buffer, 0, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_ManageChannel(iso, 0x00, 0x00, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_PutData(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x00, 0, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_ReadRecord(iso, 0x00, 0x00, 0, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_SelectFile(iso, 0x00, 0x00, buffer, 0, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_UpdateBinary(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_UpdateRecord(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_Verify(iso, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_WriteBinary(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_WriteRecord(iso, 0x00, 0x00, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    IByteBuffer_Release(buffer);
    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
}

/* Mandatory data: NULL is E_POINTER, empty is E_INVALIDARG, too long is E_INVALIDARG. */
static void test_required_data(void)
{
    ISCardISO7816 *iso = create_iso();
    IByteBuffer *empty = create_buffer(NULL, 0);
    BYTE *data = pattern(65536);
    IByteBuffer *huge = create_buffer(data, 65536);
    ISCardCmd *cmd = NULL;
    HRESULT hr;

#define check_required(call) \
    do { \
        hr = ISCardISO7816_##call; \
        ok(!cmd, "Got %p.\n", cmd); \
    } while (0)

    check_required(AppendRecord(iso, 0x00, NULL, &cmd));
    ok(hr == E_POINTER, "AppendRecord: got hr %#lx.\n", hr);
    check_required(AppendRecord(iso, 0x00, empty, &cmd));
    ok(hr == E_INVALIDARG, "AppendRecord: got hr %#lx.\n", hr);
    check_required(AppendRecord(iso, 0x00, huge, &cmd));
    ok(hr == E_INVALIDARG, "AppendRecord: got hr %#lx.\n", hr);
    check_required(InternalAuthenticate(iso, 0x00, 0x00, NULL, 0, &cmd));
    ok(hr == E_POINTER, "InternalAuthenticate: got hr %#lx.\n", hr);
    check_required(InternalAuthenticate(iso, 0x00, 0x00, empty, 0, &cmd));
    ok(hr == E_INVALIDARG, "InternalAuthenticate: got hr %#lx.\n", hr);
    check_required(PutData(iso, 0x00, 0x00, NULL, &cmd));
    ok(hr == E_POINTER, "PutData: got hr %#lx.\n", hr);
    check_required(PutData(iso, 0x00, 0x00, empty, &cmd));
    ok(hr == E_INVALIDARG, "PutData: got hr %#lx.\n", hr);
    check_required(UpdateBinary(iso, 0x00, 0x00, NULL, &cmd));
    ok(hr == E_POINTER, "UpdateBinary: got hr %#lx.\n", hr);
    check_required(UpdateBinary(iso, 0x00, 0x00, empty, &cmd));
    ok(hr == E_INVALIDARG, "UpdateBinary: got hr %#lx.\n", hr);
    check_required(UpdateBinary(iso, 0x00, 0x00, huge, &cmd));
    ok(hr == E_INVALIDARG, "UpdateBinary: got hr %#lx.\n", hr);
    check_required(UpdateRecord(iso, 0x00, 0x00, NULL, &cmd));
    ok(hr == E_POINTER, "UpdateRecord: got hr %#lx.\n", hr);
    check_required(UpdateRecord(iso, 0x00, 0x00, empty, &cmd));
    ok(hr == E_INVALIDARG, "UpdateRecord: got hr %#lx.\n", hr);
    check_required(WriteBinary(iso, 0x00, 0x00, NULL, &cmd));
    ok(hr == E_POINTER, "WriteBinary: got hr %#lx.\n", hr);
    check_required(WriteBinary(iso, 0x00, 0x00, empty, &cmd));
    ok(hr == E_INVALIDARG, "WriteBinary: got hr %#lx.\n", hr);
    check_required(WriteRecord(iso, 0x00, 0x00, NULL, &cmd));
    ok(hr == E_POINTER, "WriteRecord: got hr %#lx.\n", hr);
    check_required(WriteRecord(iso, 0x00, 0x00, empty, &cmd));
    ok(hr == E_INVALIDARG, "WriteRecord: got hr %#lx.\n", hr);

    /* optional data: too long is still E_INVALIDARG */
    check_required(EraseBinary(iso, 0x00, 0x00, huge, &cmd));
    ok(hr == E_INVALIDARG, "EraseBinary: got hr %#lx.\n", hr);
    check_required(ExternalAuthenticate(iso, 0x00, 0x00, huge, &cmd));
    ok(hr == E_INVALIDARG, "ExternalAuthenticate: got hr %#lx.\n", hr);
    check_required(SelectFile(iso, 0x00, 0x00, huge, 0, &cmd));
    ok(hr == E_INVALIDARG, "SelectFile: got hr %#lx.\n", hr);
    check_required(Verify(iso, 0x00, huge, &cmd));
    ok(hr == E_INVALIDARG, "Verify: got hr %#lx.\n", hr);

    /* lengths */
    check_required(GetChallenge(iso, -1, &cmd));
    ok(hr == E_INVALIDARG, "GetChallenge: got hr %#lx.\n", hr);
    check_required(GetData(iso, 0x00, 0x00, 65537, &cmd));
    ok(hr == E_INVALIDARG, "GetData: got hr %#lx.\n", hr);
    check_required(GetData(iso, 0x00, 0x00, -1, &cmd));
    ok(hr == E_INVALIDARG, "GetData: got hr %#lx.\n", hr);
    check_required(GetResponse(iso, 0x00, 0x00, -256, &cmd));
    ok(hr == E_INVALIDARG, "GetResponse: got hr %#lx.\n", hr);
    check_required(InternalAuthenticate(iso, 0x00, 0x00, huge, -1, &cmd));
    ok(hr == E_INVALIDARG, "InternalAuthenticate: got hr %#lx.\n", hr);
    check_required(ReadBinary(iso, 0x00, 0x00, 0x7fffffff, &cmd));
    ok(hr == E_INVALIDARG, "ReadBinary: got hr %#lx.\n", hr);
    check_required(ReadRecord(iso, 0x00, 0x00, -1, &cmd));
    ok(hr == E_INVALIDARG, "ReadRecord: got hr %#lx.\n", hr);
    check_required(SelectFile(iso, 0x00, 0x00, NULL, -1, &cmd));
    ok(hr == E_INVALIDARG, "SelectFile: got hr %#lx.\n", hr);
    check_required(SelectFile(iso, 0x00, 0x00, NULL, 65537, &cmd));
    ok(hr == E_INVALIDARG, "SelectFile: got hr %#lx.\n", hr);

#undef check_required

    IByteBuffer_Release(empty);
    IByteBuffer_Release(huge);
    free(data);
    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
}

static void test_builders(void)
{
    static const BYTE record[] = {0x01, 0x02, 0xaa, 0xbb};
    static const BYTE offset[] = {0x00, 0x20};
    static const BYTE challenge[] = {0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    static const BYTE mf[] = {0x3f, 0x00};
    static const BYTE aid[] = {0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10};
    static const BYTE pin[] = {0x31, 0x32, 0x33, 0x34, 0xff, 0xff, 0xff, 0xff};
    static const BYTE tlv[] = {0x5f, 0x50, 0x01, 0x41};
    static const BYTE bytes3[] = {0xde, 0xad, 0x01};

    static const BYTE append_record[] = {0x00, 0xe2, 0x00, 0x08, 0x04, 0x01, 0x02, 0xaa, 0xbb};
    static const BYTE append_record0[] = {0x00, 0xe2, 0x00, 0x00, 0x04, 0x01, 0x02, 0xaa, 0xbb};
    static const BYTE erase_binary[] = {0x00, 0x0e, 0x81, 0x10};
    static const BYTE erase_binary_data[] = {0x00, 0x0e, 0x00, 0x00, 0x02, 0x00, 0x20};
    static const BYTE ext_auth[] = {0x00, 0x82, 0x01, 0x82, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88};
    static const BYTE ext_auth_none[] = {0x00, 0x82, 0x00, 0x00};
    static const BYTE get_challenge8[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    static const BYTE get_challenge0[] = {0x00, 0x84, 0x00, 0x00, 0x00};
    static const BYTE get_challenge257[] = {0x00, 0x84, 0x00, 0x00, 0x00, 0x01, 0x01};
    static const BYTE get_challenge65536[] = {0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const BYTE get_data[] = {0x00, 0xca, 0x9f, 0x7f, 0x2d};
    static const BYTE get_data0[] = {0x00, 0xca, 0x01, 0x02, 0x00};
    static const BYTE get_response[] = {0x00, 0xc0, 0x00, 0x00, 0x20};
    static const BYTE get_response0[] = {0x00, 0xc0, 0x00, 0x00, 0x00};
    static const BYTE int_auth[] = {0x00, 0x88, 0x00, 0x01, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88,
            0x00};
    static const BYTE int_auth_80[] = {0x00, 0x88, 0x02, 0x81, 0x08, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
            0x88, 0x80};
    static const BYTE manage_open[] = {0x00, 0x70, 0x00, 0x00, 0x01};
    static const BYTE manage_open2[] = {0x00, 0x70, 0x00, 0x02};
    static const BYTE manage_close[] = {0x00, 0x70, 0x80, 0x01};
    static const BYTE put_data[] = {0x00, 0xda, 0x5f, 0x50, 0x04, 0x5f, 0x50, 0x01, 0x41};
    static const BYTE read_binary0[] = {0x00, 0xb0, 0x81, 0x00, 0x00};
    static const BYTE read_binary[] = {0x00, 0xb0, 0x00, 0x10, 0x20};
    static const BYTE read_binary255[] = {0x00, 0xb0, 0x00, 0x00, 0xff};
    static const BYTE read_binary256[] = {0x00, 0xb0, 0x00, 0x00, 0x00};
    static const BYTE read_binary300[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x2c};
    static const BYTE read_record0[] = {0x00, 0xb2, 0x01, 0x04, 0x00};
    static const BYTE read_record[] = {0x00, 0xb2, 0x02, 0x0c, 0x1c};
    static const BYTE select_mf[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00};
    static const BYTE select_mf_le[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00, 0x00};
    static const BYTE select_none[] = {0x00, 0xa4, 0x00, 0x00};
    static const BYTE select_aid[] = {0x00, 0xa4, 0x04, 0x00, 0x07, 0xa0, 0x00, 0x00, 0x00, 0x03, 0x10, 0x10,
            0x12};
    static const BYTE update_binary[] = {0x00, 0xd6, 0x00, 0x04, 0x03, 0xde, 0xad, 0x01};
    static const BYTE update_record[] = {0x00, 0xdc, 0x03, 0x04, 0x03, 0xde, 0xad, 0x01};
    static const BYTE verify[] = {0x00, 0x20, 0x00, 0x81, 0x08, 0x31, 0x32, 0x33, 0x34, 0xff, 0xff, 0xff, 0xff};
    static const BYTE verify_none[] = {0x00, 0x20, 0x00, 0x81};
    static const BYTE write_binary[] = {0x00, 0xd0, 0x80, 0x00, 0x03, 0xde, 0xad, 0x01};
    static const BYTE write_record[] = {0x00, 0xd2, 0x00, 0x0b, 0x03, 0xde, 0xad, 0x01};
    static const BYTE update_ext_hdr[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0xff, 0xff};
    ISCardISO7816 *iso = create_iso();
    IByteBuffer *buffer, *empty = create_buffer(NULL, 0);
    BYTE *data = pattern(65535);
    ISCardCmd *cmd = NULL;
    HRESULT hr;

    /* every data buffer below is positioned at its end: it is read whole */
    buffer = create_buffer(record, sizeof(record));
    hr = ISCardISO7816_AppendRecord(iso, 0x08, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, append_record, sizeof(append_record));
    check_position(buffer, sizeof(record));
    hr = ISCardISO7816_AppendRecord(iso, 0x00, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, append_record0, sizeof(append_record0));
    IByteBuffer_Release(buffer);

    hr = ISCardISO7816_EraseBinary(iso, 0x81, 0x10, NULL, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, erase_binary, sizeof(erase_binary));
    hr = ISCardISO7816_EraseBinary(iso, 0x81, 0x10, empty, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, erase_binary, sizeof(erase_binary));
    buffer = create_buffer(offset, sizeof(offset));
    hr = ISCardISO7816_EraseBinary(iso, 0x00, 0x00, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, erase_binary_data, sizeof(erase_binary_data));
    IByteBuffer_Release(buffer);

    buffer = create_buffer(challenge, sizeof(challenge));
    hr = ISCardISO7816_ExternalAuthenticate(iso, 0x01, 0x82, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, ext_auth, sizeof(ext_auth));
    hr = ISCardISO7816_ExternalAuthenticate(iso, 0x00, 0x00, NULL, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, ext_auth_none, sizeof(ext_auth_none));

    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_challenge8, sizeof(get_challenge8));
    hr = ISCardISO7816_GetChallenge(iso, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_challenge0, sizeof(get_challenge0));
    hr = ISCardISO7816_GetChallenge(iso, 256, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_challenge0, sizeof(get_challenge0));
    hr = ISCardISO7816_GetChallenge(iso, 257, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_challenge257, sizeof(get_challenge257));
    hr = ISCardISO7816_GetChallenge(iso, 65536, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_challenge65536, sizeof(get_challenge65536));

    hr = ISCardISO7816_GetData(iso, 0x9f, 0x7f, 0x2d, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_data, sizeof(get_data));
    hr = ISCardISO7816_GetData(iso, 0x01, 0x02, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_data0, sizeof(get_data0));

    hr = ISCardISO7816_GetResponse(iso, 0x00, 0x00, 0x20, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_response, sizeof(get_response));
    hr = ISCardISO7816_GetResponse(iso, 0x00, 0x00, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, get_response0, sizeof(get_response0));

    hr = ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x01, buffer, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, int_auth, sizeof(int_auth));
    hr = ISCardISO7816_InternalAuthenticate(iso, 0x02, 0x81, buffer, 0x80, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, int_auth_80, sizeof(int_auth_80));
    check_position(buffer, sizeof(challenge));
    IByteBuffer_Release(buffer);

    hr = ISCardISO7816_ManageChannel(iso, 0x00, 0x00, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, manage_open, sizeof(manage_open));
    hr = ISCardISO7816_ManageChannel(iso, 0x00, 0x02, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, manage_open2, sizeof(manage_open2));
    hr = ISCardISO7816_ManageChannel(iso, 0x80, 0x01, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, manage_close, sizeof(manage_close));

    buffer = create_buffer(tlv, sizeof(tlv));
    hr = ISCardISO7816_PutData(iso, 0x5f, 0x50, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, put_data, sizeof(put_data));
    IByteBuffer_Release(buffer);

    hr = ISCardISO7816_ReadBinary(iso, 0x81, 0x00, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_binary0, sizeof(read_binary0));
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x10, 0x20, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_binary, sizeof(read_binary));
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x00, 255, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_binary255, sizeof(read_binary255));
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x00, 256, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_binary256, sizeof(read_binary256));
    hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x00, 300, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_binary300, sizeof(read_binary300));

    hr = ISCardISO7816_ReadRecord(iso, 0x01, 0x04, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_record0, sizeof(read_record0));
    hr = ISCardISO7816_ReadRecord(iso, 0x02, 0x0c, 0x1c, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, read_record, sizeof(read_record));

    buffer = create_buffer(mf, sizeof(mf));
    hr = ISCardISO7816_SelectFile(iso, 0x00, 0x00, buffer, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf, sizeof(select_mf));
    hr = ISCardISO7816_SelectFile(iso, 0x00, 0x00, buffer, 256, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf_le, sizeof(select_mf_le));
    IByteBuffer_Release(buffer);
    hr = ISCardISO7816_SelectFile(iso, 0x00, 0x00, NULL, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_none, sizeof(select_none));
    hr = ISCardISO7816_SelectFile(iso, 0x00, 0x00, empty, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_none, sizeof(select_none));
    buffer = create_buffer(aid, sizeof(aid));
    hr = ISCardISO7816_SelectFile(iso, 0x04, 0x00, buffer, 0x12, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_aid, sizeof(select_aid));
    IByteBuffer_Release(buffer);

    buffer = create_buffer(bytes3, sizeof(bytes3));
    hr = ISCardISO7816_UpdateBinary(iso, 0x00, 0x04, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, update_binary, sizeof(update_binary));
    hr = ISCardISO7816_UpdateRecord(iso, 0x03, 0x04, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, update_record, sizeof(update_record));
    hr = ISCardISO7816_WriteBinary(iso, 0x80, 0x00, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, write_binary, sizeof(write_binary));
    hr = ISCardISO7816_WriteRecord(iso, 0x00, 0x0b, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, write_record, sizeof(write_record));
    check_position(buffer, sizeof(bytes3));
    IByteBuffer_Release(buffer);

    buffer = create_buffer(pin, sizeof(pin));
    hr = ISCardISO7816_Verify(iso, 0x81, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, verify, sizeof(verify));
    IByteBuffer_Release(buffer);
    hr = ISCardISO7816_Verify(iso, 0x81, NULL, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, verify_none, sizeof(verify_none));
    hr = ISCardISO7816_Verify(iso, 0x81, empty, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, verify_none, sizeof(verify_none));

    /* the longest data field */
    buffer = create_buffer(data, 65535);
    hr = ISCardISO7816_UpdateBinary(iso, 0x00, 0x00, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, update_ext_hdr, sizeof(update_ext_hdr), data, 65535, NULL, 0);
    IByteBuffer_Release(buffer);

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    IByteBuffer_Release(empty);
    free(data);
    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
}

static void test_default_class(void)
{
    static const BYTE challenge[] = {0x80, 0x84, 0x00, 0x00, 0x08};
    static const BYTE write_record[] = {0xa0, 0xd2, 0x01, 0x04, 0x01, 0x55};
    static const BYTE select[] = {0x00, 0xa4, 0x00, 0x00};
    static const BYTE byte55[] = {0x55};
    ISCardISO7816 *iso = create_iso(), *iso2 = create_iso();
    ISCardCmd *cmd = NULL;
    IByteBuffer *buffer;
    HRESULT hr;

    hr = ISCardISO7816_SetDefaultClassId(iso, 0x80);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, challenge, sizeof(challenge));

    hr = ISCardISO7816_SetDefaultClassId(iso, 0xa0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    buffer = create_buffer(byte55, 1);
    hr = ISCardISO7816_WriteRecord(iso, 0x01, 0x04, buffer, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, write_record, sizeof(write_record));
    IByteBuffer_Release(buffer);

    /* per object */
    hr = ISCardISO7816_SelectFile(iso2, 0x00, 0x00, NULL, 0, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select, sizeof(select));

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
    ok(!ISCardISO7816_Release(iso2), "Object not released.\n");
}

static void test_dispatch(void)
{
    static const struct
    {
        const WCHAR *name;
        DISPID id;
    }
    names[] =
    {
        { L"AppendRecord", 0x00 },
        { L"EraseBinary", 0x01 },
        { L"ExternalAuthenticate", 0x02 },
        { L"GetChallenge", 0x03 },
        { L"GetData", 0x04 },
        { L"GetResponse", 0x05 },
        { L"InternalAuthenticate", 0x06 },
        { L"ManageChannel", 0x07 },
        { L"PutData", 0x08 },
        { L"ReadBinary", 0x09 },
        { L"ReadRecord", 0x0a },
        { L"SelectFile", 0x0b },
        { L"SetDefaultClassId", 0x0c },
        { L"UpdateBinary", 0x0d },
        { L"UpdateRecord", 0x0e },
        { L"Verify", 0x0f },
        { L"WriteBinary", 0x10 },
        { L"WriteRecord", 0x11 },
    };
    static const BYTE challenge8[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    static const BYTE challenge4[] = {0xc0, 0x84, 0x00, 0x00, 0x04};
    static const BYTE read_binary[] = {0xc0, 0xb0, 0x01, 0x02, 0x00};
    ISCardISO7816 *iso = create_iso();
    ISCardCmd *cmd = create_cmd(), *created;
    IDispatch *disp;
    DISPPARAMS params;
    VARIANT args[4];
    EXCEPINFO excepinfo;
    LPOLESTR name;
    DISPID dispid;
    UINT argerr, i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(names); ++i)
    {
        name = (LPOLESTR)names[i].name;
        dispid = 0xdead;
        hr = ISCardISO7816_GetIDsOfNames(iso, &IID_NULL, &name, 1, 0, &dispid);
        ok(hr == S_OK, "%ls: got hr %#lx.\n", names[i].name, hr);
        ok(dispid == names[i].id, "%ls: got DISPID %#lx, expected %#lx.\n", names[i].name, dispid, names[i].id);
    }

    /* GetChallenge with lBytesExpected omitted (default 8) and a by-value command */
    V_VT(&args[1]) = VT_ERROR;
    V_ERROR(&args[1]) = DISP_E_PARAMNOTFOUND;
    V_VT(&args[0]) = VT_DISPATCH;
    V_DISPATCH(&args[0]) = (IDispatch *)cmd;
    params.rgvarg = args;
    params.cArgs = 2;
    params.rgdispidNamedArgs = NULL;
    params.cNamedArgs = 0;
    hr = ISCardISO7816_Invoke(iso, 0x03, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, challenge8, sizeof(challenge8));
    ok(get_refcount(cmd) == 1, "Got refcount %lu.\n", get_refcount(cmd));

    /* SetDefaultClassId */
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 0xc0;
    params.cArgs = 1;
    hr = ISCardISO7816_Invoke(iso, 0x0c, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* by reference, pointing to the existing command */
    disp = (IDispatch *)cmd;
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = 4;
    V_VT(&args[0]) = VT_BYREF | VT_DISPATCH;
    V_DISPATCHREF(&args[0]) = &disp;
    params.cArgs = 2;
    hr = ISCardISO7816_Invoke(iso, 0x03, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(disp == (IDispatch *)cmd, "Got %p.\n", disp);
    check_apdu(cmd, challenge4, sizeof(challenge4));
    ok(get_refcount(cmd) == 1, "Got refcount %lu.\n", get_refcount(cmd));

    /* by reference, pointing to NULL: a new command comes back */
    disp = NULL;
    V_VT(&args[3]) = VT_I4;
    V_I4(&args[3]) = 0x01;
    V_VT(&args[2]) = VT_I4;
    V_I4(&args[2]) = 0x02;
    V_VT(&args[1]) = VT_ERROR;
    V_ERROR(&args[1]) = DISP_E_PARAMNOTFOUND;
    V_VT(&args[0]) = VT_BYREF | VT_DISPATCH;
    V_DISPATCHREF(&args[0]) = &disp;
    params.cArgs = 4;
    hr = ISCardISO7816_Invoke(iso, 0x09, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!disp, "No command returned.\n");
    if (disp)
    {
        hr = IDispatch_QueryInterface(disp, &IID_ISCardCmd, (void **)&created);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_apdu(created, read_binary, sizeof(read_binary));
        ISCardCmd_Release(created);
        ok(!IDispatch_Release(disp), "Object not released.\n");
    }

    /* a builder error comes back through Invoke */
    memset(&excepinfo, 0, sizeof(excepinfo));
    disp = (IDispatch *)cmd;
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = -1;
    V_VT(&args[0]) = VT_BYREF | VT_DISPATCH;
    V_DISPATCHREF(&args[0]) = &disp;
    params.cArgs = 2;
    hr = ISCardISO7816_Invoke(iso, 0x03, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == DISP_E_EXCEPTION, "Got hr %#lx.\n", hr);
    ok(excepinfo.scode == E_INVALIDARG, "Got scode %#lx.\n", excepinfo.scode);
    SysFreeString(excepinfo.bstrSource);
    SysFreeString(excepinfo.bstrDescription);
    SysFreeString(excepinfo.bstrHelpFile);
    check_apdu(cmd, challenge4, sizeof(challenge4));

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    ok(!ISCardISO7816_Release(iso), "Object not released.\n");
}

static void test_cycles(void)
{
    static const BYTE mf[] = {0x3f, 0x00};
    ISCardISO7816 *iso;
    IByteBuffer *buffer = create_buffer(mf, sizeof(mf));
    ISCardCmd *cmd;
    unsigned int i;
    BOOL fine = TRUE;
    HRESULT hr = S_OK;

    for (i = 0; i < 500 && fine; ++i)
    {
        hr = CoCreateInstance(&CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardISO7816,
                (void **)&iso);
        if (hr != S_OK)
        {
            fine = FALSE;
            break;
        }
        cmd = NULL;
        if ((hr = ISCardISO7816_SelectFile(iso, 0x00, 0x00, buffer, 0, &cmd)) != S_OK)
            fine = FALSE;
        if ((hr = ISCardISO7816_ReadBinary(iso, 0x00, 0x00, 0, &cmd)) != S_OK)
            fine = FALSE;
        if (cmd && ISCardCmd_Release(cmd))
            fine = FALSE;
        if (ISCardISO7816_Release(iso))
            fine = FALSE;
    }
    ok(fine, "Cycle %u failed, hr %#lx.\n", i, hr);
    IByteBuffer_Release(buffer);
}

START_TEST(iso7816)
{
    ISCardISO7816 *iso;
    HRESULT hr;

    CoInitialize(NULL);

    hr = CoCreateInstance(&CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardISO7816, (void **)&iso);
    if (hr != S_OK)
    {
        ok(0, "CSCardISO7816 is not available, hr %#lx.\n", hr);
        CoUninitialize();
        return;
    }
    ISCardISO7816_Release(iso);

    test_interfaces();
    test_create_and_reuse();
    test_null_ppcmd();
    test_required_data();
    test_builders();
    test_default_class();
    test_dispatch();
    test_cycles();
    test_unload();

    CoUninitialize();
}
