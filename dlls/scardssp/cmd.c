/*
 * CSCardCmd: one command APDU and the reply the card gave to it
 *
 * The command is kept as its encoded bytes (what get_Apdu hands out) and
 * as the fields parsed from them (core/apdu), so the two always agree.
 * Encoding follows ISO 7816-4: cases 1 to 4, Le 1..255 as one byte, 256
 * as a short 00, 257..65536 in the extended form, Lc 256..65535 in the
 * extended form (the whole APDU is extended as soon as one field needs it).
 *
 * Choices where the documentation is silent:
 *  - a new object holds an empty command (ApduLength 0, every field 0,
 *    Type ISO_CASE_1 since it has neither Lc nor Le) and no reply;
 *  - BuildCmd: pbyData NULL or empty means no data; plLe NULL or *plLe 0
 *    means no Le; an Le below 0 or above 65536 or more than 65535 data
 *    bytes is E_INVALIDARG and leaves the object unchanged;
 *  - put_Apdu keeps the bytes as given (an extended encoding of small
 *    values stays extended) and parses them into the fields; bytes that
 *    are no valid command APDU (fewer than 4 bytes included) are
 *    E_INVALIDARG and leave the object unchanged;
 *  - put_ClassId, put_InstructionId, put_P1, put_P2 and put_Data change one
 *    field and encode the whole APDU again (canonical form); on an empty
 *    command they start from CLA INS P1 P2 = 00 00 00 00;
 *  - P3 is the low byte of Lc (cases 3 and 4), of Le (case 2, 256 -> 00),
 *    or 0 (case 1); LeField is the number of bytes expected: 0 without Le,
 *    256 for a short 00, 65536 for an extended 0000;
 *  - the reply holds the response data followed by SW1 SW2, and
 *    ApduReplyLength counts both;
 *  - get_ApduReply, get_Data and get_Apdu never give NULL: without a reply
 *    (or data, or command) they give a new empty buffer;
 *  - put_ApduReply takes the reply whole and sets ReplyStatus from its last
 *    two bytes; an empty reply clears the reply and sets ReplyStatus to 0;
 *    a 1-byte reply cannot hold a status word and is E_INVALIDARG;
 *  - put_ApduReplyLength(n) keeps the first n bytes of the reply, with the
 *    same rules as put_ApduReply for them: n below 0, n of 1, or n larger
 *    than the current reply is E_INVALIDARG (bytes are never invented);
 *  - put_ReplyStatus sets the status word and, when a reply is held,
 *    rewrites its last two bytes so that the reply keeps ending with it;
 *    without a reply only the status word is stored;
 *  - ReplyStatus, SW1 and SW2 are 0 before any reply; ReplyNad is 0 until
 *    put_ReplyNad (or a transaction) sets it, and its getter never fails;
 *  - AlternateClassId is E_ACCESSDENIED until put_AlternateClassId;
 *  - command and reply are independent: BuildCmd, put_Apdu and the field
 *    setters leave the reply alone; Clear empties both (every command
 *    field, the reply, ReplyStatus and ReplyNad) but keeps Nad and
 *    AlternateClassId, which are transport settings, and returns S_OK;
 *  - Encapsulate(pApdu, type): the given bytes must be one valid command
 *    APDU of case `type` (else E_INVALIDARG) and become the data field of
 *    this command; a non-empty command keeps its CLA INS P1 P2 and Le; an
 *    empty one becomes an ENVELOPE, CLA C2 00 00 with the CLA of the
 *    embedded APDU and no Le;
 *  - buffers given in are read whole from offset 0 whatever their seek
 *    pointer (bytebuffer_read_all), buffers handed out are new ones
 *    positioned at 0 (bytebuffer_create_with_data).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "scardssp_private.h"
#include "apdu.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct cmd
{
    ISCardCmd ISCardCmd_iface;
    LONG refcount;
    CRITICAL_SECTION cs;

    /* the command: raw is the encoding (NULL when empty), fields is parsed
     * from it (fields.data points into raw) */
    BYTE *raw;
    size_t raw_len;
    struct apdu fields;

    BYTE *reply;
    size_t reply_len;
    WORD status;
    BYTE reply_nad;

    BYTE nad;
    BYTE alt_class;
    BOOL alt_class_set;
};

static const ISCardCmdVtbl cmd_vtbl;

static inline struct cmd *impl_from_ISCardCmd(ISCardCmd *iface)
{
    return CONTAINING_RECORD(iface, struct cmd, ISCardCmd_iface);
}

/* Takes ownership of raw[len] (malloc'ed) as the new command when it
 * parses; frees it otherwise and leaves the command alone. */
static HRESULT cmd_store_raw(struct cmd *cmd, BYTE *raw, size_t len)
{
    struct apdu fields;

    if (apdu_parse(raw, len, &fields) != APDU_OK)
    {
        free(raw);
        return E_INVALIDARG;
    }
    free(cmd->raw);
    cmd->raw = raw;
    cmd->raw_len = len;
    cmd->fields = fields;
    return S_OK;
}

/* Encodes fields (which may point into the current command) as the new
 * command. */
static HRESULT cmd_store_fields(struct cmd *cmd, const struct apdu *fields)
{
    size_t size, written;
    BYTE *raw;

    if (!(size = apdu_encoded_size(fields)))
        return E_INVALIDARG;
    if (!(raw = malloc(size)))
        return E_OUTOFMEMORY;
    if (apdu_encode(fields, raw, size, &written) != APDU_OK)
    {
        free(raw);
        return E_INVALIDARG;
    }
    return cmd_store_raw(cmd, raw, written);
}

static void cmd_clear_command(struct cmd *cmd)
{
    free(cmd->raw);
    cmd->raw = NULL;
    cmd->raw_len = 0;
    memset(&cmd->fields, 0, sizeof(cmd->fields));
}

/* Takes ownership of reply[len] (malloc'ed, NULL when len is 0). */
static HRESULT cmd_store_reply(struct cmd *cmd, BYTE *reply, size_t len)
{
    if (len == 1)
    {
        free(reply);
        return E_INVALIDARG;
    }
    free(cmd->reply);
    if (!len)
    {
        free(reply);
        reply = NULL;
    }
    cmd->reply = reply;
    cmd->reply_len = len;
    cmd->status = len ? (reply[len - 2] << 8) | reply[len - 1] : 0;
    return S_OK;
}

enum header_byte
{
    HEADER_CLA,
    HEADER_INS,
    HEADER_P1,
    HEADER_P2,
};

static BYTE *header_byte(struct apdu *fields, enum header_byte which)
{
    switch (which)
    {
        case HEADER_CLA: return &fields->cla;
        case HEADER_INS: return &fields->ins;
        case HEADER_P1: return &fields->p1;
        case HEADER_P2: return &fields->p2;
    }
    return NULL;
}

static HRESULT cmd_get_header_byte(ISCardCmd *iface, enum header_byte which, BYTE *value)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    if (!value)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *value = *header_byte(&cmd->fields, which);
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

/* Changes one header byte and encodes the command again. */
static HRESULT cmd_put_header_byte(ISCardCmd *iface, enum header_byte which, BYTE value)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    struct apdu fields;
    HRESULT hr;

    EnterCriticalSection(&cmd->cs);
    fields = cmd->fields;
    *header_byte(&fields, which) = value;
    hr = cmd_store_fields(cmd, &fields);
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_QueryInterface(ISCardCmd *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardCmd) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardCmd_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI cmd_AddRef(ISCardCmd *iface)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    ULONG refcount = InterlockedIncrement(&cmd->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI cmd_Release(ISCardCmd *iface)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    ULONG refcount = InterlockedDecrement(&cmd->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        DeleteCriticalSection(&cmd->cs);
        free(cmd->raw);
        free(cmd->reply);
        free(cmd);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI cmd_GetTypeInfoCount(ISCardCmd *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI cmd_GetTypeInfo(ISCardCmd *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardCmd_tid, index, typeinfo);
}

static HRESULT WINAPI cmd_GetIDsOfNames(ISCardCmd *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardCmd_tid, names, count, dispids);
}

static HRESULT WINAPI cmd_Invoke(ISCardCmd *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCardCmd_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI cmd_get_Apdu(ISCardCmd *iface, IByteBuffer **apdu)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    HRESULT hr;

    TRACE("%p, %p.\n", iface, apdu);

    if (!apdu)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    hr = bytebuffer_create_with_data(cmd->raw, cmd->raw_len, apdu);
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_put_Apdu(ISCardCmd *iface, IByteBuffer *apdu)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    size_t size;
    BYTE *raw;
    HRESULT hr;

    TRACE("%p, %p.\n", iface, apdu);

    if (FAILED(hr = bytebuffer_read_all(apdu, &raw, &size)))
        return hr;

    EnterCriticalSection(&cmd->cs);
    hr = cmd_store_raw(cmd, raw, size);
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_get_ApduLength(ISCardCmd *iface, LONG *size)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, size);

    if (!size)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *size = cmd->raw_len;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_ApduReply(ISCardCmd *iface, IByteBuffer **reply)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    HRESULT hr;

    TRACE("%p, %p.\n", iface, reply);

    if (!reply)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    hr = bytebuffer_create_with_data(cmd->reply, cmd->reply_len, reply);
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_put_ApduReply(ISCardCmd *iface, IByteBuffer *reply)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    size_t size;
    BYTE *data;
    HRESULT hr;

    TRACE("%p, %p.\n", iface, reply);

    if (FAILED(hr = bytebuffer_read_all(reply, &data, &size)))
        return hr;

    EnterCriticalSection(&cmd->cs);
    hr = cmd_store_reply(cmd, data, size);
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_get_ApduReplyLength(ISCardCmd *iface, LONG *size)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, size);

    if (!size)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *size = cmd->reply_len;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_put_ApduReplyLength(ISCardCmd *iface, LONG size)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    BYTE *data = NULL;
    HRESULT hr;

    TRACE("%p, %ld.\n", iface, size);

    if (size < 0)
        return E_INVALIDARG;

    EnterCriticalSection(&cmd->cs);
    if ((size_t)size > cmd->reply_len || size == 1)
        hr = E_INVALIDARG;
    else if (size && !(data = malloc(size)))
        hr = E_OUTOFMEMORY;
    else
    {
        if (size)
            memcpy(data, cmd->reply, size);
        hr = cmd_store_reply(cmd, data, size);
    }
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_get_ClassId(ISCardCmd *iface, BYTE *cla)
{
    TRACE("%p, %p.\n", iface, cla);

    return cmd_get_header_byte(iface, HEADER_CLA, cla);
}

static HRESULT WINAPI cmd_put_ClassId(ISCardCmd *iface, BYTE cla)
{
    TRACE("%p, %#x.\n", iface, cla);

    return cmd_put_header_byte(iface, HEADER_CLA, cla);
}

static HRESULT WINAPI cmd_get_Data(ISCardCmd *iface, IByteBuffer **data)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    HRESULT hr;

    TRACE("%p, %p.\n", iface, data);

    if (!data)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    hr = bytebuffer_create_with_data(cmd->fields.data, cmd->fields.lc, data);
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_put_Data(ISCardCmd *iface, IByteBuffer *data)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    struct apdu fields;
    size_t size;
    BYTE *bytes;
    HRESULT hr;

    TRACE("%p, %p.\n", iface, data);

    if (FAILED(hr = bytebuffer_read_all(data, &bytes, &size)))
        return hr;
    if (size > APDU_MAX_LC)
    {
        free(bytes);
        return E_INVALIDARG;
    }

    EnterCriticalSection(&cmd->cs);
    fields = cmd->fields;
    fields.data = bytes;
    fields.lc = size;
    hr = cmd_store_fields(cmd, &fields);
    LeaveCriticalSection(&cmd->cs);
    free(bytes);
    return hr;
}

static HRESULT WINAPI cmd_get_InstructionId(ISCardCmd *iface, BYTE *ins)
{
    TRACE("%p, %p.\n", iface, ins);

    return cmd_get_header_byte(iface, HEADER_INS, ins);
}

static HRESULT WINAPI cmd_put_InstructionId(ISCardCmd *iface, BYTE ins)
{
    TRACE("%p, %#x.\n", iface, ins);

    return cmd_put_header_byte(iface, HEADER_INS, ins);
}

static HRESULT WINAPI cmd_get_LeField(ISCardCmd *iface, LONG *le)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, le);

    if (!le)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *le = cmd->fields.le;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_P1(ISCardCmd *iface, BYTE *p1)
{
    TRACE("%p, %p.\n", iface, p1);

    return cmd_get_header_byte(iface, HEADER_P1, p1);
}

static HRESULT WINAPI cmd_put_P1(ISCardCmd *iface, BYTE p1)
{
    TRACE("%p, %#x.\n", iface, p1);

    return cmd_put_header_byte(iface, HEADER_P1, p1);
}

static HRESULT WINAPI cmd_get_P2(ISCardCmd *iface, BYTE *p2)
{
    TRACE("%p, %p.\n", iface, p2);

    return cmd_get_header_byte(iface, HEADER_P2, p2);
}

static HRESULT WINAPI cmd_put_P2(ISCardCmd *iface, BYTE p2)
{
    TRACE("%p, %#x.\n", iface, p2);

    return cmd_put_header_byte(iface, HEADER_P2, p2);
}

static HRESULT WINAPI cmd_get_P3(ISCardCmd *iface, BYTE *p3)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, p3);

    if (!p3)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *p3 = apdu_p3(&cmd->fields);
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_ReplyStatus(ISCardCmd *iface, WORD *status)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, status);

    if (!status)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *status = cmd->status;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_put_ReplyStatus(ISCardCmd *iface, WORD status)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %#x.\n", iface, status);

    EnterCriticalSection(&cmd->cs);
    cmd->status = status;
    if (cmd->reply_len >= 2)
    {
        cmd->reply[cmd->reply_len - 2] = status >> 8;
        cmd->reply[cmd->reply_len - 1] = status & 0xff;
    }
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_ReplyStatusSW1(ISCardCmd *iface, BYTE *sw1)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, sw1);

    if (!sw1)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *sw1 = cmd->status >> 8;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_ReplyStatusSW2(ISCardCmd *iface, BYTE *sw2)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, sw2);

    if (!sw2)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *sw2 = cmd->status & 0xff;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_Type(ISCardCmd *iface, ISO_APDU_TYPE *type)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, type);

    if (!type)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *type = (ISO_APDU_TYPE)apdu_case(&cmd->fields);
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_Nad(ISCardCmd *iface, BYTE *nad)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, nad);

    if (!nad)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *nad = cmd->nad;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_put_Nad(ISCardCmd *iface, BYTE nad)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %#x.\n", iface, nad);

    EnterCriticalSection(&cmd->cs);
    cmd->nad = nad;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_get_ReplyNad(ISCardCmd *iface, BYTE *nad)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %p.\n", iface, nad);

    if (!nad)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    *nad = cmd->reply_nad;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_put_ReplyNad(ISCardCmd *iface, BYTE nad)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %#x.\n", iface, nad);

    EnterCriticalSection(&cmd->cs);
    cmd->reply_nad = nad;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_BuildCmd(ISCardCmd *iface, BYTE cla, BYTE ins, BYTE p1, BYTE p2,
        IByteBuffer *data, LONG *le)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    struct apdu fields;
    BYTE *bytes = NULL;
    size_t size = 0;
    HRESULT hr;

    TRACE("%p, %#x, %#x, %#x, %#x, %p, %p (%ld).\n", iface, cla, ins, p1, p2, data, le, le ? *le : 0);

    if (le && (*le < 0 || *le > (LONG)APDU_MAX_LE))
        return E_INVALIDARG;
    if (data && FAILED(hr = bytebuffer_read_all(data, &bytes, &size)))
        return hr;
    if (size > APDU_MAX_LC)
    {
        free(bytes);
        return E_INVALIDARG;
    }

    fields.cla = cla;
    fields.ins = ins;
    fields.p1 = p1;
    fields.p2 = p2;
    fields.data = bytes;
    fields.lc = size;
    fields.le = le ? *le : 0;

    EnterCriticalSection(&cmd->cs);
    hr = cmd_store_fields(cmd, &fields);
    LeaveCriticalSection(&cmd->cs);
    free(bytes);
    return hr;
}

static HRESULT WINAPI cmd_Clear(ISCardCmd *iface)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p.\n", iface);

    EnterCriticalSection(&cmd->cs);
    cmd_clear_command(cmd);
    cmd_store_reply(cmd, NULL, 0);
    cmd->reply_nad = 0;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static HRESULT WINAPI cmd_Encapsulate(ISCardCmd *iface, IByteBuffer *apdu, ISO_APDU_TYPE type)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    struct apdu inner, fields;
    size_t size;
    BYTE *bytes;
    HRESULT hr;

    TRACE("%p, %p, %d.\n", iface, apdu, type);

    if (!apdu)
        return E_POINTER;
    if ((int)type < ISO_CASE_1 || (int)type > ISO_CASE_4)
        return E_INVALIDARG;
    if (FAILED(hr = bytebuffer_read_all(apdu, &bytes, &size)))
        return hr;
    if (apdu_parse(bytes, size, &inner) != APDU_OK || apdu_case(&inner) != (int)type || size > APDU_MAX_LC)
    {
        free(bytes);
        return E_INVALIDARG;
    }

    EnterCriticalSection(&cmd->cs);
    if (cmd->raw_len)
    {
        fields = cmd->fields;
    }
    else
    {
        memset(&fields, 0, sizeof(fields));
        fields.cla = inner.cla;
        fields.ins = 0xc2;
    }
    fields.data = bytes;
    fields.lc = size;
    hr = cmd_store_fields(cmd, &fields);
    LeaveCriticalSection(&cmd->cs);
    free(bytes);
    return hr;
}

static HRESULT WINAPI cmd_get_AlternateClassId(ISCardCmd *iface, BYTE *cla)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);
    HRESULT hr = S_OK;

    TRACE("%p, %p.\n", iface, cla);

    if (!cla)
        return E_POINTER;

    EnterCriticalSection(&cmd->cs);
    if (cmd->alt_class_set)
        *cla = cmd->alt_class;
    else
        hr = E_ACCESSDENIED;
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

static HRESULT WINAPI cmd_put_AlternateClassId(ISCardCmd *iface, BYTE cla)
{
    struct cmd *cmd = impl_from_ISCardCmd(iface);

    TRACE("%p, %#x.\n", iface, cla);

    EnterCriticalSection(&cmd->cs);
    cmd->alt_class = cla;
    cmd->alt_class_set = TRUE;
    LeaveCriticalSection(&cmd->cs);
    return S_OK;
}

static const ISCardCmdVtbl cmd_vtbl =
{
    cmd_QueryInterface,
    cmd_AddRef,
    cmd_Release,
    cmd_GetTypeInfoCount,
    cmd_GetTypeInfo,
    cmd_GetIDsOfNames,
    cmd_Invoke,
    cmd_get_Apdu,
    cmd_put_Apdu,
    cmd_get_ApduLength,
    cmd_get_ApduReply,
    cmd_put_ApduReply,
    cmd_get_ApduReplyLength,
    cmd_put_ApduReplyLength,
    cmd_get_ClassId,
    cmd_put_ClassId,
    cmd_get_Data,
    cmd_put_Data,
    cmd_get_InstructionId,
    cmd_put_InstructionId,
    cmd_get_LeField,
    cmd_get_P1,
    cmd_put_P1,
    cmd_get_P2,
    cmd_put_P2,
    cmd_get_P3,
    cmd_get_ReplyStatus,
    cmd_put_ReplyStatus,
    cmd_get_ReplyStatusSW1,
    cmd_get_ReplyStatusSW2,
    cmd_get_Type,
    cmd_get_Nad,
    cmd_put_Nad,
    cmd_get_ReplyNad,
    cmd_put_ReplyNad,
    cmd_BuildCmd,
    cmd_Clear,
    cmd_Encapsulate,
    cmd_get_AlternateClassId,
    cmd_put_AlternateClassId,
};

/* Another ISCardCmd implementation: its bytes read through get_Apdu (a
 * copy), the reply given through put_ApduReply. */
static HRESULT foreign_transact(ISCardCmd *iface, cmd_exchange_fn exchange, void *ctx)
{
    IByteBuffer *buffer;
    const BYTE *reply;
    size_t size, reply_len;
    BYTE *bytes, alt_cla;
    int alt = -1;
    HRESULT hr;

    if (FAILED(hr = ISCardCmd_get_Apdu(iface, &buffer)))
        return hr;
    if (!buffer)
        return E_INVALIDARG;
    hr = bytebuffer_read_all(buffer, &bytes, &size);
    IByteBuffer_Release(buffer);
    if (FAILED(hr))
        return hr;
    if (ISCardCmd_get_AlternateClassId(iface, &alt_cla) == S_OK)
        alt = alt_cla;

    if (!size)
        hr = E_INVALIDARG;
    else if (SUCCEEDED(hr = exchange(ctx, bytes, size, alt, &reply, &reply_len))
            && SUCCEEDED(hr = bytebuffer_create_with_data(reply, reply_len, &buffer)))
    {
        hr = ISCardCmd_put_ApduReply(iface, buffer);
        IByteBuffer_Release(buffer);
        if (SUCCEEDED(hr))
            ISCardCmd_put_ReplyNad(iface, 0);
    }
    free(bytes);
    return hr;
}

HRESULT cmd_transact(ISCardCmd *iface, cmd_exchange_fn exchange, void *ctx)
{
    struct cmd *cmd;
    const BYTE *reply;
    size_t reply_len;
    BYTE *stored;
    HRESULT hr;

    TRACE("%p, %p, %p.\n", iface, exchange, ctx);

    if (iface->lpVtbl != &cmd_vtbl)
        return foreign_transact(iface, exchange, ctx);

    /* the command is sent from where it is, and the reply copied once, into
     * the previous reply's block when it fits */
    cmd = impl_from_ISCardCmd(iface);
    EnterCriticalSection(&cmd->cs);
    if (!cmd->raw_len)
        hr = E_INVALIDARG;
    else if (SUCCEEDED(hr = exchange(ctx, cmd->raw, cmd->raw_len, cmd->alt_class_set ? cmd->alt_class : -1,
            &reply, &reply_len)))
    {
        /* a reply of the previous one's size reuses its block, without
         * even the heap's lock */
        if (reply_len < 2)
            hr = E_UNEXPECTED;
        else if (!(stored = reply_len == cmd->reply_len ? cmd->reply : realloc(cmd->reply, reply_len)))
            hr = E_OUTOFMEMORY;
        else
        {
            memcpy(stored, reply, reply_len);
            cmd->reply = NULL;   /* realloc'ed into stored */
            cmd_store_reply(cmd, stored, reply_len);
            cmd->reply_nad = 0;
        }
    }
    LeaveCriticalSection(&cmd->cs);
    return hr;
}

HRESULT cmd_create(REFIID riid, void **obj)
{
    struct cmd *cmd;
    HRESULT hr;

    if (!(cmd = calloc(1, sizeof(*cmd))))
        return E_OUTOFMEMORY;

    cmd->ISCardCmd_iface.lpVtbl = &cmd_vtbl;
    cmd->refcount = 1;
    InitializeCriticalSection(&cmd->cs);
    scardssp_object_created();

    hr = ISCardCmd_QueryInterface(&cmd->ISCardCmd_iface, riid, obj);
    ISCardCmd_Release(&cmd->ISCardCmd_iface);
    return hr;
}
