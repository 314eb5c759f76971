/*
 * Registration-free use of the Windows package, as its README tells:
 * apartments.exe runs in a prefix where nothing of scardssp is registered,
 * beside scardssp.dll and scardssp.sxs.manifest of its architecture and
 * the package's yourapp.exe.manifest saved as apartments.exe.manifest.
 * Built with plain mingw-w64 against its own scardssp.h, as a program of
 * someone else.  Every class is created from an STA and from an MTA
 * thread, from the DLL beside the program; an ISCardCmd made in the MTA is
 * called from the STA through a proxy (the manifest's proxy/stub).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <windows.h>
#include <ole2.h>
#include <scardssp.h>
#include <sspguid.h>

#include "wine/test.h"

#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))

static const struct { const CLSID *clsid; const char *name; } classes[] =
{
    { &CLSID_CByteBuffer, "CByteBuffer" }, { &CLSID_CSCardTypeConv, "CSCardTypeConv" },
    { &CLSID_CSCardCmd, "CSCardCmd" }, { &CLSID_CSCardISO7816, "CSCardISO7816" },
    { &CLSID_CSCard, "CSCard" }, { &CLSID_CSCardDatabase, "CSCardDatabase" },
    { &CLSID_CSCardLocate, "CSCardLocate" },
};

/* Every class, from this thread's apartment, and from the DLL beside the program. */
static void test_create_all(const char *apartment)
{
    char exe[MAX_PATH], dll[MAX_PATH], *slash;
    IUnknown *unk;
    HMODULE module;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        hr = CoCreateInstance(classes[i].clsid, NULL, CLSCTX_INPROC_SERVER, &IID_IUnknown, (void **)&unk);
        ok(hr == S_OK, "%s: %s: got %#lx.\n", apartment, classes[i].name, hr);
        if (hr == S_OK) IUnknown_Release(unk);
    }
    module = GetModuleHandleA("scardssp.dll");
    ok(module != NULL, "%s: scardssp.dll is not loaded.\n", apartment);
    if (!module) return;
    GetModuleFileNameA(NULL, exe, sizeof(exe));
    GetModuleFileNameA(module, dll, sizeof(dll));
    slash = strrchr(exe, '\\');
    strcpy(slash + 1, "scardssp.dll");
    ok(!lstrcmpiA(dll, exe), "%s: loaded %s, expected %s.\n", apartment, dll, exe);
}

struct mta_thread
{
    HANDLE created, done;
    IStream *stream;    /* the marshaled ISCardCmd */
};

static DWORD WINAPI mta_thread(void *arg)
{
    struct mta_thread *thread = arg;
    ISCardCmd *cmd;
    HRESULT hr;

    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    ok(hr == S_OK, "CoInitializeEx(MTA): got %#lx.\n", hr);
    test_create_all("MTA");

    hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == S_OK, "MTA: CSCardCmd: got %#lx.\n", hr);
    if (hr == S_OK)
    {
        hr = ISCardCmd_put_P1(cmd, 0x42);
        ok(hr == S_OK, "MTA: put_P1: got %#lx.\n", hr);
        hr = CoMarshalInterThreadInterfaceInStream(&IID_ISCardCmd, (IUnknown *)cmd, &thread->stream);
        ok(hr == S_OK, "CoMarshalInterThreadInterfaceInStream: got %#lx.\n", hr);
        ISCardCmd_Release(cmd);
    }
    SetEvent(thread->created);
    /* the apartment serves the STA's calls until the STA is done */
    WaitForSingleObject(thread->done, INFINITE);
    CoUninitialize();
    return 0;
}

/* The STA calls the MTA's object through the proxy/stub of the manifest. */
static void test_cross_apartment(struct mta_thread *thread)
{
    IClientSecurity *security;
    ISCardCmd *proxy;
    BYTE p1 = 0;
    HRESULT hr;

    if (!thread->stream) return;
    hr = CoGetInterfaceAndReleaseStream(thread->stream, &IID_ISCardCmd, (void **)&proxy);
    ok(hr == S_OK, "CoGetInterfaceAndReleaseStream: got %#lx.\n", hr);
    if (hr != S_OK) return;
    /* only a proxy answers IClientSecurity: the call below crosses apartments */
    hr = ISCardCmd_QueryInterface(proxy, &IID_IClientSecurity, (void **)&security);
    ok(hr == S_OK, "IClientSecurity: got %#lx (not a proxy?).\n", hr);
    if (hr == S_OK) IClientSecurity_Release(security);
    hr = ISCardCmd_get_P1(proxy, &p1);
    ok(hr == S_OK, "get_P1 through the proxy: got %#lx.\n", hr);
    ok(p1 == 0x42, "get_P1 through the proxy: got %#x.\n", p1);
    hr = ISCardCmd_put_P2(proxy, 0x24);
    ok(hr == S_OK, "put_P2 through the proxy: got %#lx.\n", hr);
    ISCardCmd_Release(proxy);
}

START_TEST(apartments)
{
    struct mta_thread thread = { 0 };
    HANDLE handle;
    HRESULT hr;

    hr = CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    ok(hr == S_OK, "CoInitializeEx(STA): got %#lx.\n", hr);
    test_create_all("STA");

    thread.created = CreateEventA(NULL, TRUE, FALSE, NULL);
    thread.done = CreateEventA(NULL, TRUE, FALSE, NULL);
    handle = CreateThread(NULL, 0, mta_thread, &thread, 0, NULL);
    ok(WaitForSingleObject(thread.created, 30000) == WAIT_OBJECT_0, "the MTA thread did not answer.\n");
    test_cross_apartment(&thread);
    SetEvent(thread.done);
    WaitForSingleObject(handle, 30000);
    CloseHandle(handle);
    CloseHandle(thread.created);
    CloseHandle(thread.done);
    CoUninitialize();
}
