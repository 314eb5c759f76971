/*
 * scardssp.dll private definitions
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARDSSP_PRIVATE_H
#define __SCARDSSP_PRIVATE_H

#include <stdarg.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "scardssp.h"

typedef enum tid_t
{
    IByteBuffer_tid,
    ISCardTypeConv_tid,
    ISCardCmd_tid,
    ISCardISO7816_tid,
    ISCard_tid,
    ISCardDatabase_tid,
    ISCardLocate_tid,
    LAST_tid
} tid_t;

HRESULT get_typeinfo(tid_t tid, ITypeInfo **typeinfo);

/* IDispatch members shared by every object: each object's own
 * GetTypeInfoCount/GetTypeInfo/GetIDsOfNames/Invoke forwards here. */
HRESULT scardssp_get_typeinfo(tid_t tid, UINT index, ITypeInfo **typeinfo);
HRESULT scardssp_get_ids_of_names(tid_t tid, LPOLESTR *names, UINT count, DISPID *dispids);
HRESULT scardssp_invoke(tid_t tid, void *iface, DISPID dispid, WORD flags, DISPPARAMS *params,
                        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr);

/* Live objects, for DllCanUnloadNow. */
void scardssp_object_created(void);
void scardssp_object_destroyed(void);

HRESULT bytebuffer_create(REFIID riid, void **obj);
/* A new CByteBuffer holding a copy of data[size], its seek pointer at 0:
 * how every object hands bytes out. */
HRESULT bytebuffer_create_with_data(const BYTE *data, size_t size, IByteBuffer **buffer);
/* The whole content of any IByteBuffer, read from offset 0 whatever its seek
 * pointer, which is left where it was: how every object takes bytes in.
 * *data is allocated with malloc() (NULL when *size is 0); free() it. */
HRESULT bytebuffer_read_all(IByteBuffer *buffer, BYTE **data, size_t *size);

HRESULT typeconv_create(REFIID riid, void **obj);
HRESULT cmd_create(REFIID riid, void **obj);
HRESULT iso7816_create(REFIID riid, void **obj);
HRESULT card_create(REFIID riid, void **obj);
HRESULT database_create(REFIID riid, void **obj);
HRESULT locate_create(REFIID riid, void **obj);

#endif /* __SCARDSSP_PRIVATE_H */
