/*
 * The version resource of scardssp.dll: FileVersion 6.X.Y.Z for the
 * project's version X.Y.Z (ProductVersion), so that version-comparing
 * installers carrying Windows XP's scardssp.dll (5.1.2600.x) never
 * replace it; and its strings.
 *
 * min-checks: 31 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdarg.h>
#include <stdlib.h>

#include "windef.h"
#include "winbase.h"
#include "winver.h"

#include "wine/test.h"

static void *get_version_info(void)
{
    WCHAR path[MAX_PATH];
    HMODULE module;
    DWORD size, handle;
    void *data;
    BOOL ret;

    module = LoadLibraryW(L"scardssp.dll");
    ok(!!module, "LoadLibrary failed, error %lu.\n", GetLastError());
    if (!module) return NULL;
    GetModuleFileNameW(module, path, ARRAY_SIZE(path));
    FreeLibrary(module);

    size = GetFileVersionInfoSizeW(path, &handle);
    ok(size > 0, "no version resource, error %lu.\n", GetLastError());
    if (!size) return NULL;
    data = malloc(size);
    ret = GetFileVersionInfoW(path, 0, size, data);
    ok(ret, "GetFileVersionInfo failed, error %lu.\n", GetLastError());
    return data;
}

static void check_string(void *data, const WCHAR *name, const WCHAR *expect)
{
    WCHAR path[64];
    WCHAR *value;
    UINT len;
    BOOL ret;

    swprintf(path, ARRAY_SIZE(path), L"\\StringFileInfo\\040904B0\\%s", name);
    ret = VerQueryValueW(data, path, (void **)&value, &len);
    ok(ret, "%ls: not found.\n", name);
    if (!ret) return;
    ok(!wcscmp(value, expect), "%ls: got %ls, expected %ls.\n", name, value, expect);
}

static void test_version(void)
{
    VS_FIXEDFILEINFO *fixed;
    WCHAR expect[64];
    WORD *translation;
    void *data;
    UINT len;
    BOOL ret;

    if (!(data = get_version_info())) return;

    ret = VerQueryValueW(data, L"\\", (void **)&fixed, &len);
    ok(ret && len == sizeof(*fixed), "got %d, len %u.\n", ret, len);
    if (!ret) goto done;
    ok(fixed->dwSignature == VS_FFI_SIGNATURE, "got signature %#lx.\n", fixed->dwSignature);
    /* 6.X.Y.Z for the product version X.Y.Z */
    ok(HIWORD(fixed->dwFileVersionMS) == 6, "got file version %#lx.\n", fixed->dwFileVersionMS);
    ok(LOWORD(fixed->dwFileVersionMS) == HIWORD(fixed->dwProductVersionMS)
            && HIWORD(fixed->dwFileVersionLS) == LOWORD(fixed->dwProductVersionMS)
            && LOWORD(fixed->dwFileVersionLS) == HIWORD(fixed->dwProductVersionLS)
            && !LOWORD(fixed->dwProductVersionLS),
            "file version %#lx %#lx, product version %#lx %#lx.\n", fixed->dwFileVersionMS,
            fixed->dwFileVersionLS, fixed->dwProductVersionMS, fixed->dwProductVersionLS);
    /* higher than any Windows XP build (5.1.2600.x) */
    ok(fixed->dwFileVersionMS > MAKELONG(1, 5), "got file version %#lx.\n", fixed->dwFileVersionMS);
    ok(fixed->dwFileFlagsMask == VS_FFI_FILEFLAGSMASK, "got mask %#lx.\n", fixed->dwFileFlagsMask);
    ok(!fixed->dwFileFlags, "got flags %#lx.\n", fixed->dwFileFlags);
    ok(fixed->dwFileOS == VOS_NT_WINDOWS32, "got OS %#lx.\n", fixed->dwFileOS);
    ok(fixed->dwFileType == VFT_DLL, "got type %#lx.\n", fixed->dwFileType);
    ok(fixed->dwFileSubtype == VFT2_UNKNOWN, "got subtype %#lx.\n", fixed->dwFileSubtype);

    ret = VerQueryValueW(data, L"\\VarFileInfo\\Translation", (void **)&translation, &len);
    ok(ret && len == 4, "got %d, len %u.\n", ret, len);
    if (ret && len == 4)
        ok(translation[0] == 0x0409 && translation[1] == 1200, "got %#x %u.\n", translation[0], translation[1]);

    swprintf(expect, ARRAY_SIZE(expect), L"%u.%u.%u.%u", HIWORD(fixed->dwFileVersionMS),
             LOWORD(fixed->dwFileVersionMS), HIWORD(fixed->dwFileVersionLS), LOWORD(fixed->dwFileVersionLS));
    check_string(data, L"FileVersion", expect);
    /* the project's version as it names itself: X.Y, or X.Y.Z when Z is not 0 */
    swprintf(expect, ARRAY_SIZE(expect), HIWORD(fixed->dwProductVersionLS) ? L"%u.%u.%u" : L"%u.%u",
             HIWORD(fixed->dwProductVersionMS), LOWORD(fixed->dwProductVersionMS), HIWORD(fixed->dwProductVersionLS));
    check_string(data, L"ProductVersion", expect);
    check_string(data, L"CompanyName", L"The scardssp project");
    check_string(data, L"FileDescription", L"Smart Card Service Provider COM objects (scardssp)");
    check_string(data, L"InternalName", L"scardssp");
    check_string(data, L"LegalCopyright", L"The scardssp authors; GNU Lesser General Public License 2.1 or later");
    check_string(data, L"OriginalFilename", L"scardssp.dll");
    check_string(data, L"ProductName", L"scardssp");

done:
    free(data);
}

START_TEST(version)
{
    test_version();
}
