/*
 * scardssp.dll: class factories, type library and registration
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"
#include "rpcproxy.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

HINSTANCE scardssp_instance;
static LONG object_count, lock_count;

static ITypeLib *typelib;
static ITypeInfo *typeinfos[LAST_tid];

static REFIID tid_ids[] =
{
    &IID_IByteBuffer,
    &IID_ISCardTypeConv,
    &IID_ISCardCmd,
    &IID_ISCardISO7816,
    &IID_ISCard,
    &IID_ISCardDatabase,
    &IID_ISCardLocate,
};

/* The type library embedded in this module, and the module's path. */
static HRESULT load_embedded_typelib(WCHAR *path, ITypeLib **lib)
{
    HRESULT hr;

    if (!GetModuleFileNameW(scardssp_instance, path, MAX_PATH))
        return HRESULT_FROM_WIN32(GetLastError());
    if (FAILED(hr = LoadTypeLibEx(path, REGKIND_NONE, lib)))
        ERR("Failed to load the type library, hr %#lx.\n", hr);
    return hr;
}

static HRESULT load_typelib(void)
{
    WCHAR path[MAX_PATH];
    ITypeLib *lib;
    HRESULT hr;

    /* the embedded one, so that an unregistered (side-by-side) copy works too */
    if (FAILED(hr = load_embedded_typelib(path, &lib)))
        return hr;
    if (InterlockedCompareExchangePointer((void **)&typelib, lib, NULL))
        ITypeLib_Release(lib);
    return S_OK;
}

HRESULT get_typeinfo(tid_t tid, ITypeInfo **typeinfo)
{
    HRESULT hr;

    if (!typelib && FAILED(hr = load_typelib()))
        return hr;

    if (!typeinfos[tid])
    {
        ITypeInfo *info;

        if (FAILED(hr = ITypeLib_GetTypeInfoOfGuid(typelib, tid_ids[tid], &info)))
        {
            ERR("Failed to get type info for %s, hr %#lx.\n", debugstr_guid(tid_ids[tid]), hr);
            return hr;
        }
        if (InterlockedCompareExchangePointer((void **)(typeinfos + tid), info, NULL))
            ITypeInfo_Release(info);
    }

    ITypeInfo_AddRef(*typeinfo = typeinfos[tid]);
    return S_OK;
}

static void release_typelib(void)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(typeinfos); ++i)
        if (typeinfos[i])
            ITypeInfo_Release(typeinfos[i]);
    if (typelib)
        ITypeLib_Release(typelib);
}

void scardssp_object_created(void)
{
    InterlockedIncrement(&object_count);
}

void scardssp_object_destroyed(void)
{
    InterlockedDecrement(&object_count);
}

struct class_factory
{
    IClassFactory IClassFactory_iface;
    HRESULT (*create)(REFIID riid, void **obj);
};

static inline struct class_factory *impl_from_IClassFactory(IClassFactory *iface)
{
    return CONTAINING_RECORD(iface, struct class_factory, IClassFactory_iface);
}

static HRESULT WINAPI class_factory_QueryInterface(IClassFactory *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualGUID(riid, &IID_IClassFactory) || IsEqualGUID(riid, &IID_IUnknown))
    {
        *obj = iface;
        IClassFactory_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

/* The factories are static: their references count as server locks. */
static ULONG WINAPI class_factory_AddRef(IClassFactory *iface)
{
    return InterlockedIncrement(&lock_count) + 1;
}

static ULONG WINAPI class_factory_Release(IClassFactory *iface)
{
    return InterlockedDecrement(&lock_count) + 1;
}

static HRESULT WINAPI class_factory_CreateInstance(IClassFactory *iface, IUnknown *outer, REFIID riid, void **obj)
{
    struct class_factory *factory = impl_from_IClassFactory(iface);

    TRACE("%p, %p, %s, %p.\n", iface, outer, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;
    *obj = NULL;
    if (outer)
        return CLASS_E_NOAGGREGATION;
    return factory->create(riid, obj);
}

static HRESULT WINAPI class_factory_LockServer(IClassFactory *iface, BOOL lock)
{
    TRACE("%p, %d.\n", iface, lock);

    if (lock)
        InterlockedIncrement(&lock_count);
    else
        InterlockedDecrement(&lock_count);
    return S_OK;
}

static const IClassFactoryVtbl class_factory_vtbl =
{
    class_factory_QueryInterface,
    class_factory_AddRef,
    class_factory_Release,
    class_factory_CreateInstance,
    class_factory_LockServer,
};

static struct
{
    REFCLSID clsid;
    struct class_factory factory;
}
factories[] =
{
    { &CLSID_CByteBuffer,     { { &class_factory_vtbl }, bytebuffer_create } },
    { &CLSID_CSCardTypeConv,  { { &class_factory_vtbl }, typeconv_create } },
    { &CLSID_CSCardCmd,       { { &class_factory_vtbl }, cmd_create } },
    { &CLSID_CSCardISO7816,   { { &class_factory_vtbl }, iso7816_create } },
    { &CLSID_CSCard,          { { &class_factory_vtbl }, card_create } },
    { &CLSID_CSCardDatabase,  { { &class_factory_vtbl }, database_create } },
    { &CLSID_CSCardLocate,    { { &class_factory_vtbl }, locate_create } },
};

/* from dlldata.c, generated by widl for scardssp_ps.idl */
HRESULT WINAPI scardssp_ps_DllGetClassObject(REFCLSID clsid, REFIID riid, void **obj);
HRESULT WINAPI scardssp_ps_DllCanUnloadNow(void);
void RPC_ENTRY GetProxyDllInfo(const ProxyFileInfo ***proxies, const CLSID **clsid);

HRESULT WINAPI DllGetClassObject(REFCLSID clsid, REFIID riid, void **obj)
{
    unsigned int i;

    TRACE("%s, %s, %p.\n", debugstr_guid(clsid), debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    for (i = 0; i < ARRAY_SIZE(factories); ++i)
    {
        if (IsEqualGUID(clsid, factories[i].clsid))
            return IClassFactory_QueryInterface(&factories[i].factory.IClassFactory_iface, riid, obj);
    }

    return scardssp_ps_DllGetClassObject(clsid, riid, obj);
}

HRESULT WINAPI DllCanUnloadNow(void)
{
    TRACE("objects %ld, locks %ld.\n", object_count, lock_count);

    if (object_count || lock_count)
        return S_FALSE;
    return scardssp_ps_DllCanUnloadNow();
}

/* Registration.  Everything comes from the embedded type library: every
 * coclass is registered with threading model Both and the ProgIDs
 * "SCardSSP.<name>.1" and "SCardSSP.<name>" (name: the coclass name
 * without its leading C, so CSCard is SCardSSP.SCard); the interfaces and
 * the proxy/stub through rpcrt4.
 *
 * On 64-bit Windows the CLSID and Interface keys exist once per registry
 * view, while the ProgIDs and the TypeLib key are shared by both: removing
 * one architecture leaves the shared keys to the other when it is still
 * registered. */
struct registration
{
    ITypeLib *typelib;
    TLIBATTR *attr;
    WCHAR path[MAX_PATH];
};

/* the registry view of the other architecture */
static const REGSAM other_view = sizeof(void *) == 8 ? KEY_WOW64_32KEY : KEY_WOW64_64KEY;

static HRESULT registration_init(struct registration *reg)
{
    HRESULT hr;

    if (FAILED(hr = load_embedded_typelib(reg->path, &reg->typelib)))
        return hr;
    if (FAILED(hr = ITypeLib_GetLibAttr(reg->typelib, &reg->attr)))
        ITypeLib_Release(reg->typelib);
    return hr;
}

static void registration_cleanup(struct registration *reg)
{
    ITypeLib_ReleaseTLibAttr(reg->typelib, reg->attr);
    ITypeLib_Release(reg->typelib);
}

/* The keys of one class: HKCR\CLSID\{clsid} and its two ProgIDs. */
struct class_keys
{
    WCHAR clsid[39];
    WCHAR clsid_key[6 + 39];
    WCHAR vi_progid[64];
    WCHAR progid[64 + 2];
    BSTR description;
};

static HRESULT get_class_keys(ITypeInfo *info, struct class_keys *keys)
{
    TYPEATTR *attr;
    BSTR name;
    HRESULT hr;

    if (FAILED(hr = ITypeInfo_GetTypeAttr(info, &attr)))
        return hr;
    StringFromGUID2(&attr->guid, keys->clsid, ARRAY_SIZE(keys->clsid));
    ITypeInfo_ReleaseTypeAttr(info, attr);
    swprintf(keys->clsid_key, ARRAY_SIZE(keys->clsid_key), L"CLSID\\%s", keys->clsid);

    if (FAILED(hr = ITypeInfo_GetDocumentation(info, MEMBERID_NIL, &name, &keys->description, NULL, NULL)))
        return hr;
    /* every coclass name is C<name> (CSCard), and short */
    if (name[0] != 'C' || wcslen(name) > ARRAY_SIZE(keys->vi_progid) - 10)
        hr = E_UNEXPECTED;
    else
    {
        swprintf(keys->vi_progid, ARRAY_SIZE(keys->vi_progid), L"SCardSSP.%s", name + 1);
        swprintf(keys->progid, ARRAY_SIZE(keys->progid), L"%s.1", keys->vi_progid);
    }
    SysFreeString(name);
    if (FAILED(hr))
        SysFreeString(keys->description);
    return hr;
}

static LSTATUS delete_tree(HKEY root, const WCHAR *path)
{
    LSTATUS ret = RegDeleteTreeW(root, path);

    return ret == ERROR_FILE_NOT_FOUND ? ERROR_SUCCESS : ret;
}

static HRESULT register_class(const struct registration *reg, const struct class_keys *keys)
{
    WCHAR libid[39], version[12];
    const struct
    {
        const WCHAR *key, *subkey, *name, *value;
    }
    values[] =
    {
        { keys->clsid_key, NULL,                        NULL,              keys->description },
        { keys->clsid_key, L"InprocServer32",           NULL,              reg->path },
        { keys->clsid_key, L"InprocServer32",           L"ThreadingModel", L"Both" },
        { keys->clsid_key, L"ProgID",                   NULL,              keys->progid },
        { keys->clsid_key, L"VersionIndependentProgID", NULL,              keys->vi_progid },
        { keys->clsid_key, L"TypeLib",                  NULL,              libid },
        { keys->clsid_key, L"Version",                  NULL,              version },
        { keys->progid,    NULL,                        NULL,              keys->description },
        { keys->progid,    L"CLSID",                    NULL,              keys->clsid },
        { keys->vi_progid, NULL,                        NULL,              keys->description },
        { keys->vi_progid, L"CLSID",                    NULL,              keys->clsid },
        { keys->vi_progid, L"CurVer",                   NULL,              keys->progid },
    };
    LSTATUS ret = ERROR_SUCCESS;
    unsigned int i;

    StringFromGUID2(&reg->attr->guid, libid, ARRAY_SIZE(libid));
    swprintf(version, ARRAY_SIZE(version), L"%u.%u", reg->attr->wMajorVerNum, reg->attr->wMinorVerNum);

    /* what an earlier registration left goes first */
    if ((ret = delete_tree(HKEY_CLASSES_ROOT, keys->clsid_key))
            || (ret = delete_tree(HKEY_CLASSES_ROOT, keys->progid))
            || (ret = delete_tree(HKEY_CLASSES_ROOT, keys->vi_progid)))
        return HRESULT_FROM_WIN32(ret);
    for (i = 0; i < ARRAY_SIZE(values) && !ret; ++i)
    {
        HKEY key;

        if ((ret = RegCreateKeyExW(HKEY_CLASSES_ROOT, values[i].key, 0, NULL, 0, KEY_SET_VALUE | KEY_CREATE_SUB_KEY,
                                   NULL, &key, NULL)))
            break;
        ret = RegSetKeyValueW(key, values[i].subkey, values[i].name, REG_SZ, values[i].value,
                              (wcslen(values[i].value) + 1) * sizeof(WCHAR));
        RegCloseKey(key);
    }
    return HRESULT_FROM_WIN32(ret);
}

static BOOL key_exists(const WCHAR *path, REGSAM view)
{
    HKEY key;

    if (RegOpenKeyExW(HKEY_CLASSES_ROOT, path, 0, KEY_QUERY_VALUE | view, &key))
        return FALSE;
    RegCloseKey(key);
    return TRUE;
}

static HRESULT unregister_class(const struct registration *reg, const struct class_keys *keys)
{
    WCHAR path[ARRAY_SIZE(keys->clsid_key) + 15];
    LSTATUS ret;

    /* This view's first: on 32-bit Windows "the other view" is this one.
     * While the other architecture has the class, the ProgIDs stay. */
    if ((ret = delete_tree(HKEY_CLASSES_ROOT, keys->clsid_key)))
        return HRESULT_FROM_WIN32(ret);
    swprintf(path, ARRAY_SIZE(path), L"%s\\InprocServer32", keys->clsid_key);
    if (key_exists(path, other_view))
        return S_OK;
    if (!(ret = delete_tree(HKEY_CLASSES_ROOT, keys->progid)))
        ret = delete_tree(HKEY_CLASSES_ROOT, keys->vi_progid);
    return HRESULT_FROM_WIN32(ret);
}

static HRESULT for_each_class(const struct registration *reg,
                              HRESULT (*func)(const struct registration *reg, const struct class_keys *keys))
{
    UINT i, count = ITypeLib_GetTypeInfoCount(reg->typelib);
    struct class_keys keys;
    ITypeInfo *info;
    TYPEKIND kind;
    HRESULT hr = S_OK;

    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        if (FAILED(hr = ITypeLib_GetTypeInfoType(reg->typelib, i, &kind)) || kind != TKIND_COCLASS)
            continue;
        if (FAILED(hr = ITypeLib_GetTypeInfo(reg->typelib, i, &info)))
            break;
        if (SUCCEEDED(hr = get_class_keys(info, &keys)))
        {
            hr = func(reg, &keys);
            SysFreeString(keys.description);
        }
        ITypeInfo_Release(info);
    }
    return hr;
}

/* The interfaces (Interface\{iid}, ProxyStubClsid32) and the proxy/stub
 * class, from the list in dlldata.c. */
static HRESULT register_proxy(BOOL reg)
{
    const ProxyFileInfo **proxies;
    const CLSID *clsid;

    GetProxyDllInfo(&proxies, &clsid);
    if (reg)
        return NdrDllRegisterProxy(scardssp_instance, proxies, clsid);
    return NdrDllUnregisterProxy(scardssp_instance, proxies, clsid);
}

/* The TypeLib key is shared: while the other architecture is registered,
 * only this one's path (TypeLib\{libid}\1.0\0\win32 or win64) goes. */
static HRESULT unregister_typelib(const struct registration *reg)
{
    static const WCHAR *syskinds[] = { L"win16", L"win32", L"mac", L"win64" };
    const TLIBATTR *attr = reg->attr;
    WCHAR libid[39], path[80], *syskind;

    StringFromGUID2(&attr->guid, libid, ARRAY_SIZE(libid));
    swprintf(path, ARRAY_SIZE(path), L"TypeLib\\%s\\%x.%x\\%lx\\", libid, attr->wMajorVerNum,
             attr->wMinorVerNum, attr->lcid);
    syskind = path + wcslen(path);

    wcscpy(syskind, syskinds[attr->syskind == SYS_WIN64 ? SYS_WIN32 : SYS_WIN64]);
    if (key_exists(path, 0))
    {
        wcscpy(syskind, syskinds[attr->syskind]);
        return HRESULT_FROM_WIN32(delete_tree(HKEY_CLASSES_ROOT, path));
    }
    wcscpy(syskind, syskinds[attr->syskind]);
    if (!key_exists(path, 0))
        return S_OK;
    return UnRegisterTypeLib(&attr->guid, attr->wMajorVerNum, attr->wMinorVerNum, attr->lcid, attr->syskind);
}

HRESULT WINAPI DllRegisterServer(void)
{
    struct registration reg;
    HRESULT hr;

    TRACE("\n");

    if (FAILED(hr = registration_init(&reg)))
        return hr;
    if (SUCCEEDED(hr = RegisterTypeLib(reg.typelib, reg.path, NULL))
            && SUCCEEDED(hr = register_proxy(TRUE)))
        hr = for_each_class(&reg, register_class);
    registration_cleanup(&reg);
    return hr;
}

HRESULT WINAPI DllUnregisterServer(void)
{
    struct registration reg;
    HRESULT hr;

    TRACE("\n");

    if (FAILED(hr = registration_init(&reg)))
        return hr;
    if (SUCCEEDED(hr = for_each_class(&reg, unregister_class))
            && SUCCEEDED(hr = register_proxy(FALSE)))
        hr = unregister_typelib(&reg);
    registration_cleanup(&reg);
    return hr;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    TRACE("%p, %lu, %p.\n", instance, reason, reserved);

    switch (reason)
    {
        case DLL_PROCESS_ATTACH:
            scardssp_instance = instance;
            DisableThreadLibraryCalls(instance);
            break;
        case DLL_PROCESS_DETACH:
            if (reserved) break;
            scardssp_dispatch_free();
            release_typelib();
            break;
    }
    return TRUE;
}
