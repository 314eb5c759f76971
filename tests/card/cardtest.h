/*
 * Helpers shared by the ISCard tests (the programs in tests/card)
 *
 * The reader stack (tools/stack, started by tests/run-wine for programs
 * whose name ends in _t0 or _t1) is described to a test by its
 * environment: VCARD_PROTOCOL (t0 or t1, read by stack_protocol() in
 * tests/include/cardstack.h), VCARD_READERS, VCARD_READERn,
 * VCARD_CONTROLn (the fault injection socket of card n), VCARD (the card
 * program, whose "ctl" command talks to that socket), VCARD_STACK_DIR.
 * Wine 8 has no AF_UNIX sockets: a test runs "vcard ctl" as a Unix
 * program (Wine starts those) and reads its answer from a file.
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
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "winscard.h"
#include "scardssp.h"

#include "wine/test.h"
#include "cardstack.h"

/* not in Wine 8's winscard.h */
#ifndef SCARD_SHARE_SHARED
#define SCARD_SHARE_EXCLUSIVE 1
#define SCARD_SHARE_SHARED    2
#define SCARD_LEAVE_CARD      0
#define SCARD_RESET_CARD      1
#endif

static const WCHAR *reader_names[2] = {L"Virtual PCD 00 00", L"Virtual PCD 00 01"};

static struct
{
    BOOL t1;               /* the T=1 personality */
    BYTE atr[36];
    unsigned int atr_len;
    int readers;           /* readers with a card: "Virtual PCD 00 00", "... 01" */
    char dir[MAX_PATH];    /* Unix paths */
    char vcard[MAX_PATH];
    char control[2][MAX_PATH];
} stack;

static inline size_t parse_hex(const char *hex, BYTE *out, size_t size)
{
    size_t n = 0;

    while (*hex)
    {
        unsigned int byte;

        if (*hex == ' ')
        {
            hex++;
            continue;
        }
        if (sscanf(hex, "%2x", &byte) != 1 || n >= size)
            break;
        out[n++] = byte;
        hex += 2;
    }
    return n;
}

static inline const char *hexdump(const BYTE *data, LONG len)
{
    static char buffers[4][3 * 80 + 8];
    static int index;
    char *buf = buffers[index++ % 4], *p = buf;
    LONG i;

    if (len < 0)
        return "(none)";
    for (i = 0; i < len && i < 80; i++)
        p += sprintf(p, "%02X ", data[i]);
    if (len > 80)
        strcpy(p, "...");
    else if (p > buf)
        p[-1] = 0;
    else
        *p = 0;
    return buf;
}

static inline void copy_env(char *dst, size_t size, const char *name)
{
    const char *value = getenv(name);

    *dst = 0;
    if (value && strlen(value) < size)
        strcpy(dst, value);
}

static inline BOOL stack_init(void)
{
    const char *readers = getenv("VCARD_READERS");
    DWORD protocol = stack_protocol();

    if (!protocol)
        return FALSE;
    stack.t1 = protocol == SCARD_PROTOCOL_T1;
    /* the card's ATRs (vcard/README.md): historical bytes 80 55 "VCARD" 61 pp */
    stack.atr_len = parse_hex(stack.t1 ? "3B 89 01 80 55 56 43 41 52 44 61 01 7F"
                                       : "3B 89 00 80 55 56 43 41 52 44 61 00", stack.atr, sizeof(stack.atr));
    stack.readers = readers ? atoi(readers) : 0;
    copy_env(stack.dir, sizeof(stack.dir), "VCARD_STACK_DIR");
    copy_env(stack.vcard, sizeof(stack.vcard), "VCARD");
    copy_env(stack.control[0], sizeof(stack.control[0]), "VCARD_CONTROL0");
    copy_env(stack.control[1], sizeof(stack.control[1]), "VCARD_CONTROL1");
    ok(stack.readers >= 2, "The stack has %d cards, the tests want 2.\n", stack.readers);
    return stack.readers >= 2;
}

/* Runs a Unix shell command (sh -c) and waits for it, up to timeout ms;
 * its output (stdout and stderr) goes to out[size].  Returns its exit
 * status, or -1 when it did not finish in time. */
static inline int run_unix(const char *script, char *out, size_t size, DWORD timeout)
{
    static LONG serial;
    char unix_out[MAX_PATH], win_out[MAX_PATH], *cmdline, *p;
    STARTUPINFOA si = {sizeof(si)};
    PROCESS_INFORMATION pi;
    DWORD start = GetTickCount(), read = 0;
    HANDLE file = INVALID_HANDLE_VALUE;
    int status = -1;

    if (out && size)
        *out = 0;
    snprintf(unix_out, sizeof(unix_out), "%s/wine-%lu-%ld.out", stack.dir, GetCurrentProcessId(),
            InterlockedIncrement(&serial));
    snprintf(win_out, sizeof(win_out), "Z:%s", unix_out);
    for (p = win_out; *p; p++)
        if (*p == '/') *p = '\\';
    DeleteFileA(win_out);

    /* the result appears at once, complete, by rename */
    cmdline = malloc(strlen(script) + 3 * strlen(unix_out) + 128);
    sprintf(cmdline, "/bin/sh -c \"( %s ) >'%s.tmp' 2>&1; echo \\\"exit=$?\\\" >>'%s.tmp'; mv '%s.tmp' '%s'\"",
            script, unix_out, unix_out, unix_out, unix_out);
    if (!CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, &pi))
    {
        free(cmdline);
        return -1;
    }
    /* a Unix program gets no handles: hProcess is NULL, and Wine 10 leaves
     * hThread holding stack garbage, which CloseHandle() could take for one
     * of this process's own handles */
    if (pi.hProcess)
    {
        CloseHandle(pi.hThread);
        CloseHandle(pi.hProcess);
    }
    free(cmdline);

    while (GetTickCount() - start < timeout)
    {
        if ((file = CreateFileA(win_out, GENERIC_READ, FILE_SHARE_READ | FILE_SHARE_DELETE, NULL, OPEN_EXISTING,
                0, NULL)) != INVALID_HANDLE_VALUE)
            break;
        Sleep(10);
    }
    if (file == INVALID_HANDLE_VALUE)
        return -1;
    {
        char buf[4096];

        ReadFile(file, buf, sizeof(buf) - 1, &read, NULL);
        buf[read] = 0;
        CloseHandle(file);
        DeleteFileA(win_out);
        if ((p = strstr(buf, "exit=")))
        {
            status = atoi(p + 5);
            *p = 0;
        }
        if (out && size)
            lstrcpynA(out, buf, size);
    }
    return status;
}

/* A fault injection command to card k ("remove", "insert", "mute", ...);
 * TRUE when the card said "ok". */
#define stack_ctl(a, b) stack_ctl_(__FILE__, __LINE__, a, b)
static inline BOOL stack_ctl_(const char *file, unsigned int line, int k, const char *command)
{
    char script[3 * MAX_PATH], out[512];
    int status;

    snprintf(script, sizeof(script), "'%s' ctl '%s' %s", stack.vcard, stack.control[k], command);
    status = run_unix(script, out, sizeof(out), 10000);
    ok_(file, line)(!status && !strncmp(out, "ok", 2), "card %d: %s: status %d, %s", k, command, status, out);
    return !status && !strncmp(out, "ok", 2);
}

/* The Unix path of tools/stack, as tests/run-wine uses it. */
static inline BOOL stack_tool(char *path, size_t size)
{
    const char *tool = getenv("SCARDSSP_STACK_TOOL"), *srcdir = getenv("top_srcdir");

    if (tool)
        snprintf(path, size, "%s", tool);
    else if (srcdir)
        snprintf(path, size, "%s/tools/stack", srcdir);
    else
    {
        /* tests/run-wine found the stack's tool the same way */
        ok(0, "Neither SCARDSSP_STACK_TOOL nor top_srcdir is set: the stack cannot be restarted.\n");
        return FALSE;
    }
    return TRUE;
}

static inline ULONG get_refcount(void *iface)
{
    IUnknown *unknown = iface;

    IUnknown_AddRef(unknown);
    return IUnknown_Release(unknown);
}

static inline ISCard *create_card(void)
{
    ISCard *card = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCard, NULL, CLSCTX_INPROC_SERVER, &IID_ISCard, (void **)&card);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return card;
}

static inline ISCardCmd *create_cmd(void)
{
    ISCardCmd *cmd = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return cmd;
}

static inline ISCardISO7816 *create_iso(void)
{
    ISCardISO7816 *iso = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardISO7816, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardISO7816, (void **)&iso);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return iso;
}

static inline IByteBuffer *buffer_from_bytes(const BYTE *data, LONG len)
{
    IByteBuffer *buffer = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (buffer)
    {
        hr = IByteBuffer_Initialize(buffer, len, (BYTE *)data);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
    }
    return buffer;
}

static inline IByteBuffer *buffer_from_hex(const char *hex)
{
    BYTE data[512];

    return buffer_from_bytes(data, parse_hex(hex, data, sizeof(data)));
}

/* The whole content of a buffer handed out, read from where it stands. */
static inline LONG read_buffer(IByteBuffer *buffer, BYTE *data, LONG size)
{
    LONG read = -1;
    HRESULT hr;

    hr = IByteBuffer_Read(buffer, data, size, &read);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return read;
}

#define set_apdu(a, b) set_apdu_(__FILE__, __LINE__, a, b)
static inline void set_apdu_(const char *file, unsigned int line, ISCardCmd *cmd, const char *hex)
{
    IByteBuffer *buffer;
    BYTE data[512];
    HRESULT hr;

    buffer = buffer_from_bytes(data, parse_hex(hex, data, sizeof(data)));
    hr = ISCardCmd_put_Apdu(cmd, buffer);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
}

#define check_apdu(a, b) check_apdu_(__FILE__, __LINE__, a, b)
static inline void check_apdu_(const char *file, unsigned int line, ISCardCmd *cmd, const char *hex)
{
    BYTE expect[512], data[512];
    IByteBuffer *buffer = NULL;
    size_t len = parse_hex(hex, expect, sizeof(expect));
    LONG read;
    HRESULT hr;

    hr = ISCardCmd_get_Apdu(cmd, &buffer);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!buffer)
        return;
    read = read_buffer(buffer, data, sizeof(data));
    ok_(file, line)(read == (LONG)len && !memcmp(data, expect, len), "Got APDU %s, expected %s.\n",
            hexdump(data, read), hexdump(expect, len));
    IByteBuffer_Release(buffer);
}

/* The reply: ApduReplyLength, the bytes of ApduReply read at once from
 * where the new buffer stands (0), ReplyStatus/SW1/SW2 its last two bytes,
 * ReplyNad 0. */
#define check_reply_bytes(a, b, c) check_reply_bytes_(__FILE__, __LINE__, a, b, c)
static inline void check_reply_bytes_(const char *file, unsigned int line, ISCardCmd *cmd, const BYTE *expect, LONG len)
{
    IByteBuffer *buffer = NULL;
    LONG length = -1, read;
    BYTE sw1, sw2, nad;
    WORD status;
    BYTE *data;
    HRESULT hr;

    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(file, line)(length == len, "Got reply length %ld, expected %ld.\n", length, len);

    hr = ISCardCmd_get_ApduReply(cmd, &buffer);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!buffer)
        return;
    data = malloc(len + 16);
    hr = IByteBuffer_Read(buffer, data, len + 16, &read);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(file, line)(read == len && !memcmp(data, expect, len), "Got reply (%ld) %s, expected (%ld) %s.\n",
            read, hexdump(data, read), len, hexdump(expect, len));
    free(data);
    IByteBuffer_Release(buffer);

    if (len < 2)
        return;
    status = 0xdead;
    hr = ISCardCmd_get_ReplyStatus(cmd, &status);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(file, line)(status == ((expect[len - 2] << 8) | expect[len - 1]), "Got status %#x.\n", status);
    hr = ISCardCmd_get_ReplyStatusSW1(cmd, &sw1);
    ok_(file, line)(hr == S_OK && sw1 == expect[len - 2], "Got hr %#lx, SW1 %#x.\n", hr, sw1);
    hr = ISCardCmd_get_ReplyStatusSW2(cmd, &sw2);
    ok_(file, line)(hr == S_OK && sw2 == expect[len - 1], "Got hr %#lx, SW2 %#x.\n", hr, sw2);
    nad = 0xff;
    hr = ISCardCmd_get_ReplyNad(cmd, &nad);
    ok_(file, line)(hr == S_OK && !nad, "Got hr %#lx, NAD %#x.\n", hr, nad);
}

#define check_reply(a, b) check_reply_(__FILE__, __LINE__, a, b)
static inline void check_reply_(const char *file, unsigned int line, ISCardCmd *cmd, const char *hex)
{
    BYTE expect[512];

    check_reply_bytes_(file, line, cmd, expect, parse_hex(hex, expect, sizeof(expect)));
}

#define check_no_reply(a) check_no_reply_(__FILE__, __LINE__, a)
static inline void check_no_reply_(const char *file, unsigned int line, ISCardCmd *cmd)
{
    LONG length = -1;
    WORD status = 0xdead;
    HRESULT hr;

    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok_(file, line)(hr == S_OK && !length, "Got hr %#lx, length %ld.\n", hr, length);
    hr = ISCardCmd_get_ReplyStatus(cmd, &status);
    ok_(file, line)(hr == S_OK && !status, "Got hr %#lx, status %#x.\n", hr, status);
}

/* Transaction succeeds and the reply is exactly hex. */
#define transact(a, b, c) transact_(__FILE__, __LINE__, a, b, c)
static inline void transact_(const char *file, unsigned int line, ISCard *card, ISCardCmd *cmd, const char *hex)
{
    HRESULT hr;

    hr = ISCard_Transaction(card, &cmd);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    if (hr == S_OK)
        check_reply_(file, line, cmd, hex);
}

#define attach(a, b, c) attach_(__FILE__, __LINE__, a, b, c)
static inline void attach_(const char *file, unsigned int line, ISCard *card, int reader, SCARD_SHARE_MODES share)
{
    BSTR name = SysAllocString(reader_names[reader]);
    HRESULT hr;

    hr = ISCard_AttachByReader(card, name, share, T0 | T1);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    SysFreeString(name);
}

/* A warm reset: the card back on the MF, security state and challenge
 * sequence restarted. */
#define reset_card(a) reset_card_(__FILE__, __LINE__, a)
static inline void reset_card_(const char *file, unsigned int line, ISCard *card)
{
    HRESULT hr;

    hr = ISCard_ReAttach(card, SHARED, RESET);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
}

#define check_handle(a, b) check_handle_(__FILE__, __LINE__, a, b)
static inline void check_handle_(const char *file, unsigned int line, ISCard *card, BOOL attached)
{
    HSCARD handle = 0xdead;
    HRESULT hr;

    hr = ISCard_get_CardHandle(card, &handle);
    ok_(file, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    if (attached)
        ok_(file, line)(!!handle, "Got no handle.\n");
    else
        ok_(file, line)(!handle, "Got handle %#Ix.\n", handle);
}
