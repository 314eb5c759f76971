/*
 * The card-selection dialog of ISCardLocate::FindCard
 *
 * On Windows, scarddlg.dll's SCardUIDlgSelectCardW (loaded at run time,
 * so that the DLL still loads where it is absent).  Under Wine, whose
 * scarddlg is a stub, a dialog of our own (IDD_SELECTCARD): the readers
 * of the configured groups, each with what it holds, kept up to date by a
 * worker thread that waits in SCardGetStatusChangeW on its own context and
 * posts each change to the dialog (SCardCancel ends its wait).  The dialog
 * is modal on the calling thread (DialogBoxParamW: its loop dispatches the
 * thread's messages, COM's too, and IsDialogMessage gives the keyboard);
 * OK connects to the chosen card on the caller's context.
 *
 * Choices where the documentation is silent:
 *  - SC_DLG_MINIMAL_UI connects without a dialog when exactly one card
 *    matches (and accepts the connection); while the dialog waits, a
 *    matching card that becomes the only one is connected at once, so
 *    "insert your card" goes on by itself.  SC_DLG_FORCE_UI waits for OK.
 *  - OK is enabled only on a reader holding a matching card; a failed
 *    connection is shown in the dialog, which stays open.
 *  - Without a display (no window can be made), nothing is shown: S_FALSE,
 *    and the caller answers as under SC_DLG_NO_UI (a WARN says so).
 *  - Readers are listed again every second, so a reader plugged in while
 *    the dialog waits appears.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <string.h>

#include "scardssp_private.h"
#include "winscard.h"
#include "winuser.h"
#include "resource.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

#define WM_SELECT_READERS (WM_APP + 1)  /* lParam: a struct snapshot, the dialog's to free */
#define RELIST_MS 1000

/* What a reader holds, as the dialog shows it. */
enum holding
{
    HOLDING_UNAVAILABLE,
    HOLDING_EMPTY,
    HOLDING_MATCH,      /* a card the search names: its name is shown */
    HOLDING_OTHER,
    HOLDING_IN_USE,     /* held exclusively elsewhere */
    HOLDING_MUTE,
};

struct reader_entry
{
    const WCHAR *reader;    /* into snapshot->readers */
    enum holding holding;
    WCHAR card[128];        /* the matching card's name */
};

struct snapshot
{
    WCHAR *readers;         /* multi-string */
    DWORD count;
    DWORD matches;
    struct reader_entry entries[1];
};

struct watcher
{
    const struct select_request *request;
    HWND dialog;
    SCARDCONTEXT context;   /* the worker's own */
    HANDLE stop;            /* an event */
    HANDLE thread;
};

struct dialog
{
    const struct select_request *request;
    SCARDCONTEXT context;   /* the caller's: the connection's */
    struct snapshot *snapshot;
    struct watcher watcher;
    DWORD last_matches;
    HRESULT error;          /* why the dialog ended with IDABORT */
    SCARDHANDLE card;
    DWORD active_protocol;
};

static void snapshot_free(struct snapshot *snapshot)
{
    if (!snapshot)
        return;
    free(snapshot->readers);
    free(snapshot);
}

/* A snapshot of readers (taken over on success, freed with the snapshot)
 * in the states of states[count]. */
static struct snapshot *snapshot_create(const struct select_request *request, WCHAR *readers,
        const SCARD_READERSTATEW *states, DWORD count)
{
    struct snapshot *snapshot;
    DWORD i;

    if (!(snapshot = calloc(1, offsetof(struct snapshot, entries[count ? count : 1]))))
        return NULL;
    snapshot->readers = readers;
    snapshot->count = count;
    for (i = 0; i < count; ++i)
    {
        struct reader_entry *entry = &snapshot->entries[i];
        DWORD state = states[i].dwEventState;

        entry->reader = states[i].szReader;
        if (state & (SCARD_STATE_UNKNOWN | SCARD_STATE_UNAVAILABLE) || !(state & (SCARD_STATE_EMPTY | SCARD_STATE_PRESENT)))
            entry->holding = HOLDING_UNAVAILABLE;
        else if (!(state & SCARD_STATE_PRESENT))
            entry->holding = HOLDING_EMPTY;
        else if (state & SCARD_STATE_MUTE)
            entry->holding = HOLDING_MUTE;
        else if (state & SCARD_STATE_EXCLUSIVE)
            entry->holding = HOLDING_IN_USE;
        else if (request->match(states[i].rgbAtr, states[i].cbAtr, request->wanted, entry->card,
                ARRAY_SIZE(entry->card)))
        {
            entry->holding = HOLDING_MATCH;
            snapshot->matches++;
        }
        else
            entry->holding = HOLDING_OTHER;
    }
    return snapshot;
}

/* The readers of the search's groups with their states (*states[i].szReader
 * pointing into *readers, a multi-string ending in two NULs whatever
 * winscard gave); *count 0 when there is none.  On failure nothing is
 * allocated. */
static LONG list_readers(SCARDCONTEXT context, const WCHAR *groups, WCHAR **readers, SCARD_READERSTATEW **states,
        DWORD *count)
{
    WCHAR *listed, *reader;
    DWORD size, n = 0;
    LONG ret;

    *readers = NULL;
    *states = NULL;
    *count = 0;
    ret = database_list_readers(context, groups, &listed, &size);
    if (ret == SCARD_E_NO_READERS_AVAILABLE || (!ret && !listed))
        return SCARD_S_SUCCESS;
    if (ret)
        return ret;
    *readers = malloc((size + 2) * sizeof(WCHAR));
    if (*readers)
    {
        memcpy(*readers, listed, size * sizeof(WCHAR));
        (*readers)[size] = (*readers)[size + 1] = 0;
    }
    free(listed);
    if (!*readers)
        return SCARD_E_NO_MEMORY;
    for (reader = *readers; *reader; reader += wcslen(reader) + 1)
        n++;
    if (!(*states = calloc(n ? n : 1, sizeof(**states))))
    {
        free(*readers);
        *readers = NULL;
        return SCARD_E_NO_MEMORY;
    }
    for (reader = *readers; *count < n; reader += wcslen(reader) + 1)
    {
        (*states)[*count].szReader = reader;
        (*states)[(*count)++].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    return SCARD_S_SUCCESS;
}

static BOOL same_readers(const WCHAR *a, const WCHAR *b)
{
    if (!a || !b)
        return a == b;
    while (*a && !wcscmp(a, b))
    {
        a += wcslen(a) + 1;
        b += wcslen(b) + 1;
    }
    return !*a && !*b;
}

/* The length of a multi-string, its final NUL included; 0 for NULL. */
static DWORD multi_string_len(const WCHAR *strings)
{
    const WCHAR *p = strings;

    if (!p)
        return 0;
    while (*p)
        p += wcslen(p) + 1;
    return p - strings + 1;
}

static BOOL post_snapshot(struct watcher *watcher, const WCHAR *readers, const SCARD_READERSTATEW *states,
        DWORD count)
{
    WCHAR *copy = NULL;
    struct snapshot *snapshot;
    size_t size = 0;
    DWORD i;

    /* the entries must point into the snapshot's own copy of the names */
    if (readers)
    {
        size = multi_string_len(readers) * sizeof(WCHAR);
        if (!(copy = malloc(size)))
            return FALSE;
        memcpy(copy, readers, size);
    }
    if (!(snapshot = snapshot_create(watcher->request, copy, states, count)))
    {
        free(copy);
        return FALSE;
    }
    for (i = 0; i < count; ++i)
        snapshot->entries[i].reader = copy + (states[i].szReader - readers);
    if (!PostMessageW(watcher->dialog, WM_SELECT_READERS, 0, (LPARAM)snapshot))
    {
        snapshot_free(snapshot);
        return FALSE;
    }
    return TRUE;
}

/* What winscard reported becomes what the next wait starts from. */
static void accept_states(SCARD_READERSTATEW *states, DWORD count)
{
    DWORD i;

    for (i = 0; i < count; ++i)
        states[i].dwCurrentState = states[i].dwEventState & ~SCARD_STATE_CHANGED;
}

/* The worker: lists the readers, waits for a change (at most RELIST_MS,
 * then lists them again), posts every change to the dialog. */
static DWORD WINAPI watch_thread(void *arg)
{
    struct watcher *watcher = arg;
    SCARD_READERSTATEW *states = NULL, *new_states;
    WCHAR *readers = NULL, *new_readers;
    DWORD count = 0, new_count;
    BOOL first = TRUE;
    LONG ret;

    while (WaitForSingleObject(watcher->stop, 0) == WAIT_TIMEOUT)
    {
        if ((ret = list_readers(watcher->context, watcher->request->groups, &new_readers, &new_states, &new_count)))
        {
            WARN("Listing the readers failed, ret %#lx.\n", ret);
            WaitForSingleObject(watcher->stop, RELIST_MS);
            continue;
        }
        if (first || !same_readers(readers, new_readers))
        {
            free(states);
            free(readers);
            states = new_states;
            readers = new_readers;
            count = new_count;
            /* the first look (UNAWARE) answers at once; after a failure,
             * a new first look a while later */
            if (count && (ret = SCardGetStatusChangeW(watcher->context, 0, states, count)))
            {
                WARN("SCardGetStatusChangeW failed, ret %#lx.\n", ret);
                count = 0;
            }
            else
            {
                accept_states(states, count);
                post_snapshot(watcher, readers, states, count);
                first = FALSE;
            }
        }
        else
        {
            free(new_states);
            free(new_readers);
        }
        if (!count)
        {
            WaitForSingleObject(watcher->stop, RELIST_MS);
            continue;
        }
        ret = SCardGetStatusChangeW(watcher->context, RELIST_MS, states, count);
        if (ret == SCARD_S_SUCCESS)
        {
            accept_states(states, count);
            TRACE("A reader's state changed.\n");
            post_snapshot(watcher, readers, states, count);
        }
        else if (ret != SCARD_E_TIMEOUT && ret != SCARD_E_CANCELLED)
        {
            /* a reader gone, the service lost: look again from the start */
            WARN("SCardGetStatusChangeW failed, ret %#lx.\n", ret);
            first = TRUE;
            WaitForSingleObject(watcher->stop, RELIST_MS);
        }
    }
    free(states);
    free(readers);
    return 0;
}

static HRESULT watcher_start(struct watcher *watcher, const struct select_request *request, HWND dialog)
{
    HRESULT hr;
    LONG ret;

    watcher->request = request;
    watcher->dialog = dialog;
    if ((ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &watcher->context)))
    {
        WARN("SCardEstablishContext failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }
    if (!(watcher->stop = CreateEventW(NULL, TRUE, FALSE, NULL)))
    {
        hr = HRESULT_FROM_WIN32(GetLastError());
        SCardReleaseContext(watcher->context);
        return hr;
    }
    if (!(watcher->thread = CreateThread(NULL, 0, watch_thread, watcher, 0, NULL)))
    {
        hr = HRESULT_FROM_WIN32(GetLastError());
        CloseHandle(watcher->stop);
        SCardReleaseContext(watcher->context);
        return hr;
    }
    return S_OK;
}

static void watcher_stop(struct watcher *watcher)
{
    if (!watcher->thread)
        return;
    SetEvent(watcher->stop);
    SCardCancel(watcher->context);
    WaitForSingleObject(watcher->thread, INFINITE);
    CloseHandle(watcher->thread);
    CloseHandle(watcher->stop);
    SCardReleaseContext(watcher->context);
    watcher->thread = NULL;
}

static void set_status(HWND hwnd, const WCHAR *text)
{
    SetDlgItemTextW(hwnd, IDC_STATUS, text);
}

static const struct reader_entry *selected_entry(HWND hwnd, const struct dialog *dialog)
{
    LRESULT index = SendDlgItemMessageW(hwnd, IDC_READERS, LB_GETCURSEL, 0, 0);

    if (!dialog->snapshot || index < 0 || index >= (LRESULT)dialog->snapshot->count)
        return NULL;
    return &dialog->snapshot->entries[index];
}

static void update_ok(HWND hwnd, const struct dialog *dialog)
{
    const struct reader_entry *entry = selected_entry(hwnd, dialog);

    EnableWindow(GetDlgItem(hwnd, IDOK), entry && entry->holding == HOLDING_MATCH);
}

/* Connects to the card in entry's reader; TRUE when the dialog may end. */
static BOOL connect_entry(HWND hwnd, struct dialog *dialog, const struct reader_entry *entry)
{
    WCHAR format[128], text[160];
    LONG ret;

    ret = scard_connect(dialog->context, entry->reader, dialog->request->share_mode, dialog->request->protocols,
            &dialog->card, &dialog->active_protocol);
    if (!ret)
    {
        TRACE("Connected to %s, card %#Ix, protocol %#lx.\n", debugstr_w(entry->reader), dialog->card,
                dialog->active_protocol);
        return TRUE;
    }
    WARN("SCardConnectW(%s) failed, ret %#lx.\n", debugstr_w(entry->reader), ret);
    LoadStringW(scardssp_instance, IDS_CONNECT_FAILED, format, ARRAY_SIZE(format));
    swprintf(text, ARRAY_SIZE(text), format, ret);
    set_status(hwnd, text);
    return FALSE;
}

static void show_snapshot(HWND hwnd, struct dialog *dialog, struct snapshot *snapshot)
{
    static const UINT holding_ids[] = {IDS_UNAVAILABLE, IDS_EMPTY, 0, IDS_OTHER_CARD, IDS_IN_USE, IDS_MUTE};
    HWND list = GetDlgItem(hwnd, IDC_READERS);
    const struct reader_entry *old = selected_entry(hwnd, dialog);
    LRESULT select = -1, first_match = -1;
    WCHAR line[320], state[128];
    DWORD i;

    for (i = 0; i < snapshot->count; ++i)
    {
        if (old && !wcscmp(old->reader, snapshot->entries[i].reader))
            select = i;
        if (first_match == -1 && snapshot->entries[i].holding == HOLDING_MATCH)
            first_match = i;
    }
    if (select == -1)
        select = first_match != -1 ? first_match : 0;

    SendMessageW(list, WM_SETREDRAW, FALSE, 0);
    SendMessageW(list, LB_RESETCONTENT, 0, 0);
    for (i = 0; i < snapshot->count; ++i)
    {
        const struct reader_entry *entry = &snapshot->entries[i];

        if (entry->holding == HOLDING_MATCH)
            lstrcpynW(state, entry->card, ARRAY_SIZE(state));
        else
            LoadStringW(scardssp_instance, holding_ids[entry->holding], state, ARRAY_SIZE(state));
        swprintf(line, ARRAY_SIZE(line), L"%s\t%s", entry->reader, state);
        SendMessageW(list, LB_ADDSTRING, 0, (LPARAM)line);
    }
    SendMessageW(list, LB_SETCURSEL, snapshot->count ? select : -1, 0);
    SendMessageW(list, WM_SETREDRAW, TRUE, 0);
    InvalidateRect(list, NULL, TRUE);

    snapshot_free(dialog->snapshot);
    dialog->snapshot = snapshot;
    if (snapshot->count)
        set_status(hwnd, L"");
    else
    {
        WCHAR text[128];

        LoadStringW(scardssp_instance, IDS_NO_READERS, text, ARRAY_SIZE(text));
        set_status(hwnd, text);
    }
    update_ok(hwnd, dialog);

    /* MINIMAL_UI: a matching card that becomes the only one is taken */
    if (dialog->request->flags == SC_DLG_MINIMAL_UI && snapshot->matches == 1 && dialog->last_matches != 1)
    {
        dialog->last_matches = snapshot->matches;
        if (connect_entry(hwnd, dialog, &snapshot->entries[first_match]))
            EndDialog(hwnd, IDOK);
        return;
    }
    dialog->last_matches = snapshot->matches;
}

static INT_PTR CALLBACK dialog_proc(HWND hwnd, UINT msg, WPARAM wparam, LPARAM lparam)
{
    struct dialog *dialog = (struct dialog *)GetWindowLongPtrW(hwnd, DWLP_USER);

    switch (msg)
    {
    case WM_INITDIALOG:
    {
        /* the reader's name, then at 130 dialog units its state */
        INT tab = 130;

        dialog = (struct dialog *)lparam;
        SetWindowLongPtrW(hwnd, DWLP_USER, (LONG_PTR)dialog);
        if (dialog->request->title && *dialog->request->title)
            SetWindowTextW(hwnd, dialog->request->title);
        SendDlgItemMessageW(hwnd, IDC_READERS, LB_SETTABSTOPS, 1, (LPARAM)&tab);
        EnableWindow(GetDlgItem(hwnd, IDOK), FALSE);
        if (FAILED(dialog->error = watcher_start(&dialog->watcher, dialog->request, hwnd)))
            EndDialog(hwnd, IDABORT);
        return TRUE;
    }
    case WM_SELECT_READERS:
        show_snapshot(hwnd, dialog, (struct snapshot *)lparam);
        return TRUE;
    case WM_COMMAND:
        switch (LOWORD(wparam))
        {
        case IDOK:
        {
            const struct reader_entry *entry = selected_entry(hwnd, dialog);

            if (entry && entry->holding == HOLDING_MATCH && connect_entry(hwnd, dialog, entry))
                EndDialog(hwnd, IDOK);
            return TRUE;
        }
        case IDCANCEL:
            EndDialog(hwnd, IDCANCEL);
            return TRUE;
        case IDC_READERS:
            if (HIWORD(wparam) == LBN_SELCHANGE)
                update_ok(hwnd, dialog);
            else if (HIWORD(wparam) == LBN_DBLCLK)
                SendMessageW(hwnd, WM_COMMAND, IDOK, 0);
            return TRUE;
        }
        break;
    case WM_DESTROY:
    {
        MSG msg;

        watcher_stop(&dialog->watcher);
        /* what the worker posted that was never read */
        while (PeekMessageW(&msg, hwnd, WM_SELECT_READERS, WM_SELECT_READERS, PM_REMOVE))
            snapshot_free((struct snapshot *)msg.lParam);
        return TRUE;
    }
    }
    return FALSE;
}

static HRESULT run_dialog(const struct select_request *request, SCARDCONTEXT context, SCARDHANDLE *card,
        DWORD *active_protocol)
{
    struct dialog dialog = {request, context};
    INT_PTR ret;

    dialog.last_matches = ~0u;
    ret = DialogBoxParamW(scardssp_instance, MAKEINTRESOURCEW(IDD_SELECTCARD), GetActiveWindow(), dialog_proc,
            (LPARAM)&dialog);
    snapshot_free(dialog.snapshot);
    if (ret == IDOK)
    {
        *card = dialog.card;
        *active_protocol = dialog.active_protocol;
        return S_OK;
    }
    if (ret == IDCANCEL)
    {
        TRACE("Cancelled by the user.\n");
        return SCARD_W_CANCELLED_BY_USER;
    }
    if (ret == IDABORT)
        return dialog.error;
    WARN("No card selection dialog could be shown (no display?), error %lu; answering as without a dialog.\n",
            GetLastError());
    return S_FALSE;
}

/* The first look, before any dialog: under MINIMAL_UI a single matching
 * card that accepts the connection is taken at once. */
static BOOL connect_single_match(const struct select_request *request, SCARDCONTEXT context, SCARDHANDLE *card,
        DWORD *active_protocol)
{
    SCARD_READERSTATEW *states;
    struct snapshot *snapshot;
    WCHAR *readers;
    BOOL done = FALSE;
    DWORD count, i;
    LONG ret;

    if (list_readers(context, request->groups, &readers, &states, &count) || !count)
    {
        free(readers);
        free(states);
        return FALSE;
    }
    if ((ret = SCardGetStatusChangeW(context, 0, states, count)))
        WARN("SCardGetStatusChangeW failed, ret %#lx.\n", ret);
    else if ((snapshot = snapshot_create(request, readers, states, count)))
    {
        readers = NULL;  /* the snapshot's */
        TRACE("%lu matching cards.\n", snapshot->matches);
        for (i = 0; snapshot->matches == 1 && i < count; ++i)
        {
            if (snapshot->entries[i].holding != HOLDING_MATCH)
                continue;
            if (!(ret = scard_connect(context, snapshot->entries[i].reader, request->share_mode,
                    request->protocols, card, active_protocol)))
                done = TRUE;
            else
                WARN("SCardConnectW(%s) failed, ret %#lx.\n", debugstr_w(snapshot->entries[i].reader), ret);
        }
        snapshot_free(snapshot);
    }
    free(readers);
    free(states);
    return done;
}

/* OPENCARD_SEARCH_CRITERIAW and OPENCARDNAME_EXW of Windows' winscard.h
 * (Wine's lacks them), for scarddlg.dll's SCardUIDlgSelectCardW. */
struct open_card_search_criteria
{
    DWORD dwStructSize;
    WCHAR *lpstrGroupNames;
    DWORD nMaxGroupNames;
    const GUID *rgguidInterfaces;
    DWORD cguidInterfaces;
    WCHAR *lpstrCardNames;
    DWORD nMaxCardNames;
    void *lpfnCheck;
    void *lpfnConnect;
    void *lpfnDisconnect;
    void *pvUserData;
    DWORD dwShareMode;
    DWORD dwPreferredProtocols;
};

struct open_card_name_ex
{
    DWORD dwStructSize;
    SCARDCONTEXT hSCardContext;
    HWND hwndOwner;
    DWORD dwFlags;
    const WCHAR *lpstrTitle;
    const WCHAR *lpstrSearchDesc;
    HICON hIcon;
    struct open_card_search_criteria *pOpenCardSearchCriteria;
    void *lpfnConnect;
    void *pvUserData;
    DWORD dwShareMode;
    DWORD dwPreferredProtocols;
    WCHAR *lpstrRdr;
    DWORD nMaxRdr;
    WCHAR *lpstrCard;
    DWORD nMaxCard;
    DWORD dwActiveProtocol;
    SCARDHANDLE hCardHandle;
};

/* Windows' own dialog, where scarddlg.dll has it; S_FALSE where it has not. */
static HRESULT run_scarddlg(const struct select_request *request, SCARDCONTEXT context, SCARDHANDLE *card,
        DWORD *active_protocol)
{
    LONG (WINAPI *select_card)(struct open_card_name_ex *);
    struct open_card_search_criteria criteria = {sizeof(criteria)};
    struct open_card_name_ex ocn = {sizeof(ocn)};
    WCHAR reader[256], name[256];
    HMODULE scarddlg;
    LONG ret;

    if (!(scarddlg = LoadLibraryW(L"scarddlg.dll")))
        return S_FALSE;
    if (!(select_card = (void *)GetProcAddress(scarddlg, "SCardUIDlgSelectCardW")))
    {
        FreeLibrary(scarddlg);
        return S_FALSE;
    }
    criteria.lpstrGroupNames = (WCHAR *)request->groups;
    criteria.nMaxGroupNames = multi_string_len(request->groups);
    criteria.lpstrCardNames = (WCHAR *)request->wanted;
    criteria.nMaxCardNames = multi_string_len(request->wanted);
    criteria.dwShareMode = request->share_mode;
    criteria.dwPreferredProtocols = request->protocols;
    ocn.hSCardContext = context;
    ocn.hwndOwner = GetActiveWindow();
    ocn.dwFlags = request->flags;
    ocn.lpstrTitle = request->title && *request->title ? request->title : NULL;
    ocn.pOpenCardSearchCriteria = &criteria;
    ocn.dwShareMode = request->share_mode;
    ocn.dwPreferredProtocols = request->protocols;
    ocn.lpstrRdr = reader;
    ocn.nMaxRdr = ARRAY_SIZE(reader);
    ocn.lpstrCard = name;
    ocn.nMaxCard = ARRAY_SIZE(name);
    ret = select_card(&ocn);
    FreeLibrary(scarddlg);
    TRACE("SCardUIDlgSelectCardW returned %#lx, card %#Ix.\n", ret, ocn.hCardHandle);
    if (ret)
        return scard_hresult(ret);
    if (!ocn.hCardHandle)
        return SCARD_E_NO_SMARTCARD;
    *card = ocn.hCardHandle;
    *active_protocol = ocn.dwActiveProtocol;
    return S_OK;
}

static BOOL running_on_wine(void)
{
    return !!GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version");
}

HRESULT select_card(const struct select_request *request, HSCARDCONTEXT *context, HSCARD *card,
        DWORD *active_protocol)
{
    HRESULT hr;
    LONG ret;

    if ((ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, context)))
    {
        WARN("SCardEstablishContext failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }
    if (!running_on_wine())
        hr = run_scarddlg(request, *context, card, active_protocol);
    else if (request->flags == SC_DLG_MINIMAL_UI && connect_single_match(request, *context, card, active_protocol))
        hr = S_OK;
    else
        hr = run_dialog(request, *context, card, active_protocol);
    if (hr != S_OK)
        SCardReleaseContext(*context);
    return hr;
}
