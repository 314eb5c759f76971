/*
 * ISCard::Transaction timed through the vtable and through
 * IDispatch::Invoke (a late-bound client, VB6-style: the command by
 * reference), for the benchmark programs: nanoseconds per call, or -1 when
 * a call fails.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

static double now_ns(void)
{
    LARGE_INTEGER frequency, counter;

    QueryPerformanceFrequency(&frequency);
    QueryPerformanceCounter(&counter);
    return counter.QuadPart * 1e9 / frequency.QuadPart;
}

static double time_vtable(ISCard *card, ISCardCmd *cmd, int n)
{
    double start = now_ns();
    int i;

    for (i = 0; i < n; ++i)
        if (FAILED(ISCard_Transaction(card, &cmd))) return -1;
    return (now_ns() - start) / n;
}

static double time_invoke(ISCard *card, ISCardCmd *cmd, int n)
{
    IDispatch *disp = (IDispatch *)cmd;
    DISPPARAMS params = {0};
    VARIANT arg;
    double start;
    int i;

    V_VT(&arg) = VT_BYREF | VT_DISPATCH;
    V_DISPATCHREF(&arg) = &disp;
    params.rgvarg = &arg;
    params.cArgs = 1;
    start = now_ns();
    for (i = 0; i < n; ++i)
    {
        /* DISPID 10: Transaction */
        if (FAILED(ISCard_Invoke(card, 10, &IID_NULL, LOCALE_USER_DEFAULT, DISPATCH_METHOD, &params,
                                 NULL, NULL, NULL)))
            return -1;
    }
    return (now_ns() - start) / n;
}
