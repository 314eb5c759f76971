/*
 * Tests for calls across apartments: objects marshaled by the
 * proxy/stub that scardssp.dll registers for its interfaces
 *
 * min-checks: 76 (tests/run-wine fails a run with fewer)
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

struct mta_thread
{
    HANDLE thread, ready, done;
    const CLSID *clsid;
    const IID *iid;
    IStream *stream;
    DWORD thread_id;
    HRESULT hr;
};

/* An MTA that creates one object, marshals it into a stream and keeps
 * the apartment alive until told to stop. */
static DWORD WINAPI mta_proc(void *arg)
{
    struct mta_thread *mta = arg;
    IUnknown *obj = NULL;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    mta->thread_id = GetCurrentThreadId();
    mta->hr = CoCreateInstance(mta->clsid, NULL, CLSCTX_INPROC_SERVER, mta->iid, (void **)&obj);
    if (SUCCEEDED(mta->hr))
        mta->hr = CoMarshalInterThreadInterfaceInStream(mta->iid, obj, &mta->stream);
    SetEvent(mta->ready);
    WaitForSingleObject(mta->done, INFINITE);
    if (obj)
        IUnknown_Release(obj);
    CoUninitialize();
    return 0;
}

static void *start_mta(struct mta_thread *mta, REFCLSID clsid, REFIID iid)
{
    void *proxy = NULL;
    HRESULT hr;

    mta->clsid = clsid;
    mta->iid = iid;
    mta->stream = NULL;
    mta->ready = CreateEventW(NULL, FALSE, FALSE, NULL);
    mta->done = CreateEventW(NULL, FALSE, FALSE, NULL);
    mta->thread = CreateThread(NULL, 0, mta_proc, mta, 0, NULL);
    WaitForSingleObject(mta->ready, INFINITE);
    ok(mta->hr == S_OK, "Got hr %#lx.\n", mta->hr);
    if (!mta->stream)
        return NULL;
    hr = CoGetInterfaceAndReleaseStream(mta->stream, iid, &proxy);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return proxy;
}

static void stop_mta(struct mta_thread *mta)
{
    SetEvent(mta->done);
    WaitForSingleObject(mta->thread, INFINITE);
    CloseHandle(mta->thread);
    CloseHandle(mta->ready);
    CloseHandle(mta->done);
}

/* A proxy, not the object: it has IClientSecurity, the object has not. */
#define check_proxy(a, b) check_proxy_(__LINE__, a, b)
static void check_proxy_(unsigned int line, void *iface, BOOL expected)
{
    IUnknown *unk;
    HRESULT hr;

    hr = IUnknown_QueryInterface((IUnknown *)iface, &IID_IClientSecurity, (void **)&unk);
    ok_(__FILE__, line)(hr == (expected ? S_OK : E_NOINTERFACE), "Got hr %#lx.\n", hr);
    if (SUCCEEDED(hr))
        IUnknown_Release(unk);
}

#define check_buffer(a, b, c) check_buffer_(__LINE__, a, b, c)
static void check_buffer_(unsigned int line, IByteBuffer *buffer, const BYTE *expected, LONG size)
{
    LONG count = -1, position = -1;
    BYTE data[32];
    HRESULT hr;

    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, &position);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(position == 0, "Got position %ld.\n", position);
    memset(data, 0xcc, sizeof(data));
    hr = IByteBuffer_Read(buffer, data, sizeof(data), &count);
    ok_(__FILE__, line)(hr == S_OK || hr == S_FALSE, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(count == size, "Got %ld bytes, expected %ld.\n", count, size);
    ok_(__FILE__, line)(!memcmp(data, expected, size), "Got %02x %02x %02x %02x %02x %02x %02x.\n",
            data[0], data[1], data[2], data[3], data[4], data[5], data[6]);
}

/* An ISCardCmd of an MTA, used from this STA through the proxy. */
static void test_cmd_from_mta(void)
{
    static const BYTE select[] = {0x00, 0xa4, 0x04, 0x00, 0x02, 0x3f, 0x00, 0x10};
    struct mta_thread mta;
    IByteBuffer *buffer, *apdu = NULL;
    ISCardCmd *cmd;
    LONG le = 16, length = -1, written = -1;
    BYTE byte = 0;
    HRESULT hr;

    if (!(cmd = start_mta(&mta, &CLSID_CSCardCmd, &IID_ISCardCmd)))
    {
        stop_mta(&mta);
        return;
    }
    check_proxy(cmd, TRUE);

    hr = ISCardCmd_put_P1(cmd, 0x12);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_P1(cmd, &byte);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(byte == 0x12, "Got P1 %#x.\n", byte);

    /* a byte buffer of this apartment goes to the MTA's object */
    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_proxy(buffer, FALSE);
    hr = IByteBuffer_Write(buffer, (BYTE *)"\x3f\x00", 2, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(written == 2, "Wrote %ld bytes.\n", written);

    hr = ISCardCmd_BuildCmd(cmd, 0x00, 0xa4, 0x04, 0x00, buffer, &le);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(le == 16, "Le changed to %ld.\n", le);
    hr = ISCardCmd_get_ApduLength(cmd, &length);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(length == sizeof(select), "Got length %ld.\n", length);
    hr = ISCardCmd_get_P3(cmd, &byte);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(byte == 2, "Got P3 %u.\n", byte);

    /* and the MTA's byte buffer comes back, read through its proxy */
    hr = ISCardCmd_get_Apdu(cmd, &apdu);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (apdu)
    {
        check_proxy(apdu, TRUE);
        check_buffer(apdu, select, sizeof(select));
        IByteBuffer_Release(apdu);
    }

    /* errors cross too */
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == E_ACCESSDENIED, "Got hr %#lx.\n", hr);
    /* an [out] pointer is a [ref] pointer, as in the original proxy: the
     * proxy refuses NULL before the object sees the call */
    hr = ISCardCmd_get_P1(cmd, NULL);
    ok(hr == HRESULT_FROM_WIN32(RPC_X_NULL_REF_POINTER), "Got hr %#lx.\n", hr);

    /* and so does late binding, through the proxy's IDispatch */
    {
        DISPPARAMS params = { NULL, NULL, 0, 0 };
        IDispatch *disp;
        VARIANT result;

        hr = ISCardCmd_QueryInterface(cmd, &IID_IDispatch, (void **)&disp);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        VariantInit(&result);
        hr = IDispatch_Invoke(disp, 1 /* ApduLength */, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_PROPERTYGET,
                &params, &result, NULL, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(V_VT(&result) == VT_I4 && V_I4(&result) == sizeof(select), "Got type %d, %ld.\n",
                V_VT(&result), V_I4(&result));
        IDispatch_Release(disp);
    }

    IByteBuffer_Release(buffer);
    ISCardCmd_Release(cmd);
    stop_mta(&mta);
}

/* Each interface of the DLL has a proxy (ISCard needs no card to be
 * created, so it is here too). */
static void test_all_interfaces(void)
{
    static const struct { REFCLSID clsid; REFIID iid; } classes[] =
    {
        {&CLSID_CByteBuffer, &IID_IByteBuffer},
        {&CLSID_CSCardTypeConv, &IID_ISCardTypeConv},
        {&CLSID_CSCardCmd, &IID_ISCardCmd},
        {&CLSID_CSCardISO7816, &IID_ISCardISO7816},
        {&CLSID_CSCard, &IID_ISCard},
        {&CLSID_CSCardDatabase, &IID_ISCardDatabase},
        {&CLSID_CSCardLocate, &IID_ISCardLocate},
    };
    struct mta_thread mta;
    unsigned int i;
    IUnknown *proxy;
    ITypeInfo *info;
    UINT count;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        winetest_push_context("%u", i);
        if ((proxy = start_mta(&mta, classes[i].clsid, classes[i].iid)))
        {
            check_proxy(proxy, TRUE);
            hr = IDispatch_GetTypeInfoCount((IDispatch *)proxy, &count);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            ok(count == 1, "Got count %u.\n", count);
            hr = IDispatch_GetTypeInfo((IDispatch *)proxy, 0, 0, &info);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            if (SUCCEEDED(hr))
                ITypeInfo_Release(info);
            ok(IUnknown_Release(proxy) == 0, "Proxy still referenced.\n");
        }
        stop_mta(&mta);
        winetest_pop_context();
    }
}

/* With ThreadingModel Both, another MTA thread gets the object itself. */
static DWORD WINAPI mta_user_proc(void *arg)
{
    struct mta_thread *mta = arg;
    ISCardCmd *cmd = NULL;
    HRESULT hr;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    hr = CoGetInterfaceAndReleaseStream(mta->stream, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (cmd)
    {
        check_proxy(cmd, FALSE);
        ISCardCmd_Release(cmd);
    }
    CoUninitialize();
    return 0;
}

static void test_mta_to_mta(void)
{
    struct mta_thread mta;
    HANDLE thread;

    mta.ready = CreateEventW(NULL, FALSE, FALSE, NULL);
    mta.done = CreateEventW(NULL, FALSE, FALSE, NULL);
    mta.clsid = &CLSID_CSCardCmd;
    mta.iid = &IID_ISCardCmd;
    mta.stream = NULL;
    mta.thread = CreateThread(NULL, 0, mta_proc, &mta, 0, NULL);
    WaitForSingleObject(mta.ready, INFINITE);
    ok(mta.hr == S_OK, "Got hr %#lx.\n", mta.hr);
    if (mta.stream)
    {
        thread = CreateThread(NULL, 0, mta_user_proc, &mta, 0, NULL);
        WaitForSingleObject(thread, INFINITE);
        CloseHandle(thread);
    }
    stop_mta(&mta);
}

START_TEST(apartment)
{
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);

    test_cmd_from_mta();
    test_all_interfaces();
    test_mta_to_mta();

    CoUninitialize();
}
