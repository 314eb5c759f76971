/*
 * A loopback winscard.dll for the in-process benchmark (a test double, not
 * a product): it answers at once, without a resource manager, so that the
 * benchmark sees scardssp's own cost.  Two readers:
 *   "Loopback T1": an echo card; a command's data comes back followed by
 *     90 00, a command without data gets Le bytes (a pattern) and 90 00;
 *   "Loopback T0": the same card behind the T=0 rules: a command asking
 *     for data, or sending some, is answered 61 xx, and GET RESPONSE
 *     (INS C0) gives the xx bytes and 90 00.
 * Windows' values throughout (states, SCARD_PROTOCOL_RAW 0x10000).  What
 * scardssp.dll imports but the benchmark never calls (the card database,
 * reader groups, status changes) answers SCARD_E_UNSUPPORTED_FEATURE.
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

const SCARD_IO_REQUEST g_rgSCardT0Pci = { SCARD_PROTOCOL_T0, sizeof(SCARD_IO_REQUEST) };
const SCARD_IO_REQUEST g_rgSCardT1Pci = { SCARD_PROTOCOL_T1, sizeof(SCARD_IO_REQUEST) };
const SCARD_IO_REQUEST g_rgSCardRawPci = { SCARD_PROTOCOL_RAW, sizeof(SCARD_IO_REQUEST) };

#define CONTEXT_VALUE 0x5c5c
static const WCHAR reader_t0[] = L"Loopback T0", reader_t1[] = L"Loopback T1";
static const BYTE atr[] = {0x3b, 0x80, 0x80, 0x01, 0x01};

/* One connection: the handle is its address. */
struct card
{
    DWORD protocol;
    BYTE pending[256];      /* T=0: what GET RESPONSE gives next */
    DWORD pending_len;
};

static BYTE pattern[65536];

LONG WINAPI SCardEstablishContext(DWORD scope, const void *reserved1, const void *reserved2, SCARDCONTEXT *context)
{
    if (!context) return SCARD_E_INVALID_PARAMETER;
    *context = CONTEXT_VALUE;
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardReleaseContext(SCARDCONTEXT context)
{
    return context == CONTEXT_VALUE ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE;
}

LONG WINAPI SCardListReadersW(SCARDCONTEXT context, const WCHAR *groups, WCHAR *readers, DWORD *len)
{
    static const WCHAR both[] = L"Loopback T0\0Loopback T1\0";

    if (context != CONTEXT_VALUE) return SCARD_E_INVALID_HANDLE;
    if (!len) return SCARD_E_INVALID_PARAMETER;
    if (readers && *len < ARRAY_SIZE(both))
    {
        *len = ARRAY_SIZE(both);
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    if (readers) memcpy(readers, both, sizeof(both));
    *len = ARRAY_SIZE(both);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardConnectW(SCARDCONTEXT context, const WCHAR *reader, DWORD share_mode, DWORD protocols,
                          SCARDHANDLE *handle, DWORD *active)
{
    struct card *card;
    DWORD protocol;

    if (context != CONTEXT_VALUE) return SCARD_E_INVALID_HANDLE;
    if (!reader || !handle || !active) return SCARD_E_INVALID_PARAMETER;
    if (!wcscmp(reader, reader_t0)) protocol = SCARD_PROTOCOL_T0;
    else if (!wcscmp(reader, reader_t1)) protocol = SCARD_PROTOCOL_T1;
    else return SCARD_E_UNKNOWN_READER;
    if (!(protocols & protocol)) return SCARD_E_PROTO_MISMATCH;
    if (!(card = HeapAlloc(GetProcessHeap(), HEAP_ZERO_MEMORY, sizeof(*card)))) return SCARD_E_NO_MEMORY;
    card->protocol = protocol;
    *handle = (SCARDHANDLE)card;
    *active = protocol;
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardReconnect(SCARDHANDLE handle, DWORD share_mode, DWORD protocols, DWORD init, DWORD *active)
{
    struct card *card = (struct card *)handle;

    if (!card) return SCARD_E_INVALID_HANDLE;
    if (!(protocols & card->protocol)) return SCARD_E_PROTO_MISMATCH;
    if (active) *active = card->protocol;
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardDisconnect(SCARDHANDLE handle, DWORD disposition)
{
    if (!handle) return SCARD_E_INVALID_HANDLE;
    HeapFree(GetProcessHeap(), 0, (void *)handle);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardBeginTransaction(SCARDHANDLE handle)
{
    return handle ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE;
}

LONG WINAPI SCardEndTransaction(SCARDHANDLE handle, DWORD disposition)
{
    return handle ? SCARD_S_SUCCESS : SCARD_E_INVALID_HANDLE;
}

LONG WINAPI SCardStatusW(SCARDHANDLE handle, WCHAR *names, DWORD *names_len, DWORD *state, DWORD *protocol,
                         BYTE *atr_out, DWORD *atr_len)
{
    struct card *card = (struct card *)handle;
    const WCHAR *name;

    if (!card) return SCARD_E_INVALID_HANDLE;
    name = card->protocol == SCARD_PROTOCOL_T0 ? reader_t0 : reader_t1;
    if (names_len)
    {
        if (names && *names_len < ARRAY_SIZE(reader_t0) + 1) return SCARD_E_INSUFFICIENT_BUFFER;
        if (names)
        {
            memcpy(names, name, sizeof(reader_t0));
            names[ARRAY_SIZE(reader_t0)] = 0;
        }
        *names_len = ARRAY_SIZE(reader_t0) + 1;
    }
    if (atr_len)
    {
        if (atr_out && *atr_len < sizeof(atr)) return SCARD_E_INSUFFICIENT_BUFFER;
        if (atr_out) memcpy(atr_out, atr, sizeof(atr));
        *atr_len = sizeof(atr);
    }
    if (state) *state = 6;   /* SCARD_SPECIFIC */
    if (protocol) *protocol = card->protocol;
    return SCARD_S_SUCCESS;
}

/* The command's data (*data, *lc) and the length it asks for (*le). */
static BOOL parse(const BYTE *apdu, DWORD len, const BYTE **data, DWORD *lc, DWORD *le)
{
    *data = NULL;
    *lc = *le = 0;
    if (len < 4) return FALSE;
    if (len == 4) return TRUE;
    if (len == 5)
    {
        *le = apdu[4] ? apdu[4] : 256;
        return TRUE;
    }
    if (apdu[4])
    {
        *lc = apdu[4];
        *data = apdu + 5;
        if (len == 5 + *lc) return TRUE;
        *le = apdu[len - 1] ? apdu[len - 1] : 256;
        return len == 6 + *lc;
    }
    if (len == 7)
    {
        *le = (apdu[5] << 8 | apdu[6]) ? (apdu[5] << 8 | apdu[6]) : 65536;
        return TRUE;
    }
    *lc = apdu[5] << 8 | apdu[6];
    *data = apdu + 7;
    if (len == 7 + *lc) return TRUE;
    *le = (apdu[len - 2] << 8 | apdu[len - 1]) ? (apdu[len - 2] << 8 | apdu[len - 1]) : 65536;
    return len == 9 + *lc;
}

static LONG answer(const BYTE *data, DWORD len, BYTE sw1, BYTE sw2, BYTE *out, DWORD *out_len)
{
    if (*out_len < len + 2)
    {
        *out_len = len + 2;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    memcpy(out, data, len);
    out[len] = sw1;
    out[len + 1] = sw2;
    *out_len = len + 2;
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardTransmit(SCARDHANDLE handle, const SCARD_IO_REQUEST *send_pci, const BYTE *send, DWORD send_len,
                          SCARD_IO_REQUEST *recv_pci, BYTE *recv, DWORD *recv_len)
{
    struct card *card = (struct card *)handle;
    const BYTE *data;
    DWORD lc, le;

    if (!card) return SCARD_E_INVALID_HANDLE;
    if (!send_pci || !send || !recv || !recv_len) return SCARD_E_INVALID_PARAMETER;
    if (send_pci->dwProtocol != card->protocol) return SCARD_E_PROTO_MISMATCH;
    if (!parse(send, send_len, &data, &lc, &le)) return answer(NULL, 0, 0x67, 0x00, recv, recv_len);
    if (card->protocol == SCARD_PROTOCOL_T1)
        return lc ? answer(data, lc, 0x90, 0x00, recv, recv_len) : answer(pattern, le, 0x90, 0x00, recv, recv_len);

    if (send[1] == 0xc0)
    {
        DWORD n = min(le, card->pending_len);

        card->pending_len = 0;
        return answer(card->pending, n, 0x90, 0x00, recv, recv_len);
    }
    if (lc)
    {
        memcpy(card->pending, data, card->pending_len = min(lc, 256));
        return answer(NULL, 0, 0x61, (BYTE)card->pending_len, recv, recv_len);
    }
    if (le)
    {
        memcpy(card->pending, pattern, card->pending_len = min(le, 256));
        return answer(NULL, 0, 0x61, (BYTE)card->pending_len, recv, recv_len);
    }
    return answer(NULL, 0, 0x90, 0x00, recv, recv_len);
}

/* Imported by scardssp.dll, never called by the benchmark. */
LONG WINAPI SCardGetStatusChangeW(SCARDCONTEXT context, DWORD timeout, SCARD_READERSTATEW *states, DWORD count)
{
    return SCARD_E_UNSUPPORTED_FEATURE;
}

LONG WINAPI SCardListReaderGroupsW(SCARDCONTEXT context, WCHAR *groups, DWORD *len)
{
    return SCARD_E_UNSUPPORTED_FEATURE;
}

LONG WINAPI SCardListCardsW(SCARDCONTEXT context, const BYTE *atr_in, const GUID *guids, DWORD count,
                            WCHAR *cards, DWORD *len)
{
    return SCARD_E_UNSUPPORTED_FEATURE;
}

LONG WINAPI SCardListInterfacesW(SCARDCONTEXT context, const WCHAR *card, GUID *guids, DWORD *count)
{
    return SCARD_E_UNSUPPORTED_FEATURE;
}

LONG WINAPI SCardGetProviderIdW(SCARDCONTEXT context, const WCHAR *card, GUID *id)
{
    return SCARD_E_UNSUPPORTED_FEATURE;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    DWORD i;

    if (reason == DLL_PROCESS_ATTACH)
    {
        DisableThreadLibraryCalls(instance);
        for (i = 0; i < sizeof(pattern); i++) pattern[i] = (BYTE)(i * 7 + 3);
    }
    return TRUE;
}
