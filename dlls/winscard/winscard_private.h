/*
 * winscard bridge, PE side: private definitions
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINSCARD_PRIVATE_H
#define __WINSCARD_PRIVATE_H

#include <stdarg.h>
#include <stdlib.h>

#define WINSCARDAPI
#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "winioctl.h"
#include "winscard.h"
#include "winscard_defs.h"
#include "unixlib.h"

/* pcsc-lite values that differ from Windows: core/pcscvalues.h */
#include "pcscvalues.h"

/* bridge.c: the Unix side (its return values in Windows' codes) */
LONG pcsc_call(enum pcsc_funcs code, void *params);
void pcsc_trace_bytes(const char *what, const BYTE *data, DWORD len);

/* handle.c: contexts and card handles */
struct context;
LONG unix_context_establish(DWORD scope, UINT64 *unix_context);
void unix_context_release(UINT64 unix_context);
struct card
{
    LONG refcount;
    SCARDHANDLE handle;
    struct context *context;     /* holds a reference */
    struct card *next;           /* in context->cards, under context->cs */
    UINT64 unix_context;         /* one pcsc-lite context per connection */
    UINT64 unix_card;
    DWORD protocol;              /* Windows value */
    LONG disconnected;
};

LONG context_create(DWORD scope, SCARDCONTEXT *handle);
LONG context_release_handle(SCARDCONTEXT handle);
struct context *context_get(SCARDCONTEXT handle);
void context_put(struct context *context);
/* A pcsc-lite context of the pool, for one call; SCardCancel cancels
 * every one of them that is lent out. */
LONG context_borrow_unix(struct context *context, UINT64 *unix_context);
void context_return_unix(struct context *context, UINT64 unix_context);
LONG context_cancel(struct context *context);
/* Temporary pcsc-lite context for a call made with hContext == 0 (database
 * functions and SCardListReaders accept a NULL context). */
LONG context_borrow_any(SCARDCONTEXT handle, struct context **context, UINT64 *unix_context);
void context_return_any(struct context *context, UINT64 unix_context);
/* 0 is accepted as "no context"; anything else must be a live context. */
LONG context_check_optional(SCARDCONTEXT handle);

LONG card_create(struct context *context, UINT64 unix_context, UINT64 unix_card, DWORD protocol,
                 SCARDHANDLE *handle);
struct card *card_get(SCARDHANDLE handle);
void card_put(struct card *card);
LONG card_release_handle(SCARDHANDLE handle, DWORD disposition);

/* strings.c: conversions and Windows-style output buffers */
WCHAR *strdupAtoW(const char *str);
char *strdupWtoA(const WCHAR *str);
char *strdupWtoU(const WCHAR *str);
WCHAR *strdupUtoW(const char *str);
/* ANSI multi-string to UTF-16 multi-string */
WCHAR *multi_strdupAtoW(const char *str);
DWORD multi_len(const WCHAR *str); /* in characters, both terminators included */

struct multi_string
{
    WCHAR *data;
    DWORD length;     /* characters used, the final terminator not counted */
    DWORD size;
};
BOOL multi_add(struct multi_string *multi, const WCHAR *str);
BOOL multi_contains(const struct multi_string *multi, const WCHAR *str);
void multi_free(struct multi_string *multi);

/* Copies count elements of unit bytes to a caller's buffer with the
 * Windows rules: out NULL gives the size, *out_len == SCARD_AUTOALLOCATE
 * allocates (SCardFreeMemory frees), too small a buffer gives
 * SCARD_E_INSUFFICIENT_BUFFER with the size needed. */
LONG return_buffer(const void *data, DWORD count, DWORD unit, void *out, DWORD *out_len);
LONG return_multi(const struct multi_string *multi, BOOL ansi, void *out, DWORD *out_len);
LONG return_string(const WCHAR *str, BOOL ansi, void *out, DWORD *out_len);
void *autoalloc(SIZE_T size);
BOOL autofree(const void *ptr);

/* database.c: reader aliases and the card database */
WCHAR *db_reader_device(const WCHAR *reader);
BOOL db_reader_groups(const WCHAR *reader, struct multi_string *groups);
BOOL db_reader_aliases(const WCHAR *device, struct multi_string *aliases);
BOOL db_list_aliases(struct multi_string *names);
BOOL db_list_groups(struct multi_string *groups);

/* winscard.c, for database.c */
LONG list_present_readers(SCARDCONTEXT handle, struct multi_string *readers);
/* The states of the readers now (SCardGetStatusChange with a zero timeout
 * and every current state SCARD_STATE_UNAWARE): fills dwEventState (without
 * SCARD_STATE_CHANGED), cbAtr and rgbAtr; dwCurrentState is left alone. */
LONG snapshot_states(SCARDCONTEXT handle, SCARD_READERSTATEW *states, DWORD count, BOOL ansi);

#endif /* __WINSCARD_PRIVATE_H */
