/*
 * CSCard: one connection to one smart card
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct card
{
    ISCard ISCard_iface;
    LONG refcount;
};

static inline struct card *impl_from_ISCard(ISCard *iface)
{
    return CONTAINING_RECORD(iface, struct card, ISCard_iface);
}

static HRESULT WINAPI card_QueryInterface(ISCard *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCard) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCard_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI card_AddRef(ISCard *iface)
{
    struct card *card = impl_from_ISCard(iface);
    ULONG refcount = InterlockedIncrement(&card->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI card_Release(ISCard *iface)
{
    struct card *card = impl_from_ISCard(iface);
    ULONG refcount = InterlockedDecrement(&card->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        free(card);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI card_GetTypeInfoCount(ISCard *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI card_GetTypeInfo(ISCard *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCard_tid, index, typeinfo);
}

static HRESULT WINAPI card_GetIDsOfNames(ISCard *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCard_tid, names, count, dispids);
}

static HRESULT WINAPI card_Invoke(ISCard *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCard_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI card_get_Atr(ISCard *iface, IByteBuffer **atr)
{
    FIXME("%p, %p stub!\n", iface, atr);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_get_CardHandle(ISCard *iface, HSCARD *handle)
{
    FIXME("%p, %p stub!\n", iface, handle);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_get_Context(ISCard *iface, HSCARDCONTEXT *context)
{
    FIXME("%p, %p stub!\n", iface, context);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_get_Protocol(ISCard *iface, SCARD_PROTOCOLS *protocol)
{
    FIXME("%p, %p stub!\n", iface, protocol);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_get_Status(ISCard *iface, SCARD_STATES *status)
{
    FIXME("%p, %p stub!\n", iface, status);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_AttachByHandle(ISCard *iface, HSCARD handle)
{
    FIXME("%p, %#Ix stub!\n", iface, handle);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_AttachByReader(ISCard *iface, BSTR reader, SCARD_SHARE_MODES share_mode,
        SCARD_PROTOCOLS protocol)
{
    FIXME("%p, %s, %d, %d stub!\n", iface, debugstr_w(reader), share_mode, protocol);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_Detach(ISCard *iface, SCARD_DISPOSITIONS disposition)
{
    FIXME("%p, %d stub!\n", iface, disposition);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_LockSCard(ISCard *iface)
{
    FIXME("%p stub!\n", iface);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_ReAttach(ISCard *iface, SCARD_SHARE_MODES share_mode, SCARD_DISPOSITIONS init_state)
{
    FIXME("%p, %d, %d stub!\n", iface, share_mode, init_state);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_Transaction(ISCard *iface, ISCardCmd **cmd)
{
    FIXME("%p, %p stub!\n", iface, cmd);

    return E_NOTIMPL;
}

static HRESULT WINAPI card_UnlockSCard(ISCard *iface, SCARD_DISPOSITIONS disposition)
{
    FIXME("%p, %d stub!\n", iface, disposition);

    return E_NOTIMPL;
}

static const ISCardVtbl card_vtbl =
{
    card_QueryInterface,
    card_AddRef,
    card_Release,
    card_GetTypeInfoCount,
    card_GetTypeInfo,
    card_GetIDsOfNames,
    card_Invoke,
    card_get_Atr,
    card_get_CardHandle,
    card_get_Context,
    card_get_Protocol,
    card_get_Status,
    card_AttachByHandle,
    card_AttachByReader,
    card_Detach,
    card_LockSCard,
    card_ReAttach,
    card_Transaction,
    card_UnlockSCard,
};

HRESULT card_create(REFIID riid, void **obj)
{
    struct card *card;
    HRESULT hr;

    if (!(card = calloc(1, sizeof(*card))))
        return E_OUTOFMEMORY;

    card->ISCard_iface.lpVtbl = &card_vtbl;
    card->refcount = 1;
    scardssp_object_created();

    hr = ISCard_QueryInterface(&card->ISCard_iface, riid, obj);
    ISCard_Release(&card->ISCard_iface);
    return hr;
}
