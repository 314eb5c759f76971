/*
 * Tests for late binding: IDispatch::Invoke with the arguments script
 * engines pass (VBScript passes variables by reference, as
 * VT_BYREF|VT_VARIANT, and arrays as VT_ARRAY|VT_VARIANT; JScript passes
 * everything by value)
 *
 * min-checks: 175 (tests/run-wine fails a run with fewer)
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
#include "cardstack.h"

/* DISPIDs of the specification's §4 */
#define DISPID_CMD_APDU 0
#define DISPID_CMD_APDULENGTH 1
#define DISPID_CMD_DATA 5
#define DISPID_CMD_P1 8
#define DISPID_CMD_P3 10
#define DISPID_CMD_BUILDCMD 15
#define DISPID_CMD_CLEAR 16
#define DISPID_CMD_ALTERNATECLASSID 20
#define DISPID_ISO_GETCHALLENGE 3
#define DISPID_ISO_SELECTFILE 11
#define DISPID_BUFFER_INITIALIZE 4
#define DISPID_BUFFER_READ 6
#define DISPID_BUFFER_SEEK 8
#define DISPID_BUFFER_WRITE 12
#define DISPID_TYPECONV_SAFEARRAYTOBUFFER 3
#define DISPID_DATABASE_LISTCARDS 2
#define DISPID_DATABASE_LISTREADERGROUPS 3
#define DISPID_DATABASE_LISTREADERS 4

static EXCEPINFO excepinfo;
static UINT argerr;

static void *create(REFCLSID clsid, REFIID iid)
{
    void *obj = NULL;
    HRESULT hr;

    hr = CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, iid, &obj);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return obj;
}

static ULONG get_refcount(void *iface)
{
    IUnknown *unknown = iface;

    IUnknown_AddRef(unknown);
    return IUnknown_Release(unknown);
}

/* Invoke with args[] in the caller's order (the first parameter first). */
static HRESULT invoke(void *obj, DISPID dispid, WORD flags, LCID lcid, VARIANT *args, UINT count, VARIANT *result)
{
    DISPID put = DISPID_PROPERTYPUT;
    DISPPARAMS params = { NULL, NULL, count, 0 };
    VARIANT reversed[8];
    UINT i;

    for (i = 0; i < count; ++i)
        reversed[count - 1 - i] = args[i];
    params.rgvarg = reversed;
    if (flags & (DISPATCH_PROPERTYPUT | DISPATCH_PROPERTYPUTREF))
    {
        params.cNamedArgs = 1;
        params.rgdispidNamedArgs = &put;
    }
    memset(&excepinfo, 0, sizeof(excepinfo));
    argerr = 0xdeadbeef;
    if (result)
        VariantInit(result);
    return IDispatch_Invoke((IDispatch *)obj, dispid, &IID_NULL, lcid, flags, &params, result, &excepinfo, &argerr);
}

static VARIANT v_i2(SHORT value)
{
    VARIANT v;

    V_VT(&v) = VT_I2;
    V_I2(&v) = value;
    return v;
}

static VARIANT v_ref(VARIANT *target)
{
    VARIANT v;

    V_VT(&v) = VT_BYREF | VT_VARIANT;
    V_VARIANTREF(&v) = target;
    return v;
}

static VARIANT v_disp(void *obj)
{
    VARIANT v;

    V_VT(&v) = VT_DISPATCH;
    V_DISPATCH(&v) = obj;
    return v;
}

static VARIANT v_vt(VARTYPE vt)
{
    VARIANT v;

    memset(&v, 0, sizeof(v));
    V_VT(&v) = vt;
    return v;
}

static VARIANT v_missing(void)
{
    VARIANT v;

    V_VT(&v) = VT_ERROR;
    V_ERROR(&v) = DISP_E_PARAMNOTFOUND;
    return v;
}

/* A VBScript array: Array(values...) */
static SAFEARRAY *script_array(const int *values, unsigned int count)
{
    SAFEARRAY *array = SafeArrayCreateVector(VT_VARIANT, 0, count);
    VARIANT *data;
    unsigned int i;

    SafeArrayAccessData(array, (void **)&data);
    for (i = 0; i < count; ++i)
        data[i] = v_i2(values[i]);
    SafeArrayUnaccessData(array);
    return array;
}

static IByteBuffer *make_buffer(const BYTE *data, LONG size)
{
    IByteBuffer *buffer = create(&CLSID_CByteBuffer, &IID_IByteBuffer);
    HRESULT hr;

    hr = IByteBuffer_Initialize(buffer, size, (BYTE *)data);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return buffer;
}

#define check_buffer(a, b, c) check_buffer_(__LINE__, a, b, c)
static void check_buffer_(unsigned int line, IByteBuffer *buffer, const BYTE *expected, LONG size)
{
    LONG count = -1, position = -1;
    BYTE data[64];
    HRESULT hr;

    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, &position);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    memset(data, 0xcc, sizeof(data));
    hr = IByteBuffer_Read(buffer, data, sizeof(data), &count);
    ok_(__FILE__, line)(hr == S_OK || hr == S_FALSE, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(count == size, "Got %ld bytes, expected %ld.\n", count, size);
    ok_(__FILE__, line)(!memcmp(data, expected, size), "Got %02x %02x %02x %02x %02x...\n",
            data[0], data[1], data[2], data[3], data[4]);
}

#define check_apdu(a, b, c) check_apdu_(__LINE__, a, b, c)
static void check_apdu_(unsigned int line, ISCardCmd *cmd, const BYTE *expected, LONG size)
{
    IByteBuffer *apdu = NULL;
    HRESULT hr;

    hr = ISCardCmd_get_Apdu(cmd, &apdu);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!apdu)
        return;
    check_buffer_(line, apdu, expected, size);
    IByteBuffer_Release(apdu);
}

/* VBScript: iso.GetChallenge 8, cmd, whatever cmd holds */
static void test_object_by_reference(void)
{
    static const BYTE challenge[] = {0x00, 0x84, 0x00, 0x00, 0x08};
    ISCardISO7816 *iso = create(&CLSID_CSCardISO7816, &IID_ISCardISO7816);
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd), *cmd2;
    IByteBuffer *buffer = make_buffer((const BYTE *)"\x3f\x00", 2);
    VARIANT args[3], var, eight = v_i2(8);
    HRESULT hr;

    /* an Empty variable (Dim cmd) gets a new command */
    var = v_vt(VT_EMPTY);
    args[0] = v_ref(&eight);
    args[1] = v_ref(&var);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&var) == VT_DISPATCH, "Got type %d.\n", V_VT(&var));
    if (V_VT(&var) == VT_DISPATCH && V_DISPATCH(&var))
    {
        hr = IDispatch_QueryInterface(V_DISPATCH(&var), &IID_ISCardCmd, (void **)&cmd2);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        check_apdu(cmd2, challenge, sizeof(challenge));
        ISCardCmd_Release(cmd2);
        ok(get_refcount(V_DISPATCH(&var)) == 1, "Got refcount %lu.\n", get_refcount(V_DISPATCH(&var)));
    }
    VariantClear(&var);

    /* so does Nothing */
    var = v_disp(NULL);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&var) == VT_DISPATCH && V_DISPATCH(&var), "Got type %d.\n", V_VT(&var));
    VariantClear(&var);

    /* an existing command is filled in and stays in the variable, with its references */
    ISCardCmd_AddRef(cmd);
    var = v_disp(cmd);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&var) == VT_DISPATCH && V_DISPATCH(&var) == (IDispatch *)cmd, "Got type %d, %p.\n",
            V_VT(&var), V_DISPATCH(&var));
    ok(get_refcount(cmd) == 2, "Got refcount %lu.\n", get_refcount(cmd));
    check_apdu(cmd, challenge, sizeof(challenge));
    VariantClear(&var);

    /* JScript and "(cmd)": by value, the existing command is still filled in */
    hr = ISCardCmd_Clear(cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    args[0] = v_i2(8);
    args[1] = v_disp(cmd);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(get_refcount(cmd) == 1, "Got refcount %lu.\n", get_refcount(cmd));
    check_apdu(cmd, challenge, sizeof(challenge));

    /* by value, nothing: the new command has nowhere to go, and is freed */
    args[1] = v_vt(VT_NULL);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* a C caller's VT_BYREF|VT_DISPATCH */
    cmd2 = NULL;
    V_VT(&args[1]) = VT_BYREF | VT_DISPATCH;
    V_DISPATCHREF(&args[1]) = (IDispatch **)&cmd2;
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!cmd2, "Got no command.\n");
    if (cmd2)
    {
        check_apdu(cmd2, challenge, sizeof(challenge));
        ok(ISCardCmd_Release(cmd2) == 0, "Command still referenced.\n");
    }

    /* an object that is no command is refused, not called */
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    var = v_disp(buffer);
    IByteBuffer_AddRef(buffer);
    args[1] = v_ref(&var);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);
    ok(V_VT(&var) == VT_DISPATCH && V_DISPATCH(&var) == (IDispatch *)buffer, "Variable changed.\n");
    VariantClear(&var);
    args[1] = v_disp(buffer);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    check_buffer(buffer, (const BYTE *)"\x3f\x00", 2);

    /* and so is a number */
    var = v_i2(5);
    args[1] = v_ref(&var);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);
    ok(V_VT(&var) == VT_I2 && V_I2(&var) == 5, "Variable changed.\n");

    /* the command is not optional, and there is nothing after it */
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == DISP_E_BADPARAMCOUNT, "Got hr %#lx.\n", hr);
    args[1] = v_missing();
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == DISP_E_PARAMNOTOPTIONAL, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);
    args[1] = v_disp(cmd);
    args[2] = v_i2(1);
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == DISP_E_BADPARAMCOUNT, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);
    /* the default of the count, left out in the middle */
    args[0] = v_missing();
    hr = invoke(iso, DISPID_ISO_GETCHALLENGE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, challenge, sizeof(challenge));

    IByteBuffer_Release(buffer);
    ok(ISCardCmd_Release(cmd) == 0, "Command still referenced.\n");
    ISCardISO7816_Release(iso);
}

/* VBScript: iso.SelectFile &H00, &H0C, buf, 0, cmd and cmd.BuildCmd with variables */
static void test_values_by_reference(void)
{
    static const BYTE select[] = {0x00, 0xa4, 0x00, 0x0c, 0x02, 0x3f, 0x00};
    static const BYTE build[] = {0x80, 0xca, 0x01, 0x02, 0x02, 0x3f, 0x00, 0x10};
    static const BYTE build_short[] = {0x80, 0xca, 0x00, 0x00};
    ISCardISO7816 *iso = create(&CLSID_CSCardISO7816, &IID_ISCardISO7816);
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd), *other;
    IByteBuffer *buffer = make_buffer((const BYTE *)"\x3f\x00", 2);
    VARIANT args[6], vars[6], result;
    HRESULT hr;

    vars[0] = v_i2(0x00);
    vars[1] = v_i2(0x0c);
    vars[2] = v_disp(buffer);
    vars[3] = v_i2(0);
    vars[4] = v_disp(NULL);
    args[0] = v_ref(&vars[0]);
    args[1] = v_ref(&vars[1]);
    args[2] = v_ref(&vars[2]);
    args[3] = v_ref(&vars[3]);
    args[4] = v_ref(&vars[4]);
    hr = invoke(iso, DISPID_ISO_SELECTFILE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 5, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&vars[4]) == VT_DISPATCH && V_DISPATCH(&vars[4]), "Got type %d.\n", V_VT(&vars[4]));
    ok(V_VT(&vars[2]) == VT_DISPATCH && V_DISPATCH(&vars[2]) == (IDispatch *)buffer, "[in] variable changed.\n");
    ok(V_VT(&vars[0]) == VT_I2 && V_VT(&vars[3]) == VT_I2, "[in] variables changed.\n");
    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    if (V_VT(&vars[4]) == VT_DISPATCH && V_DISPATCH(&vars[4]))
    {
        IDispatch_QueryInterface(V_DISPATCH(&vars[4]), &IID_ISCardCmd, (void **)&other);
        check_apdu(other, select, sizeof(select));
        ISCardCmd_Release(other);
    }
    VariantClear(&vars[4]);

    /* BuildCmd with every parameter a variable, Le by reference to an [in] LONG * */
    vars[0] = v_i2(0x80);
    vars[1] = v_i2(0xca);
    vars[2] = v_i2(1);
    vars[3] = v_i2(2);
    vars[4] = v_disp(buffer);
    vars[5] = v_i2(16);
    args[5] = v_ref(&vars[5]);
    for (int i = 0; i < 5; ++i)
        args[i] = v_ref(&vars[i]);
    hr = invoke(cmd, DISPID_CMD_BUILDCMD, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 6, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, build, sizeof(build));
    ok(V_VT(&vars[5]) == VT_I2 && V_I2(&vars[5]) == 16, "[in] Le changed.\n");

    /* Le by value too */
    args[5] = v_i2(16);
    hr = invoke(cmd, DISPID_CMD_BUILDCMD, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 6, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, build, sizeof(build));

    /* the optional parameters left out, at the end and in the middle */
    hr = invoke(cmd, DISPID_CMD_BUILDCMD, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, build_short, sizeof(build_short));
    args[2] = v_missing();
    args[3] = v_missing();
    args[4] = v_missing();
    args[5] = v_missing();
    hr = invoke(cmd, DISPID_CMD_BUILDCMD, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 6, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, build_short, sizeof(build_short));

    /* a byte out of range */
    vars[2] = v_i2(256);
    args[2] = v_ref(&vars[2]);
    hr = invoke(cmd, DISPID_CMD_BUILDCMD, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == DISP_E_OVERFLOW || hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);

    /* an object that is no byte buffer is refused */
    args[2] = v_i2(0);
    args[3] = v_i2(0);
    args[4] = v_disp(cmd);
    hr = invoke(cmd, DISPID_CMD_BUILDCMD, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 5, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);

    /* properties: P1 = variable, then read back */
    vars[0] = v_i2(0x42);
    args[0] = v_ref(&vars[0]);
    hr = invoke(cmd, DISPID_CMD_P1, DISPATCH_PROPERTYPUT, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = invoke(cmd, DISPID_CMD_P1, DISPATCH_PROPERTYGET | DISPATCH_METHOD, LOCALE_USER_DEFAULT, NULL, 0, &result);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_UI1 && V_UI1(&result) == 0x42, "Got type %d, %#x.\n", V_VT(&result), V_UI1(&result));

    /* "Set cmd.Data = buf": DISPATCH_PROPERTYPUTREF of a property with only a propput */
    hr = invoke(cmd, DISPID_CMD_CLEAR, DISPATCH_METHOD, LOCALE_USER_DEFAULT, NULL, 0, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    args[0] = v_disp(buffer);
    hr = invoke(cmd, DISPID_CMD_DATA, DISPATCH_PROPERTYPUTREF, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = invoke(cmd, DISPID_CMD_P3, DISPATCH_PROPERTYGET, LOCALE_USER_DEFAULT, NULL, 0, &result);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_UI1 && V_UI1(&result) == 2, "Got type %d, %u.\n", V_VT(&result), V_UI1(&result));
    vars[0] = v_disp(buffer);
    args[0] = v_ref(&vars[0]);
    hr = invoke(cmd, DISPID_CMD_DATA, DISPATCH_PROPERTYPUT, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    args[0] = v_i2(3);
    hr = invoke(cmd, DISPID_CMD_DATA, DISPATCH_PROPERTYPUTREF, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);

    /* an object result */
    hr = invoke(cmd, DISPID_CMD_APDU, DISPATCH_PROPERTYGET | DISPATCH_METHOD, LOCALE_USER_DEFAULT, NULL, 0, &result);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_DISPATCH && V_DISPATCH(&result), "Got type %d.\n", V_VT(&result));
    VariantClear(&result);

    ok(get_refcount(buffer) == 1, "Got refcount %lu.\n", get_refcount(buffer));
    IByteBuffer_Release(buffer);
    ok(ISCardCmd_Release(cmd) == 0, "Command still referenced.\n");
    ISCardISO7816_Release(iso);
}

/* [in, out] LONG * and BYTE * parameters of IByteBuffer */
static void test_pointers(void)
{
    IByteBuffer *buffer = make_buffer((const BYTE *)"\x01\x02\x03\x04\x05", 5);
    VARIANT args[3], vars[3];
    BYTE data[8];
    HRESULT hr;

    /* buf.Seek 0, 2, pos writes the position back */
    vars[0] = v_vt(VT_EMPTY);
    args[0] = v_i2(0);
    args[1] = v_i2(STREAM_SEEK_END);
    args[2] = v_ref(&vars[0]);
    hr = invoke(buffer, DISPID_BUFFER_SEEK, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&vars[0]) == VT_I4 && V_I4(&vars[0]) == 5, "Got type %d, %ld.\n", V_VT(&vars[0]), V_I4(&vars[0]));

    /* from any number, and not when passed by value */
    vars[0] = v_i2(-7);
    args[0] = v_i2(1);
    args[1] = v_i2(STREAM_SEEK_SET);
    hr = invoke(buffer, DISPID_BUFFER_SEEK, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&vars[0]) == VT_I4 && V_I4(&vars[0]) == 1, "Got type %d, %ld.\n", V_VT(&vars[0]), V_I4(&vars[0]));
    args[2] = v_i2(-7);
    hr = invoke(buffer, DISPID_BUFFER_SEEK, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_I2(&args[2]) == -7, "Argument changed.\n");
    hr = invoke(buffer, DISPID_BUFFER_SEEK, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* nothing is written back when the call fails */
    vars[0] = v_i2(-7);
    args[0] = v_i2(-100);
    args[2] = v_ref(&vars[0]);
    hr = invoke(buffer, DISPID_BUFFER_SEEK, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == DISP_E_EXCEPTION, "Got hr %#lx.\n", hr);
    ok(FAILED(excepinfo.scode), "Got scode %#lx.\n", excepinfo.scode);
    ok(V_VT(&vars[0]) == VT_I2 && V_I2(&vars[0]) == -7, "Variable changed.\n");

    /* a caller's own byte buffer works, with the count written back */
    vars[0] = v_vt(VT_EMPTY);
    memset(data, 0xcc, sizeof(data));
    V_VT(&args[0]) = VT_BYREF | VT_UI1;
    V_UI1REF(&args[0]) = data;
    args[1] = v_i2(3);
    args[2] = v_ref(&vars[0]);
    hr = invoke(buffer, DISPID_BUFFER_READ, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!memcmp(data, "\x02\x03\x04\xcc", 4), "Got %02x %02x %02x %02x.\n", data[0], data[1], data[2], data[3]);
    ok(V_VT(&vars[0]) == VT_I4 && V_I4(&vars[0]) == 3, "Got type %d, %ld.\n", V_VT(&vars[0]), V_I4(&vars[0]));

    /* but a script value is no buffer of cb bytes: refused, not overrun */
    vars[1] = v_i2(9);
    args[0] = v_ref(&vars[1]);
    args[1] = v_i2(64);
    hr = invoke(buffer, DISPID_BUFFER_READ, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(argerr == 2, "Got argerr %u.\n", argerr);
    args[0] = v_i2(9);
    hr = invoke(buffer, DISPID_BUFFER_WRITE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 3, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    args[0] = v_i2(4);
    args[1] = v_i2(5);
    hr = invoke(buffer, DISPID_BUFFER_INITIALIZE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);
    check_buffer(buffer, (const BYTE *)"\x01\x02\x03\x04\x05", 5);

    /* Null or no data is a NULL pointer */
    args[1] = v_vt(VT_NULL);
    hr = invoke(buffer, DISPID_BUFFER_INITIALIZE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 2, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = invoke(buffer, DISPID_BUFFER_INITIALIZE, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    IByteBuffer_Release(buffer);
}

/* SAFEARRAY(BYTE) from a VBScript array */
static void test_arrays(void)
{
    static const int bytes[] = {0x3f, 0x00, 0xff}, too_big[] = {1, 256};
    ISCardTypeConv *conv = create(&CLSID_CSCardTypeConv, &IID_ISCardTypeConv);
    IByteBuffer *buffer;
    VARIANT args[1], var, result;
    SAFEARRAY *array;
    HRESULT hr;

    array = script_array(bytes, ARRAY_SIZE(bytes));
    V_VT(&var) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(&var) = array;
    args[0] = var;
    hr = invoke(conv, DISPID_TYPECONV_SAFEARRAYTOBUFFER, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, &result);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_DISPATCH, "Got type %d.\n", V_VT(&result));
    if (V_VT(&result) == VT_DISPATCH)
    {
        IDispatch_QueryInterface(V_DISPATCH(&result), &IID_IByteBuffer, (void **)&buffer);
        check_buffer(buffer, (const BYTE *)"\x3f\x00\xff", 3);
        IByteBuffer_Release(buffer);
        VariantClear(&result);
    }

    /* by reference, as a VBScript variable */
    args[0] = v_ref(&var);
    hr = invoke(conv, DISPID_TYPECONV_SAFEARRAYTOBUFFER, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, &result);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(V_VT(&var) == (VT_ARRAY | VT_VARIANT) && V_ARRAY(&var) == array, "Variable changed.\n");
    VariantClear(&result);
    VariantClear(&var);

    /* an element that is no byte */
    V_VT(&var) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(&var) = script_array(too_big, ARRAY_SIZE(too_big));
    args[0] = v_ref(&var);
    hr = invoke(conv, DISPID_TYPECONV_SAFEARRAYTOBUFFER, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, &result);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);
    VariantClear(&var);

    /* a byte array as it is */
    V_VT(&args[0]) = VT_ARRAY | VT_UI1;
    V_ARRAY(&args[0]) = SafeArrayCreateVector(VT_UI1, 0, 4);
    hr = invoke(conv, DISPID_TYPECONV_SAFEARRAYTOBUFFER, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, &result);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    VariantClear(&result);
    VariantClear(&args[0]);

    /* no array at all reaches the method as NULL */
    args[0] = v_vt(VT_EMPTY);
    hr = invoke(conv, DISPID_TYPECONV_SAFEARRAYTOBUFFER, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, &result);
    ok(hr == DISP_E_EXCEPTION, "Got hr %#lx.\n", hr);
    ok(excepinfo.scode == E_POINTER, "Got scode %#lx.\n", excepinfo.scode);
    args[0] = v_i2(1);
    hr = invoke(conv, DISPID_TYPECONV_SAFEARRAYTOBUFFER, DISPATCH_METHOD, LOCALE_USER_DEFAULT, args, 1, &result);
    ok(hr == DISP_E_TYPEMISMATCH, "Got hr %#lx.\n", hr);

    ISCardTypeConv_Release(conv);
}

/* Results the object reports, and calls no member takes */
static void test_errors(void)
{
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd);
    DISPPARAMS params = { NULL, NULL, 0, 0 };
    VARIANT result, args[1];
    DISPID named = 9;
    BYTE byte;
    HRESULT hr, expected;

    expected = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(FAILED(expected), "Got hr %#lx.\n", expected);
    hr = invoke(cmd, DISPID_CMD_ALTERNATECLASSID, DISPATCH_PROPERTYGET, LOCALE_USER_DEFAULT, NULL, 0, &result);
    ok(hr == DISP_E_EXCEPTION, "Got hr %#lx.\n", hr);
    ok(excepinfo.scode == expected, "Got scode %#lx, expected %#lx.\n", excepinfo.scode, expected);
    ok(V_VT(&result) == VT_EMPTY, "Got type %d.\n", V_VT(&result));

    hr = invoke(cmd, 1000, DISPATCH_METHOD, LOCALE_USER_DEFAULT, NULL, 0, &result);
    ok(hr == DISP_E_MEMBERNOTFOUND, "Got hr %#lx.\n", hr);
    args[0] = v_i2(1);
    hr = invoke(cmd, DISPID_CMD_CLEAR, DISPATCH_PROPERTYPUT, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == DISP_E_MEMBERNOTFOUND, "Got hr %#lx.\n", hr);
    hr = invoke(cmd, DISPID_CMD_APDULENGTH, DISPATCH_PROPERTYPUT, LOCALE_USER_DEFAULT, args, 1, NULL);
    ok(hr == DISP_E_MEMBERNOTFOUND, "Got hr %#lx.\n", hr);
    hr = IDispatch_Invoke((IDispatch *)cmd, DISPID_CMD_CLEAR, &IID_NULL, 0, DISPATCH_METHOD, NULL, NULL, NULL, NULL);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);
    params.cArgs = 1;
    hr = IDispatch_Invoke((IDispatch *)cmd, DISPID_CMD_CLEAR, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, NULL);
    ok(hr == E_INVALIDARG, "Got hr %#lx.\n", hr);

    /* a named argument that is no parameter */
    params.rgvarg = args;
    params.rgdispidNamedArgs = &named;
    params.cNamedArgs = 1;
    argerr = 0xdeadbeef;
    hr = IDispatch_Invoke((IDispatch *)cmd, DISPID_CMD_BUILDCMD, &IID_NULL, 0, DISPATCH_METHOD, &params, NULL, NULL, &argerr);
    ok(hr == DISP_E_PARAMNOTFOUND, "Got hr %#lx.\n", hr);
    ok(argerr == 0, "Got argerr %u.\n", argerr);

    ok(ISCardCmd_Release(cmd) == 0, "Command still referenced.\n");
}

#define check_same_result(a, b, c, d) check_same_result_(__LINE__, a, b, c, d)
static void check_same_result_(unsigned int line, HRESULT direct, SAFEARRAY *array, HRESULT hr, VARIANT *result)
{
    LONG count = 0, count2 = 0, i;
    BSTR a, b;

    if (FAILED(direct))
    {
        ok_(__FILE__, line)(hr == DISP_E_EXCEPTION, "Got hr %#lx.\n", hr);
        ok_(__FILE__, line)(excepinfo.scode == direct, "Got scode %#lx, expected %#lx.\n", excepinfo.scode, direct);
        return;
    }
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(V_VT(result) == (VT_ARRAY | VT_BSTR), "Got type %d.\n", V_VT(result));
    if (V_VT(result) != (VT_ARRAY | VT_BSTR) || !array || !V_ARRAY(result))
    {
        ok_(__FILE__, line)(!array == !V_ARRAY(result), "Got %p and %p.\n", array, V_ARRAY(result));
        return;
    }
    SafeArrayGetUBound(array, 1, &count);
    SafeArrayGetUBound(V_ARRAY(result), 1, &count2);
    ok_(__FILE__, line)(count == count2, "Got %ld and %ld.\n", count, count2);
    for (i = 0; i <= count && i <= count2; ++i)
    {
        SafeArrayGetElement(array, &i, &a);
        SafeArrayGetElement(V_ARRAY(result), &i, &b);
        ok_(__FILE__, line)(!wcscmp(a, b), "Element %ld differs.\n", i);
        SysFreeString(a);
        SysFreeString(b);
    }
}

/* ISCardDatabase has [lcid] parameters, which are no arguments: Invoke
 * gives the same as a call of the vtable with the caller's locale. */
static void test_lcid(void)
{
    static const int no_guids[] = {0};
    ISCardDatabase *db = create(&CLSID_CSCardDatabase, &IID_ISCardDatabase);
    SAFEARRAY *array = NULL, *guids;
    VARIANT args[3], result;
    HRESULT hr, direct;

    /* each pair of calls lists the prefix's card database twice */
    lock_card_database();
    direct = ISCardDatabase_ListReaderGroups(db, 0x0407, &array);
    hr = invoke(db, DISPID_DATABASE_LISTREADERGROUPS, DISPATCH_METHOD, 0x0407, NULL, 0, &result);
    check_same_result(direct, array, hr, &result);
    VariantClear(&result);
    SafeArrayDestroy(array);

    array = NULL;
    direct = ISCardDatabase_ListReaders(db, 0x0409, &array);
    hr = invoke(db, DISPID_DATABASE_LISTREADERS, DISPATCH_METHOD | DISPATCH_PROPERTYGET, 0x0409, NULL, 0, &result);
    check_same_result(direct, array, hr, &result);
    VariantClear(&result);
    SafeArrayDestroy(array);

    /* no interfaces, from an empty VBScript array */
    guids = SafeArrayCreateVector(VT_BSTR, 0, 0);
    array = NULL;
    direct = ISCardDatabase_ListCards(db, NULL, guids, 0x0409, &array);
    args[0] = v_missing();
    V_VT(&args[1]) = VT_ARRAY | VT_VARIANT;
    V_ARRAY(&args[1]) = script_array(no_guids, 0);
    hr = invoke(db, DISPID_DATABASE_LISTCARDS, DISPATCH_METHOD, 0x0409, args, 2, &result);
    check_same_result(direct, array, hr, &result);
    VariantClear(&result);
    VariantClear(&args[1]);
    SafeArrayDestroy(array);
    SafeArrayDestroy(guids);

    /* the locale takes no argument: without the array, one is missing */
    hr = invoke(db, DISPID_DATABASE_LISTCARDS, DISPATCH_METHOD, 0x0409, args, 1, &result);
    ok(hr == DISP_E_BADPARAMCOUNT, "Got hr %#lx.\n", hr);
    ok(V_VT(&result) == VT_EMPTY, "Got type %d.\n", V_VT(&result));
    args[2] = v_i2(0x0409);
    hr = invoke(db, DISPID_DATABASE_LISTCARDS, DISPATCH_METHOD, 0x0409, args, 3, &result);
    ok(hr == DISP_E_BADPARAMCOUNT, "Got hr %#lx.\n", hr);
    unlock_card_database();

    ISCardDatabase_Release(db);
}

START_TEST(dispatch)
{
    CoInitialize(NULL);

    test_object_by_reference();
    test_values_by_reference();
    test_pointers();
    test_arrays();
    test_errors();
    test_lcid();

    CoUninitialize();
}
