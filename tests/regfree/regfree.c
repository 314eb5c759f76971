/*
 * Registration-free activation: regfree.exe runs beside a copy of
 * scardssp.dll and regfree.exe.manifest (examples/scardssp.manifest),
 * and every object must come from that copy, not from the registered
 * one in system32.  tests/registry.sh runs it once more with nothing
 * registered.
 *
 * min-checks: 16 (tests/run-wine fails a run with fewer)
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

static void test_module_location(void)
{
    WCHAR exe[MAX_PATH], dll[MAX_PATH], *slash;
    HMODULE module;

    module = GetModuleHandleW(L"scardssp.dll");
    ok(module != NULL, "scardssp.dll is not loaded.\n");
    if (!module) return;
    GetModuleFileNameW(NULL, exe, ARRAY_SIZE(exe));
    GetModuleFileNameW(module, dll, ARRAY_SIZE(dll));
    slash = wcsrchr(exe, '\\');
    wcscpy(slash + 1, L"scardssp.dll");
    ok(!wcsicmp(dll, exe), "loaded %ls, expected %ls.\n", dll, exe);
}

/* Classes are found by CLSID through the manifest.  (Its ProgIDs are
 * not tested: Wine 8's activation contexts map them to a garbage CLSID,
 * a Wine bug; Windows resolves them.) */
static void test_classes(void)
{
    static const CLSID *classes[] =
    {
        &CLSID_CByteBuffer, &CLSID_CSCardTypeConv, &CLSID_CSCardCmd, &CLSID_CSCardISO7816,
        &CLSID_CSCard, &CLSID_CSCardDatabase, &CLSID_CSCardLocate,
    };
    unsigned int i;
    IUnknown *unk;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        hr = CoCreateInstance(classes[i], NULL, CLSCTX_INPROC_SERVER, &IID_IDispatch, (void **)&unk);
        ok(hr == S_OK, "class %u: got %#lx.\n", i, hr);
        if (hr == S_OK) IUnknown_Release(unk);
    }
}

static void test_command(void)
{
    static const BYTE expect[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };
    BYTE bytes[16];
    ISCardISO7816 *iso;
    ISCardCmd *cmd = NULL;
    IByteBuffer *apdu;
    DISPID dispid;
    LONG read = 0;
    LPOLESTR name = (LPOLESTR)L"GetChallenge";
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardISO7816, (void **)&iso);
    ok(hr == S_OK, "got %#lx.\n", hr);
    if (hr != S_OK) return;

    /* late binding reads the type library embedded in the local copy */
    hr = ISCardISO7816_GetIDsOfNames(iso, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &dispid);
    ok(hr == S_OK, "got %#lx.\n", hr);
    ok(dispid == 3, "got dispid %ld.\n", dispid);

    hr = ISCardISO7816_GetChallenge(iso, 8, &cmd);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = ISCardCmd_get_Apdu(cmd, &apdu);
    ok(hr == S_OK, "got %#lx.\n", hr);
    hr = IByteBuffer_Read(apdu, bytes, sizeof(bytes), &read);
    ok(hr == S_OK, "got %#lx.\n", hr);
    ok(read == sizeof(expect) && !memcmp(bytes, expect, sizeof(expect)), "wrong APDU, %ld bytes.\n", read);

    IByteBuffer_Release(apdu);
    ISCardCmd_Release(cmd);
    ISCardISO7816_Release(iso);
}

struct mta
{
    HANDLE ready, done;
    IStream *stream;
};

/* An MTA that creates a CSCardCmd, marshals it and lives until told to stop. */
static DWORD WINAPI mta_proc(void *arg)
{
    struct mta *mta = arg;
    ISCardCmd *cmd;
    HRESULT hr;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == S_OK, "got %#lx.\n", hr);
    if (hr == S_OK)
    {
        hr = CoMarshalInterThreadInterfaceInStream(&IID_ISCardCmd, (IUnknown *)cmd, &mta->stream);
        ok(hr == S_OK, "got %#lx.\n", hr);
        ISCardCmd_Release(cmd);
    }
    SetEvent(mta->ready);
    WaitForSingleObject(mta->done, INFINITE);
    CoUninitialize();
    return 0;
}

/* A call into another apartment goes through the proxy/stub that the
 * manifest declares. */
static void test_cross_apartment(void)
{
    struct mta mta = { CreateEventW(NULL, FALSE, FALSE, NULL), CreateEventW(NULL, FALSE, FALSE, NULL), NULL };
    IUnknown *security;
    ISCardCmd *cmd;
    HANDLE thread;
    BYTE ins = 0;
    HRESULT hr;

    thread = CreateThread(NULL, 0, mta_proc, &mta, 0, NULL);
    WaitForSingleObject(mta.ready, INFINITE);
    if (mta.stream)
    {
        hr = CoGetInterfaceAndReleaseStream(mta.stream, &IID_ISCardCmd, (void **)&cmd);
        ok(hr == S_OK, "got %#lx.\n", hr);
        if (hr == S_OK)
        {
            /* a proxy, not the object: it has IClientSecurity */
            hr = ISCardCmd_QueryInterface(cmd, &IID_IClientSecurity, (void **)&security);
            ok(hr == S_OK, "got %#lx.\n", hr);
            if (hr == S_OK) IUnknown_Release(security);

            hr = ISCardCmd_put_InstructionId(cmd, 0x84);
            ok(hr == S_OK, "got %#lx.\n", hr);
            hr = ISCardCmd_get_InstructionId(cmd, &ins);
            ok(hr == S_OK, "got %#lx.\n", hr);
            ok(ins == 0x84, "got %#x.\n", ins);
            ISCardCmd_Release(cmd);
        }
    }
    SetEvent(mta.done);
    WaitForSingleObject(thread, INFINITE);
    CloseHandle(thread);
    CloseHandle(mta.ready);
    CloseHandle(mta.done);
}

START_TEST(regfree)
{
    CoInitialize(NULL);
    test_classes();
    test_command();
    test_cross_apartment();
    test_module_location();
    CoUninitialize();
}
