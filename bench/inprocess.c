/*
 * scardssp's own cost (a benchmark, not a test): one round of every figure,
 * against the loopback winscard.dll beside this program (bench/loopback),
 * which answers at once.  Prints one line per figure, "NAME NANOSECONDS"
 * per call; tools/bench runs rounds of it interleaved with the VBScript
 * loop and prints the medians as overhead above direct SCardTransmit.
 *   inprocess.exe SCARDSSP.DLL N
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "winscard.h"
#include "scardssp.h"

#include "transact.h"

/* Not declared by Wine 8's winscard.h. */
extern const SCARD_IO_REQUEST g_rgSCardT0Pci DECLSPEC_IMPORT;
extern const SCARD_IO_REQUEST g_rgSCardT1Pci DECLSPEC_IMPORT;

static HRESULT (WINAPI *get_class_object)(REFCLSID, REFIID, void **);

static void fail(const char *what, HRESULT hr)
{
    fprintf(stderr, "inprocess: %s failed: %#lx\n", what, hr);
    exit(1);
}

static void *create(REFCLSID clsid, REFIID iid)
{
    IClassFactory *factory;
    void *obj;
    HRESULT hr;

    if (FAILED(hr = get_class_object(clsid, &IID_IClassFactory, (void **)&factory))) fail("DllGetClassObject", hr);
    if (FAILED(hr = IClassFactory_CreateInstance(factory, NULL, iid, &obj))) fail("CreateInstance", hr);
    IClassFactory_Release(factory);
    return obj;
}

static ISCard *attach(const WCHAR *reader)
{
    ISCard *card = create(&CLSID_CSCard, &IID_ISCard);
    BSTR name = SysAllocString(reader);
    HRESULT hr;

    if (FAILED(hr = ISCard_AttachByReader(card, name, SHARED, T0 | T1))) fail("AttachByReader", hr);
    SysFreeString(name);
    return card;
}

static ISCardCmd *command(const BYTE *apdu, LONG len)
{
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd);
    ISCardTypeConv *conv = create(&CLSID_CSCardTypeConv, &IID_ISCardTypeConv);
    IByteBuffer *buffer;
    HRESULT hr;

    if (FAILED(hr = ISCardTypeConv_CreateByteBuffer(conv, len, &buffer))) fail("CreateByteBuffer", hr);
    IByteBuffer_Write(buffer, (BYTE *)apdu, len, NULL);
    if (FAILED(hr = ISCardCmd_put_Apdu(cmd, buffer))) fail("put_Apdu", hr);
    IByteBuffer_Release(buffer);
    ISCardTypeConv_Release(conv);
    return cmd;
}

/* A case 4 echo command of n data bytes (extended beyond 255), or the
 * 5-byte GET CHALLENGE for n = 0; *len its length. */
static BYTE *echo_apdu(DWORD n, DWORD *len)
{
    BYTE *apdu = malloc(9 + n), *p = apdu;
    DWORD i;

    *p++ = 0x00;
    *p++ = n ? 0xd0 : 0x84;
    *p++ = 0x00;
    *p++ = 0x00;
    if (!n) *p++ = 0x08;
    else if (n <= 255)
    {
        *p++ = n;
        for (i = 0; i < n; i++) *p++ = (BYTE)i;
        *p++ = 0x00;
    }
    else
    {
        *p++ = 0x00;
        *p++ = n >> 8;
        *p++ = n & 0xff;
        for (i = 0; i < n; i++) *p++ = (BYTE)i;
        *p++ = 0x00;
        *p++ = 0x00;
    }
    *len = p - apdu;
    return apdu;
}

static double time_direct(SCARDHANDLE handle, const SCARD_IO_REQUEST *pci, const BYTE *apdu, DWORD len, int n)
{
    static BYTE reply[65538 + 1];
    double start = now_ns();
    DWORD reply_len;
    LONG ret;
    int i;

    for (i = 0; i < n; i++)
    {
        reply_len = sizeof(reply);
        if ((ret = SCardTransmit(handle, pci, apdu, len, NULL, reply, &reply_len))) fail("SCardTransmit", ret);
    }
    return (now_ns() - start) / n;
}

/* The T=0 pair of TPDUs a Transaction of GET CHALLENGE sends. */
static double time_direct_t0(SCARDHANDLE handle, int n)
{
    static const BYTE challenge[] = {0x00, 0x84, 0x00, 0x00, 0x08}, get_response[] = {0x00, 0xc0, 0x00, 0x00, 0x08};
    BYTE reply[300];
    double start = now_ns();
    DWORD reply_len;
    int i;

    for (i = 0; i < n; i++)
    {
        reply_len = sizeof(reply);
        SCardTransmit(handle, &g_rgSCardT0Pci, challenge, sizeof(challenge), NULL, reply, &reply_len);
        reply_len = sizeof(reply);
        SCardTransmit(handle, &g_rgSCardT0Pci, get_response, sizeof(get_response), NULL, reply, &reply_len);
    }
    return (now_ns() - start) / n;
}

/* Transaction through the vtable, checked */
static double time_transaction(ISCard *card, ISCardCmd *cmd, int n)
{
    double ns = time_vtable(card, cmd, n);

    if (ns < 0) fail("Transaction", E_FAIL);
    return ns;
}

static double time_ids(ISCard *card, int n)
{
    OLECHAR *name = (OLECHAR *)L"Transaction";
    double start = now_ns();
    DISPID id;
    HRESULT hr;
    int i;

    for (i = 0; i < n; ++i)
        if (FAILED(hr = ISCard_GetIDsOfNames(card, &IID_NULL, &name, 1, LOCALE_USER_DEFAULT, &id))) fail("ids", hr);
    return (now_ns() - start) / n;
}

/* What a client program does per APDU: an ISO 7816 builder, Transaction,
 * then the reply's status word and bytes. */
static double time_client(ISCard *card, int n)
{
    ISCardISO7816 *iso = create(&CLSID_CSCardISO7816, &IID_ISCardISO7816);
    ISCardCmd *cmd = NULL;
    IByteBuffer *reply;
    BYTE bytes[16];
    double start;
    WORD status;
    LONG count;
    HRESULT hr;
    int i;

    start = now_ns();
    for (i = 0; i < n; ++i)
    {
        if (FAILED(hr = ISCardISO7816_GetChallenge(iso, 8, &cmd))) fail("GetChallenge", hr);
        if (FAILED(hr = ISCard_Transaction(card, &cmd))) fail("Transaction", hr);
        ISCardCmd_get_ReplyStatus(cmd, &status);
        if (FAILED(hr = ISCardCmd_get_ApduReply(cmd, &reply))) fail("get_ApduReply", hr);
        IByteBuffer_Read(reply, bytes, sizeof(bytes), &count);
        IByteBuffer_Release(reply);
        if (status != 0x9000 || count != 10) fail("the reply", status);
    }
    start = (now_ns() - start) / n;
    ISCardCmd_Release(cmd);
    ISCardISO7816_Release(iso);
    return start;
}

struct thread
{
    HANDLE go;
    ISCard *card;
    ISCardCmd *cmd;
    int n;
};

static DWORD WINAPI thread_main(void *arg)
{
    struct thread *t = arg;

    WaitForSingleObject(t->go, INFINITE);
    time_transaction(t->card, t->cmd, t->n);
    return 0;
}

/* k threads, each with its own objects, n Transactions each: the wall
 * time per Transaction in total. */
static double time_threads(int k, int n, const BYTE *apdu, DWORD len)
{
    struct thread threads[8];
    HANDLE handles[8], go = CreateEventW(NULL, TRUE, FALSE, NULL);
    double start;
    int i;

    for (i = 0; i < k; i++)
    {
        threads[i].go = go;
        threads[i].card = attach(L"Loopback T1");
        threads[i].cmd = command(apdu, len);
        threads[i].n = n;
        handles[i] = CreateThread(NULL, 0, thread_main, &threads[i], 0, NULL);
    }
    Sleep(1);
    start = now_ns();
    SetEvent(go);
    WaitForMultipleObjects(k, handles, TRUE, INFINITE);
    start = (now_ns() - start) / ((double)k * n);
    for (i = 0; i < k; i++)
    {
        CloseHandle(handles[i]);
        ISCardCmd_Release(threads[i].cmd);
        ISCard_Release(threads[i].card);
    }
    CloseHandle(go);
    return start;
}

static double time_create(REFCLSID clsid, int n)
{
    IClassFactory *factory;
    double start;
    IUnknown *obj;
    HRESULT hr;
    int i;

    if (FAILED(hr = get_class_object(clsid, &IID_IClassFactory, (void **)&factory))) fail("DllGetClassObject", hr);
    start = now_ns();
    for (i = 0; i < n; i++)
    {
        if (FAILED(hr = IClassFactory_CreateInstance(factory, NULL, &IID_IUnknown, (void **)&obj))) fail("create", hr);
        IUnknown_Release(obj);
    }
    start = (now_ns() - start) / n;
    IClassFactory_Release(factory);
    return start;
}

int main(int argc, char **argv)
{
    static const struct
    {
        const char *name;
        const CLSID *clsid;
    }
    classes[] =
    {
        {"ByteBuffer", &CLSID_CByteBuffer},
        {"SCardTypeConv", &CLSID_CSCardTypeConv},
        {"SCardCmd", &CLSID_CSCardCmd},
        {"SCardISO7816", &CLSID_CSCardISO7816},
        {"SCard", &CLSID_CSCard},
        {"SCardDatabase", &CLSID_CSCardDatabase},
        {"SCardLocate", &CLSID_CSCardLocate},
    };
    static const DWORD sizes[] = {0, 255, 1024, 4096, 16384, 65535};
    SCARDHANDLE handle_t0, handle_t1;
    SCARDCONTEXT context;
    ISCard *card_t0, *card_t1;
    ISCardCmd *cmd;
    WCHAR path[MAX_PATH];
    DWORD active, len;
    HMODULE module;
    BYTE *apdu;
    unsigned int i;
    int n;

    if (argc < 3) return 2;
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, path, ARRAY_SIZE(path));
    n = atoi(argv[2]);
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (!(module = LoadLibraryW(path))) fail("LoadLibrary", GetLastError());
    get_class_object = (void *)GetProcAddress(module, "DllGetClassObject");

    SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    SCardConnectW(context, L"Loopback T0", SHARED, SCARD_PROTOCOL_T0, &handle_t0, &active);
    SCardConnectW(context, L"Loopback T1", SHARED, SCARD_PROTOCOL_T1, &handle_t1, &active);
    card_t0 = attach(L"Loopback T0");
    card_t1 = attach(L"Loopback T1");

    apdu = echo_apdu(0, &len);
    cmd = command(apdu, len);
    time_transaction(card_t1, cmd, n / 10 + 1);  /* warm up */
    printf("direct %.1f\n", time_direct(handle_t1, &g_rgSCardT1Pci, apdu, len, n));
    printf("vtable %.1f\n", time_transaction(card_t1, cmd, n));
    printf("invoke %.1f\n", time_invoke(card_t1, cmd, n / 4));
    printf("getids %.1f\n", time_ids(card_t1, n / 4));
    printf("client %.1f\n", time_client(card_t1, n / 4));
    printf("direct_t0 %.1f\n", time_direct_t0(handle_t0, n));
    printf("t0 %.1f\n", time_transaction(card_t0, cmd, n));
    for (i = 1; i <= 8; i *= 2)
        printf("threads_%u %.1f\n", i, time_threads(i, n / i, apdu, len));
    ISCardCmd_Release(cmd);
    free(apdu);

    for (i = 0; i < ARRAY_SIZE(sizes); i++)
    {
        int count = sizes[i] > 4096 ? n / 50 + 1 : n / 4;

        apdu = echo_apdu(sizes[i], &len);
        cmd = command(apdu, len);
        printf("direct_size_%lu %.1f\n", len, time_direct(handle_t1, &g_rgSCardT1Pci, apdu, len, count));
        printf("size_%lu %.1f\n", len, time_transaction(card_t1, cmd, count));
        ISCardCmd_Release(cmd);
        free(apdu);
    }

    for (i = 0; i < ARRAY_SIZE(classes); i++)
        printf("create_%s %.1f\n", classes[i].name, time_create(classes[i].clsid, n / 4));

    ISCard_Release(card_t0);
    ISCard_Release(card_t1);
    SCardDisconnect(handle_t0, LEAVE);
    SCardDisconnect(handle_t1, LEAVE);
    SCardReleaseContext(context);
    CoUninitialize();
    return 0;
}
