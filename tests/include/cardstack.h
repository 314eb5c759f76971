/*
 * What the test programs that need a card share (tests/card,
 * tests/cardsvc, tests/winscard, tests/builtin): the personality of the
 * reader stack that tests/run-wine or tools/stack started for them, the
 * one lock on the prefix's card database, and a second process of the
 * same program.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARDSSP_CARDSTACK_H
#define __SCARDSSP_CARDSTACK_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "winscard.h"

#include "wine/test.h"

/* The virtual card's personality, SCARD_PROTOCOL_T0 or SCARD_PROTOCOL_T1,
 * from the stack's VCARD_PROTOCOL (t0 or t1).  A program built once runs
 * as NAME_t0.exe and NAME_t1.exe (tests/tests.mk), and tests/run-wine
 * starts the stack its name asks for: without one (0) the program fails,
 * it does not skip. */
static inline DWORD stack_protocol(void)
{
    const char *value = getenv("VCARD_PROTOCOL");
    DWORD protocol = 0;
    char exe[MAX_PATH];
    size_t len;

    if (value && !strcmp(value, "t0"))
        protocol = SCARD_PROTOCOL_T0;
    else if (value && !strcmp(value, "t1"))
        protocol = SCARD_PROTOCOL_T1;
    ok(protocol != 0, "No reader stack: VCARD_PROTOCOL is %s, not t0 or t1 (run under tests/run-wine "
            "as NAME_t0.exe or NAME_t1.exe, or under tools/stack).\n", value ? value : "unset");
    if (!protocol)
        return 0;

    /* the stack is the one the program's name asked for */
    len = GetModuleFileNameA(NULL, exe, sizeof(exe));
    if (len > 7 && exe[len - 7] == '_' && exe[len - 6] == 't' && !lstrcmpiA(exe + len - 4, ".exe"))
        ok(!strncmp(exe + len - 6, value, 2), "%s runs against a %s stack.\n", exe, value);
    return protocol;
}

/* The card database and the reader groups and aliases live in the
 * prefix's registry (HKLM\SOFTWARE\Microsoft\Cryptography\Calais), which
 * every test program of the prefix shares, whatever its stack and its
 * architecture: a test that changes them, or lists what they hold, holds
 * this named mutex meanwhile.  It is recursive, as mutexes are. */
static inline HANDLE card_database_mutex(void)
{
    static HANDLE mutex;

    if (!mutex)
    {
        mutex = CreateMutexW(NULL, FALSE, L"scardssp-tests-card-database");
        ok(!!mutex, "CreateMutexW failed, error %lu.\n", GetLastError());
    }
    return mutex;
}

static inline void lock_card_database(void)
{
    DWORD ret = WaitForSingleObject(card_database_mutex(), 120000);

    ok(ret == WAIT_OBJECT_0 || ret == WAIT_ABANDONED, "Waiting for the card database lock returned %#lx.\n", ret);
}

static inline void unlock_card_database(void)
{
    BOOL ret = ReleaseMutex(card_database_mutex());

    ok(ret, "ReleaseMutex failed, error %lu.\n", GetLastError());
}

/* Starts this program again with "child ARG...". */
static inline BOOL start_child(const char *args, PROCESS_INFORMATION *pi)
{
    char cmdline[MAX_PATH * 2], exe[MAX_PATH];
    STARTUPINFOA si = { sizeof(si) };

    GetModuleFileNameA(NULL, exe, sizeof(exe));
    snprintf(cmdline, sizeof(cmdline), "\"%s\" child %s", exe, args);
    return CreateProcessA(NULL, cmdline, NULL, NULL, FALSE, 0, NULL, NULL, &si, pi);
}

/* Its exit code, once it ended (30 s at most: then it is ended, 255). */
static inline DWORD wait_child(PROCESS_INFORMATION *pi)
{
    DWORD code = 255;

    if (WaitForSingleObject(pi->hProcess, 30000) == WAIT_OBJECT_0) GetExitCodeProcess(pi->hProcess, &code);
    else TerminateProcess(pi->hProcess, 255);
    CloseHandle(pi->hProcess);
    CloseHandle(pi->hThread);
    return code;
}

#endif /* __SCARDSSP_CARDSTACK_H */
