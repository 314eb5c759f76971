/*
 * Tests for CSCardCmd / ISCardCmd
 *
 * min-checks: 8000 (tests/run-wine fails a run with fewer)
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

static ISCardCmd *create_cmd(void)
{
    ISCardCmd *cmd = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == S_OK, "Failed to create CSCardCmd, hr %#lx.\n", hr);
    return cmd;
}

/* A CByteBuffer holding data[size], its seek pointer at pos (-1: at the end). */
#define create_buffer(a, b, c) create_buffer_(__LINE__, a, b, c)
static IByteBuffer *create_buffer_(unsigned int line, const BYTE *data, LONG size, LONG pos)
{
    IByteBuffer *buffer = NULL;
    LONG count, newpos;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok_(__FILE__, line)(hr == S_OK, "Failed to create CByteBuffer, hr %#lx.\n", hr);
    if (!buffer)
        return NULL;
    if (size)
    {
        count = -1;
        hr = IByteBuffer_Write(buffer, (BYTE *)data, size, &count);
        ok_(__FILE__, line)(hr == S_OK, "Write returned %#lx.\n", hr);
        ok_(__FILE__, line)(count == size, "Wrote %ld bytes.\n", count);
    }
    if (pos >= 0)
    {
        hr = IByteBuffer_Seek(buffer, pos, STREAM_SEEK_SET, &newpos);
        ok_(__FILE__, line)(hr == S_OK, "Seek returned %#lx.\n", hr);
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

/* The buffer is positioned at 0 and holds exactly prefix + middle + suffix. */
#define check_buffer3(a, b, c, d, e, f, g) check_buffer3_(__LINE__, a, b, c, d, e, f, g)
static void check_buffer3_(unsigned int line, IByteBuffer *buffer, const BYTE *prefix, size_t prefix_len,
        const BYTE *middle, size_t middle_len, const BYTE *suffix, size_t suffix_len)
{
    size_t size = prefix_len + middle_len + suffix_len, i;
    BYTE *expect, *got;
    LONG count = -1;
    HRESULT hr;

    ok_(__FILE__, line)(!!buffer, "Got a NULL buffer.\n");
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
}

#define check_buffer(a, b, c) check_buffer3_(__LINE__, a, b, c, NULL, 0, NULL, 0)

/* get_Apdu and get_ApduLength give prefix + middle + suffix. */
#define check_apdu3(a, b, c, d, e, f, g) check_apdu3_(__LINE__, a, b, c, d, e, f, g)
static void check_apdu3_(unsigned int line, ISCardCmd *cmd, const BYTE *prefix, size_t prefix_len,
        const BYTE *middle, size_t middle_len, const BYTE *suffix, size_t suffix_len)
{
    IByteBuffer *buffer = NULL;
    LONG length = -1;
    HRESULT hr;

    hr = ISCardCmd_get_ApduLength(cmd, &length);
    ok_(__FILE__, line)(hr == S_OK, "get_ApduLength returned %#lx.\n", hr);
    ok_(__FILE__, line)(length == (LONG)(prefix_len + middle_len + suffix_len), "Got length %ld, expected %Iu.\n",
            length, prefix_len + middle_len + suffix_len);
    hr = ISCardCmd_get_Apdu(cmd, &buffer);
    ok_(__FILE__, line)(hr == S_OK, "get_Apdu returned %#lx.\n", hr);
    check_buffer3_(line, buffer, prefix, prefix_len, middle, middle_len, suffix, suffix_len);
    if (buffer)
        IByteBuffer_Release(buffer);
}

#define check_apdu(a, b, c) check_apdu3_(__LINE__, a, b, c, NULL, 0, NULL, 0)

#define check_data3(a, b, c, d, e, f, g) check_data3_(__LINE__, a, b, c, d, e, f, g)
static void check_data3_(unsigned int line, ISCardCmd *cmd, const BYTE *prefix, size_t prefix_len,
        const BYTE *middle, size_t middle_len, const BYTE *suffix, size_t suffix_len)
{
    IByteBuffer *buffer = NULL;
    HRESULT hr;

    hr = ISCardCmd_get_Data(cmd, &buffer);
    ok_(__FILE__, line)(hr == S_OK, "get_Data returned %#lx.\n", hr);
    check_buffer3_(line, buffer, prefix, prefix_len, middle, middle_len, suffix, suffix_len);
    if (buffer)
        IByteBuffer_Release(buffer);
}

#define check_data(a, b, c) check_data3_(__LINE__, a, b, c, NULL, 0, NULL, 0)

#define check_reply(a, b, c, d) check_reply_(__LINE__, a, b, c, d)
static void check_reply_(unsigned int line, ISCardCmd *cmd, const BYTE *expect, size_t size, WORD status)
{
    IByteBuffer *buffer = NULL;
    LONG length = -1;
    WORD word = 0xdead;
    BYTE byte;
    HRESULT hr;

    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok_(__FILE__, line)(hr == S_OK, "get_ApduReplyLength returned %#lx.\n", hr);
    ok_(__FILE__, line)(length == (LONG)size, "Got reply length %ld, expected %Iu.\n", length, size);
    hr = ISCardCmd_get_ApduReply(cmd, &buffer);
    ok_(__FILE__, line)(hr == S_OK, "get_ApduReply returned %#lx.\n", hr);
    check_buffer3_(line, buffer, expect, size, NULL, 0, NULL, 0);
    if (buffer)
        IByteBuffer_Release(buffer);

    hr = ISCardCmd_get_ReplyStatus(cmd, &word);
    ok_(__FILE__, line)(hr == S_OK, "get_ReplyStatus returned %#lx.\n", hr);
    ok_(__FILE__, line)(word == status, "Got status %#x, expected %#x.\n", word, status);
    byte = 0xcc;
    hr = ISCardCmd_get_ReplyStatusSW1(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_ReplyStatusSW1 returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == status >> 8, "Got SW1 %#x, expected %#x.\n", byte, status >> 8);
    byte = 0xcc;
    hr = ISCardCmd_get_ReplyStatusSW2(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_ReplyStatusSW2 returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == (status & 0xff), "Got SW2 %#x, expected %#x.\n", byte, status & 0xff);
}

/* CLA INS P1 P2, P3, LeField, Type. */
#define check_fields(a, b, c, d, e, f, g, h) check_fields_(__LINE__, a, b, c, d, e, f, g, h)
static void check_fields_(unsigned int line, ISCardCmd *cmd, BYTE cla, BYTE ins, BYTE p1, BYTE p2, BYTE p3,
        LONG le, ISO_APDU_TYPE type)
{
    ISO_APDU_TYPE got_type = 0xdead;
    LONG got_le = -7;
    BYTE byte;
    HRESULT hr;

    byte = 0xcc;
    hr = ISCardCmd_get_ClassId(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_ClassId returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == cla, "Got CLA %#x, expected %#x.\n", byte, cla);
    byte = 0xcc;
    hr = ISCardCmd_get_InstructionId(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_InstructionId returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == ins, "Got INS %#x, expected %#x.\n", byte, ins);
    byte = 0xcc;
    hr = ISCardCmd_get_P1(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_P1 returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == p1, "Got P1 %#x, expected %#x.\n", byte, p1);
    byte = 0xcc;
    hr = ISCardCmd_get_P2(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_P2 returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == p2, "Got P2 %#x, expected %#x.\n", byte, p2);
    byte = 0xcc;
    hr = ISCardCmd_get_P3(cmd, &byte);
    ok_(__FILE__, line)(hr == S_OK, "get_P3 returned %#lx.\n", hr);
    ok_(__FILE__, line)(byte == p3, "Got P3 %#x, expected %#x.\n", byte, p3);
    hr = ISCardCmd_get_LeField(cmd, &got_le);
    ok_(__FILE__, line)(hr == S_OK, "get_LeField returned %#lx.\n", hr);
    ok_(__FILE__, line)(got_le == le, "Got Le %ld, expected %ld.\n", got_le, le);
    hr = ISCardCmd_get_Type(cmd, &got_type);
    ok_(__FILE__, line)(hr == S_OK, "get_Type returned %#lx.\n", hr);
    ok_(__FILE__, line)(got_type == type, "Got type %d, expected %d.\n", got_type, type);
}

#define put_apdu(a, b, c) put_apdu_(__LINE__, a, b, c)
static HRESULT put_apdu_(unsigned int line, ISCardCmd *cmd, const BYTE *data, LONG size)
{
    IByteBuffer *buffer = create_buffer_(line, data, size, -1);
    HRESULT hr;

    hr = ISCardCmd_put_Apdu(cmd, buffer);
    check_position_(line, buffer, size);
    IByteBuffer_Release(buffer);
    return hr;
}

#define put_reply(a, b, c) put_reply_(__LINE__, a, b, c)
static HRESULT put_reply_(unsigned int line, ISCardCmd *cmd, const BYTE *data, LONG size)
{
    IByteBuffer *buffer = create_buffer_(line, data, size, -1);
    HRESULT hr;

    hr = ISCardCmd_put_ApduReply(cmd, buffer);
    check_position_(line, buffer, size);
    IByteBuffer_Release(buffer);
    return hr;
}

/* BuildCmd with data[size] (NULL: no buffer) and an Le (LE_NONE: NULL pointer). */
#define LE_NONE 0x7fffffff
#define build(a, b, c, d, e, f, g, h) build_(__LINE__, a, b, c, d, e, f, g, h)
static HRESULT build_(unsigned int line, ISCardCmd *cmd, BYTE cla, BYTE ins, BYTE p1, BYTE p2,
        const BYTE *data, LONG size, LONG le)
{
    IByteBuffer *buffer = NULL;
    LONG le_value = le;
    HRESULT hr;

    if (data)
        buffer = create_buffer_(line, data, size, size ? size / 2 : -1);
    hr = ISCardCmd_BuildCmd(cmd, cla, ins, p1, p2, buffer, le == LE_NONE ? NULL : &le_value);
    ok_(__FILE__, line)(le == LE_NONE || le_value == le, "Le changed to %ld.\n", le_value);
    if (buffer)
    {
        check_position_(line, buffer, size ? size / 2 : 0);
        IByteBuffer_Release(buffer);
    }
    return hr;
}

static BYTE *pattern(size_t size)
{
    BYTE *data = malloc(size ? size : 1);
    size_t i;

    for (i = 0; i < size; ++i)
        data[i] = (BYTE)(i * 7 + 3);
    return data;
}

static void test_interfaces(void)
{
    ISCardCmd *cmd = create_cmd();
    IDispatch *disp;
    IUnknown *unk;
    ITypeInfo *typeinfo;
    TYPEATTR *attr;
    UINT count;
    HRESULT hr;

    hr = ISCardCmd_QueryInterface(cmd, &IID_IUnknown, (void **)&unk);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unk == (IUnknown *)cmd, "Got a different IUnknown.\n");
    IUnknown_Release(unk);
    hr = ISCardCmd_QueryInterface(cmd, &IID_IDispatch, (void **)&disp);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(disp == (IDispatch *)cmd, "Got a different IDispatch.\n");
    IDispatch_Release(disp);
    unk = (IUnknown *)0xdeadbeef;
    hr = ISCardCmd_QueryInterface(cmd, &IID_ISCardISO7816, (void **)&unk);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);
    unk = (IUnknown *)0xdeadbeef;
    hr = ISCardCmd_QueryInterface(cmd, &IID_IStream, (void **)&unk);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);
    hr = ISCardCmd_QueryInterface(cmd, &IID_IUnknown, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    ok(get_refcount(cmd) == 1, "Got refcount %lu.\n", get_refcount(cmd));
    ok(ISCardCmd_AddRef(cmd) == 2, "AddRef didn't return 2.\n");
    ok(ISCardCmd_Release(cmd) == 1, "Release didn't return 1.\n");

    count = 0xdead;
    hr = ISCardCmd_GetTypeInfoCount(cmd, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 1, "Got count %u.\n", count);
    hr = ISCardCmd_GetTypeInfoCount(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    typeinfo = NULL;
    hr = ISCardCmd_GetTypeInfo(cmd, 0, 0, &typeinfo);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (typeinfo)
    {
        hr = ITypeInfo_GetTypeAttr(typeinfo, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&attr->guid, &IID_ISCardCmd), "Got the type info of another interface.\n");
        ok(attr->cFuncs == 33, "Got %u functions.\n", attr->cFuncs);
        ITypeInfo_ReleaseTypeAttr(typeinfo, attr);
        ITypeInfo_Release(typeinfo);
    }
    hr = ISCardCmd_GetTypeInfo(cmd, 1, 0, &typeinfo);
    ok(hr == DISP_E_BADINDEX, "Got hr %#lx.\n", hr);

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
}

static void test_defaults(void)
{
    ISCardCmd *cmd = create_cmd();
    IByteBuffer *buffer;
    BYTE byte;
    LONG length;
    WORD word;
    ISO_APDU_TYPE type;
    HRESULT hr;

    check_apdu(cmd, NULL, 0);
    check_fields(cmd, 0, 0, 0, 0, 0, 0, ISO_CASE_1);
    check_data(cmd, NULL, 0);
    check_reply(cmd, NULL, 0, 0);

    byte = 0xcc;
    hr = ISCardCmd_get_Nad(cmd, &byte);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!byte, "Got NAD %#x.\n", byte);
    byte = 0xcc;
    hr = ISCardCmd_get_ReplyNad(cmd, &byte);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!byte, "Got reply NAD %#x.\n", byte);
    byte = 0xcc;
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == E_ACCESSDENIED, "Got hr %#lx.\n", hr);
    ok(byte == 0xcc, "Got %#x.\n", byte);

    /* NULL out-pointers */
    hr = ISCardCmd_get_Apdu(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduLength(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReply(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReplyLength(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ClassId(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_Data(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_InstructionId(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_LeField(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_P1(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_P2(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_P3(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ReplyStatus(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ReplyStatusSW1(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ReplyStatusSW2(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_Type(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_Nad(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ReplyNad(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_AlternateClassId(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    /* NULL in-buffers */
    hr = ISCardCmd_put_Apdu(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_ApduReply(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_Data(cmd, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_Encapsulate(cmd, NULL, ISO_CASE_1);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    check_apdu(cmd, NULL, 0);
    check_reply(cmd, NULL, 0, 0);

    /* each buffer handed out is a new one */
    hr = ISCardCmd_get_Apdu(cmd, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    IByteBuffer_Release(buffer);

    length = -1;
    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok(hr == S_OK && !length, "Got hr %#lx, length %ld.\n", hr, length);
    word = 0xdead;
    hr = ISCardCmd_get_ReplyStatus(cmd, &word);
    ok(hr == S_OK && !word, "Got hr %#lx, status %#x.\n", hr, word);
    type = 0;
    hr = ISCardCmd_get_Type(cmd, &type);
    ok(hr == S_OK && type == ISO_CASE_1, "Got hr %#lx, type %d.\n", hr, type);

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
}

static void test_BuildCmd(void)
{
    static const BYTE case1[] = {0x00, 0xa4, 0x00, 0x00};
    static const BYTE case1b[] = {0x80, 0xca, 0x9f, 0x7f};
    static const BYTE case2_1[] = {0x00, 0x84, 0x00, 0x00, 0x01};
    static const BYTE case2_255[] = {0x00, 0x84, 0x00, 0x00, 0xff};
    static const BYTE case2_256[] = {0x00, 0x84, 0x00, 0x00, 0x00};
    static const BYTE case2_257[] = {0x00, 0x84, 0x00, 0x00, 0x00, 0x01, 0x01};
    static const BYTE case2_65535[] = {0x00, 0x84, 0x00, 0x00, 0x00, 0xff, 0xff};
    static const BYTE case2_65536[] = {0x00, 0x84, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const BYTE mf[] = {0x3f, 0x00};
    static const BYTE select_mf[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00};
    static const BYTE select_mf_le[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00, 0x00};
    static const BYTE select_mf_le257[] = {0x00, 0xa4, 0x00, 0x00, 0x00, 0x00, 0x02, 0x3f, 0x00, 0x01, 0x01};
    static const BYTE select_mf_le65536[] = {0x00, 0xa4, 0x00, 0x00, 0x00, 0x00, 0x02, 0x3f, 0x00, 0x00, 0x00};
    static const BYTE hdr[] = {0x00, 0xd6, 0x00, 0x00};
    static const BYTE hdr_ff[] = {0x00, 0xd6, 0x00, 0x00, 0xff};
    static const BYTE hdr_ext256[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x01, 0x00};
    static const BYTE hdr_ext65535[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0xff, 0xff};
    static const BYTE le_00[] = {0x00};
    static const BYTE le_0001[] = {0x00, 0x01};
    static const BYTE le_0000[] = {0x00, 0x00};
    static const BYTE le_01[] = {0x01};
    BYTE *data = pattern(65536);
    ISCardCmd *cmd = create_cmd();
    LONG le;
    HRESULT hr;

    /* case 1 */
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, NULL, 0, LE_NONE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case1, sizeof(case1));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x00, 0, ISO_CASE_1);
    check_data(cmd, NULL, 0);
    hr = build(cmd, 0x80, 0xca, 0x9f, 0x7f, NULL, 0, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case1b, sizeof(case1b));
    check_fields(cmd, 0x80, 0xca, 0x9f, 0x7f, 0x00, 0, ISO_CASE_1);
    /* an empty buffer is no data */
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, data, 0, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case1, sizeof(case1));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x00, 0, ISO_CASE_1);

    /* case 2, short and extended */
    hr = build(cmd, 0x00, 0x84, 0x00, 0x00, NULL, 0, 1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_1, sizeof(case2_1));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0x01, 1, ISO_CASE_2);
    hr = build(cmd, 0x00, 0x84, 0x00, 0x00, NULL, 0, 255);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_255, sizeof(case2_255));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0xff, 255, ISO_CASE_2);
    hr = build(cmd, 0x00, 0x84, 0x00, 0x00, NULL, 0, 256);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_256, sizeof(case2_256));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0x00, 256, ISO_CASE_2);
    hr = build(cmd, 0x00, 0x84, 0x00, 0x00, NULL, 0, 257);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_257, sizeof(case2_257));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0x01, 257, ISO_CASE_2);
    hr = build(cmd, 0x00, 0x84, 0x00, 0x00, NULL, 0, 65535);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_65535, sizeof(case2_65535));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0xff, 65535, ISO_CASE_2);
    hr = build(cmd, 0x00, 0x84, 0x00, 0x00, NULL, 0, 65536);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_65536, sizeof(case2_65536));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0x00, 65536, ISO_CASE_2);

    /* invalid Le: object unchanged */
    hr = build(cmd, 0x00, 0xb0, 0x00, 0x00, NULL, 0, 65537);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = build(cmd, 0x00, 0xb0, 0x00, 0x00, NULL, 0, -1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = build(cmd, 0x00, 0xb0, 0x00, 0x00, mf, 2, 0x80000000);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_65536, sizeof(case2_65536));
    check_fields(cmd, 0x00, 0x84, 0x00, 0x00, 0x00, 65536, ISO_CASE_2);

    /* the documented SELECT FILE example: data and an Le of 0 */
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf, sizeof(select_mf));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x02, 0, ISO_CASE_3);
    check_data(cmd, mf, 2);
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, LE_NONE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf, sizeof(select_mf));

    /* case 3, short and extended */
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 1, LE_NONE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr, 4, le_01, 1, data, 1);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0x01, 0, ISO_CASE_3);
    check_data(cmd, data, 1);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 255, LE_NONE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ff, 5, data, 255, NULL, 0);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0xff, 0, ISO_CASE_3);
    check_data(cmd, data, 255);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 256, LE_NONE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ext256, 7, data, 256, NULL, 0);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0x00, 0, ISO_CASE_3);
    check_data(cmd, data, 256);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 65535, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ext65535, 7, data, 65535, NULL, 0);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0xff, 0, ISO_CASE_3);
    check_data(cmd, data, 65535);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 65536, LE_NONE);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ext65535, 7, data, 65535, NULL, 0);

    /* case 4, short and extended */
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, 256);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf_le, sizeof(select_mf_le));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x02, 256, ISO_CASE_4);
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, 257);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf_le257, sizeof(select_mf_le257));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x02, 257, ISO_CASE_4);
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, 65536);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf_le65536, sizeof(select_mf_le65536));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x02, 65536, ISO_CASE_4);
    check_data(cmd, mf, 2);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 255, 256);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ff, 5, data, 255, le_00, 1);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0xff, 256, ISO_CASE_4);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 256, 1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ext256, 7, data, 256, le_0001, 2);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0x00, 1, ISO_CASE_4);
    hr = build(cmd, 0x00, 0xd6, 0x00, 0x00, data, 65535, 65536);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu3(cmd, hdr_ext65535, 7, data, 65535, le_0000, 2);
    check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0xff, 65536, ISO_CASE_4);

    /* a buffer positioned anywhere is read whole */
    {
        IByteBuffer *buffer = create_buffer(mf, 2, 2);

        le = 0;
        hr = ISCardCmd_BuildCmd(cmd, 0x00, 0xa4, 0x00, 0x00, buffer, &le);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_apdu(cmd, select_mf, sizeof(select_mf));
        check_position(buffer, 2);
        IByteBuffer_Release(buffer);
    }

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    free(data);
}

static void test_put_Apdu(void)
{
    static const BYTE case1[] = {0x00, 0xa4, 0x00, 0x00};
    static const BYTE case2s[] = {0x00, 0xb0, 0x81, 0x02, 0x10};
    static const BYTE case2s_00[] = {0x00, 0xb0, 0x81, 0x02, 0x00};
    static const BYTE case2e[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x2c};
    static const BYTE case2e_small[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x05};
    static const BYTE case2e_small_p1[] = {0x00, 0xb0, 0x01, 0x00, 0x05};
    static const BYTE case2e_0000[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x00};
    static const BYTE case3s[] = {0x00, 0xa4, 0x00, 0x0c, 0x02, 0x3f, 0x00};
    static const BYTE case4s[] = {0x80, 0xa4, 0x04, 0x00, 0x03, 0xa0, 0x00, 0x01, 0x00};
    static const BYTE case3e_hdr[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x01, 0x00};
    static const BYTE case4e_hdr[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x01, 0x02};
    static const BYTE case4e_le[] = {0x01, 0x00};
    static const BYTE mf[] = {0x3f, 0x00};
    static const BYTE aid[] = {0xa0, 0x00, 0x01};
    static const BYTE bad_short[] = {0x00, 0xa4};
    static const BYTE bad_three[] = {0x00, 0xa4, 0x00};
    static const BYTE bad_lc_long[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f};
    static const BYTE bad_trailing[] = {0x00, 0xa4, 0x00, 0x00, 0x01, 0x3f, 0x00, 0x00};
    static const BYTE bad_ext_marker[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x01};
    static const BYTE bad_ext_lc0[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01};
    static const BYTE bad_ext_short[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x00, 0x03, 0x01, 0x02};
    BYTE *data = pattern(300);
    ISCardCmd *cmd = create_cmd();
    HRESULT hr;

    hr = put_apdu(cmd, case1, sizeof(case1));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case1, sizeof(case1));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x00, 0x00, 0, ISO_CASE_1);
    check_data(cmd, NULL, 0);

    hr = put_apdu(cmd, case2s, sizeof(case2s));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2s, sizeof(case2s));
    check_fields(cmd, 0x00, 0xb0, 0x81, 0x02, 0x10, 0x10, ISO_CASE_2);
    check_data(cmd, NULL, 0);
    hr = put_apdu(cmd, case2s_00, sizeof(case2s_00));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2s_00, sizeof(case2s_00));
    check_fields(cmd, 0x00, 0xb0, 0x81, 0x02, 0x00, 256, ISO_CASE_2);

    hr = put_apdu(cmd, case2e, sizeof(case2e));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2e, sizeof(case2e));
    check_fields(cmd, 0x00, 0xb0, 0x00, 0x00, 0x2c, 300, ISO_CASE_2);
    hr = put_apdu(cmd, case2e_0000, sizeof(case2e_0000));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2e_0000, sizeof(case2e_0000));
    check_fields(cmd, 0x00, 0xb0, 0x00, 0x00, 0x00, 65536, ISO_CASE_2);

    /* the bytes are kept as given until a field changes */
    hr = put_apdu(cmd, case2e_small, sizeof(case2e_small));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2e_small, sizeof(case2e_small));
    check_fields(cmd, 0x00, 0xb0, 0x00, 0x00, 0x05, 5, ISO_CASE_2);
    hr = ISCardCmd_put_P1(cmd, 0x01);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2e_small_p1, sizeof(case2e_small_p1));
    check_fields(cmd, 0x00, 0xb0, 0x01, 0x00, 0x05, 5, ISO_CASE_2);

    hr = put_apdu(cmd, case3s, sizeof(case3s));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case3s, sizeof(case3s));
    check_fields(cmd, 0x00, 0xa4, 0x00, 0x0c, 0x02, 0, ISO_CASE_3);
    check_data(cmd, mf, 2);

    hr = put_apdu(cmd, case4s, sizeof(case4s));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case4s, sizeof(case4s));
    check_fields(cmd, 0x80, 0xa4, 0x04, 0x00, 0x03, 256, ISO_CASE_4);
    check_data(cmd, aid, 3);

    {
        BYTE *raw = malloc(7 + 258 + 3);

        memcpy(raw, case3e_hdr, 7);
        memcpy(raw + 7, data, 256);
        hr = put_apdu(cmd, raw, 7 + 256);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_apdu3(cmd, case3e_hdr, 7, data, 256, NULL, 0);
        check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0x00, 0, ISO_CASE_3);
        check_data(cmd, data, 256);

        memcpy(raw, case4e_hdr, 7);
        memcpy(raw + 7, data, 258);
        memcpy(raw + 7 + 258, case4e_le, 2);
        raw[7 + 258 + 2] = 0x00;
        hr = put_apdu(cmd, raw, 7 + 258 + 2);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_apdu3(cmd, case4e_hdr, 7, data, 258, case4e_le, 2);
        check_fields(cmd, 0x00, 0xd6, 0x00, 0x00, 0x02, 256, ISO_CASE_4);
        check_data(cmd, data, 258);

        /* one byte missing, one byte too many */
        hr = put_apdu(cmd, raw, 7 + 258 + 1);
        ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
        hr = put_apdu(cmd, raw, 7 + 258 + 3);
        ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
        check_apdu3(cmd, case4e_hdr, 7, data, 258, case4e_le, 2);
        free(raw);
    }

    /* malformed: E_INVALIDARG, object unchanged */
    hr = put_apdu(cmd, case4s, sizeof(case4s));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, NULL, 0);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_short, sizeof(bad_short));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_three, sizeof(bad_three));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_lc_long, sizeof(bad_lc_long));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_trailing, sizeof(bad_trailing));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_ext_marker, sizeof(bad_ext_marker));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_ext_lc0, sizeof(bad_ext_lc0));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = put_apdu(cmd, bad_ext_short, sizeof(bad_ext_short));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case4s, sizeof(case4s));
    check_fields(cmd, 0x80, 0xa4, 0x04, 0x00, 0x03, 256, ISO_CASE_4);
    check_data(cmd, aid, 3);

    /* a buffer positioned in the middle is read whole */
    {
        IByteBuffer *buffer = create_buffer(case3s, sizeof(case3s), 3);

        hr = ISCardCmd_put_Apdu(cmd, buffer);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_position(buffer, 3);
        check_apdu(cmd, case3s, sizeof(case3s));
        IByteBuffer_Release(buffer);
    }

    /* the reply is not touched by a new command */
    {
        static const BYTE reply[] = {0x01, 0x90, 0x00};

        hr = put_reply(cmd, reply, sizeof(reply));
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = put_apdu(cmd, case1, sizeof(case1));
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_reply(cmd, reply, sizeof(reply), 0x9000);
        hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, 0);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_reply(cmd, reply, sizeof(reply), 0x9000);
    }

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    free(data);
}

static void test_fields(void)
{
    static const BYTE cla[] = {0xc0, 0x00, 0x00, 0x00};
    static const BYTE cla_ins[] = {0xc0, 0xb2, 0x00, 0x00};
    static const BYTE header[] = {0xc0, 0xb2, 0x06, 0x06};
    static const BYTE with_data[] = {0xc0, 0xb2, 0x06, 0x06, 0x03, 0x11, 0x22, 0x33};
    static const BYTE data3[] = {0x11, 0x22, 0x33};
    static const BYTE case2[] = {0x00, 0xb0, 0x00, 0x00, 0x10};
    static const BYTE case4[] = {0x00, 0xb0, 0x00, 0x00, 0x03, 0x11, 0x22, 0x33, 0x10};
    static const BYTE case4_cla[] = {0x80, 0xb0, 0x00, 0x00, 0x03, 0x11, 0x22, 0x33, 0x10};
    static const BYTE case4e_hdr[] = {0x80, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x00};
    static const BYTE le_0010[] = {0x00, 0x10};
    static const BYTE case2_ext[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x01, 0x01};
    static const BYTE case4_ext[] = {0x00, 0xb0, 0x00, 0x00, 0x00, 0x00, 0x02, 0x11, 0x22, 0x01, 0x01};
    BYTE *data = pattern(65536);
    ISCardCmd *cmd = create_cmd();
    IByteBuffer *buffer;
    BYTE byte;
    HRESULT hr;

    /* on an empty command the setters start from 00 00 00 00 */
    hr = ISCardCmd_put_ClassId(cmd, 0xc0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, cla, sizeof(cla));
    check_fields(cmd, 0xc0, 0x00, 0x00, 0x00, 0x00, 0, ISO_CASE_1);
    hr = ISCardCmd_put_InstructionId(cmd, 0xb2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, cla_ins, sizeof(cla_ins));
    hr = ISCardCmd_put_P1(cmd, 0x06);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_P2(cmd, 0x06);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, header, sizeof(header));
    check_fields(cmd, 0xc0, 0xb2, 0x06, 0x06, 0x00, 0, ISO_CASE_1);

    /* put_Data: P3 is the data length */
    buffer = create_buffer(data3, 3, -1);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 3);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, with_data, sizeof(with_data));
    check_fields(cmd, 0xc0, 0xb2, 0x06, 0x06, 0x03, 0, ISO_CASE_3);
    check_data(cmd, data3, 3);

    /* an empty buffer removes the data */
    buffer = create_buffer(NULL, 0, -1);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, header, sizeof(header));
    check_fields(cmd, 0xc0, 0xb2, 0x06, 0x06, 0x00, 0, ISO_CASE_1);
    check_data(cmd, NULL, 0);

    /* Le stays when data is added or removed */
    hr = build(cmd, 0x00, 0xb0, 0x00, 0x00, NULL, 0, 0x10);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2, sizeof(case2));
    buffer = create_buffer(data3, 3, 1);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 1);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, case4, sizeof(case4));
    check_fields(cmd, 0x00, 0xb0, 0x00, 0x00, 0x03, 0x10, ISO_CASE_4);
    hr = ISCardCmd_put_ClassId(cmd, 0x80);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case4_cla, sizeof(case4_cla));
    check_fields(cmd, 0x80, 0xb0, 0x00, 0x00, 0x03, 0x10, ISO_CASE_4);

    /* 256 data bytes switch to the extended form */
    buffer = create_buffer(data, 256, -1);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu3(cmd, case4e_hdr, 7, data, 256, le_0010, 2);
    check_fields(cmd, 0x80, 0xb0, 0x00, 0x00, 0x00, 0x10, ISO_CASE_4);
    check_data(cmd, data, 256);

    /* 65536 data bytes do not fit */
    buffer = create_buffer(data, 65536, 0);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu3(cmd, case4e_hdr, 7, data, 256, le_0010, 2);

    /* an extended Le keeps the whole APDU extended */
    hr = build(cmd, 0x00, 0xb0, 0x00, 0x00, NULL, 0, 257);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, case2_ext, sizeof(case2_ext));
    buffer = create_buffer(data3, 2, -1);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, case4_ext, sizeof(case4_ext));
    check_fields(cmd, 0x00, 0xb0, 0x00, 0x00, 0x02, 257, ISO_CASE_4);

    /* Nad, ReplyNad, AlternateClassId */
    hr = ISCardCmd_put_Nad(cmd, 0x21);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    byte = 0;
    hr = ISCardCmd_get_Nad(cmd, &byte);
    ok(hr == S_OK && byte == 0x21, "Got hr %#lx, NAD %#x.\n", hr, byte);
    hr = ISCardCmd_put_ReplyNad(cmd, 0x12);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    byte = 0;
    hr = ISCardCmd_get_ReplyNad(cmd, &byte);
    ok(hr == S_OK && byte == 0x12, "Got hr %#lx, reply NAD %#x.\n", hr, byte);
    byte = 0x55;
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == E_ACCESSDENIED, "Got hr %#lx.\n", hr);
    ok(byte == 0x55, "Got %#x.\n", byte);
    hr = ISCardCmd_put_AlternateClassId(cmd, 0xc0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    byte = 0;
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == S_OK && byte == 0xc0, "Got hr %#lx, class %#x.\n", hr, byte);
    hr = ISCardCmd_put_AlternateClassId(cmd, 0x00);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    byte = 0x55;
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == S_OK && !byte, "Got hr %#lx, class %#x.\n", hr, byte);
    /* none of them is part of the APDU */
    check_apdu(cmd, case4_ext, sizeof(case4_ext));

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    free(data);
}

static void test_reply(void)
{
    static const BYTE reply[] = {0x01, 0x02, 0x03, 0x90, 0x00};
    static const BYTE reply_6283[] = {0x01, 0x02, 0x03, 0x62, 0x83};
    static const BYTE reply3[] = {0x01, 0x02, 0x03};
    static const BYTE sw[] = {0x6a, 0x82};
    static const BYTE one[] = {0x61};
    BYTE *data = pattern(65538);
    ISCardCmd *cmd = create_cmd();
    IByteBuffer *buffer, *buffer2;
    HRESULT hr;

    check_reply(cmd, NULL, 0, 0);

    hr = put_reply(cmd, reply, sizeof(reply));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, reply, sizeof(reply), 0x9000);
    /* the command is not touched by a reply */
    check_apdu(cmd, NULL, 0);

    hr = put_reply(cmd, sw, sizeof(sw));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, sw, sizeof(sw), 0x6a82);

    /* a 1-byte reply holds no status word */
    hr = put_reply(cmd, one, sizeof(one));
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_reply(cmd, sw, sizeof(sw), 0x6a82);

    /* an empty reply clears it */
    hr = put_reply(cmd, NULL, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, NULL, 0, 0);

    /* a long reply */
    data[65536] = 0x90;
    data[65537] = 0x00;
    hr = put_reply(cmd, data, 65538);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, data, 65538, 0x9000);

    /* two get_ApduReply calls give two independent buffers at 0 */
    hr = put_reply(cmd, reply, sizeof(reply));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReply(cmd, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReply(cmd, &buffer2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(buffer != buffer2, "Got the same buffer.\n");
    check_buffer(buffer, reply, sizeof(reply));
    check_buffer(buffer2, reply, sizeof(reply));
    /* writing to a handed-out buffer does not change the reply */
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(buffer, (BYTE *)sw, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    IByteBuffer_Release(buffer2);
    check_reply(cmd, reply, sizeof(reply), 0x9000);

    /* put_ReplyStatus rewrites the last two bytes of a reply */
    hr = ISCardCmd_put_ReplyStatus(cmd, 0x6283);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, reply_6283, sizeof(reply_6283), 0x6283);

    /* put_ApduReplyLength keeps the first bytes */
    hr = put_reply(cmd, reply, sizeof(reply));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 6);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_ApduReplyLength(cmd, -1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_reply(cmd, reply, sizeof(reply), 0x9000);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 5);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, reply, sizeof(reply), 0x9000);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 3);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, reply3, sizeof(reply3), 0x0203);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, NULL, 0, 0);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 2);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_ApduReplyLength(cmd, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* without a reply, only the status word is stored */
    hr = ISCardCmd_put_ReplyStatus(cmd, 0x9000);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, NULL, 0, 0x9000);
    hr = ISCardCmd_put_ReplyStatus(cmd, 0x0000);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, NULL, 0, 0);

    /* a reply buffer positioned in the middle is read whole */
    buffer = create_buffer(reply, sizeof(reply), 2);
    hr = ISCardCmd_put_ApduReply(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 2);
    IByteBuffer_Release(buffer);
    check_reply(cmd, reply, sizeof(reply), 0x9000);

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    free(data);
}

static void test_Clear(void)
{
    static const BYTE mf[] = {0x3f, 0x00};
    static const BYTE select_mf[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00};
    static const BYTE reply[] = {0x6f, 0x00, 0x90, 0x00};
    ISCardCmd *cmd = create_cmd();
    BYTE byte;
    HRESULT hr;

    hr = ISCardCmd_Clear(cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, NULL, 0);

    hr = build(cmd, 0x80, 0xa4, 0x01, 0x02, mf, 2, 0x20);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = put_reply(cmd, reply, sizeof(reply));
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_Nad(cmd, 0x21);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_ReplyNad(cmd, 0x12);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_AlternateClassId(cmd, 0xc0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = ISCardCmd_Clear(cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, NULL, 0);
    check_fields(cmd, 0, 0, 0, 0, 0, 0, ISO_CASE_1);
    check_data(cmd, NULL, 0);
    check_reply(cmd, NULL, 0, 0);
    byte = 0xcc;
    hr = ISCardCmd_get_ReplyNad(cmd, &byte);
    ok(hr == S_OK && !byte, "Got hr %#lx, reply NAD %#x.\n", hr, byte);
    /* transport settings are kept */
    byte = 0;
    hr = ISCardCmd_get_Nad(cmd, &byte);
    ok(hr == S_OK && byte == 0x21, "Got hr %#lx, NAD %#x.\n", hr, byte);
    byte = 0;
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == S_OK && byte == 0xc0, "Got hr %#lx, class %#x.\n", hr, byte);

    /* usable again */
    hr = build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, select_mf, sizeof(select_mf));

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
}

static void test_Encapsulate(void)
{
    static const BYTE inner1[] = {0x00, 0xa4, 0x00, 0x00};
    static const BYTE envelope1[] = {0x00, 0xc2, 0x00, 0x00, 0x04, 0x00, 0xa4, 0x00, 0x00};
    static const BYTE inner2[] = {0xa0, 0xb0, 0x00, 0x00, 0x10};
    static const BYTE envelope2[] = {0xa0, 0xc2, 0x00, 0x00, 0x05, 0xa0, 0xb0, 0x00, 0x00, 0x10};
    static const BYTE inner3[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00};
    static const BYTE outer3[] = {0x80, 0xc2, 0x01, 0x02, 0x07, 0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00, 0x20};
    static const BYTE inner4[] = {0x00, 0x88, 0x00, 0x00, 0x02, 0x11, 0x22, 0x00};
    static const BYTE outer4[] = {0x80, 0xc2, 0x01, 0x02, 0x08, 0x00, 0x88, 0x00, 0x00, 0x02, 0x11, 0x22, 0x00,
            0x20};
    static const BYTE inner_bad[] = {0x00, 0xa4, 0x00, 0x00, 0x05, 0x3f};
    static const BYTE ext_hdr[] = {0x00, 0xc2, 0x00, 0x00, 0x00, 0x01, 0x07};
    static const BYTE inner_ext_hdr[] = {0x00, 0xd6, 0x00, 0x00, 0x00, 0x01, 0x00};
    BYTE *data = pattern(65536);
    ISCardCmd *cmd = create_cmd();
    IByteBuffer *buffer;
    HRESULT hr;

    /* an empty command becomes an ENVELOPE with the inner CLA */
    buffer = create_buffer(inner1, sizeof(inner1), -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, sizeof(inner1));
    IByteBuffer_Release(buffer);
    check_apdu(cmd, envelope1, sizeof(envelope1));
    check_fields(cmd, 0x00, 0xc2, 0x00, 0x00, 0x04, 0, ISO_CASE_3);
    check_data(cmd, inner1, sizeof(inner1));

    hr = ISCardCmd_Clear(cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    buffer = create_buffer(inner2, sizeof(inner2), 1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 1);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, envelope2, sizeof(envelope2));

    /* a command keeps its header and Le */
    hr = build(cmd, 0x80, 0xc2, 0x01, 0x02, NULL, 0, 0x20);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    buffer = create_buffer(inner3, sizeof(inner3), -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_3);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, outer3, sizeof(outer3));
    check_fields(cmd, 0x80, 0xc2, 0x01, 0x02, 0x07, 0x20, ISO_CASE_4);
    buffer = create_buffer(inner4, sizeof(inner4), -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_4);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, outer4, sizeof(outer4));

    /* the type must match the embedded APDU: E_INVALIDARG, object unchanged */
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_3);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_Encapsulate(cmd, buffer, 0);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_Encapsulate(cmd, buffer, 5);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_Encapsulate(cmd, buffer, -1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    buffer = create_buffer(inner1, sizeof(inner1), -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_2);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    buffer = create_buffer(inner_bad, sizeof(inner_bad), -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_3);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    buffer = create_buffer(inner1, 3, -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    buffer = create_buffer(NULL, 0, -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, outer4, sizeof(outer4));

    /* a long embedded APDU makes an extended one */
    hr = ISCardCmd_Clear(cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    memcpy(data, inner_ext_hdr, 7);
    buffer = create_buffer(data, 263, -1);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_3);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu3(cmd, ext_hdr, 7, data, 263, NULL, 0);
    check_fields(cmd, 0x00, 0xc2, 0x00, 0x00, 0x07, 0, ISO_CASE_3);

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
    free(data);
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
        { L"Apdu", 0x00 },
        { L"ApduLength", 0x01 },
        { L"ApduReply", 0x02 },
        { L"ApduReplyLength", 0x03 },
        { L"ClassId", 0x04 },
        { L"Data", 0x05 },
        { L"InstructionId", 0x06 },
        { L"LeField", 0x07 },
        { L"P1", 0x08 },
        { L"P2", 0x09 },
        { L"P3", 0x0a },
        { L"ReplyStatus", 0x0b },
        { L"ReplyStatusSW1", 0x0c },
        { L"ReplyStatusSW2", 0x0d },
        { L"Type", 0x0e },
        { L"BuildCmd", 0x0f },
        { L"Clear", 0x10 },
        { L"Encapsulate", 0x11 },
        { L"Nad", 0x12 },
        { L"ReplyNad", 0x13 },
        { L"AlternateClassId", 0x14 },
    };
    static const BYTE two[] = {0x80, 0xca, 0x00, 0x00};
    static const BYTE four[] = {0x80, 0xca, 0x9f, 0x7f};
    static const BYTE full[] = {0x00, 0xa4, 0x04, 0x00, 0x02, 0x3f, 0x00, 0x10};
    static const BYTE put_cla[] = {0xc0, 0xa4, 0x04, 0x00, 0x02, 0x3f, 0x00, 0x10};
    static const BYTE mf[] = {0x3f, 0x00};
    DISPID dispid, propput = DISPID_PROPERTYPUT;
    ISCardCmd *cmd = create_cmd();
    IByteBuffer *buffer;
    DISPPARAMS params;
    VARIANT args[6], result;
    EXCEPINFO excepinfo;
    LPOLESTR name;
    LONG le;
    UINT argerr, i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(names); ++i)
    {
        name = (LPOLESTR)names[i].name;
        dispid = 0xdead;
        hr = ISCardCmd_GetIDsOfNames(cmd, &IID_NULL, &name, 1, 0, &dispid);
        ok(hr == S_OK, "%ls: got hr %#lx.\n", names[i].name, hr);
        ok(dispid == names[i].id, "%ls: got DISPID %#lx, expected %#lx.\n", names[i].name, dispid,
                names[i].id);
    }
    name = (LPOLESTR)L"NoSuchMember";
    hr = ISCardCmd_GetIDsOfNames(cmd, &IID_NULL, &name, 1, 0, &dispid);
    ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);

    /* BuildCmd with the four optional parameters omitted */
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = 0x80;
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 0xca;
    params.rgvarg = args;
    params.cArgs = 2;
    params.rgdispidNamedArgs = NULL;
    params.cNamedArgs = 0;
    VariantInit(&result);
    argerr = 0xdead;
    hr = ISCardCmd_Invoke(cmd, 0x0f, &IID_NULL, 0, DISPATCH_METHOD, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_EMPTY, "Got type %u.\n", V_VT(&result));
    check_apdu(cmd, two, sizeof(two));

    /* P1 and P2 given, the last two omitted explicitly */
    V_VT(&args[5]) = VT_UI1;
    V_UI1(&args[5]) = 0x80;
    V_VT(&args[4]) = VT_UI1;
    V_UI1(&args[4]) = 0xca;
    V_VT(&args[3]) = VT_I4;
    V_I4(&args[3]) = 0x9f;
    V_VT(&args[2]) = VT_I2;
    V_I2(&args[2]) = 0x7f;
    V_VT(&args[1]) = VT_ERROR;
    V_ERROR(&args[1]) = DISP_E_PARAMNOTFOUND;
    V_VT(&args[0]) = VT_ERROR;
    V_ERROR(&args[0]) = DISP_E_PARAMNOTFOUND;
    params.cArgs = 6;
    hr = ISCardCmd_Invoke(cmd, 0x0f, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, four, sizeof(four));

    /* all six given */
    buffer = create_buffer(mf, 2, -1);
    le = 0x10;
    V_VT(&args[5]) = VT_I4;
    V_I4(&args[5]) = 0x00;
    V_VT(&args[4]) = VT_I4;
    V_I4(&args[4]) = 0xa4;
    V_VT(&args[3]) = VT_I4;
    V_I4(&args[3]) = 0x04;
    V_VT(&args[2]) = VT_I4;
    V_I4(&args[2]) = 0x00;
    V_VT(&args[1]) = VT_DISPATCH;
    V_DISPATCH(&args[1]) = (IDispatch *)buffer;
    V_VT(&args[0]) = VT_BYREF | VT_I4;
    V_I4REF(&args[0]) = &le;
    hr = ISCardCmd_Invoke(cmd, 0x0f, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, full, sizeof(full));
    ok(le == 0x10, "Got Le %ld.\n", le);
    IByteBuffer_Release(buffer);

    /* property get */
    params.cArgs = 0;
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x04, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_UI1, "Got type %u.\n", V_VT(&result));
    ok(V_UI1(&result) == 0x00, "Got %#x.\n", V_UI1(&result));
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x01, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_I4, "Got type %u.\n", V_VT(&result));
    ok(V_I4(&result) == sizeof(full), "Got %ld.\n", V_I4(&result));
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x07, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_I4, "Got type %u.\n", V_VT(&result));
    ok(V_I4(&result) == 0x10, "Got %ld.\n", V_I4(&result));
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x0e, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_I4, "Got type %u.\n", V_VT(&result));
    ok(V_I4(&result) == ISO_CASE_4, "Got %ld.\n", V_I4(&result));
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x0b, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_UI2, "Got type %u.\n", V_VT(&result));
    ok(V_UI2(&result) == 0, "Got %#x.\n", V_UI2(&result));

    /* object-valued property get: a buffer at 0 */
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x00, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_DISPATCH, "Got type %u.\n", V_VT(&result));
    if (V_VT(&result) == VT_DISPATCH)
    {
        hr = IDispatch_QueryInterface(V_DISPATCH(&result), &IID_IByteBuffer, (void **)&buffer);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_buffer(buffer, full, sizeof(full));
        IByteBuffer_Release(buffer);
    }
    VariantClear(&result);

    /* property put */
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 0xc0;
    params.cArgs = 1;
    params.rgdispidNamedArgs = &propput;
    params.cNamedArgs = 1;
    hr = ISCardCmd_Invoke(cmd, 0x04, &IID_NULL, 0, DISPATCH_PROPERTYPUT, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, put_cla, sizeof(put_cla));
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 0x9000;
    hr = ISCardCmd_Invoke(cmd, 0x0b, &IID_NULL, 0, DISPATCH_PROPERTYPUT, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_reply(cmd, NULL, 0, 0x9000);
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 0xc1;
    hr = ISCardCmd_Invoke(cmd, 0x14, &IID_NULL, 0, DISPATCH_PROPERTYPUT, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    params.cArgs = 0;
    params.cNamedArgs = 0;
    params.rgdispidNamedArgs = NULL;
    VariantInit(&result);
    hr = ISCardCmd_Invoke(cmd, 0x14, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_UI1 && V_UI1(&result) == 0xc1, "Got type %u, %#x.\n", V_VT(&result), V_UI1(&result));

    /* Clear as a method */
    hr = ISCardCmd_Invoke(cmd, 0x10, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, &argerr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, NULL, 0);

    ok(!ISCardCmd_Release(cmd), "Object not released.\n");
}

static void test_cycles(void)
{
    static const BYTE mf[] = {0x3f, 0x00};
    static const BYTE reply[] = {0x90, 0x00};
    ISCardCmd *cmd;
    unsigned int i;
    HRESULT hr;
    ULONG ref;
    BOOL fine = TRUE;

    for (i = 0; i < 500; ++i)
    {
        hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
        if (hr != S_OK)
        {
            fine = FALSE;
            break;
        }
        if (build(cmd, 0x00, 0xa4, 0x00, 0x00, mf, 2, i % 3 ? 0 : 256) != S_OK
                || put_reply(cmd, reply, 2) != S_OK)
            fine = FALSE;
        if (i % 2)
            ISCardCmd_Clear(cmd);
        if ((ref = ISCardCmd_Release(cmd)))
            fine = FALSE;
    }
    ok(fine, "Cycle %u failed, hr %#lx.\n", i, hr);
}

START_TEST(cmd)
{
    ISCardCmd *cmd;
    HRESULT hr;

    CoInitialize(NULL);

    hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
    if (hr != S_OK)
    {
        ok(0, "CSCardCmd is not available, hr %#lx.\n", hr);
        CoUninitialize();
        return;
    }
    ISCardCmd_Release(cmd);

    test_interfaces();
    test_defaults();
    test_BuildCmd();
    test_put_Apdu();
    test_fields();
    test_reply();
    test_Clear();
    test_Encapsulate();
    test_dispatch();
    test_cycles();
    test_unload();

    CoUninitialize();
}
