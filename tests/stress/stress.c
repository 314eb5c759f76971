/*
 * Stress and faults: ISCard under load from many threads, with pcscd
 * killed, the card removed and the card mute in the middle of the load,
 * and create/release cycles of every class with the process's memory
 * before and after, against a T=0 and a T=1 card (tests/tests.mk).
 *
 * Short by default (what `make check` runs); SCARDSSP_STRESS=full in the
 * environment (what `make stress` sets) gives the full counts.  Every
 * Transaction without a fault must give S_OK and the exact reply; under a
 * fault, each failure must be one of the codes defined for that fault
 * (README's decisions), every thread must recover (its ReAttach works once
 * the fault is gone, and its transactions succeed again), and memory
 * growth over the create/release cycles must stay under a generous bound.
 * Counts, errors by code, times and memory figures are printed.
 *
 * min-checks: 240 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "../card/cardtest.h"
#include "psapi.h"

/* Growth allowed over one class's create/release cycles (after a warm-up
 * tenth): 16 bytes a cycle, at least 256 KiB; measured, it is 0 (memory
 * comes in 4 KiB pages).  A leak of 32 bytes per object goes past it. */
#define MEMORY_BOUND(cycles) max(256u << 10, (cycles) * 16u)

static struct
{
    BOOL full;
    int threads;          /* per load phase; the fault phases use them too */
    int transactions;     /* per thread, per load phase */
    int cycles;           /* create/release per class */
} scale;

static volatile LONG stop_flag, restored_flag, pause_flag;

/* Failure codes seen in one phase, by code. */
struct codes
{
    CRITICAL_SECTION cs;
    HRESULT hr[32];
    LONG count[32];
    unsigned int n;
};

static void codes_init(struct codes *codes)
{
    memset(codes, 0, sizeof(*codes));
    InitializeCriticalSection(&codes->cs);
}

static void codes_add(struct codes *codes, HRESULT hr)
{
    unsigned int i;

    EnterCriticalSection(&codes->cs);
    for (i = 0; i < codes->n; i++)
        if (codes->hr[i] == hr) break;
    if (i < ARRAY_SIZE(codes->hr))
    {
        codes->hr[i] = hr;
        codes->count[i]++;
        if (i == codes->n) codes->n++;
    }
    LeaveCriticalSection(&codes->cs);
}

static const char *code_name(HRESULT hr)
{
    static const struct
    {
        HRESULT hr;
        const char *name;
    }
    names[] =
    {
#define NAME(x) {x, #x}
        NAME(SCARD_E_NO_SERVICE), NAME(SCARD_E_SERVICE_STOPPED), NAME(SCARD_E_INVALID_HANDLE),
        NAME(SCARD_W_SECURITY_VIOLATION), NAME(SCARD_F_COMM_ERROR), NAME(SCARD_E_READER_UNAVAILABLE),
        NAME(SCARD_E_NO_READERS_AVAILABLE), NAME(SCARD_E_UNKNOWN_READER), NAME(SCARD_E_NO_SMARTCARD),
        NAME(SCARD_W_REMOVED_CARD), NAME(SCARD_W_RESET_CARD), NAME(SCARD_W_UNPOWERED_CARD),
        NAME(SCARD_E_SHARING_VIOLATION), NAME(SCARD_E_NOT_TRANSACTED), NAME(SCARD_E_TIMEOUT),
        NAME(SCARD_F_INTERNAL_ERROR), NAME(SCARD_E_PROTO_MISMATCH),
        {E_HANDLE, "E_HANDLE (HRESULT_FROM_WIN32(ERROR_INVALID_HANDLE))"},
#undef NAME
    };
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(names); i++)
        if (names[i].hr == hr) return names[i].name;
    return "?";
}

/* Prints the codes, and checks each against allowed[] (0-terminated). */
static void codes_check(struct codes *codes, const char *what, const HRESULT *allowed)
{
    char line[1024] = "";
    unsigned int i, k;

    for (i = 0; i < codes->n; i++)
    {
        for (k = 0; allowed[k]; k++)
            if (allowed[k] == codes->hr[i]) break;
        ok(allowed[k] != 0, "%s: %ld x %#lx (%s), not a code defined for this fault.\n", what,
                codes->count[i], codes->hr[i], code_name(codes->hr[i]));
        snprintf(line + strlen(line), sizeof(line) - strlen(line), "%s%#lx %s x%ld", i ? ", " : "",
                codes->hr[i], code_name(codes->hr[i]), codes->count[i]);
    }
    printf("stress: %s: %s\n", what, codes->n ? line : "none");
    DeleteCriticalSection(&codes->cs);
}

struct memory
{
    SIZE_T working_set, private_bytes;
};

/* The process's memory.  Wine fills these from the process's own
 * /proc/PID/status (VmRSS; RssAnon + VmSwap); the process cannot read that
 * file itself through Z:, since the wineserver opens files (/proc/self
 * would be the server's). */
static void get_memory(struct memory *m)
{
    PROCESS_MEMORY_COUNTERS pmc;

    memset(&pmc, 0, sizeof(pmc));
    pmc.cb = sizeof(pmc);
    ok(GetProcessMemoryInfo(GetCurrentProcess(), &pmc, sizeof(pmc)),
            "GetProcessMemoryInfo failed, error %lu.\n", GetLastError());
    m->working_set = pmc.WorkingSetSize;
    m->private_bytes = pmc.PagefileUsage;   /* the commit charge: PrivateUsage */
}

static void print_memory(const char *when, const struct memory *m)
{
    printf("stress: memory %s: working set %Iu KiB, private bytes %Iu KiB\n", when,
            m->working_set / 1024, m->private_bytes / 1024);
}

static ISCardCmd *cmd_from_hex(const char *hex)
{
    IByteBuffer *buffer;
    ISCardCmd *cmd = NULL;
    BYTE data[64];
    LONG len = parse_hex(hex, data, sizeof(data));

    if (FAILED(CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd)))
        return NULL;
    if (FAILED(CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer,
            (void **)&buffer)))
    {
        ISCardCmd_Release(cmd);
        return NULL;
    }
    IByteBuffer_Write(buffer, data, len, NULL);
    IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    if (FAILED(ISCardCmd_put_Apdu(cmd, buffer)))
    {
        ISCardCmd_Release(cmd);
        cmd = NULL;
    }
    IByteBuffer_Release(buffer);
    return cmd;
}

/* The command's reply (no ok(): any thread); -1 when it cannot be read. */
static LONG get_reply(ISCardCmd *cmd, BYTE *data, LONG size)
{
    IByteBuffer *buffer = NULL;
    LONG length = -1, read = -1;

    if (ISCardCmd_get_ApduReplyLength(cmd, &length) != S_OK || length > size) return -1;
    if (ISCardCmd_get_ApduReply(cmd, &buffer) != S_OK || !buffer) return -1;
    IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, NULL);
    if (IByteBuffer_Read(buffer, data, size, &read) != S_OK || read != length) read = -1;
    IByteBuffer_Release(buffer);
    return read;
}

/* READ BINARY of EF 0001 (SFI 1) and INTERNAL AUTHENTICATE (case 4; under
 * T=0 a 61 08 and a GET RESPONSE), and their replies (vcard/README.md). */
static const char read_apdu[] = "00 B0 81 00 04";
static const BYTE read_reply[] = {0x00, 0x01, 0x02, 0x03, 0x90, 0x00};
static const char auth_apdu[] = "00 88 00 00 08 01 02 03 04 05 06 07 08 00";
static const BYTE auth_reply[] = {0xae, 0x82, 0x84, 0xac, 0x82, 0x9a, 0x84, 0xa2, 0x90, 0x00};

struct worker
{
    ISCard *card;
    BOOL auth;              /* INTERNAL AUTHENTICATE every other time */
    BOOL lock;              /* each Transaction inside LockSCard/UnlockSCard */
    int count;              /* transactions; 0: until stop_flag */
    struct codes *failures, *reattach_failures;
    /* results */
    volatile LONG good, good_after_restore, idle;
    LONG wrong_reply, failed, setup_failed, gave_up, reattach_failed_after_restore;
    BYTE first_wrong[64];   /* the first wrong reply, and its command */
    LONG first_wrong_len;
    const char *first_wrong_apdu;
    HANDLE thread;
};

/* After a failure: ReAttach until it works; FALSE when the phase ends or
 * 30 s went by first. */
static BOOL recover(struct worker *w)
{
    DWORD start = GetTickCount();
    HRESULT hr;

    while (!stop_flag && GetTickCount() - start < 30000)
    {
        BOOL after = restored_flag;

        if ((hr = ISCard_ReAttach(w->card, SHARED, LEAVE)) == S_OK) return TRUE;
        codes_add(w->reattach_failures, hr);
        if (after) w->reattach_failed_after_restore++;
        Sleep(50);
    }
    return FALSE;
}

static DWORD WINAPI worker_proc(void *arg)
{
    struct worker *w = arg;
    ISCardCmd *read, *auth;
    int i;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    read = cmd_from_hex(read_apdu);
    auth = cmd_from_hex(auth_apdu);
    if (!read || !auth)
    {
        w->setup_failed = 1;
        stop_flag = 1;
    }
    for (i = 0; !w->setup_failed && (w->count ? i < w->count : !stop_flag); i++)
    {
        BOOL is_auth = w->auth && (i & 1), after, locked = FALSE;
        ISCardCmd *cmd = is_auth ? auth : read;
        HRESULT hr = S_OK;

        if (pause_flag)
        {
            w->idle = 1;
            while (pause_flag && !stop_flag) Sleep(10);
            w->idle = 0;
        }
        after = restored_flag;

        if (w->lock)
            locked = (hr = ISCard_LockSCard(w->card)) == S_OK;
        if (hr == S_OK)
            hr = ISCard_Transaction(w->card, &cmd);
        if (locked && hr == S_OK)
            hr = ISCard_UnlockSCard(w->card, LEAVE);
        else if (locked)
            ISCard_UnlockSCard(w->card, LEAVE);
        if (hr == S_OK)
        {
            const BYTE *expect = is_auth ? auth_reply : read_reply;
            LONG expect_len = is_auth ? sizeof(auth_reply) : sizeof(read_reply);
            BYTE reply[64];
            LONG len = get_reply(cmd, reply, sizeof(reply));

            if (len != expect_len || memcmp(reply, expect, len))
            {
                if (!w->wrong_reply++)
                {
                    w->first_wrong_len = len;
                    memcpy(w->first_wrong, reply, max(len, 0));
                    w->first_wrong_apdu = is_auth ? auth_apdu : read_apdu;
                }
            }
            else if (after)
                InterlockedIncrement(&w->good_after_restore);
            else
                InterlockedIncrement(&w->good);
            continue;
        }
        w->failed++;
        codes_add(w->failures, hr);
        if (!recover(w) && !stop_flag)
        {
            w->gave_up = 1;
            break;
        }
    }
    if (read) ISCardCmd_Release(read);
    if (auth) ISCardCmd_Release(auth);
    CoUninitialize();
    return 0;
}

static void start_worker(struct worker *w, ISCard *card, BOOL auth, BOOL lock, int count,
                         struct codes *failures, struct codes *reattach_failures)
{
    memset(w, 0, sizeof(*w));
    w->card = card;
    w->auth = auth;
    w->lock = lock;
    w->count = count;
    w->failures = failures;
    w->reattach_failures = reattach_failures;
    w->thread = CreateThread(NULL, 0, worker_proc, w, 0, NULL);
}

static void check_worker(const struct worker *w, int i)
{
    ok(!w->gave_up, "Thread %d: ReAttach failed for 30 s.\n", i);
    ok(!w->wrong_reply, "Thread %d: %ld wrong replies, the first to %s: %s.\n", i, w->wrong_reply,
            w->first_wrong_apdu, hexdump(w->first_wrong, w->first_wrong_len));
}

static ISCard *attached_card(void)
{
    ISCard *card = create_card();

    attach(card, 0, SHARED);
    return card;
}

/* N threads on one ISCard, then N threads with an ISCard each: every
 * Transaction S_OK with the exact reply. */
static void test_load(BOOL shared)
{
    struct worker *workers = calloc(scale.threads, sizeof(*workers));
    struct codes failures, reattach_failures;
    ISCard *card = shared ? attached_card() : NULL;
    LONG good = 0, wrong = 0, failed = 0;
    DWORD start = GetTickCount(), ret, elapsed;
    int i;

    codes_init(&failures);
    codes_init(&reattach_failures);
    stop_flag = restored_flag = 0;
    /* separate connections interleave: under T=0, a GET RESPONSE must not
     * be separated from its command, hence the locks there.  (With only
     * the INTERNAL AUTHENTICATEs locked, another connection's unlocked
     * READ BINARY came between one and its GET RESPONSE, 1 to 3 times in
     * 80000: pcscd checks the lock before it waits for the reader.) */
    for (i = 0; i < scale.threads; i++)
        start_worker(&workers[i], shared ? card : attached_card(), TRUE, !shared && !stack.t1, scale.transactions,
                &failures, &reattach_failures);
    for (i = 0; i < scale.threads; i++)
    {
        ret = WaitForSingleObject(workers[i].thread, 600000);
        ok(ret == WAIT_OBJECT_0, "Thread %d: got %#lx.\n", i, ret);
        CloseHandle(workers[i].thread);
    }
    elapsed = GetTickCount() - start;
    for (i = 0; i < scale.threads; i++)
    {
        ok(!workers[i].setup_failed, "Thread %d could not build its commands.\n", i);
        ok(workers[i].good == scale.transactions, "Thread %d: %ld of %d transactions S_OK with the expected reply.\n",
                i, workers[i].good, scale.transactions);
        check_worker(&workers[i], i);
        good += workers[i].good;
        wrong += workers[i].wrong_reply;
        failed += workers[i].failed;
        if (!shared) ISCard_Release(workers[i].card);
    }
    printf("stress: %s: %d threads x %d transactions: %ld S_OK, %ld wrong replies, %ld errors, %lu ms (%.1f us per transaction)\n",
            shared ? "one ISCard shared" : "an ISCard per thread", scale.threads, scale.transactions, good, wrong,
            failed, elapsed, good ? elapsed * 1000.0 / good : 0.0);
    codes_check(&failures, "  Transaction errors", (const HRESULT[]){0});
    codes_check(&reattach_failures, "  ReAttach errors", (const HRESULT[]){0});
    if (card) ISCard_Release(card);
    free(workers);
}

/* Waits (bounded) until every worker has at least n good transactions
 * (before the fault, or after the fault was gone). */
static BOOL wait_workers(struct worker *workers, int count, BOOL after_restore, LONG n, DWORD timeout)
{
    DWORD start = GetTickCount();
    int i;

    while (GetTickCount() - start < timeout && !stop_flag)
    {
        for (i = 0; i < count; i++)
            if ((after_restore ? workers[i].good_after_restore : workers[i].good) < n) break;
        if (i == count) return TRUE;
        Sleep(20);
    }
    return FALSE;
}

/* Runs the transaction loop (half the threads on one shared ISCard, half
 * with their own) while inject() breaks things and restore() mends them
 * (with between set, while every thread waits between two transactions);
 * checks the failure codes against the ones defined for that fault and
 * that every thread recovers: once the fault is gone, each ReAttach works
 * at the first try. */
static void test_fault(const char *what, BOOL between, void (*inject)(void), void (*restore)(void),
                       const HRESULT *allowed, const HRESULT *allowed_reattach)
{
    int i, count = max(2, scale.threads / 2 * 2);
    struct worker *workers = calloc(count, sizeof(*workers));
    struct codes failures, reattach_failures;
    ISCard *shared = attached_card();
    LONG good = 0, after = 0, failed = 0, wrong = 0;
    DWORD start = GetTickCount(), ret;
    char name[128];
    BOOL running;

    codes_init(&failures);
    codes_init(&reattach_failures);
    stop_flag = restored_flag = pause_flag = 0;
    /* READ BINARY only: under faults, a thread's ReAttach may come
     * between another's command and its GET RESPONSE */
    for (i = 0; i < count; i++)
        start_worker(&workers[i], i < count / 2 ? shared : attached_card(), FALSE, FALSE, 0, &failures,
                &reattach_failures);

    running = wait_workers(workers, count, FALSE, 10, 20000);
    ok(running, "%s: the threads did not get going.\n", what);
    if (running && between)
    {
        pause_flag = 1;
        for (i = 0; i < count; i++)
            while (!workers[i].idle && GetTickCount() - start < 60000) Sleep(10);
        ok(workers[count - 1].idle, "%s: the threads did not pause.\n", what);
    }
    if (running)
    {
        inject();
        restore();
    }
    restored_flag = 1;
    pause_flag = 0;
    running = wait_workers(workers, count, TRUE, 10, 30000);
    ok(running, "%s: the threads did not recover.\n", what);
    stop_flag = 1;
    for (i = 0; i < count; i++)
    {
        ret = WaitForSingleObject(workers[i].thread, 60000);
        ok(ret == WAIT_OBJECT_0, "%s: thread %d: got %#lx, error %lu.\n", what, i, ret, GetLastError());
        CloseHandle(workers[i].thread);
    }
    for (i = 0; i < count; i++)
    {
        ok(!workers[i].setup_failed, "%s: thread %d could not build its commands.\n", what, i);
        ok(workers[i].good_after_restore >= 10, "%s: thread %d: %ld good transactions after the fault was gone.\n",
                what, i, workers[i].good_after_restore);
        ok(!workers[i].reattach_failed_after_restore, "%s: thread %d: %ld ReAttach failures after the fault was gone.\n",
                what, i, workers[i].reattach_failed_after_restore);
        check_worker(&workers[i], i);
        good += workers[i].good;
        after += workers[i].good_after_restore;
        failed += workers[i].failed;
        wrong += workers[i].wrong_reply;
        if (i >= count / 2) ISCard_Release(workers[i].card);
    }
    printf("stress: %s: %d threads (%d on one ISCard): %ld S_OK before the fault was gone, %ld after, %ld wrong replies, %ld errors, %lu ms\n",
            what, count, count / 2, good, after, wrong, failed, GetTickCount() - start);
    snprintf(name, sizeof(name), "  %s: Transaction errors", what);
    codes_check(&failures, name, allowed);
    snprintf(name, sizeof(name), "  %s: ReAttach errors", what);
    codes_check(&reattach_failures, name, allowed_reattach);
    ISCard_Release(shared);
    free(workers);
}

/* Runs tools/stack with the arguments (its path as the card tests find it). */
static void stack_command(const char *args)
{
    const char *tool = getenv("SCARDSSP_STACK_TOOL"), *srcdir = getenv("top_srcdir");
    char script[4 * MAX_PATH], out[2048];
    int status;

    ok(tool || srcdir, "top_srcdir unset: the stack cannot be restarted.\n");
    if (tool)
        snprintf(script, sizeof(script), "'%s' %s", tool, args);
    else
        snprintf(script, sizeof(script), "'%s/tools/stack' %s", srcdir, args);
    status = run_unix(script, out, sizeof(out), 60000);
    ok(!status, "stack %s: %d, %s\n", args, status, out);
}

static void kill_pcscd(void)
{
    char script[2 * MAX_PATH], out[1024];
    int status;

    /* SIGKILL: no goodbye to the clients */
    snprintf(script, sizeof(script), "kill -KILL $(cat '%s/pcscd.pid')", stack.dir);
    status = run_unix(script, out, sizeof(out), 10000);
    ok(!status, "kill pcscd: %d, %s\n", status, out);
    Sleep(500);
}

static void restart_stack(void)
{
    char args[2 * MAX_PATH];

    snprintf(args, sizeof(args), "start '%s' --protocol %s --readers %d", stack.dir, stack.t1 ? "t1" : "t0",
            stack.readers);
    stack_command(args);
}

static BOOL card_in_reader(BOOL present)
{
    SCARD_READERSTATEW state;
    SCARDCONTEXT context;
    DWORD start = GetTickCount();
    BOOL done = FALSE;

    if (SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context)) return FALSE;
    memset(&state, 0, sizeof(state));
    state.szReader = reader_names[0];
    state.dwCurrentState = SCARD_STATE_UNAWARE;
    while (!done && GetTickCount() - start < 10000)
    {
        LONG ret = SCardGetStatusChangeW(context, 500, &state, 1);

        if (ret == SCARD_S_SUCCESS)
        {
            done = !!(state.dwEventState & (present ? SCARD_STATE_PRESENT : SCARD_STATE_EMPTY));
            state.dwCurrentState = state.dwEventState & ~SCARD_STATE_CHANGED;
        }
        else if (ret != SCARD_E_TIMEOUT)
            break;
    }
    SCardReleaseContext(context);
    ok(done, "The card did not become %s.\n", present ? "present" : "absent");
    return done;
}

static void remove_card(void)
{
    stack_ctl(0, "remove");
    card_in_reader(FALSE);
    Sleep(300);
}

static void insert_card(void)
{
    stack_ctl(0, "insert");
    card_in_reader(TRUE);
}

static void mute_card(void)
{
    stack_ctl(0, "mute");
    /* the transactions under way wait for the card */
    Sleep(1000);
    remove_card();
}

static void unmute_card(void)
{
    stack_ctl(0, "unmute");
    insert_card();
}

/* 10^5 (short: 10^4) create/release cycles of every class through its
 * class factory, memory before and after; for each class, the growth
 * after a warm-up tenth must stay under the bound. */
static void test_cycles(void)
{
    static const struct
    {
        const CLSID *clsid;
        const char *name;
    }
    classes[] =
    {
        {&CLSID_CByteBuffer, "CByteBuffer"}, {&CLSID_CSCardTypeConv, "CSCardTypeConv"},
        {&CLSID_CSCardCmd, "CSCardCmd"}, {&CLSID_CSCardISO7816, "CSCardISO7816"}, {&CLSID_CSCard, "CSCard"},
        {&CLSID_CSCardDatabase, "CSCardDatabase"}, {&CLSID_CSCardLocate, "CSCardLocate"},
    };
    struct memory before, warm, after;
    unsigned int c;
    int i;

    get_memory(&before);
    print_memory("before the cycles", &before);
    for (c = 0; c < ARRAY_SIZE(classes); c++)
    {
        DWORD start = GetTickCount();
        IClassFactory *factory = NULL;
        LONG failures = 0;
        HRESULT hr;

        hr = CoGetClassObject(classes[c].clsid, CLSCTX_INPROC_SERVER, NULL, &IID_IClassFactory, (void **)&factory);
        ok(hr == S_OK, "%s: got hr %#lx.\n", classes[c].name, hr);
        if (hr != S_OK)
            continue;
        for (i = 0; i < scale.cycles; i++)
        {
            IUnknown *unk = NULL;

            if (i == scale.cycles / 10)
                get_memory(&warm);
            if (IClassFactory_CreateInstance(factory, NULL, &IID_IUnknown, (void **)&unk) != S_OK || !unk)
                failures++;
            else if (IUnknown_Release(unk))
                failures++;
        }
        IClassFactory_Release(factory);
        get_memory(&after);
        ok(!failures, "%s: %ld of %d create/release cycles failed.\n", classes[c].name, failures, scale.cycles);
        printf("stress: %s: %d create/release cycles, %ld failures, %lu ms; after the first tenth: working set"
                " %+ld KiB, private bytes %+ld KiB\n", classes[c].name, scale.cycles, failures, GetTickCount() - start,
                (long)(after.working_set - warm.working_set) / 1024, (long)(after.private_bytes - warm.private_bytes) / 1024);
        ok(after.private_bytes <= warm.private_bytes + MEMORY_BOUND(scale.cycles),
                "%s: private bytes grew from %Iu to %Iu KiB.\n", classes[c].name, warm.private_bytes / 1024,
                after.private_bytes / 1024);
        ok(after.working_set <= warm.working_set + MEMORY_BOUND(scale.cycles),
                "%s: the working set grew from %Iu to %Iu KiB.\n", classes[c].name, warm.working_set / 1024,
                after.working_set / 1024);
    }
    print_memory("after the cycles", &after);
}

static void run_stress_tests(void)
{
    /* the codes each fault gives (README's decisions): pcscd gone (and
     * back: the old handles are invalid), the card gone, the card mute
     * (the transfer ends when it leaves the reader) */
    static const HRESULT pcscd_codes[] = {SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_E_INVALID_HANDLE,
            E_HANDLE, SCARD_W_SECURITY_VIOLATION, SCARD_F_COMM_ERROR,
            SCARD_E_READER_UNAVAILABLE, 0};
    /* SCARD_W_SECURITY_VIOLATION: pcsc-lite's code for a socket reset as
     * pcscd goes away, which a ReAttach that re-established its context can
     * meet again while pcscd is still going (measured, once a run); the
     * next ReAttach recovers (asserted below) */
    static const HRESULT pcscd_reattach_codes[] = {SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED,
            SCARD_E_NO_READERS_AVAILABLE, SCARD_E_UNKNOWN_READER, SCARD_E_READER_UNAVAILABLE,
            SCARD_E_NO_SMARTCARD, SCARD_W_SECURITY_VIOLATION, 0};
    /* (SCARD_E_NO_SMARTCARD: a transmit that reaches pcscd once it saw the reader empty, measured
     * under Wine 11) */
    static const HRESULT removal_codes[] = {SCARD_W_REMOVED_CARD, SCARD_F_COMM_ERROR, SCARD_E_NOT_TRANSACTED,
                                            SCARD_E_NO_SMARTCARD, 0};
    static const HRESULT removal_reattach_codes[] = {SCARD_E_NO_SMARTCARD, SCARD_W_REMOVED_CARD,
            SCARD_E_PROTO_MISMATCH, 0};
    struct memory start, end;
    const char *mode = getenv("SCARDSSP_STRESS");

    scale.full = mode && !strcmp(mode, "full");
    scale.threads = scale.full ? 8 : 4;
    scale.transactions = scale.full ? 10000 : 100;
    scale.cycles = scale.full ? 100000 : 10000;
    printf("stress: %s run (SCARDSSP_STRESS=full for the full one), T=%d card\n", scale.full ? "full" : "short",
            stack.t1 ? 1 : 0);
    get_memory(&start);
    print_memory("at the start", &start);

    test_load(TRUE);
    test_load(FALSE);
    test_fault("pcscd killed and restarted", FALSE, kill_pcscd, restart_stack, pcscd_codes, pcscd_reattach_codes);
    test_fault("pcscd killed and restarted between transactions", TRUE, kill_pcscd, restart_stack, pcscd_codes,
            pcscd_reattach_codes);
    test_fault("card removed and inserted", FALSE, remove_card, insert_card, removal_codes, removal_reattach_codes);
    test_fault("card mute, then removed", FALSE, mute_card, unmute_card, removal_codes, removal_reattach_codes);
    test_cycles();

    get_memory(&end);
    print_memory("at the end", &end);
}

START_TEST(stress)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (stack_init())
        run_stress_tests();
    CoUninitialize();
}
