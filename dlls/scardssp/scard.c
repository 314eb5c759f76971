/*
 * winscard's values as scardssp sees them
 *
 * A Windows winscard (and the project's bridge) returns Windows values; a
 * Wine >= 9 builtin winscard passes pcsc-lite's through (state bits,
 * protocol numbers, SCARD_E_UNSUPPORTED_FEATURE): core/transport.c maps
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

static enum winscard_convention detect_convention(void)
{
    static const char builtin_stub[] = "Wine builtin DLL";
    const char * (CDECL *wine_get_version)(void);
    HMODULE winscard, ntdll;
    const char *version;

    ntdll = GetModuleHandleW(L"ntdll.dll");
    winscard = GetModuleHandleW(L"winscard.dll");
    if (!ntdll || !winscard)
        return WINSCARD_WINDOWS;
    if (!(wine_get_version = (void *)GetProcAddress(ntdll, "wine_get_version")))
        return WINSCARD_WINDOWS;
    /* the DOS stub of a Wine builtin module, within the first (always
     * mapped) page of the image */
    if (memcmp((const char *)winscard + 0x40, builtin_stub, sizeof(builtin_stub) - 1))
        return WINSCARD_WINDOWS;
    if (!(version = wine_get_version()) || atoi(version) < 9)
        return WINSCARD_WINDOWS;
    return WINSCARD_PCSCLITE;
}

enum winscard_convention winscard_convention(void)
{
    static LONG convention = -1;

    if (convention == -1)
    {
        InterlockedExchange(&convention, detect_convention());
        TRACE("winscard values: %s.\n", convention == WINSCARD_PCSCLITE ? "pcsc-lite" : "Windows");
    }
    return convention;
}

/* The HRESULT for a winscard return value: SCARD_* codes in Windows'
 * values, Win32 codes through HRESULT_FROM_WIN32. */
HRESULT scard_hresult(LONG ret)
{
    if (ret > 0 && ret <= 0xffff)
        return HRESULT_FROM_WIN32(ret);
    return (HRESULT)transport_map_error(ret, winscard_convention());
}

/* Wine's builtin winscard (9 and 10 at least) exports the card database
 * (SCardListCardsW, SCardListInterfacesW, SCardGetProviderIdW, ...) as
 * unimplemented stubs, whose call ends the process: with it, the members
 * that need the database give SCARD_E_UNSUPPORTED_FEATURE instead.  The
 * project's bridge and Windows have the database. */
BOOL scard_has_card_database(void)
{
    return winscard_convention() != WINSCARD_PCSCLITE;
}

/* The share modes a connection may ask for (ISCard, ISCardLocate). */
BOOL scard_valid_share_mode(SCARD_SHARE_MODES share_mode)
{
    return share_mode == EXCLUSIVE || share_mode == SHARED;
}
