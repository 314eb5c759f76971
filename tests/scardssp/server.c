/*
 * Tests for the COM server: class objects, server lifetime, object
 * identity, IDispatch type information and the type library
 *
 * min-checks: 1800 (tests/run-wine fails a run with fewer)
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
#include "scardssp.h"

#include "wine/test.h"

static HRESULT (WINAPI *pDllGetClassObject)(REFCLSID, REFIID, void **);
static HRESULT (WINAPI *pDllCanUnloadNow)(void);

static const GUID LIBID_scardssp = {0x82c38704, 0x19f1, 0x11d3, {0xa1, 0x1f, 0x00, 0xc0, 0x4f, 0x79, 0xf8, 0x00}};
/* the proxy/stub class: MIDL's convention, the IID of the first interface */
static const GUID CLSID_scardssp_ps = {0xe126f8fe, 0xa7af, 0x11d0, {0xb8, 0x8a, 0x00, 0xc0, 0x4f, 0xd4, 0x24, 0xb9}};
static const GUID CLSID_unknown = {0x12345678, 0x1234, 0x1234, {0x12, 0x34, 0x12, 0x34, 0x12, 0x34, 0x12, 0x34}};

/* A member as in the specification's §4 tables: its name, DISPID, the
 * vtable slot of its first accessor and the kinds of accessor it has. */
struct member
{
    const WCHAR *name;
    DISPID dispid;
    unsigned int slot;
    unsigned int kinds;     /* INVOKE_FUNC, or INVOKE_PROPERTYGET | INVOKE_PROPERTYPUT in slot order */
};

#define GET INVOKE_PROPERTYGET
#define PUT INVOKE_PROPERTYPUT
#define GETPUT (INVOKE_PROPERTYGET | INVOKE_PROPERTYPUT)
#define FUNC INVOKE_FUNC

static const struct member bytebuffer_members[] =
{
    {L"Stream", 0, 7, GETPUT}, {L"Clone", 1, 9, FUNC}, {L"Commit", 2, 10, FUNC}, {L"CopyTo", 3, 11, FUNC},
    {L"Initialize", 4, 12, FUNC}, {L"LockRegion", 5, 13, FUNC}, {L"Read", 6, 14, FUNC},
    {L"Revert", 7, 15, FUNC}, {L"Seek", 8, 16, FUNC}, {L"SetSize", 9, 17, FUNC}, {L"Stat", 10, 18, FUNC},
    {L"UnlockRegion", 11, 19, FUNC}, {L"Write", 12, 20, FUNC},
};

static const struct member typeconv_members[] =
{
    {L"ConvertByteArrayToByteBuffer", 0, 7, FUNC}, {L"ConvertByteBufferToByteArray", 1, 8, FUNC},
    {L"ConvertByteBufferToSafeArray", 2, 9, FUNC}, {L"ConvertSafeArrayToByteBuffer", 3, 10, FUNC},
    {L"CreateByteArray", 4, 11, FUNC}, {L"CreateByteBuffer", 5, 12, FUNC}, {L"CreateSafeArray", 6, 13, FUNC},
    {L"FreeIStreamMemoryPtr", 7, 14, FUNC}, {L"GetAtIStreamMemory", 8, 15, FUNC}, {L"SizeOfIStream", 9, 16, FUNC},
};

static const struct member cmd_members[] =
{
    {L"Apdu", 0, 7, GETPUT}, {L"ApduLength", 1, 9, GET}, {L"ApduReply", 2, 10, GETPUT},
    {L"ApduReplyLength", 3, 12, GETPUT}, {L"ClassId", 4, 14, GETPUT}, {L"Data", 5, 16, GETPUT},
    {L"InstructionId", 6, 18, GETPUT}, {L"LeField", 7, 20, GET}, {L"P1", 8, 21, GETPUT}, {L"P2", 9, 23, GETPUT},
    {L"P3", 10, 25, GET}, {L"ReplyStatus", 11, 26, GETPUT}, {L"ReplyStatusSW1", 12, 28, GET},
    {L"ReplyStatusSW2", 13, 29, GET}, {L"Type", 14, 30, GET}, {L"Nad", 18, 31, GETPUT},
    {L"ReplyNad", 19, 33, GETPUT}, {L"BuildCmd", 15, 35, FUNC}, {L"Clear", 16, 36, FUNC},
    {L"Encapsulate", 17, 37, FUNC}, {L"AlternateClassId", 20, 38, GETPUT},
};

static const struct member iso7816_members[] =
{
    {L"AppendRecord", 0, 7, FUNC}, {L"EraseBinary", 1, 8, FUNC}, {L"ExternalAuthenticate", 2, 9, FUNC},
    {L"GetChallenge", 3, 10, FUNC}, {L"GetData", 4, 11, FUNC}, {L"GetResponse", 5, 12, FUNC},
    {L"InternalAuthenticate", 6, 13, FUNC}, {L"ManageChannel", 7, 14, FUNC}, {L"PutData", 8, 15, FUNC},
    {L"ReadBinary", 9, 16, FUNC}, {L"ReadRecord", 10, 17, FUNC}, {L"SelectFile", 11, 18, FUNC},
    {L"SetDefaultClassId", 12, 19, FUNC}, {L"UpdateBinary", 13, 20, FUNC}, {L"UpdateRecord", 14, 21, FUNC},
    {L"Verify", 15, 22, FUNC}, {L"WriteBinary", 16, 23, FUNC}, {L"WriteRecord", 17, 24, FUNC},
};

static const struct member card_members[] =
{
    {L"Atr", 0, 7, GET}, {L"CardHandle", 1, 8, GET}, {L"Context", 2, 9, GET}, {L"Protocol", 3, 10, GET},
    {L"Status", 4, 11, GET}, {L"AttachByHandle", 5, 12, FUNC}, {L"AttachByReader", 6, 13, FUNC},
    {L"Detach", 7, 14, FUNC}, {L"LockSCard", 8, 15, FUNC}, {L"ReAttach", 9, 16, FUNC},
    {L"Transaction", 10, 17, FUNC}, {L"UnlockSCard", 11, 18, FUNC},
};

static const struct member database_members[] =
{
    {L"GetProviderCardId", 0, 7, FUNC}, {L"ListCardInterfaces", 1, 8, FUNC}, {L"ListCards", 2, 9, FUNC},
    {L"ListReaderGroups", 3, 10, FUNC}, {L"ListReaders", 4, 11, FUNC},
};

static const struct member locate_members[] =
{
    {L"ConfigureCardGuidSearch", 0, 7, FUNC}, {L"ConfigureCardNameSearch", 1, 8, FUNC}, {L"FindCard", 2, 9, FUNC},
};

static const struct server_class
{
    const char *name;
    const CLSID *clsid;
    const IID *iid;
    const WCHAR *iface_name;
    const WCHAR *class_name;
    const WCHAR *class_doc;
    const struct member *members;
    unsigned int member_count;
    unsigned int funcs;     /* vtable members past IDispatch */
    unsigned int slots;     /* the whole vtable, as the MIDL proxy declares it */
}
classes[] =
{
    {"CByteBuffer", &CLSID_CByteBuffer, &IID_IByteBuffer, L"IByteBuffer", L"CByteBuffer", L"ByteBuffer Class",
        bytebuffer_members, ARRAY_SIZE(bytebuffer_members), 14, 21},
    {"CSCardTypeConv", &CLSID_CSCardTypeConv, &IID_ISCardTypeConv, L"ISCardTypeConv", L"CSCardTypeConv",
        L"SCardTypeConv Class", typeconv_members, ARRAY_SIZE(typeconv_members), 10, 17},
    {"CSCardCmd", &CLSID_CSCardCmd, &IID_ISCardCmd, L"ISCardCmd", L"CSCardCmd", L"SCardCmd Class",
        cmd_members, ARRAY_SIZE(cmd_members), 33, 40},
    {"CSCardISO7816", &CLSID_CSCardISO7816, &IID_ISCardISO7816, L"ISCardISO7816", L"CSCardISO7816",
        L"SCardISO7816 Class", iso7816_members, ARRAY_SIZE(iso7816_members), 18, 25},
    {"CSCard", &CLSID_CSCard, &IID_ISCard, L"ISCard", L"CSCard", L"SCard Class",
        card_members, ARRAY_SIZE(card_members), 12, 19},
    {"CSCardDatabase", &CLSID_CSCardDatabase, &IID_ISCardDatabase, L"ISCardDatabase", L"CSCardDatabase",
        L"SCardDatabase Class", database_members, ARRAY_SIZE(database_members), 5, 12},
    {"CSCardLocate", &CLSID_CSCardLocate, &IID_ISCardLocate, L"ISCardLocate", L"CSCardLocate",
        L"SCardLocate Class", locate_members, ARRAY_SIZE(locate_members), 3, 10},
};

static char *next_buffer(void)
{
    static char buffers[8][128];
    static LONG next;

    return buffers[InterlockedIncrement(&next) % ARRAY_SIZE(buffers)];
}

static const char *wine_dbgstr_w(const WCHAR *str)
{
    char *buffer = next_buffer();

    if (!str)
        return "(null)";
    WideCharToMultiByte(CP_UTF8, 0, str, -1, buffer, 128, NULL, NULL);
    buffer[127] = 0;
    return buffer;
}

static const char *wine_dbgstr_guid(const GUID *guid)
{
    char *buffer = next_buffer();

    sprintf(buffer, "{%08lx-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x}", guid->Data1, guid->Data2,
            guid->Data3, guid->Data4[0], guid->Data4[1], guid->Data4[2], guid->Data4[3], guid->Data4[4],
            guid->Data4[5], guid->Data4[6], guid->Data4[7]);
    return buffer;
}

static ULONG get_refcount(void *iface)
{
    IUnknown *unknown = iface;

    IUnknown_AddRef(unknown);
    return IUnknown_Release(unknown);
}

/* An instance of the class.  Every class is created without a smart card
 * service: CSCard reaches one only when it attaches (README, "ISCard
 * creation"). */
static IUnknown *create_object(const struct server_class *class, REFIID riid)
{
    IUnknown *unk = (IUnknown *)0xdeadbeef;
    HRESULT hr;

    hr = CoCreateInstance(class->clsid, NULL, CLSCTX_INPROC_SERVER, riid, (void **)&unk);
    ok(hr == S_OK, "%s: got hr %#lx.\n", class->name, hr);
    return SUCCEEDED(hr) ? unk : NULL;
}

static void test_class_objects(void)
{
    IClassFactory *factory, *factory2;
    IUnknown *unk;
    unsigned int i;
    HRESULT hr;

    ok(pDllCanUnloadNow() == S_OK, "Got hr %#lx.\n", pDllCanUnloadNow());

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        winetest_push_context("%s", classes[i].name);

        factory = NULL;
        hr = pDllGetClassObject(classes[i].clsid, &IID_IClassFactory, (void **)&factory);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(pDllCanUnloadNow() == S_FALSE, "A live class object allows unloading.\n");

        unk = NULL;
        hr = pDllGetClassObject(classes[i].clsid, &IID_IUnknown, (void **)&unk);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(unk == (IUnknown *)factory, "Got %p and %p.\n", unk, factory);
        IUnknown_Release(unk);

        unk = (IUnknown *)0xdeadbeef;
        hr = pDllGetClassObject(classes[i].clsid, &IID_IDispatch, (void **)&unk);
        ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
        ok(!unk, "Got %p.\n", unk);
        unk = (IUnknown *)0xdeadbeef;
        hr = pDllGetClassObject(classes[i].clsid, classes[i].iid, (void **)&unk);
        ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
        ok(!unk, "Got %p.\n", unk);
        hr = pDllGetClassObject(classes[i].clsid, &IID_IClassFactory, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

        hr = IClassFactory_QueryInterface(factory, &IID_IClassFactory, (void **)&factory2);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(factory2 == factory, "Got %p and %p.\n", factory2, factory);
        IClassFactory_Release(factory2);
        unk = (IUnknown *)0xdeadbeef;
        hr = IClassFactory_QueryInterface(factory, &IID_IClassFactory2, (void **)&unk);
        ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
        ok(!unk, "Got %p.\n", unk);
        hr = IClassFactory_QueryInterface(factory, &IID_IClassFactory, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

        /* aggregation is not supported */
        unk = (IUnknown *)0xdeadbeef;
        hr = IClassFactory_CreateInstance(factory, (IUnknown *)factory, &IID_IUnknown, (void **)&unk);
        ok(hr == CLASS_E_NOAGGREGATION, "Got hr %#lx.\n", hr);
        ok(!unk, "Got %p.\n", unk);
        hr = IClassFactory_CreateInstance(factory, NULL, &IID_IUnknown, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
        unk = (IUnknown *)0xdeadbeef;
        hr = IClassFactory_CreateInstance(factory, NULL, &IID_IClassFactory, (void **)&unk);
        if (classes[i].clsid != &CLSID_CSCard || HRESULT_FACILITY(hr) != FACILITY_SCARD)
            ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
        ok(!unk, "Got %p.\n", unk);
        ok(pDllCanUnloadNow() == S_FALSE, "A live class object allows unloading.\n");

        /* an object keeps the server loaded, and so does a lock */
        unk = NULL;
        hr = IClassFactory_CreateInstance(factory, NULL, classes[i].iid, (void **)&unk);
        if (classes[i].clsid != &CLSID_CSCard || HRESULT_FACILITY(hr) != FACILITY_SCARD)
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = IClassFactory_LockServer(factory, TRUE);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        IClassFactory_Release(factory);
        ok(pDllCanUnloadNow() == S_FALSE, "A lock allows unloading.\n");
        if (unk)
        {
            ok(get_refcount(unk) == 1, "Got refcount %lu.\n", get_refcount(unk));
            IUnknown_Release(unk);
        }
        ok(pDllCanUnloadNow() == S_FALSE, "A lock allows unloading.\n");

        hr = pDllGetClassObject(classes[i].clsid, &IID_IClassFactory, (void **)&factory);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = IClassFactory_LockServer(factory, FALSE);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(pDllCanUnloadNow() == S_FALSE, "A live class object allows unloading.\n");
        IClassFactory_Release(factory);
        ok(pDllCanUnloadNow() == S_OK, "Got hr %#lx.\n", pDllCanUnloadNow());

        winetest_pop_context();
    }

    /* a class the server does not have */
    unk = (IUnknown *)0xdeadbeef;
    hr = pDllGetClassObject(&CLSID_unknown, &IID_IClassFactory, (void **)&unk);
    ok(hr == CLASS_E_CLASSNOTAVAILABLE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);

    /* the proxy/stub factory, which COM asks for IPSFactoryBuffer; it is
     * no class factory */
    unk = NULL;
    hr = pDllGetClassObject(&CLSID_scardssp_ps, &IID_IPSFactoryBuffer, (void **)&unk);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!unk, "Got no factory.\n");
    ok(pDllCanUnloadNow() == S_FALSE, "A live proxy/stub factory allows unloading.\n");
    if (unk)
        IUnknown_Release(unk);
    unk = (IUnknown *)0xdeadbeef;
    hr = pDllGetClassObject(&CLSID_scardssp_ps, &IID_IClassFactory, (void **)&unk);
    ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
    ok(!unk, "Got %p.\n", unk);
    ok(pDllCanUnloadNow() == S_OK, "Got hr %#lx.\n", pDllCanUnloadNow());
}

static void test_objects(void)
{
    IUnknown *unk, *unk2, *iface, *disp;
    unsigned int i, j;
    ITypeInfo *info;
    TYPEATTR *attr;
    UINT count;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        winetest_push_context("%s", classes[i].name);
        if (!(unk = create_object(&classes[i], &IID_IUnknown)))
        {
            winetest_pop_context();
            continue;
        }
        ok(get_refcount(unk) == 1, "Got refcount %lu.\n", get_refcount(unk));

        hr = IUnknown_QueryInterface(unk, classes[i].iid, (void **)&iface);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = IUnknown_QueryInterface(unk, &IID_IDispatch, (void **)&disp);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = IUnknown_QueryInterface(iface, &IID_IUnknown, (void **)&unk2);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(unk2 == unk, "IUnknown %p is not %p.\n", unk2, unk);
        ok(get_refcount(unk) == 4, "Got refcount %lu.\n", get_refcount(unk));
        IUnknown_Release(unk2);

        /* none of the other interfaces, nor the usual optional ones */
        for (j = 0; j < ARRAY_SIZE(classes); ++j)
        {
            if (j == i) continue;
            unk2 = (IUnknown *)0xdeadbeef;
            hr = IUnknown_QueryInterface(unk, classes[j].iid, (void **)&unk2);
            ok(hr == E_NOINTERFACE, "%s: got hr %#lx.\n", classes[j].name, hr);
            ok(!unk2, "Got %p.\n", unk2);
        }
        unk2 = (IUnknown *)0xdeadbeef;
        hr = IUnknown_QueryInterface(unk, &IID_IPersist, (void **)&unk2);
        ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
        ok(!unk2, "Got %p.\n", unk2);
        unk2 = (IUnknown *)0xdeadbeef;
        hr = IUnknown_QueryInterface(unk, &IID_IClassFactory, (void **)&unk2);
        ok(hr == E_NOINTERFACE, "Got hr %#lx.\n", hr);
        ok(!unk2, "Got %p.\n", unk2);
        hr = IUnknown_QueryInterface(unk, &IID_IUnknown, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

        count = 0xdeadbeef;
        hr = IDispatch_GetTypeInfoCount((IDispatch *)disp, &count);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(count == 1, "Got count %u.\n", count);
        hr = IDispatch_GetTypeInfoCount((IDispatch *)disp, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

        info = (ITypeInfo *)0xdeadbeef;
        hr = IDispatch_GetTypeInfo((IDispatch *)disp, 1, 0, &info);
        ok(hr == DISP_E_BADINDEX, "Got hr %#lx.\n", hr);
        ok(!info, "Got %p.\n", info);
        hr = IDispatch_GetTypeInfo((IDispatch *)disp, 0, 0, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
        info = NULL;
        hr = IDispatch_GetTypeInfo((IDispatch *)disp, 0, LOCALE_SYSTEM_DEFAULT, &info);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (info)
        {
            hr = ITypeInfo_GetTypeAttr(info, &attr);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            ok(IsEqualGUID(&attr->guid, classes[i].iid), "Got %s.\n", wine_dbgstr_guid(&attr->guid));
            ok(attr->typekind == TKIND_INTERFACE, "Got typekind %d.\n", attr->typekind);
            ITypeInfo_ReleaseTypeAttr(info, attr);
            ITypeInfo_Release(info);
        }

        IUnknown_Release(disp);
        IUnknown_Release(iface);
        ok(IUnknown_Release(unk) == 0, "Object still referenced.\n");
        winetest_pop_context();
    }
    ok(pDllCanUnloadNow() == S_OK, "Got hr %#lx.\n", pDllCanUnloadNow());
}

static void test_ids_of_names(void)
{
    const struct member *member;
    WCHAR lower[64], *names[2];
    DISPID ids[2];
    IDispatch *disp;
    unsigned int i, j, k;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        winetest_push_context("%s", classes[i].name);
        if (!(disp = (IDispatch *)create_object(&classes[i], &IID_IDispatch)))
        {
            winetest_pop_context();
            continue;
        }

        for (j = 0; j < classes[i].member_count; ++j)
        {
            member = &classes[i].members[j];
            names[0] = (WCHAR *)member->name;
            ids[0] = 0xdeadbeef;
            hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 1, LOCALE_USER_DEFAULT, ids);
            ok(hr == S_OK, "%s: got hr %#lx.\n", wine_dbgstr_w(member->name), hr);
            ok(ids[0] == member->dispid, "%s: got DISPID %ld, expected %ld.\n",
                    wine_dbgstr_w(member->name), ids[0], member->dispid);

            /* names are case insensitive */
            for (k = 0; member->name[k]; ++k)
                lower[k] = (member->name[k] >= 'A' && member->name[k] <= 'Z') ? member->name[k] + 32 : member->name[k];
            lower[k] = 0;
            names[0] = lower;
            ids[0] = 0xdeadbeef;
            hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 1, 0x0407, ids);
            ok(hr == S_OK, "%s: got hr %#lx.\n", wine_dbgstr_w(lower), hr);
            ok(ids[0] == member->dispid, "%s: got DISPID %ld.\n", wine_dbgstr_w(lower), ids[0]);
        }

        names[0] = (WCHAR *)L"NoSuchMember";
        ids[0] = 0xdeadbeef;
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 1, LOCALE_USER_DEFAULT, ids);
        ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);
        ok(ids[0] == DISPID_UNKNOWN, "Got DISPID %ld.\n", ids[0]);
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, NULL, 1, LOCALE_USER_DEFAULT, ids);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
        names[0] = (WCHAR *)classes[i].members[0].name;
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 1, LOCALE_USER_DEFAULT, NULL);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);

        IDispatch_Release(disp);
        winetest_pop_context();
    }

    /* parameter names get their positions */
    if ((disp = (IDispatch *)create_object(&classes[2], &IID_IDispatch)))
    {
        names[0] = (WCHAR *)L"BuildCmd";
        names[1] = (WCHAR *)L"byP2";
        ids[0] = ids[1] = 0xdeadbeef;
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 2, LOCALE_USER_DEFAULT, ids);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(ids[0] == 15, "Got DISPID %ld.\n", ids[0]);
        ok(ids[1] == 3, "Got DISPID %ld.\n", ids[1]);
        IDispatch_Release(disp);
    }
}

/* Each member's accessors, in the order and at the vtable slots of the
 * specification, and nothing else. */
static void check_functions(ITypeInfo *info, const struct server_class *class)
{
    unsigned int i, index = 0, kind;
    const struct member *member;
    FUNCDESC *desc;
    HRESULT hr;

    for (i = 0; i < class->member_count; ++i)
    {
        member = &class->members[i];
        for (kind = 1; kind <= INVOKE_PROPERTYPUT; kind <<= 1)
        {
            if (!(member->kinds & kind))
                continue;
            hr = ITypeInfo_GetFuncDesc(info, index, &desc);
            ok(hr == S_OK, "%s: got hr %#lx.\n", wine_dbgstr_w(member->name), hr);
            if (FAILED(hr))
                return;
            ok(desc->memid == member->dispid, "%s: got memid %ld.\n", wine_dbgstr_w(member->name), desc->memid);
            ok(desc->invkind == kind, "%s: got invkind %d, expected %u.\n", wine_dbgstr_w(member->name),
                    desc->invkind, kind);
            ok(desc->funckind == FUNC_PUREVIRTUAL, "%s: got funckind %d.\n", wine_dbgstr_w(member->name),
                    desc->funckind);
            ok(desc->callconv == CC_STDCALL, "%s: got callconv %d.\n", wine_dbgstr_w(member->name), desc->callconv);
            ok(desc->elemdescFunc.tdesc.vt == VT_HRESULT, "%s: got return type %d.\n",
                    wine_dbgstr_w(member->name), desc->elemdescFunc.tdesc.vt);
            ok(desc->oVft == (SHORT)((index + 7) * sizeof(void *)), "%s: got vtable offset %d.\n",
                    wine_dbgstr_w(member->name), desc->oVft);
            ok(index + 7 == member->slot + (kind == INVOKE_PROPERTYPUT && (member->kinds & INVOKE_PROPERTYGET)),
                    "%s: function %u is not at slot %u.\n", wine_dbgstr_w(member->name), index, member->slot);
            ITypeInfo_ReleaseFuncDesc(info, desc);
            ++index;
        }
    }
    ok(index == class->funcs, "Counted %u functions, expected %u.\n", index, class->funcs);
}

static void test_typelib(void)
{
    ITypeInfo *info, *ref, *info2;
    WCHAR path[MAX_PATH];
    HREFTYPE reftype;
    TYPEATTR *attr;
    TLIBATTR *libattr;
    ITypeLib *lib, *reglib;
    BSTR name, doc;
    unsigned int i;
    int flags;
    HRESULT hr;

    GetModuleFileNameW(GetModuleHandleW(L"scardssp.dll"), path, ARRAY_SIZE(path));
    hr = LoadTypeLibEx(path, REGKIND_NONE, &lib);
    ok(hr == S_OK, "Got hr %#lx loading %s.\n", hr, wine_dbgstr_w(path));
    if (FAILED(hr))
        return;
    hr = LoadTypeLib(path, &reglib);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (SUCCEEDED(hr))
        ITypeLib_Release(reglib);

    hr = ITypeLib_GetLibAttr(lib, &libattr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(IsEqualGUID(&libattr->guid, &LIBID_scardssp), "Got %s.\n", wine_dbgstr_guid(&libattr->guid));
    ok(libattr->wMajorVerNum == 1 && libattr->wMinorVerNum == 0, "Got version %u.%u.\n",
            libattr->wMajorVerNum, libattr->wMinorVerNum);
    ok(libattr->lcid == 0, "Got lcid %#lx.\n", libattr->lcid);
    ok(libattr->syskind == (sizeof(void *) == 8 ? SYS_WIN64 : SYS_WIN32), "Got syskind %d.\n", libattr->syskind);
    ITypeLib_ReleaseTLibAttr(lib, libattr);

    hr = ITypeLib_GetDocumentation(lib, -1, &name, &doc, NULL, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!wcscmp(name, L"SCARDSSPLib"), "Got name %s.\n", wine_dbgstr_w(name));
    ok(!wcscmp(doc, L"scardssp 1.0 Type Library"), "Got %s.\n", wine_dbgstr_w(doc));
    SysFreeString(name);
    SysFreeString(doc);

    /* the registered library is the same one */
    hr = LoadRegTypeLib(&LIBID_scardssp, 1, 0, LOCALE_NEUTRAL, &reglib);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (SUCCEEDED(hr))
    {
        hr = ITypeLib_GetLibAttr(reglib, &libattr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&libattr->guid, &LIBID_scardssp), "Got %s.\n", wine_dbgstr_guid(&libattr->guid));
        ITypeLib_ReleaseTLibAttr(reglib, libattr);
        ITypeLib_Release(reglib);
    }

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        winetest_push_context("%s", classes[i].name);

        /* the interface: non-dual, IDispatch-derived, TYPEFLAG_FDISPATCHABLE only */
        hr = ITypeLib_GetTypeInfoOfGuid(lib, classes[i].iid, &info);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetTypeAttr(info, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(attr->typekind == TKIND_INTERFACE, "Got typekind %d.\n", attr->typekind);
        ok(attr->wTypeFlags == TYPEFLAG_FDISPATCHABLE, "Got type flags %#x.\n", attr->wTypeFlags);
        ok(attr->cFuncs == classes[i].funcs, "Got %u functions.\n", attr->cFuncs);
        ok(attr->cVars == 0, "Got %u variables.\n", attr->cVars);
        ok(attr->cImplTypes == 1, "Got %u implemented types.\n", attr->cImplTypes);
        ok(attr->cbSizeVft == classes[i].slots * sizeof(void *), "Got vtable size %u, expected %u slots.\n",
                attr->cbSizeVft, classes[i].slots);
        ok(attr->lcid == 0, "Got lcid %#lx.\n", attr->lcid);
        ok(attr->wMajorVerNum == 0 && attr->wMinorVerNum == 0, "Got version %u.%u.\n",
                attr->wMajorVerNum, attr->wMinorVerNum);
        ITypeInfo_ReleaseTypeAttr(info, attr);

        hr = ITypeInfo_GetDocumentation(info, MEMBERID_NIL, &name, NULL, NULL, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(!wcscmp(name, classes[i].iface_name), "Got name %s.\n", wine_dbgstr_w(name));
        SysFreeString(name);

        hr = ITypeInfo_GetRefTypeOfImplType(info, 0, &reftype);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetRefTypeInfo(info, reftype, &ref);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetTypeAttr(ref, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&attr->guid, &IID_IDispatch), "Base is %s.\n", wine_dbgstr_guid(&attr->guid));
        ITypeInfo_ReleaseTypeAttr(ref, attr);
        ITypeInfo_Release(ref);

        check_functions(info, &classes[i]);

        /* the same description as the objects' own */
        if ((ref = (ITypeInfo *)create_object(&classes[i], &IID_IDispatch)))
        {
            hr = IDispatch_GetTypeInfo((IDispatch *)ref, 0, 0, &info2);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            hr = ITypeInfo_GetTypeAttr(info2, &attr);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            ok(attr->cbSizeVft == classes[i].slots * sizeof(void *), "Got vtable size %u.\n", attr->cbSizeVft);
            ok(attr->cFuncs == classes[i].funcs, "Got %u functions.\n", attr->cFuncs);
            ITypeInfo_ReleaseTypeAttr(info2, attr);
            ITypeInfo_Release(info2);
            IDispatch_Release((IDispatch *)ref);
        }
        ITypeInfo_Release(info);

        /* the coclass: creatable, with the interface as its only, default one */
        hr = ITypeLib_GetTypeInfoOfGuid(lib, classes[i].clsid, &info);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetTypeAttr(info, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(attr->typekind == TKIND_COCLASS, "Got typekind %d.\n", attr->typekind);
        ok(attr->wTypeFlags == TYPEFLAG_FCANCREATE, "Got type flags %#x.\n", attr->wTypeFlags);
        ok(attr->cImplTypes == 1, "Got %u implemented types.\n", attr->cImplTypes);
        ITypeInfo_ReleaseTypeAttr(info, attr);
        hr = ITypeInfo_GetDocumentation(info, MEMBERID_NIL, &name, &doc, NULL, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(!wcscmp(name, classes[i].class_name), "Got name %s.\n", wine_dbgstr_w(name));
        ok(!wcscmp(doc, classes[i].class_doc), "Got helpstring %s.\n", wine_dbgstr_w(doc));
        SysFreeString(name);
        SysFreeString(doc);
        hr = ITypeInfo_GetImplTypeFlags(info, 0, &flags);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(flags == IMPLTYPEFLAG_FDEFAULT, "Got flags %#x.\n", flags);
        hr = ITypeInfo_GetRefTypeOfImplType(info, 0, &reftype);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetRefTypeInfo(info, reftype, &ref);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ITypeInfo_GetTypeAttr(ref, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&attr->guid, classes[i].iid), "Interface %s.\n", wine_dbgstr_guid(&attr->guid));
        ITypeInfo_ReleaseTypeAttr(ref, attr);
        ITypeInfo_Release(ref);
        ITypeInfo_Release(info);

        winetest_pop_context();
    }

    ITypeLib_Release(lib);
}

/* The ProgIDs of the registration (a project choice: the specification
 * knows none) lead to the classes. */
static void test_progids(void)
{
    static const WCHAR *progids[] =
    {
        L"SCardSSP.ByteBuffer", L"SCardSSP.SCardTypeConv", L"SCardSSP.SCardCmd", L"SCardSSP.SCardISO7816",
        L"SCardSSP.SCard", L"SCardSSP.SCardDatabase", L"SCardSSP.SCardLocate",
    };
    WCHAR versioned[64], *progid;
    unsigned int i;
    CLSID clsid;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(classes); ++i)
    {
        winetest_push_context("%s", classes[i].name);
        hr = CLSIDFromProgID(progids[i], &clsid);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&clsid, classes[i].clsid), "Got %s.\n", wine_dbgstr_guid(&clsid));
        swprintf(versioned, ARRAY_SIZE(versioned), L"%ls.1", progids[i]);
        hr = CLSIDFromProgID(versioned, &clsid);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(IsEqualGUID(&clsid, classes[i].clsid), "Got %s.\n", wine_dbgstr_guid(&clsid));
        hr = ProgIDFromCLSID(classes[i].clsid, &progid);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(!wcscmp(progid, versioned), "Got %s.\n", wine_dbgstr_w(progid));
        CoTaskMemFree(progid);
        winetest_pop_context();
    }
}

/* Many objects, created and freed, of every class, each kept alive for a
 * while by several references, leave the server unloadable. */
static void test_stress(void)
{
    IUnknown *objects[ARRAY_SIZE(classes)][8], *unk;
    unsigned int round, i, j, failures = 0;
    IDispatch *disp;
    HRESULT hr;

    for (round = 0; round < 100; ++round)
    {
        for (i = 0; i < ARRAY_SIZE(classes); ++i)
        {
            for (j = 0; j < ARRAY_SIZE(objects[i]); ++j)
            {
                objects[i][j] = NULL;
                hr = CoCreateInstance(classes[i].clsid, NULL, CLSCTX_INPROC_SERVER, classes[i].iid,
                        (void **)&objects[i][j]);
                if (FAILED(hr) && (classes[i].clsid != &CLSID_CSCard || HRESULT_FACILITY(hr) != FACILITY_SCARD))
                    ++failures;
                if (FAILED(hr))
                    continue;
                hr = IUnknown_QueryInterface(objects[i][j], &IID_IDispatch, (void **)&disp);
                if (hr != S_OK) ++failures;
                hr = IUnknown_QueryInterface(objects[i][j], &IID_IUnknown, (void **)&unk);
                if (hr != S_OK) ++failures;
                if (hr == S_OK) IUnknown_Release(unk);
                if (disp) IDispatch_Release(disp);
            }
        }
        if (pDllCanUnloadNow() != S_FALSE)
            ++failures;
        for (i = 0; i < ARRAY_SIZE(classes); ++i)
            for (j = 0; j < ARRAY_SIZE(objects[i]); ++j)
                if (objects[i][j] && IUnknown_Release(objects[i][j]))
                    ++failures;
        if (pDllCanUnloadNow() != S_OK)
            ++failures;
    }
    ok(!failures, "Got %u failures in %u rounds.\n", failures, round);
    ok(pDllCanUnloadNow() == S_OK, "Got hr %#lx.\n", pDllCanUnloadNow());
}

START_TEST(server)
{
    HMODULE module;

    CoInitialize(NULL);

    module = LoadLibraryW(L"scardssp.dll");
    ok(!!module, "Failed to load scardssp.dll, error %lu.\n", GetLastError());
    if (!module)
    {
        CoUninitialize();
        return;
    }
    pDllGetClassObject = (void *)GetProcAddress(module, "DllGetClassObject");
    pDllCanUnloadNow = (void *)GetProcAddress(module, "DllCanUnloadNow");
    ok(pDllGetClassObject && pDllCanUnloadNow, "Missing exports.\n");
    ok(!!GetProcAddress(module, "DllRegisterServer"), "No DllRegisterServer.\n");
    ok(!!GetProcAddress(module, "DllUnregisterServer"), "No DllUnregisterServer.\n");

    test_class_objects();
    test_objects();
    test_ids_of_names();
    test_typelib();
    test_progids();
    test_stress();

    FreeLibrary(module);
    CoUninitialize();
}
