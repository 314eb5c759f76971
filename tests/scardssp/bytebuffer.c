/*
 * Tests for CByteBuffer / IByteBuffer
 *
 * min-checks: 850 (tests/run-wine fails a run with fewer)
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
#include "scardssp.h"

#include "wine/test.h"
#include "unload.h"

static IByteBuffer *create_buffer(void)
{
    IByteBuffer *buffer = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return buffer;
}

static IByteBuffer *create_buffer_with(const char *data, LONG size)
{
    IByteBuffer *buffer = create_buffer();
    HRESULT hr;

    hr = IByteBuffer_Initialize(buffer, size, (BYTE *)data);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return buffer;
}

static ULONG get_refcount(void *iface)
{
    IUnknown *unknown = iface;

    IUnknown_AddRef(unknown);
    return IUnknown_Release(unknown);
}

#define check_position(a, b) check_position_(__LINE__, a, b)
static void check_position_(unsigned int line, IByteBuffer *buffer, LONG expected)
{
    LONG position = -1;
    HRESULT hr;

    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_CUR, &position);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(position == expected, "Got position %ld, expected %ld.\n", position, expected);
}

#define check_size(a, b) check_size_(__LINE__, a, b)
static void check_size_(unsigned int line, IByteBuffer *buffer, LONG expected)
{
    STATSTRUCT stat;
    HRESULT hr;

    memset(&stat, 0xcc, sizeof(stat));
    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_NONAME);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(stat.cbSize == expected, "Got size %ld, expected %ld.\n", stat.cbSize, expected);
}

/* the whole content, read from 0; the seek pointer is left where it was */
#define check_content(a, b, c) check_content_(__LINE__, a, b, c)
static void check_content_(unsigned int line, IByteBuffer *buffer, const char *expected, LONG size)
{
    LONG position = -1, count = -1, restored = -1;
    BYTE data[256];
    HRESULT hr;

    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_CUR, &position);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    check_size_(line, buffer, size);
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    memset(data, 0xcc, sizeof(data));
    hr = IByteBuffer_Read(buffer, data, sizeof(data), &count);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(count == size, "Got count %ld, expected %ld.\n", count, size);
    if (count == size)
        ok_(__FILE__, line)(!memcmp(data, expected, size), "Content differs.\n");
    hr = IByteBuffer_Seek(buffer, position, STREAM_SEEK_SET, &restored);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(restored == position, "Got position %ld, expected %ld.\n", restored, position);
}

static void test_interfaces(void)
{
    IUnknown *unknown, *unknown2;
    ISequentialStream *sequential;
    IDispatch *dispatch;
    IByteBuffer *buffer;
    ITypeInfo *typeinfo;
    IStream *stream;
    IPersist *persist;
    UINT count;
    HRESULT hr;
    ULONG ref;

    buffer = create_buffer();
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));

    hr = IByteBuffer_QueryInterface(buffer, &IID_IUnknown, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_QueryInterface(buffer, &IID_IUnknown, (void **)&unknown);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unknown == (IUnknown *)buffer, "Got %p, expected %p.\n", unknown, buffer);
    ok(get_refcount(buffer) == 2, "Got refcount %lu.\n", get_refcount(buffer));

    hr = IByteBuffer_QueryInterface(buffer, &IID_IDispatch, (void **)&dispatch);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(dispatch == (IDispatch *)buffer, "Got %p, expected %p.\n", dispatch, buffer);
    IDispatch_Release(dispatch);

    hr = IByteBuffer_QueryInterface(buffer, &IID_IStream, (void **)&stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 3, "Got refcount %lu.\n", get_refcount(buffer));
    hr = IStream_QueryInterface(stream, &IID_IUnknown, (void **)&unknown2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unknown2 == unknown, "Got %p, expected %p.\n", unknown2, unknown);
    IUnknown_Release(unknown2);
    hr = IStream_QueryInterface(stream, &IID_ISequentialStream, (void **)&sequential);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(sequential == (ISequentialStream *)stream, "Got %p, expected %p.\n", sequential, stream);
    ISequentialStream_Release(sequential);
    ref = IStream_Release(stream);
    ok(ref == 2, "Got refcount %lu.\n", ref);

    persist = (void *)0xdeadbeef;
    hr = IByteBuffer_QueryInterface(buffer, &IID_IPersist, (void **)&persist);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!persist, "Got %p.\n", persist);

    count = 0xdead;
    hr = IByteBuffer_GetTypeInfoCount(buffer, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 1, "Got count %u.\n", count);
    hr = IByteBuffer_GetTypeInfo(buffer, 1, 0, &typeinfo);
    ok(hr == DISP_E_BADINDEX, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_GetTypeInfo(buffer, 0, 0, &typeinfo);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ITypeInfo_Release(typeinfo);

    IUnknown_Release(unknown);
    ref = IByteBuffer_Release(buffer);
    ok(!ref, "Got refcount %lu.\n", ref);

    /* the class hands out its stream face directly, too */
    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IStream, (void **)&stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ref = IStream_Release(stream);
    ok(!ref, "Got refcount %lu.\n", ref);

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IPersist, (void **)&persist);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
}

static void test_fresh(void)
{
    IByteBuffer *buffer = create_buffer();
    BYTE data[4] = {0xcc, 0xcc, 0xcc, 0xcc};
    LONG count;
    HRESULT hr;

    /* usable without Initialize, as the GemCard sample does */
    check_size(buffer, 0);
    check_position(buffer, 0);
    count = -1;
    hr = IByteBuffer_Read(buffer, data, sizeof(data), &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    ok(data[0] == 0xcc, "Got %#x.\n", data[0]);

    hr = IByteBuffer_SetSize(buffer, 2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    count = -1;
    hr = IByteBuffer_Write(buffer, (BYTE *)"\x00\xa4\x04", 3, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 3, "Got count %ld.\n", count);
    check_content(buffer, "\x00\xa4\x04", 3);
    check_position(buffer, 3);

    IByteBuffer_Release(buffer);
}

static void test_initialize(void)
{
    IByteBuffer *buffer = create_buffer();
    BYTE mf[2] = {0x3f, 0x00};
    HRESULT hr;

    hr = IByteBuffer_Initialize(buffer, 2, mf);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "\x3f\x00", 2);
    check_position(buffer, 0);

    /* the content is a copy */
    mf[0] = 0x11;
    check_content(buffer, "\x3f\x00", 2);

    hr = IByteBuffer_Seek(buffer, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Initialize(buffer, 5, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "\0\0\0\0\0", 5);
    check_position(buffer, 0);

    hr = IByteBuffer_Seek(buffer, 3, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Initialize(buffer, -1, mf);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_content(buffer, "\0\0\0\0\0", 5);
    check_position(buffer, 3);

    hr = IByteBuffer_Initialize(buffer, 0, mf);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_size(buffer, 0);
    check_position(buffer, 0);

    hr = IByteBuffer_Initialize(buffer, 0, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_size(buffer, 0);

    hr = IByteBuffer_Initialize(buffer, 4, (BYTE *)"abcd");
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Initialize(buffer, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "\0\0", 2);

    IByteBuffer_Release(buffer);
}

static void test_read(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10);
    BYTE data[16];
    LONG count;
    HRESULT hr;

    count = 0xdead;
    hr = IByteBuffer_Read(buffer, NULL, 5, &count);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    count = 0xdead;
    hr = IByteBuffer_Read(buffer, NULL, 0, &count);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    count = 0xdead;
    hr = IByteBuffer_Read(buffer, data, -1, &count);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_position(buffer, 0);

    memset(data, 0xcc, sizeof(data));
    count = -1;
    hr = IByteBuffer_Read(buffer, data, 4, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 4, "Got count %ld.\n", count);
    ok(!memcmp(data, "0123\xcc", 5), "Got %.5s.\n", data);
    check_position(buffer, 4);

    count = -1;
    hr = IByteBuffer_Read(buffer, data, 0, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_position(buffer, 4);

    memset(data, 0xcc, sizeof(data));
    hr = IByteBuffer_Read(buffer, data, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!memcmp(data, "45\xcc", 3), "Got %.3s.\n", data);
    check_position(buffer, 6);

    /* short at the end */
    memset(data, 0xcc, sizeof(data));
    count = -1;
    hr = IByteBuffer_Read(buffer, data, 16, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 4, "Got count %ld.\n", count);
    ok(!memcmp(data, "6789\xcc", 5), "Got %.5s.\n", data);
    check_position(buffer, 10);

    /* at the end */
    count = -1;
    hr = IByteBuffer_Read(buffer, data, 16, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_position(buffer, 10);

    /* past the end */
    hr = IByteBuffer_Seek(buffer, 100, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    count = -1;
    hr = IByteBuffer_Read(buffer, data, 16, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_position(buffer, 100);
    check_size(buffer, 10);

    IByteBuffer_Release(buffer);
}

static void test_write(void)
{
    IByteBuffer *buffer = create_buffer();
    LONG count;
    HRESULT hr;

    count = 0xdead;
    hr = IByteBuffer_Write(buffer, NULL, 3, &count);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    count = 0xdead;
    hr = IByteBuffer_Write(buffer, NULL, 0, &count);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    count = 0xdead;
    hr = IByteBuffer_Write(buffer, (BYTE *)"abc", -1, &count);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_size(buffer, 0);

    count = -1;
    hr = IByteBuffer_Write(buffer, (BYTE *)"abcdef", 6, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 6, "Got count %ld.\n", count);
    check_position(buffer, 6);
    check_content(buffer, "abcdef", 6);

    /* overwrite in the middle, NULL count */
    hr = IByteBuffer_Seek(buffer, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(buffer, (BYTE *)"XY", 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 4);
    check_content(buffer, "abXYef", 6);

    /* across the end */
    hr = IByteBuffer_Write(buffer, (BYTE *)"1234", 4, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 4, "Got count %ld.\n", count);
    check_content(buffer, "abXY1234", 8);

    /* nothing written and no fill for cb == 0, even past the end */
    hr = IByteBuffer_Seek(buffer, 12, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    count = -1;
    hr = IByteBuffer_Write(buffer, (BYTE *)"z", 0, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_size(buffer, 8);
    check_position(buffer, 12);

    /* past the end: the gap is zero-filled */
    hr = IByteBuffer_Write(buffer, (BYTE *)"z", 1, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 1, "Got count %ld.\n", count);
    check_content(buffer, "abXY1234\0\0\0\0z", 13);
    check_position(buffer, 13);

    /* nothing can end past 0x7fffffff */
    hr = IByteBuffer_Seek(buffer, 0x7fffffff, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    count = -1;
    hr = IByteBuffer_Write(buffer, (BYTE *)"z", 1, &count);
    ok(hr == STG_E_MEDIUMFULL, "Got hr %#lx.\n", hr);
    ok(!count, "Got count %ld.\n", count);
    check_position(buffer, 0x7fffffff);
    check_size(buffer, 13);
    hr = IByteBuffer_Seek(buffer, 0x7ffffff0, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(buffer, (BYTE *)"0123456789abcdefg", 17, &count);
    ok(hr == STG_E_MEDIUMFULL, "Got hr %#lx.\n", hr);
    check_size(buffer, 13);
    check_content(buffer, "abXY1234\0\0\0\0z", 13);

    IByteBuffer_Release(buffer);
}

static void test_seek(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10);
    LONG position;
    HRESULT hr;

    position = -1;
    hr = IByteBuffer_Seek(buffer, 5, STREAM_SEEK_SET, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 5, "Got position %ld.\n", position);
    position = -1;
    hr = IByteBuffer_Seek(buffer, 2, STREAM_SEEK_CUR, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 7, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, -3, STREAM_SEEK_CUR, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 4, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, -2, STREAM_SEEK_END, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 8, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_END, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 10);

    /* past the end is fine */
    hr = IByteBuffer_Seek(buffer, 5, STREAM_SEEK_END, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 15, "Got position %ld.\n", position);
    check_size(buffer, 10);

    /* before the start is not; the pointer stays and is reported */
    hr = IByteBuffer_Seek(buffer, 3, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    position = -1;
    hr = IByteBuffer_Seek(buffer, -4, STREAM_SEEK_CUR, &position);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    ok(position == 3, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, -3, STREAM_SEEK_CUR, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!position, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, 3, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    position = -1;
    hr = IByteBuffer_Seek(buffer, -11, STREAM_SEEK_END, &position);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    ok(position == 3, "Got position %ld.\n", position);
    /* from the start the move is unsigned, so a "negative" one is out of range */
    position = -1;
    hr = IByteBuffer_Seek(buffer, -1, STREAM_SEEK_SET, &position);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    ok(position == 3, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, 0x80000000, STREAM_SEEK_SET, NULL);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    check_position(buffer, 3);

    /* bad origins */
    position = -1;
    hr = IByteBuffer_Seek(buffer, 1, STREAM_SEEK_END + 1, &position);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    ok(position == 3, "Got position %ld.\n", position);
    hr = IByteBuffer_Seek(buffer, 1, -1, NULL);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    check_position(buffer, 3);

    /* the largest position a LONG holds, and no further */
    hr = IByteBuffer_Seek(buffer, 0x7fffffff, STREAM_SEEK_SET, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 0x7fffffff, "Got position %#lx.\n", position);
    hr = IByteBuffer_Seek(buffer, 1, STREAM_SEEK_CUR, &position);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    ok(position == 0x7fffffff, "Got position %#lx.\n", position);
    hr = IByteBuffer_Seek(buffer, 0x7ffffff6, STREAM_SEEK_END, &position);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(buffer, 0x7ffffff5, STREAM_SEEK_END, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 0x7fffffff, "Got position %#lx.\n", position);
    hr = IByteBuffer_Seek(buffer, -0x7fffffff, STREAM_SEEK_CUR, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!position, "Got position %ld.\n", position);

    check_content(buffer, "0123456789", 10);
    IByteBuffer_Release(buffer);
}

static void test_set_size(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10);
    HRESULT hr;

    hr = IByteBuffer_Seek(buffer, 6, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_SetSize(buffer, 4);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0123", 4);
    check_position(buffer, 6);

    /* grown bytes are zeros, not what was there before */
    hr = IByteBuffer_SetSize(buffer, 8);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0123\0\0\0\0", 8);
    check_position(buffer, 6);

    hr = IByteBuffer_SetSize(buffer, -1);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_size(buffer, 8);

    hr = IByteBuffer_SetSize(buffer, 256);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_size(buffer, 256);
    hr = IByteBuffer_SetSize(buffer, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_size(buffer, 0);
    check_position(buffer, 6);

    IByteBuffer_Release(buffer);
}

static void test_stat(void)
{
    IByteBuffer *buffer = create_buffer_with("abc", 3);
    STATSTRUCT stat;
    HRESULT hr;

    hr = IByteBuffer_Stat(buffer, NULL, STATFLAG_DEFAULT);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    memset(&stat, 0xcc, sizeof(stat));
    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(stat.type == STGTY_STREAM, "Got type %ld.\n", stat.type);
    ok(stat.cbSize == 3, "Got size %ld.\n", stat.cbSize);
    ok(stat.grfMode == STGM_READWRITE, "Got mode %#lx.\n", stat.grfMode);
    ok(stat.grfLocksSupported == (LOCK_WRITE | LOCK_EXCLUSIVE | LOCK_ONLYONCE), "Got locks %#lx.\n",
            stat.grfLocksSupported);
    ok(!stat.grfStateBits, "Got state bits %#lx.\n", stat.grfStateBits);

    memset(&stat, 0xcc, sizeof(stat));
    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_NONAME);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(stat.type == STGTY_STREAM, "Got type %ld.\n", stat.type);
    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_NOOPEN);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    memset(&stat, 0xcc, sizeof(stat));
    hr = IByteBuffer_Stat(buffer, &stat, 3);
    ok(hr == STG_E_INVALIDFLAG, "Got hr %#lx.\n", hr);
    ok(stat.type == (LONG)0xcccccccc, "Got type %ld.\n", stat.type);
    hr = IByteBuffer_Stat(buffer, &stat, -1);
    ok(hr == STG_E_INVALIDFLAG, "Got hr %#lx.\n", hr);

    IByteBuffer_Release(buffer);
}

static void test_commit_revert(void)
{
    IByteBuffer *buffer = create_buffer_with("abc", 3);
    HRESULT hr;

    hr = IByteBuffer_Commit(buffer, STGC_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Commit(buffer, STGC_DEFAULT | STGC_CONSOLIDATE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Commit(buffer, STGC_OVERWRITE | STGC_ONLYIFCURRENT
            | STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE | STGC_CONSOLIDATE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Commit(buffer, 0x10);
    ok(hr == STG_E_INVALIDFLAG, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Commit(buffer, -1);
    ok(hr == STG_E_INVALIDFLAG, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_Write(buffer, (BYTE *)"x", 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Revert(buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* not transacted: nothing to discard */
    check_content(buffer, "xbc", 3);
    check_position(buffer, 1);

    IByteBuffer_Release(buffer);
}

static void test_clone(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10), *clone, *clone2;
    BYTE data[4];
    LONG count;
    HRESULT hr;
    ULONG ref;

    hr = IByteBuffer_Clone(buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_Seek(buffer, 4, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    clone = (void *)0xdeadbeef;
    hr = IByteBuffer_Clone(buffer, &clone);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(clone && clone != (void *)0xdeadbeef && clone != buffer, "Got %p.\n", clone);
    ok(get_refcount(clone) == 1, "Got refcount %lu.\n", get_refcount(clone));
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));

    /* starts at the original's position, then moves on its own */
    check_position(clone, 4);
    count = -1;
    hr = IByteBuffer_Read(clone, data, 2, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 2 && !memcmp(data, "45", 2), "Got %ld %.2s.\n", count, data);
    check_position(clone, 6);
    check_position(buffer, 4);

    /* the bytes are shared both ways */
    hr = IByteBuffer_Write(buffer, (BYTE *)"AB", 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(clone, "0123AB6789", 10);
    hr = IByteBuffer_Write(clone, (BYTE *)"CDEFG", 5, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0123ABCDEFG", 11);
    hr = IByteBuffer_SetSize(clone, 3);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "012", 3);
    check_position(buffer, 6);
    check_position(clone, 11);

    /* Initialize replaces the shared bytes, and moves only its own pointer */
    hr = IByteBuffer_Initialize(clone, 2, (BYTE *)"xy");
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "xy", 2);
    check_position(buffer, 6);
    check_position(clone, 0);

    /* locks are shared */
    hr = IByteBuffer_LockRegion(buffer, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(clone, 5, 1, LOCK_WRITE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(clone, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);

    /* a clone of a clone, and the bytes outlive the original */
    hr = IByteBuffer_Clone(clone, &clone2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ref = IByteBuffer_Release(buffer);
    ok(!ref, "Got refcount %lu.\n", ref);
    hr = IByteBuffer_Write(clone2, (BYTE *)"Q", 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(clone, "Qy", 2);
    ref = IByteBuffer_Release(clone);
    ok(!ref, "Got refcount %lu.\n", ref);
    check_content(clone2, "Qy", 2);
    check_position(clone2, 1);
    ref = IByteBuffer_Release(clone2);
    ok(!ref, "Got refcount %lu.\n", ref);
}

static void test_copy_to(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10), *dest = create_buffer(), *null = NULL;
    IByteBuffer *clone;
    LONG read, written;
    HRESULT hr;

    read = written = 0xdead;
    hr = IByteBuffer_CopyTo(buffer, NULL, 3, &read, &written);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!read && !written, "Got %ld, %ld.\n", read, written);
    read = written = 0xdead;
    hr = IByteBuffer_CopyTo(buffer, &null, 3, &read, &written);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!read && !written, "Got %ld, %ld.\n", read, written);
    read = written = 0xdead;
    hr = IByteBuffer_CopyTo(buffer, &dest, -1, &read, &written);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!read && !written, "Got %ld, %ld.\n", read, written);
    check_position(buffer, 0);
    check_size(dest, 0);

    /* from this pointer to the destination's pointer, both advance */
    hr = IByteBuffer_Seek(buffer, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(dest, (BYTE *)"ab", 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    read = written = -1;
    hr = IByteBuffer_CopyTo(buffer, &dest, 3, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == 3 && written == 3, "Got %ld, %ld.\n", read, written);
    check_position(buffer, 5);
    check_position(dest, 5);
    check_content(dest, "ab234", 5);

    /* more than there is; NULL counts */
    hr = IByteBuffer_CopyTo(buffer, &dest, 100, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 10);
    check_content(dest, "ab23456789", 10);
    read = written = -1;
    hr = IByteBuffer_CopyTo(buffer, &dest, 100, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!read && !written, "Got %ld, %ld.\n", read, written);
    hr = IByteBuffer_Seek(buffer, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_CopyTo(buffer, &dest, 0, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!read && !written, "Got %ld, %ld.\n", read, written);
    check_position(buffer, 2);
    check_size(dest, 10);
    /* only cb with a NULL written count */
    read = -1;
    hr = IByteBuffer_CopyTo(buffer, &dest, 1, &read, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == 1, "Got %ld.\n", read);
    check_content(dest, "ab234567892", 11);

    /* into itself: read, then written at the (advanced) same pointer */
    hr = IByteBuffer_Initialize(buffer, 6, (BYTE *)"ABCDEF");
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    read = written = -1;
    hr = IByteBuffer_CopyTo(buffer, &buffer, 3, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == 3 && written == 3, "Got %ld, %ld.\n", read, written);
    check_content(buffer, "ABCABC", 6);
    check_position(buffer, 6);

    /* into a clone over an overlapping range: the bytes as they were */
    hr = IByteBuffer_Initialize(buffer, 10, (BYTE *)"0123456789");
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Clone(buffer, &clone);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(clone, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    read = written = -1;
    hr = IByteBuffer_CopyTo(buffer, &clone, 5, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == 5 && written == 5, "Got %ld, %ld.\n", read, written);
    check_content(buffer, "0101234789", 10);
    check_position(buffer, 5);
    check_position(clone, 7);
    /* backwards overlap too */
    hr = IByteBuffer_Initialize(buffer, 10, (BYTE *)"0123456789");
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(buffer, 3, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(clone, 1, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_CopyTo(buffer, &clone, 6, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == 6 && written == 6, "Got %ld, %ld.\n", read, written);
    check_content(buffer, "0345678789", 10);
    /* past the destination's end: zero fill */
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(clone, 12, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_CopyTo(buffer, &clone, 2, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0345678789\0\0" "03", 14);

    IByteBuffer_Release(clone);
    IByteBuffer_Release(dest);
    IByteBuffer_Release(buffer);
}

static void test_locks(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10);
    LONG count;
    HRESULT hr;

    hr = IByteBuffer_LockRegion(buffer, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 9, 5, LOCK_WRITE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 2, 1, LOCK_ONLYONCE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);

    /* adjacent is fine, and past the end of the data too */
    hr = IByteBuffer_LockRegion(buffer, 10, 10, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 100, 5, LOCK_ONLYONCE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* advisory: reading and writing a locked range works */
    hr = IByteBuffer_Write(buffer, (BYTE *)"ab", 2, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 2, "Got count %ld.\n", count);
    check_content(buffer, "ab23456789", 10);

    /* unlocking needs exactly the same three values */
    hr = IByteBuffer_UnlockRegion(buffer, 0, 20, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 10, LOCK_WRITE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 9, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 1, 10, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 10, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    /* the range is free again, the adjacent lock is still there */
    hr = IByteBuffer_LockRegion(buffer, 0, 10, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 15, 1, LOCK_WRITE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);

    /* an empty range overlaps nothing */
    hr = IByteBuffer_LockRegion(buffer, 5, 0, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 5, 0, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* bad lock types and ranges */
    hr = IByteBuffer_LockRegion(buffer, 50, 1, 0);
    ok(hr == STG_E_INVALIDFUNCTION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 50, 1, LOCK_WRITE | LOCK_EXCLUSIVE);
    ok(hr == STG_E_INVALIDFUNCTION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 50, 1, 8);
    ok(hr == STG_E_INVALIDFUNCTION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 10, 3);
    ok(hr == STG_E_INVALIDFUNCTION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, -1, 1, LOCK_WRITE);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 50, -1, LOCK_WRITE);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, -1, 1, LOCK_WRITE);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, -10, LOCK_WRITE);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_UnlockRegion(buffer, 0, 10, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 10, 10, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 100, 5, LOCK_ONLYONCE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* releasing a buffer with a lock left is harmless */
    hr = IByteBuffer_LockRegion(buffer, 0, 1, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
}

static void test_stream(void)
{
    IByteBuffer *buffer = create_buffer_with("0123456789", 10), *buffer2;
    IStream *stream, *stream2, *clone, *hglobal_stream;
    ULARGE_INTEGER upos, read, written;
    LARGE_INTEGER move;
    STATSTG stat;
    BYTE data[16];
    HGLOBAL hglobal;
    ULONG count;
    HRESULT hr;
    char *p;

    hr = IByteBuffer_get_Stream(buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_get_Stream(buffer, &stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_QueryInterface(buffer, &IID_IStream, (void **)&stream2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(stream == stream2, "Got %p, expected %p.\n", stream2, stream);
    ok(get_refcount(buffer) == 3, "Got refcount %lu.\n", get_refcount(buffer));
    IStream_Release(stream2);
    hr = IStream_QueryInterface(stream, &IID_IByteBuffer, (void **)&buffer2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(buffer2 == buffer, "Got %p, expected %p.\n", buffer2, buffer);
    IByteBuffer_Release(buffer2);

    /* one seek pointer for both */
    move.QuadPart = 3;
    hr = IStream_Seek(stream, move, STREAM_SEEK_SET, &upos);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(upos.QuadPart == 3, "Got %lu.\n", (ULONG)upos.QuadPart);
    check_position(buffer, 3);
    memset(data, 0xcc, sizeof(data));
    count = 0xdead;
    hr = IStream_Read(stream, data, 4, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 4 && !memcmp(data, "3456", 4), "Got %lu %.4s.\n", count, data);
    check_position(buffer, 7);
    hr = IStream_Write(stream, "ab", 2, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 2, "Got %lu.\n", count);
    check_content(buffer, "0123456ab9", 10);
    hr = IByteBuffer_Seek(buffer, 1, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    move.QuadPart = 0;
    hr = IStream_Seek(stream, move, STREAM_SEEK_CUR, &upos);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(upos.QuadPart == 1, "Got %lu.\n", (ULONG)upos.QuadPart);

    /* IStream's own rules for bad input */
    count = 0xdead;
    hr = IStream_Read(stream, NULL, 1, &count);
    ok(hr == STG_E_INVALIDPOINTER, "Got hr %#lx.\n", hr);
    ok(!count, "Got %lu.\n", count);
    hr = IStream_Write(stream, NULL, 1, &count);
    ok(hr == STG_E_INVALIDPOINTER, "Got hr %#lx.\n", hr);
    hr = IStream_Stat(stream, NULL, STATFLAG_NONAME);
    ok(hr == STG_E_INVALIDPOINTER, "Got hr %#lx.\n", hr);
    hr = IStream_Stat(stream, &stat, 7);
    ok(hr == STG_E_INVALIDFLAG, "Got hr %#lx.\n", hr);
    hr = IStream_Clone(stream, NULL);
    ok(hr == STG_E_INVALIDPOINTER, "Got hr %#lx.\n", hr);
    read.QuadPart = 1;
    hr = IStream_CopyTo(stream, NULL, read, NULL, NULL);
    ok(hr == STG_E_INVALIDPOINTER, "Got hr %#lx.\n", hr);
    move.QuadPart = -1;
    upos.QuadPart = 0xdead;
    hr = IStream_Seek(stream, move, STREAM_SEEK_SET, &upos);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    ok(upos.QuadPart == 1, "Got %lu.\n", (ULONG)upos.QuadPart);
    move.QuadPart = 0x80000000;
    hr = IStream_Seek(stream, move, STREAM_SEEK_SET, &upos);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    hr = IStream_Seek(stream, move, 3, &upos);
    ok(hr == STG_E_SEEKERROR, "Got hr %#lx.\n", hr);
    upos.QuadPart = 0x80000000;
    hr = IStream_SetSize(stream, upos);
    ok(hr == STG_E_MEDIUMFULL, "Got hr %#lx.\n", hr);
    hr = IStream_Commit(stream, 0x20);
    ok(hr == STG_E_INVALIDFLAG, "Got hr %#lx.\n", hr);
    hr = IStream_Commit(stream, STGC_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IStream_Revert(stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    memset(&stat, 0xcc, sizeof(stat));
    hr = IStream_Stat(stream, &stat, STATFLAG_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!stat.pwcsName, "Got name %p.\n", stat.pwcsName);
    ok(stat.type == STGTY_STREAM, "Got type %lu.\n", stat.type);
    ok(stat.cbSize.QuadPart == 10, "Got size %lu.\n", (ULONG)stat.cbSize.QuadPart);
    ok(stat.grfMode == STGM_READWRITE, "Got mode %#lx.\n", stat.grfMode);
    ok(stat.grfLocksSupported == (LOCK_WRITE | LOCK_EXCLUSIVE | LOCK_ONLYONCE), "Got %#lx.\n",
            stat.grfLocksSupported);
    ok(IsEqualCLSID(&stat.clsid, &CLSID_NULL), "Got a clsid.\n");
    ok(!stat.grfStateBits, "Got state bits %#lx.\n", stat.grfStateBits);

    upos.QuadPart = 12;
    hr = IStream_SetSize(stream, upos);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0123456ab9\0\0", 12);

    /* locks are the buffer's locks */
    upos.QuadPart = 4;
    read.QuadPart = 2;
    hr = IStream_LockRegion(stream, upos, read, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_LockRegion(buffer, 5, 1, LOCK_WRITE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IStream_LockRegion(stream, upos, read, 16);
    ok(hr == STG_E_INVALIDFUNCTION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 4, 2, LOCK_WRITE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IStream_UnlockRegion(stream, upos, read, LOCK_WRITE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);

    /* Clone gives a stream face of a new buffer */
    hr = IStream_Clone(stream, &clone);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IStream_QueryInterface(clone, &IID_IByteBuffer, (void **)&buffer2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(buffer2 != buffer, "Got the same buffer.\n");
    check_position(buffer2, 1);
    hr = IStream_Write(clone, "Z", 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0Z23456ab9\0\0", 12);
    IByteBuffer_Release(buffer2);
    IStream_Release(clone);

    /* CopyTo any IStream */
    hr = CreateStreamOnHGlobal(NULL, TRUE, &hglobal_stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    upos.QuadPart = 5;
    read.QuadPart = written.QuadPart = 0xdead;
    hr = IStream_CopyTo(stream, hglobal_stream, upos, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read.QuadPart == 5 && written.QuadPart == 5, "Got %lu, %lu.\n", (ULONG)read.QuadPart,
            (ULONG)written.QuadPart);
    check_position(buffer, 6);
    hr = GetHGlobalFromStream(hglobal_stream, &hglobal);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    p = GlobalLock(hglobal);
    ok(!memcmp(p, "Z2345", 5), "Got %.5s.\n", p);
    GlobalUnlock(hglobal);
    IStream_Release(hglobal_stream);

    IStream_Release(stream);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    IByteBuffer_Release(buffer);
}

static void test_put_stream(void)
{
    IByteBuffer *buffer = create_buffer_with("old", 3), *other, *clone;
    IStream *hglobal_stream, *stream;
    ISCardTypeConv *typeconv;
    LARGE_INTEGER move;
    ULARGE_INTEGER upos;
    HRESULT hr;

    hr = IByteBuffer_put_Stream(buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_Clone(buffer, &clone);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(clone, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* copies the whole content of an OLE stream; its pointer is restored */
    hr = CreateStreamOnHGlobal(NULL, TRUE, &hglobal_stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IStream_Write(hglobal_stream, "hello world", 11, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    move.QuadPart = 6;
    hr = IStream_Seek(hglobal_stream, move, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(buffer, 1, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_put_Stream(buffer, hglobal_stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "hello world", 11);
    check_position(buffer, 0);
    check_content(clone, "hello world", 11);
    check_position(clone, 2);
    move.QuadPart = 0;
    hr = IStream_Seek(hglobal_stream, move, STREAM_SEEK_CUR, &upos);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(upos.QuadPart == 6, "Got %lu.\n", (ULONG)upos.QuadPart);
    ok(get_refcount(hglobal_stream) == 1, "Got refcount %lu.\n", get_refcount(hglobal_stream));

    /* a copy, not the stream itself */
    hr = IStream_Write(hglobal_stream, "W", 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "hello world", 11);

    /* from another buffer's stream face, and from its own */
    other = create_buffer_with("\x01\x02\x03", 3);
    hr = IByteBuffer_Seek(other, 2, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_get_Stream(other, &stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_put_Stream(buffer, stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IStream_Release(stream);
    check_content(buffer, "\x01\x02\x03", 3);
    check_position(other, 2);
    /* an IByteBuffer handed in where a stream is expected */
    hr = IByteBuffer_Initialize(other, 2, (BYTE *)"\xaa\xbb");
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_put_Stream(buffer, (IStream *)other);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "\xaa\xbb", 2);
    IByteBuffer_Release(other);

    hr = IByteBuffer_Seek(buffer, 1, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_get_Stream(buffer, &stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_put_Stream(buffer, stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IStream_Release(stream);
    check_content(buffer, "\xaa\xbb", 2);
    check_position(buffer, 0);

    /* an empty stream empties the buffer */
    upos.QuadPart = 0;
    hr = IStream_SetSize(hglobal_stream, upos);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_put_Stream(buffer, hglobal_stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_size(buffer, 0);
    check_size(clone, 0);
    IStream_Release(hglobal_stream);

    /* an object that is no stream */
    hr = CoCreateInstance(&CLSID_CSCardTypeConv, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardTypeConv, (void **)&typeconv);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(buffer, (BYTE *)"keep", 4, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_put_Stream(buffer, (IStream *)typeconv);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    check_content(buffer, "keep", 4);
    ISCardTypeConv_Release(typeconv);

    IByteBuffer_Release(clone);
    IByteBuffer_Release(buffer);
}

static void test_dispatch(void)
{
    static const struct
    {
        const WCHAR *name;
        DISPID dispid;
    }
    members[] =
    {
        {L"Stream", 0}, {L"Clone", 1}, {L"Commit", 2}, {L"CopyTo", 3}, {L"Initialize", 4},
        {L"LockRegion", 5}, {L"Read", 6}, {L"Revert", 7}, {L"Seek", 8}, {L"SetSize", 9},
        {L"Stat", 10}, {L"UnlockRegion", 11}, {L"Write", 12},
    };
    IByteBuffer *buffer = create_buffer_with("0123456789", 10);
    DISPPARAMS params = {0};
    VARIANT args[3], result;
    EXCEPINFO excepinfo;
    LPOLESTR name;
    DISPID dispid;
    unsigned int i;
    LONG position;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(members); ++i)
    {
        name = (LPOLESTR)members[i].name;
        dispid = 0xdead;
        hr = IByteBuffer_GetIDsOfNames(buffer, &IID_NULL, &name, 1, 0, &dispid);
        ok(hr == S_OK, "%u: got hr %#lx.\n", i, hr);
        ok(dispid == members[i].dispid, "%u: got dispid %ld.\n", i, dispid);
    }
    name = (LPOLESTR)L"setsize";
    hr = IByteBuffer_GetIDsOfNames(buffer, &IID_NULL, &name, 1, 0, &dispid);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(dispid == 9, "Got dispid %ld.\n", dispid);
    name = (LPOLESTR)L"Flush";
    hr = IByteBuffer_GetIDsOfNames(buffer, &IID_NULL, &name, 1, 0, &dispid);
    ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);

    /* SetSize(4) */
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = 4;
    params.rgvarg = args;
    params.cArgs = 1;
    hr = IByteBuffer_Invoke(buffer, 9, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "0123", 4);

    /* Seek(2, STREAM_SEEK_SET), position omitted */
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = 2;
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = STREAM_SEEK_SET;
    params.cArgs = 2;
    hr = IByteBuffer_Invoke(buffer, 8, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 2);

    /* Seek(1, STREAM_SEEK_CUR, position) by reference */
    position = -1;
    V_VT(&args[2]) = VT_I4;
    V_I4(&args[2]) = 1;
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = STREAM_SEEK_CUR;
    V_VT(&args[0]) = VT_BYREF | VT_I4;
    V_I4REF(&args[0]) = &position;
    params.cArgs = 3;
    hr = IByteBuffer_Invoke(buffer, 8, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 3, "Got position %ld.\n", position);

    /* a failing member reports its HRESULT */
    V_VT(&args[1]) = VT_I4;
    V_I4(&args[1]) = -10;
    V_VT(&args[0]) = VT_I4;
    V_I4(&args[0]) = STREAM_SEEK_SET;
    params.cArgs = 2;
    memset(&excepinfo, 0, sizeof(excepinfo));
    hr = IByteBuffer_Invoke(buffer, 8, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, &excepinfo, NULL);
    ok(hr == DISP_E_EXCEPTION, "Got hr %#lx.\n", hr);
    ok(excepinfo.scode == STG_E_SEEKERROR, "Got scode %#lx.\n", excepinfo.scode);
    SysFreeString(excepinfo.bstrSource);
    SysFreeString(excepinfo.bstrDescription);
    SysFreeString(excepinfo.bstrHelpFile);
    check_position(buffer, 3);

    /* Initialize() takes its defaults: one zero byte */
    params.cArgs = 0;
    params.rgvarg = NULL;
    hr = IByteBuffer_Invoke(buffer, 4, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "\0", 1);

    hr = IByteBuffer_Invoke(buffer, 7, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* the hidden Stream property */
    VariantInit(&result);
    hr = IByteBuffer_Invoke(buffer, 0, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, &result, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_UNKNOWN, "Got type %u.\n", V_VT(&result));
    if (V_VT(&result) == VT_UNKNOWN)
    {
        IStream *stream;

        hr = IUnknown_QueryInterface(V_UNKNOWN(&result), &IID_IStream, (void **)&stream);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok((void *)stream == V_UNKNOWN(&result), "Got a different stream.\n");
        IStream_Release(stream);
    }
    VariantClear(&result);

    hr = IByteBuffer_Invoke(buffer, 99, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == DISP_E_MEMBERNOTFOUND, "Got hr %#lx.\n", hr);

    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    IByteBuffer_Release(buffer);
}

static void test_many(void)
{
    IByteBuffer *buffer, *clone;
    IStream *stream;
    unsigned int i;
    HRESULT hr;
    ULONG ref;
    LONG count;
    BOOL failed = FALSE;

    for (i = 0; i < 2000 && !failed; ++i)
    {
        hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
        if (hr != S_OK)
        {
            failed = TRUE;
            break;
        }
        hr = IByteBuffer_Initialize(buffer, 64, NULL);
        failed |= hr != S_OK;
        hr = IByteBuffer_LockRegion(buffer, i, 1, LOCK_WRITE);
        failed |= hr != S_OK;
        hr = IByteBuffer_Clone(buffer, &clone);
        failed |= hr != S_OK;
        if (hr != S_OK)
            break;
        hr = IByteBuffer_get_Stream(clone, &stream);
        failed |= hr != S_OK;
        hr = IByteBuffer_Write(buffer, (BYTE *)&i, sizeof(i), &count);
        failed |= hr != S_OK || count != sizeof(i);
        ref = IByteBuffer_Release(buffer);
        failed |= ref != 0;
        IStream_Release(stream);
        ref = IByteBuffer_Release(clone);
        failed |= ref != 0;
    }
    ok(!failed, "Failed at iteration %u.\n", i);
}

START_TEST(bytebuffer)
{
    CoInitialize(NULL);

    test_interfaces();
    test_fresh();
    test_initialize();
    test_read();
    test_write();
    test_seek();
    test_set_size();
    test_stat();
    test_commit_revert();
    test_clone();
    test_copy_to();
    test_locks();
    test_stream();
    test_put_stream();
    test_dispatch();
    test_many();
    test_unload();

    CoUninitialize();
}
