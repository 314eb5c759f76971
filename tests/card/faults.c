/*
 * ISCard when things go wrong, against the virtual reader stack: run as
 * faults_t0.exe and faults_t1.exe (tests/run-wine starts a private stack
 * of that personality).  Faults come from the card's control socket
 * (remove, insert, mute, slow, malformed) and from restarting the stack;
 * the codes asserted are what pcscd 1.9.9 + vpcd 3.3 + the winscard
 * bridge give, measured, plus ISCard's own (dlls/scardssp/card.c).
 *
 * min-checks: 380 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "cardtest.h"

/* Waits (up to 10 s) until pcscd sees reader k in one of the states of
 * want (SCARD_STATE_PRESENT, SCARD_STATE_EMPTY); TRUE when it does.
 * pcscd counts every insertion and removal it sees in the high word of
 * dwEventState: with events, the wait also lasts until that count is at
 * least *events, and *events gets the count then, so that a removal the
 * card came back from before the wait began is still seen. */
#define wait_card(a, b) wait_card_(__FILE__, __LINE__, a, (b) ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY, NULL)
#define wait_card_events(a, b, c) wait_card_(__FILE__, __LINE__, a, b, c)
static BOOL wait_card_(const char *file, unsigned int line, int k, DWORD want, DWORD *events)
{
    SCARD_READERSTATEW state;
    SCARDCONTEXT context;
    DWORD start = GetTickCount();
    BOOL done = FALSE;
    LONG ret;

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok_(file, line)(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    if (ret)
        return FALSE;
    memset(&state, 0, sizeof(state));
    state.szReader = reader_names[k];
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    while (!done && GetTickCount() - start < 10000)
    {
        ret = SCardGetStatusChangeW(context, 500, &state, 1);
        if (ret == SCARD_S_SUCCESS)
        {
            done = (state.dwEventState & want) && (!events || (state.dwEventState >> 16) >= *events);
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        }
        else if (ret != SCARD_E_TIMEOUT)
            break;
    }
    SCardReleaseContext(context);
    ok_(file, line)(done, "Reader %d: not in state %#lx (after %lu events) after %lu ms (%#lx, state %#lx).\n",
            k, want, events ? *events : 0, GetTickCount() - start, ret, state.dwEventState);
    if (events)
        *events = state.dwEventState >> 16;
    return done;
}

/* The number of insertions and removals pcscd counted in reader k. */
#define card_events(a) card_events_(__FILE__, __LINE__, a)
static DWORD card_events_(const char *file, unsigned int line, int k)
{
    SCARD_READERSTATEW state;
    SCARDCONTEXT context;
    LONG ret;

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok_(file, line)(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    if (ret)
        return 0;
    memset(&state, 0, sizeof(state));
    state.szReader = reader_names[k];
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    ret = SCardGetStatusChangeW(context, 0, &state, 1);
    ok_(file, line)(ret == SCARD_S_SUCCESS, "Got %#lx.\n", ret);
    SCardReleaseContext(context);
    return state.dwEventState >> 16;
}

/* A transaction in a thread of its own, for the cards that do not answer. */
struct pending_transaction
{
    ISCard *card;
    ISCardCmd *cmd;
    HRESULT hr;
    HANDLE thread;
};

static DWORD WINAPI transaction_proc(void *arg)
{
    struct pending_transaction *t = arg;

    t->hr = ISCard_Transaction(t->card, &t->cmd);
    return 0;
}

static void start_transaction(struct pending_transaction *t, ISCard *card, ISCardCmd *cmd)
{
    t->card = card;
    t->cmd = cmd;
    t->hr = E_FAIL;
    t->thread = CreateThread(NULL, 0, transaction_proc, t, 0, NULL);
}

#define finish_transaction(a) finish_transaction_(__FILE__, __LINE__, a)
static HRESULT finish_transaction_(const char *file, unsigned int line, struct pending_transaction *t)
{
    DWORD ret = WaitForSingleObject(t->thread, 20000);

    ok_(file, line)(ret == WAIT_OBJECT_0, "Got %#lx.\n", ret);
    CloseHandle(t->thread);
    return t->hr;
}

/* No card in the reader: attaching fails; once inserted it works. */
static void test_no_card(void)
{
    SCARD_STATES state;
    ISCard *card;
    BSTR name;
    HRESULT hr;

    card = create_card();
    name = SysAllocString(reader_names[1]);
    stack_ctl(1, "remove");
    wait_card(1, FALSE);

    hr = ISCard_AttachByReader(card, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_NO_SMARTCARD, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);
    hr = ISCard_get_Status(card, &state);
    ok(hr == SCARD_E_INVALID_HANDLE, "Got hr %#lx.\n", hr);

    stack_ctl(1, "insert");
    wait_card(1, TRUE);
    hr = ISCard_AttachByReader(card, name, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Status(card, &state);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(state == SPECIFICMODE, "Got state %#x.\n", state);

    SysFreeString(name);
    ISCard_Release(card);
}

/* The card goes between two transactions: SCARD_W_REMOVED_CARD until it
 * is back and ReAttach made a new connection to it. */
static void test_removed(void)
{
    SCARD_STATES state;
    IByteBuffer *atr;
    ISCardCmd *cmd;
    ISCard *card;
    HRESULT hr;

    card = create_card();
    cmd = create_cmd();
    attach(card, 1, SHARED);
    reset_card(card);
    set_apdu(cmd, "00 84 00 00 04");
    transact(card, cmd, "11 12 13 14 90 00");

    stack_ctl(1, "remove");
    wait_card(1, FALSE);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_W_REMOVED_CARD, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 90 00");
    hr = ISCard_get_Status(card, &state);
    ok(hr == SCARD_W_REMOVED_CARD, "Got hr %#lx.\n", hr);
    atr = (IByteBuffer *)0xdeadbeef;
    hr = ISCard_get_Atr(card, &atr);
    ok(hr == SCARD_W_REMOVED_CARD, "Got hr %#lx.\n", hr);
    ok(!atr, "Got %p.\n", atr);
    /* still attached, to nothing */
    check_handle(card, TRUE);
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == SCARD_E_NO_SMARTCARD, "Got hr %#lx.\n", hr);

    stack_ctl(1, "insert");
    wait_card(1, TRUE);
    /* the connection is the old card's */
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_W_REMOVED_CARD, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* a card just powered: its challenge sequence starts again */
    transact(card, cmd, "11 12 13 14 90 00");
    hr = ISCard_get_Status(card, &state);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(state == SPECIFICMODE, "Got state %#x.\n", state);

    /* removed again, then Detach: fine */
    stack_ctl(1, "remove");
    wait_card(1, FALSE);
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_handle(card, FALSE);
    stack_ctl(1, "insert");
    wait_card(1, TRUE);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* A card that does not answer: vpcd waits for it without a time limit,
 * and so does Transaction; the card leaving the reader ends the wait
 * (vpcd hands pcscd an empty answer: no status word). */
static void test_mute(void)
{
    struct pending_transaction t;
    ISCardCmd *cmd;
    ISCard *card;
    DWORD start, ret;
    HRESULT hr;

    card = create_card();
    cmd = create_cmd();
    attach(card, 1, SHARED);
    reset_card(card);
    set_apdu(cmd, "00 84 00 00 04");
    transact(card, cmd, "11 12 13 14 90 00");

    stack_ctl(1, "mute");
    start_transaction(&t, card, cmd);
    ret = WaitForSingleObject(t.thread, 1500);
    ok(ret == WAIT_TIMEOUT, "Got %#lx.\n", ret);
    stack_ctl(1, "remove");
    hr = finish_transaction(&t);
    ok(hr == SCARD_F_COMM_ERROR, "Got hr %#lx.\n", hr);
    /* the previous reply stays */
    check_reply(cmd, "11 12 13 14 90 00");
    wait_card(1, FALSE);

    stack_ctl(1, "unmute");
    stack_ctl(1, "insert");
    wait_card(1, TRUE);
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "11 12 13 14 90 00");

    /* a slow card: Transaction waits as long as it takes */
    stack_ctl(1, "slow 800");
    start = GetTickCount();
    transact(card, cmd, "22 23 24 25 90 00");
    ok(GetTickCount() - start >= 700, "Took %lu ms.\n", GetTickCount() - start);
    stack_ctl(1, "slow 0");

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* Answers that are no response APDU, or longer than asked for. */
static void test_malformed(void)
{
    struct pending_transaction t;
    ISCardISO7816 *iso;
    IByteBuffer *data;
    ISCardCmd *cmd;
    ISCard *card;
    BYTE expect[320];
    DWORD events, seen;
    HRESULT hr;

    card = create_card();
    cmd = create_cmd();
    iso = create_iso();
    attach(card, 1, SHARED);
    reset_card(card);
    set_apdu(cmd, "00 84 00 00 04");
    transact(card, cmd, "11 12 13 14 90 00");

    /* one byte: no status word */
    stack_ctl(1, "malformed one");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_F_COMM_ERROR, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 90 00");
    /* the card goes on (the third challenge) */
    transact(card, cmd, "33 34 35 36 90 00");

    /* 300 bytes EE the caller never asked for, before the status word:
     * passed on as they came; under T=0 they are joined with the data of
     * the GET RESPONSE that follows the card's 61 08 */
    data = buffer_from_hex("01 02 03 04 05 06 07 08");
    hr = ISCardISO7816_InternalAuthenticate(iso, 0x00, 0x00, data, 8, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(data);
    stack_ctl(1, "malformed long");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    {
        static const BYTE auth[8] = {0xae, 0x82, 0x84, 0xac, 0x82, 0x9a, 0x84, 0xa2};

        if (stack.t1)
        {
            memcpy(expect, auth, 8);
            memset(expect + 8, 0xee, 300);
        }
        else
        {
            memset(expect, 0xee, 300);
            memcpy(expect + 300, auth, 8);
        }
        expect[308] = 0x90;
        expect[309] = 0x00;
        check_reply_bytes(cmd, expect, 310);
    }

    /* an empty answer: vpcd completes it only when the connection ends, so
     * the card sends it and hangs up (vcard/README.md); Transaction sees no
     * status word, at once.  pcscd then sees the card leave and, after the
     * card's reconnect delay, come back: the connection is the old card's
     * all along, until ReAttach. */
    set_apdu(cmd, "00 84 00 00 04");
    transact(card, cmd, "44 45 46 47 90 00");
    events = card_events(1);
    stack_ctl(1, "malformed empty");
    start_transaction(&t, card, cmd);
    hr = finish_transaction(&t);
    ok(hr == SCARD_F_COMM_ERROR, "Got hr %#lx.\n", hr);
    check_reply(cmd, "44 45 46 47 90 00");
    /* the removal seen (the card may be back already) */
    seen = events + 1;
    wait_card_events(1, SCARD_STATE_PRESENT | SCARD_STATE_EMPTY, &seen);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_W_REMOVED_CARD, "Got hr %#lx.\n", hr);
    check_reply(cmd, "44 45 46 47 90 00");
    /* the card back: one removal and one insertion */
    seen = events + 2;
    wait_card_events(1, SCARD_STATE_PRESENT, &seen);
    ok(seen - events == 2, "Got %lu events.\n", seen - events);
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_W_REMOVED_CARD, "Got hr %#lx.\n", hr);
    check_reply(cmd, "44 45 46 47 90 00");
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    /* a card just powered: its challenge sequence starts again */
    transact(card, cmd, "11 12 13 14 90 00");

    ISCardISO7816_Release(iso);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* ISCardDatabase's reader listings, while pcscd is stopped (the only
 * time a test stops it): SCARD_E_NO_SERVICE and no array. */
static void check_database_no_service(void)
{
    ISCardDatabase *database = NULL;
    SAFEARRAY *array;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardDatabase, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardDatabase,
            (void **)&database);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!database)
        return;
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListReaders(database, 0x0409, &array);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListReaderGroups(database, 0x0409, &array);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    ISCardDatabase_Release(database);
}

/* pcscd stopped: SCARD_E_NO_SERVICE; started again: the old connection is
 * gone (SCARD_E_INVALID_HANDLE), ReAttach and AttachByReader make new ones
 * with a new context. */
static void test_service_restart(void)
{
    HSCARDCONTEXT context, context2;
    char script[4 * MAX_PATH], out[2048], tool[MAX_PATH];
    ISCard *card, *card2, *card3;
    SCARD_STATES state;
    ISCardCmd *cmd;
    BSTR name;
    HRESULT hr;
    int status;

    if (!stack_tool(tool, sizeof(tool)))
        return;
    card = create_card();
    card2 = create_card();
    card3 = create_card();
    cmd = create_cmd();
    attach(card, 0, SHARED);
    attach(card2, 1, SHARED);
    hr = ISCard_Detach(card2, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    set_apdu(cmd, "00 84 00 00 04");
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Context(card, &context);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    snprintf(script, sizeof(script), "'%s' stop '%s'", tool, stack.dir);
    status = run_unix(script, out, sizeof(out), 30000);
    ok(!status, "stack stop: %d, %s\n", status, out);

    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Status(card, &state);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    name = SysAllocString(reader_names[0]);
    hr = ISCard_AttachByReader(card3, name, SHARED, T0 | T1);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Context(card3, &context2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!context2, "Got context %#Ix.\n", context2);
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    check_database_no_service();

    snprintf(script, sizeof(script), "'%s' start '%s' --protocol %s --readers %d", tool,
            stack.dir, stack.t1 ? "t1" : "t0", stack.readers);
    status = run_unix(script, out, sizeof(out), 60000);
    ok(!status, "stack start: %d, %s\n", status, out);

    /* ReAttach after a failed ReAttach: a new connection */
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_get_Context(card, &context2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(context2 && context2 != context, "Got context %#Ix (was %#Ix).\n", context2, context);
    transact(card, cmd, "11 12 13 14 90 00");

    /* an object whose context predates the restart attaches again */
    hr = ISCard_AttachByReader(card2, name, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card2, cmd, "22 23 24 25 90 00");
    /* and one that had none */
    hr = ISCard_AttachByReader(card3, name, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card3, cmd, "33 34 35 36 90 00");

    SysFreeString(name);
    ISCardCmd_Release(cmd);
    ISCard_Release(card3);
    ISCard_Release(card2);
    ISCard_Release(card);
}

/* The same, with no call while pcscd is away: the first call after the
 * restart tells, ReAttach recovers. */
static void test_service_restart_stale(void)
{
    char script[4 * MAX_PATH], out[2048], tool[MAX_PATH];
    ISCardCmd *cmd;
    ISCard *card;
    HRESULT hr;
    int status;

    if (!stack_tool(tool, sizeof(tool)))
        return;
    card = create_card();
    cmd = create_cmd();
    attach(card, 0, SHARED);
    reset_card(card);
    set_apdu(cmd, "00 84 00 00 04");
    transact(card, cmd, "11 12 13 14 90 00");

    snprintf(script, sizeof(script), "'%s' stop '%s' && '%s' start '%s' --protocol %s --readers %d",
            tool, stack.dir, tool, stack.dir, stack.t1 ? "t1" : "t0", stack.readers);
    status = run_unix(script, out, sizeof(out), 60000);
    ok(!status, "stack restart: %d, %s\n", status, out);

    /* the connection's socket to the old pcscd is gone */
    hr = ISCard_Transaction(card, &cmd);
    ok(hr == SCARD_E_NO_SERVICE, "Got hr %#lx.\n", hr);
    check_reply(cmd, "11 12 13 14 90 00");
    hr = ISCard_ReAttach(card, EXCLUSIVE, RESET);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    transact(card, cmd, "11 12 13 14 90 00");

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* The child side of test_lock_processes: attach, lock, one transaction,
 * unlock; the exit code is 100 + the time it took in tenths of seconds,
 * or 1 on failure. */
static void lock_child(void)
{
    DWORD start = GetTickCount();
    ISCardCmd *cmd;
    ISCard *card;
    LONG len = 0;
    BSTR name;
    BOOL good;

    CoInitialize(NULL);
    stack_init();
    card = create_card();
    cmd = create_cmd();
    name = SysAllocString(reader_names[0]);
    set_apdu(cmd, "00 B0 81 00 04");
    good = ISCard_AttachByReader(card, name, SHARED, T0 | T1) == S_OK
            && ISCard_LockSCard(card) == S_OK
            && ISCard_Transaction(card, &cmd) == S_OK
            && ISCardCmd_get_ApduReplyLength(cmd, &len) == S_OK && len == 6
            && ISCard_UnlockSCard(card, LEAVE) == S_OK;
    SysFreeString(name);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
    CoUninitialize();
    ExitProcess(good ? 100 + min((GetTickCount() - start) / 100, 150) : 1);
}

#define run_child(a) run_child_(__FILE__, __LINE__, a)
static HANDLE run_child_(const char *file, unsigned int line, const char *arg)
{
    STARTUPINFOA si = {sizeof(si)};
    PROCESS_INFORMATION pi;
    char path[MAX_PATH], cmdline[MAX_PATH + 32];
    BOOL ret;

    GetModuleFileNameA(NULL, path, sizeof(path));
    snprintf(cmdline, sizeof(cmdline), "\"%s\" %s", path, arg);
    ret = CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi);
    ok_(file, line)(ret, "CreateProcess failed, error %lu.\n", GetLastError());
    if (!ret)
        return NULL;
    CloseHandle(pi.hThread);
    return pi.hProcess;
}

/* LockSCard in one process keeps another out until UnlockSCard. */
static void test_lock_processes(void)
{
    DWORD ret, code;
    ISCardCmd *cmd;
    HANDLE child;
    ISCard *card;
    HRESULT hr;

    card = create_card();
    cmd = create_cmd();
    attach(card, 0, SHARED);
    reset_card(card);

    /* unlocked: the child is done at once */
    child = run_child("lock-child");
    ret = WaitForSingleObject(child, 20000);
    ok(ret == WAIT_OBJECT_0, "Got %#lx.\n", ret);
    code = 0;
    GetExitCodeProcess(child, &code);
    ok(code >= 100 && code < 108, "Got exit code %lu.\n", code);
    CloseHandle(child);

    hr = ISCard_LockSCard(card);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    child = run_child("lock-child");
    ret = WaitForSingleObject(child, 2000);
    ok(ret == WAIT_TIMEOUT, "Got %#lx.\n", ret);
    /* the holder goes on meanwhile */
    set_apdu(cmd, "00 B0 81 00 02");
    transact(card, cmd, "00 01 90 00");
    hr = ISCard_UnlockSCard(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ret = WaitForSingleObject(child, 20000);
    ok(ret == WAIT_OBJECT_0, "Got %#lx.\n", ret);
    code = 0;
    GetExitCodeProcess(child, &code);
    ok(code >= 110 && code < 250, "Got exit code %lu.\n", code);
    CloseHandle(child);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

START_TEST(faults)
{
    if (strstr(GetCommandLineA(), " lock-child"))
        lock_child();

    CoInitialize(NULL);
    if (stack_init())
    {
        test_no_card();
        test_removed();
        test_mute();
        test_malformed();
        test_lock_processes();
        test_service_restart();
        test_service_restart_stale();
    }
    CoUninitialize();
}
