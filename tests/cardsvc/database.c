/*
 * Tests for CSCardDatabase / ISCardDatabase against winscard's card
 * database and the reader stack (tools/stack: vpcd's two readers), run
 * as database_t1.exe (tests/tests.mk)
 *
 * min-checks: 310 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stdarg.h>

#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "winscard.h"
#include "scardssp.h"

#include "wine/test.h"
#include "cardstack.h"
#include "cardsvc.h"

/* the public test vector (pyscard's testcase_listcards.py) */
static const WCHAR dummy_name[] = L"dummycard";
static const WCHAR *dummy_names[] = {dummy_name};
static const BYTE dummy_atr[] = {0x3b, 0x75, 0x94, 0x00, 0x00, 0x62, 0x02, 0x02, 0x01, 0x01};
static const BYTE dummy_mask[] = {0xff, 0xff, 0xff, 0xff, 0x00, 0xff, 0xff, 0xff, 0xff, 0xff};
static const GUID dummy_primary = {0xad4f1667, 0xea75, 0x4124, {0x84, 0xd4, 0x64, 0x1b, 0x3b, 0x19, 0x7c, 0x65}};
static const GUID dummy_second = {0x382ae95a, 0x7c2c, 0x449c, {0xa1, 0x79, 0x56, 0xc6, 0xde, 0x6f, 0xf3, 0xbc}};
static const WCHAR dummy_primary_str[] = L"{AD4F1667-EA75-4124-84D4-641B3B197C65}";
static const WCHAR dummy_second_str[] = L"{382AE95A-7C2C-449C-A179-56C6DE6FF3BC}";

static const WCHAR *stack_readers[] = {L"Virtual PCD 00 00", L"Virtual PCD 00 01"};

static const char *dbgstr_guid(const GUID *guid)
{
    static char buffer[39];
    WCHAR str[39];

    StringFromGUID2(guid, str, ARRAY_SIZE(str));
    WideCharToMultiByte(CP_ACP, 0, str, -1, buffer, sizeof(buffer), NULL, NULL);
    return buffer;
}

static ISCardDatabase *create_database(void)
{
    ISCardDatabase *database = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CSCardDatabase, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardDatabase,
            (void **)&database);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return database;
}

static IByteBuffer *create_buffer_with(const BYTE *data, LONG size)
{
    IByteBuffer *buffer = NULL;
    HRESULT hr;

    hr = CoCreateInstance(&CLSID_CByteBuffer, NULL, CLSCTX_INPROC_SERVER, &IID_IByteBuffer, (void **)&buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Initialize(buffer, size, (BYTE *)data);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return buffer;
}

#define check_strings(a, b, c) check_strings_(__LINE__, a, b, c)
static void check_strings_(unsigned int line, SAFEARRAY *array, const WCHAR *const *expected, ULONG count)
{
    LONG lbound = -1, ubound = -2, i;
    VARTYPE vt = VT_EMPTY;
    HRESULT hr;

    ok_(__FILE__, line)(!!array, "Got no array.\n");
    if (!array)
        return;
    hr = SafeArrayGetVartype(array, &vt);
    ok_(__FILE__, line)(hr == S_OK && vt == VT_BSTR, "Got hr %#lx, vt %#x.\n", hr, vt);
    ok_(__FILE__, line)(SafeArrayGetDim(array) == 1, "Got %u dimensions.\n", SafeArrayGetDim(array));
    hr = SafeArrayGetLBound(array, 1, &lbound);
    ok_(__FILE__, line)(hr == S_OK && !lbound, "Got hr %#lx, lower bound %ld.\n", hr, lbound);
    hr = SafeArrayGetUBound(array, 1, &ubound);
    ok_(__FILE__, line)(hr == S_OK && ubound == (LONG)count - 1, "Got hr %#lx, upper bound %ld, expected %ld.\n",
            hr, ubound, (LONG)count - 1);
    for (i = 0; i < (LONG)count && i <= ubound; ++i)
    {
        BSTR str = NULL;

        hr = SafeArrayGetElement(array, &i, &str);
        ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
        ok_(__FILE__, line)(str && !wcscmp(str, expected[i]), "Element %ld: got %s, expected %s.\n", i,
                dbgstr_w(str), dbgstr_w(expected[i]));
        SysFreeString(str);
    }
}

static BOOL array_has_string(SAFEARRAY *array, const WCHAR *string)
{
    LONG lbound, ubound, i;
    BOOL found = FALSE;

    SafeArrayGetLBound(array, 1, &lbound);
    SafeArrayGetUBound(array, 1, &ubound);
    for (i = lbound; i <= ubound && !found; ++i)
    {
        BSTR str = NULL;

        SafeArrayGetElement(array, &i, &str);
        found = str && !wcscmp(str, string);
        SysFreeString(str);
    }
    return found;
}

#define list_cards(a, b, c, d, e) list_cards_(__LINE__, a, b, c, d, e)
static void list_cards_(unsigned int line, ISCardDatabase *database, const BYTE *atr, LONG atr_size,
        SAFEARRAY *guids, const WCHAR *expected)
{
    IByteBuffer *buffer = atr ? create_buffer_with(atr, atr_size) : NULL;
    SAFEARRAY *names = (SAFEARRAY *)0xdeadbeef;
    HRESULT hr;

    hr = ISCardDatabase_ListCards(database, buffer, guids, 0x0409, &names);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings_(line, names, &expected, expected ? 1 : 0);
    SafeArrayDestroy(names);
    if (buffer)
        IByteBuffer_Release(buffer);
}

static void test_readers(ISCardDatabase *database)
{
    static const WCHAR *default_group[] = {L"SCard$DefaultReaders"};
    SAFEARRAY *array;
    HRESULT hr;

    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListReaders(database, 0x0409, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, stack_readers, ARRAY_SIZE(stack_readers));
    SafeArrayDestroy(array);

    /* the locale changes nothing */
    array = NULL;
    hr = ISCardDatabase_ListReaders(database, 0, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, stack_readers, ARRAY_SIZE(stack_readers));
    SafeArrayDestroy(array);
    array = NULL;
    hr = ISCardDatabase_ListReaders(database, 0x0411, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, stack_readers, ARRAY_SIZE(stack_readers));
    SafeArrayDestroy(array);

    hr = ISCardDatabase_ListReaders(database, 0x0409, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListReaderGroups(database, 0x0409, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, default_group, ARRAY_SIZE(default_group));
    SafeArrayDestroy(array);

    hr = ISCardDatabase_ListReaderGroups(database, 0x0409, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
}

static void test_card_database(ISCardDatabase *database, SCARDCONTEXT context)
{
    static const WCHAR *dummy_interfaces[] = {dummy_primary_str, dummy_second_str};
    static const WCHAR *second_lower[] = {L"382ae95a-7c2c-449c-a179-56c6de6ff3bc"};
    static const WCHAR *second_braced[] = {dummy_second_str};
    static const WCHAR *unknown_guid[] = {L"{00000000-1111-2222-3333-444444444444}"};
    static const BYTE masked_atr[] = {0x3b, 0x75, 0x94, 0x00, 0x5a, 0x62, 0x02, 0x02, 0x01, 0x01};
    static const BYTE other_atr[] = {0x3b, 0x75, 0x94, 0x00, 0x00, 0x62, 0x02, 0x02, 0x01, 0x02};
    static const BYTE long_atr[] = {0x3b, 0x75, 0x94, 0x00, 0x00, 0x62, 0x02, 0x02, 0x01, 0x01, 0x99, 0x98};
    const GUID interfaces[] = {dummy_primary, dummy_second};
    SAFEARRAY *guids, *array;
    IByteBuffer *buffer;
    GUID *guid;
    BSTR name;
    LONG ret;
    HRESULT hr;

    SCardForgetCardTypeW(context, dummy_name);
    ret = SCardIntroduceCardTypeW(context, dummy_name, &dummy_primary, interfaces, ARRAY_SIZE(interfaces),
            dummy_atr, dummy_mask, sizeof(dummy_atr));
    ok(!ret, "SCardIntroduceCardTypeW returned %#lx.\n", ret);

    /* by ATR: the masked-out byte does not count, the others do */
    list_cards(database, dummy_atr, sizeof(dummy_atr), NULL, dummy_name);
    list_cards(database, masked_atr, sizeof(masked_atr), NULL, dummy_name);
    list_cards(database, other_atr, sizeof(other_atr), NULL, NULL);
    /* bytes past the length the ATR declares are not part of it */
    list_cards(database, long_atr, sizeof(long_atr), NULL, dummy_name);

    /* by interface, braced or not, any case */
    guids = create_bstr_array(second_braced, 1);
    list_cards(database, NULL, 0, guids, dummy_name);
    list_cards(database, dummy_atr, sizeof(dummy_atr), guids, dummy_name);
    list_cards(database, other_atr, sizeof(other_atr), guids, NULL);
    SafeArrayDestroy(guids);
    guids = create_bstr_array(second_lower, 1);
    list_cards(database, NULL, 0, guids, dummy_name);
    SafeArrayDestroy(guids);
    guids = create_bstr_array(dummy_interfaces, 2);
    list_cards(database, NULL, 0, guids, dummy_name);
    SafeArrayDestroy(guids);
    guids = create_bstr_array(unknown_guid, 1);
    list_cards(database, NULL, 0, guids, NULL);
    list_cards(database, dummy_atr, sizeof(dummy_atr), guids, NULL);
    SafeArrayDestroy(guids);

    /* an empty GUID array and an empty buffer are no condition */
    guids = SafeArrayCreateVector(VT_BSTR, 0, 0);
    list_cards(database, dummy_atr, sizeof(dummy_atr), guids, dummy_name);
    SafeArrayDestroy(guids);
    array = NULL;
    buffer = create_buffer_with(NULL, 0);
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0x0409, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array && array_has_string(array, dummy_name), "dummycard not listed.\n");
    SafeArrayDestroy(array);
    IByteBuffer_Release(buffer);

    /* no condition at all: every card */
    array = NULL;
    hr = ISCardDatabase_ListCards(database, NULL, NULL, 0x0409, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(array && array_has_string(array, dummy_name), "dummycard not listed.\n");
    SafeArrayDestroy(array);

    /* the ATR is read whole from offset 0, wherever the seek pointer is */
    buffer = create_buffer_with(dummy_atr, sizeof(dummy_atr));
    hr = IByteBuffer_Seek(buffer, 4, STREAM_SEEK_SET, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    array = NULL;
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0x0409, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, dummy_names, 1);
    SafeArrayDestroy(array);
    IByteBuffer_Release(buffer);

    array = NULL;
    hr = ISCardDatabase_ListCardInterfaces(database, (BSTR)dummy_name, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, dummy_interfaces, ARRAY_SIZE(dummy_interfaces));
    SafeArrayDestroy(array);

    /* what ListCardInterfaces hands out is taken back */
    guids = create_bstr_array(dummy_interfaces + 1, 1);
    list_cards(database, NULL, 0, guids, dummy_name);
    SafeArrayDestroy(guids);

    guid = (GUID *)0xdeadbeef;
    name = SysAllocString(dummy_name);
    hr = ISCardDatabase_GetProviderCardId(database, name, &guid);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(guid && guid != (GUID *)0xdeadbeef && IsEqualGUID(guid, &dummy_primary), "Got %s.\n",
            guid && guid != (GUID *)0xdeadbeef ? dbgstr_guid(guid) : "no GUID");
    CoTaskMemFree(guid);
    SysFreeString(name);

    ret = SCardForgetCardTypeW(context, dummy_name);
    ok(!ret, "SCardForgetCardTypeW returned %#lx.\n", ret);

    list_cards(database, dummy_atr, sizeof(dummy_atr), NULL, NULL);
    guid = (GUID *)0xdeadbeef;
    hr = ISCardDatabase_GetProviderCardId(database, (BSTR)dummy_name, &guid);
    ok(hr == SCARD_E_UNKNOWN_CARD, "Got hr %#lx.\n", hr);
    ok(!guid, "Got %p.\n", guid);
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCardInterfaces(database, (BSTR)dummy_name, &array);
    ok(hr == SCARD_E_UNKNOWN_CARD, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
}

/* the calls shown on the ISCardDatabase pages (spec 6.2) */
static void test_examples(ISCardDatabase *database)
{
    static const BYTE example_atr[] = {0x3b, 0x27, 0x00, 0x80, 0x65, 0xa2, 0x0c, 0x01, 0x01, 0x37};
    IByteBuffer *buffer;
    SAFEARRAY *array;
    GUID *guid;
    BSTR name;
    HRESULT hr;

    name = SysAllocString(L"My Card");
    guid = (GUID *)0xdeadbeef;
    hr = ISCardDatabase_GetProviderCardId(database, name, &guid);
    ok(hr == SCARD_E_UNKNOWN_CARD, "Got hr %#lx.\n", hr);
    ok(!guid, "Got %p.\n", guid);
    SysFreeString(name);

    name = SysAllocString(L"GemSAFE");
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCardInterfaces(database, name, &array);
    ok(hr == SCARD_E_UNKNOWN_CARD, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    SysFreeString(name);

    /* Initialize(sizeof(atr), atr) then straight to ListCards: no card of that ATR here */
    buffer = create_buffer_with(example_atr, sizeof(example_atr));
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, NULL, 0);
    SafeArrayDestroy(array);
    IByteBuffer_Release(buffer);
}

static void test_bad_input(ISCardDatabase *database)
{
    static const WCHAR *bad_guids[][1] =
    {
        {L"not a guid"},
        {L"Scripting.Dictionary"},
        {L"{382AE95A-7C2C-449C-A179-56C6DE6FF3BC"},
        {L"{382AE95A-7C2C-449C-A179-56C6DE6FF3BCX}"},
        {L"382AE95A-7C2C-449C-A179+56C6DE6FF3BC"},
        {L"{382AE95A-7C2C-449C-A179-56C6DE6FF3BG}"},
        {L""},
    };
    static const BYTE short_atr[] = {0x3b, 0x75, 0x94, 0x00, 0x00, 0x62, 0x02, 0x02};
    static const BYTE one_byte[] = {0x3b};
    SAFEARRAYBOUND bounds[2] = {{1, 0}, {1, 0}};
    SAFEARRAY *array, *guids;
    IByteBuffer *buffer;
    VARIANT *variants;
    unsigned int i;
    GUID *guid;
    LONG index;
    HRESULT hr;

    hr = ISCardDatabase_ListCards(database, NULL, NULL, 0x0409, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardDatabase_ListCardInterfaces(database, (BSTR)dummy_name, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
    hr = ISCardDatabase_GetProviderCardId(database, (BSTR)dummy_name, NULL);
    ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCardInterfaces(database, NULL, &array);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    guid = (GUID *)0xdeadbeef;
    hr = ISCardDatabase_GetProviderCardId(database, NULL, &guid);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!guid, "Got %p.\n", guid);

    for (i = 0; i < ARRAY_SIZE(bad_guids); ++i)
    {
        winetest_push_context("GUID %u", i);
        guids = create_bstr_array(bad_guids[i], 1);
        array = (SAFEARRAY *)0xdeadbeef;
        hr = ISCardDatabase_ListCards(database, NULL, guids, 0x0409, &array);
        ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
        ok(!array, "Got %p.\n", array);
        SafeArrayDestroy(guids);
        winetest_pop_context();
    }

    /* a GUID array of the wrong element type */
    guids = SafeArrayCreateVector(VT_I4, 0, 1);
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCards(database, NULL, guids, 0x0409, &array);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    SafeArrayDestroy(guids);

    /* or of two dimensions */
    guids = SafeArrayCreate(VT_BSTR, 2, bounds);
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCards(database, NULL, guids, 0x0409, &array);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    SafeArrayDestroy(guids);

    /* an array of VARIANTs (what a script builds) holding BSTRs is taken, other contents are not */
    guids = SafeArrayCreateVector(VT_VARIANT, 0, 1);
    hr = SafeArrayAccessData(guids, (void **)&variants);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    V_VT(&variants[0]) = VT_BSTR;
    V_BSTR(&variants[0]) = SysAllocString(L"{00000000-1111-2222-3333-444444444444}");
    SafeArrayUnaccessData(guids);
    array = NULL;
    hr = ISCardDatabase_ListCards(database, NULL, guids, 0x0409, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_strings(array, NULL, 0);
    SafeArrayDestroy(array);
    index = 0;
    {
        VARIANT v;

        V_VT(&v) = VT_I4;
        V_I4(&v) = 7;
        hr = SafeArrayPutElement(guids, &index, &v);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
    }
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCards(database, NULL, guids, 0x0409, &array);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    SafeArrayDestroy(guids);

    /* an ATR shorter than its own bytes say */
    buffer = create_buffer_with(short_atr, sizeof(short_atr));
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0x0409, &array);
    ok(hr == SCARD_E_INVALID_ATR, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    IByteBuffer_Release(buffer);
    buffer = create_buffer_with(one_byte, sizeof(one_byte));
    array = (SAFEARRAY *)0xdeadbeef;
    hr = ISCardDatabase_ListCards(database, buffer, NULL, 0x0409, &array);
    ok(hr == SCARD_E_INVALID_ATR, "Got hr %#lx.\n", hr);
    ok(!array, "Got %p.\n", array);
    IByteBuffer_Release(buffer);
}

static void test_dispatch(ISCardDatabase *database)
{
    static const WCHAR *names[] = {L"ListReaders", L"ListReaderGroups", L"ListCards", L"ListCardInterfaces",
            L"GetProviderCardId"};
    static const DISPID expected_ids[] = {4, 3, 2, 1, 0};
    static const BYTE example_atr[] = {0x3b, 0x27, 0x00, 0x80, 0x65, 0xa2, 0x0c, 0x01, 0x01, 0x37};
    DISPPARAMS params = {0};
    IDispatch *dispatch;
    IByteBuffer *buffer;
    VARIANT result, args[2];
    unsigned int i;
    DISPID id;
    HRESULT hr;

    hr = ISCardDatabase_QueryInterface(database, &IID_IDispatch, (void **)&dispatch);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    for (i = 0; i < ARRAY_SIZE(names); ++i)
    {
        LPOLESTR name = (LPOLESTR)names[i];

        id = -1;
        hr = IDispatch_GetIDsOfNames(dispatch, &IID_NULL, &name, 1, 0x0409, &id);
        ok(hr == S_OK, "%s: got hr %#lx.\n", dbgstr_w(names[i]), hr);
        ok(id == expected_ids[i], "%s: got id %ld.\n", dbgstr_w(names[i]), id);
    }

    /* the [lcid] parameter comes from Invoke's lcid, not from the arguments */
    VariantInit(&result);
    hr = IDispatch_Invoke(dispatch, 4, &IID_NULL, 0x0407, DISPATCH_METHOD, &params, &result, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == (VT_ARRAY | VT_BSTR), "Got type %#x.\n", V_VT(&result));
    if (V_VT(&result) == (VT_ARRAY | VT_BSTR))
        check_strings(V_ARRAY(&result), stack_readers, ARRAY_SIZE(stack_readers));
    VariantClear(&result);

    VariantInit(&result);
    hr = IDispatch_Invoke(dispatch, 4, &IID_NULL, 0, DISPATCH_METHOD, &params, &result, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == (VT_ARRAY | VT_BSTR), "Got type %#x.\n", V_VT(&result));
    if (V_VT(&result) == (VT_ARRAY | VT_BSTR))
        check_strings(V_ARRAY(&result), stack_readers, ARRAY_SIZE(stack_readers));
    VariantClear(&result);

    /* ListCards(buffer, Array()) as a script calls it: the empty VARIANT array is no condition */
    buffer = create_buffer_with(example_atr, sizeof(example_atr));
    V_VT(&args[1]) = VT_DISPATCH;
    V_DISPATCH(&args[1]) = (IDispatch *)buffer;
    V_VT(&args[0]) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(&args[0]) = SafeArrayCreateVector(VT_VARIANT, 0, 0);
    params.cArgs = 2;
    params.rgvarg = args;
    VariantInit(&result);
    hr = IDispatch_Invoke(dispatch, 2, &IID_NULL, 0x0407, DISPATCH_METHOD, &params, &result, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == (VT_ARRAY | VT_BSTR), "Got type %#x.\n", V_VT(&result));
    if (V_VT(&result) == (VT_ARRAY | VT_BSTR))
        check_strings(V_ARRAY(&result), NULL, 0);
    VariantClear(&result);
    SafeArrayDestroy(V_ARRAY(&args[0]));
    IByteBuffer_Release(buffer);

    IDispatch_Release(dispatch);
}

static void test_interfaces(ISCardDatabase *database)
{
    IUnknown *unk;
    HRESULT hr;

    hr = ISCardDatabase_QueryInterface(database, &IID_IUnknown, (void **)&unk);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(unk == (IUnknown *)database, "Got %p, expected %p.\n", unk, database);
    IUnknown_Release(unk);
    unk = (IUnknown *)0xdeadbeef;
    hr = ISCardDatabase_QueryInterface(database, &IID_ISCardLocate, (void **)&unk);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);
}

START_TEST(database)
{
    ISCardDatabase *database;
    SCARDCONTEXT context = 0;
    ULONG refcount;
    LONG ret;

    CoInitialize(NULL);

    database = create_database();
    if (!database)
    {
        CoUninitialize();
        return;
    }
    test_interfaces(database);

    /* tests/run-wine started the stack this program's name asks for */
    if (stack_protocol())
    {
        ret = SCardEstablishContext(SCARD_SCOPE_USER, NULL, NULL, &context);
        ok(!ret, "No resource manager in the reader stack: SCardEstablishContext returned %#lx.\n", ret);
        if (!ret)
        {
            lock_card_database();
            test_readers(database);
            test_card_database(database, context);
            test_examples(database);
            test_bad_input(database);
            test_dispatch(database);
            unlock_card_database();
            SCardReleaseContext(context);
        }
    }

    refcount = ISCardDatabase_Release(database);
    ok(!refcount, "Got refcount %lu.\n", refcount);
    CoUninitialize();
}
