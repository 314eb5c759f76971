/*
 * CSCardDatabase: the smart card database
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct database
{
    ISCardDatabase ISCardDatabase_iface;
    LONG refcount;
};

static inline struct database *impl_from_ISCardDatabase(ISCardDatabase *iface)
{
    return CONTAINING_RECORD(iface, struct database, ISCardDatabase_iface);
}

static HRESULT WINAPI database_QueryInterface(ISCardDatabase *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardDatabase) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardDatabase_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI database_AddRef(ISCardDatabase *iface)
{
    struct database *database = impl_from_ISCardDatabase(iface);
    ULONG refcount = InterlockedIncrement(&database->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI database_Release(ISCardDatabase *iface)
{
    struct database *database = impl_from_ISCardDatabase(iface);
    ULONG refcount = InterlockedDecrement(&database->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        free(database);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI database_GetTypeInfoCount(ISCardDatabase *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI database_GetTypeInfo(ISCardDatabase *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardDatabase_tid, index, typeinfo);
}

static HRESULT WINAPI database_GetIDsOfNames(ISCardDatabase *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardDatabase_tid, names, count, dispids);
}

static HRESULT WINAPI database_Invoke(ISCardDatabase *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCardDatabase_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI database_GetProviderCardId(ISCardDatabase *iface, BSTR card_name, GUID **provider_id)
{
    FIXME("%p, %s, %p stub!\n", iface, debugstr_w(card_name), provider_id);

    return E_NOTIMPL;
}

static HRESULT WINAPI database_ListCardInterfaces(ISCardDatabase *iface, BSTR card_name, SAFEARRAY **interfaces)
{
    FIXME("%p, %s, %p stub!\n", iface, debugstr_w(card_name), interfaces);

    return E_NOTIMPL;
}

static HRESULT WINAPI database_ListCards(ISCardDatabase *iface, IByteBuffer *atr, SAFEARRAY *interfaces,
        LONG locale, SAFEARRAY **card_names)
{
    FIXME("%p, %p, %p, %#lx, %p stub!\n", iface, atr, interfaces, locale, card_names);

    return E_NOTIMPL;
}

static HRESULT WINAPI database_ListReaderGroups(ISCardDatabase *iface, LONG locale, SAFEARRAY **groups)
{
    FIXME("%p, %#lx, %p stub!\n", iface, locale, groups);

    return E_NOTIMPL;
}

static HRESULT WINAPI database_ListReaders(ISCardDatabase *iface, LONG locale, SAFEARRAY **readers)
{
    FIXME("%p, %#lx, %p stub!\n", iface, locale, readers);

    return E_NOTIMPL;
}

static const ISCardDatabaseVtbl database_vtbl =
{
    database_QueryInterface,
    database_AddRef,
    database_Release,
    database_GetTypeInfoCount,
    database_GetTypeInfo,
    database_GetIDsOfNames,
    database_Invoke,
    database_GetProviderCardId,
    database_ListCardInterfaces,
    database_ListCards,
    database_ListReaderGroups,
    database_ListReaders,
};

HRESULT database_create(REFIID riid, void **obj)
{
    struct database *database;
    HRESULT hr;

    if (!(database = calloc(1, sizeof(*database))))
        return E_OUTOFMEMORY;

    database->ISCardDatabase_iface.lpVtbl = &database_vtbl;
    database->refcount = 1;
    scardssp_object_created();

    hr = ISCardDatabase_QueryInterface(&database->ISCardDatabase_iface, riid, obj);
    ISCardDatabase_Release(&database->ISCardDatabase_iface);
    return hr;
}
