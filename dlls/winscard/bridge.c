/*
 * winscard bridge, PE side: reaching the Unix side (values are converted
 * by core/pcscvalues.c),
 * the "smart card service started" event
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>

#include "winscard_private.h"
#include "unixcall.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winscard);

static HINSTANCE winscard_instance;
static INIT_ONCE bridge_once = INIT_ONCE_STATIC_INIT;
static struct pcsc_unix bridge_unix;
static BOOL bridge_ready;

/* The Unix side lives beside this DLL (system32, or syswow64 for the
 * 32-bit variant): unixcall.c finds it, by the route this Wine allows. */
static BOOL WINAPI load_bridge(INIT_ONCE *once, void *param, void **context)
{
    WCHAR dir[MAX_PATH];
    char error[512];
    WCHAR *p;
    DWORD len;

    len = GetModuleFileNameW(winscard_instance, dir, ARRAY_SIZE(dir));
    if (!len || len >= ARRAY_SIZE(dir) || !(p = wcsrchr(dir, '\\')))
    {
        ERR("Cannot find the path of winscard.dll.\n");
        return TRUE;
    }
    *p = 0;
    if (pcsc_unix_open(&bridge_unix, dir, error, sizeof(error)))
    {
        ERR("%s: smart card calls will fail with SCARD_E_NO_SERVICE.\n", error);
        return TRUE;
    }
    TRACE("using %s in %s\n", pcsc_route_name(bridge_unix.route), debugstr_w(dir));
    bridge_ready = TRUE;
    return TRUE;
}

/* for the trace: pcsc-lite's call behind each code */
static const char *const pcsc_names[] =
{
    "(init)", "SCardEstablishContext", "SCardReleaseContext", "SCardIsValidContext", "SCardCancel",
    "SCardListReaders", "SCardListReaderGroups", "SCardGetStatusChange", "SCardConnect", "SCardReconnect",
    "SCardDisconnect", "SCardBeginTransaction", "SCardEndTransaction", "SCardStatus", "SCardTransmit",
    "SCardControl", "SCardGetAttrib", "SCardSetAttrib",
};
C_ASSERT(ARRAY_SIZE(pcsc_names) == unix_funcs_count);

LONG pcsc_call(enum pcsc_funcs code, void *params)
{
    LONG ret;

    InitOnceExecuteOnce(&bridge_once, load_bridge, NULL, NULL);
    if (!bridge_ready) return SCARD_E_NO_SERVICE;
    ret = pcsc_unix_call(&bridge_unix, code, params);
    TRACE("pcsc-lite %s returned %#lx.\n", pcsc_names[code], ret);
    return pcsc_error_to_win(ret);
}

/* The bytes of a transmit, as they go to pcsc-lite or come back, 32 a line. */
void pcsc_trace_bytes(const char *what, const BYTE *data, DWORD len)
{
    char line[32 * 3 + 1];
    DWORD i, j;

    if (!TRACE_ON(winscard)) return;
    TRACE("%s, %lu bytes:\n", what, len);
    for (i = 0; i < len; i += 32)
    {
        for (j = 0; j < 32 && i + j < len; j++) sprintf(line + 3 * j, " %02X", data[i + j]);
        TRACE("%s\n", line);
    }
}

static CRITICAL_SECTION started_cs;
static CRITICAL_SECTION_DEBUG started_cs_debug =
{
    0, 0, &started_cs,
    { &started_cs_debug.ProcessLocksList, &started_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": started_cs") }
};
static CRITICAL_SECTION started_cs = { &started_cs_debug, -1, 0, 0, 0, 0 };
static HANDLE started_event, started_thread, started_stop;
static LONG started_refs;

static BOOL service_running(void)
{
    struct pcsc_establish_params params = { SCARD_SCOPE_USER, 0 };
    struct pcsc_context_params release;

    if (pcsc_call(unix_establish_context, &params)) return FALSE;
    release.context = params.context;
    pcsc_call(unix_release_context, &release);
    return TRUE;
}

static DWORD WINAPI started_poll(void *arg)
{
    do
    {
        if (service_running())
        {
            SetEvent(started_event);
            break;
        }
    } while (WaitForSingleObject(started_stop, 1000) == WAIT_TIMEOUT);
    return 0;
}

HANDLE WINAPI SCardAccessStartedEvent(void)
{
    HANDLE ret = NULL;

    TRACE("\n");

    EnterCriticalSection(&started_cs);
    if (!started_event)
    {
        if (!(started_event = CreateEventW(NULL, TRUE, FALSE, NULL))) goto done;
        if (service_running()) SetEvent(started_event);
        else if (!(started_stop = CreateEventW(NULL, TRUE, FALSE, NULL))
                 || !(started_thread = CreateThread(NULL, 0, started_poll, NULL, 0, NULL)))
            WARN("cannot watch for the service, error %lu\n", GetLastError());
    }
    started_refs++;
    ret = started_event;
done:
    LeaveCriticalSection(&started_cs);
    return ret;
}

void WINAPI SCardReleaseStartedEvent(void)
{
    TRACE("\n");

    EnterCriticalSection(&started_cs);
    if (started_refs && !--started_refs)
    {
        if (started_thread)
        {
            SetEvent(started_stop);
            WaitForSingleObject(started_thread, INFINITE);
            CloseHandle(started_thread);
            started_thread = NULL;
        }
        if (started_stop) CloseHandle(started_stop);
        started_stop = NULL;
        CloseHandle(started_event);
        started_event = NULL;
    }
    LeaveCriticalSection(&started_cs);
}

HANDLE WINAPI SCardAccessNewReaderEvent(void)
{
    FIXME("stub\n");
    return NULL;
}

LONG WINAPI SCardReleaseNewReaderEvent(HANDLE event)
{
    FIXME("%p stub\n", event);
    return SCARD_E_UNSUPPORTED_FEATURE;
}

LONG WINAPI SCardReleaseAllEvents(void)
{
    FIXME("stub\n");
    return SCARD_E_UNSUPPORTED_FEATURE;
}

DWORD WINAPI ClassInstall32(DWORD function, HANDLE info, void *data)
{
    FIXME("%#lx, %p, %p stub\n", function, info, data);
    return ERROR_CALL_NOT_IMPLEMENTED;
}

BOOL WINAPI DllMain(HINSTANCE instance, DWORD reason, void *reserved)
{
    TRACE("%p, %lu, %p\n", instance, reason, reserved);

    if (reason == DLL_PROCESS_ATTACH)
    {
        winscard_instance = instance;
        DisableThreadLibraryCalls(instance);
    }
    return TRUE;
}
