/*
 * Tests for CSCardTypeConv / ISCardTypeConv
 *
 * min-checks: 400 (tests/run-wine fails a run with fewer)
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

static ISCardTypeConv *create_typeconv(void)
{
    ISCardTypeConv *typeconv = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardTypeConv, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardTypeConv,
            (void **)&typeconv);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return typeconv;
}

static IByteBuffer *create_buffer_with(const char *data, LONG size)
{
    IByteBuffer *buffer = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Initialize(buffer, size, (BYTE *)data);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return buffer;
}

static IStream *create_hglobal_stream(const char *data, ULONG size)
{
    IStream *stream = NULL;
    HRESULT hr;

    hr = CreateStreamOnHGlobal(NULL, TRUE, &stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IStream_Write(stream, data, size, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return stream;
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

#define check_stream_position(a, b) check_stream_position_(__LINE__, a, b)
static void check_stream_position_(unsigned int line, IStream *stream, ULONG expected)
{
    static const LARGE_INTEGER zero;
    ULARGE_INTEGER position;
    HRESULT hr;

    position.QuadPart = 0xdead;
    hr = IStream_Seek(stream, zero, STREAM_SEEK_CUR, &position);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(position.QuadPart == expected, "Got position %lu, expected %lu.\n",
            (ULONG)position.QuadPart, expected);
}

/* the whole content, read from 0; the seek pointer is left where it was */
#define check_content(a, b, c) check_content_(__LINE__, a, b, c)
static void check_content_(unsigned int line, IByteBuffer *buffer, const char *expected, LONG size)
{
    LONG position = -1, count = -1;
    STATSTRUCT stat;
    BYTE data[256];
    HRESULT hr;

    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_NONAME);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(stat.cbSize == size, "Got size %ld, expected %ld.\n", stat.cbSize, size);
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_CUR, &position);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    memset(data, 0xcc, sizeof(data));
    hr = IByteBuffer_Read(buffer, data, sizeof(data), &count);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(count == size, "Got count %ld, expected %ld.\n", count, size);
    if (count == size)
        ok_(__FILE__, line)(!memcmp(data, expected, size), "Content differs.\n");
    hr = IByteBuffer_Seek(buffer, position, STREAM_SEEK_SET, NULL);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
}

/* a 1-D VT_UI1 array with lower bound 0 holding exactly these bytes */
#define check_safearray(a, b, c) check_safearray_(__LINE__, a, b, c)
static void check_safearray_(unsigned int line, SAFEARRAY *array, const char *expected, LONG size)
{
    LONG lbound = -1, ubound = -2;
    VARTYPE vt = VT_EMPTY;
    void *data;
    HRESULT hr;

    ok_(__FILE__, line)(!!array, "No array.\n");
    if (!array)
        return;
    ok_(__FILE__, line)(SafeArrayGetDim(array) == 1, "Got %u dimensions.\n", SafeArrayGetDim(array));
    ok_(__FILE__, line)(SafeArrayGetElemsize(array) == 1, "Got element size %u.\n", SafeArrayGetElemsize(array));
    hr = SafeArrayGetVartype(array, &vt);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(vt == VT_UI1, "Got type %u.\n", vt);
    hr = SafeArrayGetLBound(array, 1, &lbound);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(!lbound, "Got lower bound %ld.\n", lbound);
    hr = SafeArrayGetUBound(array, 1, &ubound);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(ubound == size - 1, "Got upper bound %ld, expected %ld.\n", ubound, size - 1);
    hr = SafeArrayAccessData(array, &data);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    if (SUCCEEDED(hr))
    {
        if (size)
            ok_(__FILE__, line)(!memcmp(data, expected, size), "Content differs.\n");
        SafeArrayUnaccessData(array);
    }
}

/* An IByteBuffer that is not the DLL's: only Seek and Read work. */
struct fake_buffer
{
    IByteBuffer IByteBuffer_iface;
    LONG refcount;
    const BYTE *data;
    LONG size, position;
    unsigned int read_calls, seek_calls;
};

static inline struct fake_buffer *impl_from_IByteBuffer(IByteBuffer *iface)
{
    return CONTAINING_RECORD(iface, struct fake_buffer, IByteBuffer_iface);
}

static HRESULT WINAPI fake_QueryInterface(IByteBuffer *iface, REFIID riid, void **obj)
{
    if (IsEqualIID(riid, &IID_IByteBuffer) || IsEqualIID(riid, &IID_IDispatch) || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        IByteBuffer_AddRef(iface);
        return S_OK;
    }
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI fake_AddRef(IByteBuffer *iface)
{
    return InterlockedIncrement(&impl_from_IByteBuffer(iface)->refcount);
}

static ULONG WINAPI fake_Release(IByteBuffer *iface)
{
    return InterlockedDecrement(&impl_from_IByteBuffer(iface)->refcount);
}

static HRESULT WINAPI fake_GetTypeInfoCount(IByteBuffer *iface, UINT *count)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_GetTypeInfo(IByteBuffer *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_GetIDsOfNames(IByteBuffer *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Invoke(IByteBuffer *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_get_Stream(IByteBuffer *iface, IStream **stream)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_put_Stream(IByteBuffer *iface, IStream *stream)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Clone(IByteBuffer *iface, IByteBuffer **clone)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Commit(IByteBuffer *iface, LONG flags)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_CopyTo(IByteBuffer *iface, IByteBuffer **dest, LONG cb, LONG *read, LONG *written)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Initialize(IByteBuffer *iface, LONG size, BYTE *data)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_LockRegion(IByteBuffer *iface, LONG offset, LONG cb, LONG type)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

/* hands out at most 3 bytes a call, to see that the reader loops */
static HRESULT WINAPI fake_Read(IByteBuffer *iface, BYTE *bytes, LONG cb, LONG *read)
{
    struct fake_buffer *buffer = impl_from_IByteBuffer(iface);
    LONG count = 0;

    buffer->read_calls++;
    if (buffer->position < buffer->size)
        count = min(min(cb, 3), buffer->size - buffer->position);
    memcpy(bytes, buffer->data + buffer->position, count);
    buffer->position += count;
    if (read)
        *read = count;
    return S_OK;
}

static HRESULT WINAPI fake_Revert(IByteBuffer *iface)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Seek(IByteBuffer *iface, LONG move, LONG origin, LONG *new_position)
{
    struct fake_buffer *buffer = impl_from_IByteBuffer(iface);

    buffer->seek_calls++;
    if (origin == STREAM_SEEK_SET)
        buffer->position = move;
    else if (origin == STREAM_SEEK_CUR)
        buffer->position += move;
    else
        buffer->position = buffer->size + move;
    if (new_position)
        *new_position = buffer->position;
    return S_OK;
}

static HRESULT WINAPI fake_SetSize(IByteBuffer *iface, LONG size)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Stat(IByteBuffer *iface, STATSTRUCT *stat, LONG flags)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_UnlockRegion(IByteBuffer *iface, LONG offset, LONG cb, LONG type)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI fake_Write(IByteBuffer *iface, BYTE *bytes, LONG cb, LONG *written)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static const IByteBufferVtbl fake_vtbl =
{
    fake_QueryInterface,
    fake_AddRef,
    fake_Release,
    fake_GetTypeInfoCount,
    fake_GetTypeInfo,
    fake_GetIDsOfNames,
    fake_Invoke,
    fake_get_Stream,
    fake_put_Stream,
    fake_Clone,
    fake_Commit,
    fake_CopyTo,
    fake_Initialize,
    fake_LockRegion,
    fake_Read,
    fake_Revert,
    fake_Seek,
    fake_SetSize,
    fake_Stat,
    fake_UnlockRegion,
    fake_Write,
};

/* An IStream whose Stat fails: only QueryInterface and the refcount work. */
static HRESULT WINAPI bad_stream_QueryInterface(IStream *iface, REFIID riid, void **obj)
{
    if (IsEqualIID(riid, &IID_IStream) || IsEqualIID(riid, &IID_ISequentialStream) || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        IStream_AddRef(iface);
        return S_OK;
    }
    *obj = NULL;
    return E_NOINTERFACE;
}

static LONG bad_stream_refcount = 1;

static ULONG WINAPI bad_stream_AddRef(IStream *iface)
{
    return InterlockedIncrement(&bad_stream_refcount);
}

static ULONG WINAPI bad_stream_Release(IStream *iface)
{
    return InterlockedDecrement(&bad_stream_refcount);
}

static HRESULT WINAPI bad_stream_Read(IStream *iface, void *data, ULONG cb, ULONG *read)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_Write(IStream *iface, const void *data, ULONG cb, ULONG *written)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin, ULARGE_INTEGER *position)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER cb, ULARGE_INTEGER *read,
        ULARGE_INTEGER *written)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_Commit(IStream *iface, DWORD flags)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_Revert(IStream *iface)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb, DWORD type)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb, DWORD type)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static HRESULT WINAPI bad_stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    return E_FAIL;
}

static HRESULT WINAPI bad_stream_Clone(IStream *iface, IStream **clone)
{
    ok(0, "Unexpected call.\n");
    return E_NOTIMPL;
}

static const IStreamVtbl bad_stream_vtbl =
{
    bad_stream_QueryInterface,
    bad_stream_AddRef,
    bad_stream_Release,
    bad_stream_Read,
    bad_stream_Write,
    bad_stream_Seek,
    bad_stream_SetSize,
    bad_stream_CopyTo,
    bad_stream_Commit,
    bad_stream_Revert,
    bad_stream_LockRegion,
    bad_stream_UnlockRegion,
    bad_stream_Stat,
    bad_stream_Clone,
};

static IStream bad_stream = { &bad_stream_vtbl };

static void test_interfaces(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    IDispatch *dispatch;
    IUnknown *unknown;
    IStream *stream;
    UINT count;
    HRESULT hr;
    ULONG ref;

    ok(get_refcount(typeconv) == 1, "Got refcount %lu.\n", get_refcount(typeconv));
    hr = ISCardTypeConv_QueryInterface(typeconv, &IID_IUnknown, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_QueryInterface(typeconv, &IID_IUnknown, (void **)&unknown);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unknown == (IUnknown *)typeconv, "Got %p, expected %p.\n", unknown, typeconv);
    IUnknown_Release(unknown);
    hr = ISCardTypeConv_QueryInterface(typeconv, &IID_IDispatch, (void **)&dispatch);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(dispatch == (IDispatch *)typeconv, "Got %p, expected %p.\n", dispatch, typeconv);
    IDispatch_Release(dispatch);
    stream = (void *)0xdeadbeef;
    hr = ISCardTypeConv_QueryInterface(typeconv, &IID_IStream, (void **)&stream);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!stream, "Got %p.\n", stream);

    count = 0xdead;
    hr = ISCardTypeConv_GetTypeInfoCount(typeconv, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 1, "Got count %u.\n", count);

    ref = ISCardTypeConv_Release(typeconv);
    ok(!ref, "Got refcount %lu.\n", ref);
}

static void test_byte_array_to_buffer(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    BYTE bytes[4] = {0x3f, 0x00, 0x7f, 0x20};
    IByteBuffer *buffer;
    IStream *stream;
    HRESULT hr;
    ULONG ref;

    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, bytes, 4, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    buffer = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, NULL, 4, &buffer);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!buffer, "Got %p.\n", buffer);
    buffer = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, bytes, 0x80000000, &buffer);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!buffer, "Got %p.\n", buffer);
    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, bytes, 0xffffffff, &buffer);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, bytes, 4, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    bytes[0] = 0;
    check_content(buffer, "\x3f\x00\x7f\x20", 4);
    check_position(buffer, 0);
    /* the documentation calls it a stream */
    hr = IByteBuffer_QueryInterface(buffer, &IID_IStream, (void **)&stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IStream_Release(stream);
    ref = IByteBuffer_Release(buffer);
    ok(!ref, "Got refcount %lu.\n", ref);

    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, NULL, 0, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "", 0);
    IByteBuffer_Release(buffer);
    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, bytes, 0, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "", 0);
    IByteBuffer_Release(buffer);

    ISCardTypeConv_Release(typeconv);
}

static void test_buffer_to_byte_array(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    IByteBuffer *buffer = create_buffer_with("\x01\x02\x03\x04\x05", 5);
    struct fake_buffer fake = {{&fake_vtbl}, 1, (const BYTE *)"foreign bytes", 13, 4};
    BYTEARRAY *array;
    BYTE *locked;
    HRESULT hr;

    hr = ISCardTypeConv_ConvertByteBufferToByteArray(typeconv, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    array = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertByteBufferToByteArray(typeconv, NULL, &array);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);

    /* whole content, whatever the seek pointer, which stays */
    hr = IByteBuffer_Seek(buffer, 3, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_ConvertByteBufferToByteArray(typeconv, buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_position(buffer, 3);
    ok(array->dwSize == 5, "Got size %lu.\n", array->dwSize);
    ok(!memcmp(array->pbyData, "\x01\x02\x03\x04\x05", 5), "Content differs.\n");
    ok(!!array->hMem, "No hMem.\n");
    ok(GlobalSize(array->hMem) == 5, "Got global size %Iu.\n", GlobalSize(array->hMem));
    ok(GlobalFlags(array->hMem) == 0, "Got flags %#x.\n", GlobalFlags(array->hMem));
    locked = GlobalLock(array->hMem);
    ok(locked && locked != array->pbyData, "Got %p, pbyData %p.\n", locked, array->pbyData);
    ok(!memcmp(locked, "\x01\x02\x03\x04\x05", 5), "Content differs.\n");
    GlobalUnlock(array->hMem);
    /* a copy, not a view */
    array->pbyData[0] = 0xff;
    check_content(buffer, "\x01\x02\x03\x04\x05", 5);
    /* the free path: every part on its own allocator */
    ok(!GlobalFree(array->hMem), "GlobalFree failed.\n");
    CoTaskMemFree(array->pbyData);
    CoTaskMemFree(array);

    /* an empty buffer */
    hr = IByteBuffer_SetSize(buffer, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_ConvertByteBufferToByteArray(typeconv, buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!array->dwSize, "Got size %lu.\n", array->dwSize);
    ok(!array->pbyData, "Got %p.\n", array->pbyData);
    ok(!array->hMem, "Got %p.\n", array->hMem);
    CoTaskMemFree(array);

    /* somebody else's IByteBuffer: Seek + Read, pointer restored */
    hr = ISCardTypeConv_ConvertByteBufferToByteArray(typeconv, &fake.IByteBuffer_iface, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array->dwSize == 13, "Got size %lu.\n", array->dwSize);
    ok(!memcmp(array->pbyData, "foreign bytes", 13), "Content differs.\n");
    ok(fake.position == 4, "Got position %ld.\n", fake.position);
    ok(fake.read_calls > 5, "Got %u reads.\n", fake.read_calls);
    ok(fake.refcount == 1, "Got refcount %ld.\n", fake.refcount);
    GlobalFree(array->hMem);
    CoTaskMemFree(array->pbyData);
    CoTaskMemFree(array);

    IByteBuffer_Release(buffer);
    ISCardTypeConv_Release(typeconv);
}

static void test_buffer_to_safearray(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    IByteBuffer *buffer = create_buffer_with("\xde\xad\xbe\xef", 4);
    struct fake_buffer fake = {{&fake_vtbl}, 1, (const BYTE *)"\x90\x00", 2, 1};
    SAFEARRAY *array;
    HRESULT hr;

    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, buffer, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    array = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, NULL, &array);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);

    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_END, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_safearray(array, "\xde\xad\xbe\xef", 4);
    check_position(buffer, 4);
    hr = SafeArrayDestroy(array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_Initialize(buffer, 0, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_safearray(array, "", 0);
    hr = SafeArrayDestroy(array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, &fake.IByteBuffer_iface, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_safearray(array, "\x90\x00", 2);
    ok(fake.position == 1, "Got position %ld.\n", fake.position);
    SafeArrayDestroy(array);

    IByteBuffer_Release(buffer);
    ISCardTypeConv_Release(typeconv);
}

static void test_safearray_to_buffer(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    SAFEARRAYBOUND bounds[2];
    IByteBuffer *buffer;
    SAFEARRAY *array;
    void *data;
    HRESULT hr;

    bounds[0].lLbound = 5;
    bounds[0].cElements = 3;
    array = SafeArrayCreate(VT_UI1, 1, bounds);
    hr = SafeArrayAccessData(array, &data);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    memcpy(data, "xyz", 3);
    SafeArrayUnaccessData(array);

    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    buffer = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, NULL, &buffer);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!buffer, "Got %p.\n", buffer);

    /* any lower bound */
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "xyz", 3);
    check_position(buffer, 0);
    IByteBuffer_Release(buffer);
    ok(!array->cLocks, "Got %lu locks.\n", array->cLocks);
    SafeArrayDestroy(array);

    /* two dimensions */
    bounds[0].lLbound = 0;
    bounds[0].cElements = 2;
    bounds[1].lLbound = 0;
    bounds[1].cElements = 2;
    array = SafeArrayCreate(VT_UI1, 2, bounds);
    buffer = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!buffer, "Got %p.\n", buffer);
    SafeArrayDestroy(array);

    /* wrong element types */
    array = SafeArrayCreate(VT_I4, 1, bounds);
    buffer = (void *)0xdeadbeef;
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(!buffer, "Got %p.\n", buffer);
    SafeArrayDestroy(array);
    array = SafeArrayCreate(VT_I1, 1, bounds);
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    array = SafeArrayCreate(VT_BSTR, 1, bounds);
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);
    array = SafeArrayCreate(VT_VARIANT, 1, bounds);
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    SafeArrayDestroy(array);

    /* no elements */
    bounds[0].cElements = 0;
    array = SafeArrayCreate(VT_UI1, 1, bounds);
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, array, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "", 0);
    IByteBuffer_Release(buffer);
    SafeArrayDestroy(array);

    ISCardTypeConv_Release(typeconv);
}

static void test_round_trips(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    IByteBuffer *buffer, *buffer2;
    BYTE bytes[200];
    BYTEARRAY *array;
    SAFEARRAY *safearray;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < sizeof(bytes); ++i)
        bytes[i] = i * 7 + 3;

    /* bytes -> buffer -> SAFEARRAY -> buffer -> BYTEARRAY */
    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(typeconv, bytes, sizeof(bytes), &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, buffer, &safearray);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_safearray(safearray, (const char *)bytes, sizeof(bytes));
    hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(typeconv, safearray, &buffer2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer2, (const char *)bytes, sizeof(bytes));
    hr = ISCardTypeConv_ConvertByteBufferToByteArray(typeconv, buffer2, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array->dwSize == sizeof(bytes), "Got size %lu.\n", array->dwSize);
    ok(!memcmp(array->pbyData, bytes, sizeof(bytes)), "Content differs.\n");
    GlobalFree(array->hMem);
    CoTaskMemFree(array->pbyData);
    CoTaskMemFree(array);
    SafeArrayDestroy(safearray);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    ok(get_refcount(buffer2) == 1, "Got refcount %lu.\n", get_refcount(buffer2));
    IByteBuffer_Release(buffer2);
    IByteBuffer_Release(buffer);

    ISCardTypeConv_Release(typeconv);
}

static void test_create(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    static const BYTE zeros[16];
    IByteBuffer *buffer;
    SAFEARRAY *array;
    BYTE *bytes;
    HRESULT hr;

    /* CreateByteArray: CoTaskMemAlloc, zero-filled */
    hr = ISCardTypeConv_CreateByteArray(typeconv, 16, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    bytes = (void *)0xdeadbeef;
    hr = ISCardTypeConv_CreateByteArray(typeconv, 0x80000000, &bytes);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!bytes, "Got %p.\n", bytes);
    hr = ISCardTypeConv_CreateByteArray(typeconv, 0xffffffff, &bytes);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_CreateByteArray(typeconv, 16, &bytes);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(bytes && !memcmp(bytes, zeros, 16), "Not zeros.\n");
    CoTaskMemFree(bytes);
    bytes = NULL;
    hr = ISCardTypeConv_CreateByteArray(typeconv, 0, &bytes);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!bytes, "Got NULL.\n");
    CoTaskMemFree(bytes);

    /* CreateByteBuffer */
    hr = ISCardTypeConv_CreateByteBuffer(typeconv, 16, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    buffer = (void *)0xdeadbeef;
    hr = ISCardTypeConv_CreateByteBuffer(typeconv, 0x80000000, &buffer);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!buffer, "Got %p.\n", buffer);
    hr = ISCardTypeConv_CreateByteBuffer(typeconv, 10, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, (const char *)zeros, 10);
    check_position(buffer, 0);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    IByteBuffer_Release(buffer);
    hr = ISCardTypeConv_CreateByteBuffer(typeconv, 0, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_content(buffer, "", 0);
    IByteBuffer_Release(buffer);

    /* CreateSafeArray */
    hr = ISCardTypeConv_CreateSafeArray(typeconv, 16, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    array = (void *)0xdeadbeef;
    hr = ISCardTypeConv_CreateSafeArray(typeconv, 0x80000000, &array);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    hr = ISCardTypeConv_CreateSafeArray(typeconv, 8, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_safearray(array, (const char *)zeros, 8);
    hr = SafeArrayDestroy(array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_CreateSafeArray(typeconv, 0, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_safearray(array, "", 0);
    hr = SafeArrayDestroy(array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    ISCardTypeConv_Release(typeconv);
}

static void test_stream_memory(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    IStream *stream = create_hglobal_stream("0123456789", 10), *buffer_stream;
    BYTEARRAY *array, *array2;
    IByteBuffer *buffer;
    LARGE_INTEGER move;
    HGLOBAL hglobal;
    ULONG ref, count;
    BYTE data[4];
    HRESULT hr;

    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, stream, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    array = (void *)0xdeadbeef;
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, NULL, &array);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);

    /* an HGLOBAL stream: direct access to its own memory, one reference more */
    move.QuadPart = 7;
    hr = IStream_Seek(stream, move, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ref = get_refcount(stream);
    ok(ref == 1, "Got refcount %lu.\n", ref);
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, stream, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 2, "Got refcount %lu.\n", get_refcount(stream));
    hr = GetHGlobalFromStream(stream, &hglobal);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array->hMem == hglobal, "Got %p, expected %p.\n", array->hMem, hglobal);
    ok(array->dwSize == 10, "Got size %lu.\n", array->dwSize);
    ok(!memcmp(array->pbyData, "0123456789", 10), "Content differs.\n");
    ok((GlobalFlags(hglobal) & GMEM_LOCKCOUNT) == 1, "Got flags %#x.\n", GlobalFlags(hglobal));
    check_stream_position(stream, 7);
    /* not a copy: writes show through both ways */
    array->pbyData[7] = 'X';
    memset(data, 0, sizeof(data));
    hr = IStream_Read(stream, data, 3, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 3 && !memcmp(data, "X89", 3), "Got %lu %.3s.\n", count, data);

    /* a second acquisition takes a second reference */
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, stream, &array2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array2 != array, "Got the same array.\n");
    ok(array2->pbyData == array->pbyData, "Got %p, expected %p.\n", array2->pbyData, array->pbyData);
    ok(get_refcount(stream) == 3, "Got refcount %lu.\n", get_refcount(stream));

    /* FreeIStreamMemoryPtr: bad input */
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, NULL, array->pbyData);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, data);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, &bad_stream, (BYTE *)array);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 3, "Got refcount %lu.\n", get_refcount(stream));

    /* by the data pointer (the oldest of the two goes), then by the
     * BYTEARRAY pointer; exactly one reference each */
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, array->pbyData);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 2, "Got refcount %lu.\n", get_refcount(stream));
    ok((GlobalFlags(hglobal) & GMEM_LOCKCOUNT) == 1, "Got flags %#x.\n", GlobalFlags(hglobal));
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, (BYTE *)array2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 1, "Got refcount %lu.\n", get_refcount(stream));
    ok(!(GlobalFlags(hglobal) & GMEM_LOCKCOUNT), "Got flags %#x.\n", GlobalFlags(hglobal));
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, (BYTE *)array2);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 1, "Got refcount %lu.\n", get_refcount(stream));

    /* freeing by the BYTEARRAY pointer first takes exactly that one */
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, stream, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, stream, &array2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 3, "Got refcount %lu.\n", get_refcount(stream));
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, (BYTE *)array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, array2->pbyData);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(stream) == 1, "Got refcount %lu.\n", get_refcount(stream));
    ok(!(GlobalFlags(hglobal) & GMEM_LOCKCOUNT), "Got flags %#x.\n", GlobalFlags(hglobal));

    /* the acquisition keeps the stream alive; a different TypeConv object can free it */
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, stream, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ref = IStream_Release(stream);
    ok(ref == 1, "Got refcount %lu.\n", ref);
    ok(!memcmp(array->pbyData, "0123456X89", 10), "Content differs.\n");
    ISCardTypeConv_Release(typeconv);
    typeconv = create_typeconv();
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, stream, (BYTE *)array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* our own buffer: a locked GMEM_MOVEABLE snapshot; the buffer's pointer stays */
    buffer = create_buffer_with("abcdef", 6);
    hr = IByteBuffer_Seek(buffer, 4, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_get_Stream(buffer, &buffer_stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 2, "Got refcount %lu.\n", get_refcount(buffer));
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, buffer_stream, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 3, "Got refcount %lu.\n", get_refcount(buffer));
    ok(array->dwSize == 6, "Got size %lu.\n", array->dwSize);
    ok(!memcmp(array->pbyData, "abcdef", 6), "Content differs.\n");
    ok(!!array->hMem, "No hMem.\n");
    ok(GlobalSize(array->hMem) >= 6, "Got global size %Iu.\n", GlobalSize(array->hMem));
    ok((GlobalFlags(array->hMem) & GMEM_LOCKCOUNT) == 1, "Got flags %#x.\n", GlobalFlags(array->hMem));
    check_position(buffer, 4);
    /* a snapshot: later writes are not in it */
    hr = IByteBuffer_Write(buffer, (BYTE *)"!", 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array->pbyData[4] == 'e', "Got %#x.\n", array->pbyData[4]);
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, buffer_stream, array->pbyData);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 2, "Got refcount %lu.\n", get_refcount(buffer));
    IStream_Release(buffer_stream);

    /* the IByteBuffer itself where a stream is expected */
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, (IStream *)buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array->dwSize == 6, "Got size %lu.\n", array->dwSize);
    ok(!memcmp(array->pbyData, "abcd!f", 6), "Content differs.\n");
    ok(get_refcount(buffer) == 2, "Got refcount %lu.\n", get_refcount(buffer));
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, (IStream *)buffer, (BYTE *)array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));

    /* an empty buffer */
    hr = IByteBuffer_SetSize(buffer, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, (IStream *)buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!array->dwSize, "Got size %lu.\n", array->dwSize);
    hr = ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, (IStream *)buffer, (BYTE *)array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    IByteBuffer_Release(buffer);

    /* not a stream; a stream whose Stat fails */
    array = (void *)0xdeadbeef;
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, (IStream *)typeconv, &array);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, &bad_stream, &array);
    ok(hr == E_FAIL, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    ok(bad_stream_refcount == 1, "Got refcount %ld.\n", bad_stream_refcount);

    ref = ISCardTypeConv_Release(typeconv);
    ok(!ref, "Got refcount %lu.\n", ref);
}

static void test_size_of_stream(void)
{
    ISCardTypeConv *typeconv = create_typeconv();
    IStream *stream = create_hglobal_stream("0123456789", 10), *buffer_stream;
    IByteBuffer *buffer = create_buffer_with("abc", 3);
    ULARGE_INTEGER size;
    HRESULT hr;

    hr = ISCardTypeConv_SizeOfIStream(typeconv, NULL, &size);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_SizeOfIStream(typeconv, stream, NULL);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_SizeOfIStream(typeconv, NULL, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    size.QuadPart = 0xdead;
    hr = ISCardTypeConv_SizeOfIStream(typeconv, stream, &size);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(size.QuadPart == 10, "Got size %lu.\n", (ULONG)size.QuadPart);
    ok(get_refcount(stream) == 1, "Got refcount %lu.\n", get_refcount(stream));

    hr = IByteBuffer_get_Stream(buffer, &buffer_stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_SizeOfIStream(typeconv, buffer_stream, &size);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(size.QuadPart == 3, "Got size %lu.\n", (ULONG)size.QuadPart);
    IStream_Release(buffer_stream);
    hr = IByteBuffer_SetSize(buffer, 300);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardTypeConv_SizeOfIStream(typeconv, (IStream *)buffer, &size);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(size.QuadPart == 300, "Got size %lu.\n", (ULONG)size.QuadPart);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));

    size.QuadPart = 0xdead;
    hr = ISCardTypeConv_SizeOfIStream(typeconv, (IStream *)typeconv, &size);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!size.QuadPart, "Got size %lu.\n", (ULONG)size.QuadPart);
    hr = ISCardTypeConv_SizeOfIStream(typeconv, &bad_stream, &size);
    ok(hr == E_FAIL, "Got hr %#lx.\n", hr);
    ok(bad_stream_refcount == 1, "Got refcount %ld.\n", bad_stream_refcount);

    IByteBuffer_Release(buffer);
    IStream_Release(stream);
    ISCardTypeConv_Release(typeconv);
}

static void test_dispatch(void)
{
    static const WCHAR *names[] =
    {
        L"ConvertByteArrayToByteBuffer", L"ConvertByteBufferToByteArray", L"ConvertByteBufferToSafeArray",
        L"ConvertSafeArrayToByteBuffer", L"CreateByteArray", L"CreateByteBuffer", L"CreateSafeArray",
        L"FreeIStreamMemoryPtr", L"GetAtIStreamMemory", L"SizeOfIStream",
    };
    ISCardTypeConv *typeconv = create_typeconv();
    DISPPARAMS params = {0};
    IByteBuffer *buffer;
    VARIANT arg, result;
    LPOLESTR name;
    DISPID dispid;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(names); ++i)
    {
        name = (LPOLESTR)names[i];
        dispid = 0xdead;
        hr = ISCardTypeConv_GetIDsOfNames(typeconv, &IID_NULL, &name, 1, 0, &dispid);
        ok(hr == S_OK, "%u: got hr %#lx.\n", i, hr);
        ok(dispid == (DISPID)i, "%u: got dispid %ld.\n", i, dispid);
    }
    name = (LPOLESTR)L"Convert";
    hr = ISCardTypeConv_GetIDsOfNames(typeconv, &IID_NULL, &name, 1, 0, &dispid);
    ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);

    /* CreateByteBuffer(6) */
    V_VT(&arg) = VT_I4;
    V_I4(&arg) = 6;
    params.rgvarg = &arg;
    params.cArgs = 1;
    VariantInit(&result);
    hr = ISCardTypeConv_Invoke(typeconv, 5, &IID_NULL, 0, DISPATCH_METHOD, &params, &result, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_DISPATCH, "Got type %u.\n", V_VT(&result));
    if (V_VT(&result) == VT_DISPATCH)
    {
        hr = IDispatch_QueryInterface(V_DISPATCH(&result), &IID_IByteBuffer, (void **)&buffer);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_content(buffer, "\0\0\0\0\0\0", 6);
        IByteBuffer_Release(buffer);
    }
    VariantClear(&result);

    /* CreateSafeArray(3) */
    V_VT(&arg) = VT_I4;
    V_I4(&arg) = 3;
    hr = ISCardTypeConv_Invoke(typeconv, 6, &IID_NULL, 0, DISPATCH_METHOD, &params, &result, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == (VT_ARRAY | VT_UI1), "Got type %#x.\n", V_VT(&result));
    if (V_VT(&result) == (VT_ARRAY | VT_UI1))
        check_safearray(V_ARRAY(&result), "\0\0\0", 3);
    VariantClear(&result);

    ISCardTypeConv_Release(typeconv);
}

static void test_many(void)
{
    ISCardTypeConv *typeconv;
    IByteBuffer *buffer;
    SAFEARRAY *array;
    BYTEARRAY *bytes;
    BOOL failed = FALSE;
    unsigned int i;
    HRESULT hr;
    ULONG ref;

    for (i = 0; i < 1000 && !failed; ++i)
    {
        hr = CoCreateInstance(&CLSID_CSCardTypeConv, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardTypeConv,
                (void **)&typeconv);
        if (hr != S_OK)
        {
            failed = TRUE;
            break;
        }
        hr = ISCardTypeConv_CreateByteBuffer(typeconv, i % 50, &buffer);
        failed |= hr != S_OK;
        if (hr == S_OK)
        {
            hr = ISCardTypeConv_ConvertByteBufferToSafeArray(typeconv, buffer, &array);
            failed |= hr != S_OK;
            if (hr == S_OK)
                SafeArrayDestroy(array);
            hr = ISCardTypeConv_GetAtIStreamMemory(typeconv, (IStream *)buffer, &bytes);
            failed |= hr != S_OK;
            if (hr == S_OK)
                failed |= ISCardTypeConv_FreeIStreamMemoryPtr(typeconv, (IStream *)buffer, (BYTE *)bytes) != S_OK;
            ref = IByteBuffer_Release(buffer);
            failed |= ref != 0;
        }
        ref = ISCardTypeConv_Release(typeconv);
        failed |= ref != 0;
    }
    ok(!failed, "Failed at iteration %u.\n", i);
}

START_TEST(typeconv)
{
    CoInitialize(NULL);

    test_interfaces();
    test_byte_array_to_buffer();
    test_buffer_to_byte_array();
    test_buffer_to_safearray();
    test_safearray_to_buffer();
    test_round_trips();
    test_create();
    test_stream_memory();
    test_size_of_stream();
    test_dispatch();
    test_many();
    test_unload();

    CoUninitialize();
}
