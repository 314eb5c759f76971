/*
 * CSCard: one connection to one smart card, over winscard.dll
 *
 * Choices where the documentation is silent:
 *  - creating the object never fails for want of a resource manager: the
 *    winscard context is established when first needed (AttachByReader),
 *    and established again when winscard says the old one is gone
 *    (SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED, SCARD_E_INVALID_HANDLE,
 *    and SCARD_W_SECURITY_VIOLATION, which pcsc-lite gives for a socket the
 *    resource manager reset when it went away),
 *    so that a restarted pcscd is usable again without a new object; a
 *    winscard error is returned as it is, as the HRESULT (a Win32 error
 *    such as ERROR_INVALID_HANDLE becomes HRESULT_FROM_WIN32);
 *  - get_Context gives the object's own context, 0 until one has been
 *    established; AttachByHandle does not establish one;
 *  - AttachByReader: a NULL or empty name is E_INVALIDARG, and nothing
 *    changes; the share mode and the protocols go to winscard as PC/SC
 *    values, as real clients cast them into the enums (SCARD_SHARE_DIRECT
 *    3 with protocol 0, SCARD_PROTOCOL_DEFAULT 0x80000000, Windows' RAW
 *    0x10000, T0|T1), the type library's RAW (0xFF) being SCARD_PROTOCOL_RAW:
 *    a value PC/SC rejects gets PC/SC's error; ReAttach passes its share
 *    mode the same way;
 *  - AttachByHandle: 0, or a handle winscard does not know, is
 *    E_INVALIDARG; the handle then belongs to the object: Detach and the
 *    final Release disconnect it;
 *  - AttachByReader while attached first detaches (LEAVE) the current
 *    card; if the new attachment fails the object is left not attached.
 *    AttachByHandle checks the new handle first and keeps the current
 *    connection when it is refused; attaching by the handle the object
 *    already holds does nothing;
 *  - Detach: a disposition other than LEAVE/RESET/UNPOWER/EJECT is
 *    E_INVALIDARG; not attached, it does nothing and returns S_OK; the
 *    object is detached afterwards even when SCardDisconnect fails (whose
 *    error is returned);
 *  - every other card operation while not attached (get_Atr, get_Protocol,
 *    get_Status, LockSCard, UnlockSCard, ReAttach, Transaction) fails with
 *    SCARD_E_INVALID_HANDLE; get_CardHandle gives 0 (documented);
 *  - ReAttach is SCardReconnect with the protocols asked for at attach time
 *    (the active one after AttachByHandle); when the connection was lost
 *    with the resource manager (pcscd stopped or restarted) it connects
 *    again to the same reader with a new context, the initial disposition
 *    then being moot; while that fails the object keeps its dead
 *    connection (whose calls fail) and the next ReAttach tries again;
 *  - the final Release detaches with LEAVE and releases the context; a
 *    transaction still held (LockSCard) is ended by winscard then;
 *  - Transaction: the command is read from *ppCmd whole, sent with the
 *    T=0 rules (case 4 as case 3, GET RESPONSE on 61 xx with the
 *    AlternateClassId when set, resend on 6C xx) or as built under T=1 and
 *    RAW (core/transport.h); the reply (all data + SW1 SW2) goes to the
 *    command's ApduReply (ReplyStatus follows) and ReplyNad is set to 0;
 *    on any error the command's reply is left as it was.  An empty or
 *    malformed command, or one T=0 cannot carry (more than 255 data
 *    bytes), is E_INVALIDARG; an answer without status word and a card that
 *    answers 61 xx / 6C xx more than 1024 times are SCARD_F_COMM_ERROR; a
 *    reply longer than 65536 data bytes + SW1 SW2 is SCARD_E_COMM_DATA_LOST;
 *  - one lock guards the object: Transaction holds it for its whole
 *    exchange, so that a T=0 GET RESPONSE follows its own command even when
 *    threads share the object (the other members wait meanwhile, also for a
 *    card that does not answer); LockSCard and UnlockSCard do not hold it
 *    while winscard waits for another process's transaction;
 *  - get_Status: the winscard state as one of the six SCARD_STATES; a state
 *    that names none of them (SCARD_UNKNOWN) is reported as 0;
 *  - get_Protocol: T0, T1 or RAW; any other active protocol (none, for a
 *    DIRECT connection asked with protocol 0) is reported as 0;
 *  - winscard's values: a Windows winscard.dll (and this project's bridge)
 *    uses Windows' values; Wine 9 and later's builtin winscard passes
 *    pcsc-lite's through (state bit field, SCARD_PROTOCOL_RAW 0x4,
 *    SCARD_E_UNSUPPORTED_FEATURE 0x8010001F): when the winscard.dll loaded
 *    is a Wine builtin (dlls/winscard/builtin.h) and
 *    wine_get_version() is 9 or later, the pcsc-lite values are converted
 *    (core/pcscvalues.h), so that get_Status, get_Protocol and RAW
 *    transmits give what they give through the bridge; and a T=0/T=1
 *    attach after another RAW connection ended works there as through the
 *    bridge (scard_connect: pcsc-lite keeps the card in RAW until a reset);
 *  - the cost of a Transaction: the active protocol is converted once, at
 *    attach time, into the transport rules and the SCARD_IO_REQUEST to
 *    send with; the command is sent from the command object without a
 *    copy; the answers are received into one buffer per card, allocated at
 *    the first Transaction and reused; the reply is copied once, into the
 *    command; the card's and the command's locks are taken once each;
 *  - nothing winscard writes back is trusted (scard.c): a connection's
 *    handle 0 or a protocol it cannot have, SCardStatusW names or ATR
 *    beyond their buffers, an impossible ATR length, state or protocol, a
 *    received length beyond the receive buffer are SCARD_F_INTERNAL_ERROR
 *    (a connection just made is disconnected first);
 *  - WINEDEBUG=+scardssp traces every TPDU sent and every answer in hex,
 *    with the status word and the time the exchange took (T=0 GET RESPONSE
 *    and 6C xx resends included); nothing is formatted with the channel off.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "scardssp_private.h"
#include "winscard.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct card
{
    ISCard ISCard_iface;
    LONG refcount;
    CRITICAL_SECTION cs;

    SCARDCONTEXT context;   /* 0 until first needed */
    SCARDHANDLE handle;     /* 0 when not attached */
    WCHAR *reader;          /* the attached reader, for connecting again */
    DWORD share_mode;
    DWORD protocols;        /* preferred protocols, winscard's values */
    DWORD active_protocol;  /* Windows' value */
    enum transport_protocol transport;  /* the rules for active_protocol */
    SCARD_IO_REQUEST pci;   /* what to transmit with, winscard's values */
    BYTE *buffer;           /* TRANSPORT_BUFFER_SIZE, from the first Transaction on */
};

static inline struct card *impl_from_ISCard(ISCard *iface)
{
    return CONTAINING_RECORD(iface, struct card, ISCard_iface);
}

/* Sets the connection's protocol (Windows' value) and what a Transaction
 * needs for it; called with the lock held. */
static void card_set_protocol(struct card *card, DWORD active)
{
    card->active_protocol = active;
    switch (ssp_protocol_from_win(active))
    {
    case T0:
        card->transport = TRANSPORT_T0;
        break;
    case T1:
        card->transport = TRANSPORT_T1;
        break;
    default:
        card->transport = TRANSPORT_RAW;
        break;
    }
    card->pci.dwProtocol = scard_pci_protocol(active);
    card->pci.cbPciLength = sizeof(card->pci);
}

static BOOL valid_disposition(SCARD_DISPOSITIONS disposition)
{
    return disposition == LEAVE || disposition == RESET || disposition == UNPOWER || disposition == EJECT;
}

/* A value winscard cannot have given. */
static LONG card_lie(const char *what, DWORD value)
{
    WARN("winscard gave %s %#lx.\n", what, value);
    return SCARD_F_INTERNAL_ERROR;
}

/* *active: the protocol of a connection made with share_mode and protocols
 * (winscard's values), in Windows' value, from the one SCardStatusW
 * reported; one no connection has is a lie. */
static LONG card_reported_protocol(DWORD share_mode, DWORD protocols, DWORD reported, DWORD *active)
{
    *active = scard_connection_protocol(share_mode, protocols, reported);
    return pcsc_connection_protocol_valid(*active) ? SCARD_S_SUCCESS : card_lie("protocol", *active);
}

/* Called with the lock held. */
static LONG card_establish_context(struct card *card)
{
    SCARDCONTEXT context;
    LONG ret;

    if (card->context)
        return SCARD_S_SUCCESS;
    if ((ret = scard_establish_context(&context)) == SCARD_S_SUCCESS)
        card->context = context;
    TRACE("context %#Ix, ret %#lx.\n", card->context, ret);
    return ret;
}

static void card_release_context(struct card *card)
{
    if (!card->context)
        return;
    SCardReleaseContext(card->context);
    card->context = 0;
}

/* Forgets the connection; called with the lock held. */
static LONG card_disconnect(struct card *card, DWORD disposition)
{
    LONG ret = SCARD_S_SUCCESS;

    if (card->handle)
        ret = SCardDisconnect(card->handle, disposition);
    TRACE("handle %#Ix, disposition %lu, ret %#lx.\n", card->handle, disposition, ret);
    card->handle = 0;
    card_set_protocol(card, 0);
    free(card->reader);
    card->reader = NULL;
    return ret;
}

/* SCardConnectW with the object's context, establishing it (again) when
 * needed; called with the lock held.  On success the new connection
 * replaces the object's (whose handle the caller has let go of); on
 * failure nothing changes but the context. */
static LONG card_connect(struct card *card, const WCHAR *reader, DWORD share_mode, DWORD protocols)
{
    SCARDHANDLE handle;
    WCHAR *name;
    DWORD active;
    LONG ret;
    int attempt;

    for (attempt = 0; attempt < 2; attempt++)
    {
        if ((ret = card_establish_context(card)) != SCARD_S_SUCCESS)
            break;
        ret = scard_connect(card->context, reader, share_mode, protocols, &handle, &active);
        TRACE("connect %s, %#lx, %#lx: ret %#lx.\n", debugstr_w(reader), share_mode, protocols, ret);
        if (!pcsc_context_lost(ret))
            break;
        card_release_context(card);
    }
    if (ret != SCARD_S_SUCCESS)
        return ret;

    if (!(name = wcsdup(reader)))
    {
        SCardDisconnect(handle, LEAVE);
        return SCARD_E_NO_MEMORY;
    }
    free(card->reader);
    card->reader = name;
    card->handle = handle;
    card->share_mode = share_mode;
    card->protocols = protocols;
    card_set_protocol(card, active);
    return SCARD_S_SUCCESS;
}

/* SCardStatusW on the attached card; reader (optional) gets the reader
 * name, malloc'ed; *atr_len is the size of atr on entry.  What winscard
 * writes back is checked: names and ATR within their buffers, the names
 * terminated, a known state and protocol (winscard's values).  Called with
 * the lock held. */
static LONG card_status(SCARDHANDLE handle, WCHAR **reader, DWORD *state, DWORD *protocol,
        BYTE *atr, DWORD *atr_len)
{
    WCHAR names[256];
    DWORD names_len = ARRAY_SIZE(names), atr_size = *atr_len;
    LONG ret;

    if (reader)
        *reader = NULL;
    ret = SCardStatusW(handle, names, &names_len, state, protocol, atr, atr_len);
    if (ret == (LONG)SCARD_E_INSUFFICIENT_BUFFER && !reader)
    {
        /* a reader name too long for names[]: not needed here */
        names_len = 0;
        *atr_len = atr_size;
        ret = SCardStatusW(handle, NULL, &names_len, state, protocol, atr, atr_len);
        names[0] = 0;
        names_len = 1;
    }
    if (ret != SCARD_S_SUCCESS)
    {
        TRACE("handle %#Ix: ret %#lx.\n", handle, ret);
        return ret;
    }
    TRACE("handle %#Ix: state %#lx, protocol %#lx, ATR of %lu bytes.\n", handle, *state, *protocol, *atr_len);
    if (!scard_valid_multi_string(names, names_len, ARRAY_SIZE(names)) || !scard_valid_atr(*atr_len, atr_size)
            || !scard_valid_state(*state))
    {
        WARN("SCardStatusW wrote %lu characters of names, %lu bytes of ATR or state %#lx.\n", names_len,
                *atr_len, *state);
        return SCARD_F_INTERNAL_ERROR;
    }
    if (reader && !(*reader = wcsdup(names)))
        return SCARD_E_NO_MEMORY;
    return SCARD_S_SUCCESS;
}

/* The hex of bytes[len] in lines of 32 bytes, each a TRACE line. */
static void trace_bytes(const struct card *card, const char *what, const BYTE *bytes, size_t len)
{
    char hex[32 * 3 + 1];
    size_t i, j;

    for (i = 0; i < len || !i; i += 32)
    {
        for (j = 0; j < 32 && i + j < len; j++)
            sprintf(hex + 3 * j, " %02X", bytes[i + j]);
        hex[3 * j] = 0;
        TRACE("%p %s%s\n", card, i ? "   " : what, hex);
    }
}

static long transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *answer, size_t *answer_len)
{
    struct card *card = ctx;
    LARGE_INTEGER start, end, frequency;
    DWORD len = *answer_len;
    LONG ret;

    if (TRACE_ON(scardssp))
    {
        trace_bytes(card, "->", cmd, cmd_len);
        QueryPerformanceCounter(&start);
    }
    ret = SCardTransmit(card->handle, &card->pci, cmd, cmd_len, NULL, answer, &len);
    if (TRACE_ON(scardssp))
    {
        QueryPerformanceCounter(&end);
        QueryPerformanceFrequency(&frequency);
        end.QuadPart = (end.QuadPart - start.QuadPart) * 1000000 / frequency.QuadPart;
        if (ret != SCARD_S_SUCCESS)
            TRACE("%p <- error %#lx after %I64d us.\n", card, ret, end.QuadPart);
        else
        {
            TRACE("%p <- %lu bytes, SW %02X %02X, in %I64d us:\n", card, len, len > 1 ? answer[len - 2] : 0,
                    len > 1 ? answer[len - 1] : 0, end.QuadPart);
            trace_bytes(card, "<-", answer, min(len, *answer_len));
        }
    }
    if (ret == SCARD_S_SUCCESS && len > *answer_len)
    {
        WARN("SCardTransmit wrote %lu bytes into %Iu.\n", len, *answer_len);
        return SCARD_F_INTERNAL_ERROR;
    }
    if (ret == SCARD_S_SUCCESS)
        *answer_len = len;
    return ret;
}

static HRESULT hresult_from_transport(enum transport_status status, long transmit_error)
{
    switch (status)
    {
    case TRANSPORT_OK:
        return S_OK;
    case TRANSPORT_E_INVALID:
        return E_INVALIDARG;
    case TRANSPORT_E_SHORT_REPLY:
    case TRANSPORT_E_TOO_MANY_EXCHANGES:
        return SCARD_F_COMM_ERROR;
    case TRANSPORT_E_REPLY_TOO_LONG:
        return SCARD_E_COMM_DATA_LOST;
    case TRANSPORT_E_TRANSMIT:
        return scard_hresult(transmit_error);
    default:
        return E_UNEXPECTED;
    }
}

static HRESULT WINAPI card_QueryInterface(ISCard *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCard) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCard_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI card_AddRef(ISCard *iface)
{
    struct card *card = impl_from_ISCard(iface);
    ULONG refcount = InterlockedIncrement(&card->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI card_Release(ISCard *iface)
{
    struct card *card = impl_from_ISCard(iface);
    ULONG refcount = InterlockedDecrement(&card->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        card_disconnect(card, LEAVE);
        card_release_context(card);
        DeleteCriticalSection(&card->cs);
        free(card->buffer);
        free(card);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI card_GetTypeInfoCount(ISCard *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI card_GetTypeInfo(ISCard *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCard_tid, index, typeinfo);
}

static HRESULT WINAPI card_GetIDsOfNames(ISCard *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCard_tid, names, count, dispids);
}

static HRESULT WINAPI card_Invoke(ISCard *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCard_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI card_get_Atr(ISCard *iface, IByteBuffer **atr)
{
    struct card *card = impl_from_ISCard(iface);
    DWORD state, protocol, atr_len;
    BYTE bytes[64];
    LONG ret;

    TRACE("%p, %p.\n", iface, atr);

    if (!atr)
        return E_POINTER;
    *atr = NULL;

    EnterCriticalSection(&card->cs);
    atr_len = sizeof(bytes);
    if (!card->handle)
        ret = SCARD_E_INVALID_HANDLE;
    else
        ret = card_status(card->handle, NULL, &state, &protocol, bytes, &atr_len);
    LeaveCriticalSection(&card->cs);

    if (ret != SCARD_S_SUCCESS)
        return scard_hresult(ret);
    return bytebuffer_create_with_data(bytes, atr_len, atr);
}

static HRESULT WINAPI card_get_CardHandle(ISCard *iface, HSCARD *handle)
{
    struct card *card = impl_from_ISCard(iface);

    TRACE("%p, %p.\n", iface, handle);

    if (!handle)
        return E_POINTER;

    EnterCriticalSection(&card->cs);
    *handle = card->handle;
    LeaveCriticalSection(&card->cs);
    return S_OK;
}

static HRESULT WINAPI card_get_Context(ISCard *iface, HSCARDCONTEXT *context)
{
    struct card *card = impl_from_ISCard(iface);

    TRACE("%p, %p.\n", iface, context);

    if (!context)
        return E_POINTER;

    EnterCriticalSection(&card->cs);
    *context = card->context;
    LeaveCriticalSection(&card->cs);
    return S_OK;
}

static HRESULT WINAPI card_get_Protocol(ISCard *iface, SCARD_PROTOCOLS *protocol)
{
    struct card *card = impl_from_ISCard(iface);
    DWORD state, active, atr_len;
    BYTE atr[64];
    LONG ret;

    TRACE("%p, %p.\n", iface, protocol);

    if (!protocol)
        return E_POINTER;

    EnterCriticalSection(&card->cs);
    atr_len = sizeof(atr);
    if (!card->handle)
        ret = SCARD_E_INVALID_HANDLE;
    else if ((ret = card_status(card->handle, NULL, &state, &active, atr, &atr_len)) == SCARD_S_SUCCESS
            && (ret = card_reported_protocol(card->share_mode, card->protocols, active, &active)) == SCARD_S_SUCCESS)
        card_set_protocol(card, active);
    active = card->active_protocol;
    LeaveCriticalSection(&card->cs);

    if (ret != SCARD_S_SUCCESS)
        return scard_hresult(ret);
    *protocol = ssp_protocol_from_win(active);
    return S_OK;
}

static HRESULT WINAPI card_get_Status(ISCard *iface, SCARD_STATES *status)
{
    struct card *card = impl_from_ISCard(iface);
    DWORD state, active, atr_len;
    BYTE atr[64];
    LONG ret;

    TRACE("%p, %p.\n", iface, status);

    if (!status)
        return E_POINTER;

    EnterCriticalSection(&card->cs);
    atr_len = sizeof(atr);
    if (!card->handle)
        ret = SCARD_E_INVALID_HANDLE;
    else if ((ret = card_status(card->handle, NULL, &state, &active, atr, &atr_len)) == SCARD_S_SUCCESS
            && (ret = card_reported_protocol(card->share_mode, card->protocols, active, &active)) == SCARD_S_SUCCESS)
        state = scard_state(state, active);
    LeaveCriticalSection(&card->cs);

    if (ret != SCARD_S_SUCCESS)
        return scard_hresult(ret);
    *status = state;
    return S_OK;
}

static HRESULT WINAPI card_AttachByHandle(ISCard *iface, HSCARD handle)
{
    struct card *card = impl_from_ISCard(iface);
    DWORD state, reported = 0, protocols, active, atr_len;
    WCHAR *reader;
    BYTE atr[64];
    LONG ret;

    TRACE("%p, %#Ix.\n", iface, handle);

    if (!handle || !scard_handle_plausible(handle))
        return E_INVALIDARG;

    EnterCriticalSection(&card->cs);
    if (handle == card->handle)
    {
        LeaveCriticalSection(&card->cs);
        return S_OK;
    }
    atr_len = sizeof(atr);
    ret = card_status(handle, &reader, &state, &reported, atr, &atr_len);
    protocols = reported ? reported : SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1;
    if (ret == SCARD_S_SUCCESS && (ret = card_reported_protocol(SHARED, protocols, reported, &active)))
        free(reader);
    if (ret == SCARD_S_SUCCESS)
    {
        card_disconnect(card, LEAVE);
        card->handle = handle;
        card->reader = reader;
        card->share_mode = SHARED;
        card->protocols = protocols;
        card_set_protocol(card, active);
    }
    LeaveCriticalSection(&card->cs);

    if (ret == (LONG)SCARD_E_INVALID_HANDLE || ret == ERROR_INVALID_HANDLE)
        return E_INVALIDARG;
    return ret == SCARD_S_SUCCESS ? S_OK : scard_hresult(ret);
}

static HRESULT WINAPI card_AttachByReader(ISCard *iface, BSTR reader, SCARD_SHARE_MODES share_mode,
        SCARD_PROTOCOLS protocol)
{
    struct card *card = impl_from_ISCard(iface);
    LONG ret;

    TRACE("%p, %s, %#x, %#x.\n", iface, debugstr_w(reader), share_mode, protocol);

    if (!reader || !*reader)
        return E_INVALIDARG;

    EnterCriticalSection(&card->cs);
    card_disconnect(card, LEAVE);
    ret = card_connect(card, reader, share_mode, scard_protocols_to_winscard(protocol));
    LeaveCriticalSection(&card->cs);

    return scard_hresult(ret);
}

static HRESULT WINAPI card_Detach(ISCard *iface, SCARD_DISPOSITIONS disposition)
{
    struct card *card = impl_from_ISCard(iface);
    LONG ret;

    TRACE("%p, %d.\n", iface, disposition);

    if (!valid_disposition(disposition))
        return E_INVALIDARG;

    EnterCriticalSection(&card->cs);
    ret = card_disconnect(card, disposition);
    LeaveCriticalSection(&card->cs);

    return scard_hresult(ret);
}

static HRESULT WINAPI card_LockSCard(ISCard *iface)
{
    struct card *card = impl_from_ISCard(iface);
    SCARDHANDLE handle;
    LONG ret;

    TRACE("%p.\n", iface);

    /* SCardBeginTransaction may wait for another process: not under the lock */
    EnterCriticalSection(&card->cs);
    handle = card->handle;
    LeaveCriticalSection(&card->cs);

    if (!handle)
        return SCARD_E_INVALID_HANDLE;
    ret = SCardBeginTransaction(handle);
    TRACE("handle %#Ix: ret %#lx.\n", handle, ret);
    return scard_hresult(ret);
}

static HRESULT WINAPI card_ReAttach(ISCard *iface, SCARD_SHARE_MODES share_mode, SCARD_DISPOSITIONS init_state)
{
    struct card *card = impl_from_ISCard(iface);
    DWORD active;
    LONG ret;

    TRACE("%p, %#x, %d.\n", iface, share_mode, init_state);

    if (!valid_disposition(init_state))
        return E_INVALIDARG;

    EnterCriticalSection(&card->cs);
    if (!card->handle)
        ret = SCARD_E_INVALID_HANDLE;
    else
    {
        ret = SCardReconnect(card->handle, share_mode, card->protocols, init_state, &active);
        TRACE("reconnect %#Ix: ret %#lx, protocol %#lx.\n", card->handle, ret, active);
        if (ret == SCARD_S_SUCCESS)
        {
            active = scard_connection_protocol(share_mode, card->protocols, active);
            if (!scard_valid_connection(share_mode, card->protocols, active))
                ret = card_lie("protocol", active);
            else
            {
                card->share_mode = share_mode;
                card_set_protocol(card, active);
            }
        }
        else if (pcsc_context_lost(ret) && card->reader)
        {
            /* the resource manager went away (and may be back): a new
             * context and a new connection to the same reader; until that
             * works the object keeps its dead connection, and the next
             * ReAttach tries again */
            SCARDHANDLE old = card->handle;

            card_release_context(card);
            if ((ret = card_connect(card, card->reader, share_mode, card->protocols)) == SCARD_S_SUCCESS
                    && old != card->handle)
                SCardDisconnect(old, LEAVE);
        }
    }
    LeaveCriticalSection(&card->cs);

    return scard_hresult(ret);
}

/* cmd_transact's exchange, with the card's lock held. */
static HRESULT card_exchange(void *ctx, const BYTE *apdu, size_t len, int alt_cla, const BYTE **reply,
        size_t *reply_len)
{
    struct card *card = ctx;
    enum transport_status status;
    long transmit_error;
    HRESULT hr;

    if (!card->handle)
        return SCARD_E_INVALID_HANDLE;
    if (!card->buffer && !(card->buffer = malloc(TRANSPORT_BUFFER_SIZE)))
        return E_OUTOFMEMORY;
    status = transport_exchange(card->transport, apdu, len, alt_cla, transmit, card, &transmit_error,
            card->buffer, reply_len);
    if (status != TRANSPORT_OK)
    {
        hr = hresult_from_transport(status, transmit_error);
        TRACE("transport status %d, error %#lx: %#lx.\n", status, transmit_error, hr);
        return hr;
    }
    *reply = card->buffer;
    return S_OK;
}

static HRESULT WINAPI card_Transaction(ISCard *iface, ISCardCmd **cmd)
{
    struct card *card = impl_from_ISCard(iface);
    HRESULT hr;

    TRACE("%p, %p.\n", iface, cmd);

    if (!cmd)
        return E_POINTER;
    if (!*cmd)
        return E_INVALIDARG;

    EnterCriticalSection(&card->cs);
    hr = cmd_transact(*cmd, card_exchange, card);
    LeaveCriticalSection(&card->cs);
    return hr;
}

static HRESULT WINAPI card_UnlockSCard(ISCard *iface, SCARD_DISPOSITIONS disposition)
{
    struct card *card = impl_from_ISCard(iface);
    SCARDHANDLE handle;
    LONG ret;

    TRACE("%p, %d.\n", iface, disposition);

    if (!valid_disposition(disposition))
        return E_INVALIDARG;

    EnterCriticalSection(&card->cs);
    handle = card->handle;
    LeaveCriticalSection(&card->cs);

    if (!handle)
        return SCARD_E_INVALID_HANDLE;
    ret = SCardEndTransaction(handle, disposition);
    TRACE("handle %#Ix: ret %#lx.\n", handle, ret);
    return scard_hresult(ret);
}

static const ISCardVtbl card_vtbl =
{
    card_QueryInterface,
    card_AddRef,
    card_Release,
    card_GetTypeInfoCount,
    card_GetTypeInfo,
    card_GetIDsOfNames,
    card_Invoke,
    card_get_Atr,
    card_get_CardHandle,
    card_get_Context,
    card_get_Protocol,
    card_get_Status,
    card_AttachByHandle,
    card_AttachByReader,
    card_Detach,
    card_LockSCard,
    card_ReAttach,
    card_Transaction,
    card_UnlockSCard,
};

HRESULT card_create(REFIID riid, void **obj)
{
    struct card *card;
    HRESULT hr;

    if (!(card = calloc(1, sizeof(*card))))
        return E_OUTOFMEMORY;

    card->ISCard_iface.lpVtbl = &card_vtbl;
    card->refcount = 1;
    InitializeCriticalSection(&card->cs);
    card_set_protocol(card, 0);
    scardssp_object_created();

    hr = ISCard_QueryInterface(&card->ISCard_iface, riid, obj);
    ISCard_Release(&card->ISCard_iface);
    return hr;
}
