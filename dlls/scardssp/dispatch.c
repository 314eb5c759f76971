/*
 * IDispatch for every scardssp object, from tables built once per interface
 *
 * The interfaces are plain IDispatch-derived [object] interfaces (not
 * [dual]).  Wine 8's ITypeInfo_Invoke does not do what script engines
 * need (measured):
 *
 *  - VBScript passes variables by reference, as VT_BYREF|VT_VARIANT.  That
 *    works for by-value parameters, but a pointer parameter (an [in, out]
 *    ISCardCmd **, an [in] LONG *) gets DISP_E_TYPEMISMATCH, so
 *    "iso.GetChallenge 8, cmd" fails, and "(cmd)" writes nothing back;
 *  - a VBScript array is VT_ARRAY|VT_VARIANT, which a SAFEARRAY(BSTR) or
 *    SAFEARRAY(BYTE) parameter does not take;
 *  - an [lcid] parameter gets 0x409 whatever the caller's locale;
 *  - "Set obj.Prop = x" (DISPATCH_PROPERTYPUTREF) does not find a property
 *    that only has a propput;
 *  - an interface pointer is passed on as is, whatever object it is, and
 *    a number for a BYTE * becomes a one-byte buffer, which the method
 *    then reads or writes as far as its size parameter says;
 *  - a left-out [in, defaultvalue(0)] LONG * is DISP_E_TYPEMISMATCH; a
 *    missing required argument is DISP_E_BADPARAMCOUNT on x86_64 but
 *    DISP_E_PARAMNOTOPTIONAL on i686; extra arguments are ignored;
 *  - and it costs about 1 us a call, GetIDsOfNames 1.5 us.
 *
 * So this file does the whole of Invoke itself.  The first call on an
 * interface reads its type information once into a table (build_table):
 * each member's DISPID, kind, vtable offset and parameters, classified by
 * how a late-bound caller passes them, with their declared defaults, and
 * the member and parameter names sorted for GetIDsOfNames.  Invoke then
 * checks the argument count and names, rewrites each argument into
 * exactly its declared type (prepare_arg: by-reference variables become
 * pointers to a copy that is written back after a successful call, [out]
 * parameters only; objects are queried for the declared interface; script
 * arrays become arrays of the declared element type; left-out arguments
 * get their declared default), and calls the member through its vtable
 * slot with DispCallFunc, with the caller's locale for an [lcid]
 * parameter.  No argument is read before its type and pointers are
 * checked: a caller's bad VARIANT gets an error, never a crash.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <limits.h>

#include "scardssp_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

/* More parameters than any member has. */
#define MAX_PARAMS 16

/* How a parameter type looks to a late-bound caller. */
enum param_kind
{
    PARAM_OTHER,        /* no VARIANT form: a structure, a BYTE **... */
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

struct param
{
    struct param_type type;
    USHORT flags;           /* PARAMFLAG_* */
    VARIANT default_value;  /* a by-value parameter's declared default, in its type */
};

struct member
{
    BSTR name;
    DISPID dispid;
    INVOKEKIND invkind;
    CALLCONV callconv;
    SHORT vtbl_offset;
    SHORT param_count;
    /* whether every parameter and the result have a VARIANT form */
    BOOL callable;
    struct param *params;
    /* the parameters that take an argument ([lcid] and [retval] take
     * none), in order, and their names for GetIDsOfNames */
    UINT arg_count;
    SHORT arg_params[MAX_PARAMS];
    BSTR arg_names[MAX_PARAMS];
    /* the VARIANT type of the [retval] parameter, VT_EMPTY without one */
    VARTYPE retval_vt;
};

struct name
{
    BSTR name;
    const struct member *member;
};

struct dispatch_table
{
    UINT member_count;
    struct member *members;
    UINT name_count;
    struct name *names;     /* one per member name, sorted case-insensitively */
};

static INIT_ONCE table_once[LAST_tid] = { INIT_ONCE_STATIC_INIT };
static struct dispatch_table *tables[LAST_tid];

/* One argument of the call, rewritten into the declared type. */
struct arg
{
    VARIANT value;      /* passed in place of the caller's argument */
    VARIANT storage;    /* what value points to, for by-reference parameters */
    VARIANT *caller;    /* the caller's variable, to write an [out] value back to */
    IUnknown **caller_object;   /* or the caller's VT_BYREF|VT_DISPATCH pointer */
    BOOL owned;         /* value holds a reference or memory to free */
};

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

/* Reads one parameter of desc into param; FALSE when it has no VARIANT
 * form (or, for a [retval], its value none). */
static BOOL read_param(ITypeInfo *info, const ELEMDESC *elem, struct param *param)
{
    const TYPEDESC *desc = &elem->tdesc;

    param->flags = elem->paramdesc.wParamFlags;
    if (param->flags & PARAMFLAG_FLCID)
        return TRUE;
    if (param->flags & PARAMFLAG_FRETVAL)
    {
        if (desc->vt != VT_PTR)
            return FALSE;
        classify_type(info, desc->lptdesc, 0, &param->type);
        return param->type.kind == PARAM_VALUE || param->type.kind == PARAM_OBJECT
                || param->type.kind == PARAM_ARRAY;
    }
    classify_type(info, desc, 0, &param->type);
    if (param->type.kind == PARAM_VALUE && (param->flags & PARAMFLAG_FHASDEFAULT)
            && FAILED(VariantChangeType(&param->default_value, &elem->paramdesc.pparamdescex->varDefaultValue,
            0, param->type.vt)))
        return FALSE;
    return param->type.kind != PARAM_OTHER;
}

static BOOL read_member(ITypeInfo *info, const FUNCDESC *desc, struct member *member)
{
    BSTR names[MAX_PARAMS + 1] = { 0 };
    UINT name_count = 0, i;
    struct param *param;
    SHORT p;

    if (desc->cParams > MAX_PARAMS || !(member->params = calloc(desc->cParams + 1, sizeof(*member->params))))
        return FALSE;
    member->dispid = desc->memid;
    member->invkind = desc->invkind;
    member->callconv = desc->callconv;
    member->vtbl_offset = desc->oVft;
    member->param_count = desc->cParams;
    member->callable = TRUE;
    member->retval_vt = VT_EMPTY;
    if (FAILED(ITypeInfo_GetNames(info, desc->memid, names, ARRAY_SIZE(names), &name_count)) || !name_count)
        return FALSE;

    for (p = 0; p < desc->cParams; ++p)
    {
        param = &member->params[p];
        if (!read_param(info, &desc->lprgelemdescParam[p], param))
            member->callable = FALSE;
        if (param->flags & PARAMFLAG_FRETVAL)
        {
            member->retval_vt = variant_type(&param->type);
        }
        else if (!(param->flags & PARAMFLAG_FLCID))
        {
            member->arg_names[member->arg_count] = (UINT)p + 1 < name_count ? names[p + 1] : NULL;
            names[p + 1] = NULL;
            member->arg_params[member->arg_count++] = p;
        }
    }
    member->name = names[0];
    for (i = 1; i < name_count; ++i)
        SysFreeString(names[i]);
    return TRUE;
}

/* Names compare case-insensitively, as OLE wants; they are ASCII (a name
 * with other letters matches none), so this folds only A-Z, without the
 * locale lookups of wcsicmp(). */
static int compare_name(const WCHAR *a, const WCHAR *b)
{
    WCHAR ca, cb;

    do
    {
        ca = (*a >= 'A' && *a <= 'Z') ? *a + 'a' - 'A' : *a;
        cb = (*b >= 'A' && *b <= 'Z') ? *b + 'a' - 'A' : *b;
        ++a;
        ++b;
    } while (ca && ca == cb);
    return ca - cb;
}

static int compare_names(const void *a, const void *b)
{
    return compare_name(((const struct name *)a)->name, ((const struct name *)b)->name);
}

static void free_table(struct dispatch_table *table)
{
    struct member *member;
    UINT i, j;

    for (i = 0; i < table->member_count; ++i)
    {
        member = &table->members[i];
        for (j = 0; member->params && j < (UINT)member->param_count; ++j)
            VariantClear(&member->params[j].default_value);
        for (j = 0; j < member->arg_count; ++j)
            SysFreeString(member->arg_names[j]);
        SysFreeString(member->name);
        free(member->params);
    }
    free(table->members);
    free(table->names);
    free(table);
}

static BOOL WINAPI build_table(INIT_ONCE *once, void *context, void **unused)
{
    tid_t tid = (tid_t)(ULONG_PTR)context;
    struct dispatch_table *table;
    ITypeInfo *info;
    FUNCDESC *desc;
    TYPEATTR *attr;
    BOOL ret = FALSE;
    UINT i, j;

    if (FAILED(get_typeinfo(tid, &info)))
        return FALSE;
    if (!(table = calloc(1, sizeof(*table))) || FAILED(ITypeInfo_GetTypeAttr(info, &attr)))
    {
        free(table);
        ITypeInfo_Release(info);
        return FALSE;
    }
    table->members = calloc(attr->cFuncs + 1, sizeof(*table->members));
    table->names = calloc(attr->cFuncs + 1, sizeof(*table->names));
    if (table->members && table->names)
    {
        ret = TRUE;
        for (i = 0; i < attr->cFuncs && ret; ++i)
        {
            if (FAILED(ITypeInfo_GetFuncDesc(info, i, &desc)))
            {
                ret = FALSE;
                break;
            }
            ret = read_member(info, desc, &table->members[table->member_count++]);
            ITypeInfo_ReleaseFuncDesc(info, desc);
        }
    }
    ITypeInfo_ReleaseTypeAttr(info, attr);
    ITypeInfo_Release(info);

    /* a property's accessors share their name: one entry for them */
    for (i = 0; i < table->member_count && ret; ++i)
    {
        for (j = 0; j < table->name_count; ++j)
            if (table->names[j].member->dispid == table->members[i].dispid)
                break;
        if (j == table->name_count)
        {
            table->names[table->name_count].name = table->members[i].name;
            table->names[table->name_count++].member = &table->members[i];
        }
    }
    if (!ret)
    {
        ERR("Failed to read the type information of interface %d.\n", tid);
        free_table(table);
        return FALSE;
    }
    qsort(table->names, table->name_count, sizeof(*table->names), compare_names);
    tables[tid] = table;
    return TRUE;
}

static const struct dispatch_table *get_table(tid_t tid)
{
    if (!InitOnceExecuteOnce(&table_once[tid], build_table, (void *)(ULONG_PTR)tid, NULL))
        return NULL;
    return tables[tid];
}

void scardssp_dispatch_free(void)
{
    unsigned int i;

    for (i = 0; i < ARRAY_SIZE(tables); ++i)
        if (tables[i])
            free_table(tables[i]);
}

HRESULT scardssp_get_typeinfo(tid_t tid, UINT index, ITypeInfo **typeinfo)
{
    if (!typeinfo)
        return E_POINTER;
    *typeinfo = NULL;
    if (index)
        return DISP_E_BADINDEX;
    return get_typeinfo(tid, typeinfo);
}

/* names[0] is a member, case-insensitively; names[1..] its parameters,
 * which get their argument positions (the DISPIDs of named arguments). */
HRESULT scardssp_get_ids_of_names(tid_t tid, LPOLESTR *names, UINT count, DISPID *dispids)
{
    const struct dispatch_table *table;
    const struct member *member;
    struct name key, *found;
    HRESULT hr = S_OK;
    UINT i, j;

    if (!names || !dispids)
        return E_POINTER;
    if (!count)
        return E_INVALIDARG;
    for (i = 0; i < count; ++i)
    {
        dispids[i] = DISPID_UNKNOWN;
        if (!names[i])
            return E_POINTER;
    }
    if (!(table = get_table(tid)))
        return E_OUTOFMEMORY;

    key.name = names[0];
    if (!(found = bsearch(&key, table->names, table->name_count, sizeof(*table->names), compare_names)))
        return DISP_E_UNKNOWNNAME;
    member = found->member;
    dispids[0] = member->dispid;
    for (i = 1; i < count; ++i)
    {
        for (j = 0; j < member->arg_count; ++j)
            if (member->arg_names[j] && !compare_name(names[i], member->arg_names[j]))
                break;
        if (j < member->arg_count)
            dispids[i] = j;
        else
            hr = DISP_E_UNKNOWNNAME;
    }
    return hr;
}

/* A VARTYPE that a VARIANT may hold (VT_RECORD included: no parameter
 * takes one, which is a type mismatch). */
static BOOL valid_vartype(VARTYPE vt)
{
    VARTYPE base = vt & VT_TYPEMASK;

    if (vt & ~(VT_TYPEMASK | VT_BYREF | VT_ARRAY))
        return FALSE;
    switch (base)
    {
        case VT_EMPTY:
        case VT_NULL:
            return vt == base;
        case VT_VARIANT:
            return vt != base;
        case VT_I2: case VT_I4: case VT_R4: case VT_R8: case VT_CY: case VT_DATE: case VT_BSTR:
        case VT_DISPATCH: case VT_ERROR: case VT_BOOL: case VT_UNKNOWN: case VT_DECIMAL: case VT_I1:
        case VT_UI1: case VT_UI2: case VT_UI4: case VT_I8: case VT_UI8: case VT_INT: case VT_UINT:
        case VT_RECORD:
            return TRUE;
        default:
            return FALSE;
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

/* What scripts pass most, an integer for a BYTE, WORD or LONG parameter,
 * without VariantChangeType's cost but with its result: FALSE for other
 * conversions.  (VariantChangeType takes a negative number for a ULONG
 * or UINT, as its bits: those are left to it.) */
static BOOL convert_integer(const VARIANT *v, VARTYPE vt, VARIANT *value, HRESULT *hr)
{
    LONGLONG n, min, max;

    switch (V_VT(v))
    {
        case VT_I2: n = V_I2(v); break;
        case VT_I4: n = V_I4(v); break;
        case VT_UI1: n = V_UI1(v); break;
        case VT_BYREF | VT_I2: n = *V_I2REF(v); break;
        case VT_BYREF | VT_I4: n = *V_I4REF(v); break;
        case VT_BYREF | VT_UI1: n = *V_UI1REF(v); break;
        default: return FALSE;
    }
    switch (vt)
    {
        case VT_UI1: min = 0; max = UCHAR_MAX; break;
        case VT_UI2: min = 0; max = USHRT_MAX; break;
        case VT_I4: case VT_INT: min = INT_MIN; max = INT_MAX; break;
        default: return FALSE;
    }
    if (n < min || n > max)
    {
        *hr = DISP_E_OVERFLOW;
        return TRUE;
    }
    V_VT(value) = vt;
    if (vt == VT_UI1)
        V_UI1(value) = n;
    else if (vt == VT_UI2)
        V_UI2(value) = n;
    else
        V_I4(value) = n;
    *hr = S_OK;
    return TRUE;
}

/* v, a scalar (by value or by a non-NULL reference), as a value of type vt. */
static HRESULT convert_value(const VARIANT *v, VARTYPE vt, VARIANT *value)
{
    VARTYPE from = V_VT(v) & ~VT_BYREF;
    IUnknown *obj;
    HRESULT hr;

    if ((from & VT_ARRAY) || from == VT_RECORD || from == VT_VARIANT)
        return DISP_E_TYPEMISMATCH;
    if ((V_VT(v) & VT_BYREF) && !V_BYREF(v))
        return E_POINTER;
    if (from == VT_DISPATCH || from == VT_UNKNOWN)
    {
        /* the conversion asks the object for its value */
        obj = V_VT(v) & VT_BYREF ? *V_UNKNOWNREF(v) : V_UNKNOWN(v);
        if (!obj)
            return DISP_E_TYPEMISMATCH;
    }
    if (convert_integer(v, vt, value, &hr))
        return hr;
    if ((hr = VariantChangeType(value, v, 0, vt)) == DISP_E_OVERFLOW || hr == E_OUTOFMEMORY)
        return hr;
    return FAILED(hr) ? DISP_E_TYPEMISMATCH : S_OK;
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
    {
        if (!V_BYREF(v))
            return E_POINTER;
        unk = *V_UNKNOWNREF(v);
    }
    else if (V_VT(v) == VT_EMPTY || V_VT(v) == VT_NULL)
        unk = NULL;
    else
        return DISP_E_TYPEMISMATCH;

    if (unk && FAILED(IUnknown_QueryInterface(unk, &type->iid, (void **)obj)))
    {
        WARN("Object %p has no interface %s.\n", unk, debugstr_guid(&type->iid));
        *obj = NULL;
        return DISP_E_TYPEMISMATCH;
    }
    return S_OK;
}

static UINT element_size(VARTYPE vt)
{
    switch (vt)
    {
        case VT_I1: case VT_UI1:
            return 1;
        case VT_I2: case VT_UI2: case VT_BOOL:
            return 2;
        case VT_I4: case VT_UI4: case VT_INT: case VT_UINT: case VT_R4: case VT_ERROR:
            return 4;
        case VT_I8: case VT_UI8: case VT_R8: case VT_CY: case VT_DATE:
            return 8;
        case VT_BSTR: case VT_DISPATCH: case VT_UNKNOWN:
            return sizeof(void *);
        case VT_VARIANT:
            return sizeof(VARIANT);
        case VT_DECIMAL:
            return sizeof(DECIMAL);
        default:
            return 0;
    }
}

/* Whether array (not NULL) is what its VARIANT says, VT_ARRAY|vt: the
 * element type and size it records itself, at least one dimension, and
 * bounds and a size that a SAFEARRAY can have.  *count gets the number
 * of elements. */
static HRESULT check_array(SAFEARRAY *array, VARTYPE vt, ULONG *count)
{
    ULONGLONG total = 1;
    VARTYPE own;
    USHORT i;

    if (!array->cDims || FAILED(SafeArrayGetVartype(array, &own)) || own != vt
            || array->cbElements != element_size(vt))
    {
        WARN("Array %p is not an array of type %#x.\n", array, vt);
        return DISP_E_TYPEMISMATCH;
    }
    for (i = 0; i < array->cDims; ++i)
    {
        total *= array->rgsabound[i].cElements;
        if ((LONGLONG)array->rgsabound[i].lLbound + array->rgsabound[i].cElements - 1 > MAXLONG
                || total * array->cbElements > MAXLONG)
            return DISP_E_TYPEMISMATCH;
    }
    if (total && !array->pvData)
        return DISP_E_TYPEMISMATCH;
    *count = total;
    return S_OK;
}

/* A script array (of VARIANTs) as a new SAFEARRAY of the declared element
 * type, with the same dimensions and bounds. */
static HRESULT convert_array(SAFEARRAY *src, VARTYPE vt, SAFEARRAY **array)
{
    SAFEARRAYBOUND bounds[16];
    ULONG count, i;
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
    if (FAILED(hr = check_array(src, VT_VARIANT, &count)))
        return hr;
    if ((dims = src->cDims) > ARRAY_SIZE(bounds))
        return DISP_E_TYPEMISMATCH;
    /* a SAFEARRAY keeps its bounds last dimension first */
    for (i = 0; i < dims; ++i)
        bounds[i] = src->rgsabound[dims - 1 - i];
    if (!(dst = SafeArrayCreate(vt, dims, bounds)))
        return E_OUTOFMEMORY;

    size = SafeArrayGetElemsize(dst);
    if (FAILED(SafeArrayAccessData(src, (void **)&from)))
    {
        SafeArrayDestroy(dst);
        return DISP_E_TYPEMISMATCH;
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
        if (!valid_vartype(V_VT(&from[i])))
            hr = DISP_E_BADVARTYPE;
        else if (SUCCEEDED(hr = convert_value(&from[i], vt, &tmp)))
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

/* A SAFEARRAY(vt) parameter's argument in: the array itself (checked), a
 * script array (converted), or nothing (NULL). */
static HRESULT prepare_array(const struct param_type *type, const VARIANT *in, struct arg *arg)
{
    SAFEARRAY *array;
    ULONG count;
    HRESULT hr;

    V_VT(&arg->value) = VT_ARRAY | type->vt;
    V_ARRAY(&arg->value) = NULL;
    if (is_nothing(in))
        return S_OK;
    if ((V_VT(in) & ~VT_BYREF) != (VT_ARRAY | type->vt) && (V_VT(in) & ~VT_BYREF) != (VT_ARRAY | VT_VARIANT))
        return DISP_E_TYPEMISMATCH;
    if ((V_VT(in) & VT_BYREF) && !V_BYREF(in))
        return E_POINTER;
    array = V_VT(in) & VT_BYREF ? *V_ARRAYREF(in) : V_ARRAY(in);

    if ((V_VT(in) & ~VT_BYREF) == (VT_ARRAY | type->vt))
    {
        if (array && FAILED(hr = check_array(array, type->vt, &count)))
            return hr;
        V_ARRAY(&arg->value) = array;
        return S_OK;
    }
    if (FAILED(hr = convert_array(array, type->vt, &array)))
        return hr;
    V_ARRAY(&arg->value) = array;
    arg->owned = TRUE;
    return S_OK;
}

/* The declared default of a left-out argument: the value, or NULL for a
 * pointer. */
static HRESULT default_arg(const struct param *param, struct arg *arg)
{
    if (param->type.kind == PARAM_VALUE && (param->flags & PARAMFLAG_FHASDEFAULT))
    {
        arg->value = param->default_value;
        return S_OK;
    }
    if (param->type.kind != PARAM_VALUE && (param->flags & (PARAMFLAG_FOPT | PARAMFLAG_FHASDEFAULT)))
    {
        memset(&arg->value, 0, sizeof(arg->value));
        V_VT(&arg->value) = variant_type(&param->type);
        return S_OK;
    }
    return DISP_E_PARAMNOTOPTIONAL;
}

/* Rewrites the caller's argument src (NULL when none is given) into
 * arg->value, of the parameter's declared type. */
static HRESULT prepare_arg(const struct param *param, VARIANT *src, struct arg *arg)
{
    const struct param_type *type = &param->type;
    VARTYPE vt = variant_type(type);
    IUnknown *obj;
    VARIANT *in;
    HRESULT hr;

    if (!src || is_missing(src))
        return default_arg(param, arg);
    if (!valid_vartype(V_VT(src)))
        return DISP_E_BADVARTYPE;
    in = src;
    if (V_VT(src) == (VT_BYREF | VT_VARIANT))
    {
        /* a script's variable: one level of reference, to a value */
        if (!(in = V_VARIANTREF(src)))
            return E_POINTER;
        if (!valid_vartype(V_VT(in)))
            return DISP_E_BADVARTYPE;
        if (V_VT(in) == (VT_BYREF | VT_VARIANT))
            return DISP_E_TYPEMISMATCH;
    }
    if ((V_VT(in) & VT_TYPEMASK) == VT_RECORD)
        return DISP_E_TYPEMISMATCH;

    switch (type->kind)
    {
        case PARAM_VALUE:
            if (FAILED(hr = convert_value(in, type->vt, &arg->value)))
                return hr;
            arg->owned = type->vt == VT_BSTR;
            return S_OK;

        case PARAM_OBJECT:
            if (FAILED(hr = query_object(in, type, &obj)))
                return hr;
            V_VT(&arg->value) = vt;
            V_UNKNOWN(&arg->value) = obj;
            arg->owned = TRUE;
            return S_OK;

        case PARAM_OBJECT_REF:
            if (V_VT(src) == (VT_BYREF | VT_DISPATCH) || V_VT(src) == (VT_BYREF | VT_UNKNOWN))
            {
                /* a C caller's own IFoo **: NULL is the method's to answer */
                if (!V_BYREF(src))
                {
                    V_VT(&arg->value) = vt;
                    V_BYREF(&arg->value) = NULL;
                    return S_OK;
                }
                arg->caller_object = V_UNKNOWNREF(src);
            }
            else if (in != src)
                arg->caller = in;
            if (FAILED(hr = query_object(in, type, &obj)))
                return hr;
            V_VT(&arg->storage) = type->vt;
            V_UNKNOWN(&arg->storage) = obj;
            break;

        case PARAM_SCALAR_REF:
            /* a caller's own pointer of the type (NULL too) is passed on */
            arg->value = *src;
            if (V_VT(src) == vt)
                return S_OK;
            if (FAILED(hr = convert_value(in, type->vt, &arg->storage)))
                return hr;
            if (in != src)
                arg->caller = in;
            break;

        case PARAM_BYTES:
            /* The size of the array is another parameter, which a type
             * library cannot express: only a caller's own buffer is safe;
             * a value turned into a one-byte buffer would be overrun. */
            arg->value = *src;
            if (V_VT(src) == vt)
                return S_OK;
            if (!is_nothing(in))
                return DISP_E_TYPEMISMATCH;
            V_VT(&arg->value) = vt;
            V_BYREF(&arg->value) = NULL;
            return S_OK;

        case PARAM_ARRAY:
            return prepare_array(type, in, arg);

        default:
            return DISP_E_TYPEMISMATCH;
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
    if (V_VT(&arg->storage) != VT_EMPTY)
        VariantClear(&arg->storage);
    if (arg->owned)
        VariantClear(&arg->value);
}

/* The member Invoke means: the first with this DISPID and a matching kind.
 * A property without propputref takes DISPATCH_PROPERTYPUTREF ("Set
 * obj.Prop = x" in VBScript) as DISPATCH_PROPERTYPUT. */
static const struct member *find_member(const struct dispatch_table *table, DISPID dispid, WORD *flags)
{
    WORD kinds[2] = { *flags, DISPATCH_PROPERTYPUT };
    unsigned int pass, i;

    for (pass = 0; pass < ((*flags & DISPATCH_PROPERTYPUTREF) ? 2 : 1); ++pass)
    {
        for (i = 0; i < table->member_count; ++i)
        {
            if (table->members[i].dispid == dispid && (table->members[i].invkind & kinds[pass]))
            {
                *flags = kinds[pass];
                return &table->members[i];
            }
        }
    }
    return NULL;
}

/* Finds each argument's parameter (arg_params[] gets the parameter of
 * rgvarg[i]): named arguments come first in rgvarg, then the positional
 * ones, last first.  Every argument needs a parameter of its own, and
 * every parameter without a default an argument. */
static HRESULT map_args(const struct member *member, WORD flags, const DISPPARAMS *params,
        SHORT *arg_params, UINT *argerr)
{
    UINT positional = params->cArgs - params->cNamedArgs, i;
    BOOL given[MAX_PARAMS] = { 0 };
    DISPID position;
    USHORT flags_p;
    SHORT p;

    if (params->cArgs > member->arg_count)
    {
        /* the extra arguments are the first positional ones in rgvarg */
        if (argerr)
            *argerr = min(params->cNamedArgs, params->cArgs - 1);
        return DISP_E_BADPARAMCOUNT;
    }
    for (i = 0; i < params->cArgs; ++i)
    {
        if (i >= params->cNamedArgs)
            position = params->cArgs - 1 - i;
        else if (params->rgdispidNamedArgs[i] == DISPID_PROPERTYPUT
                && (flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF)))
            position = member->arg_count - 1;
        else
            position = params->rgdispidNamedArgs[i];

        /* a named argument must name a parameter that no other argument has */
        if (position < 0 || position >= (DISPID)member->arg_count
                || (i < params->cNamedArgs && (UINT)position < positional)
                || given[member->arg_params[position]])
        {
            if (argerr)
                *argerr = i;
            return DISP_E_PARAMNOTFOUND;
        }
        p = member->arg_params[position];
        given[p] = TRUE;
        arg_params[i] = p;
    }
    for (p = 0; p < member->param_count; ++p)
    {
        flags_p = member->params[p].flags;
        if (!given[p] && !(flags_p & (PARAMFLAG_FLCID | PARAMFLAG_FRETVAL | PARAMFLAG_FOPT | PARAMFLAG_FHASDEFAULT)))
            return DISP_E_BADPARAMCOUNT;
    }
    return S_OK;
}

/* Calls the member with the arguments that prepare_arg() made, through
 * its vtable slot; a failure of the member is DISP_E_EXCEPTION. */
static HRESULT call_member(const struct member *member, void *iface, LCID lcid, const struct arg *args,
        const int *arg_of_param, VARIANT *result, EXCEPINFO *excepinfo)
{
    VARIANTARG values[MAX_PARAMS], *ptrs[MAX_PARAMS];
    VARTYPE vts[MAX_PARAMS];
    VARIANT retval, ret;
    HRESULT hr;
    SHORT p;

    memset(&retval, 0, sizeof(retval));
    for (p = 0; p < member->param_count; ++p)
    {
        ptrs[p] = &values[p];
        if (member->params[p].flags & PARAMFLAG_FLCID)
        {
            V_VT(&values[p]) = VT_I4;
            V_I4(&values[p]) = lcid;
        }
        else if (member->params[p].flags & PARAMFLAG_FRETVAL)
        {
            V_VT(&retval) = member->retval_vt;
            V_VT(&values[p]) = VT_BYREF | member->retval_vt;
            V_BYREF(&values[p]) = &V_UI1(&retval);
        }
        else
        {
            values[p] = args[arg_of_param[p]].value;
        }
        vts[p] = V_VT(&values[p]);
    }

    TRACE("Calling vtable offset %#x, %u parameters, lcid %#lx.\n", member->vtbl_offset, member->param_count, lcid);
    VariantInit(&ret);
    if (FAILED(hr = DispCallFunc(iface, member->vtbl_offset, member->callconv, VT_ERROR, member->param_count,
            vts, ptrs, &ret)))
        return hr;
    if (FAILED(V_ERROR(&ret)))
    {
        if (excepinfo)
        {
            memset(excepinfo, 0, sizeof(*excepinfo));
            excepinfo->scode = V_ERROR(&ret);
        }
        return DISP_E_EXCEPTION;
    }
    if (result)
        *result = retval;
    else
        VariantClear(&retval);
    return S_OK;
}

HRESULT scardssp_invoke_lcid(tid_t tid, void *iface, DISPID dispid, LCID lcid, WORD flags, DISPPARAMS *params,
        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    static const WORD kinds = DISPATCH_METHOD | DISPATCH_PROPERTYGET | DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF;
    struct arg args[MAX_PARAMS];
    int arg_of_param[MAX_PARAMS];
    SHORT arg_params[MAX_PARAMS];
    const struct dispatch_table *table;
    const struct member *member;
    UINT i, next;
    HRESULT hr;
    SHORT p;

    TRACE("%d, %p, %ld, %#lx, %#x, %p, %p, %p, %p.\n", tid, iface, dispid, lcid, flags, params,
            result, excepinfo, argerr);

    if (!params || (params->cArgs && !params->rgvarg) || params->cNamedArgs > params->cArgs
            || (params->cNamedArgs && !params->rgdispidNamedArgs) || (flags & ~kinds))
        return E_INVALIDARG;
    if (!(table = get_table(tid)))
        return E_OUTOFMEMORY;
    if (!(member = find_member(table, dispid, &flags)))
        return DISP_E_MEMBERNOTFOUND;
    if (result)
        VariantInit(result);
    if (FAILED(hr = map_args(member, flags, params, arg_params, argerr)))
        return hr;
    if (!member->callable)
    {
        WARN("Member %ld has a parameter or result without a VARIANT form.\n", dispid);
        return DISP_E_BADVARTYPE;
    }

    /* every parameter that takes an argument gets one: the caller's, in
     * rgvarg order, then the defaults */
    for (p = 0; p < member->param_count; ++p)
        arg_of_param[p] = -1;
    for (i = 0; i < params->cArgs; ++i)
        arg_of_param[arg_params[i]] = i;
    memset(args, 0, sizeof(*args) * member->arg_count);
    for (i = 0; i < params->cArgs && SUCCEEDED(hr); ++i)
    {
        p = arg_params[i];
        if (FAILED(hr = prepare_arg(&member->params[p], &params->rgvarg[i], &args[i])))
        {
            WARN("Argument %u does not fit parameter %d, hr %#lx.\n", i, p, hr);
            if (argerr)
                *argerr = i;
        }
        if (!(member->params[p].flags & PARAMFLAG_FOUT))
        {
            /* only [out] parameters are written back */
            args[i].caller = NULL;
            args[i].caller_object = NULL;
        }
    }
    for (i = 0, next = params->cArgs; i < member->arg_count && SUCCEEDED(hr); ++i)
    {
        p = member->arg_params[i];
        if (arg_of_param[p] < 0)
        {
            arg_of_param[p] = next;
            hr = default_arg(&member->params[p], &args[next++]);
        }
    }

    if (SUCCEEDED(hr) && (hr = call_member(member, iface, lcid, args, arg_of_param, result, excepinfo)) == S_OK)
    {
        for (i = 0; i < params->cArgs; ++i)
            write_back(&args[i]);
    }

    for (i = 0; i < params->cArgs; ++i)
        free_arg(&args[i]);
    return hr;
}

HRESULT scardssp_invoke(tid_t tid, void *iface, DISPID dispid, WORD flags, DISPPARAMS *params,
                        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    return scardssp_invoke_lcid(tid, iface, dispid, LOCALE_USER_DEFAULT, flags, params, result, excepinfo, argerr);
}
