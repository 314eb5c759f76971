/*
 * winscard's values as scardssp sees them
 *
 * A Windows winscard (and the project's bridge) takes and returns Windows
 * values; a Wine >= 9 builtin winscard passes pcsc-lite's through (state
 * bits, RAW, SCARD_E_UNSUPPORTED_FEATURE): core/pcscvalues.c converts
 * them, once the convention in use is known.
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

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

static BOOL detect_pcsclite_values(void)
{
    static const char builtin_stub[] = "Wine builtin DLL";
    const char * (CDECL *wine_get_version)(void);
    HMODULE winscard, ntdll;
    const char *version;

    ntdll = GetModuleHandleW(L"ntdll.dll");
    winscard = GetModuleHandleW(L"winscard.dll");
    if (!ntdll || !winscard)
        return FALSE;
    if (!(wine_get_version = (void *)GetProcAddress(ntdll, "wine_get_version")))
        return FALSE;
    /* the DOS stub of a Wine builtin module, within the first (always
     * mapped) page of the image */
    if (memcmp((const char *)winscard + 0x40, builtin_stub, sizeof(builtin_stub) - 1))
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

/* Wine's builtin winscard (9 and 10 at least) exports the card database
 * (SCardListCardsW, SCardListInterfacesW, SCardGetProviderIdW, ...) as
 * unimplemented stubs, whose call ends the process: with it, the members
 * that need the database give SCARD_E_UNSUPPORTED_FEATURE instead.  The
 * project's bridge and Windows have the database. */
BOOL scard_has_card_database(void)
{
    return !pcsclite_values();
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
        return SCardConnectW(context, reader, share_mode, protocols, handle, active);
    if (!(ret = pcsc_connect(&calls, share_mode, protocols, &card, &protocol)))
    {
        *handle = card;
        *active = protocol;
    }
    return ret;
}
