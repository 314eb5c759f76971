/*
 * Debug output: Wine's on Wine, none on Windows unless asked for
 *
 * The debug macros (TRACE, WARN, FIXME, ERR) ask
 * __wine_dbg_get_channel_flags() whether a channel is on;
 * scardssp_private.h sends them here.  Under Wine this is Wine's own
 * (WINEDEBUG, default fixme and err).  On Windows the fallback that
 * winecrt0 links in has the same default and writes to stderr, which would
 * reach the console of a cscript or a command-line program: there every
 * channel stays off unless the WINEDEBUG environment variable is set, and
 * is then read with Wine's syntax by that fallback.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdarg.h>

#include "windef.h"
#include "winbase.h"

#include "wine/debug.h"

/* On Windows (no wine_get_version in ntdll) without WINEDEBUG. */
static BOOL quiet(void)
{
    static LONG state = -1;

    if (state == -1)
        InterlockedExchange(&state, !GetProcAddress(GetModuleHandleW(L"ntdll.dll"), "wine_get_version")
                                    && !GetEnvironmentVariableW(L"WINEDEBUG", NULL, 0));
    return state;
}

unsigned char __cdecl scardssp_dbg_get_channel_flags(struct __wine_debug_channel *channel)
{
    if (!quiet())
        return __wine_dbg_get_channel_flags(channel);
    /* as winecrt0 does, the answer is kept in the channel */
    channel->flags = 0;
    return 0;
}
