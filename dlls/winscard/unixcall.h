/*
 * winscard bridge, PE side: finding and calling the Unix side
 * (unixcall.c; shared with the status helper of the Wine bundle)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINSCARD_UNIXCALL_H
#define __WINSCARD_UNIXCALL_H

#include "unixlib.h"

enum pcsc_route
{
    PCSC_ROUTE_NONE,
    PCSC_ROUTE_UNIXLIB,     /* winscard_pcsc.so through ntdll (Wine >= 11.2) */
    PCSC_ROUTE_WINELIB,     /* winscard_pcsc.dll.so through LoadLibrary */
};

struct pcsc_unix
{
    enum pcsc_route route;
    UINT64 handle;                                                      /* unixlib */
    LONG (WINAPI *dispatcher)(UINT64 handle, unsigned int code, void *args);   /* unixlib: NTSTATUS */
    pcsc_call_func call;                                                /* winelib */
};

/* Loads the Unix side found in the folder DIR (a DOS path without a
 * trailing backslash) by the first route that works here, and runs
 * unix_init.  Returns unix_init's pcsc-lite status, or SCARD_E_NO_SERVICE
 * when no route loads (lib->route is then PCSC_ROUTE_NONE); ERROR gets
 * why, for a message. */
LONG pcsc_unix_open(struct pcsc_unix *lib, const WCHAR *dir, char *error, size_t size);
/* A call of the Unix side; pcsc-lite's status. */
LONG pcsc_unix_call(const struct pcsc_unix *lib, enum pcsc_funcs code, void *params);
/* The route's file name ("winscard_pcsc.so", "winscard_pcsc.dll.so"), or "none". */
const char *pcsc_route_name(enum pcsc_route route);

#endif /* __WINSCARD_UNIXCALL_H */
