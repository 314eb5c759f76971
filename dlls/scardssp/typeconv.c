/*
 * CSCardTypeConv: conversions between byte buffers, byte arrays and
 * SAFEARRAYs (kept for backward compatibility)
 *
 * Who allocates what, and how the caller frees it:
 *  - IByteBuffer results (ConvertByteArrayToByteBuffer, CreateByteBuffer,
 *    ConvertSafeArrayToByteBuffer): a new CByteBuffer holding a copy of the
 *    bytes, seek pointer at 0; it also answers IStream.  Release it.
 *  - SAFEARRAY results (ConvertByteBufferToSafeArray, CreateSafeArray):
 *    SafeArrayCreate(VT_UI1, 1 dimension, lower bound 0); SafeArrayDestroy.
 *  - ConvertByteBufferToByteArray: the BYTEARRAY itself and its pbyData are
 *    two separate CoTaskMemAlloc blocks (pbyData is NULL for no bytes);
 *    hMem is a separate GlobalAlloc(GMEM_MOVEABLE) block holding the same
 *    bytes, unlocked (NULL for no bytes).  Free with GlobalFree(hMem),
 *    CoTaskMemFree(pbyData), CoTaskMemFree(array): the layout the MIDL
 *    proxy/stub gives an [out] BYTEARRAY, so the rule is the same in and
 *    across apartments, and no part points into another.
 *  - CreateByteArray: CoTaskMemAlloc, zero-filled, never NULL on success
 *    (one byte is allocated for a size of 0); CoTaskMemFree.
 *  - GetAtIStreamMemory: a BYTEARRAY owned by this DLL.  For a stream from
 *    CreateStreamOnHGlobal, hMem is the stream's own HGLOBAL and pbyData is
 *    GlobalLock(hMem): direct access, no copy.  For any other stream (our
 *    own buffers included) hMem is a new GMEM_MOVEABLE block holding a copy
 *    of the whole stream, locked, and pbyData points into it.  Either way
 *    the stream gets one more reference.  FreeIStreamMemoryPtr(stream, p),
 *    with the same stream pointer and p the BYTEARRAY pointer (or its
 *    pbyData: when several acquisitions of that stream share that data
 *    pointer, the oldest goes), undoes exactly one acquisition: it unlocks
 *    (and for a copy frees) the memory, releases the reference and frees
 *    the BYTEARRAY.  Never free it yourself.  Any TypeConv object may free
 *    what another one acquired; anything else is E_INVALIDARG.
 *
 * Other choices: sizes above 0x7fffffff are E_INVALIDARG; a missing array
 * with a non-zero size is E_POINTER; a SAFEARRAY that is not 1-D is
 * E_INVALIDARG and one whose elements are not VT_UI1 (or that has no type
 * and elements larger than a byte) is DISP_E_TYPEMISMATCH.  Stream
 * arguments are queried for IStream first, so an IByteBuffer passed where
 * a stream is expected works; an object that is not a stream is
 * E_INVALIDARG.  SizeOfIStream follows its page: NULL stream E_POINTER,
 * NULL size E_INVALIDARG, a failing IStream::Stat passes its HRESULT on.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

#define MAX_BYTES 0x7fffffffu

/* one GetAtIStreamMemory result, until FreeIStreamMemoryPtr */
struct stream_memory
{
    BYTEARRAY array; /* first: the pointer handed out is this struct's */
    IStream *stream; /* the pointer the caller passed, with our reference */
    BOOL copy;       /* hMem is ours (a snapshot), not the stream's */
    struct stream_memory *next;
};

static SRWLOCK stream_memory_lock = SRWLOCK_INIT;
static struct stream_memory *stream_memory_list;

struct typeconv
{
    ISCardTypeConv ISCardTypeConv_iface;
    LONG refcount;
};

static inline struct typeconv *impl_from_ISCardTypeConv(ISCardTypeConv *iface)
{
    return CONTAINING_RECORD(iface, struct typeconv, ISCardTypeConv_iface);
}

/* The IStream behind an argument typed LPSTREAM (a script may pass a byte buffer). */
static HRESULT query_stream(IStream *object, IStream **stream)
{
    if (FAILED(IStream_QueryInterface(object, &IID_IStream, (void **)stream)))
    {
        WARN("%p is not a stream.\n", object);
        *stream = NULL;
        return E_INVALIDARG;
    }
    return S_OK;
}

static HRESULT stream_size(IStream *stream, ULONGLONG *size)
{
    STATSTG stat;
    HRESULT hr;

    memset(&stat, 0, sizeof(stat));
    if (FAILED(hr = IStream_Stat(stream, &stat, STATFLAG_NONAME)))
        return hr;
    *size = stat.cbSize.QuadPart;
    return S_OK;
}

/* A locked GMEM_MOVEABLE copy of the whole stream; its pointer is restored. */
static HRESULT stream_snapshot(IStream *stream, ULONGLONG size, HGLOBAL *hmem, BYTE **bytes, DWORD *count)
{
    static const LARGE_INTEGER zero;
    ULARGE_INTEGER position;
    LARGE_INTEGER restore;
    ULONG total = 0, read;
    HRESULT hr;

    if (size > MAX_BYTES)
        return E_INVALIDARG;
    if (FAILED(hr = IStream_Seek(stream, zero, STREAM_SEEK_CUR, &position)))
        return hr;
    if (!(*hmem = GlobalAlloc(GMEM_MOVEABLE, size ? size : 1)))
        return E_OUTOFMEMORY;
    if (!(*bytes = GlobalLock(*hmem)))
    {
        GlobalFree(*hmem);
        return E_OUTOFMEMORY;
    }

    if (SUCCEEDED(hr = IStream_Seek(stream, zero, STREAM_SEEK_SET, NULL)))
    {
        while (total < size)
        {
            read = 0;
            if (FAILED(hr = IStream_Read(stream, *bytes + total, size - total, &read)) || !read)
                break;
            total += read > size - total ? size - total : read;
        }
        restore.QuadPart = position.QuadPart;
        IStream_Seek(stream, restore, STREAM_SEEK_SET, NULL);
    }
    if (FAILED(hr))
    {
        GlobalUnlock(*hmem);
        GlobalFree(*hmem);
        *hmem = NULL;
        *bytes = NULL;
        return hr;
    }
    *count = total;
    return S_OK;
}

static HRESULT WINAPI typeconv_QueryInterface(ISCardTypeConv *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardTypeConv) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardTypeConv_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI typeconv_AddRef(ISCardTypeConv *iface)
{
    struct typeconv *typeconv = impl_from_ISCardTypeConv(iface);
    ULONG refcount = InterlockedIncrement(&typeconv->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI typeconv_Release(ISCardTypeConv *iface)
{
    struct typeconv *typeconv = impl_from_ISCardTypeConv(iface);
    ULONG refcount = InterlockedDecrement(&typeconv->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        free(typeconv);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI typeconv_GetTypeInfoCount(ISCardTypeConv *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI typeconv_GetTypeInfo(ISCardTypeConv *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardTypeConv_tid, index, typeinfo);
}

static HRESULT WINAPI typeconv_GetIDsOfNames(ISCardTypeConv *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardTypeConv_tid, names, count, dispids);
}

static HRESULT WINAPI typeconv_Invoke(ISCardTypeConv *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCardTypeConv_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI typeconv_ConvertByteArrayToByteBuffer(ISCardTypeConv *iface, BYTE *array, DWORD size,
        IByteBuffer **buffer)
{
    TRACE("%p, %p, %lu, %p.\n", iface, array, size, buffer);

    if (!buffer)
        return E_POINTER;
    *buffer = NULL;
    if (size > MAX_BYTES)
        return E_INVALIDARG;
    if (size && !array)
        return E_POINTER;

    return bytebuffer_create_with_data(array, size, buffer);
}

static HRESULT WINAPI typeconv_ConvertByteBufferToByteArray(ISCardTypeConv *iface, IByteBuffer *buffer,
        BYTEARRAY **out)
{
    BYTEARRAY *array = NULL;
    HGLOBAL hmem = NULL;
    BYTE *bytes = NULL, *locked;
    size_t size;
    HRESULT hr;

    TRACE("%p, %p, %p.\n", iface, buffer, out);

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!buffer)
        return E_POINTER;

    if (FAILED(hr = bytebuffer_read_all(buffer, &bytes, &size)))
        return hr;
    if (size > MAX_BYTES)
    {
        free(bytes);
        return E_INVALIDARG;
    }

    hr = E_OUTOFMEMORY;
    if (!(array = CoTaskMemAlloc(sizeof(*array))))
        goto failed;
    memset(array, 0, sizeof(*array));
    if (size)
    {
        if (!(array->pbyData = CoTaskMemAlloc(size)))
            goto failed;
        memcpy(array->pbyData, bytes, size);
        if (!(hmem = GlobalAlloc(GMEM_MOVEABLE, size)))
            goto failed;
        if (!(locked = GlobalLock(hmem)))
        {
            GlobalFree(hmem);
            goto failed;
        }
        memcpy(locked, bytes, size);
        GlobalUnlock(hmem);
    }
    array->hMem = hmem;
    array->dwSize = size;
    free(bytes);
    *out = array;
    return S_OK;

failed:
    if (array)
        CoTaskMemFree(array->pbyData);
    CoTaskMemFree(array);
    free(bytes);
    return hr;
}

static HRESULT WINAPI typeconv_ConvertByteBufferToSafeArray(ISCardTypeConv *iface, IByteBuffer *buffer,
        SAFEARRAY **out)
{
    SAFEARRAYBOUND bound;
    SAFEARRAY *array;
    size_t size;
    BYTE *bytes;
    void *data;
    HRESULT hr;

    TRACE("%p, %p, %p.\n", iface, buffer, out);

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!buffer)
        return E_POINTER;

    if (FAILED(hr = bytebuffer_read_all(buffer, &bytes, &size)))
        return hr;
    if (size > MAX_BYTES)
    {
        free(bytes);
        return E_INVALIDARG;
    }

    bound.lLbound = 0;
    bound.cElements = size;
    if (!(array = SafeArrayCreate(VT_UI1, 1, &bound)))
    {
        free(bytes);
        return E_OUTOFMEMORY;
    }
    if (size)
    {
        if (FAILED(hr = SafeArrayAccessData(array, &data)))
        {
            SafeArrayDestroy(array);
            free(bytes);
            return hr;
        }
        memcpy(data, bytes, size);
        SafeArrayUnaccessData(array);
    }
    free(bytes);
    *out = array;
    return S_OK;
}

static HRESULT WINAPI typeconv_ConvertSafeArrayToByteBuffer(ISCardTypeConv *iface, SAFEARRAY *array,
        IByteBuffer **buffer)
{
    ULONG count;
    VARTYPE vt;
    void *data;
    HRESULT hr;

    TRACE("%p, %p, %p.\n", iface, array, buffer);

    if (!buffer)
        return E_POINTER;
    *buffer = NULL;
    if (!array)
        return E_POINTER;

    if (SafeArrayGetDim(array) != 1)
    {
        WARN("Array has %u dimensions.\n", SafeArrayGetDim(array));
        return E_INVALIDARG;
    }
    if (FAILED(SafeArrayGetVartype(array, &vt)))
        vt = SafeArrayGetElemsize(array) == 1 ? VT_UI1 : VT_EMPTY;
    if (vt != VT_UI1)
    {
        WARN("Array of type %u.\n", vt);
        return DISP_E_TYPEMISMATCH;
    }

    count = array->rgsabound[0].cElements;
    if (count > MAX_BYTES)
        return E_INVALIDARG;
    if (!count)
        return bytebuffer_create_with_data(NULL, 0, buffer);

    if (FAILED(hr = SafeArrayAccessData(array, &data)))
        return hr;
    hr = bytebuffer_create_with_data(data, count, buffer);
    SafeArrayUnaccessData(array);
    return hr;
}

static HRESULT WINAPI typeconv_CreateByteArray(ISCardTypeConv *iface, DWORD size, BYTE **array)
{
    TRACE("%p, %lu, %p.\n", iface, size, array);

    if (!array)
        return E_POINTER;
    *array = NULL;
    if (size > MAX_BYTES)
        return E_INVALIDARG;

    if (!(*array = CoTaskMemAlloc(size ? size : 1)))
        return E_OUTOFMEMORY;
    memset(*array, 0, size ? size : 1);
    return S_OK;
}

static HRESULT WINAPI typeconv_CreateByteBuffer(ISCardTypeConv *iface, DWORD size, IByteBuffer **buffer)
{
    HRESULT hr;

    TRACE("%p, %lu, %p.\n", iface, size, buffer);

    if (!buffer)
        return E_POINTER;
    *buffer = NULL;
    if (size > MAX_BYTES)
        return E_INVALIDARG;

    if (FAILED(hr = bytebuffer_create_with_data(NULL, 0, buffer)))
        return hr;
    if (size && FAILED(hr = IByteBuffer_SetSize(*buffer, size)))
    {
        IByteBuffer_Release(*buffer);
        *buffer = NULL;
    }
    return hr;
}

static HRESULT WINAPI typeconv_CreateSafeArray(ISCardTypeConv *iface, UINT size, SAFEARRAY **array)
{
    SAFEARRAYBOUND bound;

    TRACE("%p, %u, %p.\n", iface, size, array);

    if (!array)
        return E_POINTER;
    *array = NULL;
    if (size > MAX_BYTES)
        return E_INVALIDARG;

    bound.lLbound = 0;
    bound.cElements = size;
    if (!(*array = SafeArrayCreate(VT_UI1, 1, &bound)))
        return E_OUTOFMEMORY;
    return S_OK;
}

static HRESULT WINAPI typeconv_FreeIStreamMemoryPtr(ISCardTypeConv *iface, IStream *stream, BYTE *mem)
{
    struct stream_memory *entry, **prev, **found = NULL;

    TRACE("%p, %p, %p.\n", iface, stream, mem);

    if (!stream || !mem)
        return E_POINTER;

    /* The BYTEARRAY pointer names one acquisition; a data pointer may be
     * shared by several (the same HGLOBAL twice): take the oldest then.
     * The list is newest first. */
    AcquireSRWLockExclusive(&stream_memory_lock);
    for (prev = &stream_memory_list; (entry = *prev); prev = &entry->next)
    {
        if (entry->stream != stream)
            continue;
        if ((BYTE *)&entry->array == mem)
        {
            found = prev;
            break;
        }
        if (entry->array.pbyData && entry->array.pbyData == mem)
            found = prev;
    }
    if (found)
    {
        entry = *found;
        *found = entry->next;
    }
    else
    {
        entry = NULL;
    }
    ReleaseSRWLockExclusive(&stream_memory_lock);

    if (!entry)
    {
        WARN("%p was not obtained from stream %p.\n", mem, stream);
        return E_INVALIDARG;
    }

    GlobalUnlock(entry->array.hMem);
    if (entry->copy)
        GlobalFree(entry->array.hMem);
    IStream_Release(entry->stream);
    free(entry);
    return S_OK;
}

static HRESULT WINAPI typeconv_GetAtIStreamMemory(ISCardTypeConv *iface, IStream *object, BYTEARRAY **out)
{
    struct stream_memory *entry;
    IStream *stream;
    ULONGLONG size;
    HGLOBAL hglobal;
    SIZE_T global_size;
    HRESULT hr;

    TRACE("%p, %p, %p.\n", iface, object, out);

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (!object)
        return E_POINTER;

    if (FAILED(hr = query_stream(object, &stream)))
        return hr;
    if (FAILED(hr = stream_size(stream, &size)))
        goto done;
    if (size > MAX_BYTES)
    {
        hr = E_INVALIDARG;
        goto done;
    }
    if (!(entry = calloc(1, sizeof(*entry))))
    {
        hr = E_OUTOFMEMORY;
        goto done;
    }

    if (SUCCEEDED(GetHGlobalFromStream(stream, &hglobal)) && hglobal)
    {
        global_size = GlobalSize(hglobal);
        entry->array.hMem = hglobal;
        entry->array.dwSize = size < global_size ? size : global_size;
        entry->array.pbyData = GlobalLock(hglobal);
    }
    else if (SUCCEEDED(hr = stream_snapshot(stream, size, &entry->array.hMem, &entry->array.pbyData,
            &entry->array.dwSize)))
    {
        entry->copy = TRUE;
    }
    else
    {
        free(entry);
        goto done;
    }

    IStream_AddRef(object);
    entry->stream = object;
    AcquireSRWLockExclusive(&stream_memory_lock);
    entry->next = stream_memory_list;
    stream_memory_list = entry;
    ReleaseSRWLockExclusive(&stream_memory_lock);
    *out = &entry->array;
    hr = S_OK;

done:
    IStream_Release(stream);
    return hr;
}

static HRESULT WINAPI typeconv_SizeOfIStream(ISCardTypeConv *iface, IStream *object, ULARGE_INTEGER *size)
{
    IStream *stream;
    ULONGLONG value;
    HRESULT hr;

    TRACE("%p, %p, %p.\n", iface, object, size);

    if (!object)
        return E_POINTER;
    if (!size)
        return E_INVALIDARG;
    size->QuadPart = 0;

    if (FAILED(hr = query_stream(object, &stream)))
        return hr;
    if (SUCCEEDED(hr = stream_size(stream, &value)))
        size->QuadPart = value;
    IStream_Release(stream);
    return hr;
}

static const ISCardTypeConvVtbl typeconv_vtbl =
{
    typeconv_QueryInterface,
    typeconv_AddRef,
    typeconv_Release,
    typeconv_GetTypeInfoCount,
    typeconv_GetTypeInfo,
    typeconv_GetIDsOfNames,
    typeconv_Invoke,
    typeconv_ConvertByteArrayToByteBuffer,
    typeconv_ConvertByteBufferToByteArray,
    typeconv_ConvertByteBufferToSafeArray,
    typeconv_ConvertSafeArrayToByteBuffer,
    typeconv_CreateByteArray,
    typeconv_CreateByteBuffer,
    typeconv_CreateSafeArray,
    typeconv_FreeIStreamMemoryPtr,
    typeconv_GetAtIStreamMemory,
    typeconv_SizeOfIStream,
};

HRESULT typeconv_create(REFIID riid, void **obj)
{
    struct typeconv *typeconv;
    HRESULT hr;

    if (!(typeconv = calloc(1, sizeof(*typeconv))))
        return E_OUTOFMEMORY;

    typeconv->ISCardTypeConv_iface.lpVtbl = &typeconv_vtbl;
    typeconv->refcount = 1;
    scardssp_object_created();

    hr = ISCardTypeConv_QueryInterface(&typeconv->ISCardTypeConv_iface, riid, obj);
    ISCardTypeConv_Release(&typeconv->ISCardTypeConv_iface);
    return hr;
}
