/*
 * winscard bridge, PE side: finding and calling the Unix side
 *
 * The Unix side (unixlib.c) is a file beside winscard.dll, reached by one
 * of two routes, tried in this order:
 *
 * - winscard_pcsc.so, a Unix library that ntdll loads by its path
 *   (NtQueryVirtualMemory's MemoryWineLoadUnixLibByName, Wine 11.2 and
 *   later, for native modules too) and that is called through ntdll's
 *   __wine_unix_call_dispatcher.  A 32-bit program in Wine's new WoW64
 *   mode (one 64-bit Unix side) gets the library's
 *   __wine_unix_call_wow64_funcs: one 64-bit library serves both
 *   architectures.
 * - winscard_pcsc.dll.so, a winelib module loaded with LoadLibrary by its
 *   path and called through its export winscard_pcsc_call: every Wine
 *   version, but for 32-bit programs only in the old WoW64 mode, where
 *   the program runs in an i386 Unix process that can load an i386 module.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "ntstatus.h"
#define WIN32_NO_STATUS
#include "windef.h"
#include "winbase.h"
#include "winternl.h"
#include "unixcall.h"

/* Wine's private information class (include/winternl.h, under __WINESRC__):
 * 1000 + 2 since Wine 11.2, unknown before. */
#define MEMORY_WINE_LOAD_UNIX_LIB_BY_NAME ((MEMORY_INFORMATION_CLASS)1002)

#define PCSC_E_NO_SERVICE ((LONG)0x8010001D)

/* Whether this is Wine MAJOR.MINOR or later (wine_get_version: "11.10", "11.2-rc1" ...). */
static BOOL wine_at_least(unsigned long major, unsigned long minor)
{
    const char * (CDECL *get_version)(void);
    unsigned long got_major, got_minor = 0;
    const char *version;
    char *end;

    if (!(get_version = (void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version"))
            || !(version = get_version()))
        return FALSE;
    got_major = strtoul(version, &end, 10);
    if (*end == '.') got_minor = strtoul(end + 1, NULL, 10);
    return got_major > major || (got_major == major && got_minor >= minor);
}

static BOOL open_unixlib(struct pcsc_unix *lib, const WCHAR *dir, char *error, size_t size)
{
    static const WCHAR name[] = L"winscard_pcsc.so";
    WCHAR path[MAX_PATH + 8];
    UNICODE_STRING nt_path;
    UINT64 loaded[2];
    void **dispatcher;
    NTSTATUS status;

    if (!wine_at_least(11, 2))
    {
        snprintf(error, size, "no %ls: Wine before 11.2 cannot load it", name);
        return FALSE;
    }
    if (_snwprintf(path, ARRAY_SIZE(path), L"\\??\\%s\\%s", dir, name) < 0)
    {
        snprintf(error, size, "the path of %ls is too long", name);
        return FALSE;
    }
    path[ARRAY_SIZE(path) - 1] = 0;
    /* the variable of ntdll's data export (what winecrt0 reads too) */
    dispatcher = (void **)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "__wine_unix_call_dispatcher");
    if (!dispatcher || !*dispatcher)
    {
        snprintf(error, size, "ntdll has no __wine_unix_call_dispatcher");
        return FALSE;
    }
    RtlInitUnicodeString(&nt_path, path);
    if ((status = NtQueryVirtualMemory(GetCurrentProcess(), &nt_path, MEMORY_WINE_LOAD_UNIX_LIB_BY_NAME,
                                       loaded, sizeof(loaded), NULL)))
    {
        snprintf(error, size, "cannot load %ls (status %#lx)", path + 4, (unsigned long)status);
        return FALSE;
    }
    lib->handle = loaded[1];
    lib->dispatcher = *dispatcher;
    lib->route = PCSC_ROUTE_UNIXLIB;
    return TRUE;
}

static BOOL open_winelib(struct pcsc_unix *lib, const WCHAR *dir, char *error, size_t size)
{
    static const WCHAR name[] = L"winscard_pcsc.dll.so";
    WCHAR path[MAX_PATH + 8];
    HMODULE module;

    if (_snwprintf(path, ARRAY_SIZE(path), L"%s\\%s", dir, name) < 0)
    {
        snprintf(error, size, "the path of %ls is too long", name);
        return FALSE;
    }
    path[ARRAY_SIZE(path) - 1] = 0;
    if (!(module = LoadLibraryW(path)))
    {
        snprintf(error, size, "cannot load %ls (error %lu)", path, GetLastError());
        return FALSE;
    }
    if (!(lib->call = (pcsc_call_func)(void *)GetProcAddress(module, "winscard_pcsc_call")))
    {
        snprintf(error, size, "%ls has no winscard_pcsc_call export", path);
        FreeLibrary(module);
        return FALSE;
    }
    lib->route = PCSC_ROUTE_WINELIB;
    return TRUE;
}

LONG pcsc_unix_open(struct pcsc_unix *lib, const WCHAR *dir, char *error, size_t size)
{
    struct pcsc_init_params params;
    char unixlib_error[256];
    LONG ret;

    memset(lib, 0, sizeof(*lib));
    if (!open_unixlib(lib, dir, unixlib_error, sizeof(unixlib_error)))
    {
        char winelib_error[256];

        if (!open_winelib(lib, dir, winelib_error, sizeof(winelib_error)))
        {
            snprintf(error, size, "%s; %s", unixlib_error, winelib_error);
            return PCSC_E_NO_SERVICE;
        }
    }

    memset(&params, 0, sizeof(params));
    params.version = PCSC_BRIDGE_VERSION;
    params.sizes[0] = sizeof(struct pcsc_init_params);
    params.sizes[1] = sizeof(struct pcsc_list_params);
    params.sizes[2] = sizeof(struct pcsc_reader_state);
    params.sizes[3] = sizeof(struct pcsc_status_params);
    params.sizes[4] = sizeof(struct pcsc_transmit_params);
    params.sizes[5] = sizeof(struct pcsc_control_params);
    params.sizes[6] = sizeof(struct pcsc_connect_params);
    params.sizes[7] = sizeof(struct pcsc_attrib_params);
    if ((ret = pcsc_unix_call(lib, unix_init, &params)))
    {
        params.error[sizeof(params.error) - 1] = 0;
        snprintf(error, size, "%s: cannot use pcsc-lite (%#lx): %s", pcsc_route_name(lib->route),
                 (unsigned long)ret, params.error);
        return ret;
    }
    error[0] = 0;
    return 0;
}

LONG pcsc_unix_call(const struct pcsc_unix *lib, enum pcsc_funcs code, void *params)
{
    switch (lib->route)
    {
    case PCSC_ROUTE_UNIXLIB: return lib->dispatcher(lib->handle, code, params);
    case PCSC_ROUTE_WINELIB: return lib->call(code, params);
    default: return PCSC_E_NO_SERVICE;
    }
}

const char *pcsc_route_name(enum pcsc_route route)
{
    switch (route)
    {
    case PCSC_ROUTE_UNIXLIB: return "winscard_pcsc.so";
    case PCSC_ROUTE_WINELIB: return "winscard_pcsc.dll.so";
    default: return "none";
    }
}
