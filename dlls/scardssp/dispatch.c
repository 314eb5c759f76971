/*
 * IDispatch through the type library, shared by every scardssp object
 *
 * The interfaces are plain IDispatch-derived [object] interfaces (not
 * [dual]), so Invoke is forwarded to ITypeInfo_Invoke.  What Wine 8's
 * ITypeInfo_Invoke does with what script engines pass (measured):
 *
 *  - VBScript passes variables by reference, as VT_BYREF|VT_VARIANT.  That
 *    works for by-value parameters, but a pointer parameter (an [in, out]
 *    ISCardCmd **, an [in] LONG *) gets DISP_E_TYPEMISMATCH, so
 *    "iso.GetChallenge 8, cmd" fails, and "(cmd)" writes nothing back;
 *  - a VBScript array is VT_ARRAY|VT_VARIANT, which a SAFEARRAY(BSTR) or
 *    SAFEARRAY(BYTE) parameter does not take;
 *  - an [lcid] parameter gets 0x409 whatever the caller's locale (it has
 *    no lcid to pass: Windows documents the type library's);
 *  - "Set obj.Prop = x" (DISPATCH_PROPERTYPUTREF) does not find a property
 *    that only has a propput;
 *  - an interface pointer is passed on as is, whatever object it is, and
 *    a number for a BYTE * becomes a one-byte buffer, which the method
 *    then reads or writes as far as its size parameter says;
 *  - BuildCmd's [in, defaultvalue(0)] LONG * left out (VT_ERROR) after
 *    all the others is DISP_E_TYPEMISMATCH; a required argument left off
 *    the end is DISP_E_BADPARAMCOUNT on x86_64 but DISP_E_PARAMNOTOPTIONAL
 *    on i686; extra arguments are ignored; a failed call leaves the
 *    result typed.
 *
 * So scardssp_invoke() looks at the declared type of each parameter and
 * rewrites the caller's arguments into exactly that type: by-reference
 * variables become pointers to a copy that is written back after a
 * successful call ([out] parameters only), objects are queried for the
 * declared interface (DISP_E_TYPEMISMATCH if they lack it), script arrays
 * become arrays of the declared element type, left-out arguments get
 * their declared default, and a BYTE * takes only a caller's own
 * VT_BYREF|VT_UI1 buffer (or nothing, as NULL).  Then it calls
 * ITypeInfo_Invoke, or DispCallFunc itself when the member has an [lcid]
 * parameter, to pass the caller's locale.  Argument counts are checked
 * first: DISP_E_BADPARAMCOUNT for too many or too few, and
 * DISP_E_PARAMNOTFOUND for a named argument that names no parameter.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

/* How a parameter type looks to a late-bound caller. */
enum param_kind
{
    PARAM_OTHER,        /* structures, GUIDs...: left to ITypeInfo_Invoke */
    PARAM_VALUE,        /* a scalar, enum or BSTR by value */
    PARAM_OBJECT,       /* an interface pointer, IFoo * */
    PARAM_OBJECT_REF,   /* an interface pointer by reference, IFoo ** */
    PARAM_SCALAR_REF,   /* a scalar by reference, LONG * */
    PARAM_BYTES,        /* BYTE *: a C array sized by another parameter */
    PARAM_ARRAY,        /* SAFEARRAY(type) */
};

struct param_type
{
    enum param_kind kind;
    VARTYPE vt;     /* the scalar, the array element, or VT_DISPATCH/VT_UNKNOWN for objects */
    IID iid;        /* the interface of PARAM_OBJECT and PARAM_OBJECT_REF */
};

/* One argument of the call, rewritten into the declared type. */
struct arg
{
    VARIANT value;      /* passed in place of the caller's argument */
    VARIANT storage;    /* what value points to, for by-reference parameters */
    VARIANT *caller;    /* the caller's variable, to write an [out] value back to */
    IUnknown **caller_object;   /* or the caller's VT_BYREF|VT_DISPATCH pointer */
    BOOL owned;         /* value holds a reference or memory to free */
};

HRESULT scardssp_get_typeinfo(tid_t tid, UINT index, ITypeInfo **typeinfo)
{
    if (!typeinfo)
        return E_POINTER;
    *typeinfo = NULL;
    if (index)
        return DISP_E_BADINDEX;
    return get_typeinfo(tid, typeinfo);
}

HRESULT scardssp_get_ids_of_names(tid_t tid, LPOLESTR *names, UINT count, DISPID *dispids)
{
    ITypeInfo *typeinfo;
    HRESULT hr;

    if (!names || !dispids)
        return E_POINTER;
    if (SUCCEEDED(hr = get_typeinfo(tid, &typeinfo)))
    {
        hr = ITypeInfo_GetIDsOfNames(typeinfo, names, count, dispids);
        ITypeInfo_Release(typeinfo);
    }
    return hr;
}

static void set_scalar_type(struct param_type *type, VARTYPE vt, unsigned int pointers)
{
    type->vt = vt;
    if (!pointers)
        type->kind = PARAM_VALUE;
    else if (pointers == 1)
        type->kind = (vt == VT_UI1 || vt == VT_I1) ? PARAM_BYTES : PARAM_SCALAR_REF;
}

/* Classifies desc behind the given number of pointers, seeing through
 * typedefs; enums are VT_I4. */
static void classify_type(ITypeInfo *info, const TYPEDESC *desc, unsigned int pointers, struct param_type *type)
{
    struct param_type element;
    ITypeInfo *ref;
    TYPEATTR *attr;

    while (desc->vt == VT_PTR)
    {
        desc = desc->lptdesc;
        ++pointers;
    }

    switch (desc->vt)
    {
        case VT_USERDEFINED:
            if (FAILED(ITypeInfo_GetRefTypeInfo(info, desc->hreftype, &ref)))
                break;
            if (SUCCEEDED(ITypeInfo_GetTypeAttr(ref, &attr)))
            {
                if (attr->typekind == TKIND_ALIAS)
                {
                    classify_type(ref, &attr->tdescAlias, pointers, type);
                }
                else if (attr->typekind == TKIND_ENUM)
                {
                    set_scalar_type(type, VT_I4, pointers);
                }
                else if ((attr->typekind == TKIND_INTERFACE || attr->typekind == TKIND_DISPATCH)
                        && (pointers == 1 || pointers == 2))
                {
                    type->kind = pointers == 1 ? PARAM_OBJECT : PARAM_OBJECT_REF;
                    type->vt = (attr->typekind == TKIND_DISPATCH || attr->wTypeFlags & TYPEFLAG_FDISPATCHABLE)
                            ? VT_DISPATCH : VT_UNKNOWN;
                    type->iid = attr->guid;
                }
                ITypeInfo_ReleaseTypeAttr(ref, attr);
            }
            ITypeInfo_Release(ref);
            break;

        case VT_SAFEARRAY:
            element.kind = PARAM_OTHER;
            classify_type(info, desc->lptdesc, 0, &element);
            if (!pointers && element.kind == PARAM_VALUE)
            {
                type->kind = PARAM_ARRAY;
                type->vt = element.vt;
            }
            break;

        case VT_VOID:
        case VT_HRESULT:
        case VT_CARRAY:
            break;

        default:
            set_scalar_type(type, desc->vt, pointers);
            break;
    }
}

/* The one VARIANT type a parameter of this type takes. */
static VARTYPE variant_type(const struct param_type *type)
{
    switch (type->kind)
    {
        case PARAM_VALUE:
        case PARAM_OBJECT:
            return type->vt;
        case PARAM_OBJECT_REF:
        case PARAM_SCALAR_REF:
        case PARAM_BYTES:
            return VT_BYREF | type->vt;
        case PARAM_ARRAY:
            return VT_ARRAY | type->vt;
        default:
            return VT_EMPTY;
    }
}

static BOOL is_missing(const VARIANT *v)
{
    return V_VT(v) == VT_ERROR && V_ERROR(v) == DISP_E_PARAMNOTFOUND;
}

/* "Nothing" in every spelling a caller may use for a pointer. */
static BOOL is_nothing(const VARIANT *v)
{
    return V_VT(v) == VT_EMPTY || V_VT(v) == VT_NULL
            || ((V_VT(v) == VT_DISPATCH || V_VT(v) == VT_UNKNOWN) && !V_UNKNOWN(v));
}

/* The declared interface of the object in v (NULL for nothing): an
 * object of another kind would be called through the wrong vtable. */
static HRESULT query_object(const VARIANT *v, const struct param_type *type, IUnknown **obj)
{
    IUnknown *unk;

    *obj = NULL;
    if (V_VT(v) == VT_DISPATCH || V_VT(v) == VT_UNKNOWN)
        unk = V_UNKNOWN(v);
    else if (V_VT(v) == (VT_BYREF | VT_DISPATCH) || V_VT(v) == (VT_BYREF | VT_UNKNOWN))
        unk = *V_UNKNOWNREF(v);
    else if (V_VT(v) == VT_EMPTY || V_VT(v) == VT_NULL)
        unk = NULL;
    else
        return DISP_E_TYPEMISMATCH;

    if (unk && FAILED(IUnknown_QueryInterface(unk, &type->iid, (void **)obj)))
    {
        WARN("Object %p has no interface %s.\n", unk, debugstr_guid(&type->iid));
        return DISP_E_TYPEMISMATCH;
    }
    return S_OK;
}

/* A script array (of VARIANTs) as a new SAFEARRAY of the declared element
 * type, with the same dimensions and bounds. */
static HRESULT convert_array(SAFEARRAY *src, VARTYPE vt, SAFEARRAY **array)
{
    SAFEARRAYBOUND bounds[16];
    ULONG count = 1, i;
    UINT dims, size;
    VARIANT *from;
    VARIANT tmp;
    SAFEARRAY *dst;
    HRESULT hr;
    BYTE *to;

    *array = NULL;
    if (!src)
        return S_OK;
    if (vt == VT_DECIMAL || vt == VT_VARIANT || vt == VT_RECORD)
        return DISP_E_TYPEMISMATCH;
    if (!(dims = SafeArrayGetDim(src)) || dims > ARRAY_SIZE(bounds))
        return DISP_E_TYPEMISMATCH;
    /* a SAFEARRAY keeps its bounds last dimension first */
    for (i = 0; i < dims; ++i)
    {
        bounds[i] = src->rgsabound[dims - 1 - i];
        count *= bounds[i].cElements;
    }
    if (!(dst = SafeArrayCreate(vt, dims, bounds)))
        return E_OUTOFMEMORY;

    size = SafeArrayGetElemsize(dst);
    if (FAILED(hr = SafeArrayAccessData(src, (void **)&from)))
    {
        SafeArrayDestroy(dst);
        return hr;
    }
    if (FAILED(hr = SafeArrayAccessData(dst, (void **)&to)))
    {
        SafeArrayUnaccessData(src);
        SafeArrayDestroy(dst);
        return hr;
    }
    for (i = 0; i < count && SUCCEEDED(hr); ++i)
    {
        VariantInit(&tmp);
        /* the converted value sits at the start of the VARIANT's union;
         * the array takes over what it owns (a BSTR, an interface) */
        if (SUCCEEDED(hr = VariantChangeType(&tmp, &from[i], 0, vt)))
            memcpy(to + i * size, &V_UI1(&tmp), size);
    }
    SafeArrayUnaccessData(dst);
    SafeArrayUnaccessData(src);

    if (FAILED(hr))
    {
        SafeArrayDestroy(dst);
        return DISP_E_TYPEMISMATCH;
    }
    *array = dst;
    return S_OK;
}

/* The declared default of a left-out argument (Wine 8's ITypeInfo_Invoke
 * gets some of these wrong): a copy of the value, or NULL for a pointer;
 * an [optional] argument without one stays missing. */
static HRESULT default_arg(const struct param_type *type, const PARAMDESC *desc, struct arg *arg)
{
    if (!(desc->wParamFlags & PARAMFLAG_FHASDEFAULT) || type->kind == PARAM_OTHER)
        return (desc->wParamFlags & (PARAMFLAG_FOPT | PARAMFLAG_FHASDEFAULT)) ? S_OK : DISP_E_PARAMNOTOPTIONAL;

    if (type->kind == PARAM_VALUE)
    {
        arg->owned = TRUE;
        return VariantCopy(&arg->value, &desc->pparamdescex->varDefaultValue);
    }
    memset(&arg->value, 0, sizeof(arg->value));
    V_VT(&arg->value) = variant_type(type);
    return S_OK;
}

/* Rewrites the caller's argument src into arg->value, of the declared
 * type desc. */
static HRESULT prepare_arg(const struct param_type *type, const PARAMDESC *desc, VARIANT *src, struct arg *arg)
{
    VARIANT *in = V_VT(src) == (VT_BYREF | VT_VARIANT) ? V_VARIANTREF(src) : src;
    VARTYPE vt = variant_type(type);
    SAFEARRAY *array;
    IUnknown *obj;
    HRESULT hr;

    arg->value = *src;
    if (is_missing(src))
        return default_arg(type, desc, arg);
    if (type->kind == PARAM_OTHER)
        return S_OK;

    switch (type->kind)
    {
        case PARAM_VALUE:
            /* ITypeInfo_Invoke converts these itself */
            arg->value = *in;
            return S_OK;

        case PARAM_OBJECT:
            if (FAILED(hr = query_object(in, type, &obj)))
                return hr;
            V_VT(&arg->value) = vt;
            V_UNKNOWN(&arg->value) = obj;
            arg->owned = TRUE;
            return S_OK;

        case PARAM_OBJECT_REF:
            if (FAILED(hr = query_object(in, type, &obj)))
                return hr;
            V_VT(&arg->storage) = type->vt;
            V_UNKNOWN(&arg->storage) = obj;
            if (in != src)
                arg->caller = in;
            else if (V_VT(src) & VT_BYREF)
                arg->caller_object = V_UNKNOWNREF(src);
            break;

        case PARAM_SCALAR_REF:
            if (V_VT(src) == vt)
                return S_OK;
            if (FAILED(VariantChangeType(&arg->storage, in, 0, type->vt)))
                return DISP_E_TYPEMISMATCH;
            if (in != src)
                arg->caller = in;
            break;

        case PARAM_BYTES:
            /* The size of the array is another parameter, which a type
             * library cannot express: only a caller's own buffer is safe;
             * a value turned into a one-byte buffer would be overrun. */
            if (V_VT(src) == vt)
                return S_OK;
            if (!is_nothing(in))
                return DISP_E_TYPEMISMATCH;
            V_VT(&arg->value) = vt;
            V_BYREF(&arg->value) = NULL;
            return S_OK;

        case PARAM_ARRAY:
            V_VT(&arg->value) = vt;
            if (V_VT(in) == vt)
                V_ARRAY(&arg->value) = V_ARRAY(in);
            else if (V_VT(in) == (VT_BYREF | vt))
                V_ARRAY(&arg->value) = *V_ARRAYREF(in);
            else if (is_nothing(in))
                V_ARRAY(&arg->value) = NULL;
            else if ((V_VT(in) & ~VT_BYREF) == (VT_ARRAY | VT_VARIANT))
            {
                hr = convert_array(V_VT(in) & VT_BYREF ? *V_ARRAYREF(in) : V_ARRAY(in), type->vt, &array);
                if (FAILED(hr))
                    return hr;
                V_ARRAY(&arg->value) = array;
                arg->owned = TRUE;
            }
            else
                return DISP_E_TYPEMISMATCH;
            return S_OK;

        default:
            return S_OK;
    }

    /* by reference: pass a pointer to our own copy, written back later */
    V_VT(&arg->value) = vt;
    V_BYREF(&arg->value) = &V_UI1(&arg->storage);
    return S_OK;
}

/* After a successful call, hands an [out] value to the caller's variable. */
static void write_back(struct arg *arg)
{
    IUnknown *old;

    if (arg->caller)
    {
        VariantClear(arg->caller);
        *arg->caller = arg->storage;
        V_VT(&arg->storage) = VT_EMPTY;
    }
    else if (arg->caller_object)
    {
        old = *arg->caller_object;
        *arg->caller_object = V_UNKNOWN(&arg->storage);
        V_VT(&arg->storage) = VT_EMPTY;
        if (old)
            IUnknown_Release(old);
    }
}

static void free_arg(struct arg *arg)
{
    VariantClear(&arg->storage);
    if (arg->owned)
        VariantClear(&arg->value);
}

/* The member Invoke means: the first with this DISPID and a matching kind.
 * A property without propputref takes DISPATCH_PROPERTYPUTREF ("Set
 * obj.Prop = x" in VBScript) as DISPATCH_PROPERTYPUT. */
static HRESULT find_function(ITypeInfo *info, DISPID dispid, WORD *flags, FUNCDESC **desc)
{
    WORD kinds[2] = { *flags, DISPATCH_PROPERTYPUT };
    unsigned int pass, i;
    TYPEATTR *attr;
    HRESULT hr;

    if (FAILED(hr = ITypeInfo_GetTypeAttr(info, &attr)))
        return hr;
    for (pass = 0; pass < ((*flags & DISPATCH_PROPERTYPUTREF) ? 2 : 1); ++pass)
    {
        for (i = 0; i < attr->cFuncs; ++i)
        {
            if (FAILED(ITypeInfo_GetFuncDesc(info, i, desc)))
                continue;
            if ((*desc)->memid == dispid && ((*desc)->invkind & kinds[pass]))
            {
                ITypeInfo_ReleaseTypeAttr(info, attr);
                *flags = kinds[pass];
                return S_OK;
            }
            ITypeInfo_ReleaseFuncDesc(info, *desc);
        }
    }
    ITypeInfo_ReleaseTypeAttr(info, attr);
    *desc = NULL;
    return DISP_E_MEMBERNOTFOUND;
}

/* The parameter rgvarg[index] is for, or -1: named arguments come first in
 * rgvarg, then the positional ones, last first; [lcid] and [retval]
 * parameters take no argument. */
static int param_of_arg(const FUNCDESC *desc, const DISPPARAMS *params, UINT index)
{
    int position, count = 0, i;

    for (i = 0; i < desc->cParams; ++i)
        if (!(desc->lprgelemdescParam[i].paramdesc.wParamFlags & (PARAMFLAG_FLCID | PARAMFLAG_FRETVAL)))
            ++count;

    if (index >= params->cNamedArgs)
        position = params->cArgs - 1 - index;
    else if (params->rgdispidNamedArgs[index] == DISPID_PROPERTYPUT)
        position = count - 1;
    else
        position = params->rgdispidNamedArgs[index];
    if (position < 0 || position >= count)
        return -1;

    for (i = 0; i < desc->cParams; ++i)
    {
        if (desc->lprgelemdescParam[i].paramdesc.wParamFlags & (PARAMFLAG_FLCID | PARAMFLAG_FRETVAL))
            continue;
        if (!position--)
            return i;
    }
    return -1;
}

/* Every argument needs a parameter, and every parameter without a default
 * an argument (Wine 8 reports the latter differently on i686 and x86_64). */
static HRESULT check_arg_count(const FUNCDESC *desc, const DISPPARAMS *params, UINT *argerr)
{
    BOOL given;
    UINT i;
    int p;

    for (i = 0; i < params->cArgs; ++i)
    {
        if (param_of_arg(desc, params, i) < 0)
        {
            if (argerr)
                *argerr = i;
            return i < params->cNamedArgs ? DISP_E_PARAMNOTFOUND : DISP_E_BADPARAMCOUNT;
        }
    }
    for (p = 0; p < desc->cParams; ++p)
    {
        if (desc->lprgelemdescParam[p].paramdesc.wParamFlags
                & (PARAMFLAG_FLCID | PARAMFLAG_FRETVAL | PARAMFLAG_FOPT | PARAMFLAG_FHASDEFAULT))
            continue;
        for (i = 0, given = FALSE; i < params->cArgs && !given; ++i)
            given = param_of_arg(desc, params, i) == p;
        if (!given)
            return DISP_E_BADPARAMCOUNT;
    }
    return S_OK;
}

/* ITypeInfo_Invoke cannot pass the caller's locale to an [lcid] parameter,
 * so a member with one is called here, with DispCallFunc, from arguments
 * that prepare_arg() has already put into their declared types (by-value
 * scalars aside, which are converted here). */
static HRESULT call_with_lcid(ITypeInfo *info, void *iface, const FUNCDESC *desc, LCID lcid,
        const DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    VARIANT *values, retval, ret;
    struct param_type type;
    const ELEMDESC *elem;
    VARIANTARG **ptrs;
    BOOL *converted;
    VARIANT *arg;
    VARTYPE *vts;
    HRESULT hr = S_OK;
    USHORT flags;
    int i, j;

    memset(&retval, 0, sizeof(retval));
    values = calloc(desc->cParams + 1, sizeof(*values));
    ptrs = calloc(desc->cParams + 1, sizeof(*ptrs));
    vts = calloc(desc->cParams + 1, sizeof(*vts));
    converted = calloc(desc->cParams + 1, sizeof(*converted));
    if (!values || !ptrs || !vts || !converted)
        hr = E_OUTOFMEMORY;

    for (i = 0; i < desc->cParams && SUCCEEDED(hr); ++i)
    {
        elem = &desc->lprgelemdescParam[i];
        flags = elem->paramdesc.wParamFlags;
        memset(&type, 0, sizeof(type));
        ptrs[i] = &values[i];

        if (flags & PARAMFLAG_FLCID)
        {
            V_VT(&values[i]) = VT_I4;
            V_I4(&values[i]) = lcid;
        }
        else if (flags & PARAMFLAG_FRETVAL)
        {
            /* our storage for what the [retval] pointer points to */
            if (elem->tdesc.vt == VT_PTR)
                classify_type(info, elem->tdesc.lptdesc, 0, &type);
            if (type.kind != PARAM_VALUE && type.kind != PARAM_OBJECT && type.kind != PARAM_ARRAY)
                hr = DISP_E_BADVARTYPE;
            V_VT(&retval) = variant_type(&type);
            V_VT(&values[i]) = VT_BYREF | V_VT(&retval);
            V_BYREF(&values[i]) = &V_UI1(&retval);
        }
        else
        {
            classify_type(info, &elem->tdesc, 0, &type);
            for (j = (int)params->cArgs - 1, arg = NULL; j >= 0 && !arg; --j)
                if (param_of_arg(desc, params, j) == i && !is_missing(&params->rgvarg[j]))
                    arg = &params->rgvarg[j];

            if (type.kind == PARAM_OTHER)
                hr = DISP_E_BADVARTYPE;
            else if (arg && V_VT(arg) == variant_type(&type))
                values[i] = *arg;
            else if (arg && type.kind == PARAM_VALUE)
                converted[i] = SUCCEEDED(hr = VariantChangeType(&values[i], arg, 0, type.vt));
            else if (arg)
                hr = DISP_E_TYPEMISMATCH;
            else if (type.kind == PARAM_VALUE && (flags & PARAMFLAG_FHASDEFAULT))
                converted[i] = SUCCEEDED(hr = VariantChangeType(&values[i],
                        &elem->paramdesc.pparamdescex->varDefaultValue, 0, type.vt));
            else if (type.kind != PARAM_VALUE && (flags & (PARAMFLAG_FHASDEFAULT | PARAMFLAG_FOPT)))
                V_VT(&values[i]) = variant_type(&type); /* the only default a pointer has: NULL */
            else
                hr = DISP_E_BADPARAMCOUNT;

            if (FAILED(hr) && arg && argerr)
                *argerr = arg - params->rgvarg;
            if (hr == DISP_E_OVERFLOW)
                hr = DISP_E_TYPEMISMATCH;
        }
        vts[i] = V_VT(&values[i]);
    }

    if (SUCCEEDED(hr))
    {
        TRACE("Calling vtable offset %#x, %u parameters, lcid %#lx.\n", desc->oVft, desc->cParams, lcid);
        VariantInit(&ret);
        hr = DispCallFunc(iface, desc->oVft, desc->callconv, VT_ERROR, desc->cParams, vts, ptrs, &ret);
        if (SUCCEEDED(hr) && FAILED(V_ERROR(&ret)))
        {
            /* as ITypeInfo_Invoke reports a failed call */
            if (excepinfo)
            {
                memset(excepinfo, 0, sizeof(*excepinfo));
                excepinfo->scode = V_ERROR(&ret);
            }
            hr = DISP_E_EXCEPTION;
        }
        else if (SUCCEEDED(hr) && result)
        {
            *result = retval;
            V_VT(&retval) = VT_EMPTY;
        }
    }
    VariantClear(&retval);

    /* what VariantChangeType made is ours; the rest belongs to the caller */
    for (i = 0; converted && i < desc->cParams; ++i)
        if (converted[i])
            VariantClear(&values[i]);
    free(values);
    free(ptrs);
    free(vts);
    free(converted);
    return hr;
}

HRESULT scardssp_invoke_lcid(tid_t tid, void *iface, DISPID dispid, LCID lcid, WORD flags, DISPPARAMS *params,
        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    DISPPARAMS call_params;
    struct param_type type;
    ITypeInfo *typeinfo;
    VARIANT *values;
    struct arg *args;
    FUNCDESC *desc;
    BOOL has_lcid = FALSE;
    HRESULT hr;
    UINT i;
    int p;

    TRACE("%d, %p, %ld, %#lx, %#x, %p, %p, %p, %p.\n", tid, iface, dispid, lcid, flags, params,
            result, excepinfo, argerr);

    if (!params || (params->cArgs && !params->rgvarg) || params->cNamedArgs > params->cArgs
            || (params->cNamedArgs && !params->rgdispidNamedArgs))
        return E_INVALIDARG;

    if (FAILED(hr = get_typeinfo(tid, &typeinfo)))
        return hr;
    if (FAILED(hr = find_function(typeinfo, dispid, &flags, &desc)))
    {
        ITypeInfo_Release(typeinfo);
        return hr;
    }
    for (p = 0; p < desc->cParams; ++p)
        if (desc->lprgelemdescParam[p].paramdesc.wParamFlags & PARAMFLAG_FLCID)
            has_lcid = TRUE;

    if (result)
        VariantInit(result);
    hr = check_arg_count(desc, params, argerr);
    args = calloc(params->cArgs + 1, sizeof(*args));
    values = calloc(params->cArgs + 1, sizeof(*values));
    if (!args || !values)
        hr = E_OUTOFMEMORY;

    for (i = 0; i < params->cArgs && SUCCEEDED(hr); ++i)
    {
        p = param_of_arg(desc, params, i);
        memset(&type, 0, sizeof(type));
        classify_type(typeinfo, &desc->lprgelemdescParam[p].tdesc, 0, &type);
        if (FAILED(hr = prepare_arg(&type, &desc->lprgelemdescParam[p].paramdesc, &params->rgvarg[i], &args[i])))
        {
            WARN("Argument %u does not fit parameter %d, hr %#lx.\n", i, p, hr);
            if (argerr)
                *argerr = i;
        }
        if (!(desc->lprgelemdescParam[p].paramdesc.wParamFlags & PARAMFLAG_FOUT))
        {
            /* only [out] parameters are written back */
            args[i].caller = NULL;
            args[i].caller_object = NULL;
        }
        values[i] = args[i].value;
    }

    if (SUCCEEDED(hr))
    {
        call_params = *params;
        call_params.rgvarg = values;
        if (has_lcid)
            hr = call_with_lcid(typeinfo, iface, desc, lcid, &call_params, result, excepinfo, argerr);
        else
            hr = ITypeInfo_Invoke(typeinfo, iface, dispid, flags, &call_params, result, excepinfo, argerr);
        if (hr == S_OK)
        {
            for (i = 0; i < params->cArgs; ++i)
                write_back(&args[i]);
        }
        else if (result)
        {
            /* ITypeInfo_Invoke leaves the type of the result there */
            VariantClear(result);
        }
    }

    if (args)
    {
        for (i = 0; i < params->cArgs; ++i)
            free_arg(&args[i]);
    }
    free(args);
    free(values);
    ITypeInfo_ReleaseFuncDesc(typeinfo, desc);
    ITypeInfo_Release(typeinfo);
    return hr;
}

HRESULT scardssp_invoke(tid_t tid, void *iface, DISPID dispid, WORD flags, DISPPARAMS *params,
                        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    return scardssp_invoke_lcid(tid, iface, dispid, LOCALE_USER_DEFAULT, flags, params, result, excepinfo, argerr);
}
