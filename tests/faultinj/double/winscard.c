/*
 * A fault-injecting winscard.dll (a test double, never installed), loaded
 * beside scardssp.dll by tests/faultinj/faultinj.exe.  It simulates two
 * readers with a card each and a card database (tests/faultinj/faultinj.h),
 * answers with Windows' values, counts every call, and gives the N-th call
 * the kind of answer the driver chose (fault_set): an error, a delay, or a
 * success whose written-back counts, lengths, handles, protocols, states
 * or strings lie.  It keeps every context and card it hands out, so the
 * driver can see what was never released.
 *
 * The cards: "Fault Reader T0" holds a T=0 card: a command with data is
 * answered 61 Lc and GET RESPONSE (INS C0) gives the data back; GET
 * CHALLENGE (INS 84) wants P3 = 8 (else 6C 08) and gives 8 pattern bytes;
 * any other command 90 00.  "Fault Reader T1" holds a T=1 echo card: a
 * command's data comes back, a command without data gets Le pattern bytes,
 * then 90 00.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdarg.h>
#include <string.h>

#define WINSCARDAPI
#include "windef.h"
#include "winbase.h"
#include "winscard.h"

#include "../faultinj.h"

const SCARD_IO_REQUEST g_rgSCardT0Pci = { SCARD_PROTOCOL_T0, sizeof(SCARD_IO_REQUEST) };
const SCARD_IO_REQUEST g_rgSCardT1Pci = { SCARD_PROTOCOL_T1, sizeof(SCARD_IO_REQUEST) };
const SCARD_IO_REQUEST g_rgSCardRawPci = { SCARD_PROTOCOL_RAW, sizeof(SCARD_IO_REQUEST) };

#define MAX_OPEN 32
#define CONTEXT_BASE 0x5c000
#define CARD_BASE 0x7d000
#define MAX_CALLS 4096

static const WCHAR readers[] = FAULT_READERS, groups[] = FAULT_GROUPS, cards[] = FAULT_CARDS;
static const WCHAR card_t0[] = FAULT_CARD_T0, card_t1[] = FAULT_CARD_T1;
static const BYTE atr_t0[] = FAULT_ATR_T0, atr_t1[] = FAULT_ATR_T1;

static BOOL contexts[MAX_OPEN];
static struct card
{
    BOOL open;
    int reader;             /* 0: T=0 card, 1: T=1 card */
    DWORD protocol;
    BYTE pending[256];      /* T=0: what GET RESPONSE gives */
    DWORD pending_len;
} card_slots[MAX_OPEN];

static LONG fault_call, fault_kind, calls;
static signed char functions[MAX_CALLS];
static BOOL endless;
static WORD last_sw;

/* The kind to answer this call of function with, or -1 for the truth. */
static LONG next_call(enum fault_function function)
{
    calls++;
    if (calls <= MAX_CALLS) functions[calls - 1] = function;
    if (calls != fault_call) return -1;
    if (fault_kind == K_DELAY)
    {
        Sleep(20);
        return -1;
    }
    if (fault_kind == K_SW_6101_ENDLESS || fault_kind == K_SW_6C01_ENDLESS) endless = TRUE;
    return fault_kind;
}

static BOOL error_kind(LONG kind, LONG *ret)
{
    static const LONG codes[] =
    {
        [K_ERR_INTERNAL] = SCARD_F_INTERNAL_ERROR, [K_ERR_NO_SERVICE] = SCARD_E_NO_SERVICE,
        [K_ERR_INVALID_HANDLE] = SCARD_E_INVALID_HANDLE, [K_ERR_REMOVED] = SCARD_W_REMOVED_CARD,
        [K_ERR_WIN32] = ERROR_INVALID_HANDLE, [K_ERR_INSUFFICIENT] = SCARD_E_INSUFFICIENT_BUFFER,
        [K_ERR_GARBAGE] = 0x12345678,
    };

    if (kind < K_ERR_INTERNAL || kind > K_ERR_GARBAGE) return FALSE;
    *ret = codes[kind];
    return TRUE;
}

BOOL WINAPI fault_applies(LONG function, LONG kind)
{
    BOOL list = function == FN_LIST_READERS || function == FN_LIST_GROUPS || function == FN_LIST_CARDS;

    if (kind <= K_DELAY) return TRUE;
    switch (kind)
    {
    case K_ZERO_HANDLE: return function == FN_ESTABLISH || function == FN_CONNECT;
    case K_BAD_PROTOCOL: return function == FN_CONNECT || function == FN_RECONNECT || function == FN_STATUS;
    case K_UNASKED_PROTOCOL: return function == FN_CONNECT || function == FN_RECONNECT;
    case K_BAD_STATE: return function == FN_STATUS;
    case K_SIZE_2_31: case K_SIZE_2_32: case K_FILL_LONG: case K_GROW:
        return list || function == FN_LIST_INTERFACES;
    case K_UNTERMINATED: return list || function == FN_STATUS;
    case K_SHORT: case K_ZERO_LENGTH: return list;
    case K_NAMES_LONG: return function == FN_STATUS;
    case K_ATR_LONG: case K_ATR_HUGE: case K_ATR_SHORT:
        return function == FN_STATUS || function == FN_STATUS_CHANGE;
    case K_RECV_LONG: case K_RECV_HUGE: case K_RECV_SHORT: case K_RECV_ZERO:
    case K_SW_61FF: case K_SW_6C00: case K_SW_6101_ENDLESS: case K_SW_6C01_ENDLESS:
        return function == FN_TRANSMIT;
    }
    return FALSE;
}

void WINAPI fault_set(LONG call, LONG kind)
{
    fault_call = call;
    fault_kind = kind;
    calls = 0;
    endless = FALSE;
    last_sw = 0;
}

LONG WINAPI fault_calls(void)
{
    return calls;
}

LONG WINAPI fault_function(LONG n)
{
    return n >= 1 && n <= calls && n <= MAX_CALLS ? functions[n - 1] : -1;
}

LONG WINAPI fault_open(void)
{
    LONG n = 0, i;

    for (i = 0; i < MAX_OPEN; i++) n += contexts[i] + card_slots[i].open;
    return n;
}

void WINAPI fault_close_all(void)
{
    memset(contexts, 0, sizeof(contexts));
    memset(card_slots, 0, sizeof(card_slots));
}

WORD WINAPI fault_last_sw(void)
{
    return last_sw;
}

static BOOL valid_context(SCARDCONTEXT context)
{
    return context >= CONTEXT_BASE && context < CONTEXT_BASE + MAX_OPEN && contexts[context - CONTEXT_BASE];
}

/* The card database queries take a context or none. */
static BOOL valid_optional_context(SCARDCONTEXT context)
{
    return !context || valid_context(context);
}

static struct card *get_card(SCARDHANDLE handle)
{
    if (handle < CARD_BASE || handle >= CARD_BASE + MAX_OPEN || !card_slots[handle - CARD_BASE].open) return NULL;
    return &card_slots[handle - CARD_BASE];
}

LONG WINAPI SCardEstablishContext(DWORD scope, const void *reserved1, const void *reserved2, SCARDCONTEXT *context)
{
    LONG kind = next_call(FN_ESTABLISH), ret, i;

    if (!context) return SCARD_E_INVALID_PARAMETER;
    if (error_kind(kind, &ret)) return ret;
    if (kind == K_ZERO_HANDLE)
    {
        *context = 0;
        return SCARD_S_SUCCESS;
    }
    for (i = 0; i < MAX_OPEN; i++)
    {
        if (contexts[i]) continue;
        contexts[i] = TRUE;
        *context = CONTEXT_BASE + i;
        return SCARD_S_SUCCESS;
    }
    return SCARD_E_NO_MEMORY;
}

LONG WINAPI SCardReleaseContext(SCARDCONTEXT context)
{
    LONG kind = next_call(FN_RELEASE), ret;

    if (!valid_context(context)) return SCARD_E_INVALID_HANDLE;
    contexts[context - CONTEXT_BASE] = FALSE;
    return error_kind(kind, &ret) ? ret : SCARD_S_SUCCESS;
}

/* A multi-string (or GUID) list answered under kind: the truth is list[n]
 * elements of size element. */
static LONG answer_list(LONG kind, const void *list, DWORD n, DWORD element, BOOL multi_string, void *out,
        DWORD *len)
{
    DWORD given;
    LONG ret;

    if (!len) return SCARD_E_INVALID_PARAMETER;
    if (error_kind(kind, &ret)) return ret;
    given = *len;
    switch (kind)
    {
    case K_SIZE_2_31:
        *len = 0x80000001;
        return SCARD_S_SUCCESS;
    case K_SIZE_2_32:
        *len = 0xffffffff;
        return SCARD_S_SUCCESS;
    case K_ZERO_LENGTH:
        *len = 0;
        return SCARD_S_SUCCESS;
    case K_GROW:
        if (!out)
        {
            *len = n - 4;
            return SCARD_S_SUCCESS;
        }
        break;
    case K_FILL_LONG:
        if (out && given >= n)
        {
            memcpy(out, list, n * element);
            if (multi_string) ((WCHAR *)out)[n - 1] = 'X';
            *len = given + 64;
            return SCARD_S_SUCCESS;
        }
        break;
    case K_UNTERMINATED:
        if (out)
        {
            DWORD i;

            for (i = 0; i < given; i++) ((WCHAR *)out)[i] = 'X';
            return SCARD_S_SUCCESS;
        }
        break;
    }
    if (out && given < n)
    {
        *len = n;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    if (out) memcpy(out, list, n * element);
    *len = (kind == K_SHORT && out) ? n - 1 : n;
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardListReadersW(SCARDCONTEXT context, const WCHAR *group, WCHAR *out, DWORD *len)
{
    LONG kind = next_call(FN_LIST_READERS);

    if (!valid_context(context)) return SCARD_E_INVALID_HANDLE;
    return answer_list(kind, readers, ARRAY_SIZE(readers), sizeof(WCHAR), TRUE, out, len);
}

LONG WINAPI SCardListReaderGroupsW(SCARDCONTEXT context, WCHAR *out, DWORD *len)
{
    LONG kind = next_call(FN_LIST_GROUPS);

    if (!valid_context(context)) return SCARD_E_INVALID_HANDLE;
    return answer_list(kind, groups, ARRAY_SIZE(groups), sizeof(WCHAR), TRUE, out, len);
}

/* The card database: each card by its ATR; both without an ATR. */
LONG WINAPI SCardListCardsW(SCARDCONTEXT context, const BYTE *atr, const GUID *guids, DWORD count, WCHAR *out,
        DWORD *len)
{
    LONG kind = next_call(FN_LIST_CARDS);
    WCHAR one[ARRAY_SIZE(card_t1) + 1] = {0};
    const WCHAR *list = cards;
    DWORD n = ARRAY_SIZE(cards);

    if (!valid_optional_context(context)) return SCARD_E_INVALID_HANDLE;
    if (atr)
    {
        const WCHAR *name = !memcmp(atr, atr_t0, sizeof(atr_t0)) ? card_t0
                : !memcmp(atr, atr_t1, sizeof(atr_t1)) ? card_t1 : L"";

        wcscpy(one, name);
        list = one;
        n = *name ? wcslen(name) + 2 : 1;
    }
    return answer_list(kind, list, n, sizeof(WCHAR), TRUE, out, len);
}

LONG WINAPI SCardListInterfacesW(SCARDCONTEXT context, const WCHAR *card, GUID *out, DWORD *count)
{
    static const GUID id_interface = {0x12345678, 0x9abc, 0xdef0, {0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0}};
    LONG kind = next_call(FN_LIST_INTERFACES);

    if (!valid_optional_context(context)) return SCARD_E_INVALID_HANDLE;
    if (!card || wcscmp(card, card_t0)) return SCARD_E_UNKNOWN_CARD;
    return answer_list(kind, &id_interface, 1, sizeof(GUID), FALSE, out, count);
}

LONG WINAPI SCardGetProviderIdW(SCARDCONTEXT context, const WCHAR *card, GUID *id)
{
    static const GUID provider = FAULT_PROVIDER;
    LONG kind = next_call(FN_PROVIDER_ID), ret;

    if (!valid_optional_context(context)) return SCARD_E_INVALID_HANDLE;
    if (error_kind(kind, &ret)) return ret;
    if (!card || !id) return SCARD_E_INVALID_PARAMETER;
    if (wcscmp(card, card_t0)) return SCARD_E_UNKNOWN_CARD;
    *id = provider;
    return SCARD_S_SUCCESS;
}

static int reader_index(const WCHAR *reader)
{
    if (!reader) return -1;
    if (!wcscmp(reader, FAULT_READER_T0)) return 0;
    if (!wcscmp(reader, FAULT_READER_T1)) return 1;
    return -1;
}

/* The ATR of a reader's card answered under kind into atr[size]. */
static void answer_atr(LONG kind, int reader, BYTE *atr, DWORD size, DWORD *len)
{
    const BYTE *bytes = reader ? atr_t1 : atr_t0;
    DWORD n = reader ? sizeof(atr_t1) : sizeof(atr_t0), i;

    if (kind == K_ATR_LONG)
    {
        for (i = 0; i < 40 && i < size; i++) atr[i] = (BYTE)(0xa0 + i);
        *len = 40;
        return;
    }
    memcpy(atr, bytes, n);
    *len = kind == K_ATR_HUGE ? 0x80000000 : kind == K_ATR_SHORT ? 1 : n;
}

LONG WINAPI SCardGetStatusChangeW(SCARDCONTEXT context, DWORD timeout, SCARD_READERSTATEW *states, DWORD count)
{
    LONG kind = next_call(FN_STATUS_CHANGE), ret;
    DWORD i;
    int reader;

    if (!valid_context(context)) return SCARD_E_INVALID_HANDLE;
    if (error_kind(kind, &ret)) return ret;
    if (count && !states) return SCARD_E_INVALID_PARAMETER;
    for (i = 0; i < count; i++)
        if (reader_index(states[i].szReader) < 0) return SCARD_E_UNKNOWN_READER;
    for (i = 0; i < count; i++)
    {
        reader = reader_index(states[i].szReader);
        states[i].dwEventState = SCARD_STATE_PRESENT | SCARD_STATE_CHANGED;
        answer_atr(kind, reader, states[i].rgbAtr, sizeof(states[i].rgbAtr), &states[i].cbAtr);
    }
    return SCARD_S_SUCCESS;
}

/* The protocol a connection to reader gets, 0 for none that fits. */
static DWORD connection_protocol(int reader, DWORD share_mode, DWORD protocols)
{
    DWORD protocol = reader ? SCARD_PROTOCOL_T1 : SCARD_PROTOCOL_T0;

    if (share_mode == 3 /* SCARD_SHARE_DIRECT */ && !protocols) return 0;
    return (protocols & (protocol | SCARD_PROTOCOL_DEFAULT)) ? protocol : (DWORD)-1;
}

static DWORD lied_protocol(LONG kind, DWORD protocol)
{
    if (kind == K_BAD_PROTOCOL) return 0x777;
    if (kind == K_UNASKED_PROTOCOL) return SCARD_PROTOCOL_RAW;
    return protocol;
}

LONG WINAPI SCardConnectW(SCARDCONTEXT context, const WCHAR *reader, DWORD share_mode, DWORD protocols,
        SCARDHANDLE *handle, DWORD *active)
{
    LONG kind = next_call(FN_CONNECT), ret, i;
    int index = reader_index(reader);
    DWORD protocol;

    if (!valid_context(context)) return SCARD_E_INVALID_HANDLE;
    if (error_kind(kind, &ret)) return ret;
    if (!reader || !handle || !active) return SCARD_E_INVALID_PARAMETER;
    if (index < 0) return SCARD_E_UNKNOWN_READER;
    if ((protocol = connection_protocol(index, share_mode, protocols)) == (DWORD)-1) return SCARD_E_PROTO_MISMATCH;
    if (kind == K_ZERO_HANDLE)
    {
        *handle = 0;
        *active = protocol;
        return SCARD_S_SUCCESS;
    }
    for (i = 0; i < MAX_OPEN; i++)
    {
        if (card_slots[i].open) continue;
        memset(&card_slots[i], 0, sizeof(card_slots[i]));
        card_slots[i].open = TRUE;
        card_slots[i].reader = index;
        card_slots[i].protocol = protocol;
        *handle = CARD_BASE + i;
        *active = lied_protocol(kind, protocol);
        return SCARD_S_SUCCESS;
    }
    return SCARD_E_NO_MEMORY;
}

LONG WINAPI SCardReconnect(SCARDHANDLE handle, DWORD share_mode, DWORD protocols, DWORD init, DWORD *active)
{
    LONG kind = next_call(FN_RECONNECT), ret;
    struct card *card = get_card(handle);
    DWORD protocol;

    if (!card) return SCARD_E_INVALID_HANDLE;
    if (error_kind(kind, &ret)) return ret;
    if ((protocol = connection_protocol(card->reader, share_mode, protocols)) == (DWORD)-1)
        return SCARD_E_PROTO_MISMATCH;
    card->protocol = protocol;
    card->pending_len = 0;
    if (active) *active = lied_protocol(kind, protocol);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardDisconnect(SCARDHANDLE handle, DWORD disposition)
{
    LONG kind = next_call(FN_DISCONNECT), ret;
    struct card *card = get_card(handle);

    if (!card) return SCARD_E_INVALID_HANDLE;
    card->open = FALSE;
    return error_kind(kind, &ret) ? ret : SCARD_S_SUCCESS;
}

LONG WINAPI SCardBeginTransaction(SCARDHANDLE handle)
{
    LONG kind = next_call(FN_BEGIN), ret;

    if (!get_card(handle)) return SCARD_E_INVALID_HANDLE;
    return error_kind(kind, &ret) ? ret : SCARD_S_SUCCESS;
}

LONG WINAPI SCardEndTransaction(SCARDHANDLE handle, DWORD disposition)
{
    LONG kind = next_call(FN_END), ret;

    if (!get_card(handle)) return SCARD_E_INVALID_HANDLE;
    return error_kind(kind, &ret) ? ret : SCARD_S_SUCCESS;
}

LONG WINAPI SCardStatusW(SCARDHANDLE handle, WCHAR *names, DWORD *names_len, DWORD *state, DWORD *protocol,
        BYTE *atr, DWORD *atr_len)
{
    LONG kind = next_call(FN_STATUS), ret;
    struct card *card = get_card(handle);
    const WCHAR *name;
    DWORD n, i;

    if (!card) return SCARD_E_INVALID_HANDLE;
    if (error_kind(kind, &ret)) return ret;
    name = card->reader ? FAULT_READER_T1 : FAULT_READER_T0;
    n = wcslen(name) + 2;
    if (names_len)
    {
        if (names && *names_len < n) return SCARD_E_INSUFFICIENT_BUFFER;
        if (names && kind == K_UNTERMINATED)
        {
            for (i = 0; i < *names_len; i++) names[i] = 'X';
            n = *names_len;
        }
        else if (names)
        {
            memcpy(names, name, (n - 1) * sizeof(WCHAR));
            names[n - 1] = 0;
        }
        *names_len = kind == K_NAMES_LONG ? 1000 : n;
    }
    if (atr_len)
    {
        BYTE bytes[40] = {0};
        DWORD len;

        answer_atr(kind, card->reader, bytes, sizeof(bytes), &len);
        if (atr && *atr_len < min(len, sizeof(bytes))) return SCARD_E_INSUFFICIENT_BUFFER;
        if (atr) memcpy(atr, bytes, min(len, sizeof(bytes)));
        *atr_len = len;
    }
    if (state) *state = kind == K_BAD_STATE ? 0x99 : 6 /* SCARD_SPECIFIC */;
    if (protocol) *protocol = kind == K_BAD_PROTOCOL ? 0x777 : card->protocol;
    return SCARD_S_SUCCESS;
}

/* The card's answer: data[len] then the status word, remembered for
 * fault_last_sw(). */
static LONG answer(const BYTE *data, DWORD len, BYTE sw1, BYTE sw2, BYTE *out, DWORD *out_len)
{
    DWORD needed = len + 2, given = *out_len;

    *out_len = needed;
    if (given < needed) return SCARD_E_INSUFFICIENT_BUFFER;
    if (len) memcpy(out, data, len);
    out += len;
    *out++ = sw1;
    *out = sw2;
    last_sw = MAKEWORD(sw2, sw1);
    return SCARD_S_SUCCESS;
}

static LONG answer_t0(struct card *card, const BYTE *send, DWORD len, BYTE *out, DWORD *out_len)
{
    BYTE pattern[8];
    DWORD i, n;

    if (len < 4) return answer(NULL, 0, 0x67, 0x00, out, out_len);
    if (send[1] == 0xc0)
    {
        n = len > 4 && send[4] ? send[4] : 256;
        if (n > card->pending_len) return answer(NULL, 0, 0x6c, (BYTE)card->pending_len, out, out_len);
        card->pending_len = 0;
        return answer(card->pending, n, 0x90, 0x00, out, out_len);
    }
    if (send[1] == 0x84)
    {
        if (len != 5 || send[4] != 8) return answer(NULL, 0, 0x6c, 0x08, out, out_len);
        for (i = 0; i < 8; i++) pattern[i] = FAULT_PATTERN(i);
        return answer(pattern, 8, 0x90, 0x00, out, out_len);
    }
    if (len > 5)
    {
        card->pending_len = min(len - 5, send[4]);
        memcpy(card->pending, send + 5, card->pending_len);
        return answer(NULL, 0, 0x61, (BYTE)card->pending_len, out, out_len);
    }
    return answer(NULL, 0, 0x90, 0x00, out, out_len);
}

static LONG answer_t1(const BYTE *send, DWORD len, BYTE *out, DWORD *out_len)
{
    BYTE pattern[256];
    DWORD i, le;

    if (len < 4) return answer(NULL, 0, 0x67, 0x00, out, out_len);
    if (len > 5 && len >= 5u + send[4]) return answer(send + 5, send[4], 0x90, 0x00, out, out_len);
    le = len == 5 ? (send[4] ? send[4] : 256) : 0;
    for (i = 0; i < le; i++) pattern[i] = FAULT_PATTERN(i);
    return answer(pattern, le, 0x90, 0x00, out, out_len);
}

LONG WINAPI SCardTransmit(SCARDHANDLE handle, const SCARD_IO_REQUEST *send_pci, const BYTE *send, DWORD send_len,
        SCARD_IO_REQUEST *recv_pci, BYTE *recv, DWORD *recv_len)
{
    LONG kind = next_call(FN_TRANSMIT), ret;
    struct card *card = get_card(handle);
    DWORD given;

    if (!card) return SCARD_E_INVALID_HANDLE;
    if (error_kind(kind, &ret)) return ret;
    if (!send_pci || !send || !recv || !recv_len) return SCARD_E_INVALID_PARAMETER;
    if (send_pci->dwProtocol != card->protocol) return SCARD_E_PROTO_MISMATCH;
    given = *recv_len;
    switch (kind)
    {
    case K_RECV_LONG:
        ret = card->reader ? answer_t1(send, send_len, recv, recv_len) : answer_t0(card, send, send_len, recv, recv_len);
        *recv_len = given + 10;
        return ret;
    case K_RECV_HUGE:
        *recv_len = 0xffffffff;
        return SCARD_S_SUCCESS;
    case K_RECV_SHORT:
        if (given) recv[0] = 0x90;
        *recv_len = 1;
        return SCARD_S_SUCCESS;
    case K_RECV_ZERO:
        *recv_len = 0;
        return SCARD_S_SUCCESS;
    case K_SW_61FF:
        return answer(NULL, 0, 0x61, 0xff, recv, recv_len);
    case K_SW_6C00:
        return answer(NULL, 0, 0x6c, 0x00, recv, recv_len);
    }
    if (endless && fault_kind == K_SW_6101_ENDLESS) return answer((const BYTE *)"\x42", 1, 0x61, 0x01, recv, recv_len);
    if (endless && fault_kind == K_SW_6C01_ENDLESS) return answer(NULL, 0, 0x6c, 0x01, recv, recv_len);
    return card->reader ? answer_t1(send, send_len, recv, recv_len) : answer_t0(card, send, send_len, recv, recv_len);
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    if (reason == DLL_PROCESS_ATTACH) DisableThreadLibraryCalls(instance);
    return TRUE;
}
