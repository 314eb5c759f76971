/*
 * APDU round-trip benchmark (not a test): N x SCardTransmit(GET CHALLENGE)
 * on the first card found; prints the mean microseconds per APDU.  Built
 * with plain mingw-w64 for Wine, and (tools/winscard-bench) with the host
 * compiler against pcsc-lite, so both sides run the same code.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#ifdef _WIN32
#include <windows.h>
#include <winscard.h>
static double now_us(void)
{
    LARGE_INTEGER f, c;
    QueryPerformanceFrequency(&f);
    QueryPerformanceCounter(&c);
    return c.QuadPart * 1e6 / f.QuadPart;
}
#else
#include <time.h>
#include <PCSC/winscard.h>
static double now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}
#endif

int main(int argc, char **argv)
{
    static const BYTE get_challenge[] = { 0x00, 0x84, 0x00, 0x00, 0x08 };
    int i, n = argc > 1 ? atoi(argv[1]) : 2000;
    char readers[1024], *card_reader = NULL, *p;
    SCARD_READERSTATE state;
    BYTE response[258];
    DWORD len, protocol;
    SCARDCONTEXT context;
    SCARDHANDLE card;
    double start;

    if (SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context)) return 2;
    len = sizeof(readers);
    if (SCardListReaders(context, NULL, readers, &len)) return 2;
    for (i = 0; i < 50 && !card_reader; i++)  /* the card may still be connecting */
    {
        for (p = readers; *p && !card_reader; p += strlen(p) + 1)
        {
            memset(&state, 0, sizeof(state));
            state.szReader = p;
            if (!SCardGetStatusChange(context, 0, &state, 1) && (state.dwEventState & SCARD_STATE_PRESENT))
                card_reader = p;
        }
        if (!card_reader) SCardGetStatusChange(context, 100, &state, 0);
    }
    if (!card_reader)
    {
        fprintf(stderr, "bench: no card\n");
        return 3;
    }
    if (SCardConnect(context, card_reader, SCARD_SHARE_SHARED, SCARD_PROTOCOL_T0 | SCARD_PROTOCOL_T1, &card, &protocol))
        return 4;
    for (i = 0; i < n / 10 + 1; i++)  /* warm up */
    {
        len = sizeof(response);
        SCardTransmit(card, protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1, get_challenge,
                      sizeof(get_challenge), NULL, response, &len);
    }
    start = now_us();
    for (i = 0; i < n; i++)
    {
        len = sizeof(response);
        if (SCardTransmit(card, protocol == SCARD_PROTOCOL_T0 ? SCARD_PCI_T0 : SCARD_PCI_T1, get_challenge,
                          sizeof(get_challenge), NULL, response, &len)) return 5;
    }
    printf("%.1f\n", (now_us() - start) / n);
    SCardDisconnect(card, SCARD_LEAVE_CARD);
    SCardReleaseContext(context);
    return 0;
}
