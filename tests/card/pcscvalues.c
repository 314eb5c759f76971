/*
 * ISCard with PC/SC's own values, the way real clients pass them (the
 * GemCard .NET framework casts PC/SC constants into the enums): share
 * modes and protocol masks go to winscard as they are and PC/SC judges
 * them; a GSM-style exchange (9F xx, the caller's own A0 C0 GET RESPONSE)
 * passes the transport untouched; a resource manager lost in the middle of
 * a transaction is recovered at the first ReAttach.  Run against both
 * personalities (tests/tests.mk).
 *
 * min-checks: 270 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "cardtest.h"
#include "builtin.h"

/* PC/SC's values where Windows and the type library differ */
#define PCSC_SHARE_DIRECT      3
#define PCSC_PROTOCOL_RAW      0x10000
#define PCSC_PROTOCOL_DEFAULT  0x80000000

static HRESULT attach_with(ISCard *card, int reader, LONG share, LONG protocol)
{
    BSTR name = SysAllocString(reader_names[reader]);
    HRESULT hr;

    hr = ISCard_AttachByReader(card, name, share, protocol);
    SysFreeString(name);
    return hr;
}

#define check_attached(a, b, c) check_attached_(__LINE__, a, b, c)
static void check_attached_(unsigned int line, ISCard *card, SCARD_PROTOCOLS expect_protocol, SCARD_STATES expect_state)
{
    SCARD_PROTOCOLS protocol = 0xdead;
    SCARD_STATES state = 0xdead;
    HSCARD handle = 0;
    HRESULT hr;

    hr = ISCard_get_CardHandle(card, &handle);
    ok_(__FILE__, line)(hr == S_OK && handle, "Got hr %#lx, handle %#Ix.\n", hr, handle);
    hr = ISCard_get_Protocol(card, &protocol);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(protocol == expect_protocol, "Got protocol %#x, expected %#x.\n", protocol, expect_protocol);
    hr = ISCard_get_Status(card, &state);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(state == expect_state, "Got state %#x, expected %#x.\n", state, expect_state);
}

/* READ BINARY of EF 0001 by its SFI and its exact reply (vcard/README.md) */
static const char read_binary[] = "00 B0 81 00 10";
static const char read_binary_reply[] = "00 01 02 03 04 05 06 07 08 09 0A 0B 0C 0D 0E 0F 90 00";

#define check_handle_zero(a) check_handle_zero_(__LINE__, a)
static void check_handle_zero_(unsigned int line, ISCard *card)
{
    HSCARD handle = 0xdead;
    HRESULT hr;

    hr = ISCard_get_CardHandle(card, &handle);
    ok_(__FILE__, line)(hr == S_OK && !handle, "Got hr %#lx, handle %#Ix.\n", hr, handle);
}

/* Card 0's "status" line (vcard/README.md) and the APDU count in it. */
static void card_status_line(char *out, size_t size)
{
    char script[3 * MAX_PATH];
    int status;

    snprintf(script, sizeof(script), "'%s' ctl '%s' status", stack.vcard, stack.control[0]);
    status = run_unix(script, out, size, 10000);
    ok(!status && !strncmp(out, "ok", 2), "status: %d, %s\n", status, out);
}

static int apdu_count(const char *status_line)
{
    const char *p = strstr(status_line, " apdus=");

    return p ? atoi(p + 7) : -1;
}

static void test_protocol_masks(void)
{
    SCARD_PROTOCOLS mine = stack.t1 ? T1 : T0, other = stack.t1 ? T0 : T1;
    ISCardCmd *cmd = create_cmd();
    ISCard *card = create_card();
    HRESULT hr;

    set_apdu(cmd, "00 84 00 00 04");

    /* SCARD_PROTOCOL_DEFAULT: the card's own protocol */
    hr = attach_with(card, 0, SHARED, PCSC_PROTOCOL_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, mine, SPECIFICMODE);
    reset_card(card);
    transact(card, cmd, "11 12 13 14 90 00");

    /* T0|T1 and the card's protocol alone; the other one is PC/SC's refusal */
    hr = attach_with(card, 0, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, mine, SPECIFICMODE);
    transact(card, cmd, "22 23 24 25 90 00");
    hr = attach_with(card, 0, EXCLUSIVE, mine | PCSC_PROTOCOL_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, mine, SPECIFICMODE);
    hr = attach_with(card, 0, SHARED, other);
    ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
    check_handle_zero(card);

    /* Windows' RAW 0x10000 and the type library's RAW (0xFF) are the same
     * request: the reader passes APDUs through unchanged, no T=0 rules */
    hr = attach_with(card, 0, SHARED, PCSC_PROTOCOL_RAW);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, RAW, SPECIFICMODE);
    reset_card(card);
    transact(card, cmd, "11 12 13 14 90 00");
    hr = attach_with(card, 0, SHARED, RAW);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, RAW, SPECIFICMODE);
    transact(card, cmd, "22 23 24 25 90 00");
    /* T0|T1 after RAW connects, as on Windows: pcscd keeps the card in RAW
     * until it is reset (pcsc-lite issue #49), so winscard resets it when
     * nobody else holds it (the challenge sequence restarts) */
    hr = attach_with(card, 0, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, mine, SPECIFICMODE);
    transact(card, cmd, "11 12 13 14 90 00");

    /* values PC/SC itself rejects: PC/SC's error */
    hr = attach_with(card, 0, SHARED, 0);
    ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
    hr = attach_with(card, 0, 0, mine);
    ok(hr == SCARD_E_INVALID_VALUE, "Got hr %#lx.\n", hr);
    hr = attach_with(card, 0, 4, mine);
    ok(hr == SCARD_E_INVALID_VALUE, "Got hr %#lx.\n", hr);
    check_handle_zero(card);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* SCARD_SHARE_DIRECT with protocol 0: a connection to the reader with no
 * protocol (get_Protocol 0, the card NEGOTIABLE, as Windows reports it),
 * whatever the card runs. */
static void test_direct(void)
{
    SCARD_PROTOCOLS mine = stack.t1 ? T1 : T0;
    ISCardCmd *cmd = create_cmd();
    ISCard *card = create_card();
    HRESULT hr;

    hr = attach_with(card, 0, PCSC_SHARE_DIRECT, 0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, 0, NEGOTIABLEMODE);
    /* what is sent goes as built (RAW), and pcscd passes it on */
    set_apdu(cmd, "00 CA 01 01 04");
    transact(card, cmd, "56 43 44 31 90 00");

    /* a shared connection needs protocols: ReAttach keeps the attach's 0 */
    hr = ISCard_ReAttach(card, SHARED, LEAVE);
    ok(hr == SCARD_E_PROTO_MISMATCH, "Got hr %#lx.\n", hr);
    check_attached(card, 0, NEGOTIABLEMODE);
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = attach_with(card, 0, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCard_ReAttach(card, PCSC_SHARE_DIRECT, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, mine, SPECIFICMODE);
    transact(card, cmd, "56 43 44 31 90 00");
    hr = ISCard_ReAttach(card, 0, LEAVE);
    ok(hr == SCARD_E_INVALID_VALUE, "Got hr %#lx.\n", hr);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

/* GSM 11.11 (vcard/README.md, CLA A0): SELECT answers 9F xx, which reaches
 * the caller as it is (no GET RESPONSE of scardssp's own, under T=0 too);
 * the caller's A0 C0 GET RESPONSE goes out as written. */
static void test_gsm(void)
{
    ISCardCmd *cmd = create_cmd();
    ISCard *card = create_card();
    char before[512], after[512];

    attach(card, 0, SHARED);
    reset_card(card);
    card_status_line(before, sizeof(before));
    set_apdu(cmd, "A0 A4 00 00 02 3F 00");
    transact(card, cmd, "9F 09");
    set_apdu(cmd, "A0 C0 00 00 09");
    transact(card, cmd, "6F 07 82 01 38 83 02 3F 00 90 00");
    card_status_line(after, sizeof(after));
    /* two APDUs reached the card, no more */
    ok(apdu_count(after) == apdu_count(before) + 2, "APDUs %d then %d.\n", apdu_count(before), apdu_count(after));
    /* nothing left: the card answers its own status */
    transact(card, cmd, "69 85");

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

struct pending
{
    ISCard *card;
    ISCardCmd *cmd;
    volatile HRESULT hr;
};

static DWORD WINAPI pending_proc(void *arg)
{
    struct pending *p = arg;

    p->hr = ISCard_Transaction(p->card, &p->cmd);
    return 0;
}

/* pcscd goes away while a transaction waits for a mute card: the waiting
 * call fails (pcsc-lite reads the end of its socket), and once the
 * resource manager is back the first ReAttach connects again.  (Which
 * codes count as a lost service, SCARD_W_SECURITY_VIOLATION among them, is
 * core/tests/test_pcscvalues.c's.) */
static void test_service_lost(void)
{
    char script[4 * MAX_PATH], out[2048], tool[MAX_PATH];
    struct pending p;
    HANDLE thread;
    DWORD wait;
    int status;

    if (!stack_tool(tool, sizeof(tool)))
        return;
    p.card = create_card();
    p.cmd = create_cmd();
    attach(p.card, 0, SHARED);
    reset_card(p.card);
    set_apdu(p.cmd, "00 84 00 00 04");
    transact(p.card, p.cmd, "11 12 13 14 90 00");

    stack_ctl(0, "mute");
    p.hr = (HRESULT)0xdeadbeef;
    thread = CreateThread(NULL, 0, pending_proc, &p, 0, NULL);
    wait = WaitForSingleObject(thread, 500);
    ok(wait == WAIT_TIMEOUT, "The transaction did not wait for the mute card: %#lx, hr %#lx.\n", wait, p.hr);

    snprintf(script, sizeof(script), "'%s' stop '%s'", tool, stack.dir);
    status = run_unix(script, out, sizeof(out), 30000);
    ok(!status, "stack stop: %d, %s\n", status, out);
    wait = WaitForSingleObject(thread, 30000);
    ok(wait == WAIT_OBJECT_0, "The transaction still waits: %#lx, error %lu.\n", wait, GetLastError());
    CloseHandle(thread);
    ok(p.hr == SCARD_F_COMM_ERROR, "Got hr %#lx.\n", p.hr);
    check_reply(p.cmd, "11 12 13 14 90 00");

    snprintf(script, sizeof(script), "'%s' start '%s' --protocol %s --readers %d", tool,
            stack.dir, stack.t1 ? "t1" : "t0", stack.readers);
    status = run_unix(script, out, sizeof(out), 60000);
    ok(!status, "stack start: %d, %s\n", status, out);

    p.hr = ISCard_ReAttach(p.card, SHARED, RESET);
    ok(p.hr == S_OK, "Got hr %#lx.\n", p.hr);
    transact(p.card, p.cmd, "11 12 13 14 90 00");

    ISCardCmd_Release(p.cmd);
    ISCard_Release(p.card);
}

/* The child side of test_trace: one Transaction, the SELECT of the MF
 * with its FCI (case 4). */
static void trace_child(void)
{
    ISCardCmd *cmd;
    ISCard *card;
    LONG len = 0;
    BOOL good;

    CoInitialize(NULL);
    stack.t1 = stack_protocol() == SCARD_PROTOCOL_T1;
    card = create_card();
    cmd = create_cmd();
    set_apdu(cmd, "00 A4 00 00 02 3F 00 00");
    good = attach_with(card, 0, SHARED, T0 | T1) == S_OK && ISCard_Transaction(card, &cmd) == S_OK
            && ISCardCmd_get_ApduReplyLength(cmd, &len) == S_OK && len == 11;
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
    CoUninitialize();
    ExitProcess(good ? 0 : 1);
}

/* The first program of test_raw_processes: a RAW attachment (Windows'
 * 0x10000) and a raw SCardConnect, each ended with LEAVE.  Its exit code
 * is its verdict. */
static void raw_child(void)
{
    SCARDCONTEXT context;
    SCARDHANDLE handle;
    ISCardCmd *cmd;
    ISCard *card;
    DWORD protocol = 0, raw;
    LONG len = 0;
    BOOL good;

    CoInitialize(NULL);
    card = create_card();
    cmd = create_cmd();
    set_apdu(cmd, read_binary);
    good = attach_with(card, 0, SHARED, PCSC_PROTOCOL_RAW) == S_OK && ISCard_Transaction(card, &cmd) == S_OK
            && ISCardCmd_get_ApduReplyLength(cmd, &len) == S_OK && len == 18
            && ISCard_Detach(card, LEAVE) == S_OK;
    good = good && !SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    /* a program calling Wine's own winscard (32-bit programs in the new WoW64
     * mode before Wine 11.2) passes pcsc-lite's RAW, which Wine passes on */
    raw = is_wine_builtin(GetModuleHandleW(L"winscard.dll")) ? 0x4 : PCSC_PROTOCOL_RAW;
    good = good && !SCardConnectW(context, reader_names[0], SCARD_SHARE_SHARED, raw, &handle, &protocol)
            && !SCardDisconnect(handle, SCARD_LEAVE_CARD) && !SCardReleaseContext(context);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
    CoUninitialize();
    ExitProcess(good ? 0 : 1);
}

/* A program attaches RAW and detaches with LEAVE; the next program's
 * SHARED T0|T1 attachment works and its Transaction gets the card's
 * answer, as on Windows. */
static void test_raw_processes(void)
{
    SCARD_PROTOCOLS mine = stack.t1 ? T1 : T0;
    PROCESS_INFORMATION pi;
    ISCardCmd *cmd;
    ISCard *card;
    HRESULT hr;

    if (!start_child("raw-child", &pi))
    {
        ok(0, "cannot start the child, error %lu.\n", GetLastError());
        return;
    }
    ok(wait_child(&pi) == 0, "the child's RAW attachment failed.\n");

    cmd = create_cmd();
    card = create_card();
    hr = attach_with(card, 0, SHARED, T0 | T1);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_attached(card, mine, SPECIFICMODE);
    set_apdu(cmd, read_binary);
    transact(card, cmd, read_binary_reply);

    ISCardCmd_Release(cmd);
    ISCard_Release(card);
}

#define check_log(a, b) check_log_(__LINE__, a, b)
static void check_log_(unsigned int line, const char *log, const char *expect)
{
    ok_(__FILE__, line)(strstr(log, expect) != NULL, "No \"%s\" in the trace:\n%s\n", expect, log);
}

/* WINEDEBUG=+scardssp: every TPDU sent and every answer in hex, with the
 * status word and the time, T=0's GET RESPONSE included (a child of this
 * program, run by its Wine loader with the channel on). */
static void test_trace(void)
{
    char loader[MAX_PATH], path[MAX_PATH], script[4 * MAX_PATH], out[4096], *p;
    int status;

    if (!GetEnvironmentVariableA("WINELOADER", loader, sizeof(loader)))
    {
        ok(0, "WINELOADER is not set.\n");
        return;
    }
    /* Wine 11 gives it as an NT path of drive Z: (the Unix root) */
    if (!strncmp(loader, "\\??\\Z:", 6))
    {
        memmove(loader, loader + 6, strlen(loader + 6) + 1);
        for (p = loader; *p; p++)
            if (*p == '\\') *p = '/';
    }
    GetModuleFileNameA(NULL, path, sizeof(path));
    for (p = path; *p; p++)
        if (*p == '\\') *p = '/';
    /* Z:/unix/path */
    snprintf(script, sizeof(script), "WINEDEBUG=+scardssp '%s' '%s' trace-child 2>&1 >/dev/null | "
            "grep -E 'scardssp:(transmit|trace_bytes)' | sed 's/^.*scardssp:[a-z_]* [0-9A-F]* //'",
            loader, path + 2);
    status = run_unix(script, out, sizeof(out), 60000);
    ok(!status, "The child: %d, %s\n", status, out);
    if (stack.t1)
    {
        check_log(out, "-> 00 A4 00 00 02 3F 00 00\n<- 11 bytes, SW 90 00, in ");
        check_log(out, " us:\n<- 6F 07 82 01 38 83 02 3F 00 90 00\n");
        ok(!strstr(out, "C0"), "A GET RESPONSE under T=1:\n%s\n", out);
    }
    else
    {
        check_log(out, "-> 00 A4 00 00 02 3F 00\n<- 2 bytes, SW 61 09, in ");
        check_log(out, " us:\n<- 61 09\n-> 00 C0 00 00 09\n<- 11 bytes, SW 90 00, in ");
        check_log(out, " us:\n<- 6F 07 82 01 38 83 02 3F 00 90 00\n");
    }
}

START_TEST(pcscvalues)
{
    if (strstr(GetCommandLineA(), " trace-child"))
        trace_child();
    if (strstr(GetCommandLineA(), " raw-child"))
        raw_child();

    CoInitialize(NULL);
    if (stack_init())
    {
        test_protocol_masks();
        test_direct();
        test_gsm();
        test_raw_processes();
        test_trace();
        test_service_lost();
    }
    CoUninitialize();
}
