/*
 * Shared helpers of the winscard bridge conformance tests.
 *
 * The tests that need a reader (run as NAME_t0.exe / NAME_t1.exe) are
 * started by tests/run-wine inside a private pcscd + virtual card stack
 * of that personality (tools/stack); the stack's environment tells
 * pcsc-lite where the daemon is, and the program which personality
 * (stack_protocol(), tests/include/cardstack.h).  The card sits in one
 * reader; the tests find it.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARD_TEST_H
#define __SCARD_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "winioctl.h"
#include "winscard.h"
#include "../../dlls/winscard/winscard_defs.h"

#include "wine/test.h"
#include "cardstack.h"

/* Wine 8's winscard.h does not declare the data exports */
extern __declspec(dllimport) const SCARD_IO_REQUEST g_rgSCardT0Pci;
extern __declspec(dllimport) const SCARD_IO_REQUEST g_rgSCardT1Pci;
extern __declspec(dllimport) const SCARD_IO_REQUEST g_rgSCardRawPci;

#define BAD_HANDLE ((ULONG_PTR)0x12345678)

/* The readers (ANSI multi-string) and the one holding the card. */
struct stack_info
{
    char readers[1024];
    DWORD readers_len;
    char card_reader[256];
    char empty_reader[256];   /* "" when the stack has a single reader */
    BYTE atr[36];
    DWORD atr_len;
};

static inline BOOL find_stack(SCARDCONTEXT context, struct stack_info *info)
{
    SCARD_READERSTATEA states[8];
    DWORD count = 0, i;
    const char *p;
    LONG ret;

    memset(info, 0, sizeof(*info));
    info->readers_len = sizeof(info->readers);
    lock_card_database();
    ret = SCardListReadersA(context, "SCard$DefaultReaders\0", info->readers, &info->readers_len);
    unlock_card_database();
    if (ret) return FALSE;
    for (p = info->readers; *p && count < ARRAY_SIZE(states); p += strlen(p) + 1, count++)
    {
        memset(&states[count], 0, sizeof(states[count]));
        states[count].szReader = p;
        states[count].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    /* the virtual card may still be connecting to its reader */
    for (i = 0; i < 50; i++)
    {
        DWORD j;

        if (SCardGetStatusChangeA(context, 0, states, count)) return FALSE;
        for (j = 0; j < count; j++)
            if (states[j].dwEventState & SCARD_STATE_PRESENT) break;
        if (j < count) break;
        Sleep(100);
    }
    for (i = 0; i < count; i++)
    {
        if ((states[i].dwEventState & SCARD_STATE_PRESENT) && !info->card_reader[0])
        {
            strcpy(info->card_reader, states[i].szReader);
            memcpy(info->atr, states[i].rgbAtr, states[i].cbAtr);
            info->atr_len = states[i].cbAtr;
        }
        else if ((states[i].dwEventState & SCARD_STATE_EMPTY) && !info->empty_reader[0])
            strcpy(info->empty_reader, states[i].szReader);
    }
    return info->card_reader[0] != 0;
}

static inline const char *debugstr_w(const WCHAR *str)
{
    static char buffers[4][1024];
    static int next;
    char *ret = buffers[next++ % 4];

    if (!str) return "(null)";
    WideCharToMultiByte(CP_ACP, 0, str, -1, ret, 1024, NULL, NULL);
    return ret;
}

static inline WCHAR *wide(const char *str)
{
    static WCHAR buffers[4][1024];
    static int next;
    WCHAR *ret = buffers[next++ % 4];

    MultiByteToWideChar(CP_ACP, 0, str, -1, ret, 1024);
    return ret;
}

#endif /* __SCARD_TEST_H */
