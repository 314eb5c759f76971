/*
 * Activation by ProgID: what DllRegisterServer wrote for every class.
 * tests/registry.sh also runs this program while only its own
 * architecture is registered (the other one unregistered).
 *
 * min-checks: 71 (tests/run-wine fails a run with fewer)
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

static const struct
{
    const WCHAR *name;      /* the ProgIDs are SCardSSP.<name> and SCardSSP.<name>.1 */
    const CLSID *clsid;
    const IID *iid;         /* the default interface */
}
classes[] =
{
    { L"ByteBuffer",    &CLSID_CByteBuffer,    &IID_IByteBuffer },
    { L"SCardTypeConv", &CLSID_CSCardTypeConv, &IID_ISCardTypeConv },
    { L"SCardCmd",      &CLSID_CSCardCmd,      &IID_ISCardCmd },
    { L"SCardISO7816",  &CLSID_CSCardISO7816,  &IID_ISCardISO7816 },
    { L"SCard",         &CLSID_CSCard,         &IID_ISCard },
    { L"SCardDatabase", &CLSID_CSCardDatabase, &IID_ISCardDatabase },
    { L"SCardLocate",   &CLSID_CSCardLocate,   &IID_ISCardLocate },
};

static void test_progids(void)
{
    WCHAR progid[64], str[39], *got;
    unsigned int i, j;
    IUnknown *unk;
    CLSID clsid;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        for (j = 0; j < 2; ++j)
        {
            swprintf(progid, ARRAY_SIZE(progid), j ? L"SCardSSP.%s.1" : L"SCardSSP.%s", classes[i].name);
            memset(&clsid, 0, sizeof(clsid));
            hr = CLSIDFromProgID(progid, &clsid);
            ok(hr == S_OK, "%ls: got %#lx.\n", progid, hr);
            StringFromGUID2(&clsid, str, ARRAY_SIZE(str));
            ok(IsEqualCLSID(&clsid, classes[i].clsid), "%ls: got %ls.\n", progid, str);

            unk = NULL;
            hr = CoCreateInstance(&clsid, NULL, CLSCTX_INPROC_SERVER, classes[i].iid, (void **)&unk);
            ok(hr == S_OK, "%ls: got %#lx.\n", progid, hr);
            ok(!!unk, "%ls: no object.\n", progid);
            if (unk) IUnknown_Release(unk);
        }

        hr = ProgIDFromCLSID(classes[i].clsid, &got);
        swprintf(progid, ARRAY_SIZE(progid), L"SCardSSP.%s.1", classes[i].name);
        ok(hr == S_OK, "%ls: got %#lx.\n", progid, hr);
        if (hr == S_OK)
        {
            ok(!wcscmp(got, progid), "got %ls, expected %ls.\n", got, progid);
            CoTaskMemFree(got);
        }
    }

    hr = CLSIDFromProgID(L"SCardSSP.NoSuchClass", &clsid);
    ok(hr == CO_E_CLASSSTRING, "got %#lx.\n", hr);
}

START_TEST(progid)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    test_progids();
    CoUninitialize();
}
