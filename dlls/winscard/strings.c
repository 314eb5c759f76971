/*
 * winscard bridge, PE side: string conversions and Windows-style output
 * buffers (sizing, SCARD_AUTOALLOCATE, SCardFreeMemory)
 *
 * Readers and cards have UTF-16 names outward (W), ANSI names (A, the
 * process code page) and UTF-8 names toward pcsc-lite.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "winscard_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winscard);

static WCHAR *to_wide(UINT codepage, const char *str, int len)
{
    WCHAR *ret;
    int count;

    if (!str) return NULL;
    count = MultiByteToWideChar(codepage, 0, str, len, NULL, 0);
    if (!(ret = malloc((count + 1) * sizeof(WCHAR)))) return NULL;
    MultiByteToWideChar(codepage, 0, str, len, ret, count);
    ret[count] = 0;
    return ret;
}

static char *from_wide(UINT codepage, const WCHAR *str, int len)
{
    char *ret;
    int count;

    if (!str) return NULL;
    count = WideCharToMultiByte(codepage, 0, str, len, NULL, 0, NULL, NULL);
    if (!(ret = malloc(count + 1))) return NULL;
    WideCharToMultiByte(codepage, 0, str, len, ret, count, NULL, NULL);
    ret[count] = 0;
    return ret;
}

WCHAR *strdupAtoW(const char *str)
{
    return to_wide(CP_ACP, str, -1);
}

char *strdupWtoA(const WCHAR *str)
{
    return from_wide(CP_ACP, str, -1);
}

char *strdupWtoU(const WCHAR *str)
{
    return from_wide(CP_UTF8, str, -1);
}

WCHAR *strdupUtoW(const char *str)
{
    return to_wide(CP_UTF8, str, -1);
}

WCHAR *multi_strdupAtoW(const char *str)
{
    const char *p;

    if (!str) return NULL;
    for (p = str; *p; p += strlen(p) + 1);
    return to_wide(CP_ACP, str, p - str + 1);
}

DWORD multi_len(const WCHAR *str)
{
    const WCHAR *p;

    for (p = str; *p; p += wcslen(p) + 1);
    return p - str + 1;
}

BOOL multi_add(struct multi_string *multi, const WCHAR *str)
{
    DWORD len = wcslen(str) + 1;

    if (multi->length + len + 2 > multi->size)
    {
        DWORD size = max(multi->size * 2, multi->length + len + 64);
        WCHAR *data;

        if (!(data = realloc(multi->data, size * sizeof(WCHAR)))) return FALSE;
        multi->data = data;
        multi->size = size;
    }
    memcpy(multi->data + multi->length, str, len * sizeof(WCHAR));
    multi->length += len;
    multi->data[multi->length] = 0;
    return TRUE;
}

BOOL multi_contains(const struct multi_string *multi, const WCHAR *str)
{
    const WCHAR *p;

    if (!multi->data) return FALSE;
    for (p = multi->data; *p; p += wcslen(p) + 1)
        if (!wcsicmp(p, str)) return TRUE;
    return FALSE;
}

void multi_free(struct multi_string *multi)
{
    free(multi->data);
    multi->data = NULL;
    multi->length = multi->size = 0;
}

static CRITICAL_SECTION alloc_cs;
static CRITICAL_SECTION_DEBUG alloc_cs_debug =
{
    0, 0, &alloc_cs,
    { &alloc_cs_debug.ProcessLocksList, &alloc_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": alloc_cs") }
};
static CRITICAL_SECTION alloc_cs = { &alloc_cs_debug, -1, 0, 0, 0, 0 };
static void **allocations;
static unsigned int allocation_count, allocation_size;

/* Memory handed out for SCARD_AUTOALLOCATE is remembered, so that
 * SCardFreeMemory with any other pointer is refused instead of
 * corrupting the heap. */
void *autoalloc(SIZE_T size)
{
    void *ret;

    if (!(ret = malloc(size ? size : 1))) return NULL;
    EnterCriticalSection(&alloc_cs);
    if (allocation_count == allocation_size)
    {
        unsigned int new_size = allocation_size ? allocation_size * 2 : 16;
        void **new_list;

        if (!(new_list = realloc(allocations, new_size * sizeof(*new_list))))
        {
            LeaveCriticalSection(&alloc_cs);
            free(ret);
            return NULL;
        }
        allocations = new_list;
        allocation_size = new_size;
    }
    allocations[allocation_count++] = ret;
    LeaveCriticalSection(&alloc_cs);
    return ret;
}

BOOL autofree(const void *ptr)
{
    unsigned int i;
    BOOL found = FALSE;

    EnterCriticalSection(&alloc_cs);
    for (i = allocation_count; i--;)
    {
        if (allocations[i] != ptr) continue;
        allocations[i] = allocations[--allocation_count];
        found = TRUE;
        break;
    }
    LeaveCriticalSection(&alloc_cs);
    if (found) free((void *)ptr);
    return found;
}

LONG return_buffer(const void *data, DWORD count, DWORD unit, void *out, DWORD *out_len)
{
    void *buffer;

    if (!out_len) return SCARD_E_INVALID_PARAMETER;
    if (*out_len == SCARD_AUTOALLOCATE)
    {
        if (!out) return SCARD_E_INVALID_PARAMETER;
        if (!(buffer = autoalloc((SIZE_T)count * unit))) return SCARD_E_NO_MEMORY;
        memcpy(buffer, data, (SIZE_T)count * unit);
        *(void **)out = buffer;
        *out_len = count;
        return SCARD_S_SUCCESS;
    }
    if (!out)
    {
        *out_len = count;
        return SCARD_S_SUCCESS;
    }
    if (*out_len < count)
    {
        *out_len = count;
        return SCARD_E_INSUFFICIENT_BUFFER;
    }
    memcpy(out, data, (SIZE_T)count * unit);
    *out_len = count;
    return SCARD_S_SUCCESS;
}

/* An empty list is returned as two terminators. */
LONG return_multi(const struct multi_string *multi, BOOL ansi, void *out, DWORD *out_len)
{
    static const WCHAR empty[2];
    const WCHAR *data = multi->length ? multi->data : empty;
    DWORD len = multi->length ? multi->length + 1 : 2;
    char *str;
    LONG ret;

    if (!ansi) return return_buffer(data, len, sizeof(WCHAR), out, out_len);

    if (!(str = from_wide(CP_ACP, data, len))) return SCARD_E_NO_MEMORY;
    ret = return_buffer(str, WideCharToMultiByte(CP_ACP, 0, data, len, NULL, 0, NULL, NULL), 1, out, out_len);
    free(str);
    return ret;
}

LONG return_string(const WCHAR *str, BOOL ansi, void *out, DWORD *out_len)
{
    char *strA;
    LONG ret;

    if (!ansi) return return_buffer(str, wcslen(str) + 1, sizeof(WCHAR), out, out_len);

    if (!(strA = strdupWtoA(str))) return SCARD_E_NO_MEMORY;
    ret = return_buffer(strA, strlen(strA) + 1, 1, out, out_len);
    free(strA);
    return ret;
}

LONG WINAPI SCardFreeMemory(SCARDCONTEXT context, const void *mem)
{
    LONG ret;

    TRACE("%#Ix, %p\n", context, mem);

    if ((ret = context_check_optional(context))) return ret;
    if (!mem) return SCARD_S_SUCCESS;
    if (!autofree(mem))
    {
        WARN("%p was not allocated by SCARD_AUTOALLOCATE\n", mem);
        return SCARD_E_INVALID_PARAMETER;
    }
    return SCARD_S_SUCCESS;
}
