/*
 * The type library's type names: every type it holds, and every type its
 * members reach, has a real name (none of widl's __WIDL_..._generated_name_
 * ones), and the library holds exactly the expected types, so that tlbimp
 * and Delphi imports give stable names (include/scardssp.idl).  Their
 * layout is tests/abi's.
 *
 * min-checks: 691 (tests/run-wine fails a run with fewer)
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

/* The types of SCARDSSPLib: what Windows' MIDL library holds, the types
 * of IStream included (GUID is its own record here, not stdole2's). */
static const struct
{
    const WCHAR *name;
    TYPEKIND kind;
}
expected[] =
{
    {L"IByteBuffer", TKIND_INTERFACE}, {L"ISCardTypeConv", TKIND_INTERFACE}, {L"ISCardCmd", TKIND_INTERFACE},
    {L"ISCardISO7816", TKIND_INTERFACE}, {L"ISCard", TKIND_INTERFACE}, {L"ISCardDatabase", TKIND_INTERFACE},
    {L"ISCardLocate", TKIND_INTERFACE},
    {L"CByteBuffer", TKIND_COCLASS}, {L"CSCardTypeConv", TKIND_COCLASS}, {L"CSCardCmd", TKIND_COCLASS},
    {L"CSCardISO7816", TKIND_COCLASS}, {L"CSCard", TKIND_COCLASS}, {L"CSCardDatabase", TKIND_COCLASS},
    {L"CSCardLocate", TKIND_COCLASS},
    {L"tagBYTEARRAY", TKIND_RECORD}, {L"tagSTATSTRUCT", TKIND_RECORD}, {L"tagSCARDINFO", TKIND_RECORD},
    {L"tagISO_APDU_TYPE", TKIND_ENUM}, {L"tagSCARD_SHARE_MODES", TKIND_ENUM},
    {L"tagSCARD_DISPOSITIONS", TKIND_ENUM}, {L"tagSCARD_STATES", TKIND_ENUM}, {L"tagSCARD_PROTOCOLS", TKIND_ENUM},
    /* what HGLOBAL (BYTEARRAY's hMem) is in a type library, with MIDL's names */
    {L"wireHGLOBAL", TKIND_ALIAS}, {L"_userHGLOBAL", TKIND_RECORD}, {L"__MIDL_IWinTypes_0003", TKIND_UNION},
    {L"_FLAGGED_BYTE_BLOB", TKIND_RECORD},
    /* IStream (IByteBuffer's Stream) and its types */
    {L"IStream", TKIND_INTERFACE}, {L"ISequentialStream", TKIND_INTERFACE}, {L"tagSTATSTG", TKIND_RECORD},
    {L"GUID", TKIND_RECORD}, {L"_FILETIME", TKIND_RECORD}, {L"_LARGE_INTEGER", TKIND_RECORD},
    {L"_ULARGE_INTEGER", TKIND_RECORD},
};

struct seen
{
    ITypeInfo *info[256];
    unsigned int count;
};

static void visit_info(struct seen *seen, ITypeInfo *info);

static void visit_desc(struct seen *seen, ITypeInfo *info, const TYPEDESC *desc)
{
    ITypeInfo *ref;
    HRESULT hr;

    switch (desc->vt)
    {
    case VT_PTR:
    case VT_SAFEARRAY:
        visit_desc(seen, info, desc->lptdesc);
        break;
    case VT_CARRAY:
        visit_desc(seen, info, &desc->lpadesc->tdescElem);
        break;
    case VT_USERDEFINED:
        hr = ITypeInfo_GetRefTypeInfo(info, desc->hreftype, &ref);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (hr != S_OK)
            break;
        visit_info(seen, ref);
        ITypeInfo_Release(ref);
        break;
    }
}

/* Adds info and every type it reaches (members, bases, aliases). */
static void visit_info(struct seen *seen, ITypeInfo *info)
{
    HREFTYPE reftype;
    TYPEATTR *attr;
    FUNCDESC *func;
    VARDESC *var;
    ITypeInfo *ref;
    unsigned int i, k;
    HRESULT hr;

    for (i = 0; i < seen->count; i++)
        if (seen->info[i] == info) return;
    if (seen->count == ARRAY_SIZE(seen->info))
    {
        ok(0, "More than %u types.\n", seen->count);
        return;
    }
    ITypeInfo_AddRef(info);
    seen->info[seen->count++] = info;

    hr = ITypeInfo_GetTypeAttr(info, &attr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (hr != S_OK)
        return;
    if (attr->typekind == TKIND_ALIAS)
        visit_desc(seen, info, &attr->tdescAlias);
    for (i = 0; i < attr->cImplTypes; i++)
    {
        if (ITypeInfo_GetRefTypeOfImplType(info, i, &reftype) != S_OK) continue;
        if (ITypeInfo_GetRefTypeInfo(info, reftype, &ref) != S_OK) continue;
        visit_info(seen, ref);
        ITypeInfo_Release(ref);
    }
    for (i = 0; i < attr->cFuncs; i++)
    {
        hr = ITypeInfo_GetFuncDesc(info, i, &func);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (hr != S_OK) continue;
        visit_desc(seen, info, &func->elemdescFunc.tdesc);
        for (k = 0; k < (unsigned int)func->cParams; k++)
            visit_desc(seen, info, &func->lprgelemdescParam[k].tdesc);
        ITypeInfo_ReleaseFuncDesc(info, func);
    }
    for (i = 0; i < attr->cVars; i++)
    {
        hr = ITypeInfo_GetVarDesc(info, i, &var);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (hr != S_OK) continue;
        visit_desc(seen, info, &var->elemdescVar.tdesc);
        ITypeInfo_ReleaseVarDesc(info, var);
    }
    ITypeInfo_ReleaseTypeAttr(info, attr);
}

static void test_type_names(void)
{
    BOOL found[ARRAY_SIZE(expected)] = {0};
    struct seen seen = {{0}};
    ITypeLib *lib, *container;
    unsigned int i, k, ours = 0;
    BSTR name, lib_name;
    TYPEATTR *attr;
    HRESULT hr;

    hr = LoadRegTypeLib(&LIBID_SCARDSSPLib, 1, 0, LOCALE_NEUTRAL, &lib);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (FAILED(hr))
        return;

    for (i = 0; i < ITypeLib_GetTypeInfoCount(lib); i++)
    {
        ITypeInfo *info;

        hr = ITypeLib_GetTypeInfo(lib, i, &info);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (hr != S_OK) continue;
        visit_info(&seen, info);
        ITypeInfo_Release(info);
    }

    for (i = 0; i < seen.count; i++)
    {
        hr = ITypeInfo_GetDocumentation(seen.info[i], MEMBERID_NIL, &name, NULL, NULL, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetContainingTypeLib(seen.info[i], &container, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeLib_GetDocumentation(container, -1, &lib_name, NULL, NULL, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetTypeAttr(seen.info[i], &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);

        ok(!!name && wcsncmp(name, L"__WIDL_", 7), "Type %u in %ls is named %ls.\n", i, lib_name, name);
        if (!wcscmp(lib_name, L"SCARDSSPLib"))
        {
            ours++;
            for (k = 0; k < ARRAY_SIZE(expected); k++)
                if (!wcscmp(name, expected[k].name)) break;
            ok(k < ARRAY_SIZE(expected), "Unexpected type %ls.\n", name);
            if (k < ARRAY_SIZE(expected))
            {
                ok(!found[k], "%ls twice.\n", name);
                ok(attr->typekind == expected[k].kind, "%ls: got typekind %d.\n", name, attr->typekind);
                found[k] = TRUE;
            }
        }
        else
            ok(!wcscmp(lib_name, L"stdole"), "%ls comes from %ls.\n", name, lib_name);

        ITypeInfo_ReleaseTypeAttr(seen.info[i], attr);
        SysFreeString(lib_name);
        SysFreeString(name);
        ITypeLib_Release(container);
        ITypeInfo_Release(seen.info[i]);
    }
    for (k = 0; k < ARRAY_SIZE(expected); k++)
        ok(found[k], "%ls is missing.\n", expected[k].name);
    ok(ours == ARRAY_SIZE(expected), "Got %u types of SCARDSSPLib.\n", ours);
    ok(ITypeLib_GetTypeInfoCount(lib) == ARRAY_SIZE(expected), "The library holds %u types.\n",
            ITypeLib_GetTypeInfoCount(lib));
    ITypeLib_Release(lib);
}

START_TEST(typenames)
{
    CoInitialize(NULL);
    test_type_names();
    CoUninitialize();
}
