/*
 * pcscwait: a small PC/SC client for scripts (tools/stack) and measurements
 *
 * Copyright 2025 the scardssp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 *   pcscwait [-t MS] list                  reader names and states, one a line
 *   pcscwait [-t MS] present READER...     wait until every reader holds a card
 *   pcscwait [-t MS] absent READER...      wait until every reader is empty
 *   pcscwait bench READER N [APDU]         N x SCardTransmit, microseconds per APDU
 *
 * Waits are bounded (-t, default 10000 ms), including the wait for the
 * daemon itself.  Exit status: 0 done, 1 timed out, 2 error.  The daemon
 * is the one PCSCLITE_CSOCK_NAME names, as for any pcsc-lite client.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <winscard.h>

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int establish(SCARDCONTEXT *ctx, long long deadline)
{
    LONG rv;

    for (;;)
    {
        if ((rv = SCardEstablishContext(SCARD_SCOPE_SYSTEM, NULL, NULL, ctx)) == SCARD_S_SUCCESS)
            return 0;
        if (now_ms() >= deadline)
        {
            fprintf(stderr, "pcscwait: no PC/SC daemon: %s (0x%08lx)\n", pcsc_stringify_error(rv),
                    (unsigned long)rv);
            return 1;
        }
        usleep(20000);
    }
}

static const char *state_name(DWORD state)
{
    if (state & SCARD_STATE_MUTE) return "mute";
    if (state & SCARD_STATE_PRESENT) return "present";
    if (state & SCARD_STATE_EMPTY) return "empty";
    return "unknown";
}

static int list(SCARDCONTEXT ctx)
{
    SCARD_READERSTATE states[16];
    char *readers = NULL, *p;
    DWORD len = SCARD_AUTOALLOCATE, n = 0, i;
    LONG rv;

    rv = SCardListReaders(ctx, NULL, (char *)&readers, &len);
    if (rv == SCARD_E_NO_READERS_AVAILABLE)
        return 0;
    if (rv != SCARD_S_SUCCESS)
    {
        fprintf(stderr, "pcscwait: SCardListReaders: %s\n", pcsc_stringify_error(rv));
        return 2;
    }
    for (p = readers; *p && n < 16; p += strlen(p) + 1, n++)
    {
        memset(&states[n], 0, sizeof(states[n]));
        states[n].szReader = p;
        states[n].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    rv = SCardGetStatusChange(ctx, 0, states, n);
    for (i = 0; i < n; i++)
        printf("%s\t%s\n", states[i].szReader,
               rv == SCARD_S_SUCCESS ? state_name(states[i].dwEventState) : "unknown");
    SCardFreeMemory(ctx, readers);
    return 0;
}

static int wait_for(SCARDCONTEXT ctx, int present, char **names, int count, long long deadline)
{
    SCARD_READERSTATE states[16];
    int i, done;
    LONG rv;

    if (count > 16)
        count = 16;
    memset(states, 0, sizeof(states));
    for (i = 0; i < count; i++)
    {
        states[i].szReader = names[i];
        states[i].dwCurrentState = SCARD_STATE_UNAWARE;
    }
    for (;;)
    {
        long long left = deadline - now_ms();

        rv = SCardGetStatusChange(ctx, left > 0 ? (DWORD)left : 0, states, count);
        if (rv != SCARD_S_SUCCESS && rv != SCARD_E_TIMEOUT && rv != SCARD_E_UNKNOWN_READER)
        {
            fprintf(stderr, "pcscwait: SCardGetStatusChange: %s\n", pcsc_stringify_error(rv));
            return 2;
        }
        done = rv == SCARD_S_SUCCESS;
        for (i = 0; done && i < count; i++)
        {
            DWORD s = states[i].dwEventState;
            if (s & SCARD_STATE_UNKNOWN)
                done = 0;
            else if (present)
                done = (s & SCARD_STATE_PRESENT) && !(s & SCARD_STATE_MUTE);
            else
                done = !!(s & SCARD_STATE_EMPTY);
        }
        if (done)
            return 0;
        if (now_ms() >= deadline)
            break;
        if (rv == SCARD_E_UNKNOWN_READER)
        {
            /* a reader that is not there yet: ask again shortly */
            usleep(20000);
            for (i = 0; i < count; i++)
                states[i].dwCurrentState = SCARD_STATE_UNAWARE;
            continue;
        }
        for (i = 0; i < count; i++)
            states[i].dwCurrentState = states[i].dwEventState & ~SCARD_STATE_CHANGED;
    }
    for (i = 0; i < count; i++)
        fprintf(stderr, "pcscwait: timed out: \"%s\" is %s, not %s\n", names[i],
                rv == SCARD_E_UNKNOWN_READER ? "unknown" : state_name(states[i].dwEventState),
                present ? "present" : "empty");
    return 1;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int bench(SCARDCONTEXT ctx, const char *reader, long count, const char *hex)
{
    unsigned char apdu[261], reply[258];
    DWORD protocol, apdu_len = 0, reply_len;
    const SCARD_IO_REQUEST *pci;
    SCARDHANDLE card;
    long long start;
    LONG rv;
    long i;

    for (; hex[0] && hex[1] && apdu_len < sizeof(apdu); hex += 2)
        apdu[apdu_len++] = (hex_value(hex[0]) << 4) | hex_value(hex[1]);
    rv = SCardConnect(ctx, reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol);
    if (rv != SCARD_S_SUCCESS)
    {
        fprintf(stderr, "pcscwait: SCardConnect: %s\n", pcsc_stringify_error(rv));
        return 2;
    }
    pci = protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1;
    start = now_ms();
    for (i = 0; i < count; i++)
    {
        reply_len = sizeof(reply);
        rv = SCardTransmit(card, pci, apdu, apdu_len, NULL, reply, &reply_len);
        if (rv != SCARD_S_SUCCESS)
        {
            fprintf(stderr, "pcscwait: SCardTransmit: %s\n", pcsc_stringify_error(rv));
            return 2;
        }
    }
    printf("%ld APDUs in %lld ms: %.1f us per APDU (last reply %lu bytes, SW %02X%02X)\n", count,
           now_ms() - start, (now_ms() - start) * 1000.0 / count, (unsigned long)reply_len,
           reply_len >= 2 ? reply[reply_len - 2] : 0, reply_len >= 2 ? reply[reply_len - 1] : 0);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    return 0;
}

int main(int argc, char **argv)
{
    long timeout = 10000;
    SCARDCONTEXT ctx;
    int ret, i = 1;

    if (argc > 2 && !strcmp(argv[1], "-t"))
    {
        timeout = strtol(argv[2], NULL, 10);
        i = 3;
    }
    if (i >= argc)
    {
        fprintf(stderr, "usage: pcscwait [-t MS] list | present READER... | absent READER... | bench READER N [APDU]\n");
        return 2;
    }
    if ((ret = establish(&ctx, now_ms() + timeout)))
        return ret;

    if (!strcmp(argv[i], "list"))
        ret = list(ctx);
    else if (!strcmp(argv[i], "present") || !strcmp(argv[i], "absent"))
        ret = wait_for(ctx, argv[i][0] == 'p', argv + i + 1, argc - i - 1, now_ms() + timeout);
    else if (!strcmp(argv[i], "bench") && argc - i >= 3)
        ret = bench(ctx, argv[i + 1], strtol(argv[i + 2], NULL, 10), argc - i > 3 ? argv[i + 3] : "00A4000C023F00");
    else
    {
        fprintf(stderr, "pcscwait: unknown command %s\n", argv[i]);
        ret = 2;
    }
    SCardReleaseContext(ctx);
    return ret;
}
