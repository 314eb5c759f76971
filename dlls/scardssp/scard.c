/*
 * winscard as scardssp sees it: its values and its card database
 *
 * A Windows winscard (and the project's bridge) takes and returns Windows
 * values; a Wine >= 9 builtin winscard passes pcsc-lite's through (state
 * bits, RAW, SCARD_E_UNSUPPORTED_FEATURE): core/pcscvalues.c converts
 * them, once the convention in use is known.  And a Wine builtin has no
 * card database: it is read from the registry here.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdlib.h>
#include <string.h>

#include "scardssp_private.h"
#include "winscard.h"
#include "cardtype.h"
#include "calais.h"
#include "builtin.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

/* Whether the winscard.dll loaded is Wine's builtin (dlls/winscard/builtin.h) */
static BOOL wine_builtin_winscard(void)
{
    static LONG builtin = -1;

    if (builtin == -1)
    {
        InterlockedExchange(&builtin, is_wine_builtin(GetModuleHandleW(L"winscard.dll")));
        TRACE("winscard: %s.\n", builtin ? "Wine's builtin" : "native");
    }
    return builtin;
}

static BOOL detect_pcsclite_values(void)
{
    const char * (CDECL *wine_get_version)(void);
    const char *version;

    if (!wine_builtin_winscard())
        return FALSE;
    if (!(wine_get_version = (void *)GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version")))
        return FALSE;
    return (version = wine_get_version()) && atoi(version) >= 9;
}

/* Whether the winscard in use speaks pcsc-lite's values. */
static BOOL pcsclite_values(void)
{
    static LONG pcsclite = -1;

    if (pcsclite == -1)
    {
        InterlockedExchange(&pcsclite, detect_pcsclite_values());
        TRACE("winscard values: %s.\n", pcsclite ? "pcsc-lite" : "Windows");
    }
    return pcsclite;
}

HRESULT scard_hresult(LONG ret)
{
    if (ret > 0 && ret <= 0xffff)
        return HRESULT_FROM_WIN32(ret);
    if (ret > 0)
    {
        /* neither a Win32 code nor an error: never let it pass as a success */
        WARN("winscard returned %#lx.\n", ret);
        return SCARD_F_INTERNAL_ERROR;
    }
    return (HRESULT)(pcsclite_values() ? pcsc_error_to_win(ret) : (DWORD)ret);
}

DWORD scard_protocols_to_winscard(SCARD_PROTOCOLS protocols)
{
    DWORD win = ssp_protocols_to_win(protocols);

    return pcsclite_values() ? pcsc_protocols_from_win(win) : win;
}

DWORD scard_pci_protocol(DWORD protocol)
{
    if (protocol != SCARD_PROTOCOL_T0 && protocol != SCARD_PROTOCOL_T1)
        protocol = WIN_PROTOCOL_RAW;
    return pcsclite_values() ? pcsc_protocols_from_win(protocol) : protocol;
}

DWORD scard_connection_protocol(DWORD share_mode, DWORD protocols, DWORD reported)
{
    return pcsclite_values() ? pcsc_connection_protocol(share_mode, protocols, reported) : reported;
}

DWORD scard_state(DWORD state, DWORD connection_protocol)
{
    if (pcsclite_values())
        return pcsc_state_to_win(state, connection_protocol);
    return state <= SPECIFICMODE ? state : 0;
}

/* What winscard writes back, checked before any use (a value no winscard
 * gives is a lie, which the callers turn into SCARD_F_INTERNAL_ERROR). */

BOOL scard_valid_state(DWORD state)
{
    /* pcsc-lite's state bits, its event counter in the high word */
    return pcsclite_values() ? !(state & 0xff80) : state <= SPECIFICMODE;
}

BOOL scard_valid_connection(DWORD share_mode, DWORD protocols, DWORD protocol)
{
    if (!pcsc_connection_protocol_valid(protocol))
        return FALSE;
    if (share_mode == WIN_SHARE_DIRECT)
        return TRUE;
    return protocol && (protocols & (WIN_PROTOCOL_DEFAULT | scard_pci_protocol(protocol)));
}

BOOL scard_valid_atr(DWORD len, DWORD size)
{
    return len <= size && (!len || (len >= 2 && len <= CARDTYPE_MAX_ATR));
}

BOOL scard_valid_multi_string(const WCHAR *strings, DWORD len, DWORD size)
{
    return len && len <= size && !strings[len - 1];
}

LONG scard_establish_context(HSCARDCONTEXT *context)
{
    LONG ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, context);

    if (ret == SCARD_S_SUCCESS && !*context)
    {
        WARN("SCardEstablishContext gave context 0.\n");
        return SCARD_F_INTERNAL_ERROR;
    }
    return ret;
}

/* After a connect succeeded: its handle (not 0) and its protocol
 * (*protocol, converted to Windows' value, checked by
 * scard_valid_connection); a lie disconnects the handle (LEAVE). */
static LONG check_connection(HSCARD handle, DWORD share_mode, DWORD protocols, DWORD *protocol)
{
    DWORD active = scard_connection_protocol(share_mode, protocols, *protocol);

    if (handle && scard_valid_connection(share_mode, protocols, active))
    {
        *protocol = active;
        return SCARD_S_SUCCESS;
    }
    WARN("SCardConnectW gave card %#Ix, protocol %#lx.\n", handle, *protocol);
    if (handle)
        SCardDisconnect(handle, LEAVE); /* = SCARD_LEAVE_CARD */
    return SCARD_F_INTERNAL_ERROR;
}

/* The card database.  Wine's builtin winscard (every version up to 11.10
 * at least) exports it as unimplemented stubs, whose call ends the
 * process: over it, scardssp reads the same database in the registry
 * itself (dlls/winscard/calais.c, shared with the bridge).  Windows and
 * the bridge answer through winscard. */

struct name_copy
{
    WCHAR *buffer;
    DWORD size;     /* of buffer, in characters */
    DWORD len;      /* characters of the names so far, NULs included */
};

/* Copies a name while it fits before the list's final NUL; counts it always. */
static BOOL copy_name(void *context, const WCHAR *name)
{
    struct name_copy *copy = context;
    DWORD n = wcslen(name) + 1;

    if (copy->buffer && copy->len + n < copy->size)
        memcpy(copy->buffer + copy->len, name, n * sizeof(WCHAR));
    copy->len += n;
    return TRUE;
}

LONG scard_list_cards(const BYTE *atr, const GUID *guids, DWORD guid_count, WCHAR *buffer, DWORD *len)
{
    struct name_copy copy = {buffer, buffer ? *len : 0, 0};
    DWORD needed;
    LONG ret;

    if (!wine_builtin_winscard())
        return SCardListCardsW(0, atr, guids, guid_count, buffer, len);
    if ((ret = calais_list_cards(atr, guids, guid_count, copy_name, &copy)))
        return ret;
    /* as the bridge: an empty list is two NULs */
    needed = copy.len ? copy.len + 1 : 2;
    if (buffer && *len < needed)
        ret = SCARD_E_INSUFFICIENT_BUFFER;
    else if (buffer)
    {
        buffer[copy.len] = 0;
        buffer[needed - 1] = 0;
    }
    *len = needed;
    return ret;
}

LONG scard_list_interfaces(const WCHAR *card, GUID *buffer, DWORD *count)
{
    GUID *guids;
    DWORD n;
    LONG ret;

    if (!wine_builtin_winscard())
        return SCardListInterfacesW(0, card, buffer, count);
    if ((ret = calais_card_interfaces(card, &guids, &n)))
        return ret;
    if (buffer && *count < n)
        ret = SCARD_E_INSUFFICIENT_BUFFER;
    else if (buffer && n)
        memcpy(buffer, guids, n * sizeof(*guids));
    *count = n;
    free(guids);
    return ret;
}

LONG scard_get_provider_id(const WCHAR *card, GUID *guid)
{
    if (!wine_builtin_winscard())
        return SCardGetProviderIdW(0, card, guid);
    return calais_provider_id(card, guid);
}

/* Wine's builtin winscard takes a card handle for a pointer and reads
 * through it before it checks anything: a handle from a caller
 * (AttachByHandle) that is no readable memory would end the process
 * there.  Other winscards check their handles. */
BOOL scard_handle_plausible(HSCARD handle)
{
    if (!wine_builtin_winscard())
        return TRUE;
    if (IsBadReadPtr((const void *)handle, sizeof(DWORD)))
    {
        WARN("Handle %#Ix is no pointer Wine's winscard can read.\n", handle);
        return FALSE;
    }
    return TRUE;
}

/* The share modes a connection may ask for (ISCardLocate). */
BOOL scard_valid_share_mode(SCARD_SHARE_MODES share_mode)
{
    return share_mode == EXCLUSIVE || share_mode == SHARED;
}

/* pcsc_connect's calls, on a Wine builtin winscard (pcsc-lite's values) */
struct connection
{
    SCARDCONTEXT context;
    const WCHAR *reader;
};

static uint32_t connect_call(void *ctx, uint32_t share_mode, uint32_t protocols, uint64_t *card, uint32_t *active)
{
    struct connection *connection = ctx;
    SCARDHANDLE handle;
    DWORD protocol;
    LONG ret;

    if (!(ret = SCardConnectW(connection->context, connection->reader, share_mode, protocols, &handle, &protocol)))
    {
        *card = handle;
        *active = protocol;
    }
    return ret;
}

static uint32_t reconnect_call(void *ctx, uint64_t card, uint32_t share_mode, uint32_t protocols,
        uint32_t initialization, uint32_t *active)
{
    DWORD protocol;
    LONG ret;

    ret = SCardReconnect(card, share_mode, protocols, initialization, &protocol);
    TRACE("after a RAW connection: reconnected with a reset, ret %#lx.\n", ret);
    if (!ret)
        *active = protocol;
    return ret;
}

static uint32_t disconnect_call(void *ctx, uint64_t card, uint32_t disposition)
{
    return SCardDisconnect(card, disposition);
}

LONG scard_connect(SCARDCONTEXT context, const WCHAR *reader, DWORD share_mode, DWORD protocols,
        SCARDHANDLE *handle, DWORD *active)
{
    struct connection connection = { context, reader };
    const struct pcsc_connect_calls calls = { &connection, connect_call, reconnect_call, disconnect_call };
    uint64_t card;
    uint32_t protocol;
    LONG ret;

    if (!pcsclite_values())
        ret = SCardConnectW(context, reader, share_mode, protocols, handle, active);
    else if (!(ret = pcsc_connect(&calls, share_mode, protocols, &card, &protocol)))
    {
        *handle = card;
        *active = protocol;
    }
    if (ret)
        return ret;
    return check_connection(*handle, share_mode, protocols, active);
}
