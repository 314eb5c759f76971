/*
 * The last test of each object's conformance test: with every object
 * released, scardssp.dll agrees to be unloaded.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

static void test_unload(void)
{
    HRESULT (WINAPI *pDllCanUnloadNow)(void);
    HMODULE module = GetModuleHandleA("scardssp.dll");
    HRESULT hr;

    ok(!!module, "scardssp.dll is not loaded.\n");
    if (!module)
        return;
    pDllCanUnloadNow = (void *)GetProcAddress(module, "DllCanUnloadNow");
    ok(!!pDllCanUnloadNow, "No DllCanUnloadNow.\n");
    if (!pDllCanUnloadNow)
        return;
    hr = pDllCanUnloadNow();
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
}
