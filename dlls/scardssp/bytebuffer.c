/*
 * CByteBuffer: an in-memory stream with VB-friendly 32-bit parameters
 *
 * The bytes and the range locks live in a small reference-counted block
 * shared by a buffer and all its clones (core/bytestore); every buffer
 * object has its own seek pointer.  The same object also implements
 * IStream over the same bytes and the same seek pointer: get_Stream hands
 * that interface out, and QueryInterface answers IStream and
 * ISequentialStream, so every buffer can go wherever a stream is wanted.
 *
 * Choices where the documentation is silent (IByteBuffer face):
 *  - a fresh buffer is an empty, usable stream; Initialize is optional;
 *  - positions and sizes are limited to 0..0x7fffffff (what a LONG holds);
 *  - Seek before the start, past 0x7fffffff or with an unknown origin fails
 *    with STG_E_SEEKERROR (what the OLE HGLOBAL stream returns) and leaves
 *    the pointer alone; the position out-value then holds the current one;
 *  - Read/Write: NULL pByte is E_POINTER even when cb is 0, cb < 0 is
 *    E_INVALIDARG, reading at or past the end is S_OK with 0 bytes, a write
 *    past the end zero-fills the gap, a write that would end past
 *    0x7fffffff is STG_E_MEDIUMFULL; the count out-values are 0 on error;
 *  - range locks are advisory, as on the OLE file streams: they only
 *    conflict with other LockRegion calls (on this buffer or its clones),
 *    never with Read/Write.  A lock overlapping another lock, whatever the
 *    types, is STG_E_LOCKVIOLATION (an empty range overlaps nothing), an
 *    unlock without an exactly matching lock (one lock per call) is
 *    STG_E_LOCKVIOLATION, a lock type other than LOCK_WRITE, LOCK_EXCLUSIVE
 *    or LOCK_ONLYONCE is STG_E_INVALIDFUNCTION, a negative offset or count
 *    is E_INVALIDARG;
 *  - Commit and Stat reject unknown flags with STG_E_INVALIDFLAG (the
 *    IStream convention); Revert has nothing to discard;
 *  - CopyTo reads first (into a temporary block) and then writes through
 *    the destination's own Write, so copying into itself or into a clone
 *    over an overlapping range gives the bytes as they were before the copy;
 *  - put_Stream copies the whole content of the given stream (from its
 *    start; that stream's seek pointer is restored) into the shared bytes
 *    and moves this buffer's pointer to 0: adopting the stream would break
 *    the bytes shared with clones.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "scardssp_private.h"
#include "bytestore.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

#define STGC_ALL (STGC_OVERWRITE | STGC_ONLYIFCURRENT | STGC_DANGEROUSLYCOMMITMERELYTODISKCACHE | STGC_CONSOLIDATE)
#define LOCKS_SUPPORTED (LOCK_WRITE | LOCK_EXCLUSIVE | LOCK_ONLYONCE)
#define READ_CHUNK 4096

/* what a buffer and its clones share */
struct bytebuffer_data
{
    LONG refcount;
    CRITICAL_SECTION cs;
    struct bytestore store;
};

struct bytebuffer
{
    IByteBuffer IByteBuffer_iface;
    IStream IStream_iface;
    LONG refcount;
    struct bytebuffer_data *data;
    ULONG pos; /* seek pointer, 0..BYTESTORE_MAX_SIZE; guarded by data->cs */
};

static const IByteBufferVtbl bytebuffer_vtbl;
static const IStreamVtbl bytebuffer_stream_vtbl;

static inline struct bytebuffer *impl_from_IByteBuffer(IByteBuffer *iface)
{
    return CONTAINING_RECORD(iface, struct bytebuffer, IByteBuffer_iface);
}

static inline struct bytebuffer *impl_from_IStream(IStream *iface)
{
    return CONTAINING_RECORD(iface, struct bytebuffer, IStream_iface);
}

static struct bytebuffer *unsafe_impl_from_IByteBuffer(IByteBuffer *iface)
{
    if (!iface || iface->lpVtbl != &bytebuffer_vtbl)
        return NULL;
    return impl_from_IByteBuffer(iface);
}

static struct bytebuffer *unsafe_impl_from_IStream(IStream *iface)
{
    if (!iface || iface->lpVtbl != &bytebuffer_stream_vtbl)
        return NULL;
    return impl_from_IStream(iface);
}

static struct bytebuffer_data *data_create(void)
{
    struct bytebuffer_data *data;

    if (!(data = calloc(1, sizeof(*data))))
        return NULL;
    data->refcount = 1;
    InitializeCriticalSection(&data->cs);
    bytestore_init(&data->store);
    return data;
}

static void data_release(struct bytebuffer_data *data)
{
    if (InterlockedDecrement(&data->refcount))
        return;
    bytestore_free(&data->store);
    DeleteCriticalSection(&data->cs);
    free(data);
}

/* A new buffer object over data (one more reference taken on it). */
static HRESULT buffer_create(struct bytebuffer_data *data, ULONG pos, struct bytebuffer **out)
{
    struct bytebuffer *buffer;

    if (!(buffer = calloc(1, sizeof(*buffer))))
        return E_OUTOFMEMORY;

    buffer->IByteBuffer_iface.lpVtbl = &bytebuffer_vtbl;
    buffer->IStream_iface.lpVtbl = &bytebuffer_stream_vtbl;
    buffer->refcount = 1;
    InterlockedIncrement(&data->refcount);
    buffer->data = data;
    buffer->pos = pos;
    scardssp_object_created();

    *out = buffer;
    return S_OK;
}

static HRESULT buffer_create_new(struct bytebuffer **out)
{
    struct bytebuffer_data *data;
    HRESULT hr;

    if (!(data = data_create()))
        return E_OUTOFMEMORY;
    hr = buffer_create(data, 0, out);
    data_release(data);
    return hr;
}

static HRESULT hresult_from_status(enum bytestore_status status)
{
    switch (status)
    {
        case BYTESTORE_OK: return S_OK;
        case BYTESTORE_E_NOMEM: return E_OUTOFMEMORY;
        case BYTESTORE_E_LOCKED: return STG_E_LOCKVIOLATION;
        case BYTESTORE_E_NOT_LOCKED: return STG_E_LOCKVIOLATION;
        case BYTESTORE_E_INVALID: break;
    }
    return E_INVALIDARG;
}

static ULONG buffer_read(struct bytebuffer *buffer, void *dst, ULONG cb)
{
    size_t count;

    EnterCriticalSection(&buffer->data->cs);
    count = bytestore_read(&buffer->data->store, buffer->pos, dst, cb);
    buffer->pos += count;
    LeaveCriticalSection(&buffer->data->cs);
    return count;
}

/* Reads up to cb bytes at the seek pointer into a new malloc()ed block
 * (NULL when nothing is there) and advances the pointer past them. */
static HRESULT buffer_read_alloc(struct bytebuffer *buffer, ULONGLONG cb, BYTE **bytes, ULONG *count)
{
    struct bytestore *store = &buffer->data->store;
    size_t available;
    HRESULT hr = S_OK;

    *bytes = NULL;
    *count = 0;

    EnterCriticalSection(&buffer->data->cs);
    available = buffer->pos < store->size ? store->size - buffer->pos : 0;
    if (cb > available)
        cb = available;
    if (cb)
    {
        if ((*bytes = malloc(cb)))
        {
            *count = bytestore_read(store, buffer->pos, *bytes, cb);
            buffer->pos += *count;
        }
        else
        {
            hr = E_OUTOFMEMORY;
        }
    }
    LeaveCriticalSection(&buffer->data->cs);
    return hr;
}

static HRESULT buffer_write(struct bytebuffer *buffer, const void *src, ULONG cb)
{
    enum bytestore_status status;
    HRESULT hr = S_OK;

    if (!cb)
        return S_OK;

    EnterCriticalSection(&buffer->data->cs);
    if ((ULONGLONG)buffer->pos + cb > BYTESTORE_MAX_SIZE)
        hr = STG_E_MEDIUMFULL;
    else if ((status = bytestore_write(&buffer->data->store, buffer->pos, src, cb)))
        hr = status == BYTESTORE_E_INVALID ? STG_E_MEDIUMFULL : hresult_from_status(status);
    else
        buffer->pos += cb;
    LeaveCriticalSection(&buffer->data->cs);
    return hr;
}

/* *position receives the new pointer, or the unchanged one on failure. */
static HRESULT buffer_seek(struct bytebuffer *buffer, LONGLONG move, DWORD origin, ULONG *position)
{
    HRESULT hr = S_OK;
    LONGLONG base;

    EnterCriticalSection(&buffer->data->cs);
    switch (origin)
    {
        case STREAM_SEEK_SET: base = 0; break;
        case STREAM_SEEK_CUR: base = buffer->pos; break;
        case STREAM_SEEK_END: base = buffer->data->store.size; break;
        default:
            WARN("Invalid origin %lu.\n", origin);
            hr = STG_E_SEEKERROR;
            break;
    }
    if (SUCCEEDED(hr))
    {
        if (move > (LONGLONG)BYTESTORE_MAX_SIZE || move < -(LONGLONG)BYTESTORE_MAX_SIZE
                || base + move < 0 || base + move > (LONGLONG)BYTESTORE_MAX_SIZE)
            hr = STG_E_SEEKERROR;
        else
            buffer->pos = base + move;
    }
    *position = buffer->pos;
    LeaveCriticalSection(&buffer->data->cs);
    return hr;
}

static HRESULT buffer_set_size(struct bytebuffer *buffer, size_t size)
{
    enum bytestore_status status;

    EnterCriticalSection(&buffer->data->cs);
    status = bytestore_set_size(&buffer->data->store, size);
    LeaveCriticalSection(&buffer->data->cs);
    return hresult_from_status(status);
}

static HRESULT buffer_lock(struct bytebuffer *buffer, ULONGLONG offset, ULONGLONG length, DWORD type, BOOL lock)
{
    enum bytestore_status status;

    if (type != LOCK_WRITE && type != LOCK_EXCLUSIVE && type != LOCK_ONLYONCE)
    {
        WARN("Invalid lock type %#lx.\n", type);
        return STG_E_INVALIDFUNCTION;
    }

    EnterCriticalSection(&buffer->data->cs);
    if (lock)
        status = bytestore_lock_region(&buffer->data->store, offset, length, type);
    else
        status = bytestore_unlock_region(&buffer->data->store, offset, length, type);
    LeaveCriticalSection(&buffer->data->cs);
    return hresult_from_status(status);
}

static HRESULT buffer_clone(struct bytebuffer *buffer, struct bytebuffer **clone)
{
    HRESULT hr;

    EnterCriticalSection(&buffer->data->cs);
    hr = buffer_create(buffer->data, buffer->pos, clone);
    LeaveCriticalSection(&buffer->data->cs);
    return hr;
}

static size_t buffer_size(struct bytebuffer *buffer)
{
    size_t size;

    EnterCriticalSection(&buffer->data->cs);
    size = buffer->data->store.size;
    LeaveCriticalSection(&buffer->data->cs);
    return size;
}

/* Replaces the shared content with data[size] (zeros when data is NULL)
 * and moves this buffer's pointer to 0. */
static HRESULT buffer_assign(struct bytebuffer *buffer, const BYTE *data, size_t size)
{
    struct bytestore *store = &buffer->data->store;
    enum bytestore_status status;

    EnterCriticalSection(&buffer->data->cs);
    if (data)
    {
        status = bytestore_assign(store, data, size);
    }
    else if (!(status = bytestore_set_size(store, 0)))
    {
        status = bytestore_set_size(store, size);
    }
    if (!status)
        buffer->pos = 0;
    LeaveCriticalSection(&buffer->data->cs);
    return hresult_from_status(status);
}

/* The whole content of our own buffer, under its lock. */
static HRESULT buffer_copy_all(struct bytebuffer *buffer, BYTE **data, size_t *size)
{
    struct bytestore *store = &buffer->data->store;
    HRESULT hr = S_OK;

    *data = NULL;
    EnterCriticalSection(&buffer->data->cs);
    *size = store->size;
    if (*size && (*data = malloc(*size)))
        bytestore_read(store, 0, *data, *size);
    else if (*size)
        hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&buffer->data->cs);
    if (FAILED(hr))
        *size = 0;
    return hr;
}

/* Appends what one Read returns to *data (capacity *capacity, used *size). */
static HRESULT grow_for_chunk(BYTE **data, size_t *size, size_t *capacity)
{
    BYTE *new_data;
    size_t new_capacity;

    if (*capacity - *size >= READ_CHUNK)
        return S_OK;
    if (*size > BYTESTORE_MAX_SIZE - READ_CHUNK)
        return E_OUTOFMEMORY;
    new_capacity = *capacity ? *capacity * 2 : READ_CHUNK;
    if (new_capacity < *size + READ_CHUNK)
        new_capacity = *size + READ_CHUNK;
    if (!(new_data = realloc(*data, new_capacity)))
        return E_OUTOFMEMORY;
    *data = new_data;
    *capacity = new_capacity;
    return S_OK;
}

/* Seek and Read of a stream-like object, for read_all(). */
struct read_all_ops
{
    HRESULT (*seek)(void *object, LONGLONG offset, DWORD origin, LONGLONG *position);
    /* *count is 0 when nothing (or a negative count) came back */
    HRESULT (*read)(void *object, BYTE *dst, ULONG size, ULONG *count);
};

/* The whole content of a stream-like object, from its start; its pointer
 * is restored. */
static HRESULT read_all(void *object, const struct read_all_ops *ops, BYTE **data, size_t *size)
{
    LONGLONG position, ignored;
    size_t capacity = 0;
    HRESULT hr;
    ULONG count;

    *data = NULL;
    *size = 0;

    if (FAILED(hr = ops->seek(object, 0, STREAM_SEEK_CUR, &position)))
        return hr;
    if (FAILED(hr = ops->seek(object, 0, STREAM_SEEK_SET, &ignored)))
        return hr;
    for (;;)
    {
        if (FAILED(hr = grow_for_chunk(data, size, &capacity)))
            break;
        count = 0;
        if (FAILED(hr = ops->read(object, *data + *size, READ_CHUNK, &count)))
            break;
        if (!count || count > READ_CHUNK)
            break;
        *size += count;
    }
    ops->seek(object, position, STREAM_SEEK_SET, &ignored);
    if (FAILED(hr))
    {
        free(*data);
        *data = NULL;
        *size = 0;
        return hr;
    }
    if (!*size)
    {
        free(*data);
        *data = NULL;
    }
    return S_OK;
}

/* The new position is never NULL: through a proxy it is a [ref] pointer. */
static HRESULT stream_seek(void *object, LONGLONG offset, DWORD origin, LONGLONG *position)
{
    ULARGE_INTEGER new_position = {{0}};
    LARGE_INTEGER move;
    HRESULT hr;

    move.QuadPart = offset;
    hr = IStream_Seek((IStream *)object, move, origin, &new_position);
    *position = new_position.QuadPart;
    return hr;
}

static HRESULT stream_read(void *object, BYTE *dst, ULONG size, ULONG *count)
{
    return IStream_Read((IStream *)object, dst, size, count);
}

static const struct read_all_ops stream_ops = {stream_seek, stream_read};

/* The whole content of any IStream, from its start; its pointer is restored. */
static HRESULT stream_read_all(IStream *stream, BYTE **data, size_t *size)
{
    return read_all(stream, &stream_ops, data, size);
}

static HRESULT foreign_buffer_seek(void *object, LONGLONG offset, DWORD origin, LONGLONG *position)
{
    LONG new_position = 0;
    HRESULT hr;

    hr = IByteBuffer_Seek((IByteBuffer *)object, (LONG)offset, origin, &new_position);
    *position = new_position;
    return hr;
}

static HRESULT foreign_buffer_read(void *object, BYTE *dst, ULONG size, ULONG *count)
{
    LONG read = 0;
    HRESULT hr;

    hr = IByteBuffer_Read((IByteBuffer *)object, dst, size, &read);
    *count = read > 0 ? read : 0;
    return hr;
}

static const struct read_all_ops foreign_buffer_ops = {foreign_buffer_seek, foreign_buffer_read};

/* The same for an IByteBuffer we did not make. */
static HRESULT foreign_buffer_read_all(IByteBuffer *buffer, BYTE **data, size_t *size)
{
    return read_all(buffer, &foreign_buffer_ops, data, size);
}

static HRESULT WINAPI bytebuffer_QueryInterface(IByteBuffer *iface, REFIID riid, void **obj)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_IByteBuffer) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = &buffer->IByteBuffer_iface;
    }
    else if (IsEqualIID(riid, &IID_IStream) || IsEqualIID(riid, &IID_ISequentialStream))
    {
        *obj = &buffer->IStream_iface;
    }
    else
    {
        WARN("Unsupported interface %s.\n", debugstr_guid(riid));
        *obj = NULL;
        return E_NOINTERFACE;
    }

    IUnknown_AddRef((IUnknown *)*obj);
    return S_OK;
}

static ULONG WINAPI bytebuffer_AddRef(IByteBuffer *iface)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);
    ULONG refcount = InterlockedIncrement(&buffer->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI bytebuffer_Release(IByteBuffer *iface)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);
    ULONG refcount = InterlockedDecrement(&buffer->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        data_release(buffer->data);
        free(buffer);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI bytebuffer_GetTypeInfoCount(IByteBuffer *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_GetTypeInfo(IByteBuffer *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(IByteBuffer_tid, index, typeinfo);
}

static HRESULT WINAPI bytebuffer_GetIDsOfNames(IByteBuffer *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(IByteBuffer_tid, names, count, dispids);
}

static HRESULT WINAPI bytebuffer_Invoke(IByteBuffer *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(IByteBuffer_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI bytebuffer_get_Stream(IByteBuffer *iface, IStream **stream)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %p.\n", iface, stream);

    if (!stream)
        return E_POINTER;

    *stream = &buffer->IStream_iface;
    IStream_AddRef(*stream);
    return S_OK;
}

static HRESULT WINAPI bytebuffer_put_Stream(IByteBuffer *iface, IStream *stream)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface), *source;
    IStream *source_stream;
    size_t size;
    BYTE *data;
    HRESULT hr;

    TRACE("%p, %p.\n", iface, stream);

    if (!stream)
        return E_POINTER;

    /* a script may hand an IByteBuffer in where a stream is expected */
    if (FAILED(IStream_QueryInterface(stream, &IID_IStream, (void **)&source_stream)))
    {
        WARN("%p is not a stream.\n", stream);
        return E_INVALIDARG;
    }
    if ((source = unsafe_impl_from_IStream(source_stream)))
        hr = buffer_copy_all(source, &data, &size);
    else
        hr = stream_read_all(source_stream, &data, &size);
    IStream_Release(source_stream);
    if (FAILED(hr))
        return hr;

    if (size > BYTESTORE_MAX_SIZE)
        hr = E_INVALIDARG;
    else
        hr = buffer_assign(buffer, data ? data : (const BYTE *)"", size);
    free(data);
    return hr;
}

static HRESULT WINAPI bytebuffer_Clone(IByteBuffer *iface, IByteBuffer **clone)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface), *object;
    HRESULT hr;

    TRACE("%p, %p.\n", iface, clone);

    if (!clone)
        return E_POINTER;

    *clone = NULL;
    if (FAILED(hr = buffer_clone(buffer, &object)))
        return hr;
    *clone = &object->IByteBuffer_iface;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_Commit(IByteBuffer *iface, LONG flags)
{
    TRACE("%p, %#lx.\n", iface, flags);

    if (flags & ~STGC_ALL)
        return STG_E_INVALIDFLAG;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_CopyTo(IByteBuffer *iface, IByteBuffer **dest, LONG cb, LONG *read_count,
        LONG *written_count)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);
    LONG written = 0;
    ULONG count;
    BYTE *bytes;
    HRESULT hr;

    TRACE("%p, %p, %ld, %p, %p.\n", iface, dest, cb, read_count, written_count);

    if (read_count)
        *read_count = 0;
    if (written_count)
        *written_count = 0;
    if (!dest || !*dest)
        return E_POINTER;
    if (cb < 0)
        return E_INVALIDARG;

    if (FAILED(hr = buffer_read_alloc(buffer, cb, &bytes, &count)))
        return hr;
    if (read_count)
        *read_count = count;
    if (count)
        hr = IByteBuffer_Write(*dest, bytes, count, &written);
    if (written_count)
        *written_count = written;
    free(bytes);
    return hr;
}

static HRESULT WINAPI bytebuffer_Initialize(IByteBuffer *iface, LONG size, BYTE *data)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %ld, %p.\n", iface, size, data);

    if (size < 0)
        return E_INVALIDARG;
    return buffer_assign(buffer, data, size);
}

static HRESULT WINAPI bytebuffer_LockRegion(IByteBuffer *iface, LONG offset, LONG cb, LONG type)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %ld, %ld, %#lx.\n", iface, offset, cb, type);

    if (offset < 0 || cb < 0)
        return E_INVALIDARG;
    return buffer_lock(buffer, offset, cb, type, TRUE);
}

static HRESULT WINAPI bytebuffer_Read(IByteBuffer *iface, BYTE *bytes, LONG cb, LONG *read_count)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);
    ULONG count;

    TRACE("%p, %p, %ld, %p.\n", iface, bytes, cb, read_count);

    if (read_count)
        *read_count = 0;
    if (!bytes)
        return E_POINTER;
    if (cb < 0)
        return E_INVALIDARG;

    count = buffer_read(buffer, bytes, cb);
    if (read_count)
        *read_count = count;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_Revert(IByteBuffer *iface)
{
    TRACE("%p.\n", iface);

    return S_OK;
}

static HRESULT WINAPI bytebuffer_Seek(IByteBuffer *iface, LONG move, LONG origin, LONG *new_position)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);
    ULONG position;
    HRESULT hr;

    TRACE("%p, %ld, %ld, %p.\n", iface, move, origin, new_position);

    hr = buffer_seek(buffer, move, (DWORD)origin, &position);
    if (new_position)
        *new_position = position;
    return hr;
}

static HRESULT WINAPI bytebuffer_SetSize(IByteBuffer *iface, LONG size)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %ld.\n", iface, size);

    if (size < 0)
        return E_INVALIDARG;
    return buffer_set_size(buffer, size);
}

static HRESULT WINAPI bytebuffer_Stat(IByteBuffer *iface, STATSTRUCT *stat, LONG flags)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %p, %#lx.\n", iface, stat, flags);

    if (!stat)
        return E_POINTER;
    if (flags != STATFLAG_DEFAULT && flags != STATFLAG_NONAME && flags != STATFLAG_NOOPEN)
        return STG_E_INVALIDFLAG;

    stat->type = STGTY_STREAM;
    stat->cbSize = buffer_size(buffer);
    stat->grfMode = STGM_READWRITE;
    stat->grfLocksSupported = LOCKS_SUPPORTED;
    stat->grfStateBits = 0;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_UnlockRegion(IByteBuffer *iface, LONG offset, LONG cb, LONG type)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);

    TRACE("%p, %ld, %ld, %#lx.\n", iface, offset, cb, type);

    if (offset < 0 || cb < 0)
        return E_INVALIDARG;
    return buffer_lock(buffer, offset, cb, type, FALSE);
}

static HRESULT WINAPI bytebuffer_Write(IByteBuffer *iface, BYTE *bytes, LONG cb, LONG *written_count)
{
    struct bytebuffer *buffer = impl_from_IByteBuffer(iface);
    HRESULT hr;

    TRACE("%p, %p, %ld, %p.\n", iface, bytes, cb, written_count);

    if (written_count)
        *written_count = 0;
    if (!bytes)
        return E_POINTER;
    if (cb < 0)
        return E_INVALIDARG;

    if (SUCCEEDED(hr = buffer_write(buffer, bytes, cb)) && written_count)
        *written_count = cb;
    return hr;
}

static const IByteBufferVtbl bytebuffer_vtbl =
{
    bytebuffer_QueryInterface,
    bytebuffer_AddRef,
    bytebuffer_Release,
    bytebuffer_GetTypeInfoCount,
    bytebuffer_GetTypeInfo,
    bytebuffer_GetIDsOfNames,
    bytebuffer_Invoke,
    bytebuffer_get_Stream,
    bytebuffer_put_Stream,
    bytebuffer_Clone,
    bytebuffer_Commit,
    bytebuffer_CopyTo,
    bytebuffer_Initialize,
    bytebuffer_LockRegion,
    bytebuffer_Read,
    bytebuffer_Revert,
    bytebuffer_Seek,
    bytebuffer_SetSize,
    bytebuffer_Stat,
    bytebuffer_UnlockRegion,
    bytebuffer_Write,
};

/* The IStream face: the same object, bytes and seek pointer, with the
 * IStream conventions (STG_E_INVALIDPOINTER for NULL pointers). */

static HRESULT WINAPI bytebuffer_stream_QueryInterface(IStream *iface, REFIID riid, void **obj)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    return IByteBuffer_QueryInterface(&buffer->IByteBuffer_iface, riid, obj);
}

static ULONG WINAPI bytebuffer_stream_AddRef(IStream *iface)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    return IByteBuffer_AddRef(&buffer->IByteBuffer_iface);
}

static ULONG WINAPI bytebuffer_stream_Release(IStream *iface)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    return IByteBuffer_Release(&buffer->IByteBuffer_iface);
}

static HRESULT WINAPI bytebuffer_stream_Read(IStream *iface, void *bytes, ULONG cb, ULONG *read_count)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);
    ULONG count;

    TRACE("%p, %p, %lu, %p.\n", iface, bytes, cb, read_count);

    if (read_count)
        *read_count = 0;
    if (!bytes)
        return STG_E_INVALIDPOINTER;

    count = buffer_read(buffer, bytes, cb);
    if (read_count)
        *read_count = count;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_stream_Write(IStream *iface, const void *bytes, ULONG cb, ULONG *written_count)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);
    HRESULT hr;

    TRACE("%p, %p, %lu, %p.\n", iface, bytes, cb, written_count);

    if (written_count)
        *written_count = 0;
    if (!bytes)
        return STG_E_INVALIDPOINTER;

    if (SUCCEEDED(hr = buffer_write(buffer, bytes, cb)) && written_count)
        *written_count = cb;
    return hr;
}

static HRESULT WINAPI bytebuffer_stream_Seek(IStream *iface, LARGE_INTEGER move, DWORD origin,
        ULARGE_INTEGER *new_position)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);
    ULONG position;
    HRESULT hr;

    TRACE("%p, %s, %lu, %p.\n", iface, wine_dbgstr_longlong(move.QuadPart), origin, new_position);

    /* from the start the move is unsigned: a "negative" one is out of range either way */
    hr = buffer_seek(buffer, move.QuadPart, origin, &position);
    if (new_position)
        new_position->QuadPart = position;
    return hr;
}

static HRESULT WINAPI bytebuffer_stream_SetSize(IStream *iface, ULARGE_INTEGER size)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    TRACE("%p, %s.\n", iface, wine_dbgstr_longlong(size.QuadPart));

    if (size.QuadPart > BYTESTORE_MAX_SIZE)
        return STG_E_MEDIUMFULL;
    return buffer_set_size(buffer, size.QuadPart);
}

static HRESULT WINAPI bytebuffer_stream_CopyTo(IStream *iface, IStream *dest, ULARGE_INTEGER cb,
        ULARGE_INTEGER *read_count, ULARGE_INTEGER *written_count)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);
    ULONG count, written = 0;
    BYTE *bytes;
    HRESULT hr;

    TRACE("%p, %p, %s, %p, %p.\n", iface, dest, wine_dbgstr_longlong(cb.QuadPart), read_count, written_count);

    if (read_count)
        read_count->QuadPart = 0;
    if (written_count)
        written_count->QuadPart = 0;
    if (!dest)
        return STG_E_INVALIDPOINTER;

    if (FAILED(hr = buffer_read_alloc(buffer, cb.QuadPart, &bytes, &count)))
        return hr;
    if (read_count)
        read_count->QuadPart = count;
    if (count)
        hr = IStream_Write(dest, bytes, count, &written);
    if (written_count)
        written_count->QuadPart = written;
    free(bytes);
    return hr;
}

static HRESULT WINAPI bytebuffer_stream_Commit(IStream *iface, DWORD flags)
{
    TRACE("%p, %#lx.\n", iface, flags);

    if (flags & ~STGC_ALL)
        return STG_E_INVALIDFLAG;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_stream_Revert(IStream *iface)
{
    TRACE("%p.\n", iface);

    return S_OK;
}

static HRESULT WINAPI bytebuffer_stream_LockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb,
        DWORD type)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    TRACE("%p, %s, %s, %#lx.\n", iface, wine_dbgstr_longlong(offset.QuadPart),
            wine_dbgstr_longlong(cb.QuadPart), type);

    return buffer_lock(buffer, offset.QuadPart, cb.QuadPart, type, TRUE);
}

static HRESULT WINAPI bytebuffer_stream_UnlockRegion(IStream *iface, ULARGE_INTEGER offset, ULARGE_INTEGER cb,
        DWORD type)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    TRACE("%p, %s, %s, %#lx.\n", iface, wine_dbgstr_longlong(offset.QuadPart),
            wine_dbgstr_longlong(cb.QuadPart), type);

    return buffer_lock(buffer, offset.QuadPart, cb.QuadPart, type, FALSE);
}

static HRESULT WINAPI bytebuffer_stream_Stat(IStream *iface, STATSTG *stat, DWORD flags)
{
    struct bytebuffer *buffer = impl_from_IStream(iface);

    TRACE("%p, %p, %#lx.\n", iface, stat, flags);

    if (!stat)
        return STG_E_INVALIDPOINTER;
    if (flags != STATFLAG_DEFAULT && flags != STATFLAG_NONAME && flags != STATFLAG_NOOPEN)
        return STG_E_INVALIDFLAG;

    memset(stat, 0, sizeof(*stat));
    stat->type = STGTY_STREAM;
    stat->cbSize.QuadPart = buffer_size(buffer);
    stat->grfMode = STGM_READWRITE;
    stat->grfLocksSupported = LOCKS_SUPPORTED;
    return S_OK;
}

static HRESULT WINAPI bytebuffer_stream_Clone(IStream *iface, IStream **clone)
{
    struct bytebuffer *buffer = impl_from_IStream(iface), *object;
    HRESULT hr;

    TRACE("%p, %p.\n", iface, clone);

    if (!clone)
        return STG_E_INVALIDPOINTER;

    *clone = NULL;
    if (FAILED(hr = buffer_clone(buffer, &object)))
        return hr;
    *clone = &object->IStream_iface;
    return S_OK;
}

static const IStreamVtbl bytebuffer_stream_vtbl =
{
    bytebuffer_stream_QueryInterface,
    bytebuffer_stream_AddRef,
    bytebuffer_stream_Release,
    bytebuffer_stream_Read,
    bytebuffer_stream_Write,
    bytebuffer_stream_Seek,
    bytebuffer_stream_SetSize,
    bytebuffer_stream_CopyTo,
    bytebuffer_stream_Commit,
    bytebuffer_stream_Revert,
    bytebuffer_stream_LockRegion,
    bytebuffer_stream_UnlockRegion,
    bytebuffer_stream_Stat,
    bytebuffer_stream_Clone,
};

HRESULT bytebuffer_create_with_data(const BYTE *data, size_t size, IByteBuffer **out)
{
    struct bytebuffer *buffer;
    HRESULT hr;

    if (!out)
        return E_POINTER;
    *out = NULL;
    if (size && !data)
        return E_POINTER;
    if (size > BYTESTORE_MAX_SIZE)
        return E_INVALIDARG;

    if (FAILED(hr = buffer_create_new(&buffer)))
        return hr;
    if (size && FAILED(hr = buffer_assign(buffer, data, size)))
    {
        IByteBuffer_Release(&buffer->IByteBuffer_iface);
        return hr;
    }
    *out = &buffer->IByteBuffer_iface;
    return S_OK;
}

HRESULT bytebuffer_read_all(IByteBuffer *iface, BYTE **data, size_t *size)
{
    struct bytebuffer *buffer;

    if (!data || !size)
        return E_POINTER;
    *data = NULL;
    *size = 0;
    if (!iface)
        return E_POINTER;

    if ((buffer = unsafe_impl_from_IByteBuffer(iface)))
        return buffer_copy_all(buffer, data, size);
    return foreign_buffer_read_all(iface, data, size);
}

HRESULT bytebuffer_get_size(IByteBuffer *iface, size_t *size)
{
    struct bytebuffer *buffer;
    BYTE *data;
    HRESULT hr;

    if (!size)
        return E_POINTER;
    *size = 0;
    if (!iface)
        return E_POINTER;

    if ((buffer = unsafe_impl_from_IByteBuffer(iface)))
    {
        *size = buffer_size(buffer);
        return S_OK;
    }
    if (SUCCEEDED(hr = foreign_buffer_read_all(iface, &data, size)))
        free(data);
    return hr;
}

HRESULT bytebuffer_create(REFIID riid, void **obj)
{
    struct bytebuffer *buffer;
    HRESULT hr;

    if (FAILED(hr = buffer_create_new(&buffer)))
        return hr;

    hr = IByteBuffer_QueryInterface(&buffer->IByteBuffer_iface, riid, obj);
    IByteBuffer_Release(&buffer->IByteBuffer_iface);
    return hr;
}
