/*
 * A sweep over the type library: every member of every interface called
 * through IDispatch::Invoke with bad arguments, one parameter at a time,
 * and bad calls (argument counts, named arguments, DISPIDs, flags).  Each
 * case must give the code README's decisions name ("Invoke arguments"
 * and the rows after it) and leave the object usable.  A call that Invoke
 * makes is compared with the same call through the vtable, on a fresh
 * object.  Then every member through the vtable, with each pointer NULL
 * and each LONG and enum out of range in turn.
 *
 * min-checks: 590000 (tests/run-wine fails a run with fewer)
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

#define MAX_PARAMS 16
#define GARBAGE ((void *)(ULONG_PTR)0xdeadbeef)

static const BYTE apdu[] = {0x00, 0xa4, 0x00, 0x00};
static unsigned int invoke_cases, vtable_cases;

/* How a parameter is passed, read from the type library. */
struct form
{
    VARTYPE vt;     /* the VARIANT type it takes; VT_EMPTY when it has none */
    IID iid;        /* the interface of an object */
};

struct method
{
    CLSID clsid;
    IID iid;
    BSTR name;
    char text[64];                  /* the name, for messages */
    FUNCDESC *desc;
    struct form params[MAX_PARAMS];
    struct form retval;             /* vt VT_EMPTY: none */
    BOOL callable;                  /* every parameter and the result have a VARIANT form */
    UINT arg_count;                 /* parameters that take an argument */
    UINT required;                  /* argument positions up to the last one without a default */
    SHORT arg_params[MAX_PARAMS];
};

/* An argument and what it points to. */
struct value
{
    VARIANT v;
    VARIANT inner;          /* what a VT_BYREF|VT_VARIANT points to */
    VARIANT target;         /* what another by-reference argument points to */
    BYTE bytes[64];         /* what a VT_BYREF|VT_UI1 points to */
    BOOL garbage;           /* v (or inner) holds no real pointer */
    BOOL borrowed;          /* v's content belongs to another value */
    SAFEARRAY *corrupt;     /* an array made invalid, restored from saved before it is freed */
    SAFEARRAY saved;
};

/* A COM object of our own, another implementation of IDispatch. */
static HRESULT WINAPI foreign_QueryInterface(IDispatch *iface, REFIID riid, void **obj)
{
    if (IsEqualGUID(riid, &IID_IUnknown) || IsEqualGUID(riid, &IID_IDispatch))
    {
        *obj = iface;
        return S_OK;
    }
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI foreign_AddRef(IDispatch *iface)
{
    return 2;
}

static ULONG WINAPI foreign_Release(IDispatch *iface)
{
    return 1;
}

static HRESULT WINAPI foreign_GetTypeInfoCount(IDispatch *iface, UINT *count)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI foreign_GetTypeInfo(IDispatch *iface, UINT index, LCID lcid, ITypeInfo **info)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI foreign_GetIDsOfNames(IDispatch *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *ids)
{
    return E_NOTIMPL;
}

static HRESULT WINAPI foreign_Invoke(IDispatch *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    return DISP_E_MEMBERNOTFOUND;
}

static const IDispatchVtbl foreign_vtbl =
{
    foreign_QueryInterface, foreign_AddRef, foreign_Release, foreign_GetTypeInfoCount,
    foreign_GetTypeInfo, foreign_GetIDsOfNames, foreign_Invoke,
};
static IDispatch foreign = { &foreign_vtbl };

/* The registered classes' factories, looked up once: the sweep creates
 * several objects for each of its cases. */
static struct
{
    CLSID clsid;
    IClassFactory *factory;
} factories[16];

static IUnknown *create_object(REFCLSID clsid, REFIID iid)
{
    IUnknown *obj = NULL;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(factories) && factories[i].factory; ++i)
        if (IsEqualGUID(&factories[i].clsid, clsid))
            break;
    ok(i < ARRAY_SIZE(factories), "Too many classes.\n");
    if (i == ARRAY_SIZE(factories))
        return NULL;
    if (!factories[i].factory)
    {
        hr = CoGetClassObject(clsid, CLSCTX_INPROC_SERVER, NULL, &IID_IClassFactory, (void **)&factories[i].factory);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (FAILED(hr))
            return NULL;
        factories[i].clsid = *clsid;
    }
    hr = IClassFactory_CreateInstance(factories[i].factory, NULL, iid, (void **)&obj);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return obj;
}

static void release_factories(void)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(factories) && factories[i].factory; ++i)
        IClassFactory_Release(factories[i].factory);
}

/* A new object of the interface iid, as a good argument. */
static IUnknown *new_argument_object(REFIID iid)
{
    IByteBuffer *buffer;
    IUnknown *obj = NULL;
    HRESULT hr;

    if (IsEqualGUID(iid, &IID_ISCardCmd))
        return create_object(&CLSID_CSCardCmd, iid);
    buffer = (IByteBuffer *)create_object(&CLSID_CByteBuffer, &IID_IByteBuffer);
    hr = IByteBuffer_Initialize(buffer, sizeof(apdu), (BYTE *)apdu);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_QueryInterface(buffer, iid, (void **)&obj);
    ok(hr == S_OK, "No interface: hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    return obj;
}

static SAFEARRAY *new_array(VARTYPE vt, LONG lower, ULONG count, UINT dims)
{
    SAFEARRAYBOUND bounds[2] = {{count, lower}, {count, lower}};
    SAFEARRAY *array = SafeArrayCreate(vt, dims, bounds);
    LONG index[2] = {lower, lower};
    VARIANT element;
    BSTR str;
    BYTE byte;
    LONG l;

    ok(!!array, "No array.\n");
    if (!count)
        return array;
    switch (vt)
    {
        case VT_UI1:
            byte = 1;
            SafeArrayPutElement(array, index, &byte);
            break;
        case VT_BSTR:
            str = SysAllocString(L"x");
            SafeArrayPutElement(array, index, str);
            SysFreeString(str);
            break;
        case VT_VARIANT:
            V_VT(&element) = VT_I2;
            V_I2(&element) = 1;
            SafeArrayPutElement(array, index, &element);
            break;
        default:
            l = 1;
            SafeArrayPutElement(array, index, &l);
            break;
    }
    return array;
}

/* The form behind a TYPEDESC: what a VARIANT carries for it. */
static VARTYPE form_of(ITypeInfo *info, const TYPEDESC *desc, IID *iid)
{
    unsigned int pointers = 0;
    ITypeInfo *ref;
    TYPEATTR *attr;
    VARTYPE vt = VT_EMPTY;

    for (; desc->vt == VT_PTR; desc = desc->lptdesc)
        ++pointers;
    if (desc->vt == VT_USERDEFINED)
    {
        if (FAILED(ITypeInfo_GetRefTypeInfo(info, desc->hreftype, &ref)))
            return VT_EMPTY;
        ITypeInfo_GetTypeAttr(ref, &attr);
        if (attr->typekind == TKIND_ALIAS)
            vt = form_of(ref, &attr->tdescAlias, iid);
        else if (attr->typekind == TKIND_ENUM)
            vt = VT_I4;
        else if ((attr->typekind == TKIND_INTERFACE || attr->typekind == TKIND_DISPATCH) && pointers)
        {
            --pointers;
            vt = (attr->wTypeFlags & TYPEFLAG_FDISPATCHABLE) ? VT_DISPATCH : VT_UNKNOWN;
            *iid = attr->guid;
        }
        ITypeInfo_ReleaseTypeAttr(ref, attr);
        ITypeInfo_Release(ref);
    }
    else if (desc->vt == VT_SAFEARRAY)
    {
        vt = form_of(info, desc->lptdesc, iid);
        vt = (vt && !(vt & (VT_BYREF | VT_ARRAY)) && vt != VT_DISPATCH && vt != VT_UNKNOWN) ? VT_ARRAY | vt : VT_EMPTY;
    }
    else if (desc->vt != VT_VOID && desc->vt != VT_HRESULT && desc->vt != VT_CARRAY)
        vt = desc->vt;

    if (!vt || !pointers)
        return pointers ? VT_EMPTY : vt;
    return (pointers == 1 && !(vt & VT_BYREF)) ? VT_BYREF | vt : VT_EMPTY;
}

static BOOL read_method(ITypeInfo *info, FUNCDESC *desc, struct method *m)
{
    const PARAMDESC *pd;
    UINT count;
    SHORT p;

    m->desc = desc;
    m->callable = TRUE;
    ITypeInfo_GetNames(info, desc->memid, &m->name, 1, &count);
    WideCharToMultiByte(CP_ACP, 0, m->name, -1, m->text, sizeof(m->text), NULL, NULL);
    ok(desc->cParams <= MAX_PARAMS, "%s has %d parameters.\n", m->text, desc->cParams);
    if (desc->cParams > MAX_PARAMS)
        return FALSE;
    for (p = 0; p < desc->cParams; ++p)
    {
        pd = &desc->lprgelemdescParam[p].paramdesc;
        if (pd->wParamFlags & PARAMFLAG_FLCID)
            continue;
        if (pd->wParamFlags & PARAMFLAG_FRETVAL)
        {
            m->retval.vt = form_of(info, desc->lprgelemdescParam[p].tdesc.lptdesc, &m->retval.iid);
            if (m->retval.vt & VT_BYREF)
                m->retval.vt = VT_EMPTY;
            if (!m->retval.vt)
                m->callable = FALSE;
            continue;
        }
        m->params[p].vt = form_of(info, &desc->lprgelemdescParam[p].tdesc, &m->params[p].iid);
        if (!m->params[p].vt)
            m->callable = FALSE;
        if (!(pd->wParamFlags & (PARAMFLAG_FOPT | PARAMFLAG_FHASDEFAULT)))
            m->required = m->arg_count + 1;
        m->arg_params[m->arg_count++] = p;
    }
    return TRUE;
}

static void free_value(struct value *val)
{
    if (val->corrupt)
        *val->corrupt = val->saved;
    if (!val->garbage)
    {
        if (V_VT(&val->v) == (VT_BYREF | VT_VARIANT))
            VariantClear(&val->inner);
        else if (!(V_VT(&val->v) & VT_BYREF) && !val->borrowed)
            VariantClear(&val->v);
        VariantClear(&val->target);
    }
    memset(val, 0, sizeof(*val));
}

/* A by-reference VARIANT of type VT_BYREF|vt pointing to val->target. */
static void point_to_target(VARIANT *v, VARTYPE vt, struct value *val)
{
    V_VT(&val->target) = vt;
    V_VT(v) = VT_BYREF | vt;
    V_BYREF(v) = &V_UI1(&val->target);
}

/* A good argument of the form: a value the member takes. */
static void make_good(const struct form *form, struct value *val)
{
    VARIANT one;

    memset(val, 0, sizeof(*val));
    switch (form->vt)
    {
        case VT_BSTR:
            V_VT(&val->v) = VT_BSTR;
            V_BSTR(&val->v) = SysAllocString(L"x");
            break;
        case VT_DISPATCH:
        case VT_UNKNOWN:
            V_VT(&val->v) = form->vt;
            V_UNKNOWN(&val->v) = new_argument_object(&form->iid);
            break;
        case VT_BYREF | VT_DISPATCH:
        case VT_BYREF | VT_UNKNOWN:
            point_to_target(&val->v, form->vt & ~VT_BYREF, val);
            V_UNKNOWN(&val->target) = new_argument_object(&form->iid);
            break;
        case VT_BYREF | VT_UI1:
            V_VT(&val->v) = VT_BYREF | VT_UI1;
            V_UI1REF(&val->v) = val->bytes;
            break;
        case VT_ARRAY | VT_UI1:
        case VT_ARRAY | VT_BSTR:
            V_VT(&val->v) = form->vt;
            V_ARRAY(&val->v) = new_array(form->vt & VT_TYPEMASK, 0, 1, 1);
            break;
        case VT_EMPTY:
            break;
        default:
            V_VT(&one) = VT_I4;
            V_I4(&one) = 1;
            if (form->vt & VT_BYREF)
            {
                point_to_target(&val->v, form->vt & ~VT_BYREF, val);
                ok(VariantChangeType(&val->target, &one, 0, form->vt & ~VT_BYREF) == S_OK, "No %#x.\n", form->vt);
            }
            else
                ok(VariantChangeType(&val->v, &one, 0, form->vt) == S_OK, "No %#x.\n", form->vt);
            break;
    }
}

/* The kinds of bad argument.  make() builds one for a parameter of the
 * form into val (each call a new one); expected is its fixed result, or
 * S_OK when the rules of expect_arg() decide. */
struct bad
{
    const char *name;
    void (*make)(const struct form *form, VARTYPE vt, struct value *val);
    VARTYPE vt;
    HRESULT expected;
};

static void make_null_ref(const struct form *form, VARTYPE vt, struct value *val)
{
    V_VT(&val->v) = VT_BYREF | vt;
    V_BYREF(&val->v) = NULL;
    val->garbage = TRUE;
}

static void make_invalid(const struct form *form, VARTYPE vt, struct value *val)
{
    V_VT(&val->v) = vt;
    V_BYREF(&val->v) = GARBAGE;
    val->garbage = TRUE;
}

static void make_record(const struct form *form, VARTYPE vt, struct value *val)
{
    V_VT(&val->v) = vt;
    V_RECORD(&val->v) = GARBAGE;
    V_RECORDINFO(&val->v) = GARBAGE;
    val->garbage = TRUE;
}

static void make_nested_ref(const struct form *form, VARTYPE vt, struct value *val)
{
    V_VT(&val->target) = VT_I4;
    V_VT(&val->inner) = VT_BYREF | VT_VARIANT;
    V_VARIANTREF(&val->inner) = &val->target;
    V_VT(&val->v) = VT_BYREF | VT_VARIANT;
    V_VARIANTREF(&val->v) = &val->inner;
}

static void make_value(const struct form *form, VARTYPE vt, struct value *val)
{
    V_VT(&val->v) = vt;
    switch (vt)
    {
        case VT_I4: V_I4(&val->v) = -1; break;
        case VT_UI4: V_UI4(&val->v) = 12; break;
        case VT_R8: V_R8(&val->v) = 1e300; break;
        case VT_BOOL: V_BOOL(&val->v) = VARIANT_TRUE; break;
        case VT_ERROR: V_ERROR(&val->v) = 5; break;
        case VT_I8: V_I8(&val->v) = (LONGLONG)1 << 32; break;
        case VT_CY: V_CY(&val->v).int64 = 30000; break;
        case VT_DATE: V_DATE(&val->v) = 2.5; break;
        case VT_DECIMAL: VarDecFromI4(3, &V_DECIMAL(&val->v)); V_VT(&val->v) = VT_DECIMAL; break;
        case VT_I1: V_I1(&val->v) = -3; break;
        default: break;
    }
}

static void make_string(const struct form *form, VARTYPE vt, struct value *val)
{
    static const WCHAR *strings[] = {L"abc", L"12", NULL};

    V_VT(&val->v) = VT_BSTR;
    V_BSTR(&val->v) = SysAllocString(strings[vt]);
}

static void make_object(const struct form *form, VARTYPE which, struct value *val)
{
    static const CLSID *classes[] = {&CLSID_CByteBuffer, &CLSID_CSCardCmd, &CLSID_CSCardTypeConv};

    V_VT(&val->v) = VT_DISPATCH;
    if (which < ARRAY_SIZE(classes))
        V_DISPATCH(&val->v) = (IDispatch *)create_object(classes[which], &IID_IDispatch);
    else if (which == 3)
        V_DISPATCH(&val->v) = &foreign;
    else if (which == 4)
    {
        V_VT(&val->v) = VT_UNKNOWN;
        V_UNKNOWN(&val->v) = (IUnknown *)&foreign;
    }
    else if (which == 5)
        V_DISPATCH(&val->v) = NULL;
    else
    {
        /* VT_BYREF|VT_DISPATCH: to nothing, to a buffer */
        point_to_target(&val->v, VT_DISPATCH, val);
        if (which == 7)
            V_DISPATCH(&val->target) = (IDispatch *)create_object(&CLSID_CByteBuffer, &IID_IDispatch);
    }
}

/* An array of another element type than the parameter's, or one its
 * VARIANT type misdescribes, or a damaged one. */
static void make_bad_array(const struct form *form, VARTYPE which, struct value *val)
{
    SAFEARRAY *array;

    switch (which)
    {
        case 0:     /* elements of another type */
            V_VT(&val->v) = VT_ARRAY | VT_I4;
            V_ARRAY(&val->v) = new_array(VT_I4, 0, 2, 1);
            return;
        case 1:     /* bytes labelled as VARIANTs, read past their end before */
            V_VT(&val->v) = VT_ARRAY | VT_VARIANT;
            V_ARRAY(&val->v) = new_array(VT_UI1, 0, 4, 1);
            return;
        case 2:     /* VARIANTs labelled as bytes */
            V_VT(&val->v) = VT_ARRAY | VT_UI1;
            V_ARRAY(&val->v) = new_array(VT_VARIANT, 0, 2, 1);
            return;
        case 3:     /* bytes labelled as strings */
            V_VT(&val->v) = VT_ARRAY | VT_BSTR;
            V_ARRAY(&val->v) = new_array(VT_UI1, 0, 4, 1);
            return;
        case 15:    /* signed bytes labelled as bytes: of the same size */
            V_VT(&val->v) = VT_ARRAY | VT_UI1;
            V_ARRAY(&val->v) = new_array(VT_I1, 0, 4, 1);
            return;
        case 16:    /* interfaces labelled as strings: of the same size */
            V_VT(&val->v) = VT_ARRAY | VT_BSTR;
            V_ARRAY(&val->v) = SafeArrayCreateVector(VT_UNKNOWN, 0, 2);
            return;
        case 4:     /* VARIANTs that no element type takes */
            V_VT(&val->v) = VT_ARRAY | VT_VARIANT;
            V_ARRAY(&val->v) = array = new_array(VT_VARIANT, 0, 3, 1);
            V_VT(&((VARIANT *)array->pvData)[1]) = VT_BYREF | VT_I4;
            V_VT(&((VARIANT *)array->pvData)[2]) = 0x7fff;
            /* not to be freed by SafeArrayDestroy */
            val->corrupt = array;
            val->saved = *array;
            return;
    }

    /* 5..: damaged arrays, of the parameter's own type or of VARIANTs */
    V_VT(&val->v) = (which & 1) && (form->vt & VT_ARRAY) ? form->vt : VT_ARRAY | VT_VARIANT;
    V_ARRAY(&val->v) = array = new_array(V_VT(&val->v) & VT_TYPEMASK, 0, 2, 1);
    val->corrupt = array;
    val->saved = *array;
    switch ((which - 5) / 2)
    {
        case 0: array->cDims = 0; break;
        case 1: array->pvData = NULL; break;
        case 2: array->rgsabound[0].lLbound = MAXLONG; break;
        case 3: array->rgsabound[0].cElements = 0x80000000; break;
        case 4: array->cbElements = 3; break;
    }
}

/* Arrays Invoke passes on (of the parameter's element type) or converts. */
static void make_array(const struct form *form, VARTYPE which, struct value *val)
{
    VARTYPE element = (form->vt & VT_ARRAY) ? form->vt & VT_TYPEMASK : VT_UI1;

    switch (which)
    {
        case 0: case 1: case 2:   /* no array */
            V_VT(&val->v) = VT_ARRAY | (which == 0 ? VT_UI1 : which == 1 ? VT_BSTR : VT_VARIANT);
            V_ARRAY(&val->v) = NULL;
            return;
        case 3:     /* two dimensions */
            V_VT(&val->v) = VT_ARRAY | element;
            V_ARRAY(&val->v) = new_array(element, 0, 2, 2);
            return;
        case 4:     /* a lower bound of -5 */
            V_VT(&val->v) = VT_ARRAY | element;
            V_ARRAY(&val->v) = new_array(element, -5, 2, 1);
            return;
        case 5:     /* empty */
            V_VT(&val->v) = VT_ARRAY | element;
            V_ARRAY(&val->v) = new_array(element, 0, 0, 1);
            return;
    }
}

static const struct bad bad_args[] =
{
    {"NULL VT_BYREF|VT_I2", make_null_ref, VT_I2},
    {"NULL VT_BYREF|VT_I4", make_null_ref, VT_I4},
    {"NULL VT_BYREF|VT_UI1", make_null_ref, VT_UI1},
    {"NULL VT_BYREF|VT_UI2", make_null_ref, VT_UI2},
    {"NULL VT_BYREF|VT_UI4", make_null_ref, VT_UI4},
    {"NULL VT_BYREF|VT_I8", make_null_ref, VT_I8},
    {"NULL VT_BYREF|VT_UI8", make_null_ref, VT_UI8},
    {"NULL VT_BYREF|VT_INT", make_null_ref, VT_INT},
    {"NULL VT_BYREF|VT_UINT", make_null_ref, VT_UINT},
    {"NULL VT_BYREF|VT_I1", make_null_ref, VT_I1},
    {"NULL VT_BYREF|VT_R4", make_null_ref, VT_R4},
    {"NULL VT_BYREF|VT_R8", make_null_ref, VT_R8},
    {"NULL VT_BYREF|VT_BOOL", make_null_ref, VT_BOOL},
    {"NULL VT_BYREF|VT_ERROR", make_null_ref, VT_ERROR},
    {"NULL VT_BYREF|VT_CY", make_null_ref, VT_CY},
    {"NULL VT_BYREF|VT_DATE", make_null_ref, VT_DATE},
    {"NULL VT_BYREF|VT_DECIMAL", make_null_ref, VT_DECIMAL},
    {"NULL VT_BYREF|VT_BSTR", make_null_ref, VT_BSTR},
    {"NULL VT_BYREF|VT_VARIANT", make_null_ref, VT_VARIANT, E_POINTER},
    {"NULL VT_BYREF|VT_DISPATCH", make_null_ref, VT_DISPATCH},
    {"NULL VT_BYREF|VT_UNKNOWN", make_null_ref, VT_UNKNOWN},
    {"NULL VT_BYREF|VT_ARRAY|VT_UI1", make_null_ref, VT_ARRAY | VT_UI1},
    {"NULL VT_BYREF|VT_ARRAY|VT_BSTR", make_null_ref, VT_ARRAY | VT_BSTR},
    {"NULL VT_BYREF|VT_ARRAY|VT_VARIANT", make_null_ref, VT_ARRAY | VT_VARIANT},
    {"NULL VT_BYREF|VT_ARRAY|VT_I4", make_null_ref, VT_ARRAY | VT_I4},
    {"VT_VECTOR|VT_I4", make_invalid, VT_VECTOR | VT_I4, DISP_E_BADVARTYPE},
    {"VT_VECTOR|VT_UI1", make_invalid, VT_VECTOR | VT_UI1, DISP_E_BADVARTYPE},
    {"VT_BYREF|VT_VECTOR|VT_I4", make_invalid, VT_BYREF | VT_VECTOR | VT_I4, DISP_E_BADVARTYPE},
    {"VT_RESERVED|VT_I4", make_invalid, VT_RESERVED | VT_I4, DISP_E_BADVARTYPE},
    {"0x7fff", make_invalid, 0x7fff, DISP_E_BADVARTYPE},
    {"0xffff", make_invalid, 0xffff, DISP_E_BADVARTYPE},
    {"0xfff", make_invalid, 0xfff, DISP_E_BADVARTYPE},
    {"VT_BLOB", make_invalid, VT_BLOB, DISP_E_BADVARTYPE},
    {"VT_STREAM", make_invalid, VT_STREAM, DISP_E_BADVARTYPE},
    {"VT_LPSTR", make_invalid, VT_LPSTR, DISP_E_BADVARTYPE},
    {"VT_LPWSTR", make_invalid, VT_LPWSTR, DISP_E_BADVARTYPE},
    {"VT_PTR", make_invalid, VT_PTR, DISP_E_BADVARTYPE},
    {"VT_CLSID", make_invalid, VT_CLSID, DISP_E_BADVARTYPE},
    {"VT_HRESULT", make_invalid, VT_HRESULT, DISP_E_BADVARTYPE},
    {"VT_VOID", make_invalid, VT_VOID, DISP_E_BADVARTYPE},
    {"VT_VARIANT", make_invalid, VT_VARIANT, DISP_E_BADVARTYPE},
    {"VT_BYREF|VT_EMPTY", make_invalid, VT_BYREF | VT_EMPTY, DISP_E_BADVARTYPE},
    {"VT_BYREF|VT_NULL", make_invalid, VT_BYREF | VT_NULL, DISP_E_BADVARTYPE},
    {"VT_ARRAY|VT_EMPTY", make_invalid, VT_ARRAY | VT_EMPTY, DISP_E_BADVARTYPE},
    {"VT_ARRAY|VT_BLOB", make_invalid, VT_ARRAY | VT_BLOB, DISP_E_BADVARTYPE},
    {"VT_RECORD", make_record, VT_RECORD, DISP_E_TYPEMISMATCH},
    {"VT_BYREF|VT_RECORD", make_record, VT_BYREF | VT_RECORD, DISP_E_TYPEMISMATCH},
    {"VT_ARRAY|VT_RECORD", make_record, VT_ARRAY | VT_RECORD, DISP_E_TYPEMISMATCH},
    {"VT_BYREF|VT_VARIANT to VT_BYREF|VT_VARIANT", make_nested_ref, 0, DISP_E_TYPEMISMATCH},
    {"VT_EMPTY", make_value, VT_EMPTY},
    {"VT_NULL", make_value, VT_NULL},
    {"VT_I4 -1", make_value, VT_I4},
    {"VT_UI4 12", make_value, VT_UI4},
    {"VT_R8 1e300", make_value, VT_R8},
    {"VT_BOOL true", make_value, VT_BOOL},
    {"VT_ERROR 5", make_value, VT_ERROR},
    {"VT_I8 2^32", make_value, VT_I8},
    {"VT_CY 3", make_value, VT_CY},
    {"VT_DATE 2.5", make_value, VT_DATE},
    {"VT_DECIMAL 3", make_value, VT_DECIMAL},
    {"VT_I1 -3", make_value, VT_I1},
    {"VT_BSTR abc", make_string, 0},
    {"VT_BSTR 12", make_string, 1},
    {"VT_BSTR NULL", make_string, 2},
    {"a CByteBuffer", make_object, 0},
    {"a CSCardCmd", make_object, 1},
    {"a CSCardTypeConv", make_object, 2},
    {"a foreign IDispatch", make_object, 3},
    {"a foreign IUnknown", make_object, 4},
    {"VT_DISPATCH NULL", make_object, 5},
    {"VT_BYREF|VT_DISPATCH to NULL", make_object, 6},
    {"VT_BYREF|VT_DISPATCH to a CByteBuffer", make_object, 7},
    {"an array of VT_I4", make_bad_array, 0, DISP_E_TYPEMISMATCH},
    {"bytes labelled VT_ARRAY|VT_VARIANT", make_bad_array, 1, DISP_E_TYPEMISMATCH},
    {"VARIANTs labelled VT_ARRAY|VT_UI1", make_bad_array, 2, DISP_E_TYPEMISMATCH},
    {"bytes labelled VT_ARRAY|VT_BSTR", make_bad_array, 3, DISP_E_TYPEMISMATCH},
    {"VT_I1 bytes labelled VT_ARRAY|VT_UI1", make_bad_array, 15, DISP_E_TYPEMISMATCH},
    {"interfaces labelled VT_ARRAY|VT_BSTR", make_bad_array, 16, DISP_E_TYPEMISMATCH},
    {"VARIANTs of no element type", make_bad_array, 4, DISP_E_TYPEMISMATCH},
    {"VARIANT array, cDims 0", make_bad_array, 5, DISP_E_TYPEMISMATCH},
    {"array, cDims 0", make_bad_array, 6, DISP_E_TYPEMISMATCH},
    {"VARIANT array, no data", make_bad_array, 7, DISP_E_TYPEMISMATCH},
    {"array, no data", make_bad_array, 8, DISP_E_TYPEMISMATCH},
    {"VARIANT array, upper bound past MAXLONG", make_bad_array, 9, DISP_E_TYPEMISMATCH},
    {"array, upper bound past MAXLONG", make_bad_array, 10, DISP_E_TYPEMISMATCH},
    {"VARIANT array of 2^31 elements", make_bad_array, 11, DISP_E_TYPEMISMATCH},
    {"array of 2^31 elements", make_bad_array, 12, DISP_E_TYPEMISMATCH},
    {"VARIANT array, cbElements 3", make_bad_array, 13, DISP_E_TYPEMISMATCH},
    {"array, cbElements 3", make_bad_array, 14, DISP_E_TYPEMISMATCH},
    {"VT_ARRAY|VT_UI1 NULL", make_array, 0},
    {"VT_ARRAY|VT_BSTR NULL", make_array, 1},
    {"VT_ARRAY|VT_VARIANT NULL", make_array, 2},
    {"a 2-D array", make_array, 3},
    {"an array from -5", make_array, 4},
    {"an empty array", make_array, 5},
};

static BOOL is_object_vt(VARTYPE vt)
{
    return vt == VT_DISPATCH || vt == VT_UNKNOWN;
}

/* v as a value of type vt, as Invoke converts by-value arguments. */
static HRESULT expect_conversion(const VARIANT *v, VARTYPE vt, VARIANT *value)
{
    VARTYPE from = V_VT(v) & ~VT_BYREF;
    HRESULT hr;

    if ((from & VT_ARRAY) || from == VT_VARIANT)
        return DISP_E_TYPEMISMATCH;
    if ((V_VT(v) & VT_BYREF) && !V_BYREF(v))
        return E_POINTER;
    if (is_object_vt(from) && !(V_VT(v) & VT_BYREF ? *V_UNKNOWNREF(v) : V_UNKNOWN(v)))
        return DISP_E_TYPEMISMATCH;
    hr = VariantChangeType(value, v, 0, vt);
    if (hr == DISP_E_OVERFLOW)
        return hr;
    return FAILED(hr) ? DISP_E_TYPEMISMATCH : S_OK;
}

/* The object in v for an interface parameter: *obj gets a reference to
 * its interface iid (NULL for nothing). */
static HRESULT expect_object(const VARIANT *v, REFIID iid, IUnknown **obj)
{
    IUnknown *unk;

    *obj = NULL;
    if (V_VT(v) == VT_EMPTY || V_VT(v) == VT_NULL)
        return S_OK;
    if (!is_object_vt(V_VT(v) & ~VT_BYREF))
        return DISP_E_TYPEMISMATCH;
    if ((V_VT(v) & VT_BYREF) && !V_BYREF(v))
        return E_POINTER;
    unk = V_VT(v) & VT_BYREF ? *V_UNKNOWNREF(v) : V_UNKNOWN(v);
    if (unk && FAILED(IUnknown_QueryInterface(unk, iid, (void **)obj)))
        return DISP_E_TYPEMISMATCH;
    return S_OK;
}

/* What Invoke does with argument a for a parameter of the form (README's
 * "Invoke arguments"): an error, or S_OK with c->v the value the member
 * gets. */
static HRESULT expect_arg(const struct form *form, const VARIANT *a, struct value *c)
{
    VARTYPE vt = form->vt & ~(VT_BYREF | VT_ARRAY);
    const VARIANT *in = a;
    SAFEARRAY *array;
    IUnknown *obj;
    HRESULT hr;

    memset(c, 0, sizeof(*c));
    if (V_VT(a) == (VT_BYREF | VT_VARIANT))
        in = V_VARIANTREF(a);
    /* the caller's own pointer of the parameter's type, NULL or not */
    if (V_VT(a) == form->vt && (form->vt & VT_BYREF) && !(V_BYREF(a) && is_object_vt(vt)))
    {
        c->v = *a;
        c->borrowed = TRUE;
        return S_OK;
    }
    if (is_object_vt(vt) && (form->vt & VT_BYREF) && (V_VT(a) == (VT_BYREF | VT_DISPATCH) || V_VT(a) == (VT_BYREF | VT_UNKNOWN))
            && !V_BYREF(a))
    {
        V_VT(&c->v) = form->vt;
        c->garbage = TRUE;
        return S_OK;
    }

    switch (form->vt)
    {
        case VT_DISPATCH:
        case VT_UNKNOWN:
        case VT_BYREF | VT_DISPATCH:
        case VT_BYREF | VT_UNKNOWN:
            if (FAILED(hr = expect_object(in, &form->iid, &obj)))
                return hr;
            if (form->vt & VT_BYREF)
            {
                point_to_target(&c->v, vt, c);
                V_UNKNOWN(&c->target) = obj;
            }
            else
            {
                V_VT(&c->v) = vt;
                V_UNKNOWN(&c->v) = obj;
            }
            return S_OK;

        case VT_BYREF | VT_UI1:
            if (!(V_VT(in) == VT_EMPTY || V_VT(in) == VT_NULL || (is_object_vt(V_VT(in)) && !V_UNKNOWN(in))))
                return DISP_E_TYPEMISMATCH;
            V_VT(&c->v) = form->vt;
            c->garbage = TRUE;
            return S_OK;

        case VT_ARRAY | VT_UI1:
        case VT_ARRAY | VT_BSTR:
            V_VT(&c->v) = form->vt;
            if (V_VT(in) == VT_EMPTY || V_VT(in) == VT_NULL || (is_object_vt(V_VT(in)) && !V_UNKNOWN(in)))
                return S_OK;
            if ((V_VT(in) & ~VT_BYREF) != form->vt && (V_VT(in) & ~VT_BYREF) != (VT_ARRAY | VT_VARIANT))
                return DISP_E_TYPEMISMATCH;
            if ((V_VT(in) & VT_BYREF) && !V_BYREF(in))
                return E_POINTER;
            array = V_VT(in) & VT_BYREF ? *V_ARRAYREF(in) : V_ARRAY(in);
            /* every array this sweep converts from VARIANTs is NULL or damaged */
            if (array && (V_VT(in) & ~VT_BYREF) == (VT_ARRAY | VT_VARIANT))
                return DISP_E_TYPEMISMATCH;
            V_ARRAY(&c->v) = array;
            c->borrowed = TRUE;
            return S_OK;

        default:
            if (form->vt & VT_BYREF)
            {
                point_to_target(&c->v, vt, c);
                return expect_conversion(in, vt, &c->target);
            }
            return expect_conversion(in, vt, &c->v);
    }
}

/* Calls m on obj through its vtable slot with args[] (the arguments'
 * C values, in parameter order): the member's HRESULT. */
static HRESULT call_vtable(const struct method *m, IUnknown *obj, LCID lcid, struct value *args)
{
    VARIANT values[MAX_PARAMS], *ptrs[MAX_PARAMS], retval, ret;
    VARTYPE vts[MAX_PARAMS];
    UINT p, a = 0;
    HRESULT hr;

    memset(&retval, 0, sizeof(retval));
    for (p = 0; p < (UINT)m->desc->cParams; ++p)
    {
        ptrs[p] = &values[p];
        if (m->desc->lprgelemdescParam[p].paramdesc.wParamFlags & PARAMFLAG_FLCID)
        {
            V_VT(&values[p]) = VT_I4;
            V_I4(&values[p]) = lcid;
        }
        else if (m->desc->lprgelemdescParam[p].paramdesc.wParamFlags & PARAMFLAG_FRETVAL)
        {
            V_VT(&retval) = m->retval.vt;
            V_VT(&values[p]) = VT_BYREF | m->retval.vt;
            V_BYREF(&values[p]) = &V_UI1(&retval);
        }
        else
            values[p] = args[a++].v;
        vts[p] = V_VT(&values[p]);
    }
    hr = DispCallFunc(obj, m->desc->oVft, m->desc->callconv, VT_ERROR, m->desc->cParams, vts, ptrs, &ret);
    ok(hr == S_OK, "DispCallFunc failed, hr %#lx.\n", hr);
    if (SUCCEEDED(V_ERROR(&ret)))
        VariantClear(&retval);
    return V_ERROR(&ret);
}

/* The flags Invoke is called with for m, as a script calls it. */
static WORD invoke_flags(const struct method *m)
{
    switch (m->desc->invkind)
    {
        case INVOKE_PROPERTYGET: return DISPATCH_PROPERTYGET;
        case INVOKE_PROPERTYPUT: return DISPATCH_PROPERTYPUT;
        case INVOKE_PROPERTYPUTREF: return DISPATCH_PROPERTYPUTREF;
        default: return DISPATCH_METHOD;
    }
}

struct call
{
    DISPID dispid;
    WORD flags;
    DISPPARAMS *params;     /* the caller's, or made from args and named */
    struct value *args;     /* in position order */
    UINT count;
    DISPID *named;          /* names of the first named_count arguments in rgvarg */
    UINT named_count;
    BOOL no_result, no_excepinfo, no_argerr;
};

/* The result of a call through the vtable, as Invoke reports it. */
struct expect
{
    HRESULT hr;
    HRESULT scode;      /* for DISP_E_EXCEPTION */
    UINT argerr;        /* ~0u: untouched */
};

static IUnknown *create_method_object(const struct method *m)
{
    return create_object(&m->clsid, &m->iid);
}

/* The call that shows an object still works: the first member callable
 * with good arguments, and what it gives on a new object. */
struct check_call
{
    const struct method *m;
    struct expect expect;
};

/* The bad argument for position pos, in place; wrap: in a script's
 * variable (VT_BYREF|VT_VARIANT). */
static void make_bad(const struct method *m, UINT pos, const struct bad *bad, BOOL wrap, struct value *val)
{
    memset(val, 0, sizeof(*val));
    bad->make(&m->params[m->arg_params[pos]], bad->vt, val);
    if (wrap)
    {
        val->inner = val->v;
        V_VT(&val->v) = VT_BYREF | VT_VARIANT;
        V_VARIANTREF(&val->v) = &val->inner;
    }
}

static void make_good_args(const struct method *m, struct value *args)
{
    UINT a;

    for (a = 0; a < m->arg_count; ++a)
        make_good(&m->params[m->arg_params[a]], &args[a]);
}

static void free_args(struct value *args, UINT count)
{
    UINT a;

    for (a = 0; a < count; ++a)
        free_value(&args[a]);
}

/* What the call with good arguments, except the argument at position
 * bad_pos made by bad (bad_pos ~0u: none), gives through the vtable. */
static struct expect expect_call(const struct method *m, UINT bad_pos, const struct bad *bad, BOOL wrap, UINT count)
{
    struct value args[MAX_PARAMS], made;
    struct expect e = {S_OK, S_OK, ~0u};
    IUnknown *obj;

    if (!m->callable)
    {
        e.hr = DISP_E_BADVARTYPE;
        return e;
    }
    make_good_args(m, args);
    if (bad_pos != ~0u)
    {
        make_bad(m, bad_pos, bad, wrap, &made);
        free_value(&args[bad_pos]);
        if (bad->expected)
            e.hr = bad->expected;
        else
            e.hr = expect_arg(&m->params[m->arg_params[bad_pos]], &made.v, &args[bad_pos]);
        if (FAILED(e.hr))
            e.argerr = count - 1 - bad_pos;
    }
    if (SUCCEEDED(e.hr))
    {
        obj = create_method_object(m);
        e.scode = call_vtable(m, obj, LOCALE_USER_DEFAULT, args);
        e.hr = FAILED(e.scode) ? DISP_E_EXCEPTION : S_OK;
        IUnknown_Release(obj);
    }
    free_args(args, m->arg_count);
    if (bad_pos != ~0u)
        free_value(&made);
    return e;
}

static HRESULT do_invoke(IDispatch *disp, const struct call *call, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    VARIANT rgvarg[MAX_PARAMS + 2];
    DISPPARAMS params = {rgvarg, call->named, call->count, call->named_count};
    UINT i;

    for (i = 0; i < call->count; ++i)
        rgvarg[call->count - 1 - i] = call->args[i].v;
    return IDispatch_Invoke(disp, call->dispid, &IID_NULL, LOCALE_USER_DEFAULT, call->flags,
            call->params ? call->params : &params,
            call->no_result ? NULL : result, call->no_excepinfo ? NULL : excepinfo, call->no_argerr ? NULL : argerr);
}

#define check_invoke(a, b, c, d, e) check_invoke_(__LINE__, a, b, c, d, e)
static void check_invoke_(unsigned int line, const struct method *m, const struct check_call *check,
        const struct call *call, const struct expect *e, const char *what)
{
    struct call check_args = {0};
    struct value args[MAX_PARAMS];
    EXCEPINFO excepinfo;
    IDispatch *disp;
    IUnknown *obj;
    VARIANT result;
    UINT argerr;
    HRESULT hr;
    ULONG ref;

    ++invoke_cases;
    obj = create_method_object(m);
    IUnknown_QueryInterface(obj, &IID_IDispatch, (void **)&disp);
    memset(&excepinfo, 0, sizeof(excepinfo));
    VariantInit(&result);
    argerr = ~0u;
    hr = do_invoke(disp, call, &result, &excepinfo, &argerr);
    ok_(__FILE__, line)(hr == e->hr, "%s %s: got hr %#lx, expected %#lx.\n",
            m->text, what, hr, e->hr);
    if (hr == DISP_E_EXCEPTION && e->hr == DISP_E_EXCEPTION && !call->no_excepinfo)
        ok_(__FILE__, line)(excepinfo.scode == e->scode, "%s %s: got scode %#lx, expected %#lx.\n",
                m->text, what, excepinfo.scode, e->scode);
    if (!call->no_argerr && e->argerr != ~0u)
        ok_(__FILE__, line)(argerr == e->argerr, "%s %s: got argerr %u, expected %u.\n",
                m->text, what, argerr, e->argerr);
    if (FAILED(hr))
        ok_(__FILE__, line)(V_VT(&result) == VT_EMPTY, "%s %s: got result type %#x.\n",
                m->text, what, V_VT(&result));
    else if (!call->no_result)
        ok_(__FILE__, line)(V_VT(&result) == (m->desc->invkind == INVOKE_PROPERTYPUT ? VT_EMPTY : m->retval.vt),
                "%s %s: got result type %#x.\n", m->text, what, V_VT(&result));
    VariantClear(&result);

    /* the object still works */
    check_args.dispid = check->m->desc->memid;
    check_args.flags = invoke_flags(check->m);
    check_args.args = args;
    check_args.count = check->m->arg_count;
    make_good_args(check->m, args);
    memset(&excepinfo, 0, sizeof(excepinfo));
    hr = do_invoke(disp, &check_args, &result, &excepinfo, &argerr);
    ok_(__FILE__, line)(hr == check->expect.hr && (hr != DISP_E_EXCEPTION || excepinfo.scode == check->expect.scode),
            "%s %s: then got hr %#lx, scode %#lx.\n", m->text, what, hr, excepinfo.scode);
    VariantClear(&result);
    free_args(args, check->m->arg_count);
    IDispatch_Release(disp);
    ref = IUnknown_Release(obj);
    ok_(__FILE__, line)(!ref, "%s %s: %lu references left.\n", m->text, what, ref);
}

/* Every bad argument in every position. */
static void sweep_arguments(const struct method *m, const struct check_call *check)
{
    struct value args[MAX_PARAMS];
    DISPID put = DISPID_PROPERTYPUT;
    struct call call = {0};
    struct expect e;
    char what[128];
    UINT pos, i, wrap;

    call.dispid = m->desc->memid;
    call.flags = invoke_flags(m);
    call.args = args;
    call.count = m->arg_count;
    if (call.flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF))
    {
        call.named = &put;
        call.named_count = 1;
    }

    for (pos = 0; pos < m->arg_count; ++pos)
    {
        for (i = 0; i < ARRAY_SIZE(bad_args); ++i)
        {
            /* as it is, and in a script's variable */
            for (wrap = 0; wrap < 2; ++wrap)
            {
                if (wrap && (bad_args[i].make == make_nested_ref || bad_args[i].expected == E_POINTER))
                    continue;
                e = expect_call(m, pos, &bad_args[i], wrap, m->arg_count);
                make_good_args(m, args);
                free_value(&args[pos]);
                make_bad(m, pos, &bad_args[i], wrap, &args[pos]);
                sprintf(what, "argument %u, %s%s", pos, bad_args[i].name, wrap ? " by reference" : "");
                check_invoke(m, check, &call, &e, what);
                free_args(args, m->arg_count);
            }
        }
    }
}

static const struct method *find_method(const struct method *methods, UINT count, DISPID dispid, WORD flags)
{
    UINT i;

    for (i = 0; i < count; ++i)
        if (methods[i].desc->memid == dispid && (methods[i].desc->invkind & flags))
            return &methods[i];
    return NULL;
}

/* Good calls, argument counts, named arguments, flags and DISPPARAMS. */
static void sweep_calls(const struct method *m, const struct method *methods, UINT method_count,
        const struct check_call *check)
{
    static const WORD kinds[] = {DISPATCH_METHOD, DISPATCH_PROPERTYGET, DISPATCH_PROPERTYPUT, DISPATCH_PROPERTYPUTREF};
    struct value args[MAX_PARAMS + 1];
    DISPID named[MAX_PARAMS + 1];
    struct expect e, good, error = {0, 0, ~0u};
    DISPPARAMS params = {0};
    struct call call = {0};
    char what[64];
    UINT i;

    call.dispid = m->desc->memid;
    call.flags = invoke_flags(m);
    call.args = args;
    call.count = m->arg_count;
    good = expect_call(m, ~0u, NULL, FALSE, m->arg_count);

    /* good arguments, with and without the optional pointers */
    for (i = 0; i < 4; ++i)
    {
        make_good_args(m, args);
        call.no_result = i == 1;
        call.no_excepinfo = i == 2;
        call.no_argerr = i == 3;
        check_invoke(m, check, &call, &good, i == 1 ? "good, no result" : i == 2 ? "good, no EXCEPINFO"
                : i == 3 ? "good, no argerr" : "good");
        free_args(args, m->arg_count);
    }
    call.no_result = call.no_excepinfo = call.no_argerr = FALSE;

    /* every argument named, last first */
    if (m->arg_count)
    {
        make_good_args(m, args);
        for (i = 0; i < m->arg_count; ++i)
            named[i] = m->arg_count - 1 - i;
        call.named = named;
        call.named_count = m->arg_count;
        e = expect_call(m, ~0u, NULL, FALSE, m->arg_count);
        check_invoke(m, check, &call, &e, "named");
        free_args(args, m->arg_count);
    }

    /* too many */
    make_good_args(m, args);
    V_VT(&args[m->arg_count].v) = VT_I4;
    V_I4(&args[m->arg_count].v) = 1;
    call.count = m->arg_count + 1;
    call.named_count = 0;
    error.hr = DISP_E_BADPARAMCOUNT;
    error.argerr = 0;
    check_invoke(m, check, &call, &error, "one argument too many");
    free_args(args, m->arg_count + 1);

    /* too few */
    if (m->required)
    {
        make_good_args(m, args);
        call.count = m->required - 1;
        error.argerr = ~0u;
        check_invoke(m, check, &call, &error, "one argument too few");
        free_args(args, m->arg_count);
    }

    /* named arguments that name no parameter, or one named twice */
    call.count = 1;
    call.named = named;
    call.named_count = 1;
    error.hr = m->arg_count ? DISP_E_PARAMNOTFOUND : DISP_E_BADPARAMCOUNT;
    error.argerr = 0;
    for (i = 0; i < 3; ++i)
    {
        if (i == 2 && (call.flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF)))
            continue;
        make_good_args(m, args);
        named[0] = i == 0 ? (DISPID)m->arg_count : i == 1 ? -5 : DISPID_PROPERTYPUT;
        sprintf(what, "named %ld", named[0]);
        check_invoke(m, check, &call, &error, what);
        free_args(args, m->arg_count);
    }
    if (m->arg_count >= 2)
    {
        make_good_args(m, args);
        call.count = 2;
        call.named_count = 2;
        named[0] = named[1] = 0;
        error.hr = DISP_E_PARAMNOTFOUND;
        error.argerr = 1;
        check_invoke(m, check, &call, &error, "named twice");
        named[0] = 0;
        call.named_count = 1;
        error.argerr = 0;
        check_invoke(m, check, &call, &error, "named and positional");
        free_args(args, m->arg_count);
    }
    call.named_count = 0;
    call.count = 0;

    /* flags: none, unknown bits, and kinds this DISPID lacks */
    error.argerr = ~0u;
    call.flags = 0;
    error.hr = DISP_E_MEMBERNOTFOUND;
    check_invoke(m, check, &call, &error, "flags 0");
    call.flags = 0x10;
    error.hr = E_INVALIDARG;
    check_invoke(m, check, &call, &error, "flags 0x10");
    call.flags = invoke_flags(m) | 0x8000;
    check_invoke(m, check, &call, &error, "flags | 0x8000");
    for (i = 0; i < ARRAY_SIZE(kinds); ++i)
    {
        if (find_method(methods, method_count, m->desc->memid,
                kinds[i] == DISPATCH_PROPERTYPUTREF ? DISPATCH_PROPERTYPUTREF | DISPATCH_PROPERTYPUT : kinds[i]))
            continue;
        call.flags = kinds[i];
        error.hr = DISP_E_MEMBERNOTFOUND;
        sprintf(what, "flags %#x", kinds[i]);
        check_invoke(m, check, &call, &error, what);
    }

    /* DISPPARAMS that do not add up */
    call.flags = invoke_flags(m);
    error.hr = E_INVALIDARG;
    call.params = &params;
    params.cArgs = 1;
    check_invoke(m, check, &call, &error, "no rgvarg");
    params.rgvarg = &args[0].v;
    V_VT(&args[0].v) = VT_I4;
    params.cNamedArgs = 1;
    check_invoke(m, check, &call, &error, "no rgdispidNamedArgs");
    params.rgdispidNamedArgs = named;
    params.cNamedArgs = 2;
    check_invoke(m, check, &call, &error, "more named than arguments");
    call.params = NULL;
}

/* Calls that name no member, and names that are none. */
static void sweep_interface(IDispatch *disp, const struct method *methods, UINT method_count)
{
    static const DISPID unknown[] = {1000, -1, DISPID_NEWENUM, DISPID_EVALUATE, 0x60000000, 0x60010000, 0x7fffffff};
    WCHAR *names[3];
    DISPID ids[3];
    DISPPARAMS params = {0};
    VARIANT result;
    HRESULT hr;
    UINT i, j;

    for (i = 0; i < ARRAY_SIZE(unknown); ++i)
    {
        for (j = 1; j <= DISPATCH_PROPERTYPUTREF; j <<= 1)
        {
            ++invoke_cases;
            hr = IDispatch_Invoke(disp, unknown[i], &IID_NULL, 0, j, &params, &result, NULL, NULL);
            ok(hr == DISP_E_MEMBERNOTFOUND, "DISPID %ld, flags %#x: got hr %#lx.\n", unknown[i], j, hr);
        }
    }
    ++invoke_cases;
    hr = IDispatch_Invoke(disp, methods[0].desc->memid, &IID_NULL, 0, invoke_flags(&methods[0]), NULL, &result, NULL, NULL);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    names[0] = (WCHAR *)L"QueryInterface";
    hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 1, 0, ids);
    ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);
    ok(ids[0] == DISPID_UNKNOWN, "Got %ld.\n", ids[0]);
    names[0] = (WCHAR *)L"";
    hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 1, 0, ids);
    ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);
    hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 0, 0, ids);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    for (i = 0; i < method_count; ++i)
    {
        names[0] = methods[i].name;
        names[1] = (WCHAR *)L"NoSuchParameter";
        names[2] = NULL;
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 2, 0, ids);
        ok(hr == DISP_E_UNKNOWNNAME, "Got hr %#lx.\n", hr);
        ok(ids[0] == methods[i].desc->memid && ids[1] == DISPID_UNKNOWN, "Got %ld, %ld.\n", ids[0], ids[1]);
        hr = IDispatch_GetIDsOfNames(disp, &IID_NULL, names, 3, 0, ids);
        ok(hr == E_POINTER, "Got hr %#lx.\n", hr);
        invoke_cases += 2;
    }
}

/* The vtable sweep: each member called directly, with one argument a
 * NULL pointer or a value out of range and the others good. */

/* A parameter as the C ABI has it. */
enum c_kind
{
    C_INT,          /* a number: BYTE, LONG, DWORD, ULONG_PTR... */
    C_ENUM,
    C_BSTR,
    C_OBJECT,       /* IFoo * */
    C_POINTER,      /* T *, IFoo **, a structure's address */
    C_ARRAY,        /* SAFEARRAY * */
};

struct c_param
{
    enum c_kind kind;
    VARTYPE vt;             /* C_INT's type, C_ARRAY's elements */
    IID iid;                /* C_OBJECT, and the object behind a C_POINTER to one */
    BOOL to_object;
    LONG enum_max;          /* the highest value of C_ENUM */
};

static void c_param_of(ITypeInfo *info, const TYPEDESC *desc, unsigned int pointers, struct c_param *c)
{
    ITypeInfo *ref;
    TYPEATTR *attr;
    VARDESC *var;
    UINT i;

    for (; desc->vt == VT_PTR; desc = desc->lptdesc)
        ++pointers;
    c->kind = pointers ? C_POINTER : C_INT;
    c->vt = desc->vt;
    if (desc->vt == VT_BSTR && !pointers)
        c->kind = C_BSTR;
    else if (desc->vt == VT_SAFEARRAY && !pointers)
    {
        c->kind = C_ARRAY;
        c->vt = form_of(info, desc->lptdesc, &c->iid);
    }
    else if (desc->vt == VT_USERDEFINED && SUCCEEDED(ITypeInfo_GetRefTypeInfo(info, desc->hreftype, &ref)))
    {
        ITypeInfo_GetTypeAttr(ref, &attr);
        if (attr->typekind == TKIND_ALIAS)
            c_param_of(ref, &attr->tdescAlias, pointers, c);
        else if (attr->typekind == TKIND_ENUM && !pointers)
        {
            c->kind = C_ENUM;
            c->vt = VT_I4;
            for (i = 0; i < attr->cVars; ++i)
            {
                ITypeInfo_GetVarDesc(ref, i, &var);
                c->enum_max = max(c->enum_max, V_I4(var->lpvarValue));
                ITypeInfo_ReleaseVarDesc(ref, var);
            }
        }
        else if (attr->typekind == TKIND_INTERFACE || attr->typekind == TKIND_DISPATCH)
        {
            c->iid = attr->guid;
            c->kind = pointers == 1 ? C_OBJECT : C_POINTER;
            c->to_object = pointers == 2;
        }
        ITypeInfo_ReleaseTypeAttr(ref, attr);
        ITypeInfo_Release(ref);
    }
}

/* One argument through the vtable and what it owns. */
struct c_value
{
    VARIANT v;
    union
    {
        IUnknown *obj;
        LONG l;
        BYTE bytes[64];
    } storage;
    const struct c_param *param;
    VARTYPE retval;         /* what a [retval] pointer gets */
};

static void make_c_good(const struct c_param *param, struct c_value *val)
{
    VARIANT one;

    memset(val, 0, sizeof(*val));
    val->param = param;
    switch (param->kind)
    {
        case C_INT:
        case C_ENUM:
            V_VT(&one) = VT_I4;
            V_I4(&one) = 1;
            ok(VariantChangeType(&val->v, &one, 0, param->vt) == S_OK, "No %#x.\n", param->vt);
            break;
        case C_BSTR:
            V_VT(&val->v) = VT_BSTR;
            V_BSTR(&val->v) = SysAllocString(L"x");
            break;
        case C_OBJECT:
            V_VT(&val->v) = VT_UNKNOWN;
            V_UNKNOWN(&val->v) = new_argument_object(&param->iid);
            break;
        case C_ARRAY:
            V_VT(&val->v) = VT_ARRAY | (param->vt & VT_TYPEMASK);
            V_ARRAY(&val->v) = new_array(param->vt & VT_TYPEMASK, 0, 1, 1);
            break;
        case C_POINTER:
            V_VT(&val->v) = VT_BYREF | VT_UI1;
            V_BYREF(&val->v) = &val->storage;
            if (param->to_object)
                val->storage.obj = new_argument_object(&param->iid);
            else
                val->storage.l = 1;
            break;
    }
}

static void free_c_value(struct c_value *val)
{
    if (V_VT(&val->v) == (VT_BYREF | VT_UI1))
    {
        if (val->param->to_object && val->storage.obj)
            IUnknown_Release(val->storage.obj);
        else if (val->retval == VT_DISPATCH || val->retval == VT_UNKNOWN)
        {
            if (val->storage.obj)
                IUnknown_Release(val->storage.obj);
        }
        else if (val->retval & VT_ARRAY)
            SafeArrayDestroy((SAFEARRAY *)val->storage.obj);
    }
    else
        VariantClear(&val->v);
}

/* The members that take a size: huge values would allocate gigabytes or
 * describe more bytes than the caller's buffer has, as the IDL says. */
static BOOL takes_size(const struct method *m)
{
    static const WCHAR *names[] = {L"Initialize", L"SetSize", L"Read", L"Write", L"ConvertByteArrayToByteBuffer",
            L"CreateByteArray", L"CreateByteBuffer", L"CreateSafeArray"};
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(names); ++i)
        if (!wcscmp(m->name, names[i]))
            return TRUE;
    return FALSE;
}

/* What a member answers that the general rule (NULL pointers E_POINTER,
 * values out of range E_INVALIDARG) does not say: the README's decisions. */
struct vtable_exception
{
    const WCHAR *iface, *member;
    unsigned int param;
    const char *what;       /* "NULL", or the value */
    HRESULT hr;
};

/* the value is accepted and changes nothing: the result of good arguments */
#define AS_GOOD ((HRESULT)0x7fffffff)

static const struct vtable_exception vtable_exceptions[] =
{
    /* IStream's conventions: flags STG_E_INVALIDFLAG, lock types
     * STG_E_INVALIDFUNCTION, seeks STG_E_SEEKERROR, counts optional */
    {L"IByteBuffer", L"Commit", 0, "-1", STG_E_INVALIDFLAG},
    {L"IByteBuffer", L"Commit", 0, "MINLONG", STG_E_INVALIDFLAG},
    {L"IByteBuffer", L"Commit", 0, "MAXLONG", STG_E_INVALIDFLAG},
    {L"IByteBuffer", L"CopyTo", 1, "MAXLONG", S_OK},
    {L"IByteBuffer", L"CopyTo", 2, "NULL", S_OK},
    {L"IByteBuffer", L"CopyTo", 3, "NULL", S_OK},
    {L"IByteBuffer", L"LockRegion", 0, "MAXLONG", S_OK},
    {L"IByteBuffer", L"LockRegion", 1, "MAXLONG", S_OK},
    {L"IByteBuffer", L"LockRegion", 2, "-1", STG_E_INVALIDFUNCTION},
    {L"IByteBuffer", L"LockRegion", 2, "MINLONG", STG_E_INVALIDFUNCTION},
    {L"IByteBuffer", L"LockRegion", 2, "MAXLONG", STG_E_INVALIDFUNCTION},
    {L"IByteBuffer", L"Read", 2, "NULL", S_OK},
    {L"IByteBuffer", L"Seek", 0, "-1", STG_E_SEEKERROR},
    {L"IByteBuffer", L"Seek", 0, "MINLONG", STG_E_SEEKERROR},
    {L"IByteBuffer", L"Seek", 0, "MAXLONG", S_OK},
    {L"IByteBuffer", L"Seek", 1, "-1", STG_E_SEEKERROR},
    {L"IByteBuffer", L"Seek", 1, "MINLONG", STG_E_SEEKERROR},
    {L"IByteBuffer", L"Seek", 1, "MAXLONG", STG_E_SEEKERROR},
    {L"IByteBuffer", L"Seek", 2, "NULL", S_OK},
    {L"IByteBuffer", L"Stat", 1, "-1", STG_E_INVALIDFLAG},
    {L"IByteBuffer", L"Stat", 1, "MINLONG", STG_E_INVALIDFLAG},
    {L"IByteBuffer", L"Stat", 1, "MAXLONG", STG_E_INVALIDFLAG},
    {L"IByteBuffer", L"UnlockRegion", 0, "MAXLONG", STG_E_LOCKVIOLATION},
    {L"IByteBuffer", L"UnlockRegion", 1, "MAXLONG", STG_E_LOCKVIOLATION},
    {L"IByteBuffer", L"UnlockRegion", 2, "-1", STG_E_INVALIDFUNCTION},
    {L"IByteBuffer", L"UnlockRegion", 2, "MINLONG", STG_E_INVALIDFUNCTION},
    {L"IByteBuffer", L"UnlockRegion", 2, "MAXLONG", STG_E_INVALIDFUNCTION},
    {L"IByteBuffer", L"Write", 2, "NULL", S_OK},
    /* NULL data means none, as for Initialize's */
    {L"IByteBuffer", L"Initialize", 1, "NULL", S_OK},
    {L"ISCardCmd", L"BuildCmd", 4, "NULL", S_OK},
    {L"ISCardCmd", L"BuildCmd", 5, "NULL", S_OK},
    {L"ISCardISO7816", L"EraseBinary", 2, "NULL", S_OK},
    {L"ISCardISO7816", L"ExternalAuthenticate", 2, "NULL", S_OK},
    {L"ISCardISO7816", L"SelectFile", 2, "NULL", S_OK},
    {L"ISCardISO7816", L"Verify", 1, "NULL", S_OK},
    /* SizeOfIStream follows its documentation page */
    {L"ISCardTypeConv", L"SizeOfIStream", 1, "NULL", E_INVALIDARG},
    /* a NULL name is an empty one */
    {L"ISCard", L"AttachByReader", 0, "NULL", E_INVALIDARG},
    {L"ISCardDatabase", L"GetProviderCardId", 0, "NULL", E_INVALIDARG},
    {L"ISCardDatabase", L"ListCardInterfaces", 0, "NULL", E_INVALIDARG},
    /* no ATR or no GUIDs is no condition; "x" is no GUID and 00 A4 00 00 no ATR */
    {L"ISCardDatabase", L"ListCards", 0, "NULL", E_INVALIDARG},
    {L"ISCardDatabase", L"ListCards", 1, "NULL", SCARD_E_INVALID_ATR},
    {L"ISCardLocate", L"ConfigureCardGuidSearch", 1, "NULL", E_INVALIDARG},
    {L"ISCardLocate", L"ConfigureCardGuidSearch", 2, "NULL", E_INVALIDARG},
    {L"ISCardLocate", L"ConfigureCardNameSearch", 1, "NULL", S_OK},
    {L"ISCardLocate", L"ConfigureCardNameSearch", 2, "NULL", S_OK},
    /* the locale is accepted and ignored */
    {L"ISCardDatabase", L"ListCards", 2, "-1", AS_GOOD},
    {L"ISCardDatabase", L"ListCards", 2, "MINLONG", AS_GOOD},
    {L"ISCardDatabase", L"ListCards", 2, "MAXLONG", AS_GOOD},
    {L"ISCardDatabase", L"ListReaderGroups", 0, "-1", AS_GOOD},
    {L"ISCardDatabase", L"ListReaderGroups", 0, "MINLONG", AS_GOOD},
    {L"ISCardDatabase", L"ListReaderGroups", 0, "MAXLONG", AS_GOOD},
    {L"ISCardDatabase", L"ListReaders", 0, "-1", AS_GOOD},
    {L"ISCardDatabase", L"ListReaders", 0, "MINLONG", AS_GOOD},
    {L"ISCardDatabase", L"ListReaders", 0, "MAXLONG", AS_GOOD},
};

static HRESULT expected_vtable(const WCHAR *iface, const struct method *m, unsigned int param, const char *what)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(vtable_exceptions); ++i)
        if (!wcscmp(vtable_exceptions[i].iface, iface) && !wcscmp(vtable_exceptions[i].member, m->name)
                && vtable_exceptions[i].param == param && !strcmp(vtable_exceptions[i].what, what))
            return vtable_exceptions[i].hr;
    return strcmp(what, "NULL") ? E_INVALIDARG : E_POINTER;
}

/* Calls m on a new object with good arguments, except parameter bad
 * (~0u: none), which is NULL or value: the member's HRESULT. */
static HRESULT vtable_call(ITypeInfo *info, const struct method *m, unsigned int bad, BOOL null, LONG value)
{
    VARIANT *ptrs[MAX_PARAMS], ret;
    struct c_param params[MAX_PARAMS];
    struct c_value values[MAX_PARAMS];
    VARTYPE vts[MAX_PARAMS];
    IUnknown *obj;
    HRESULT hr;
    UINT p;

    memset(params, 0, sizeof(params));
    for (p = 0; p < (UINT)m->desc->cParams; ++p)
    {
        c_param_of(info, &m->desc->lprgelemdescParam[p].tdesc, 0, &params[p]);
        make_c_good(&params[p], &values[p]);
        if (m->desc->lprgelemdescParam[p].paramdesc.wParamFlags & PARAMFLAG_FRETVAL)
        {
            /* a [retval] starts empty: whatever make_c_good() put there goes, all of it */
            free_c_value(&values[p]);
            memset(&values[p].storage, 0, sizeof(values[p].storage));
            values[p].retval = form_of(info, m->desc->lprgelemdescParam[p].tdesc.lptdesc, &params[p].iid);
        }
        vts[p] = V_VT(&values[p].v);
        if (p == bad)
        {
            free_c_value(&values[p]);
            memset(&values[p], 0, sizeof(values[p]));
            values[p].param = &params[p];
            V_VT(&values[p].v) = vts[p];
            if (!null)
                V_I4(&values[p].v) = value;
        }
        ptrs[p] = &values[p].v;
    }

    obj = create_object(&m->clsid, &m->iid);
    hr = DispCallFunc(obj, m->desc->oVft, m->desc->callconv, VT_ERROR, m->desc->cParams, vts, ptrs, &ret);
    ok(hr == S_OK, "DispCallFunc failed, hr %#lx.\n", hr);
    for (p = 0; p < (UINT)m->desc->cParams; ++p)
        if (p != bad || !null)
            free_c_value(&values[p]);
    ok(!IUnknown_Release(obj), "%s parameter %u: references left.\n", m->text, bad);
    return V_ERROR(&ret);
}

static void sweep_vtable_call(ITypeInfo *info, const WCHAR *iface, const struct method *m, unsigned int bad,
        const char *what, LONG value)
{
    HRESULT hr, expected;

    ++vtable_cases;
    hr = vtable_call(info, m, bad, !strcmp(what, "NULL"), value);
    if ((expected = expected_vtable(iface, m, bad, what)) == AS_GOOD)
        expected = vtable_call(info, m, ~0u, FALSE, 0);
    ok(hr == expected, "%s parameter %u %s: got hr %#lx, expected %#lx.\n", m->text, bad, what, hr, expected);
}

static void sweep_vtable(ITypeInfo *info, const WCHAR *iface, const struct method *m)
{
    static const LONG longs[] = {-1, MINLONG, MAXLONG};
    static const char *long_names[] = {"-1", "MINLONG", "MAXLONG"};
    struct c_param param;
    unsigned int p, i;
    char what[32];

    for (p = 0; p < (UINT)m->desc->cParams; ++p)
    {
        memset(&param, 0, sizeof(param));
        c_param_of(info, &m->desc->lprgelemdescParam[p].tdesc, 0, &param);
        switch (param.kind)
        {
            case C_POINTER:
            case C_OBJECT:
            case C_ARRAY:
            case C_BSTR:
                sweep_vtable_call(info, iface, m, p, "NULL", 0);
                break;
            case C_INT:
                if (param.vt != VT_I4)
                    break;
                for (i = 0; i < ARRAY_SIZE(longs); ++i)
                    if (longs[i] < 0 || !takes_size(m))
                        sweep_vtable_call(info, iface, m, p, long_names[i], longs[i]);
                break;
            case C_ENUM:
                /* PC/SC's own share modes and protocols are passed on (issue 9's item 4) */
                if (!wcscmp(m->name, L"AttachByReader") || !wcscmp(m->name, L"ReAttach"))
                    break;
                sweep_vtable_call(info, iface, m, p, "-1", -1);
                sprintf(what, "%ld", param.enum_max + 1);
                sweep_vtable_call(info, iface, m, p, what, param.enum_max + 1);
                sweep_vtable_call(info, iface, m, p, "MAXLONG", MAXLONG);
                break;
        }
    }
}

static void sweep_class(ITypeInfo *class_info)
{
    struct method methods[64];
    struct check_call check = {0};
    UINT i, count = 0;
    char text[64];
    BSTR name;
    ITypeInfo *info;
    IDispatch *disp;
    TYPEATTR *attr;
    HREFTYPE ref;
    FUNCDESC *desc;
    HRESULT hr;
    CLSID clsid;
    IID iid;

    ITypeInfo_GetTypeAttr(class_info, &attr);
    clsid = attr->guid;
    ITypeInfo_ReleaseTypeAttr(class_info, attr);
    hr = ITypeInfo_GetRefTypeOfImplType(class_info, 0, &ref);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ITypeInfo_GetRefTypeInfo(class_info, ref, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ITypeInfo_GetTypeAttr(info, &attr);
    iid = attr->guid;
    ITypeInfo_GetDocumentation(info, MEMBERID_NIL, &name, NULL, NULL, NULL);
    WideCharToMultiByte(CP_ACP, 0, name, -1, text, sizeof(text), NULL, NULL);
    winetest_push_context("%s", text);

    memset(methods, 0, sizeof(methods));
    ok(attr->cFuncs <= ARRAY_SIZE(methods), "%u members.\n", attr->cFuncs);
    for (i = 0; i < attr->cFuncs && i < ARRAY_SIZE(methods); ++i)
    {
        hr = ITypeInfo_GetFuncDesc(info, i, &desc);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        methods[count].clsid = clsid;
        methods[count].iid = iid;
        if (read_method(info, desc, &methods[count]))
            ++count;
    }
    ITypeInfo_ReleaseTypeAttr(info, attr);

    /* the first member that works with good arguments shows that an object still works */
    for (i = 0; i < count && !check.m; ++i)
    {
        if (methods[i].callable && methods[i].desc->invkind != INVOKE_PROPERTYPUT)
        {
            check.m = &methods[i];
            check.expect = expect_call(&methods[i], ~0u, NULL, FALSE, methods[i].arg_count);
        }
    }
    ok(!!check.m, "No callable member.\n");

    if (check.m)
    {
        for (i = 0; i < count; ++i)
        {
            winetest_push_context("%s", methods[i].text);
            sweep_calls(&methods[i], methods, count, &check);
            sweep_arguments(&methods[i], &check);
            winetest_pop_context();
        }
        for (i = 0; i < count; ++i)
            sweep_vtable(info, name, &methods[i]);
        disp = (IDispatch *)create_object(&clsid, &IID_IDispatch);
        sweep_interface(disp, methods, count);
        IDispatch_Release(disp);
    }

    for (i = 0; i < count; ++i)
    {
        SysFreeString(methods[i].name);
        ITypeInfo_ReleaseFuncDesc(info, methods[i].desc);
    }
    SysFreeString(name);
    ITypeInfo_Release(info);
    winetest_pop_context();
}

static void test_invoke_sweep(void)
{
    UINT i, classes = 0;
    ITypeInfo *info;
    ITypeLib *lib;
    TYPEKIND kind;
    HRESULT hr;

    hr = LoadRegTypeLib(&LIBID_SCARDSSPLib, 1, 0, LOCALE_NEUTRAL, &lib);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (FAILED(hr))
        return;
    for (i = 0; i < ITypeLib_GetTypeInfoCount(lib); ++i)
    {
        ITypeLib_GetTypeInfoType(lib, i, &kind);
        if (kind != TKIND_COCLASS)
            continue;
        hr = ITypeLib_GetTypeInfo(lib, i, &info);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        sweep_class(info);
        ITypeInfo_Release(info);
        ++classes;
    }
    ok(classes == 7, "Got %u classes.\n", classes);
    ITypeLib_Release(lib);
}

/* The first calls on an interface read its type information: threads
 * that make them at once all get the same answers. */
static HANDLE start_event;

static DWORD WINAPI first_use_thread(void *arg)
{
    WCHAR *names[2] = {(WCHAR *)L"configurecardnamesearch", (WCHAR *)L"lFlags"};
    DISPID ids[2], dispid = DISPID_PROPERTYPUT;
    DISPPARAMS params = {NULL, NULL, 2, 0};
    VARIANT args[2];
    ISCardLocate *locate;
    unsigned int i;
    HRESULT hr;

    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    hr = CoCreateInstance(&CLSID_CSCardLocate, NULL, CLSCTX_INPROC_SERVER, &IID_ISCardLocate, (void **)&locate);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    V_VT(&args[1]) = VT_ARRAY | VT_BSTR;
    V_ARRAY(&args[1]) = new_array(VT_BSTR, 0, 1, 1);
    V_VT(&args[0]) = VT_NULL;
    params.rgvarg = args;
    WaitForSingleObject(start_event, INFINITE);
    for (i = 0; i < 50; ++i)
    {
        hr = ISCardLocate_GetIDsOfNames(locate, &IID_NULL, names, 2, 0, ids);
        ok(hr == S_OK && ids[0] == 1 && ids[1] == 3, "Got hr %#lx, %ld, %ld.\n", hr, ids[0], ids[1]);
        hr = ISCardLocate_Invoke(locate, 1, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        hr = ISCardLocate_Invoke(locate, 1, &IID_NULL, 0, DISPATCH_PROPERTYGET, &params, NULL, NULL, NULL);
        ok(hr == DISP_E_MEMBERNOTFOUND, "Got hr %#lx.\n", hr);
        params.rgdispidNamedArgs = &dispid;
        params.cNamedArgs = 1;
        hr = ISCardLocate_Invoke(locate, 1, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
        ok(hr == DISP_E_PARAMNOTFOUND, "Got hr %#lx.\n", hr);
        params.cNamedArgs = 0;
    }
    VariantClear(&args[1]);
    ok(!ISCardLocate_Release(locate), "Object still referenced.\n");
    CoUninitialize();
    return 0;
}

static void test_first_use(void)
{
    HANDLE threads[8];
    unsigned int i;

    start_event = CreateEventW(NULL, TRUE, FALSE, NULL);
    for (i = 0; i < ARRAY_SIZE(threads); ++i)
        threads[i] = CreateThread(NULL, 0, first_use_thread, NULL, 0, NULL);
    Sleep(100);
    SetEvent(start_event);
    for (i = 0; i < ARRAY_SIZE(threads); ++i)
    {
        ok(!WaitForSingleObject(threads[i], 10000), "Thread %u did not end.\n", i);
        CloseHandle(threads[i]);
    }
    CloseHandle(start_event);
}

START_TEST(sweep)
{
    CoInitialize(NULL);
    test_first_use();
    test_invoke_sweep();
    release_factories();
    trace("sweep: %u Invoke cases, %u vtable cases\n", invoke_cases, vtable_cases);
    CoUninitialize();
}
