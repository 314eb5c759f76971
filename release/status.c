/*
 * scardssp-status.exe: what `setup_scardssp.sh status` reports for one
 * architecture of a Wine prefix.  It does what a legacy client does
 * (CoCreateInstance of CSCardDatabase, ListReaders) and says which
 * scardssp.dll answered (path, version resource), which winscard.dll it
 * loaded (Wine's builtin or a native one, the bridge), whether a resource
 * manager answered and the readers it sees.  Exit code 0 when scardssp
 * is registered and the resource manager answered.
 *
 * With --route (the setup script, before it installs the bridge): which
 * Unix side of the bridge this Wine loads for this architecture from the
 * helper's own folder (dlls/winscard/unixcall.c), on a line of its own:
 * "winscard_pcsc.so", "winscard_pcsc.dll.so" or "none", then why.
 *
 * With --registry (the setup script, for what it records and restores):
 * where this architecture's registry says scardssp.dll is, and the user's
 * winscard DllOverrides value, on lines that are always printed, so that
 * "absent" is an answer and a run that never happened is not taken for one:
 *   "scardssp registered: PATH" or "scardssp registered: no"
 *   "winscard override: VALUE", "winscard override: none" (the key, no
 *   value) or "winscard override: no key"
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <wchar.h>
#include "windef.h"
#include "winbase.h"
#include "winver.h"
#include "objbase.h"
#include "oleauto.h"
#include "winternl.h"
#include "scardssp.h"
#include "unixcall.h"
#include "builtin.h"

#ifndef SCARD_E_NO_SERVICE
#define SCARD_E_NO_SERVICE ((HRESULT)0x8010001D)
#define SCARD_E_NO_READERS_AVAILABLE ((HRESULT)0x8010002E)
#endif

static void print_module(const char *what, HMODULE module)
{
    WCHAR path[MAX_PATH];
    VS_FIXEDFILEINFO *info;
    DWORD size, handle;
    UINT len;
    void *data;

    if (!module || !GetModuleFileNameW(module, path, ARRAY_SIZE(path)))
    {
        printf("%s: not loaded\n", what);
        return;
    }
    printf("%s: %ls", what, path);
    if ((size = GetFileVersionInfoSizeW(path, &handle)) && (data = HeapAlloc(GetProcessHeap(), 0, size)))
    {
        if (GetFileVersionInfoW(path, 0, size, data) && VerQueryValueW(data, L"\\", (void **)&info, &len))
            printf(", version %u.%u.%u.%u", HIWORD(info->dwFileVersionMS), LOWORD(info->dwFileVersionMS),
                   HIWORD(info->dwFileVersionLS), LOWORD(info->dwFileVersionLS));
        HeapFree(GetProcessHeap(), 0, data);
    }
    else printf(", no version resource");
    printf("\n");
}

static const char *winscard_kind(HMODULE winscard)
{
    if (!winscard) return "not loaded";
    if (is_wine_builtin(winscard)) return "Wine's builtin";
    return "native (the scardssp bridge under Wine)";
}

/* The route by which the bridge in the folder of MODULE reaches its Unix
 * side (dlls/winscard/unixcall.c); DETAIL gets how that went. */
static enum pcsc_route bridge_route(HMODULE module, char *detail, size_t size)
{
    struct pcsc_unix lib;
    WCHAR dir[MAX_PATH];
    WCHAR *p;
    DWORD len;

    len = GetModuleFileNameW(module, dir, ARRAY_SIZE(dir));
    if (!len || len >= ARRAY_SIZE(dir) || !(p = wcsrchr(dir, '\\')))
    {
        snprintf(detail, size, "the folder of the module is unknown");
        return PCSC_ROUTE_NONE;
    }
    *p = 0;
    if (!pcsc_unix_open(&lib, dir, detail, size)) snprintf(detail, size, "pcsc-lite loads");
    return lib.route;
}

/* Prints NAME, ": " and the string value VALUE of KEY below ROOT, or
 * ABSENT_VALUE when the key has no such value, ABSENT_KEY when there is no
 * key.  FALSE when the registry answered something else. */
static BOOL print_value(const char *name, HKEY root, const WCHAR *key, const WCHAR *value,
                        const char *absent_key, const char *absent_value)
{
    WCHAR data[MAX_PATH + 1];
    DWORD size = sizeof(data) - sizeof(WCHAR), type;
    LSTATUS err;
    HKEY hkey;

    if ((err = RegOpenKeyExW(root, key, 0, KEY_QUERY_VALUE, &hkey)) == ERROR_FILE_NOT_FOUND)
    {
        printf("%s: %s\n", name, absent_key);
        return TRUE;
    }
    if (err)
    {
        printf("%s: error %ld\n", name, err);
        return FALSE;
    }
    err = RegQueryValueExW(hkey, value, NULL, &type, (BYTE *)data, &size);
    RegCloseKey(hkey);
    if (err == ERROR_FILE_NOT_FOUND) printf("%s: %s\n", name, absent_value);
    else if (err || (type != REG_SZ && type != REG_EXPAND_SZ)) printf("%s: error %ld, type %lu\n", name, err, type);
    else
    {
        data[size / sizeof(WCHAR)] = 0;
        printf("%s: %ls\n", name, data);
        return TRUE;
    }
    return err == ERROR_FILE_NOT_FOUND;
}

int main(int argc, char **argv)
{
    ISCardDatabase *database;
    SAFEARRAY *readers = NULL;
    HMODULE winscard;
    LONG i, lower, upper;
    BSTR *names;
    HRESULT hr;
    int ret = 1;

    char detail[512];

    if (argc == 2 && !strcmp(argv[1], "--route"))
    {
        enum pcsc_route route = bridge_route(NULL, detail, sizeof(detail));

        printf("%s\n%s\n", pcsc_route_name(route), detail);
        return route == PCSC_ROUTE_NONE;
    }
    if (argc == 2 && !strcmp(argv[1], "--registry"))
    {
        WCHAR clsid[39], key[80];
        BOOL ok;

        StringFromGUID2(&CLSID_CSCard, clsid, ARRAY_SIZE(clsid));
        swprintf(key, ARRAY_SIZE(key), L"CLSID\\%ls\\InprocServer32", clsid);
        ok = print_value("scardssp registered", HKEY_CLASSES_ROOT, key, NULL, "no", "no");
        ok &= print_value("winscard override", HKEY_CURRENT_USER, L"Software\\Wine\\DllOverrides",
                          L"winscard", "no key", "none");
        return !ok;
    }

    CoInitialize(NULL);
    hr = CoCreateInstance(&CLSID_CSCardDatabase, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardDatabase, (void **)&database);
    if (hr != S_OK)
    {
        printf("scardssp.dll: not registered for this architecture (CoCreateInstance: %#lx)\n", hr);
        CoUninitialize();
        return 1;
    }
    print_module("scardssp.dll", GetModuleHandleW(L"scardssp.dll"));
    hr = ISCardDatabase_ListReaders(database, 0x0409, &readers);
    winscard = GetModuleHandleW(L"winscard.dll");
    printf("winscard.dll: %s\n", winscard_kind(winscard));
    if (winscard && !is_wine_builtin(winscard))
    {
        enum pcsc_route route = bridge_route(winscard, detail, sizeof(detail));

        printf("bridge's Unix side: %s (%s)\n", pcsc_route_name(route), detail);
    }
    if (hr == SCARD_E_NO_SERVICE)
        printf("resource manager: does not answer (SCARD_E_NO_SERVICE: is pcscd running?)\n");
    else if (hr == SCARD_E_NO_READERS_AVAILABLE)
    {
        printf("resource manager: answers\nreaders: none\n");
        ret = 0;
    }
    else if (hr != S_OK)
        printf("resource manager: ListReaders failed, %#lx\n", hr);
    else
    {
        SafeArrayGetLBound(readers, 1, &lower);
        SafeArrayGetUBound(readers, 1, &upper);
        printf("resource manager: answers\nreaders: %ld\n", upper - lower + 1);
        if (SUCCEEDED(SafeArrayAccessData(readers, (void **)&names)))
        {
            for (i = 0; i <= upper - lower; ++i) printf("  %ls\n", names[i]);
            SafeArrayUnaccessData(readers);
        }
        SafeArrayDestroy(readers);
        ret = 0;
    }
    ISCardDatabase_Release(database);
    CoUninitialize();
    return ret;
}
