/*
 * IDispatch through the type library, shared by every scardssp object
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

HRESULT scardssp_get_typeinfo(tid_t tid, UINT index, ITypeInfo **typeinfo)
{
    if (!typeinfo)
        return E_POINTER;
    *typeinfo = NULL;
    if (index)
        return DISP_E_BADINDEX;
    return get_typeinfo(tid, typeinfo);
}

HRESULT scardssp_get_ids_of_names(tid_t tid, LPOLESTR *names, UINT count, DISPID *dispids)
{
    ITypeInfo *typeinfo;
    HRESULT hr;

    if (!names || !dispids)
        return E_POINTER;
    if (SUCCEEDED(hr = get_typeinfo(tid, &typeinfo)))
    {
        hr = ITypeInfo_GetIDsOfNames(typeinfo, names, count, dispids);
        ITypeInfo_Release(typeinfo);
    }
    return hr;
}

HRESULT scardssp_invoke(tid_t tid, void *iface, DISPID dispid, WORD flags, DISPPARAMS *params,
                        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    ITypeInfo *typeinfo;
    HRESULT hr;

    if (SUCCEEDED(hr = get_typeinfo(tid, &typeinfo)))
    {
        hr = ITypeInfo_Invoke(typeinfo, iface, dispid, flags, params, result, excepinfo, argerr);
        ITypeInfo_Release(typeinfo);
    }
    return hr;
}
