/*
 * ABI test: a client built the way a legacy one is, with plain mingw-w64
 * and mingw-w64's own scardssp.h and scardssp_i.c (through sspguid.h), not
 * with Wine's tools nor this project's IDL.  It checks that each member of
 * that header's vtables sits at the slot of the specification, that the
 * structures and enums have the sizes and values it declares, and that
 * calls made through that header reach the members they name, with
 * observable results; and that the registered type library describes
 * the structures and enums with that header's layout.
 *
 * min-checks: 470 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define COBJMACROS
#include <stddef.h>
#include <string.h>
#include <windows.h>
#include <ole2.h>
#include <scardssp.h>
#include <sspguid.h>

#include "wine/test.h"

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(array) (sizeof(array) / sizeof((array)[0]))
#endif

struct slot
{
    const char *name;
    size_t offset;
    unsigned int slot;
};

#define SLOT(vtbl, member, n) { #member, offsetof(vtbl, member), n }

static const struct slot bytebuffer_slots[] =
{
    SLOT(IByteBufferVtbl, QueryInterface, 0), SLOT(IByteBufferVtbl, AddRef, 1), SLOT(IByteBufferVtbl, Release, 2),
    SLOT(IByteBufferVtbl, GetTypeInfoCount, 3), SLOT(IByteBufferVtbl, GetTypeInfo, 4),
    SLOT(IByteBufferVtbl, GetIDsOfNames, 5), SLOT(IByteBufferVtbl, Invoke, 6),
    SLOT(IByteBufferVtbl, get_Stream, 7), SLOT(IByteBufferVtbl, put_Stream, 8), SLOT(IByteBufferVtbl, Clone, 9),
    SLOT(IByteBufferVtbl, Commit, 10), SLOT(IByteBufferVtbl, CopyTo, 11), SLOT(IByteBufferVtbl, Initialize, 12),
    SLOT(IByteBufferVtbl, LockRegion, 13), SLOT(IByteBufferVtbl, Read, 14), SLOT(IByteBufferVtbl, Revert, 15),
    SLOT(IByteBufferVtbl, Seek, 16), SLOT(IByteBufferVtbl, SetSize, 17), SLOT(IByteBufferVtbl, Stat, 18),
    SLOT(IByteBufferVtbl, UnlockRegion, 19), SLOT(IByteBufferVtbl, Write, 20),
};

static const struct slot typeconv_slots[] =
{
    SLOT(ISCardTypeConvVtbl, Invoke, 6),
    SLOT(ISCardTypeConvVtbl, ConvertByteArrayToByteBuffer, 7), SLOT(ISCardTypeConvVtbl, ConvertByteBufferToByteArray, 8),
    SLOT(ISCardTypeConvVtbl, ConvertByteBufferToSafeArray, 9), SLOT(ISCardTypeConvVtbl, ConvertSafeArrayToByteBuffer, 10),
    SLOT(ISCardTypeConvVtbl, CreateByteArray, 11), SLOT(ISCardTypeConvVtbl, CreateByteBuffer, 12),
    SLOT(ISCardTypeConvVtbl, CreateSafeArray, 13), SLOT(ISCardTypeConvVtbl, FreeIStreamMemoryPtr, 14),
    SLOT(ISCardTypeConvVtbl, GetAtIStreamMemory, 15), SLOT(ISCardTypeConvVtbl, SizeOfIStream, 16),
};

static const struct slot cmd_slots[] =
{
    SLOT(ISCardCmdVtbl, Invoke, 6),
    SLOT(ISCardCmdVtbl, get_Apdu, 7), SLOT(ISCardCmdVtbl, put_Apdu, 8), SLOT(ISCardCmdVtbl, get_ApduLength, 9),
    SLOT(ISCardCmdVtbl, get_ApduReply, 10), SLOT(ISCardCmdVtbl, put_ApduReply, 11),
    SLOT(ISCardCmdVtbl, get_ApduReplyLength, 12), SLOT(ISCardCmdVtbl, put_ApduReplyLength, 13),
    SLOT(ISCardCmdVtbl, get_ClassId, 14), SLOT(ISCardCmdVtbl, put_ClassId, 15), SLOT(ISCardCmdVtbl, get_Data, 16),
    SLOT(ISCardCmdVtbl, put_Data, 17), SLOT(ISCardCmdVtbl, get_InstructionId, 18),
    SLOT(ISCardCmdVtbl, put_InstructionId, 19), SLOT(ISCardCmdVtbl, get_LeField, 20), SLOT(ISCardCmdVtbl, get_P1, 21),
    SLOT(ISCardCmdVtbl, put_P1, 22), SLOT(ISCardCmdVtbl, get_P2, 23), SLOT(ISCardCmdVtbl, put_P2, 24),
    SLOT(ISCardCmdVtbl, get_P3, 25), SLOT(ISCardCmdVtbl, get_ReplyStatus, 26), SLOT(ISCardCmdVtbl, put_ReplyStatus, 27),
    SLOT(ISCardCmdVtbl, get_ReplyStatusSW1, 28), SLOT(ISCardCmdVtbl, get_ReplyStatusSW2, 29),
    SLOT(ISCardCmdVtbl, get_Type, 30), SLOT(ISCardCmdVtbl, get_Nad, 31), SLOT(ISCardCmdVtbl, put_Nad, 32),
    SLOT(ISCardCmdVtbl, get_ReplyNad, 33), SLOT(ISCardCmdVtbl, put_ReplyNad, 34), SLOT(ISCardCmdVtbl, BuildCmd, 35),
    SLOT(ISCardCmdVtbl, Clear, 36), SLOT(ISCardCmdVtbl, Encapsulate, 37),
    SLOT(ISCardCmdVtbl, get_AlternateClassId, 38), SLOT(ISCardCmdVtbl, put_AlternateClassId, 39),
};

static const struct slot iso7816_slots[] =
{
    SLOT(ISCardISO7816Vtbl, Invoke, 6),
    SLOT(ISCardISO7816Vtbl, AppendRecord, 7), SLOT(ISCardISO7816Vtbl, EraseBinary, 8),
    SLOT(ISCardISO7816Vtbl, ExternalAuthenticate, 9), SLOT(ISCardISO7816Vtbl, GetChallenge, 10),
    SLOT(ISCardISO7816Vtbl, GetData, 11), SLOT(ISCardISO7816Vtbl, GetResponse, 12),
    SLOT(ISCardISO7816Vtbl, InternalAuthenticate, 13), SLOT(ISCardISO7816Vtbl, ManageChannel, 14),
    SLOT(ISCardISO7816Vtbl, PutData, 15), SLOT(ISCardISO7816Vtbl, ReadBinary, 16),
    SLOT(ISCardISO7816Vtbl, ReadRecord, 17), SLOT(ISCardISO7816Vtbl, SelectFile, 18),
    SLOT(ISCardISO7816Vtbl, SetDefaultClassId, 19), SLOT(ISCardISO7816Vtbl, UpdateBinary, 20),
    SLOT(ISCardISO7816Vtbl, UpdateRecord, 21), SLOT(ISCardISO7816Vtbl, Verify, 22),
    SLOT(ISCardISO7816Vtbl, WriteBinary, 23), SLOT(ISCardISO7816Vtbl, WriteRecord, 24),
};

static const struct slot card_slots[] =
{
    SLOT(ISCardVtbl, Invoke, 6),
    SLOT(ISCardVtbl, get_Atr, 7), SLOT(ISCardVtbl, get_CardHandle, 8), SLOT(ISCardVtbl, get_Context, 9),
    SLOT(ISCardVtbl, get_Protocol, 10), SLOT(ISCardVtbl, get_Status, 11), SLOT(ISCardVtbl, AttachByHandle, 12),
    SLOT(ISCardVtbl, AttachByReader, 13), SLOT(ISCardVtbl, Detach, 14), SLOT(ISCardVtbl, LockSCard, 15),
    SLOT(ISCardVtbl, ReAttach, 16), SLOT(ISCardVtbl, Transaction, 17), SLOT(ISCardVtbl, UnlockSCard, 18),
};

static const struct slot database_slots[] =
{
    SLOT(ISCardDatabaseVtbl, Invoke, 6),
    SLOT(ISCardDatabaseVtbl, GetProviderCardId, 7), SLOT(ISCardDatabaseVtbl, ListCardInterfaces, 8),
    SLOT(ISCardDatabaseVtbl, ListCards, 9), SLOT(ISCardDatabaseVtbl, ListReaderGroups, 10),
    SLOT(ISCardDatabaseVtbl, ListReaders, 11),
};

static const struct slot locate_slots[] =
{
    SLOT(ISCardLocateVtbl, Invoke, 6),
    SLOT(ISCardLocateVtbl, ConfigureCardGuidSearch, 7), SLOT(ISCardLocateVtbl, ConfigureCardNameSearch, 8),
    SLOT(ISCardLocateVtbl, FindCard, 9),
};

static const struct
{
    const char *name;
    const struct slot *slots;
    unsigned int count;
    size_t size;        /* sizeof the vtable */
    unsigned int total; /* slots of the MIDL proxy */
}
vtables[] =
{
    {"IByteBuffer", bytebuffer_slots, ARRAY_SIZE(bytebuffer_slots), sizeof(IByteBufferVtbl), 21},
    {"ISCardTypeConv", typeconv_slots, ARRAY_SIZE(typeconv_slots), sizeof(ISCardTypeConvVtbl), 17},
    {"ISCardCmd", cmd_slots, ARRAY_SIZE(cmd_slots), sizeof(ISCardCmdVtbl), 40},
    {"ISCardISO7816", iso7816_slots, ARRAY_SIZE(iso7816_slots), sizeof(ISCardISO7816Vtbl), 25},
    {"ISCard", card_slots, ARRAY_SIZE(card_slots), sizeof(ISCardVtbl), 19},
    {"ISCardDatabase", database_slots, ARRAY_SIZE(database_slots), sizeof(ISCardDatabaseVtbl), 12},
    {"ISCardLocate", locate_slots, ARRAY_SIZE(locate_slots), sizeof(ISCardLocateVtbl), 10},
};

static void test_layout(void)
{
    unsigned int i, j;

    for (i = 0; i < ARRAY_SIZE(vtables); ++i)
    {
        winetest_push_context("%s", vtables[i].name);
        ok(vtables[i].size == vtables[i].total * sizeof(void *), "Got %u slots.\n",
                (unsigned int)(vtables[i].size / sizeof(void *)));
        for (j = 0; j < vtables[i].count; ++j)
        {
            const struct slot *slot = &vtables[i].slots[j];

            ok(slot->offset == slot->slot * sizeof(void *), "%s is at offset %u, expected slot %u.\n",
                    slot->name, (unsigned int)slot->offset, slot->slot);
        }
        winetest_pop_context();
    }

    /* the structures, with the widths of this architecture */
    ok(sizeof(BYTEARRAY) == 3 * sizeof(void *), "Got sizeof(BYTEARRAY) %u.\n", (unsigned int)sizeof(BYTEARRAY));
    ok(offsetof(BYTEARRAY, dwSize) == sizeof(void *), "Got offset %u.\n", (unsigned int)offsetof(BYTEARRAY, dwSize));
    ok(offsetof(BYTEARRAY, pbyData) == 2 * sizeof(void *), "Got offset %u.\n",
            (unsigned int)offsetof(BYTEARRAY, pbyData));
    ok(sizeof(STATSTRUCT) == 20, "Got sizeof(STATSTRUCT) %u.\n", (unsigned int)sizeof(STATSTRUCT));
    ok(offsetof(STATSTRUCT, grfStateBits) == 16, "Got offset %u.\n", (unsigned int)offsetof(STATSTRUCT, grfStateBits));
    ok(sizeof(SCARDINFO) == (sizeof(void *) == 8 ? 56 : 32), "Got sizeof(SCARDINFO) %u.\n",
            (unsigned int)sizeof(SCARDINFO));
    ok(offsetof(SCARDINFO, ActiveProtocol) == 2 * sizeof(void *), "Got offset %u.\n",
            (unsigned int)offsetof(SCARDINFO, ActiveProtocol));
    ok(offsetof(SCARDINFO, hwndOwner) == 2 * sizeof(void *) + 8, "Got offset %u.\n",
            (unsigned int)offsetof(SCARDINFO, hwndOwner));
    ok(sizeof(HSCARD) == sizeof(void *) && sizeof(HSCARDCONTEXT) == sizeof(void *), "Got handle sizes %u, %u.\n",
            (unsigned int)sizeof(HSCARD), (unsigned int)sizeof(HSCARDCONTEXT));
    ok(CB_BYTEARRAY == sizeof(BYTEARRAY) && CB_STATSTRUCT == sizeof(STATSTRUCT), "Bad CB_ constants.\n");

    /* the enums: 32-bit, with the values of the type library */
    ok(sizeof(ISO_APDU_TYPE) == 4 && sizeof(SCARD_SHARE_MODES) == 4 && sizeof(SCARD_DISPOSITIONS) == 4
            && sizeof(SCARD_STATES) == 4 && sizeof(SCARD_PROTOCOLS) == 4, "Enums are not 32-bit.\n");
    ok(ISO_CASE_1 == 1 && ISO_CASE_2 == 2 && ISO_CASE_3 == 3 && ISO_CASE_4 == 4, "Bad ISO_APDU_TYPE.\n");
    ok(EXCLUSIVE == 1 && SHARED == 2, "Bad SCARD_SHARE_MODES.\n");
    ok(LEAVE == 0 && RESET == 1 && UNPOWER == 2 && EJECT == 3, "Bad SCARD_DISPOSITIONS.\n");
    ok(ABSENT == 1 && PRESENT == 2 && SWALLOWED == 3 && POWERED == 4 && NEGOTIABLEMODE == 5 && SPECIFICMODE == 6,
            "Bad SCARD_STATES.\n");
    ok(T0 == 1 && T1 == 2 && RAW == 0xff, "Bad SCARD_PROTOCOLS.\n");
}

static void *create(REFCLSID clsid, REFIID iid)
{
    void *obj = NULL;
    HRESULT hr;

    hr = CoCreateInstance(clsid, NULL, CLSCTX_INPROC_SERVER, iid, &obj);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return obj;
}

#define check_buffer(a, b, c) check_buffer_(__LINE__, a, b, c)
static void check_buffer_(unsigned int line, IByteBuffer *buffer, const char *expected, LONG size)
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
    ok_(__FILE__, line)(!memcmp(data, expected, size), "Got %02x %02x %02x %02x %02x %02x.\n",
            data[0], data[1], data[2], data[3], data[4], data[5]);
}

#define check_apdu(a, b, c) check_apdu_(__LINE__, a, b, c)
static void check_apdu_(unsigned int line, ISCardCmd *cmd, const char *expected, LONG size)
{
    IByteBuffer *apdu = NULL;
    LONG length = -1;
    HRESULT hr;

    hr = ISCardCmd_get_Apdu(cmd, &apdu);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduLength(cmd, &length);
    ok_(__FILE__, line)(hr == S_OK, "Got hr %#lx.\n", hr);
    ok_(__FILE__, line)(length == size, "Got length %ld, expected %ld.\n", length, size);
    if (!apdu)
        return;
    check_buffer_(line, apdu, expected, size);
    IByteBuffer_Release(apdu);
}

static IByteBuffer *make_buffer(const char *data, LONG size)
{
    IByteBuffer *buffer = create(&CLSID_CByteBuffer, &IID_IByteBuffer);
    HRESULT hr;

    hr = IByteBuffer_Initialize(buffer, size, (BYTE *)data);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    return buffer;
}

static void test_dispatch(IDispatch *disp, REFIID iid)
{
    ITypeInfo *info = NULL;
    TYPEATTR *attr;
    UINT count = 0;
    HRESULT hr;

    hr = IDispatch_GetTypeInfoCount(disp, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 1, "Got count %u.\n", count);
    hr = IDispatch_GetTypeInfo(disp, 0, 0, &info);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!info)
        return;
    hr = ITypeInfo_GetTypeAttr(info, &attr);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(IsEqualGUID(&attr->guid, iid), "Got another interface.\n");
    ITypeInfo_ReleaseTypeAttr(info, attr);
    ITypeInfo_Release(info);
}

static void test_bytebuffer(void)
{
    IByteBuffer *buffer = create(&CLSID_CByteBuffer, &IID_IByteBuffer), *clone = NULL, *dest;
    LONG count = -1, position = -1, read = -1, written = -1;
    IStream *stream = NULL;
    STATSTRUCT stat;
    BYTE data[8];
    HRESULT hr;

    if (!buffer)
        return;
    test_dispatch((IDispatch *)buffer, &IID_IByteBuffer);

    hr = IByteBuffer_Initialize(buffer, 0, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Write(buffer, (BYTE *)"ABCDE", 5, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 5, "Wrote %ld bytes.\n", count);
    hr = IByteBuffer_Seek(buffer, 1, STREAM_SEEK_SET, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(position == 1, "Got position %ld.\n", position);
    memset(data, 0, sizeof(data));
    hr = IByteBuffer_Read(buffer, data, 3, &count);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(count == 3 && !memcmp(data, "BCD", 3), "Read %ld bytes %.3s.\n", count, data);

    memset(&stat, 0xcc, sizeof(stat));
    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_NONAME);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(stat.type == STGTY_STREAM, "Got type %ld.\n", stat.type);
    ok(stat.cbSize == 5, "Got size %ld.\n", stat.cbSize);

    hr = IByteBuffer_Clone(buffer, &clone);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (clone)
    {
        hr = IByteBuffer_Seek(clone, 0, STREAM_SEEK_CUR, &position);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(position == 4, "Clone at %ld.\n", position);
        IByteBuffer_Release(clone);
    }

    hr = IByteBuffer_SetSize(buffer, 2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Stat(buffer, &stat, STATFLAG_NONAME);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(stat.cbSize == 2, "Got size %ld.\n", stat.cbSize);

    dest = make_buffer("", 0);
    hr = IByteBuffer_Seek(buffer, 0, STREAM_SEEK_SET, &position);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_CopyTo(buffer, &dest, 2, &read, &written);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(read == 2 && written == 2, "Got %ld, %ld.\n", read, written);
    check_buffer(dest, "AB", 2);
    IByteBuffer_Release(dest);

    hr = IByteBuffer_LockRegion(buffer, 0, 1, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 1, LOCK_EXCLUSIVE);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_UnlockRegion(buffer, 0, 1, LOCK_EXCLUSIVE);
    ok(hr == STG_E_LOCKVIOLATION, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Commit(buffer, STGC_DEFAULT);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IByteBuffer_Revert(buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    hr = IByteBuffer_get_Stream(buffer, &stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(!!stream, "Got no stream.\n");
    if (stream)
        IStream_Release(stream);

    ok(IByteBuffer_Release(buffer) == 0, "Buffer still referenced.\n");
}

static void test_cmd(void)
{
    ISCardCmd *cmd = create(&CLSID_CSCardCmd, &IID_ISCardCmd);
    IByteBuffer *data = make_buffer("\x3f\x00", 2), *buffer = NULL;
    ISO_APDU_TYPE type = 0;
    LONG le = 16, length = -1;
    BYTE byte = 0;
    WORD status = 0;
    HRESULT hr;

    if (!cmd)
        return;
    test_dispatch((IDispatch *)cmd, &IID_ISCardCmd);

    hr = ISCardCmd_BuildCmd(cmd, 0x00, 0xa4, 0x04, 0x00, data, &le);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "\x00\xa4\x04\x00\x02\x3f\x00\x10", 8);
    hr = ISCardCmd_get_ClassId(cmd, &byte);
    ok(hr == S_OK && byte == 0x00, "Got hr %#lx, CLA %#x.\n", hr, byte);
    hr = ISCardCmd_get_InstructionId(cmd, &byte);
    ok(hr == S_OK && byte == 0xa4, "Got hr %#lx, INS %#x.\n", hr, byte);
    hr = ISCardCmd_get_P1(cmd, &byte);
    ok(hr == S_OK && byte == 0x04, "Got hr %#lx, P1 %#x.\n", hr, byte);
    hr = ISCardCmd_get_P2(cmd, &byte);
    ok(hr == S_OK && byte == 0x00, "Got hr %#lx, P2 %#x.\n", hr, byte);
    hr = ISCardCmd_get_P3(cmd, &byte);
    ok(hr == S_OK && byte == 2, "Got hr %#lx, P3 %u.\n", hr, byte);
    hr = ISCardCmd_get_LeField(cmd, &length);
    ok(hr == S_OK && length == 16, "Got hr %#lx, Le %ld.\n", hr, length);
    hr = ISCardCmd_get_Type(cmd, &type);
    ok(hr == S_OK && type == ISO_CASE_4, "Got hr %#lx, type %d.\n", hr, type);
    hr = ISCardCmd_get_Data(cmd, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (buffer)
    {
        check_buffer(buffer, "\x3f\x00", 2);
        IByteBuffer_Release(buffer);
    }

    /* each setter changes its own byte */
    hr = ISCardCmd_put_ClassId(cmd, 0x80);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_InstructionId(cmd, 0xb0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_P1(cmd, 0x11);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_P2(cmd, 0x22);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "\x80\xb0\x11\x22\x02\x3f\x00\x10", 8);
    buffer = make_buffer("\x01\x02\x03", 3);
    hr = ISCardCmd_put_Data(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, "\x80\xb0\x11\x22\x03\x01\x02\x03\x10", 9);

    buffer = make_buffer("\x00\xca\x01\x02\x05", 5);
    hr = ISCardCmd_put_Apdu(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, "\x00\xca\x01\x02\x05", 5);

    /* the reply */
    buffer = make_buffer("\xaa\xbb\x90\x00", 4);
    hr = ISCardCmd_put_ApduReply(cmd, buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok(hr == S_OK && length == 4, "Got hr %#lx, length %ld.\n", hr, length);
    hr = ISCardCmd_get_ReplyStatus(cmd, &status);
    ok(hr == S_OK && status == 0x9000, "Got hr %#lx, status %#x.\n", hr, status);
    hr = ISCardCmd_get_ReplyStatusSW1(cmd, &byte);
    ok(hr == S_OK && byte == 0x90, "Got hr %#lx, SW1 %#x.\n", hr, byte);
    hr = ISCardCmd_get_ReplyStatusSW2(cmd, &byte);
    ok(hr == S_OK && byte == 0x00, "Got hr %#lx, SW2 %#x.\n", hr, byte);
    hr = ISCardCmd_put_ReplyStatus(cmd, 0x6a82);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ApduReply(cmd, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (buffer)
    {
        check_buffer(buffer, "\xaa\xbb\x6a\x82", 4);
        IByteBuffer_Release(buffer);
    }
    hr = ISCardCmd_put_ApduReplyLength(cmd, 2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ReplyStatus(cmd, &status);
    ok(hr == S_OK && status == 0xaabb, "Got hr %#lx, status %#x.\n", hr, status);

    /* NADs and the alternate class */
    hr = ISCardCmd_put_Nad(cmd, 0x12);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_Nad(cmd, &byte);
    ok(hr == S_OK && byte == 0x12, "Got hr %#lx, NAD %#x.\n", hr, byte);
    hr = ISCardCmd_put_ReplyNad(cmd, 0x21);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_ReplyNad(cmd, &byte);
    ok(hr == S_OK && byte == 0x21, "Got hr %#lx, reply NAD %#x.\n", hr, byte);
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == E_ACCESSDENIED, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_put_AlternateClassId(cmd, 0xc0);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = ISCardCmd_get_AlternateClassId(cmd, &byte);
    ok(hr == S_OK && byte == 0xc0, "Got hr %#lx, class %#x.\n", hr, byte);

    /* Clear empties command and reply */
    hr = ISCardCmd_Clear(cmd);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    check_apdu(cmd, "", 0);
    hr = ISCardCmd_get_ApduReplyLength(cmd, &length);
    ok(hr == S_OK && length == 0, "Got hr %#lx, length %ld.\n", hr, length);

    /* Encapsulate: an empty command becomes an ENVELOPE */
    buffer = make_buffer("\x00\x84\x00\x00\x08", 5);
    hr = ISCardCmd_Encapsulate(cmd, buffer, ISO_CASE_2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    IByteBuffer_Release(buffer);
    check_apdu(cmd, "\x00\xc2\x00\x00\x05\x00\x84\x00\x00\x08", 10);

    IByteBuffer_Release(data);
    ok(ISCardCmd_Release(cmd) == 0, "Command still referenced.\n");
}

static void test_iso7816(void)
{
    static const struct
    {
        const char *apdu;
        LONG size;
    }
    expected[] =
    {
        {"\x80\xe2\x00\x08\x02\x3f\x00", 7},        /* AppendRecord */
        {"\x80\x0e\x01\x02", 4},                    /* EraseBinary */
        {"\x80\x82\x01\x02\x02\x3f\x00", 7},        /* ExternalAuthenticate */
        {"\x80\x84\x00\x00\x08", 5},                /* GetChallenge */
        {"\x80\xca\x01\x02\x04", 5},                /* GetData */
        {"\x80\xc0\x00\x00\x04", 5},                /* GetResponse */
        {"\x80\x88\x01\x02\x02\x3f\x00\x04", 8},    /* InternalAuthenticate */
        {"\x80\x70\x80\x01", 4},                    /* ManageChannel */
        {"\x80\xda\x01\x02\x02\x3f\x00", 7},        /* PutData */
        {"\x80\xb0\x01\x02\x04", 5},                /* ReadBinary */
        {"\x80\xb2\x01\x04\x04", 5},                /* ReadRecord */
        {"\x80\xa4\x00\x0c\x02\x3f\x00", 7},        /* SelectFile */
        {"\x80\xd6\x01\x02\x02\x3f\x00", 7},        /* UpdateBinary */
        {"\x80\xdc\x01\x04\x02\x3f\x00", 7},        /* UpdateRecord */
        {"\x80\x20\x00\x81\x02\x3f\x00", 7},        /* Verify */
        {"\x80\xd0\x01\x02\x02\x3f\x00", 7},        /* WriteBinary */
        {"\x80\xd2\x01\x04\x02\x3f\x00", 7},        /* WriteRecord */
    };
    ISCardISO7816 *iso = create(&CLSID_CSCardISO7816, &IID_ISCardISO7816);
    IByteBuffer *data = make_buffer("\x3f\x00", 2);
    ISCardCmd *cmd = NULL;
    unsigned int i;
    HRESULT hr;

    if (!iso)
        return;
    test_dispatch((IDispatch *)iso, &IID_ISCardISO7816);

    hr = ISCardISO7816_SetDefaultClassId(iso, 0x80);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);

    /* every builder through its own slot, into the same command */
    for (i = 0; i < ARRAY_SIZE(expected); ++i)
    {
        winetest_push_context("%u", i);
        switch (i)
        {
            case 0: hr = ISCardISO7816_AppendRecord(iso, 0x08, data, &cmd); break;
            case 1: hr = ISCardISO7816_EraseBinary(iso, 0x01, 0x02, NULL, &cmd); break;
            case 2: hr = ISCardISO7816_ExternalAuthenticate(iso, 0x01, 0x02, data, &cmd); break;
            case 3: hr = ISCardISO7816_GetChallenge(iso, 8, &cmd); break;
            case 4: hr = ISCardISO7816_GetData(iso, 0x01, 0x02, 4, &cmd); break;
            case 5: hr = ISCardISO7816_GetResponse(iso, 0x00, 0x00, 4, &cmd); break;
            case 6: hr = ISCardISO7816_InternalAuthenticate(iso, 0x01, 0x02, data, 4, &cmd); break;
            case 7: hr = ISCardISO7816_ManageChannel(iso, 0x80, 0x01, &cmd); break;
            case 8: hr = ISCardISO7816_PutData(iso, 0x01, 0x02, data, &cmd); break;
            case 9: hr = ISCardISO7816_ReadBinary(iso, 0x01, 0x02, 4, &cmd); break;
            case 10: hr = ISCardISO7816_ReadRecord(iso, 0x01, 0x04, 4, &cmd); break;
            case 11: hr = ISCardISO7816_SelectFile(iso, 0x00, 0x0c, data, 0, &cmd); break;
            case 12: hr = ISCardISO7816_UpdateBinary(iso, 0x01, 0x02, data, &cmd); break;
            case 13: hr = ISCardISO7816_UpdateRecord(iso, 0x01, 0x04, data, &cmd); break;
            case 14: hr = ISCardISO7816_Verify(iso, 0x81, data, &cmd); break;
            case 15: hr = ISCardISO7816_WriteBinary(iso, 0x01, 0x02, data, &cmd); break;
            case 16: hr = ISCardISO7816_WriteRecord(iso, 0x01, 0x04, data, &cmd); break;
        }
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(!!cmd, "Got no command.\n");
        if (cmd)
            check_apdu(cmd, expected[i].apdu, expected[i].size);
        winetest_pop_context();
    }

    if (cmd)
        ok(ISCardCmd_Release(cmd) == 0, "Command still referenced.\n");
    IByteBuffer_Release(data);
    ISCardISO7816_Release(iso);
}

static void test_typeconv(void)
{
    ISCardTypeConv *conv = create(&CLSID_CSCardTypeConv, &IID_ISCardTypeConv);
    IByteBuffer *buffer = NULL, *buffer2 = NULL;
    BYTEARRAY *array = NULL, *mem = NULL;
    SAFEARRAY *safearray = NULL;
    ULARGE_INTEGER size;
    IStream *stream;
    BYTE *bytes = NULL;
    HRESULT hr;

    if (!conv)
        return;
    test_dispatch((IDispatch *)conv, &IID_ISCardTypeConv);

    hr = ISCardTypeConv_ConvertByteArrayToByteBuffer(conv, (BYTE *)"\x01\x02\x03", 3, &buffer);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (!buffer)
    {
        ISCardTypeConv_Release(conv);
        return;
    }
    check_buffer(buffer, "\x01\x02\x03", 3);

    /* the BYTEARRAY as this header lays it out */
    hr = ISCardTypeConv_ConvertByteBufferToByteArray(conv, buffer, &array);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (array)
    {
        ok(array->dwSize == 3, "Got size %lu.\n", array->dwSize);
        ok(array->pbyData && !memcmp(array->pbyData, "\x01\x02\x03", 3), "Got other bytes.\n");
        ok(array->hMem && GlobalSize(array->hMem) >= 3, "Got no memory block.\n");
        GlobalFree(array->hMem);
        CoTaskMemFree(array->pbyData);
        CoTaskMemFree(array);
    }

    hr = ISCardTypeConv_ConvertByteBufferToSafeArray(conv, buffer, &safearray);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (safearray)
    {
        ok(safearray->rgsabound[0].cElements == 3, "Got %lu elements.\n", safearray->rgsabound[0].cElements);
        hr = ISCardTypeConv_ConvertSafeArrayToByteBuffer(conv, safearray, &buffer2);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (buffer2)
        {
            check_buffer(buffer2, "\x01\x02\x03", 3);
            IByteBuffer_Release(buffer2);
        }
        SafeArrayDestroy(safearray);
    }

    hr = ISCardTypeConv_CreateByteArray(conv, 4, &bytes);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(bytes && !memcmp(bytes, "\0\0\0\0", 4), "Got no zeroed bytes.\n");
    CoTaskMemFree(bytes);

    hr = ISCardTypeConv_CreateByteBuffer(conv, 6, &buffer2);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (buffer2)
    {
        STATSTRUCT stat;

        hr = IByteBuffer_Stat(buffer2, &stat, STATFLAG_NONAME);
        ok(hr == S_OK && stat.cbSize == 6, "Got hr %#lx, size %ld.\n", hr, stat.cbSize);
        IByteBuffer_Release(buffer2);
    }

    safearray = NULL;
    hr = ISCardTypeConv_CreateSafeArray(conv, 5, &safearray);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    ok(safearray && safearray->rgsabound[0].cElements == 5 && safearray->cbElements == 1, "Got another array.\n");
    SafeArrayDestroy(safearray);

    /* streams */
    hr = CreateStreamOnHGlobal(NULL, TRUE, &stream);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    hr = IStream_Write(stream, "wxyz", 4, NULL);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    size.QuadPart = 0;
    hr = ISCardTypeConv_SizeOfIStream(conv, stream, &size);
    ok(hr == S_OK && size.QuadPart == 4, "Got hr %#lx, size %lu.\n", hr, size.u.LowPart);
    hr = ISCardTypeConv_GetAtIStreamMemory(conv, stream, &mem);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (mem)
    {
        ok(mem->pbyData && !memcmp(mem->pbyData, "wxyz", 4), "Got other bytes.\n");
        hr = ISCardTypeConv_FreeIStreamMemoryPtr(conv, stream, (BYTE *)mem);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
    }
    ok(IStream_Release(stream) == 0, "Stream still referenced.\n");

    IByteBuffer_Release(buffer);
    ISCardTypeConv_Release(conv);
}

/* The objects that use a card service (created without one: CSCard
 * reaches it only when it attaches), and their IDispatch slots reached
 * through this header. */
static void test_others(void)
{
    static const struct { const CLSID *clsid; const IID *iid; } others[] =
    {
        {&CLSID_CSCard, &IID_ISCard},
        {&CLSID_CSCardDatabase, &IID_ISCardDatabase},
        {&CLSID_CSCardLocate, &IID_ISCardLocate},
    };
    IDispatch *disp;
    unsigned int i;
    HRESULT hr;

    for (i = 0; i < ARRAY_SIZE(others); ++i)
    {
        disp = NULL;
        hr = CoCreateInstance(others[i].clsid, NULL, CLSCTX_INPROC_SERVER, others[i].iid, (void **)&disp);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        if (!disp)
            continue;
        test_dispatch(disp, others[i].iid);
        ok(IDispatch_Release(disp) == 0, "Object still referenced.\n");
    }
}

/* The type library's records, unions and enums have this header's layout: the
 * size of each, the offset of each field, the value of each constant
 * (what tlbimp and Delphi build their declarations from). */
static void test_typelib_layout(void)
{
    static const struct
    {
        const WCHAR *name;
        TYPEKIND kind;
        unsigned int size, count;
        size_t offset[8];   /* fields of a record or union; values of an enum */
    }
    types[] =
    {
        {L"tagBYTEARRAY", TKIND_RECORD, sizeof(BYTEARRAY), 3,
                {offsetof(BYTEARRAY, hMem), offsetof(BYTEARRAY, dwSize), offsetof(BYTEARRAY, pbyData)}},
        {L"tagSTATSTRUCT", TKIND_RECORD, sizeof(STATSTRUCT), 5,
                {offsetof(STATSTRUCT, type), offsetof(STATSTRUCT, cbSize), offsetof(STATSTRUCT, grfMode),
                 offsetof(STATSTRUCT, grfLocksSupported), offsetof(STATSTRUCT, grfStateBits)}},
        {L"tagSCARDINFO", TKIND_RECORD, sizeof(SCARDINFO), 8,
                {offsetof(SCARDINFO, hCard), offsetof(SCARDINFO, hContext), offsetof(SCARDINFO, ActiveProtocol),
                 offsetof(SCARDINFO, ShareMode), offsetof(SCARDINFO, hwndOwner),
                 offsetof(SCARDINFO, lpfnConnectProc), offsetof(SCARDINFO, lpfnCheckProc),
                 offsetof(SCARDINFO, lpfnDisconnectProc)}},
        {L"GUID", TKIND_RECORD, sizeof(GUID), 4,
                {offsetof(GUID, Data1), offsetof(GUID, Data2), offsetof(GUID, Data3), offsetof(GUID, Data4)}},
        {L"_userHGLOBAL", TKIND_RECORD, sizeof(userHGLOBAL), 2, {offsetof(userHGLOBAL, fContext),
                offsetof(userHGLOBAL, u)}},
        {L"__MIDL_IWinTypes_0003", TKIND_UNION, sizeof(((userHGLOBAL *)0)->u), 3, {0, 0, 0}},
        {L"tagISO_APDU_TYPE", TKIND_ENUM, 4, 4, {ISO_CASE_1, ISO_CASE_2, ISO_CASE_3, ISO_CASE_4}},
        {L"tagSCARD_SHARE_MODES", TKIND_ENUM, 4, 2, {EXCLUSIVE, SHARED}},
        {L"tagSCARD_DISPOSITIONS", TKIND_ENUM, 4, 4, {LEAVE, RESET, UNPOWER, EJECT}},
        {L"tagSCARD_STATES", TKIND_ENUM, 4, 6, {ABSENT, PRESENT, SWALLOWED, POWERED, NEGOTIABLEMODE, SPECIFICMODE}},
        {L"tagSCARD_PROTOCOLS", TKIND_ENUM, 4, 3, {T0, T1, RAW}},
    };
    ITypeInfo *info;
    TYPEATTR *attr;
    VARDESC *var;
    MEMBERID id;
    ITypeLib *lib;
    unsigned int i, k;
    USHORT found;
    HRESULT hr;

    hr = LoadRegTypeLib(&LIBID_SCARDSSPLib, 1, 0, LOCALE_NEUTRAL, &lib);
    ok(hr == S_OK, "Got hr %#lx.\n", hr);
    if (FAILED(hr))
        return;
    for (i = 0; i < ARRAY_SIZE(types); ++i)
    {
        winetest_push_context("%ls", types[i].name);
        found = 1;
        hr = ITypeLib_FindName(lib, (WCHAR *)types[i].name, 0, &info, &id, &found);
        ok(hr == S_OK && found == 1, "Got hr %#lx, %u found.\n", hr, found);
        if (hr != S_OK || found != 1)
        {
            winetest_pop_context();
            continue;
        }
        hr = ITypeInfo_GetTypeAttr(info, &attr);
        ok(hr == S_OK, "Got hr %#lx.\n", hr);
        ok(attr->typekind == types[i].kind, "Got typekind %d.\n", attr->typekind);
        ok(attr->cbSizeInstance == types[i].size, "Got size %lu, expected %u.\n", attr->cbSizeInstance, types[i].size);
        ok(attr->cVars == types[i].count, "Got %u members.\n", attr->cVars);
        for (k = 0; k < attr->cVars && k < types[i].count; ++k)
        {
            hr = ITypeInfo_GetVarDesc(info, k, &var);
            ok(hr == S_OK, "Got hr %#lx.\n", hr);
            if (types[i].kind != TKIND_ENUM)
                ok(var->oInst == types[i].offset[k], "Field %u: got offset %lu, expected %u.\n", k, var->oInst,
                        (unsigned int)types[i].offset[k]);
            else
                ok(V_VT(var->lpvarValue) == VT_I4 && V_I4(var->lpvarValue) == (LONG)types[i].offset[k],
                        "Constant %u: got %d:%ld, expected %u.\n", k, V_VT(var->lpvarValue),
                        V_I4(var->lpvarValue), (unsigned int)types[i].offset[k]);
            ITypeInfo_ReleaseVarDesc(info, var);
        }
        ITypeInfo_ReleaseTypeAttr(info, attr);
        ITypeInfo_Release(info);
        winetest_pop_context();
    }
    ITypeLib_Release(lib);
}

START_TEST(abi)
{
    CoInitialize(NULL);

    test_layout();
    test_typelib_layout();
    test_bytebuffer();
    test_cmd();
    test_iso7816();
    test_typeconv();
    test_others();

    CoUninitialize();
}
