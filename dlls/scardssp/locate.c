/*
 * CSCardLocate: finding a card by name or interface
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct locate
{
    ISCardLocate ISCardLocate_iface;
    LONG refcount;
};

static inline struct locate *impl_from_ISCardLocate(ISCardLocate *iface)
{
    return CONTAINING_RECORD(iface, struct locate, ISCardLocate_iface);
}

static HRESULT WINAPI locate_QueryInterface(ISCardLocate *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardLocate) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardLocate_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI locate_AddRef(ISCardLocate *iface)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    ULONG refcount = InterlockedIncrement(&locate->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI locate_Release(ISCardLocate *iface)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    ULONG refcount = InterlockedDecrement(&locate->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        free(locate);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI locate_GetTypeInfoCount(ISCardLocate *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI locate_GetTypeInfo(ISCardLocate *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardLocate_tid, index, typeinfo);
}

static HRESULT WINAPI locate_GetIDsOfNames(ISCardLocate *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardLocate_tid, names, count, dispids);
}

static HRESULT WINAPI locate_Invoke(ISCardLocate *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCardLocate_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI locate_ConfigureCardGuidSearch(ISCardLocate *iface, SAFEARRAY *card_guids,
        SAFEARRAY *group_names, BSTR title, LONG flags)
{
    FIXME("%p, %p, %p, %s, %#lx stub!\n", iface, card_guids, group_names, debugstr_w(title), flags);

    return E_NOTIMPL;
}

static HRESULT WINAPI locate_ConfigureCardNameSearch(ISCardLocate *iface, SAFEARRAY *card_names,
        SAFEARRAY *group_names, BSTR title, LONG flags)
{
    FIXME("%p, %p, %p, %s, %#lx stub!\n", iface, card_names, group_names, debugstr_w(title), flags);

    return E_NOTIMPL;
}

static HRESULT WINAPI locate_FindCard(ISCardLocate *iface, SCARD_SHARE_MODES share_mode,
        SCARD_PROTOCOLS protocols, LONG flags, SCARDINFO **info)
{
    FIXME("%p, %d, %d, %#lx, %p stub!\n", iface, share_mode, protocols, flags, info);

    return E_NOTIMPL;
}

static const ISCardLocateVtbl locate_vtbl =
{
    locate_QueryInterface,
    locate_AddRef,
    locate_Release,
    locate_GetTypeInfoCount,
    locate_GetTypeInfo,
    locate_GetIDsOfNames,
    locate_Invoke,
    locate_ConfigureCardGuidSearch,
    locate_ConfigureCardNameSearch,
    locate_FindCard,
};

HRESULT locate_create(REFIID riid, void **obj)
{
    struct locate *locate;
    HRESULT hr;

    if (!(locate = calloc(1, sizeof(*locate))))
        return E_OUTOFMEMORY;

    locate->ISCardLocate_iface.lpVtbl = &locate_vtbl;
    locate->refcount = 1;
    scardssp_object_created();

    hr = ISCardLocate_QueryInterface(&locate->ISCardLocate_iface, riid, obj);
    ISCardLocate_Release(&locate->ISCardLocate_iface);
    return hr;
}
