/*
 * CSCardDatabase: the smart card database
 *
 * Every method is one winscard query (SCardListReadersW,
 * SCardListReaderGroupsW, SCardListCardsW, SCardListInterfacesW,
 * SCardGetProviderIdW; over a Wine builtin winscard the last three read
 * the registry's card database instead, scard.c).  The object keeps no state: ListReaders and
 * ListReaderGroups establish a context (SCARD_SCOPE_USER) for the call
 * and release it, so a restarted resource manager is simply picked up;
 * the card-database queries pass no context (NULL), which winscard
 * allows for them, so they work without a running resource manager.
 *
 * Who allocates what, and how the caller frees it:
 *  - SAFEARRAY results: SafeArrayCreateVector(VT_BSTR, lower bound 0,
 *    one dimension), one BSTR per name, in winscard's order; never NULL on
 *    success (no names is an array of 0 elements).  SafeArrayDestroy.
 *  - GetProviderCardId: one GUID from CoTaskMemAlloc; CoTaskMemFree.
 *  - On failure every out pointer is set to NULL.
 *
 * Other choices:
 *  - The locale ([lcid] localeId) changes nothing: reader, group and card
 *    names are not localized, so any value is accepted and ignored.
 *    Through IDispatch::Invoke the method receives Invoke's lcid, not a
 *    DISPPARAMS argument (the Automation rule for [lcid]).
 *  - Interface GUID strings (ListCards input) are accepted braced or bare,
 *    hex digits in either case: "{AD4F1667-EA75-4124-84D4-641B3B197C65}"
 *    or "ad4f1667-ea75-4124-84d4-641b3b197c65"; anything else (a ProgID
 *    included) is E_INVALIDARG.  GUID strings handed out
 *    (ListCardInterfaces) are braced and upper case, the registry's form
 *    (StringFromGUID2), so they can be passed back unchanged.
 *  - String arrays taken in: one dimension (else E_INVALIDARG), any lower
 *    bound, elements VT_BSTR or VT_VARIANT holding VT_BSTR (what scripts
 *    build) (else DISP_E_TYPEMISMATCH); an empty string, a NULL BSTR or one
 *    with an embedded NUL cannot name anything: E_INVALIDARG.
 *  - ListCards: a NULL or empty ATR buffer and a NULL or empty GUID array
 *    mean "no condition" (both missing lists every known card).  The ATR
 *    is read whole from offset 0; its length is the one its own bytes
 *    declare (ISO 7816-3: T0, the interface bytes, historical bytes, TCK)
 *    and bytes past it are ignored; an ATR shorter than it declares, or
 *    longer than 33 bytes, is SCARD_E_INVALID_ATR.  Several GUIDs list the
 *    cards supporting all of them.  No match is S_OK with 0 elements.
 *  - ListReaders with no reader, ListReaderGroups with no group: winscard's
 *    SCARD_E_NO_READERS_AVAILABLE is passed on (with NULL), as
 *    SCardListReaders gives it, so a caller can tell "no reader" from an
 *    empty answer; a missing resource manager is SCARD_E_NO_SERVICE.
 *  - Errors from winscard are returned as they are (the SCARD_* values are
 *    HRESULTs); a Win32 code from it becomes HRESULT_FROM_WIN32.  An
 *    unknown card is SCARD_E_UNKNOWN_CARD.  A NULL or empty card name is
 *    E_INVALIDARG, a NULL out pointer E_POINTER.
 *  - What winscard answers is checked (query_list): an impossible count or
 *    length, or a multi-string not ending inside its buffer, is
 *    SCARD_F_INTERNAL_ERROR; a list that grows between the sizing and the
 *    fill call is asked for again, 8 times at most.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "scardssp_private.h"
#include "winscard.h"
#include "cardtype.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct database
{
    ISCardDatabase ISCardDatabase_iface;
    LONG refcount;
};

static inline struct database *impl_from_ISCardDatabase(ISCardDatabase *iface)
{
    return CONTAINING_RECORD(iface, struct database, ISCardDatabase_iface);
}

static int hex_digit(WCHAR c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

HRESULT database_guid_from_string(const WCHAR *str, GUID *guid)
{
    static const BYTE byte_pos[16] = {0, 2, 4, 6, 9, 11, 14, 16, 19, 21, 24, 26, 28, 30, 32, 34};
    BYTE bytes[16];
    size_t len;
    unsigned int i;

    if (!str)
        return E_INVALIDARG;
    len = wcslen(str);
    if (len == 38 && str[0] == '{' && str[37] == '}')
        ++str;
    else if (len != 36)
        return E_INVALIDARG;

    if (str[8] != '-' || str[13] != '-' || str[18] != '-' || str[23] != '-')
        return E_INVALIDARG;
    for (i = 0; i < 16; ++i)
    {
        int hi = hex_digit(str[byte_pos[i]]), lo = hex_digit(str[byte_pos[i] + 1]);

        if (hi < 0 || lo < 0)
            return E_INVALIDARG;
        bytes[i] = (hi << 4) | lo;
    }

    guid->Data1 = ((DWORD)bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3];
    guid->Data2 = (bytes[4] << 8) | bytes[5];
    guid->Data3 = (bytes[6] << 8) | bytes[7];
    memcpy(guid->Data4, bytes + 8, 8);
    return S_OK;
}

/* The BSTR of element i of an array of BSTRs or of VARIANTs. */
static HRESULT array_string(const void *data, VARTYPE vt, ULONG i, const WCHAR **str, UINT *len)
{
    BSTR bstr;

    if (vt == VT_BSTR)
        bstr = ((const BSTR *)data)[i];
    else
    {
        const VARIANT *v = (const VARIANT *)data + i;

        if (V_VT(v) == VT_BSTR)
            bstr = V_BSTR(v);
        else if (V_VT(v) == (VT_BSTR | VT_BYREF) && V_BSTRREF(v))
            bstr = *V_BSTRREF(v);
        else
        {
            WARN("Element %lu has type %#x.\n", i, V_VT(v));
            return DISP_E_TYPEMISMATCH;
        }
    }

    if (!bstr || !(*len = SysStringLen(bstr)) || wcslen(bstr) != *len)
    {
        WARN("Element %lu is empty or has an embedded NUL.\n", i);
        return E_INVALIDARG;
    }
    *str = bstr;
    return S_OK;
}

HRESULT database_strings_from_safearray(SAFEARRAY *array, WCHAR **strings, DWORD *count)
{
    size_t total = 1, pos = 0;
    const WCHAR *str;
    void *data;
    ULONG n, i;
    VARTYPE vt;
    UINT len;
    HRESULT hr;

    *strings = NULL;
    *count = 0;

    if (SafeArrayGetDim(array) != 1)
    {
        WARN("Array has %u dimensions.\n", SafeArrayGetDim(array));
        return E_INVALIDARG;
    }
    if (FAILED(SafeArrayGetVartype(array, &vt)))
    {
        if (array->fFeatures & FADF_BSTR)
            vt = VT_BSTR;
        else if (array->fFeatures & FADF_VARIANT)
            vt = VT_VARIANT;
        else
            vt = VT_EMPTY;
    }
    if (!((vt == VT_BSTR && SafeArrayGetElemsize(array) == sizeof(BSTR))
            || (vt == VT_VARIANT && SafeArrayGetElemsize(array) == sizeof(VARIANT))))
    {
        WARN("Array of type %#x, element size %u.\n", vt, SafeArrayGetElemsize(array));
        return DISP_E_TYPEMISMATCH;
    }

    n = array->rgsabound[0].cElements;
    if (FAILED(hr = SafeArrayAccessData(array, &data)))
        return hr;

    for (i = 0; i < n; ++i)
    {
        if (FAILED(hr = array_string(data, vt, i, &str, &len)))
            goto done;
        total += len + 1;
    }

    if (!(*strings = malloc(total * sizeof(WCHAR))))
    {
        hr = E_OUTOFMEMORY;
        goto done;
    }
    for (i = 0; i < n; ++i)
    {
        array_string(data, vt, i, &str, &len);
        memcpy(*strings + pos, str, (len + 1) * sizeof(WCHAR));
        pos += len + 1;
    }
    (*strings)[pos] = 0;
    *count = n;

done:
    SafeArrayUnaccessData(array);
    return hr;
}

/* A SAFEARRAY(BSTR) of the strings of a multi-string of at most len characters. */
static HRESULT safearray_from_strings(const WCHAR *strings, DWORD len, SAFEARRAY **array)
{
    const WCHAR *p, *end = strings + len;
    LONG count = 0, i;
    SAFEARRAY *sa;
    BSTR *data;
    HRESULT hr;

    for (p = strings; p < end && *p; p += wcsnlen(p, end - p) + 1)
        ++count;

    if (!(sa = SafeArrayCreateVector(VT_BSTR, 0, count)))
        return E_OUTOFMEMORY;
    if (FAILED(hr = SafeArrayAccessData(sa, (void **)&data)))
    {
        SafeArrayDestroy(sa);
        return hr;
    }
    for (i = 0, p = strings; i < count; ++i)
    {
        size_t n = wcsnlen(p, end - p);

        if (!(data[i] = SysAllocStringLen(p, n)))
        {
            SafeArrayUnaccessData(sa);
            SafeArrayDestroy(sa);
            return E_OUTOFMEMORY;
        }
        p += n + 1;
    }
    SafeArrayUnaccessData(sa);

    *array = sa;
    return S_OK;
}

enum query
{
    QUERY_READERS,
    QUERY_GROUPS,
    QUERY_CARDS,
    QUERY_INTERFACES,
};

struct query_args
{
    enum query query;
    SCARDCONTEXT context;
    const WCHAR *groups;
    const BYTE *atr;
    const GUID *guids;
    DWORD guid_count;
    const WCHAR *card;
};

/* One winscard list call: buffer holds *count elements (characters of a
 * multi-string, or GUIDs for QUERY_INTERFACES); NULL asks for the count. */
static LONG run_query(const struct query_args *args, void *buffer, DWORD *count)
{
    switch (args->query)
    {
    case QUERY_READERS:
        return SCardListReadersW(args->context, args->groups, buffer, count);
    case QUERY_GROUPS:
        return SCardListReaderGroupsW(args->context, buffer, count);
    case QUERY_CARDS:
        return scard_list_cards(args->atr, args->guids, args->guid_count, buffer, count);
    case QUERY_INTERFACES:
        return scard_list_interfaces(args->card, buffer, count);
    }
    return SCARD_F_INTERNAL_ERROR;
}

/* A winscard list result in a malloc'ed buffer (*items NULL when empty):
 * asks for the count, then for the elements, again (up to 8 times) if the
 * list grew in between.  Nothing winscard answers is trusted: a count
 * beyond SCARD_MAX_LIST, a fill call reporting more than its buffer, and a
 * multi-string that is empty or does not end inside it are
 * SCARD_F_INTERNAL_ERROR. */
static LONG query_list(const struct query_args *args, void **items, DWORD *count)
{
    BOOL multi_string = args->query != QUERY_INTERFACES;
    size_t element_size = multi_string ? sizeof(WCHAR) : sizeof(GUID);
    unsigned int tries;
    void *buffer;
    DWORD size, len;
    LONG ret;

    *items = NULL;
    *count = 0;
    for (tries = 0; tries < 8; ++tries)
    {
        size = 0;
        if ((ret = run_query(args, NULL, &size)))
            return ret;
        if (!size && !multi_string)
            return SCARD_S_SUCCESS;
        if (!size || size > SCARD_MAX_LIST)
        {
            WARN("Query %u: winscard asks for %lu elements.\n", args->query, size);
            return SCARD_F_INTERNAL_ERROR;
        }
        if (!(buffer = malloc(size * element_size)))
            return SCARD_E_NO_MEMORY;
        len = size;
        if (!(ret = run_query(args, buffer, &len)))
        {
            if (multi_string ? !scard_valid_multi_string(buffer, len, size) : len > size)
            {
                WARN("Query %u: winscard wrote %lu elements into %lu, or no terminator.\n", args->query, len, size);
                free(buffer);
                return SCARD_F_INTERNAL_ERROR;
            }
            *items = buffer;
            *count = len;
            return SCARD_S_SUCCESS;
        }
        free(buffer);
        if (ret != SCARD_E_INSUFFICIENT_BUFFER)
            return ret;
    }
    return SCARD_E_INSUFFICIENT_BUFFER;
}

static LONG query_strings(const struct query_args *args, WCHAR **strings, DWORD *len)
{
    return query_list(args, (void **)strings, len);
}

LONG database_list_cards(const BYTE *atr, const GUID *guids, DWORD guid_count, WCHAR **cards, DWORD *len)
{
    struct query_args args = {QUERY_CARDS, 0, NULL, atr, guids, guid_count};

    return query_strings(&args, cards, len);
}

LONG database_list_readers(HSCARDCONTEXT context, const WCHAR *groups, WCHAR **readers, DWORD *len)
{
    struct query_args args = {QUERY_READERS, context, groups};

    return query_strings(&args, readers, len);
}

static HRESULT list_with_context(enum query query, SAFEARRAY **array)
{
    struct query_args args = {query};
    WCHAR *strings;
    DWORD len;
    LONG ret;
    HRESULT hr;

    if ((ret = scard_establish_context(&args.context)))
    {
        WARN("SCardEstablishContext failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }
    ret = query_strings(&args, &strings, &len);
    SCardReleaseContext(args.context);
    if (ret)
    {
        WARN("Query %u failed, ret %#lx.\n", query, ret);
        return scard_hresult(ret);
    }
    hr = safearray_from_strings(strings, len, array);
    free(strings);
    return hr;
}

static HRESULT WINAPI database_QueryInterface(ISCardDatabase *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardDatabase) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardDatabase_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI database_AddRef(ISCardDatabase *iface)
{
    struct database *database = impl_from_ISCardDatabase(iface);
    ULONG refcount = InterlockedIncrement(&database->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI database_Release(ISCardDatabase *iface)
{
    struct database *database = impl_from_ISCardDatabase(iface);
    ULONG refcount = InterlockedDecrement(&database->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        free(database);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI database_GetTypeInfoCount(ISCardDatabase *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI database_GetTypeInfo(ISCardDatabase *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardDatabase_tid, index, typeinfo);
}

static HRESULT WINAPI database_GetIDsOfNames(ISCardDatabase *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardDatabase_tid, names, count, dispids);
}

static HRESULT WINAPI database_Invoke(ISCardDatabase *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    /* [lcid] parameters get the lcid given here */
    return scardssp_invoke_lcid(ISCardDatabase_tid, iface, dispid, lcid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI database_GetProviderCardId(ISCardDatabase *iface, BSTR card_name, GUID **provider_id)
{
    GUID guid;
    LONG ret;

    TRACE("%p, %s, %p.\n", iface, debugstr_w(card_name), provider_id);

    if (!provider_id)
        return E_POINTER;
    *provider_id = NULL;
    if (!card_name || !*card_name)
        return E_INVALIDARG;

    if ((ret = scard_get_provider_id(card_name, &guid)))
    {
        WARN("SCardGetProviderIdW failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }
    if (!(*provider_id = CoTaskMemAlloc(sizeof(**provider_id))))
        return E_OUTOFMEMORY;
    **provider_id = guid;
    return S_OK;
}

static HRESULT WINAPI database_ListCardInterfaces(ISCardDatabase *iface, BSTR card_name, SAFEARRAY **interfaces)
{
    struct query_args args = {QUERY_INTERFACES};
    GUID *guids;
    SAFEARRAY *array;
    DWORD count, i;
    BSTR *data;
    LONG ret;
    HRESULT hr;

    TRACE("%p, %s, %p.\n", iface, debugstr_w(card_name), interfaces);

    if (!interfaces)
        return E_POINTER;
    *interfaces = NULL;
    if (!card_name || !*card_name)
        return E_INVALIDARG;

    args.card = card_name;
    if ((ret = query_list(&args, (void **)&guids, &count)))
    {
        WARN("SCardListInterfacesW failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }

    if (!(array = SafeArrayCreateVector(VT_BSTR, 0, count)))
    {
        free(guids);
        return E_OUTOFMEMORY;
    }
    if (SUCCEEDED(hr = SafeArrayAccessData(array, (void **)&data)))
    {
        for (i = 0; i < count; ++i)
        {
            WCHAR str[39];

            StringFromGUID2(&guids[i], str, ARRAY_SIZE(str));
            if (!(data[i] = SysAllocString(str)))
            {
                hr = E_OUTOFMEMORY;
                break;
            }
        }
        SafeArrayUnaccessData(array);
    }
    free(guids);
    if (FAILED(hr))
    {
        SafeArrayDestroy(array);
        return hr;
    }

    *interfaces = array;
    return S_OK;
}

static HRESULT WINAPI database_ListCards(ISCardDatabase *iface, IByteBuffer *atr, SAFEARRAY *interfaces,
        LONG locale, SAFEARRAY **card_names)
{
    BYTE atr_copy[36] = {0}, *atr_data = NULL;
    WCHAR *names = NULL, *guid_strings = NULL;
    DWORD guid_count = 0, len, i;
    GUID *guids = NULL;
    size_t atr_size = 0;
    const WCHAR *p;
    LONG ret;
    HRESULT hr;

    TRACE("%p, %p, %p, %#lx, %p.\n", iface, atr, interfaces, locale, card_names);

    if (!card_names)
        return E_POINTER;
    *card_names = NULL;

    if (atr)
    {
        if (FAILED(hr = bytebuffer_read_all(atr, &atr_data, &atr_size)))
            return hr;
        if (atr_size)
        {
            size_t atr_len = cardtype_atr_length(atr_data, atr_size);

            if (atr_len)
                memcpy(atr_copy, atr_data, atr_len);
            free(atr_data);
            if (!atr_len)
            {
                WARN("Invalid ATR of %Iu bytes.\n", atr_size);
                return SCARD_E_INVALID_ATR;
            }
        }
    }

    if (interfaces)
    {
        if (FAILED(hr = database_strings_from_safearray(interfaces, &guid_strings, &guid_count)))
            return hr;
        if (guid_count && !(guids = malloc(guid_count * sizeof(*guids))))
        {
            free(guid_strings);
            return E_OUTOFMEMORY;
        }
        for (i = 0, p = guid_strings; i < guid_count; ++i, p += wcslen(p) + 1)
        {
            if (FAILED(hr = database_guid_from_string(p, &guids[i])))
            {
                WARN("Invalid GUID string %s.\n", debugstr_w(p));
                free(guid_strings);
                free(guids);
                return hr;
            }
        }
        free(guid_strings);
    }

    ret = database_list_cards(atr_size ? atr_copy : NULL, guids, guid_count, &names, &len);
    free(guids);
    if (ret)
    {
        WARN("SCardListCardsW failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }
    hr = safearray_from_strings(names ? names : L"", len, card_names);
    free(names);
    return hr;
}

static HRESULT WINAPI database_ListReaderGroups(ISCardDatabase *iface, LONG locale, SAFEARRAY **groups)
{
    TRACE("%p, %#lx, %p.\n", iface, locale, groups);

    if (!groups)
        return E_POINTER;
    *groups = NULL;

    return list_with_context(QUERY_GROUPS, groups);
}

static HRESULT WINAPI database_ListReaders(ISCardDatabase *iface, LONG locale, SAFEARRAY **readers)
{
    TRACE("%p, %#lx, %p.\n", iface, locale, readers);

    if (!readers)
        return E_POINTER;
    *readers = NULL;

    return list_with_context(QUERY_READERS, readers);
}

static const ISCardDatabaseVtbl database_vtbl =
{
    database_QueryInterface,
    database_AddRef,
    database_Release,
    database_GetTypeInfoCount,
    database_GetTypeInfo,
    database_GetIDsOfNames,
    database_Invoke,
    database_GetProviderCardId,
    database_ListCardInterfaces,
    database_ListCards,
    database_ListReaderGroups,
    database_ListReaders,
};

HRESULT database_create(REFIID riid, void **obj)
{
    struct database *database;
    HRESULT hr;

    if (!(database = calloc(1, sizeof(*database))))
        return E_OUTOFMEMORY;

    database->ISCardDatabase_iface.lpVtbl = &database_vtbl;
    database->refcount = 1;
    scardssp_object_created();

    hr = ISCardDatabase_QueryInterface(&database->ISCardDatabase_iface, riid, obj);
    ISCardDatabase_Release(&database->ISCardDatabase_iface);
    return hr;
}
