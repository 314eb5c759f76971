/*
 * winscard bridge, PE side: contexts, readers, cards
 *
 * Windows semantics outward (4-byte DWORDs, Windows structures, A and W
 * names, SCARD_AUTOALLOCATE, Windows card states, protocols and error
 * codes), pcsc-lite semantics toward the Unix side (unixlib.h).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "winscard_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winscard);

const SCARD_IO_REQUEST g_rgSCardT0Pci = { SCARD_PROTOCOL_T0, sizeof(SCARD_IO_REQUEST) };
const SCARD_IO_REQUEST g_rgSCardT1Pci = { SCARD_PROTOCOL_T1, sizeof(SCARD_IO_REQUEST) };
const SCARD_IO_REQUEST g_rgSCardRawPci = { SCARD_PROTOCOL_RAW, sizeof(SCARD_IO_REQUEST) };

#define MAX_READER_NAMES 4096
#define MAX_ATTRIB       264   /* pcsc-lite's MAX_BUFFER_SIZE: it refuses larger buffers */
#define MAX_LIST         0x100000  /* bytes of a reader or group list: more is a lie */
#define LIST_TRIES       8         /* sizing and fill calls, when the list grows in between */

/* What the Unix side writes back is checked before any use: a count or
 * length beyond what was given or allocated, an ATR over PCSC_MAX_ATR, a
 * protocol no connection has is a lie, SCARD_F_INTERNAL_ERROR. */
static LONG unix_lie(const char *what, UINT64 value)
{
    WARN("the Unix side gave %s %#I64x\n", what, value);
    return SCARD_F_INTERNAL_ERROR;
}

static const WCHAR * const builtin_groups[] =
{
    L"SCard$AllReaders", L"SCard$DefaultReaders", L"SCard$LocalReaders", L"SCard$SystemReaders",
};

/* TRUE when a caller's buffer is given, not SCARD_AUTOALLOCATE, and too small */
static BOOL too_small(const void *out, const DWORD *out_len, DWORD count)
{
    return out && out_len && *out_len != SCARD_AUTOALLOCATE && *out_len < count;
}

/* A reader name as the caller gave it, to the UTF-8 name of the pcsc-lite
 * reader: a name introduced with SCardIntroduceReader is an alias of its
 * device. */
static char *resolve_reader(const WCHAR *name)
{
    WCHAR *device = db_reader_device(name);
    char *ret = strdupWtoU(device ? device : name);

    free(device);
    return ret;
}

static char *resolve_readerA(const char *name)
{
    WCHAR *nameW = strdupAtoW(name);
    char *ret = nameW ? resolve_reader(nameW) : NULL;

    free(nameW);
    return ret;
}

LONG WINAPI SCardEstablishContext(DWORD scope, const void *reserved1, const void *reserved2, SCARDCONTEXT *context)
{
    LONG ret;

    TRACE("%#lx, %p, %p, %p\n", scope, reserved1, reserved2, context);

    if (!context) return SCARD_E_INVALID_PARAMETER;
    if (scope != SCARD_SCOPE_USER && scope != SCARD_SCOPE_TERMINAL && scope != SCARD_SCOPE_SYSTEM)
        return SCARD_E_INVALID_VALUE;
    ret = context_create(scope, context);
    TRACE("returning %#lx, context %#Ix\n", ret, ret ? 0 : *context);
    return ret;
}

LONG WINAPI SCardReleaseContext(SCARDCONTEXT context)
{
    TRACE("%#Ix\n", context);
    return context_release_handle(context);
}

LONG WINAPI SCardIsValidContext(SCARDCONTEXT context)
{
    struct context *ctx;

    TRACE("%#Ix\n", context);

    if (!(ctx = context_get(context))) return ERROR_INVALID_HANDLE;
    context_put(ctx);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardCancel(SCARDCONTEXT context)
{
    struct context *ctx;
    LONG ret;

    TRACE("%#Ix\n", context);

    if (!(ctx = context_get(context))) return ERROR_INVALID_HANDLE;
    ret = context_cancel(ctx);
    context_put(ctx);
    return ret;
}

/* A UTF-8 multi-string list of the Unix side into list: asks for its size,
 * then for the list (with room for readers arriving meanwhile), again if
 * it grew beyond that. */
static LONG list_unix(SCARDCONTEXT handle, enum pcsc_funcs func, struct multi_string *list)
{
    struct pcsc_list_params params;
    struct context *context;
    UINT64 unix_context;
    unsigned int tries;
    char *buffer, *p;
    DWORD size;
    LONG ret;

    if ((ret = context_borrow_any(handle, &context, &unix_context))) return ret;

    for (tries = 0; tries < LIST_TRIES; tries++)
    {
        params.context = unix_context;
        params.buffer = 0;
        params.length = 0;
        if ((ret = pcsc_call(func, &params)) && ret != SCARD_E_INSUFFICIENT_BUFFER) break;
        if (params.length > MAX_LIST)
        {
            ret = unix_lie("a list size", params.length);
            break;
        }
        size = params.length + 256;
        if (!(buffer = malloc(size)))
        {
            ret = SCARD_E_NO_MEMORY;
            break;
        }
        params.buffer = PCSC_PTR(buffer);
        params.length = size;
        if (!(ret = pcsc_call(func, &params)))
        {
            if (!params.length || params.length > size || buffer[params.length - 1])
                ret = unix_lie("a list of length", params.length);
            for (p = buffer; !ret && p < buffer + params.length && *p; p += strlen(p) + 1)
            {
                WCHAR *name = strdupUtoW(p);

                if (!name || !multi_add(list, name)) ret = SCARD_E_NO_MEMORY;
                free(name);
            }
        }
        free(buffer);
        if (ret != SCARD_E_INSUFFICIENT_BUFFER) break;
    }
    context_return_any(context, unix_context);
    return ret;
}

LONG list_present_readers(SCARDCONTEXT handle, struct multi_string *readers)
{
    return list_unix(handle, unix_list_readers, readers);
}

static BOOL groups_match(const struct multi_string *reader_groups, const WCHAR *groups)
{
    const WCHAR *p;

    for (p = groups; *p; p += wcslen(p) + 1)
        if (multi_contains(reader_groups, p)) return TRUE;
    return FALSE;
}

/* Readers present now (pcsc-lite's) plus the aliases introduced for them,
 * those in one of the groups (NULL: SCard$AllReaders). */
static LONG list_readers(SCARDCONTEXT handle, const WCHAR *groups, struct multi_string *result)
{
    struct multi_string present = { 0 }, aliases = { 0 }, reader_groups = { 0 };
    const WCHAR *p;
    unsigned int i;
    LONG ret;

    if (!groups || !*groups) groups = L"SCard$AllReaders\0";

    if ((ret = list_present_readers(handle, &present))) goto done;
    db_list_aliases(&aliases);

    for (p = present.data; p && *p; p += wcslen(p) + 1)
    {
        for (i = 0; i < ARRAY_SIZE(builtin_groups); i++)
            if (!multi_add(&reader_groups, builtin_groups[i])) ret = SCARD_E_NO_MEMORY;
        db_reader_groups(p, &reader_groups);
        if (groups_match(&reader_groups, groups) && !multi_add(result, p)) ret = SCARD_E_NO_MEMORY;
        multi_free(&reader_groups);
        if (ret) goto done;
    }
    for (p = aliases.data; p && *p; p += wcslen(p) + 1)
    {
        WCHAR *device;

        if (multi_contains(&present, p)) continue;
        if (!(device = db_reader_device(p))) continue;
        if (multi_contains(&present, device))
        {
            if (!multi_add(&reader_groups, L"SCard$AllReaders")) ret = SCARD_E_NO_MEMORY;
            db_reader_groups(p, &reader_groups);
            if (groups_match(&reader_groups, groups) && !multi_add(result, p)) ret = SCARD_E_NO_MEMORY;
            multi_free(&reader_groups);
        }
        free(device);
        if (ret) goto done;
    }
    if (!result->length) ret = SCARD_E_NO_READERS_AVAILABLE;

done:
    multi_free(&present);
    multi_free(&aliases);
    return ret;
}

static LONG list_readers_common(SCARDCONTEXT context, const WCHAR *groups, void *readers, DWORD *readers_len,
                                BOOL ansi)
{
    struct multi_string result = { 0 };
    LONG ret;

    if (!readers_len) return SCARD_E_INVALID_PARAMETER;
    if ((ret = context_check_optional(context))) return ret;
    if (!(ret = list_readers(context, groups, &result)))
        ret = return_multi(&result, ansi, readers, readers_len);
    multi_free(&result);
    return ret;
}

LONG WINAPI SCardListReadersA(SCARDCONTEXT context, const char *groups, char *readers, DWORD *readers_len)
{
    WCHAR *groupsW = NULL;
    LONG ret;

    TRACE("%#Ix, %s, %p, %p\n", context, debugstr_a(groups), readers, readers_len);

    if (groups && !(groupsW = multi_strdupAtoW(groups))) return SCARD_E_NO_MEMORY;
    ret = list_readers_common(context, groupsW, readers, readers_len, TRUE);
    free(groupsW);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardListReadersW(SCARDCONTEXT context, const WCHAR *groups, WCHAR *readers, DWORD *readers_len)
{
    LONG ret;

    TRACE("%#Ix, %s, %p, %p\n", context, debugstr_w(groups), readers, readers_len);

    ret = list_readers_common(context, groups, readers, readers_len, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

static LONG list_groups_common(SCARDCONTEXT context, void *groups, DWORD *groups_len, BOOL ansi)
{
    struct multi_string result = { 0 }, db = { 0 };
    const WCHAR *p;
    LONG ret;

    if (!groups_len) return SCARD_E_INVALID_PARAMETER;
    if ((ret = context_check_optional(context))) return ret;
    if ((ret = list_unix(context, unix_list_groups, &result))) goto done;
    db_list_groups(&db);
    for (p = db.data; p && *p; p += wcslen(p) + 1)
    {
        if (multi_contains(&result, p)) continue;
        if (!multi_add(&result, p))
        {
            ret = SCARD_E_NO_MEMORY;
            goto done;
        }
    }
    ret = return_multi(&result, ansi, groups, groups_len);
done:
    multi_free(&result);
    multi_free(&db);
    return ret;
}

LONG WINAPI SCardListReaderGroupsA(SCARDCONTEXT context, char *groups, DWORD *groups_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p\n", context, groups, groups_len);

    ret = list_groups_common(context, groups, groups_len, TRUE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardListReaderGroupsW(SCARDCONTEXT context, WCHAR *groups, DWORD *groups_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p\n", context, groups, groups_len);

    ret = list_groups_common(context, groups, groups_len, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

static const char pnp_reader[] = "\\\\?PnP?\\Notification";

static BOOL is_pnp(const struct pcsc_reader_state *state)
{
    return !_stricmp((const char *)(ULONG_PTR)state->reader, pnp_reader);
}

static LONG count_readers(SCARDCONTEXT context, DWORD *count)
{
    struct multi_string readers = { 0 };
    const WCHAR *p;
    LONG ret;

    *count = 0;
    ret = list_present_readers(context, &readers);
    if (ret == SCARD_E_NO_READERS_AVAILABLE) ret = SCARD_S_SUCCESS;
    for (p = readers.data; !ret && p && *p; p += wcslen(p) + 1) (*count)++;
    multi_free(&readers);
    return ret;
}

static LONG call_status_change(struct context *ctx, DWORD timeout, struct pcsc_reader_state *states, DWORD count)
{
    struct pcsc_status_change_params params;
    UINT64 unix_context;
    LONG ret;

    if ((ret = context_borrow_unix(ctx, &unix_context))) return ret;
    params.context = unix_context;
    params.timeout = timeout;
    params.states = PCSC_PTR(states);
    params.count = count;
    ret = pcsc_call(unix_get_status_change, &params);
    context_return_unix(ctx, unix_context);
    return ret;
}

/* The "\\?PnP?\Notification" pseudo reader as on Windows: the caller puts
 * the number of readers it knows in the high word of dwCurrentState, and
 * a different number is a change at once.  (pcsc-lite only reports a
 * reader arriving or leaving while it waits.)  The other readers then get
 * their states now, CHANGED where they differ from the caller's. */
static LONG pnp_changed_now(struct context *ctx, SCARD_READERSTATEW *states, struct pcsc_reader_state *unix_states,
                            DWORD count, DWORD readers)
{
    struct pcsc_reader_state *now;
    DWORD i, n = 0;
    LONG ret = SCARD_S_SUCCESS;

    if (!(now = calloc(count, sizeof(*now)))) return SCARD_E_NO_MEMORY;
    for (i = 0; i < count; i++)
    {
        if (is_pnp(&unix_states[i])) continue;
        now[n] = unix_states[i];
        now[n].current_state = (states[i].dwCurrentState & SCARD_STATE_IGNORE) ? SCARD_STATE_IGNORE : 0;
        n++;
    }
    if (n) ret = call_status_change(ctx, 0, now, n);
    if (!ret)
    {
        for (i = 0, n = 0; i < count; i++)
        {
            DWORD current = states[i].dwCurrentState & ~SCARD_STATE_CHANGED;

            if (is_pnp(&unix_states[i]))
            {
                unix_states[i].event_state = readers << 16;
                unix_states[i].atr_length = 0;
            }
            else
            {
                unix_states[i].event_state = now[n].event_state & ~SCARD_STATE_CHANGED;
                unix_states[i].atr_length = now[n].atr_length;
                memcpy(unix_states[i].atr, now[n].atr, sizeof(now[n].atr));
                n++;
            }
            if (!(current & SCARD_STATE_IGNORE) && unix_states[i].event_state != current)
                unix_states[i].event_state |= SCARD_STATE_CHANGED;
        }
    }
    free(now);
    return ret;
}

static LONG get_status_change(SCARDCONTEXT context, DWORD timeout, SCARD_READERSTATEW *states, DWORD count,
                              BOOL ansi)
{
    struct pcsc_reader_state *unix_states = NULL;
    struct context *ctx;
    DWORD i, readers = 0;
    BOOL pnp = FALSE, pnp_now = FALSE;
    LONG ret;

    if (!(ctx = context_get(context))) return ERROR_INVALID_HANDLE;
    if (count && !states)
    {
        ret = SCARD_E_INVALID_PARAMETER;
        goto done;
    }
    if (count && !(unix_states = calloc(count, sizeof(*unix_states))))
    {
        ret = SCARD_E_NO_MEMORY;
        goto done;
    }
    for (i = 0; i < count; i++)
    {
        char *name;

        if (!states[i].szReader)
        {
            ret = SCARD_E_INVALID_VALUE;
            goto done;
        }
        name = ansi ? resolve_readerA((const char *)states[i].szReader) : resolve_reader(states[i].szReader);
        if (!name)
        {
            ret = SCARD_E_NO_MEMORY;
            goto done;
        }
        unix_states[i].reader = PCSC_PTR(name);
        unix_states[i].current_state = states[i].dwCurrentState;
        if (is_pnp(&unix_states[i]) && !(states[i].dwCurrentState & SCARD_STATE_IGNORE)) pnp = TRUE;
    }

    if (pnp)
    {
        if ((ret = count_readers(context, &readers))) goto done;
        for (i = 0; i < count; i++)
            if (is_pnp(&unix_states[i]) && !(states[i].dwCurrentState & SCARD_STATE_IGNORE)
                && (states[i].dwCurrentState >> 16) != readers)
                pnp_now = TRUE;
    }

    if (pnp_now) ret = pnp_changed_now(ctx, states, unix_states, count, readers);
    else
    {
        ret = call_status_change(ctx, timeout, unix_states, count);
        if (!ret && pnp)
        {
            if ((ret = count_readers(context, &readers))) goto done;
            for (i = 0; i < count; i++)
                if (is_pnp(&unix_states[i]))
                    unix_states[i].event_state = (unix_states[i].event_state & 0xffff) | (readers << 16);
        }
    }

    for (i = 0; !ret && i < count; i++)
        if (unix_states[i].atr_length > PCSC_MAX_ATR) ret = unix_lie("an ATR length", unix_states[i].atr_length);
    if (!ret)
    {
        for (i = 0; i < count; i++)
        {
            states[i].dwEventState = unix_states[i].event_state;
            states[i].cbAtr = unix_states[i].atr_length;
            memcpy(states[i].rgbAtr, unix_states[i].atr, states[i].cbAtr);
        }
    }

done:
    for (i = 0; unix_states && i < count; i++) free((void *)(ULONG_PTR)unix_states[i].reader);
    free(unix_states);
    context_put(ctx);
    return ret;
}

LONG WINAPI SCardGetStatusChangeA(SCARDCONTEXT context, DWORD timeout, SCARD_READERSTATEA *states, DWORD count)
{
    LONG ret;

    TRACE("%#Ix, %lu, %p, %lu\n", context, timeout, states, count);

    /* SCARD_READERSTATEA and W differ only in the type of szReader */
    ret = get_status_change(context, timeout, (SCARD_READERSTATEW *)states, count, TRUE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardGetStatusChangeW(SCARDCONTEXT context, DWORD timeout, SCARD_READERSTATEW *states, DWORD count)
{
    LONG ret;

    TRACE("%#Ix, %lu, %p, %lu\n", context, timeout, states, count);

    ret = get_status_change(context, timeout, states, count, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG snapshot_states(SCARDCONTEXT context, SCARD_READERSTATEW *states, DWORD count, BOOL ansi)
{
    SCARD_READERSTATEW *copy;
    struct context *ctx = NULL;
    SCARDCONTEXT temp = 0;
    DWORD i;
    LONG ret;

    if (!count) return SCARD_S_SUCCESS;
    if (!(copy = malloc(count * sizeof(*copy)))) return SCARD_E_NO_MEMORY;
    memcpy(copy, states, count * sizeof(*copy));
    for (i = 0; i < count; i++)
        copy[i].dwCurrentState = (states[i].dwCurrentState & SCARD_STATE_IGNORE) ? SCARD_STATE_IGNORE
                                                                                  : SCARD_STATE_UNAWARE;

    if (!context)
    {
        if ((ret = context_create(SCARD_SCOPE_USER, &temp))) goto done;
        context = temp;
    }
    else if (!(ctx = context_get(context)))
    {
        ret = ERROR_INVALID_HANDLE;
        goto done;
    }

    ret = get_status_change(context, 0, copy, count, ansi);
    if (!ret)
    {
        for (i = 0; i < count; i++)
        {
            if (states[i].dwCurrentState & SCARD_STATE_IGNORE) continue;
            states[i].dwEventState = copy[i].dwEventState & ~SCARD_STATE_CHANGED;
            states[i].cbAtr = copy[i].cbAtr;
            memcpy(states[i].rgbAtr, copy[i].rgbAtr, sizeof(states[i].rgbAtr));
        }
    }

done:
    if (temp) context_release_handle(temp);
    if (ctx) context_put(ctx);
    free(copy);
    return ret;
}

/* pcsc_connect's calls (core/pcscvalues.h) on one pcsc-lite context */
struct unix_connection
{
    UINT64 context;
    const char *reader;
};

static uint32_t unix_connect_call(void *ctx, uint32_t share_mode, uint32_t protocols, uint64_t *card,
                                  uint32_t *active)
{
    struct unix_connection *connection = ctx;
    struct pcsc_connect_params params;
    LONG ret;

    params.context = connection->context;
    params.reader = PCSC_PTR(connection->reader);
    params.share_mode = share_mode;
    params.protocols = protocols;
    params.card = 0;
    params.protocol = 0;
    if (!(ret = pcsc_call(unix_connect, &params)))
    {
        *card = params.card;
        *active = params.protocol;
    }
    return ret;
}

static uint32_t unix_reconnect_call(void *ctx, uint64_t card, uint32_t share_mode, uint32_t protocols,
                                    uint32_t initialization, uint32_t *active)
{
    struct pcsc_reconnect_params params;
    LONG ret;

    params.card = card;
    params.share_mode = share_mode;
    params.protocols = protocols;
    params.initialization = initialization;
    params.protocol = 0;
    if (!(ret = pcsc_call(unix_reconnect, &params))) *active = params.protocol;
    TRACE("after a RAW connection: reconnected with a reset, ret %#lx\n", ret);
    return ret;
}

static uint32_t unix_disconnect_call(void *ctx, uint64_t card, uint32_t disposition)
{
    struct pcsc_card_params params = { card, disposition };

    return pcsc_call(unix_disconnect, &params);
}

static LONG connect_common(SCARDCONTEXT context, const char *reader, DWORD share_mode, DWORD protocols,
                           SCARDHANDLE *card, DWORD *protocol)
{
    struct unix_connection connection = { 0, reader };
    const struct pcsc_connect_calls calls =
    {
        &connection, unix_connect_call, unix_reconnect_call, unix_disconnect_call
    };
    struct context *ctx;
    uint64_t unix_card;
    uint32_t unix_protocol;
    DWORD active;
    LONG ret;

    if (!(ctx = context_get(context))) return ERROR_INVALID_HANDLE;
    if (!card)
    {
        context_put(ctx);
        return SCARD_E_INVALID_PARAMETER;
    }
    if ((ret = unix_context_establish(SCARD_SCOPE_USER, &connection.context)))
    {
        context_put(ctx);
        return ret;
    }

    /* with Windows' behaviour after a RAW connection (pcsc-lite issue #49) */
    if ((ret = pcsc_connect(&calls, share_mode, pcsc_protocols_from_win(protocols), &unix_card, &unix_protocol)))
    {
        unix_context_release(connection.context);
        context_put(ctx);
        return ret;
    }

    active = pcsc_connection_protocol(share_mode, protocols, unix_protocol);
    if (!pcsc_connection_protocol_valid(active)) ret = unix_lie("a protocol", unix_protocol);
    else ret = card_create(ctx, connection.context, unix_card, active, card);
    if (ret)
    {
        unix_disconnect_call(NULL, unix_card, SCARD_LEAVE_CARD);
        unix_context_release(connection.context);
    }
    else if (protocol) *protocol = active;  /* optional, as on Windows */
    context_put(ctx);
    return ret;
}

LONG WINAPI SCardConnectA(SCARDCONTEXT context, const char *reader, DWORD share_mode, DWORD preferred_protocols,
                          SCARDHANDLE *card, DWORD *protocol)
{
    char *name;
    LONG ret;

    TRACE("%#Ix, %s, %#lx, %#lx, %p, %p\n", context, debugstr_a(reader), share_mode, preferred_protocols,
          card, protocol);

    if (!reader) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(name = resolve_readerA(reader))) return SCARD_E_NO_MEMORY;
    ret = connect_common(context, name, share_mode, preferred_protocols, card, protocol);
    free(name);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardConnectW(SCARDCONTEXT context, const WCHAR *reader, DWORD share_mode, DWORD preferred_protocols,
                          SCARDHANDLE *card, DWORD *protocol)
{
    char *name;
    LONG ret;

    TRACE("%#Ix, %s, %#lx, %#lx, %p, %p\n", context, debugstr_w(reader), share_mode, preferred_protocols,
          card, protocol);

    if (!reader) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(name = resolve_reader(reader))) return SCARD_E_NO_MEMORY;
    ret = connect_common(context, name, share_mode, preferred_protocols, card, protocol);
    free(name);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardReconnect(SCARDHANDLE card, DWORD share_mode, DWORD preferred_protocols, DWORD initialization,
                           DWORD *protocol)
{
    struct pcsc_reconnect_params params;
    struct card *c;
    LONG ret;

    TRACE("%#Ix, %#lx, %#lx, %#lx, %p\n", card, share_mode, preferred_protocols, initialization, protocol);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    params.card = c->unix_card;
    params.share_mode = share_mode;
    params.protocols = pcsc_protocols_from_win(preferred_protocols);
    params.initialization = initialization;
    params.protocol = 0;
    if (!(ret = pcsc_call(unix_reconnect, &params)))
    {
        DWORD active = pcsc_connection_protocol(share_mode, preferred_protocols, params.protocol);

        if (!pcsc_connection_protocol_valid(active)) ret = unix_lie("a protocol", params.protocol);
        else
        {
            c->protocol = active;
            if (protocol) *protocol = c->protocol;
        }
    }
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardDisconnect(SCARDHANDLE card, DWORD disposition)
{
    LONG ret;

    TRACE("%#Ix, %#lx\n", card, disposition);

    ret = card_release_handle(card, disposition);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardBeginTransaction(SCARDHANDLE card)
{
    struct pcsc_card_params params;
    struct card *c;
    LONG ret;

    TRACE("%#Ix\n", card);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    params.card = c->unix_card;
    params.disposition = 0;
    ret = pcsc_call(unix_begin_transaction, &params);
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardEndTransaction(SCARDHANDLE card, DWORD disposition)
{
    struct pcsc_card_params params;
    struct card *c;
    LONG ret;

    TRACE("%#Ix, %#lx\n", card, disposition);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    params.card = c->unix_card;
    params.disposition = disposition;
    ret = pcsc_call(unix_end_transaction, &params);
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}

static LONG status_common(SCARDHANDLE card, void *names, DWORD *names_len, DWORD *state, DWORD *protocol,
                          BYTE *atr, DWORD *atr_len, BOOL ansi)
{
    struct multi_string list = { 0 };
    struct pcsc_status_params params;
    char *buffer = NULL;
    WCHAR *device = NULL;
    struct card *c;
    BOOL atr_auto;
    DWORD needed;
    LONG ret;

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    if (!(buffer = malloc(MAX_READER_NAMES)))
    {
        ret = SCARD_E_NO_MEMORY;
        goto done;
    }
    memset(&params, 0, sizeof(params));
    params.card = c->unix_card;
    params.names = PCSC_PTR(buffer);
    params.names_length = MAX_READER_NAMES;
    if ((ret = pcsc_call(unix_status, &params))) goto done;
    if (params.atr_length > PCSC_MAX_ATR)
    {
        ret = unix_lie("an ATR length", params.atr_length);
        goto done;
    }
    buffer[MAX_READER_NAMES - 1] = 0;

    if (names_len)
    {
        if (!(device = strdupUtoW(buffer)) || !multi_add(&list, device))
        {
            ret = SCARD_E_NO_MEMORY;
            goto done;
        }
        db_reader_aliases(device, &list);
    }

    /* size everything before handing anything out, so that a too small
     * buffer never leaves an allocated one behind */
    needed = 0;
    if (names_len)
        needed = ansi ? (DWORD)WideCharToMultiByte(CP_ACP, 0, list.data, list.length + 1, NULL, 0, NULL, NULL)
                      : list.length + 1;
    if (too_small(names, names_len, needed) || too_small(atr, atr_len, params.atr_length))
    {
        if (names_len && *names_len != SCARD_AUTOALLOCATE) *names_len = needed;
        if (atr_len && *atr_len != SCARD_AUTOALLOCATE) *atr_len = params.atr_length;
        ret = SCARD_E_INSUFFICIENT_BUFFER;
        goto done;
    }
    atr_auto = atr && atr_len && *atr_len == SCARD_AUTOALLOCATE;
    if (atr_len && (ret = return_buffer(params.atr, params.atr_length, 1, atr, atr_len))) goto done;
    if (names_len && (ret = return_multi(&list, ansi, names, names_len)))
    {
        if (atr_auto) autofree(*(void **)atr);
        goto done;
    }
    /* the protocol of this connection, as Connect / Reconnect set it */
    if (state) *state = pcsc_state_to_win(params.state, c->protocol);
    if (protocol) *protocol = c->protocol;

done:
    multi_free(&list);
    free(device);
    free(buffer);
    card_put(c);
    return ret;
}

LONG WINAPI SCardStatusA(SCARDHANDLE card, char *names, DWORD *names_len, DWORD *state, DWORD *protocol,
                         BYTE *atr, DWORD *atr_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p, %p, %p, %p, %p\n", card, names, names_len, state, protocol, atr, atr_len);

    ret = status_common(card, names, names_len, state, protocol, atr, atr_len, TRUE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardStatusW(SCARDHANDLE card, WCHAR *names, DWORD *names_len, DWORD *state, DWORD *protocol,
                         BYTE *atr, DWORD *atr_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p, %p, %p, %p, %p\n", card, names, names_len, state, protocol, atr, atr_len);

    ret = status_common(card, names, names_len, state, protocol, atr, atr_len, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardState(SCARDHANDLE card, DWORD *state, DWORD *protocol, BYTE *atr, DWORD *atr_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p, %p, %p\n", card, state, protocol, atr, atr_len);

    ret = status_common(card, NULL, NULL, state, protocol, atr, atr_len, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardTransmit(SCARDHANDLE card, const SCARD_IO_REQUEST *send_pci, const BYTE *send_buffer,
                          DWORD send_length, SCARD_IO_REQUEST *recv_pci, BYTE *recv_buffer, DWORD *recv_length)
{
    struct pcsc_transmit_params params;
    struct card *c;
    DWORD protocol;
    LONG ret;

    TRACE("%#Ix, %p, %p, %lu, %p, %p, %p\n", card, send_pci, send_buffer, send_length, recv_pci, recv_buffer,
          recv_length);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    /* no send PCI: the connection's protocol, as on Windows (none for a
     * DIRECT connection without one: the caller must name it) */
    protocol = send_pci ? send_pci->dwProtocol : c->protocol;
    if ((!send_pci && !c->protocol) || !send_buffer || !send_length || !recv_buffer || !recv_length
        || *recv_length == SCARD_AUTOALLOCATE)
    {
        card_put(c);
        return SCARD_E_INVALID_PARAMETER;
    }

    /* pcsc-lite leaves this to the driver, which may not check */
    if (c->protocol && protocol != c->protocol)
    {
        card_put(c);
        return SCARD_E_PROTO_MISMATCH;
    }

    params.card = c->unix_card;
    params.send_protocol = pcsc_protocols_from_win(protocol);
    params.send = PCSC_PTR(send_buffer);
    params.send_length = send_length;
    params.recv_protocol = 0;
    params.recv = PCSC_PTR(recv_buffer);
    params.recv_length = *recv_length;
    if (TRACE_ON(winscard))
    {
        TRACE("to pcsc-lite with protocol %#x:\n", (unsigned int)params.send_protocol);
        pcsc_trace_bytes("sent", send_buffer, send_length);
    }
    ret = pcsc_call(unix_transmit, &params);
    if (!ret && params.recv_length > *recv_length) ret = unix_lie("a received length", params.recv_length);
    if (!ret || ret == SCARD_E_INSUFFICIENT_BUFFER) *recv_length = params.recv_length;
    if (!ret) pcsc_trace_bytes("received", recv_buffer, *recv_length);
    if (!ret && recv_pci)
    {
        /* the connection's protocol: what reader drivers put there varies */
        recv_pci->dwProtocol = c->protocol ? c->protocol : pcsc_protocol_to_win(params.recv_protocol);
        recv_pci->cbPciLength = sizeof(*recv_pci);
    }
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardControl(SCARDHANDLE card, DWORD code, const void *in_buffer, DWORD in_length, void *out_buffer,
                         DWORD out_length, DWORD *returned)
{
    struct pcsc_control_params params;
    struct card *c;
    LONG ret;

    TRACE("%#Ix, %#lx, %p, %lu, %p, %lu, %p\n", card, code, in_buffer, in_length, out_buffer, out_length,
          returned);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    if (!returned || (in_length && !in_buffer) || (out_length && !out_buffer))
    {
        card_put(c);
        return SCARD_E_INVALID_PARAMETER;
    }
    params.card = c->unix_card;
    params.code = pcsc_control_code_from_win(code);
    params.in = PCSC_PTR(in_buffer);
    params.in_length = in_length;
    params.out = PCSC_PTR(out_buffer);
    params.out_length = out_length;
    params.returned = 0;
    ret = pcsc_call(unix_control, &params);
    if (!ret && params.returned > out_length) ret = unix_lie("a returned length", params.returned);
    if (!ret) *returned = params.returned;
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}

/* Attributes Windows answers itself, whatever the reader driver: the
 * reader's names, the ATR and the active protocol. */
static LONG get_local_attrib(struct card *c, DWORD id, BYTE *attr, DWORD *attr_len)
{
    struct pcsc_status_params params;
    char *buffer;
    WCHAR *name;
    char *nameA;
    LONG ret;

    if (id == SCARD_ATTR_CURRENT_PROTOCOL_TYPE)
    {
        DWORD protocol = c->protocol;  /* a Windows DWORD */
        return return_buffer(&protocol, sizeof(protocol), 1, attr, attr_len);
    }

    if (!(buffer = malloc(MAX_READER_NAMES))) return SCARD_E_NO_MEMORY;
    memset(&params, 0, sizeof(params));
    params.card = c->unix_card;
    params.names = PCSC_PTR(buffer);
    params.names_length = MAX_READER_NAMES;
    if (!(ret = pcsc_call(unix_status, &params)) && params.atr_length > PCSC_MAX_ATR)
        ret = unix_lie("an ATR length", params.atr_length);
    if (ret)
    {
        free(buffer);
        return ret;
    }
    buffer[MAX_READER_NAMES - 1] = 0;

    if (id == SCARD_ATTR_ATR_STRING)
        ret = return_buffer(params.atr, params.atr_length, 1, attr, attr_len);
    else if (!(name = strdupUtoW(buffer))) ret = SCARD_E_NO_MEMORY;
    else
    {
        if (id == SCARD_ATTR_DEVICE_FRIENDLY_NAME_W || id == SCARD_ATTR_DEVICE_SYSTEM_NAME_W)
            ret = return_buffer(name, (wcslen(name) + 1) * sizeof(WCHAR), 1, attr, attr_len);
        else if (!(nameA = strdupWtoA(name))) ret = SCARD_E_NO_MEMORY;
        else
        {
            ret = return_buffer(nameA, strlen(nameA) + 1, 1, attr, attr_len);
            free(nameA);
        }
        free(name);
    }
    free(buffer);
    return ret;
}

LONG WINAPI SCardGetAttrib(SCARDHANDLE card, DWORD id, BYTE *attr, DWORD *attr_len)
{
    struct pcsc_attrib_params params;
    BYTE *buffer = NULL;
    struct card *c;
    LONG ret;

    TRACE("%#Ix, %#lx, %p, %p\n", card, id, attr, attr_len);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    if (!attr_len)
    {
        ret = SCARD_E_INVALID_PARAMETER;
        goto done;
    }
    switch (id)
    {
    case SCARD_ATTR_CURRENT_PROTOCOL_TYPE:
    case SCARD_ATTR_ATR_STRING:
    case SCARD_ATTR_DEVICE_FRIENDLY_NAME_A:
    case SCARD_ATTR_DEVICE_FRIENDLY_NAME_W:
    case SCARD_ATTR_DEVICE_SYSTEM_NAME_A:
    case SCARD_ATTR_DEVICE_SYSTEM_NAME_W:
        ret = get_local_attrib(c, id, attr, attr_len);
        goto done;
    }

    if (!(buffer = malloc(MAX_ATTRIB)))
    {
        ret = SCARD_E_NO_MEMORY;
        goto done;
    }
    params.card = c->unix_card;
    params.id = id;
    params.buffer = PCSC_PTR(buffer);
    params.length = MAX_ATTRIB;
    if ((ret = pcsc_call(unix_get_attrib, &params))) goto done;
    if (params.length > MAX_ATTRIB) ret = unix_lie("an attribute length", params.length);
    else ret = return_buffer(buffer, params.length, 1, attr, attr_len);

done:
    free(buffer);
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardSetAttrib(SCARDHANDLE card, DWORD id, const BYTE *attr, DWORD attr_len)
{
    struct pcsc_attrib_params params;
    struct card *c;
    LONG ret;

    TRACE("%#Ix, %#lx, %p, %lu\n", card, id, attr, attr_len);

    if (!(c = card_get(card))) return ERROR_INVALID_HANDLE;
    if (!attr)
    {
        card_put(c);
        return SCARD_E_INVALID_PARAMETER;
    }
    params.card = c->unix_card;
    params.id = id;
    params.buffer = PCSC_PTR(attr);
    params.length = attr_len;
    ret = pcsc_call(unix_set_attrib, &params);
    card_put(c);
    TRACE("returning %#lx\n", ret);
    return ret;
}
