/*
 * Tests for ISCardLocate::FindCard's card-selection dialog, under a display
 * (tests/run-wine starts Xvfb for a test that declares "needs-display: yes")
 * and a reader stack (vpcd's two readers, the virtual card in the first),
 * run as selectdlg_t0.exe and selectdlg_t1.exe.  A second thread plays the
 * user: it finds the dialog by its title, reads the list, inserts the card
 * with the stack's control socket, presses the buttons and keys.  Every
 * thread runs on a desktop of the program's own, so that its Wine explorer
 * is started with this program's DISPLAY, whatever other tests sharing the
 * prefix's wineserver started without one.
 *
 * min-checks: 290 (tests/run-wine fails a run with fewer)
 * needs-display: yes
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>
#include <stdio.h>

#include "windef.h"
#include "winbase.h"
#include "wingdi.h"
#include "winuser.h"
#include "objbase.h"
#include "oleauto.h"
#include "winscard.h"
#include "scardssp.h"

#include "wine/test.h"
#include "../card/cardtest.h"
#include "cardsvc.h"

#define SC_DLG_MINIMAL_UI 0x01
#define SC_DLG_NO_UI 0x02
#define SC_DLG_FORCE_UI 0x04

/* the dialog's controls (dlls/scardssp/resource.h) */
#define IDC_READERS 101

static const WCHAR test_card[] = L"scardssp select test card";
static const WCHAR empty_reader[] = L"Virtual PCD 00 01";
static const GUID test_provider = {0x5e1f3a20, 0x2b7c, 0x4d8e, {0x9a, 0x61, 0x0c, 0x3d, 0x44, 0x72, 0x18, 0xe5}};
static WCHAR title[128];
static WCHAR desktop_name[64];
static HDESK desktop;
static HWND caller_window;          /* of the main thread, which calls FindCard */
static SCARD_PROTOCOLS card_protocol;
static const char *screenshot_png;  /* SCARDSSP_SCREENSHOT */

/* What the "user" thread does once the dialog is up. */
enum action
{
    ACT_INSERT_THEN_ENTER,  /* list checked empty, card inserted, list checked again, Return */
    ACT_INSERT_ONLY,        /* list checked empty, card inserted: MINIMAL_UI takes it by itself */
    ACT_CLICK_OK,           /* the card is there: list checked, OK clicked */
    ACT_CLICK_CANCEL,
    ACT_ESCAPE,
    ACT_CLOSE,
};

struct user
{
    enum action action;
    BOOL present;           /* the card is in its reader when the dialog opens */
    const char *screenshot; /* a Unix path, or NULL */
    HWND caller_window;     /* a window of the calling thread, which must keep answering */
    BOOL shown;
};

/* Xvfb has no window manager to draw captions: Wine's X11 driver draws the
 * frames itself for a program named exe (its AppDefaults), so that the
 * screenshots show the title.  Read when the driver loads, at the first
 * window. */
static void draw_own_frames(const WCHAR *exe)
{
    WCHAR key[MAX_PATH + 64];
    LONG ret;

    swprintf(key, ARRAY_SIZE(key), L"Software\\Wine\\AppDefaults\\%s\\X11 Driver", exe);
    ret = RegSetKeyValueW(HKEY_CURRENT_USER, key, L"Decorated", REG_SZ, L"N", 2 * sizeof(WCHAR));
    ok(!ret, "RegSetKeyValueW returned %ld.\n", ret);
}

static HWND wait_for_dialog(const WCHAR *caption, DWORD timeout)
{
    DWORD start = GetTickCount();
    HWND hwnd;

    /* (found as soon as it is made; shown once the modal loop runs) */
    while (!((hwnd = FindWindowW(NULL, caption)) && IsWindowVisible(hwnd)) && GetTickCount() - start < timeout)
        Sleep(20);
    return hwnd;
}

/* Waits until the list's lines are exactly line0 and line1. */
static BOOL wait_for_list(HWND list, const WCHAR *line0, const WCHAR *line1, DWORD timeout)
{
    DWORD start = GetTickCount();
    WCHAR text[2][256];
    LRESULT count;

    for (;;)
    {
        text[0][0] = text[1][0] = 0;
        count = SendMessageW(list, LB_GETCOUNT, 0, 0);
        if (count == 2 && SendMessageW(list, LB_GETTEXTLEN, 0, 0) < 256 && SendMessageW(list, LB_GETTEXTLEN, 1, 0) < 256)
        {
            SendMessageW(list, LB_GETTEXT, 0, (LPARAM)text[0]);
            SendMessageW(list, LB_GETTEXT, 1, (LPARAM)text[1]);
            if (!wcscmp(text[0], line0) && !wcscmp(text[1], line1))
                return TRUE;
        }
        if (GetTickCount() - start > timeout)
            break;
        Sleep(20);
    }
    ok(0, "Got %Id lines, %s and %s; expected %s and %s.\n", count, dbgstr_w(text[0]), dbgstr_w(text[1]),
            dbgstr_w(line0), dbgstr_w(line1));
    return FALSE;
}

/* The dialog's window, cut out of the X screen, as PNG (xwd, netpbm), to
 * path with suffix before its ".png". */
static void screenshot(HWND hwnd, const char *png, const char *suffix)
{
    char script[3 * MAX_PATH], out[512], path[MAX_PATH];
    const char *display = getenv("DISPLAY");
    RECT rect;
    int status;

    snprintf(path, sizeof(path), "%.*s%s.png", (int)(strlen(png) > 4 ? strlen(png) - 4 : 0), png, suffix);
    GetWindowRect(hwnd, &rect);
    snprintf(script, sizeof(script), "xwd -silent -root -display '%s' | xwdtopnm 2>/dev/null | "
            "pnmcut -left %ld -top %ld -width %ld -height %ld | pnmtopng > '%s'", display ? display : "",
            rect.left, rect.top, rect.right - rect.left, rect.bottom - rect.top, path);
    status = run_unix(script, out, sizeof(out), 20000);
    ok(!status, "The screenshot failed: status %d, %s.\n", status, out);
    if (!status)
        trace("Screenshot of the dialog: %s\n", path);
}

static DWORD WINAPI user_thread(void *arg)
{
    struct user *user = arg;
    WCHAR empty_line[64], card_line[128], match_line[128];
    DWORD_PTR result = 0;
    HWND hwnd, list;

    SetThreadDesktop(desktop);
    swprintf(empty_line, ARRAY_SIZE(empty_line), L"%s\tEmpty", empty_reader);
    swprintf(card_line, ARRAY_SIZE(card_line), L"%s\tEmpty", reader_names[0]);
    swprintf(match_line, ARRAY_SIZE(match_line), L"%s\t%s", reader_names[0], test_card);

    if (!(hwnd = wait_for_dialog(title, 15000)))
    {
        ok(0, "The dialog %s did not show.\n", dbgstr_w(title));
        return 0;
    }
    user->shown = TRUE;
    list = GetDlgItem(hwnd, IDC_READERS);
    ok(!!list, "The dialog has no reader list.\n");
    ok(IsWindowVisible(hwnd), "The dialog is not visible.\n");

    /* the caller's thread keeps dispatching its messages while the dialog waits */
    ok(SendMessageTimeoutW(user->caller_window, WM_APP, 0, 0, SMTO_ABORTIFHUNG, 5000, &result) && result == 0x5ca,
            "The calling thread did not answer, result %#Ix.\n", result);

    if (!wait_for_list(list, user->present ? match_line : card_line, empty_line, 10000))
    {
        PostMessageW(hwnd, WM_COMMAND, IDCANCEL, 0);
        return 0;
    }
    ok(IsWindowEnabled(GetDlgItem(hwnd, IDOK)) == user->present, "OK enabled %d.\n",
            IsWindowEnabled(GetDlgItem(hwnd, IDOK)));
    if (user->screenshot)
        screenshot(hwnd, user->screenshot, "");

    switch (user->action)
    {
    case ACT_INSERT_THEN_ENTER:
    case ACT_INSERT_ONLY:
        stack_ctl(0, "insert");
        if (user->action == ACT_INSERT_ONLY)
            break;
        if (!wait_for_list(list, match_line, empty_line, 10000))
        {
            PostMessageW(hwnd, WM_COMMAND, IDCANCEL, 0);
            break;
        }
        ok(IsWindowEnabled(GetDlgItem(hwnd, IDOK)), "OK is not enabled.\n");
        if (user->screenshot)
            screenshot(hwnd, user->screenshot, "-card");
        /* Return, to the focused list: the dialog's default button */
        PostMessageW(list, WM_KEYDOWN, VK_RETURN, 1);
        break;
    case ACT_CLICK_OK:
        PostMessageW(GetDlgItem(hwnd, IDOK), BM_CLICK, 0, 0);
        break;
    case ACT_CLICK_CANCEL:
        PostMessageW(GetDlgItem(hwnd, IDCANCEL), BM_CLICK, 0, 0);
        break;
    case ACT_ESCAPE:
        PostMessageW(list, WM_KEYDOWN, VK_ESCAPE, 1);
        break;
    case ACT_CLOSE:
        PostMessageW(hwnd, WM_CLOSE, 0, 0);
        break;
    }
    return 0;
}

static LRESULT CALLBACK caller_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    if (msg == WM_APP)
        return 0x5ca;
    return DefWindowProcW(hwnd, msg, wparam, lparam);
}

static HWND create_caller_window(void)
{
    WNDCLASSW cls = {0};

    cls.lpfnWndProc = caller_proc;
    cls.hInstance = GetModuleHandleW(NULL);
    cls.lpszClassName = L"scardssp_selectdlg_caller";
    RegisterClassW(&cls);
    return CreateWindowW(cls.lpszClassName, L"caller", 0, 0, 0, 10, 10, HWND_MESSAGE, NULL, NULL, NULL);
}

/* The card in its reader (present) or not, as pcscd sees it. */
static void set_card(SCARDCONTEXT context, BOOL present)
{
    SCARD_READERSTATEW state = {0};
    DWORD start = GetTickCount();
    LONG ret;

    stack_ctl(0, present ? "insert" : "remove");
    state.szReader = reader_names[0];
    for (;;)
    {
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        ret = SCardGetStatusChangeW(context, 0, &state, 1);
        if (!ret && !!(state.dwEventState & SCARD_STATE_PRESENT) == present)
            break;
        if (GetTickCount() - start > 10000)
        {
            ok(0, "The card is not %s: ret %#lx, state %#lx.\n", present ? "present" : "absent", ret,
                    state.dwEventState);
            return;
        }
        Sleep(20);
    }
}

static void configure(ISCardLocate *locate, LONG flags)
{
    const WCHAR *name = test_card;
    SAFEARRAY *names = create_bstr_array(&name, 1);
    BSTR bstr = SysAllocString(title);
    HRESULT hr;

    hr = ISCardLocate_ConfigureCardNameSearch(locate, names, NULL, bstr, flags);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    SysFreeString(bstr);
    SafeArrayDestroy(names);
}

/* The connection FindCard made: the first Transaction through an ISCard
 * that takes the handle (SELECT MF with its FCI; T=0's GET RESPONSE made by
 * Transaction). */
static void check_connected(SCARDINFO *info, SCARD_SHARE_MODES share, SCARD_PROTOCOLS protocol)
{
    ISCardCmd *cmd;
    ISCard *card;
    HRESULT hr;
    LONG ret;

    ok(info->hCard && info->hContext, "Got card %#Ix, context %#Ix.\n", info->hCard, info->hContext);
    ok(info->ActiveProtocol == protocol, "Got protocol %#x, expected %#x.\n", info->ActiveProtocol, protocol);
    ok(info->ShareMode == share, "Got share mode %d.\n", info->ShareMode);
    ok(!info->hwndOwner, "Got hwndOwner %#Ix.\n", info->hwndOwner);
    if (!(card = create_card()))
        return;
    hr = ISCard_AttachByHandle(card, info->hCard);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    cmd = create_cmd();
    set_apdu(cmd, "00 A4 00 00 02 3F 00 00");
    transact(card, cmd, "6F 07 82 01 38 83 02 3F 00 90 00");
    ISCardCmd_Release(cmd);
    hr = ISCard_Detach(card, LEAVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!ISCard_Release(card), "The card object is still referenced.\n");
    ret = SCardReleaseContext(info->hContext);
    ok(!ret, "SCardReleaseContext returned %#lx.\n", ret);
    CoTaskMemFree(info);
}

/* One FindCard with the "user" thread doing action; returns FindCard's result. */
static HRESULT find_with_user(ISCardLocate *locate, LONG flags, SCARD_SHARE_MODES share, SCARD_PROTOCOLS protocol,
        struct user *user, SCARDINFO **info)
{
    HANDLE thread;
    HRESULT hr;

    *info = (SCARDINFO *)0xdeadbeef;
    thread = CreateThread(NULL, 0, user_thread, user, 0, NULL);
    hr = ISCardLocate_FindCard(locate, share, protocol, flags, info);
    ok(!WaitForSingleObject(thread, 30000), "The user thread did not end.\n");
    CloseHandle(thread);
    ok(user->shown, "The dialog was not shown.\n");
    ok(!FindWindowW(NULL, title), "The dialog is still there.\n");
    return hr;
}

/* FindCard while the user thread does action (the card present when the
 * dialog opens, or not); the result must be expected, and a connection
 * made is checked.  The screenshots are of the first insertion. */
#define user_finds(a, b, c, d, e, f, g) user_finds_(__LINE__, a, b, c, d, e, f, g)
static void user_finds_(unsigned int line, ISCardLocate *locate, LONG flags, SCARD_SHARE_MODES share,
        SCARD_PROTOCOLS protocols, enum action action, BOOL present, HRESULT expected)
{
    struct user user = {action, present, action == ACT_INSERT_THEN_ENTER ? screenshot_png : NULL, caller_window};
    SCARDINFO *info;
    HRESULT hr;

    hr = find_with_user(locate, flags, share, protocols, &user, &info);
    ok_(__FILE__, line)(hr == expected, "Got hr %#lx, expected %#lx.\n", hr, expected);
    if (hr == S_OK)
        check_connected(info, share, card_protocol);
    else
        ok_(__FILE__, line)(!info, "Got %p.\n", info);
}

static int windows_created;

static LRESULT CALLBACK cbt_hook(int code, WPARAM wparam, LPARAM lparam)
{
    if (code == HCBT_CREATEWND)
        windows_created++;
    return CallNextHookEx(NULL, code, wparam, lparam);
}

struct mta_args
{
    struct user user;
    HRESULT hr;
};

/* Cancel by closing the window, from a thread of the MTA without any window. */
static DWORD WINAPI mta_thread(void *arg)
{
    struct mta_args *args = arg;
    ISCardLocate *locate = NULL;
    SCARDINFO *info;
    HRESULT hr;

    SetThreadDesktop(desktop);
    hr = CoInitializeEx(NULL, COINIT_MULTITHREADED);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = CoCreateInstance(&CLSID_CSCardLocate, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardLocate, (void **)&locate);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (locate)
    {
        configure(locate, SC_DLG_MINIMAL_UI);
        args->hr = find_with_user(locate, SC_DLG_MINIMAL_UI, SHARED, T0 | T1, &args->user, &info);
        ok(!info, "Got %p.\n", info);
        ok(!ISCardLocate_Release(locate), "The locate object is still referenced.\n");
    }
    CoUninitialize();
    return 0;
}

/* A legacy C++ program (findcard.cpp, mingw-w64's scardssp.h) asks for the
 * card with the default FindCard: this thread plays its user, as the "Done
 * when" of the issue says: the dialog waits with its title and the readers,
 * the card is inserted, the program gets it and its first Transaction
 * answers the card's FCI. */
static void test_legacy_client(SCARDCONTEXT context)
{
    static const char expected[] = "findcard: SELECT MF reply (11): 6F 07 82 01 38 83 02 3F 00 90 00";
    WCHAR exe[MAX_PATH], cmdline[2 * MAX_PATH], client_title[128], station_desktop[96], *p;
    WCHAR empty_line[64], card_line[64];
    SECURITY_ATTRIBUTES sa = {sizeof(sa), NULL, TRUE};
    STARTUPINFOW si = {sizeof(si)};
    PROCESS_INFORMATION pi;
    char output[4096] = "";
    HANDLE read_pipe, write_pipe;
    DWORD code = 0xdead, got = 0, total = 0;
    HWND hwnd;

    set_card(context, FALSE);
    GetModuleFileNameW(NULL, exe, ARRAY_SIZE(exe));
    if ((p = wcsrchr(exe, '\\')))
        p[1] = 0;
    swprintf(client_title, ARRAY_SIZE(client_title), L"Insert your card (C++ client of process %lu)",
            GetCurrentProcessId());
    swprintf(cmdline, ARRAY_SIZE(cmdline), L"\"%sfindcard.exe\" \"%s\" \"%s\"", exe, test_card, client_title);
    swprintf(station_desktop, ARRAY_SIZE(station_desktop), L"WinSta0\\%s", desktop_name);
    ok(CreatePipe(&read_pipe, &write_pipe, &sa, 0), "CreatePipe failed, error %lu.\n", GetLastError());
    SetHandleInformation(read_pipe, HANDLE_FLAG_INHERIT, 0);
    si.dwFlags = STARTF_USESTDHANDLES;
    si.hStdOutput = si.hStdError = write_pipe;
    si.hStdInput = GetStdHandle(STD_INPUT_HANDLE);
    si.lpDesktop = station_desktop;
    if (!CreateProcessW(NULL, cmdline, NULL, NULL, TRUE, 0, NULL, NULL, &si, &pi))
    {
        ok(0, "CreateProcess(%s) failed, error %lu.\n", dbgstr_w(cmdline), GetLastError());
        CloseHandle(read_pipe);
        CloseHandle(write_pipe);
        return;
    }
    CloseHandle(write_pipe);

    swprintf(empty_line, ARRAY_SIZE(empty_line), L"%s\tEmpty", empty_reader);
    swprintf(card_line, ARRAY_SIZE(card_line), L"%s\tEmpty", reader_names[0]);
    hwnd = wait_for_dialog(client_title, 20000);
    ok(!!hwnd, "The client's dialog %s did not show.\n", dbgstr_w(client_title));
    if (hwnd && wait_for_list(GetDlgItem(hwnd, IDC_READERS), card_line, empty_line, 10000) && screenshot_png)
        screenshot(hwnd, screenshot_png, "-client");
    stack_ctl(0, "insert");

    ok(!WaitForSingleObject(pi.hProcess, 60000), "The client did not end.\n");
    GetExitCodeProcess(pi.hProcess, &code);
    while (total < sizeof(output) - 1 && ReadFile(read_pipe, output + total, sizeof(output) - 1 - total, &got, NULL)
            && got)
        total += got;
    output[total] = 0;
    trace("The client said:\n%s", output);
    ok(code == 0, "The client's exit code is %lu.\n", code);
    ok(!!strstr(output, expected), "The client did not get the reply %s.\n", expected);
    ok(!FindWindowW(NULL, client_title), "The client's dialog is still there.\n");
    CloseHandle(read_pipe);
    CloseHandle(pi.hProcess);
    CloseHandle(pi.hThread);
}

static void test_dialog(SCARDCONTEXT context)
{
    static const enum action cancels[] = {ACT_CLICK_CANCEL, ACT_ESCAPE, ACT_CLOSE};
    struct mta_args mta = {{0}};
    ISCardLocate *locate = NULL;
    SCARDINFO *info;
    HANDLE thread;
    HHOOK hook;
    HRESULT hr;
    DWORD start;
    unsigned int i;

    caller_window = create_caller_window();
    ok(!!caller_window, "CreateWindow failed, error %lu.\n", GetLastError());
    hr = CoCreateInstance(&CLSID_CSCardLocate, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardLocate, (void **)&locate);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!locate)
        return;

    /* FindCard's FORCE_UI with no card: the dialog waits with the title and
     * the readers; the card inserted, the list follows, Return connects */
    set_card(context, FALSE);
    configure(locate, SC_DLG_MINIMAL_UI);
    user_finds(locate, SC_DLG_FORCE_UI, SHARED, T0 | T1, ACT_INSERT_THEN_ENTER, FALSE, S_OK);

    /* MINIMAL_UI: no card, the dialog; the card inserted is taken at once */
    set_card(context, FALSE);
    start = GetTickCount();
    user_finds(locate, SC_DLG_MINIMAL_UI, EXCLUSIVE, card_protocol, ACT_INSERT_ONLY, FALSE, S_OK);
    ok(GetTickCount() - start < 20000, "FindCard took %lu ms.\n", GetTickCount() - start);

    /* MINIMAL_UI with exactly one matching card: no window at all */
    windows_created = 0;
    hook = SetWindowsHookExW(WH_CBT, cbt_hook, NULL, GetCurrentThreadId());
    ok(!!hook, "SetWindowsHookEx failed, error %lu.\n", GetLastError());
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_MINIMAL_UI, &info);
    UnhookWindowsHookEx(hook);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!windows_created, "%d windows were made.\n", windows_created);
    ok(!FindWindowW(NULL, title), "The dialog is there.\n");
    if (hr == S_OK)
        check_connected(info, SHARED, card_protocol);

    /* FORCE_UI shows it even then, with the card ready to choose: OK; also
     * when Configure asked for it */
    user_finds(locate, SC_DLG_FORCE_UI, SHARED, card_protocol, ACT_CLICK_OK, TRUE, S_OK);
    configure(locate, SC_DLG_FORCE_UI);
    user_finds(locate, SC_DLG_MINIMAL_UI, SHARED, T0 | T1, ACT_CLICK_OK, TRUE, S_OK);
    /* NO_UI never shows it */
    info = NULL;
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (hr == S_OK)
        check_connected(info, SHARED, card_protocol);

    /* Cancel, Escape and closing the window: cancelled by the user, with
     * the card there (FORCE_UI) and without it (MINIMAL_UI) */
    for (i = 0; i < ARRAY_SIZE(cancels); ++i)
        user_finds(locate, SC_DLG_FORCE_UI, SHARED, T0 | T1, cancels[i], TRUE, SCARD_W_CANCELLED_BY_USER);
    set_card(context, FALSE);
    configure(locate, SC_DLG_MINIMAL_UI);
    for (i = 0; i < ARRAY_SIZE(cancels); ++i)
        user_finds(locate, SC_DLG_MINIMAL_UI, SHARED, T0 | T1, cancels[i], FALSE, SCARD_W_CANCELLED_BY_USER);
    /* NO_UI without the card: at once */
    start = GetTickCount();
    info = (SCARDINFO *)0xdeadbeef;
    hr = ISCardLocate_FindCard(locate, SHARED, T0 | T1, SC_DLG_NO_UI, &info);
    ok(hr == SCARD_E_NO_SMARTCARD, "Got hr %#lx.\n", hr);
    ok(!info, "Got %p.\n", info);
    ok(GetTickCount() - start < 3000, "FindCard took %lu ms.\n", GetTickCount() - start);

    /* a caller in the MTA, without a window of its own */
    mta.user.caller_window = caller_window;
    mta.user.action = ACT_CLOSE;
    thread = CreateThread(NULL, 0, mta_thread, &mta, 0, NULL);
    /* (this thread owns caller_window: it answers while it waits) */
    while (MsgWaitForMultipleObjects(1, &thread, FALSE, 60000, QS_ALLINPUT) == WAIT_OBJECT_0 + 1)
    {
        MSG msg;

        while (PeekMessageW(&msg, NULL, 0, 0, PM_REMOVE))
            DispatchMessageW(&msg);
    }
    CloseHandle(thread);
    ok(mta.hr == SCARD_W_CANCELLED_BY_USER, "Got hr %#lx.\n", mta.hr);

    ok(!ISCardLocate_Release(locate), "The locate object is still referenced.\n");
    DestroyWindow(caller_window);
}

START_TEST(selectdlg)
{
    WCHAR exe[MAX_PATH];
    SCARDCONTEXT context = 0;
    SCARD_PROTOCOLS protocol;
    BYTE mask[36];
    LONG ret;

    swprintf(desktop_name, ARRAY_SIZE(desktop_name), L"scardssp-selectdlg-%lu", GetCurrentProcessId());
    GetModuleFileNameW(NULL, exe, ARRAY_SIZE(exe));
    draw_own_frames(wcsrchr(exe, '\\') ? wcsrchr(exe, '\\') + 1 : exe);
    draw_own_frames(L"findcard.exe");
    desktop = CreateDesktopW(desktop_name, NULL, NULL, 0, GENERIC_ALL, NULL);
    ok(!!desktop, "CreateDesktopW failed, error %lu.\n", GetLastError());
    ok(SetThreadDesktop(desktop), "SetThreadDesktop failed, error %lu.\n", GetLastError());
    CoInitialize(NULL);
    /* tests/run-wine started the stack this program's name asks for */
    screenshot_png = getenv("SCARDSSP_SCREENSHOT");
    if (!(protocol = stack_protocol()))
    {
        CoUninitialize();
        return;
    }
    card_protocol = protocol;
    stack.t1 = protocol == T1;
    stack.atr_len = parse_hex(stack.t1 ? "3B 89 01 80 55 56 43 41 52 44 61 01 7F"
                                       : "3B 89 00 80 55 56 43 41 52 44 61 00", stack.atr, sizeof(stack.atr));
    copy_env(stack.dir, sizeof(stack.dir), "VCARD_STACK_DIR");
    copy_env(stack.vcard, sizeof(stack.vcard), "VCARD");
    copy_env(stack.control[0], sizeof(stack.control[0]), "VCARD_CONTROL0");
    ok(stack.dir[0] && stack.vcard[0] && stack.control[0][0], "The stack's environment is incomplete.\n");
    ok(!!getenv("DISPLAY"), "No DISPLAY: tests/run-wine gives this test an Xvfb display.\n");
    swprintf(title, ARRAY_SIZE(title), L"Insert the scardssp test card (T=%d, process %lu)", stack.t1,
            GetCurrentProcessId());

    ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
    ok(!ret, "SCardEstablishContext returned %#lx.\n", ret);
    if (!ret)
    {
        lock_card_database();
        memset(mask, 0xff, sizeof(mask));
        SCardForgetCardTypeW(context, test_card);
        ret = SCardIntroduceCardTypeW(context, test_card, &test_provider, NULL, 0, stack.atr, mask, stack.atr_len);
        ok(!ret, "SCardIntroduceCardTypeW returned %#lx.\n", ret);

        test_dialog(context);
        test_legacy_client(context);

        set_card(context, TRUE);
        ret = SCardForgetCardTypeW(context, test_card);
        ok(!ret, "SCardForgetCardTypeW returned %#lx.\n", ret);
        unlock_card_database();
        SCardReleaseContext(context);
    }
    CoUninitialize();
}
