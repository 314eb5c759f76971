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

#include "transact.h"

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
    printf("%.1f\n", time_vtable(card, cmd, n) / 1000);
    printf("%.1f\n", time_invoke(card, cmd, n) / 1000);

    ISCard_Detach(card, LEAVE);
    ISCardCmd_Release(cmd);
    ISCard_Release(card);
    CoUninitialize();
    return 0;
}
