/*
 * Fault injection: complete client flows of scardssp.dll over a winscard.dll
 * that fails or lies in its N-th call (the double beside this program,
 * tests/faultinj/double), for every N of the flow and every kind of fault
 * that applies to that call (tests/faultinj/faultinj.h).
 *
 * The flow: ISCardDatabase ListReaders and ListReaderGroups (vtable and
 * IDispatch::Invoke), ListCards, ListCardInterfaces, GetProviderCardId;
 * ISCard AttachByReader (T=0 card), get_Status, get_Protocol, get_Atr,
 * LockSCard, three Transactions (61 xx and 6C xx among them), UnlockSCard,
 * ReAttach, get_Protocol, three Transactions, Detach; a second ISCard on
 * the T=1 card, three Transactions, get_Atr, released attached; ISCardLocate
 * ConfigureCardNameSearch and FindCard(SC_DLG_NO_UI), then AttachByHandle
 * and get_Atr on the card found.
 *
 * A run fails on:
 *  - a crash: the runs go in a child process (this program with --child
 *    FIRST), which reports each run before it starts; when the child dies
 *    the parent counts a crash for the run it was in and starts a new
 *    child at the next one;
 *  - a false success: a member returning S_OK with data the double did not
 *    answer (the double's true answer, which the flow knows; after a
 *    garbage status word, a Transaction's reply may end with the status
 *    word the card gave last);
 *  - a leak: a context or card the double handed out still open when the
 *    flow has released everything, or heap growth (every heap of the
 *    process, busy bytes) when the same run is repeated;
 *  - a hang: a run longer than 10 s (a watchdog thread in the child ends it).
 * The crash and the hang checks are first proven on a child that crashes
 * and one that hangs on purpose.  It prints every failure, then its counts
 * and a closing line.
 *
 * min-checks: 807
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

#include "faultinj.h"

#define RUN_TIMEOUT_MS 10000
#define CHILD_TIMEOUT_MS 600000

static const char *function_names[FN_COUNT] =
{
    "SCardEstablishContext", "SCardReleaseContext", "SCardListReadersW", "SCardListReaderGroupsW",
    "SCardListCardsW", "SCardListInterfacesW", "SCardGetProviderIdW", "SCardGetStatusChangeW", "SCardConnectW",
    "SCardReconnect", "SCardDisconnect", "SCardBeginTransaction", "SCardEndTransaction", "SCardStatusW",
    "SCardTransmit",
};

static const char *kind_names[K_COUNT] =
{
    "SCARD_F_INTERNAL_ERROR", "SCARD_E_NO_SERVICE", "SCARD_E_INVALID_HANDLE", "SCARD_W_REMOVED_CARD",
    "ERROR_INVALID_HANDLE", "SCARD_E_INSUFFICIENT_BUFFER", "garbage code", "delay", "handle 0",
    "protocol 0x777", "unasked protocol RAW", "state 0x99", "count 0x80000001", "count 0xffffffff",
    "fill longer than its buffer", "unterminated", "last terminator not counted", "length 0",
    "list grown", "names length 1000", "ATR of 40 bytes", "ATR length 0x80000000", "ATR length 1",
    "receive length 10 over the buffer", "receive length 0xffffffff", "1-byte answer", "0-byte answer",
    "SW 61 FF", "SW 6C 00", "endless 61 01", "endless 6C 01",
};

static HRESULT (WINAPI *get_class_object)(REFCLSID, REFIID, void **);
static fault_set_func fault_set;
static fault_calls_func fault_calls;
static fault_function_func fault_function;
static fault_applies_func fault_applies;
static fault_open_func fault_open;
static fault_close_all_func fault_close_all;
static fault_last_sw_func fault_last_sw;
static LONG (WINAPI *double_disconnect)(SCARDHANDLE, DWORD);
static LONG (WINAPI *double_release_context)(SCARDCONTEXT);
static LONG (WINAPI *double_establish)(DWORD, const void *, const void *, SCARDCONTEXT *);

static int current_case = -1, current_kind;
static unsigned int false_successes;
static BOOL report = TRUE;
static volatile ULONGLONG deadline;

static void lie(const char *what, const char *format, ...)
{
    va_list args;

    false_successes++;
    if (!report) return;
    printf("F %d %s: ", current_case, what);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    printf("\n");
    fflush(stdout);
}

static void *create(REFCLSID clsid, REFIID iid)
{
    IClassFactory *factory;
    void *obj = NULL;

    if (FAILED(get_class_object(clsid, &IID_IClassFactory, (void **)&factory))) return NULL;
    if (FAILED(IClassFactory_CreateInstance(factory, NULL, iid, &obj))) obj = NULL;
    IClassFactory_Release(factory);
    return obj;
}

/* Whether array holds exactly the strings of the multi-string expected. */
static BOOL same_strings(SAFEARRAY *array, const WCHAR *expected)
{
    const WCHAR *p;
    LONG count = 0, i;
    BSTR *data;
    BOOL same;

    if (!array || SafeArrayGetDim(array) != 1 || array->rgsabound[0].lLbound) return FALSE;
    for (p = expected; *p; p += wcslen(p) + 1) count++;
    if ((LONG)array->rgsabound[0].cElements != count) return FALSE;
    if (FAILED(SafeArrayAccessData(array, (void **)&data))) return FALSE;
    for (i = 0, p = expected, same = TRUE; i < count; i++, p += wcslen(p) + 1)
        same = same && data[i] && SysStringLen(data[i]) == wcslen(p) && !wcscmp(data[i], p);
    SafeArrayUnaccessData(array);
    return same;
}

static void check_list(const char *what, HRESULT hr, SAFEARRAY *array, const WCHAR *expected)
{
    if (hr == S_OK && !same_strings(array, expected)) lie(what, "S_OK with other strings");
    if (hr != S_OK && array) lie(what, "%#lx with an array", hr);
    if (array) SafeArrayDestroy(array);
}

/* A list member through IDispatch::Invoke, by name, with no argument. */
static void invoke_list(ISCardDatabase *database, const WCHAR *member, const WCHAR *expected)
{
    LPOLESTR name = (LPOLESTR)member;
    DISPPARAMS params = {0};
    EXCEPINFO excepinfo;
    VARIANT result;
    IDispatch *disp;
    UINT argerr;
    DISPID id;
    HRESULT hr;
    char what[64];

    snprintf(what, sizeof(what), "Invoke %ls", member);
    if (FAILED(ISCardDatabase_QueryInterface(database, &IID_IDispatch, (void **)&disp))) return;
    if (SUCCEEDED(IDispatch_GetIDsOfNames(disp, &IID_NULL, &name, 1, 0, &id)))
    {
        VariantInit(&result);
        memset(&excepinfo, 0, sizeof(excepinfo));
        hr = IDispatch_Invoke(disp, id, &IID_NULL, 0x409, DISPATCH_METHOD, &params, &result, &excepinfo, &argerr);
        if (hr == S_OK && (V_VT(&result) != (VT_ARRAY | VT_BSTR) || !same_strings(V_ARRAY(&result), expected)))
            lie(what, "S_OK with other strings");
        VariantClear(&result);
        SysFreeString(excepinfo.bstrSource);
        SysFreeString(excepinfo.bstrDescription);
        SysFreeString(excepinfo.bstrHelpFile);
    }
    IDispatch_Release(disp);
}

static void database_flow(void)
{
    static const GUID provider = FAULT_PROVIDER;
    ISCardDatabase *database = create(&CLSID_CSCardDatabase, &IID_ISCardDatabase);
    SAFEARRAY *array;
    BSTR name;
    GUID *guid;
    HRESULT hr;

    if (!database) return;
    array = NULL;
    hr = ISCardDatabase_ListReaders(database, 0x409, &array);
    check_list("ListReaders", hr, array, FAULT_READERS);
    invoke_list(database, L"ListReaders", FAULT_READERS);
    array = NULL;
    hr = ISCardDatabase_ListReaderGroups(database, 0x409, &array);
    check_list("ListReaderGroups", hr, array, FAULT_GROUPS);
    invoke_list(database, L"ListReaderGroups", FAULT_GROUPS);
    array = NULL;
    hr = ISCardDatabase_ListCards(database, NULL, NULL, 0x409, &array);
    check_list("ListCards", hr, array, FAULT_CARDS);

    name = SysAllocString(FAULT_CARD_T0);
    array = NULL;
    hr = ISCardDatabase_ListCardInterfaces(database, name, &array);
    check_list("ListCardInterfaces", hr, array, FAULT_INTERFACE L"\0");
    guid = NULL;
    hr = ISCardDatabase_GetProviderCardId(database, name, &guid);
    if (hr == S_OK && (!guid || !IsEqualGUID(guid, &provider))) lie("GetProviderCardId", "S_OK with another GUID");
    CoTaskMemFree(guid);
    SysFreeString(name);
    ISCardDatabase_Release(database);
}

static ISCardCmd *command(const BYTE *apdu, LONG len)
{
    ISCardTypeConv *conv = create(&CLSID_CSCardTypeConv, &IID_ISCardTypeConv);
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd);
    IByteBuffer *buffer = NULL;

    if (conv && cmd && SUCCEEDED(ISCardTypeConv_CreateByteBuffer(conv, len, &buffer)))
    {
        IByteBuffer_Write(buffer, (BYTE *)apdu, len, NULL);
        ISCardCmd_put_Apdu(cmd, buffer);
        IByteBuffer_Release(buffer);
    }
    if (conv) ISCardTypeConv_Release(conv);
    return cmd;
}

/* The bytes of a buffer from its start; *len -1 when they cannot be read. */
static void buffer_bytes(IByteBuffer *buffer, BYTE *bytes, LONG size, LONG *len)
{
    STATSTRUCT stat;

    *len = -1;
    if (!buffer || FAILED(IByteBuffer_Stat(buffer, &stat, 0)) || stat.cbSize > size) return;
    IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    if (FAILED(IByteBuffer_Read(buffer, bytes, stat.cbSize, len))) *len = -1;
}

static BOOL garbage_sw_kind(void)
{
    return current_kind >= K_SW_61FF && current_kind <= K_SW_6C01_ENDLESS;
}

static void transaction(ISCard *card, const char *what, const BYTE *apdu, LONG len, const BYTE *reply, LONG reply_len)
{
    ISCardCmd *cmd = command(apdu, len);
    IByteBuffer *buffer = NULL;
    BYTE bytes[300];
    LONG n;
    WORD sw;
    HRESULT hr;

    if (!cmd) return;
    hr = ISCard_Transaction(card, &cmd);
    if (hr == S_OK)
    {
        ISCardCmd_get_ApduReply(cmd, &buffer);
        buffer_bytes(buffer, bytes, sizeof(bytes), &n);
        if (buffer) IByteBuffer_Release(buffer);
        sw = n >= 2 ? bytes[n - 2] << 8 | bytes[n - 1] : 0;
        if (n == reply_len && !memcmp(bytes, reply, n))
            ;
        else if (garbage_sw_kind() && n >= 2 && sw == fault_last_sw())
            ;
        else
            lie(what, "S_OK with a reply of %ld bytes the card did not give", n);
    }
    ISCardCmd_Release(cmd);
}

static void check_atr(ISCard *card, const char *what, const BYTE *atr, LONG atr_len)
{
    IByteBuffer *buffer = NULL;
    BYTE bytes[300];
    LONG n;

    if (ISCard_get_Atr(card, &buffer) != S_OK) return;
    buffer_bytes(buffer, bytes, sizeof(bytes), &n);
    if (n != atr_len || memcmp(bytes, atr, n)) lie(what, "S_OK with an ATR of %ld bytes the card does not have", n);
    if (buffer) IByteBuffer_Release(buffer);
}

static void check_protocol(ISCard *card, const char *what, SCARD_PROTOCOLS expected)
{
    SCARD_PROTOCOLS protocol = 0;

    if (ISCard_get_Protocol(card, &protocol) == S_OK && protocol != expected)
        lie(what, "S_OK with protocol %#x", protocol);
}

static void card_flow(void)
{
    static const BYTE atr_t0[] = FAULT_ATR_T0, atr_t1[] = FAULT_ATR_T1;
    static const BYTE select[] = {0x00, 0xa4, 0x00, 0x00, 0x02, 0x3f, 0x00}, select_reply[] = {0x3f, 0x00, 0x90, 0x00};
    static const BYTE challenge[] = {0x00, 0x84, 0x00, 0x00, 0x08}, challenge_256[] = {0x00, 0x84, 0x00, 0x00, 0x00};
    static const BYTE challenge_4[] = {0x00, 0x84, 0x00, 0x00, 0x04};
    static const BYTE echo[] = {0x00, 0xd0, 0x00, 0x00, 0x03, 0x01, 0x02, 0x03, 0x00};
    static const BYTE echo_reply[] = {0x01, 0x02, 0x03, 0x90, 0x00};
    static const BYTE verify[] = {0x00, 0x20, 0x00, 0x00}, ok_reply[] = {0x90, 0x00};
    BYTE challenge_reply[10];
    SCARD_STATES state;
    ISCard *card;
    BSTR reader;
    int i;

    for (i = 0; i < 8; i++) challenge_reply[i] = FAULT_PATTERN(i);
    challenge_reply[8] = 0x90;
    challenge_reply[9] = 0x00;

    if ((card = create(&CLSID_CSCard, &IID_ISCard)))
    {
        reader = SysAllocString(FAULT_READER_T0);
        ISCard_AttachByReader(card, reader, SHARED, T0 | T1);
        SysFreeString(reader);
        if (ISCard_get_Status(card, &state) == S_OK && state != SPECIFICMODE)
            lie("get_Status", "S_OK with state %d", state);
        check_protocol(card, "get_Protocol", T0);
        check_atr(card, "get_Atr", atr_t0, sizeof(atr_t0));
        ISCard_LockSCard(card);
        transaction(card, "Transaction T=0 case 3", select, sizeof(select), select_reply, sizeof(select_reply));
        transaction(card, "Transaction T=0 case 2", challenge, sizeof(challenge), challenge_reply,
                sizeof(challenge_reply));
        transaction(card, "Transaction T=0 6C xx", challenge_256, sizeof(challenge_256), challenge_reply,
                sizeof(challenge_reply));
        ISCard_UnlockSCard(card, LEAVE);
        ISCard_ReAttach(card, SHARED, RESET);
        check_protocol(card, "get_Protocol after ReAttach", T0);
        transaction(card, "Transaction T=0 case 4", echo, sizeof(echo), echo_reply, sizeof(echo_reply));
        transaction(card, "Transaction T=0 case 1", verify, sizeof(verify), ok_reply, sizeof(ok_reply));
        transaction(card, "Transaction T=0 wrong Le", challenge_4, sizeof(challenge_4), challenge_reply,
                sizeof(challenge_reply));
        ISCard_Detach(card, LEAVE);
        ISCard_Release(card);
    }

    if ((card = create(&CLSID_CSCard, &IID_ISCard)))
    {
        reader = SysAllocString(FAULT_READER_T1);
        ISCard_AttachByReader(card, reader, SHARED, T1);
        SysFreeString(reader);
        check_protocol(card, "get_Protocol T=1", T1);
        transaction(card, "Transaction T=1 case 4", echo, sizeof(echo), echo_reply, sizeof(echo_reply));
        transaction(card, "Transaction T=1 case 2", challenge, sizeof(challenge), challenge_reply,
                sizeof(challenge_reply));
        transaction(card, "Transaction T=1 case 1", verify, sizeof(verify), ok_reply, sizeof(ok_reply));
        check_atr(card, "get_Atr T=1", atr_t1, sizeof(atr_t1));
        ISCard_Release(card);
    }
}

static void locate_flow(void)
{
    static const BYTE atr_t0[] = FAULT_ATR_T0;
    ISCardLocate *locate = create(&CLSID_CSCardLocate, &IID_ISCardLocate);
    SCARDINFO *info = NULL;
    SAFEARRAY *names;
    ISCard *card;
    BSTR *data;
    HRESULT hr;

    if (!locate) return;
    names = SafeArrayCreateVector(VT_BSTR, 0, 1);
    SafeArrayAccessData(names, (void **)&data);
    data[0] = SysAllocString(FAULT_CARD_T0);
    SafeArrayUnaccessData(names);
    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, NULL, 2 /* SC_DLG_NO_UI */);
    SafeArrayDestroy(names);
    if (hr == S_OK) hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, 2 /* SC_DLG_NO_UI */, &info);
    ISCardLocate_Release(locate);
    if (hr != S_OK)
    {
        if (info) lie("FindCard", "%#lx with a SCARDINFO", hr);
        return;
    }
    if (!info || !info->hCard || !info->hContext || info->ActiveProtocol != T0)
    {
        lie("FindCard", "S_OK with a SCARDINFO the card does not match");
        if (!info) return;
    }
    if ((card = create(&CLSID_CSCard, &IID_ISCard)))
    {
        if (ISCard_AttachByHandle(card, info->hCard) == S_OK)
            check_atr(card, "get_Atr after AttachByHandle", atr_t0, sizeof(atr_t0));
        else
            double_disconnect(info->hCard, 0 /* SCARD_LEAVE_CARD */);
        ISCard_Release(card);
    }
    double_release_context(info->hContext);
    CoTaskMemFree(info);
}

static void flow(void)
{
    database_flow();
    card_flow();
    locate_flow();
}

/* Busy bytes over every heap of the process. */
static SIZE_T heap_busy(void)
{
    HANDLE heaps[64];
    PROCESS_HEAP_ENTRY entry;
    DWORD count, i;
    SIZE_T busy = 0;

    count = GetProcessHeaps(ARRAY_SIZE(heaps), heaps);
    for (i = 0; i < count && i < ARRAY_SIZE(heaps); i++)
    {
        if (!HeapLock(heaps[i])) continue;
        entry.lpData = NULL;
        while (HeapWalk(heaps[i], &entry))
            if (entry.wFlags & PROCESS_HEAP_ENTRY_BUSY) busy += entry.cbData;
        HeapUnlock(heaps[i]);
    }
    return busy;
}

static DWORD WINAPI watchdog(void *arg)
{
    for (;;)
    {
        Sleep(100);
        if (deadline && GetTickCount64() > deadline)
        {
            printf("H %d\n", current_case);
            fflush(stdout);
            TerminateProcess(GetCurrentProcess(), 3);
        }
    }
    return 0;
}

static BOOL load(void)
{
    char path[MAX_PATH], *p;
    HMODULE scardssp, winscard;

    GetModuleFileNameA(NULL, path, sizeof(path));
    if (!(p = strrchr(path, '\\'))) return FALSE;
    strcpy(p, "\\..\\..\\scardssp.dll");
    if (!(scardssp = LoadLibraryA(path)))
    {
        printf("faultinj: cannot load %s: error %lu\n", path, GetLastError());
        return FALSE;
    }
    get_class_object = (void *)GetProcAddress(scardssp, "DllGetClassObject");
    winscard = GetModuleHandleA("winscard.dll");
    if (!winscard || !(fault_set = (void *)GetProcAddress(winscard, "fault_set")))
    {
        printf("faultinj: scardssp.dll did not load the fault-injecting winscard.dll beside this program\n");
        return FALSE;
    }
    fault_calls = (void *)GetProcAddress(winscard, "fault_calls");
    fault_function = (void *)GetProcAddress(winscard, "fault_function");
    fault_applies = (void *)GetProcAddress(winscard, "fault_applies");
    fault_open = (void *)GetProcAddress(winscard, "fault_open");
    fault_close_all = (void *)GetProcAddress(winscard, "fault_close_all");
    fault_last_sw = (void *)GetProcAddress(winscard, "fault_last_sw");
    double_disconnect = (void *)GetProcAddress(winscard, "SCardDisconnect");
    double_release_context = (void *)GetProcAddress(winscard, "SCardReleaseContext");
    double_establish = (void *)GetProcAddress(winscard, "SCardEstablishContext");
    return get_class_object != NULL;
}

/* The runs: (call, kind) for every call of the fault-free flow and every
 * kind that applies to its function. */
static int cases(LONG *calls_out, LONG *kinds_out, int max)
{
    LONG calls, n, kind;
    int count = 0;

    fault_set(0, 0);
    flow();
    calls = fault_calls();
    for (n = 1; n <= calls; n++)
        for (kind = 0; kind < K_COUNT; kind++)
            if (fault_applies(fault_function(n), kind) && count < max)
            {
                calls_out[count] = n;
                kinds_out[count++] = kind;
            }
    return count;
}

/* The runs from first on, each reported before it starts ("R") and when
 * done ("D"), with its false successes ("F") and the handles it left open
 * ("O"). */
static int child(int first)
{
    static LONG calls[20000], kinds[20000];
    int count, i;
    LONG open = 0;

    if (!load()) return 2;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    CreateThread(NULL, 0, watchdog, NULL, 0, NULL);

    /* the flow without faults: every member succeeds with the truth */
    fault_set(0, 0);
    flow();
    if (false_successes || (open = fault_open()))
    {
        printf("B the flow without faults fails (%u wrong results, %ld handles open)\n", false_successes, open);
        return 2;
    }
    count = cases(calls, kinds, ARRAY_SIZE(calls));
    printf("N %d %ld\n", count, fault_calls());
    fflush(stdout);

    for (i = first; i < count; i++)
    {
        current_case = i;
        current_kind = kinds[i];
        printf("R %d %ld %ld %ld\n", i, calls[i], kinds[i], fault_function(calls[i]));
        fflush(stdout);
        deadline = GetTickCount64() + RUN_TIMEOUT_MS;
        fault_set(calls[i], kinds[i]);
        flow();
        if ((open = fault_open())) printf("O %d %ld\n", i, open);
        fault_close_all();
        deadline = 0;
        printf("D %d\n", i);
        fflush(stdout);
    }
    printf("E\n");
    fflush(stdout);
    CoUninitialize();
    return 0;
}

/* Heap growth: every run once (what is allocated once and kept, caches,
 * is allocated then), then every run again, which must leave the heaps
 * as they were ("G" and the bytes).  Wine's low-fragmentation heap hides
 * single small blocks from HeapWalk (it walks whole groups), so a leak is
 * seen over all the runs, not by run; the check first proves that one
 * block of 48 bytes kept per run would be seen. */
static int leak_child(void)
{
    static LONG calls[20000], kinds[20000];
    SCARDCONTEXT context;
    SIZE_T before, after;
    void **kept;
    int count, pass, i;

    if (!load()) return 2;
    CoInitializeEx(NULL, COINIT_APARTMENTTHREADED);
    report = FALSE;
    count = cases(calls, kinds, ARRAY_SIZE(calls));

    before = heap_busy();
    kept = malloc(count * sizeof(*kept));
    for (i = 0; i < count; i++) kept[i] = malloc(48);
    after = heap_busy();
    for (i = 0; i < count; i++) free(kept[i]);
    free(kept);
    if (after < before + count * 48 / 2 || double_establish(0, NULL, NULL, &context) || fault_open() != 1)
    {
        printf("B a leak goes unseen: %d blocks of 48 bytes are %Iu bytes, %ld handles open\n", count,
                after - before, fault_open());
        return 2;
    }
    double_release_context(context);

    for (pass = 0; pass < 2; pass++)
    {
        if (pass) before = heap_busy();
        for (i = 0; i < count; i++)
        {
            current_kind = kinds[i];
            fault_set(calls[i], kinds[i]);
            flow();
            fault_close_all();
        }
    }
    after = heap_busy();
    printf("G %Id\n", (SSIZE_T)(after - before));
    CoUninitialize();
    return 0;
}

/* Runs this program with args, its output into the file tmp; its exit status. */
static DWORD spawn(const char *args, const char *tmp)
{
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    char exe[MAX_PATH], cmdline[MAX_PATH + 64];
    STARTUPINFOA si = {sizeof(si)};
    PROCESS_INFORMATION pi;
    DWORD status = 0;
    HANDLE out;

    GetModuleFileNameA(NULL, exe, sizeof(exe));
    out = CreateFileA(tmp, GENERIC_WRITE, FILE_SHARE_READ, &sa, CREATE_ALWAYS, 0, NULL);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = out;
    si.hStdError = GetStdHandle(STD_ERROR_HANDLE);
    snprintf(cmdline, sizeof(cmdline), "\"%s\" %s", exe, args);
    if (!CreateProcessA(exe, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        printf("faultinj: cannot start %s: error %lu\n", cmdline, GetLastError());
        CloseHandle(out);
        return ~0u;
    }
    CloseHandle(out);
    if (WaitForSingleObject(pi.hProcess, CHILD_TIMEOUT_MS) == WAIT_TIMEOUT)
        TerminateProcess(pi.hProcess, 4);
    GetExitCodeProcess(pi.hProcess, &status);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
    return status;
}

/* A child that crashes or hangs on purpose, in a run numbered -1. */
static int selftest_child(const char *what)
{
    printf("R -1 0 0 0\n");
    fflush(stdout);
    if (!strcmp(what, "hang"))
    {
        CreateThread(NULL, 0, watchdog, NULL, 0, NULL);
        deadline = GetTickCount64() + 200;
        Sleep(20000);
        return 0;
    }
    *(volatile int *)(ULONG_PTR)current_kind = 1;
    return 0;
}

/* Whether the parent sees the crash or the hang of a selftest child. */
static BOOL selftest(const char *what, const char *tmp)
{
    char args[32], line[64], last[64] = "";
    DWORD status;
    FILE *file;
    BOOL hang = !strcmp(what, "hang"), seen = FALSE;

    if (!hang) printf("faultinj: a crash on purpose follows (the crash check's own check)\n");
    snprintf(args, sizeof(args), "--selftest %s", what);
    status = spawn(args, tmp);
    if (!(file = fopen(tmp, "r"))) return FALSE;
    while (fgets(line, sizeof(line), file))
    {
        line[strcspn(line, "\r\n")] = 0;
        if (!strcmp(line, "H -1")) seen = TRUE;
        strcpy(last, line);
    }
    fclose(file);
    if (hang) return seen && status == 3;
    return !strcmp(last, "R -1 0 0 0") && status != 0 && status != 3;
}

struct run { LONG call, kind, function; BOOL failed; };

/* What this check found in scardssp before it was fixed (issue 13): each
 * must be among the runs, and pass. */
static const struct regression
{
    const char *name;
    LONG function, kind;
}
regressions[] =
{
    {"fill call reporting more than its buffer: names with heap bytes appended", FN_LIST_READERS, K_FILL_LONG},
    {"the same for reader groups", FN_LIST_GROUPS, K_FILL_LONG},
    {"the same for card names", FN_LIST_CARDS, K_FILL_LONG},
    {"the same for interfaces: GUIDs read past the buffer", FN_LIST_INTERFACES, K_FILL_LONG},
    {"reader count near 2^31: allocation size wraps (32-bit heap overrun)", FN_LIST_READERS, K_SIZE_2_31},
    {"card count near 2^31 (32-bit heap overrun)", FN_LIST_CARDS, K_SIZE_2_31},
    {"interface count near 2^31: crash", FN_LIST_INTERFACES, K_SIZE_2_31},
    {"interface count 2^32 - 1: crash", FN_LIST_INTERFACES, K_SIZE_2_32},
    {"card names without terminators", FN_LIST_CARDS, K_UNTERMINATED},
    {"reader names without terminators (FindCard)", FN_LIST_READERS, K_UNTERMINATED},
    {"an empty multi-string taken for an empty list", FN_LIST_READERS, K_ZERO_LENGTH},
    {"a positive garbage code taken for success (FindCard with no card)", FN_LIST_READERS, K_ERR_GARBAGE},
    {"the same from SCardEstablishContext", FN_ESTABLISH, K_ERR_GARBAGE},
    {"SCardConnectW success with handle 0", FN_CONNECT, K_ZERO_HANDLE},
    {"SCardConnectW with an unknown protocol", FN_CONNECT, K_BAD_PROTOCOL},
    {"SCardConnectW with a protocol not asked for", FN_CONNECT, K_UNASKED_PROTOCOL},
    {"SCardStatusW ATR longer than 33 bytes", FN_STATUS, K_ATR_LONG},
    {"SCardStatusW ATR length beyond the buffer", FN_STATUS, K_ATR_HUGE},
    {"SCardStatusW ATR of 1 byte", FN_STATUS, K_ATR_SHORT},
    {"SCardStatusW unknown state", FN_STATUS, K_BAD_STATE},
    {"SCardStatusW unknown protocol", FN_STATUS, K_BAD_PROTOCOL},
};

static void describe(const struct run *runs, int i, char *buffer, size_t size)
{
    const struct run *r = &runs[i];

    snprintf(buffer, size, "run %d: call %ld (%s) answered %s", i, r->call,
            r->function >= 0 && r->function < FN_COUNT ? function_names[r->function] : "?",
            r->kind >= 0 && r->kind < K_COUNT ? kind_names[r->kind] : "?");
}

int main(int argc, char **argv)
{
    static struct run runs[20000];
    unsigned int crashes = 0, lies = 0, leaks = 0, hangs = 0, missing = 0, failures, printed = 0, r;
    int total = -1, first = 0, done = 0, flow_calls = 0, last, i;
    char args[64], tmp_dir[MAX_PATH], tmp[MAX_PATH], line[512], what[256];
    ULONGLONG start = GetTickCount64();

    if (argc == 3 && !strcmp(argv[1], "--child")) return child(atoi(argv[2]));
    if (argc == 2 && !strcmp(argv[1], "--leaks")) return leak_child();
    if (argc == 3 && !strcmp(argv[1], "--selftest")) return selftest_child(argv[2]);

    setvbuf(stdout, NULL, _IONBF, 0);
    /* oleaut32's BSTR cache would look like heap growth */
    SetEnvironmentVariableA("OANOCACHE", "1");
    GetTempPathA(sizeof(tmp_dir), tmp_dir);
    GetTempFileNameA(tmp_dir, "fij", 0, tmp);

    for (i = 0; i < 2; i++)
    {
        if (selftest(i ? "hang" : "crash", tmp)) continue;
        printf("faultinj: the %s check does not see a child that %s\n", i ? "hang" : "crash", i ? "hangs" : "crashes");
        missing++;
    }

    while (total < 0 || first < total)
    {
        DWORD status;
        FILE *file;
        BOOL ended = FALSE;

        snprintf(args, sizeof(args), "--child %d", first);
        if ((status = spawn(args, tmp)) == ~0u) return 1;

        last = -1;
        if (!(file = fopen(tmp, "r"))) return 1;
        while (fgets(line, sizeof(line), file))
        {
            int n, a, b, c;

            line[strcspn(line, "\r\n")] = 0;
            if (line[0] == 'B' || !strncmp(line, "faultinj:", 9))
            {
                printf("%s\n", line);
                fclose(file);
                printf("faultinj: 0 tests executed (0 marked as todo, 1 failures), 0 skipped.\n");
                return 1;
            }
            if (sscanf(line, "N %d %d", &n, &a) == 2)
            {
                total = min(n, (int)ARRAY_SIZE(runs));
                flow_calls = a;
            }
            else if (sscanf(line, "R %d %d %d %d", &n, &a, &b, &c) == 4 && n < (int)ARRAY_SIZE(runs))
            {
                runs[n].call = a;
                runs[n].kind = b;
                runs[n].function = c;
                last = n;
            }
            else if (sscanf(line, "D %d", &n) == 1)
            {
                done++;
                last = -1;
                first = n + 1;
            }
            else if (sscanf(line, "H %d", &n) == 1 && n >= 0)
            {
                describe(runs, n, what, sizeof(what));
                printf("faultinj: HANG: %s\n", what);
                hangs++;
                if (n < (int)ARRAY_SIZE(runs)) runs[n].failed = TRUE;
                done++;
                last = -1;
                first = n + 1;
            }
            else if (line[0] == 'E') ended = TRUE;
            else if (sscanf(line, "F %d", &n) == 1 || sscanf(line, "O %d", &n) == 1 || sscanf(line, "L %d", &n) == 1)
            {
                const char *detail = strchr(line + 2, ' ');

                if (line[0] == 'F') lies++;
                else leaks++;
                if (n >= 0 && n < (int)ARRAY_SIZE(runs)) runs[n].failed = TRUE;
                describe(runs, n, what, sizeof(what));
                if (printed++ < 200)
                    printf("faultinj: %s: %s%s\n", line[0] == 'F' ? "FALSE SUCCESS" : line[0] == 'O'
                            ? "HANDLES LEFT OPEN" : "HEAP GROWTH (bytes)", what, detail ? detail : "");
            }
        }
        fclose(file);
        if (total < 0)
        {
            printf("faultinj: the child ended (status %#lx) before listing its runs\n", status);
            printf("faultinj: 0 tests executed (0 marked as todo, 1 failures), 0 skipped.\n");
            return 1;
        }
        if (last >= 0)
        {
            describe(runs, last, what, sizeof(what));
            printf("faultinj: CRASH (status %#lx): %s\n", status, what);
            crashes++;
            runs[last].failed = TRUE;
            done++;
            first = last + 1;
        }
        else if (!ended && first < total)
        {
            /* (a child that ends between its runs would end so again) */
            printf("faultinj: the child ended (status %#lx) between runs, at run %d\n", status, first);
            crashes++;
            break;
        }
        if (ended) break;
    }

    /* heap growth over every run, where no run crashes or hangs */
    if (!crashes && !hangs)
    {
        DWORD status = spawn("--leaks", tmp);
        long long growth = 0;
        BOOL measured = FALSE;
        FILE *file;

        if ((file = fopen(tmp, "r")))
        {
            while (fgets(line, sizeof(line), file))
            {
                line[strcspn(line, "\r\n")] = 0;
                if (sscanf(line, "G %lld", &growth) == 1) measured = TRUE;
                else if (line[0] == 'B') printf("faultinj: %s\n", line + 2);
            }
            fclose(file);
        }
        if (!measured)
        {
            printf("faultinj: the heap could not be measured (status %#lx)\n", status);
            leaks++;
        }
        else if (growth > 0)
        {
            printf("faultinj: HEAP GROWTH: %lld bytes over a second pass of every run\n", growth);
            leaks++;
        }
        else
            printf("faultinj: heap growth over a second pass of every run: %lld bytes\n", growth);
    }
    DeleteFileA(tmp);

    for (r = 0; r < ARRAY_SIZE(regressions); r++)
    {
        unsigned int count = 0, failed = 0;

        for (i = 0; i < total && i < (int)ARRAY_SIZE(runs); i++)
        {
            if (runs[i].function != regressions[r].function || runs[i].kind != regressions[r].kind) continue;
            count++;
            failed += runs[i].failed;
        }
        printf("faultinj: regression \"%s\": %u runs, %u failed\n", regressions[r].name, count, failed);
        if (!count) missing++;
    }

    failures = crashes + lies + leaks + hangs + missing;
    printf("faultinj: %d runs (every fault of the %d calls of the flow), %u crashes, %u false successes, %u leaks, "
            "%u hangs, in %.1f s\n", done, flow_calls, crashes, lies, leaks, hangs, (GetTickCount64() - start) / 1000.0);
    printf("faultinj: %s\n", failures ? "FAILED: scardssp trusted a lie of winscard"
            : "passed: no crash, false success, leak or hang over every fault of every call");
    /* the two selftests, a check per run, the heap check, a check per regression case */
    printf("faultinj: %d tests executed (0 marked as todo, %u failures), 0 skipped.\n",
            2 + done + 1 + (int)ARRAY_SIZE(regressions), failures);
    return failures ? 1 : 0;
}
