/*
 * ISCard::Transaction round trip (a benchmark, not a test): N x GET
 * CHALLENGE through the vtable, then N x through IDispatch::Invoke as a
 * late-bound client (VB6-style, the command by reference); prints the
 * mean microseconds per APDU of each, one per line.
 *   transaction.exe READER N
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "scardssp.h"

static double now_us(void)
{
    LARGE_INTEGER frequency, counter;

    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return counter.QuadPart * 1e6 / frequency.QuadPart;
}

static double time_vtable(ISCard *card, ISCardCmd *cmd, int n)
{
    double start = now_us();
    int i;

    for (i = 0; i < n; ++i)
        if (FAILED(ISCard_Transaction(card, &cmd))) return -1;
    return (now_us() - start) / n;
}

static double time_invoke(ISCard *card, ISCardCmd *cmd, int n)
{
    IDispatch *disp = (IDispatch *)cmd;
    DISPPARAMS params;
    VARIANT arg;
    double start;
    int i;

    V_VT(&arg) = VT_BYREF | VT_DISPATCH;
    V_DISPATCHREF(&arg) = &disp;
    params.rgvarg = &arg;
    params.cArgs = 1;
    params.rgdispidNamedArgs = NULL;
    params.cNamedArgs = 0;

    start = now_us();
    for (i = 0; i < n; ++i)
    {
        /* DISPID 10: Transaction */
        if (FAILED(ISCard_Invoke(card, 10, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, &params,
                                 NULL, NULL, NULL)))
            return -1;
    }
    return (now_us() - start) / n;
}

int main(int argc, char **argv)
{
    WCHAR reader[256];
    ISCardCmd *cmd;
    ISCard *card;
    BSTR name;
    LONG le = 8;
    int n;

    if (argc < 3) return 2;
    MultiByteToWideChar(CP_ACP, 0, argv[1], -1, reader, ARRAY_SIZE(reader));
    n = atoi(argv[2]);

    CoInitialize(NULL);
    if (FAILED(CoCreateInstance(&CLSID_CSCard, NULL, CLSCTX_INPROC_SERVER, &IID_ISCard, (void **)&card))) return 3;
    if (FAILED(CoCreateInstance(&CLSID_CSCardCmd, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardCmd, (void **)&cmd))) return 3;
    name = SysAllocString(reader);
    if (FAILED(ISCard_AttachByReader(card, name, SHARED, T0 | T1))) return 4;
    SysFreeString(name);
    if (FAILED(ISCardCmd_BuildCmd(cmd, 0x00, 0x84, 0x00, 0x00, NULL, &le))) return 5;

    time_vtable(card, cmd, n / 10 + 1);  /* warm up */
    printf("%.1f\n", time_vtable(card, cmd, n));
    printf("%.1f\n", time_invoke(card, cmd, n));

    ISCard_Detach(card, LEAVE);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
    CoUninitialize();
    return 0;
}
