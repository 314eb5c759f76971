/*
 * CSCardISO7816: builders of ISO 7816-4 interindustry commands
 *
 * Every builder fills an ISCardCmd through its BuildCmd method, with the
 * default class byte (SetDefaultClassId, initially 0x00) as CLA:
 *
 *   AppendRecord          E2 00       byRefCtrl  data
 *   EraseBinary           0E P1       P2         [data]
 *   ExternalAuthenticate  82 alg      secret     [challenge]
 *   GetChallenge          84 00       00                      Le
 *   GetData               CA P1       P2                      Le
 *   GetResponse           C0 P1       P2                      Le
 *   InternalAuthenticate  88 alg      secret     challenge    Le
 *   ManageChannel         70 state    channel                 [Le 1]
 *   PutData               DA P1       P2         data
 *   ReadBinary            B0 P1       P2                      Le
 *   ReadRecord            B2 record   byRefCtrl               Le
 *   SelectFile            A4 P1       P2         [data]       [Le]
 *   UpdateBinary          D6 P1       P2         data
 *   UpdateRecord          DC record   byRefCtrl  data
 *   Verify                20 00       byRefCtrl  [data]
 *   WriteBinary           D0 P1       P2         data
 *   WriteRecord           D2 record   byRefCtrl  data
 *
 * Choices where the documentation is silent:
 *  - GetChallenge, GetData, GetResponse, InternalAuthenticate, ReadBinary
 *    and ReadRecord always carry Le: a length of 0 is sent as the short
 *    Le 00, "up to 256 bytes" (ISO 7816-4's all-zero Le; read to the end
 *    of the file or record); 1..65536 as BuildCmd encodes them;
 *  - SelectFile's lBytesToRead of 0 means no Le;
 *  - ManageChannel asks for one byte (Le 01) when it opens a channel whose
 *    number the card assigns (P1 00, P2 00), the only case where the card
 *    answers with data; otherwise (close, or open of a given channel) it
 *    has no Le; P1 and P2 are passed through unchecked;
 *  - a length below 0 or above 65536 is E_INVALIDARG;
 *  - a mandatory data buffer that is NULL is E_POINTER, one that is empty
 *    is E_INVALIDARG; an optional one that is NULL or empty means no data;
 *    more than 65535 data bytes is E_INVALIDARG;
 *  - ppCmd NULL is E_POINTER; *ppCmd NULL gets a new CSCardCmd (one
 *    reference, the caller's); an existing *ppCmd gets its command
 *    replaced through BuildCmd and keeps everything else (reply, NAD,
 *    AlternateClassId), as BuildCmd does; on failure *ppCmd is unchanged
 *    and nothing is created.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"
#include "apdu.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct iso7816
{
    ISCardISO7816 ISCardISO7816_iface;
    LONG refcount;
    CRITICAL_SECTION cs;
    BYTE default_class;
};

enum data_use
{
    DATA_OPTIONAL,
    DATA_REQUIRED,
};

static inline struct iso7816 *impl_from_ISCardISO7816(ISCardISO7816 *iface)
{
    return CONTAINING_RECORD(iface, struct iso7816, ISCardISO7816_iface);
}

/* The data itself is read once, by BuildCmd; only its size is needed here.
 * The APDU_MAX_LC check repeats BuildCmd's for a *ppCmd of another
 * implementation. */
static HRESULT check_data(IByteBuffer *data, enum data_use use)
{
    size_t size;
    HRESULT hr;

    if (!data)
        return use == DATA_REQUIRED ? E_POINTER : S_OK;
    if (FAILED(hr = bytebuffer_get_size(data, &size)))
        return hr;
    if (!size && use == DATA_REQUIRED)
        return E_INVALIDARG;
    if (size > APDU_MAX_LC)
        return E_INVALIDARG;
    return S_OK;
}

static BOOL valid_length(LONG length)
{
    return length >= 0 && length <= (LONG)APDU_MAX_LE;
}

/* Builds CLA INS P1 P2 [data] [Le] into *cmd_ptr (le 0: no Le), creating
 * the command object if *cmd_ptr is NULL.  The arguments were checked. */
static HRESULT iso7816_build(struct iso7816 *iso, ISCardCmd **cmd_ptr, BYTE ins, BYTE p1, BYTE p2,
        IByteBuffer *data, LONG le)
{
    ISCardCmd *cmd = *cmd_ptr;
    BYTE cla;
    HRESULT hr;

    EnterCriticalSection(&iso->cs);
    cla = iso->default_class;
    LeaveCriticalSection(&iso->cs);

    if (!cmd && FAILED(hr = cmd_create(&IID_ISCardCmd, (void **)&cmd)))
        return hr;

    hr = ISCardCmd_BuildCmd(cmd, cla, ins, p1, p2, data, le ? &le : NULL);

    if (!*cmd_ptr)
    {
        if (SUCCEEDED(hr))
            *cmd_ptr = cmd;
        else
            ISCardCmd_Release(cmd);
    }
    return hr;
}

static HRESULT WINAPI iso7816_QueryInterface(ISCardISO7816 *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardISO7816) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardISO7816_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI iso7816_AddRef(ISCardISO7816 *iface)
{
    struct iso7816 *iso = impl_from_ISCardISO7816(iface);
    ULONG refcount = InterlockedIncrement(&iso->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI iso7816_Release(ISCardISO7816 *iface)
{
    struct iso7816 *iso = impl_from_ISCardISO7816(iface);
    ULONG refcount = InterlockedDecrement(&iso->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        DeleteCriticalSection(&iso->cs);
        free(iso);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI iso7816_GetTypeInfoCount(ISCardISO7816 *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI iso7816_GetTypeInfo(ISCardISO7816 *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardISO7816_tid, index, typeinfo);
}

static HRESULT WINAPI iso7816_GetIDsOfNames(ISCardISO7816 *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardISO7816_tid, names, count, dispids);
}

static HRESULT WINAPI iso7816_Invoke(ISCardISO7816 *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCardISO7816_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI iso7816_AppendRecord(ISCardISO7816 *iface, BYTE ref_ctrl, IByteBuffer *data,
        ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %p, %p.\n", iface, ref_ctrl, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xe2, 0x00, ref_ctrl, data, 0);
}

static HRESULT WINAPI iso7816_EraseBinary(ISCardISO7816 *iface, BYTE p1, BYTE p2, IByteBuffer *data,
        ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, p1, p2, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_OPTIONAL)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0x0e, p1, p2, data, 0);
}

static HRESULT WINAPI iso7816_ExternalAuthenticate(ISCardISO7816 *iface, BYTE algorithm, BYTE secret,
        IByteBuffer *challenge, ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, algorithm, secret, challenge, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(challenge, DATA_OPTIONAL)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0x82, algorithm, secret, challenge, 0);
}

static HRESULT WINAPI iso7816_GetChallenge(ISCardISO7816 *iface, LONG expected, ISCardCmd **cmd)
{
    TRACE("%p, %ld, %p.\n", iface, expected, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(expected))
        return E_INVALIDARG;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0x84, 0x00, 0x00, NULL,
            expected ? expected : 256);
}

static HRESULT WINAPI iso7816_GetData(ISCardISO7816 *iface, BYTE p1, BYTE p2, LONG length, ISCardCmd **cmd)
{
    TRACE("%p, %#x, %#x, %ld, %p.\n", iface, p1, p2, length, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(length))
        return E_INVALIDARG;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xca, p1, p2, NULL, length ? length : 256);
}

static HRESULT WINAPI iso7816_GetResponse(ISCardISO7816 *iface, BYTE p1, BYTE p2, LONG length, ISCardCmd **cmd)
{
    TRACE("%p, %#x, %#x, %ld, %p.\n", iface, p1, p2, length, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(length))
        return E_INVALIDARG;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xc0, p1, p2, NULL, length ? length : 256);
}

static HRESULT WINAPI iso7816_InternalAuthenticate(ISCardISO7816 *iface, BYTE algorithm, BYTE secret,
        IByteBuffer *challenge, LONG reply_bytes, ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %ld, %p.\n", iface, algorithm, secret, challenge, reply_bytes, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(reply_bytes))
        return E_INVALIDARG;
    if (FAILED(hr = check_data(challenge, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0x88, algorithm, secret, challenge,
            reply_bytes ? reply_bytes : 256);
}

static HRESULT WINAPI iso7816_ManageChannel(ISCardISO7816 *iface, BYTE state, BYTE channel, ISCardCmd **cmd)
{
    TRACE("%p, %#x, %#x, %p.\n", iface, state, channel, cmd);

    if (!cmd)
        return E_POINTER;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0x70, state, channel, NULL,
            !state && !channel ? 1 : 0);
}

static HRESULT WINAPI iso7816_PutData(ISCardISO7816 *iface, BYTE p1, BYTE p2, IByteBuffer *data, ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, p1, p2, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xda, p1, p2, data, 0);
}

static HRESULT WINAPI iso7816_ReadBinary(ISCardISO7816 *iface, BYTE p1, BYTE p2, LONG length, ISCardCmd **cmd)
{
    TRACE("%p, %#x, %#x, %ld, %p.\n", iface, p1, p2, length, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(length))
        return E_INVALIDARG;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xb0, p1, p2, NULL, length ? length : 256);
}

static HRESULT WINAPI iso7816_ReadRecord(ISCardISO7816 *iface, BYTE record, BYTE ref_ctrl, LONG length,
        ISCardCmd **cmd)
{
    TRACE("%p, %#x, %#x, %ld, %p.\n", iface, record, ref_ctrl, length, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(length))
        return E_INVALIDARG;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xb2, record, ref_ctrl, NULL,
            length ? length : 256);
}

static HRESULT WINAPI iso7816_SelectFile(ISCardISO7816 *iface, BYTE p1, BYTE p2, IByteBuffer *data,
        LONG length, ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %ld, %p.\n", iface, p1, p2, data, length, cmd);

    if (!cmd)
        return E_POINTER;
    if (!valid_length(length))
        return E_INVALIDARG;
    if (FAILED(hr = check_data(data, DATA_OPTIONAL)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xa4, p1, p2, data, length);
}

static HRESULT WINAPI iso7816_SetDefaultClassId(ISCardISO7816 *iface, BYTE cla)
{
    struct iso7816 *iso = impl_from_ISCardISO7816(iface);

    TRACE("%p, %#x.\n", iface, cla);

    EnterCriticalSection(&iso->cs);
    iso->default_class = cla;
    LeaveCriticalSection(&iso->cs);
    return S_OK;
}

static HRESULT WINAPI iso7816_UpdateBinary(ISCardISO7816 *iface, BYTE p1, BYTE p2, IByteBuffer *data,
        ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, p1, p2, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xd6, p1, p2, data, 0);
}

static HRESULT WINAPI iso7816_UpdateRecord(ISCardISO7816 *iface, BYTE record, BYTE ref_ctrl, IByteBuffer *data,
        ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, record, ref_ctrl, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xdc, record, ref_ctrl, data, 0);
}

static HRESULT WINAPI iso7816_Verify(ISCardISO7816 *iface, BYTE ref_ctrl, IByteBuffer *data, ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %p, %p.\n", iface, ref_ctrl, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_OPTIONAL)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0x20, 0x00, ref_ctrl, data, 0);
}

static HRESULT WINAPI iso7816_WriteBinary(ISCardISO7816 *iface, BYTE p1, BYTE p2, IByteBuffer *data,
        ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, p1, p2, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xd0, p1, p2, data, 0);
}

static HRESULT WINAPI iso7816_WriteRecord(ISCardISO7816 *iface, BYTE record, BYTE ref_ctrl, IByteBuffer *data,
        ISCardCmd **cmd)
{
    HRESULT hr;

    TRACE("%p, %#x, %#x, %p, %p.\n", iface, record, ref_ctrl, data, cmd);

    if (!cmd)
        return E_POINTER;
    if (FAILED(hr = check_data(data, DATA_REQUIRED)))
        return hr;
    return iso7816_build(impl_from_ISCardISO7816(iface), cmd, 0xd2, record, ref_ctrl, data, 0);
}

static const ISCardISO7816Vtbl iso7816_vtbl =
{
    iso7816_QueryInterface,
    iso7816_AddRef,
    iso7816_Release,
    iso7816_GetTypeInfoCount,
    iso7816_GetTypeInfo,
    iso7816_GetIDsOfNames,
    iso7816_Invoke,
    iso7816_AppendRecord,
    iso7816_EraseBinary,
    iso7816_ExternalAuthenticate,
    iso7816_GetChallenge,
    iso7816_GetData,
    iso7816_GetResponse,
    iso7816_InternalAuthenticate,
    iso7816_ManageChannel,
    iso7816_PutData,
    iso7816_ReadBinary,
    iso7816_ReadRecord,
    iso7816_SelectFile,
    iso7816_SetDefaultClassId,
    iso7816_UpdateBinary,
    iso7816_UpdateRecord,
    iso7816_Verify,
    iso7816_WriteBinary,
    iso7816_WriteRecord,
};

HRESULT iso7816_create(REFIID riid, void **obj)
{
    struct iso7816 *iso;
    HRESULT hr;

    if (!(iso = calloc(1, sizeof(*iso))))
        return E_OUTOFMEMORY;

    iso->ISCardISO7816_iface.lpVtbl = &iso7816_vtbl;
    iso->refcount = 1;
    InitializeCriticalSection(&iso->cs);
    scardssp_object_created();

    hr = ISCardISO7816_QueryInterface(&iso->ISCardISO7816_iface, riid, obj);
    ISCardISO7816_Release(&iso->ISCardISO7816_iface);
    return hr;
}
