/*
 * winscard bridge: the calls from the PE side (winscard.dll) to the Unix
 * side (winscard_pcsc.dll.so, which talks to pcsc-lite).
 *
 * Shared by a mingw (LLP64) build and a Unix (LP64 or ILP32) build of the
 * same architecture, so nothing here depends on the width of "long":
 * every integer, handle and pointer travels as an 8-byte aligned 64-bit
 * field, and both compilers lay the structures out identically (checked
 * by the asserts at the end).  Values are pcsc-lite's own, untranslated:
 * the PE side converts between them and Windows values.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINSCARD_UNIXLIB_H
#define __WINSCARD_UNIXLIB_H

#include <stdint.h>

typedef uint64_t pcsc_u64 __attribute__((aligned(8)));

#define PCSC_PTR(p)   ((pcsc_u64)(uintptr_t)(p))
#define PCSC_MAX_ATR  33

/* The one export of the Unix module, "winscard_pcsc_call". */
#if defined(__x86_64__)
# define PCSC_CALLCONV __attribute__((ms_abi))
#else
# define PCSC_CALLCONV __attribute__((__cdecl__))
#endif
typedef int32_t (PCSC_CALLCONV *pcsc_call_func)(uint32_t code, void *params);

/* unix_init: loads libpcsclite; sizes[] lets the Unix side check that it
 * sees the same structure layouts as the PE side. */
struct pcsc_init_params
{
    pcsc_u64 version;
    pcsc_u64 sizes[8];
    char     error[256];     /* out: why the library could not be loaded */
};

struct pcsc_establish_params
{
    pcsc_u64 scope;
    pcsc_u64 context;        /* out */
};

struct pcsc_context_params   /* release, is_valid, cancel */
{
    pcsc_u64 context;
};

struct pcsc_list_params      /* list_readers, list_groups */
{
    pcsc_u64 context;
    pcsc_u64 buffer;         /* char *, UTF-8 multi-string, or 0 to ask the size */
    pcsc_u64 length;         /* in: size of buffer; out: size needed or written */
};

struct pcsc_reader_state
{
    pcsc_u64 reader;         /* const char *, UTF-8 */
    pcsc_u64 current_state;
    pcsc_u64 event_state;    /* out */
    pcsc_u64 atr_length;     /* out */
    uint8_t  atr[40];        /* out, PCSC_MAX_ATR used */
};

struct pcsc_status_change_params
{
    pcsc_u64 context;
    pcsc_u64 timeout;
    pcsc_u64 states;         /* struct pcsc_reader_state * */
    pcsc_u64 count;
};

struct pcsc_connect_params
{
    pcsc_u64 context;
    pcsc_u64 reader;         /* const char *, UTF-8 */
    pcsc_u64 share_mode;
    pcsc_u64 protocols;
    pcsc_u64 card;           /* out */
    pcsc_u64 protocol;       /* out */
};

struct pcsc_reconnect_params
{
    pcsc_u64 card;
    pcsc_u64 share_mode;
    pcsc_u64 protocols;
    pcsc_u64 initialization;
    pcsc_u64 protocol;       /* out */
};

struct pcsc_card_params      /* disconnect, begin_transaction, end_transaction */
{
    pcsc_u64 card;
    pcsc_u64 disposition;
};

struct pcsc_status_params
{
    pcsc_u64 card;
    pcsc_u64 names;          /* char *, or 0 to ask the size */
    pcsc_u64 names_length;   /* in/out */
    pcsc_u64 state;          /* out, pcsc-lite bit field */
    pcsc_u64 protocol;       /* out */
    pcsc_u64 atr_length;     /* out */
    uint8_t  atr[40];        /* out */
};

struct pcsc_transmit_params
{
    pcsc_u64 card;
    pcsc_u64 send_protocol;
    pcsc_u64 send;           /* const BYTE * */
    pcsc_u64 send_length;
    pcsc_u64 recv_protocol;  /* out */
    pcsc_u64 recv;           /* BYTE * */
    pcsc_u64 recv_length;    /* in/out */
};

struct pcsc_control_params
{
    pcsc_u64 card;
    pcsc_u64 code;
    pcsc_u64 in;
    pcsc_u64 in_length;
    pcsc_u64 out;
    pcsc_u64 out_length;
    pcsc_u64 returned;       /* out */
};

struct pcsc_attrib_params    /* get_attrib, set_attrib */
{
    pcsc_u64 card;
    pcsc_u64 id;
    pcsc_u64 buffer;
    pcsc_u64 length;         /* in/out */
};

enum pcsc_funcs
{
    unix_init,
    unix_establish_context,
    unix_release_context,
    unix_is_valid_context,
    unix_cancel,
    unix_list_readers,
    unix_list_groups,
    unix_get_status_change,
    unix_connect,
    unix_reconnect,
    unix_disconnect,
    unix_begin_transaction,
    unix_end_transaction,
    unix_status,
    unix_transmit,
    unix_control,
    unix_get_attrib,
    unix_set_attrib,
    unix_funcs_count
};

#define PCSC_BRIDGE_VERSION 1

/* Status returned by a call number the Unix side does not know, or by
 * unix_init when the layouts disagree. */
#define PCSC_BRIDGE_MISMATCH ((int32_t)0x80100001) /* SCARD_F_INTERNAL_ERROR */

#define PCSC_LAYOUT_CHECK(type, size) _Static_assert(sizeof(type) == (size), "layout of " #type)
PCSC_LAYOUT_CHECK(struct pcsc_reader_state, 72);
PCSC_LAYOUT_CHECK(struct pcsc_status_change_params, 32);
PCSC_LAYOUT_CHECK(struct pcsc_status_params, 88);
PCSC_LAYOUT_CHECK(struct pcsc_transmit_params, 56);
PCSC_LAYOUT_CHECK(struct pcsc_init_params, 328);

#endif /* __WINSCARD_UNIXLIB_H */
