/*
 * Helpers of the ISCardDatabase and ISCardLocate tests (tests/cardsvc)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARDSSP_CARDSVC_H
#define __SCARDSSP_CARDSVC_H

#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "oleauto.h"

#include "wine/test.h"

static const char *dbgstr_w(const WCHAR *str)
{
    static char buffers[4][256];
    static unsigned int index;
    char *buffer = buffers[index++ % ARRAY_SIZE(buffers)];

    if (!str)
        return "(null)";
    buffer[0] = '"';
    WideCharToMultiByte(CP_UTF8, 0, str, -1, buffer + 1, sizeof(buffers[0]) - 2, NULL, NULL);
    buffer[sizeof(buffers[0]) - 2] = 0;
    strcat(buffer, "\"");
    return buffer;
}

static SAFEARRAY *create_bstr_array(const WCHAR *const *strings, ULONG count)
{
    SAFEARRAY *array;
    LONG i;

    array = SafeArrayCreateVector(VT_BSTR, 0, count);
    ok(!!array, "Failed to create an array.\n");
    for (i = 0; i < (LONG)count; ++i)
    {
        BSTR str = SysAllocString(strings[i]);
        HRESULT hr = SafeArrayPutElement(array, &i, str);

        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        SysFreeString(str);
    }
    return array;
}

#endif /* __SCARDSSP_CARDSVC_H */
