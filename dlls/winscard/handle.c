/*
 * winscard bridge, PE side: context and card handles
 *
 * Handles are opaque numbers looked up in a table, never pointers the
 * caller could forge: an unknown, released or wrong-kind handle gives
 * ERROR_INVALID_HANDLE and nothing is dereferenced.  Objects are
 * reference counted, so a handle released on one thread while another
 * thread is inside a call on it stays valid for that call.
 *
 * pcsc-lite serialises the calls made on one of its contexts and wants
 * one context per thread; a Windows context is shared by threads freely
 * (one thread waits in SCardGetStatusChange while another transmits).
 * So a Windows context owns a pool of pcsc-lite contexts, one lent out
 * per call, and every card connection gets a pcsc-lite context of its
 * own: no call ever waits for another thread's call.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "winscard_private.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winscard);

enum handle_type
{
    HANDLE_FREE,
    HANDLE_CONTEXT,
    HANDLE_CARD,
};

struct handle_entry
{
    enum handle_type type;
    unsigned int generation;
    void *object;
};

#define MAX_HANDLES   0x4000
#define HANDLE_TAG    0xcd000000u   /* never 0, never a small integer */

static CRITICAL_SECTION table_cs;
static CRITICAL_SECTION_DEBUG table_cs_debug =
{
    0, 0, &table_cs,
    { &table_cs_debug.ProcessLocksList, &table_cs_debug.ProcessLocksList },
      0, 0, { (DWORD_PTR)(__FILE__ ": table_cs") }
};
static CRITICAL_SECTION table_cs = { &table_cs_debug, -1, 0, 0, 0, 0 };
static struct handle_entry *table;
static unsigned int table_size, table_next_free;

#define POOL_KEEP 4

struct context
{
    LONG refcount;
    SCARDCONTEXT handle;
    DWORD scope;
    CRITICAL_SECTION cs;
    UINT64 idle[POOL_KEEP];       /* pcsc-lite contexts ready for a call */
    unsigned int idle_count;
    UINT64 *lent;                 /* pcsc-lite contexts inside a call */
    unsigned int lent_count, lent_size;
    struct card *cards;
    BOOL released;
};

/* value = tag | generation (10 bits) << 14 | index (14 bits) */
static ULONG_PTR make_handle(unsigned int index, unsigned int generation)
{
    return HANDLE_TAG | ((generation & 0x3ff) << 14) | index;
}

static struct handle_entry *find_entry(ULONG_PTR handle, enum handle_type type)
{
    unsigned int index = handle & 0x3fff;

    if ((handle & 0xff000000u) != HANDLE_TAG || handle > 0xffffffffu) return NULL;
    if (index >= table_size) return NULL;
    if (table[index].type != type) return NULL;
    if ((table[index].generation & 0x3ff) != ((handle >> 14) & 0x3ff)) return NULL;
    return &table[index];
}

static ULONG_PTR alloc_handle(enum handle_type type, void *object)
{
    ULONG_PTR ret = 0;
    unsigned int i;

    EnterCriticalSection(&table_cs);
    if (!table)
    {
        if (!(table = calloc(MAX_HANDLES, sizeof(*table)))) goto done;
        table_size = MAX_HANDLES;
    }
    for (i = 0; i < table_size; i++)
    {
        unsigned int index = (table_next_free + i) % table_size;

        if (table[index].type != HANDLE_FREE) continue;
        table[index].type = type;
        table[index].object = object;
        table[index].generation++;
        ret = make_handle(index, table[index].generation);
        table_next_free = (index + 1) % table_size;
        break;
    }
done:
    LeaveCriticalSection(&table_cs);
    return ret;
}

/* Takes the handle out of the table: returns the object with the table's reference. */
static void *free_handle(ULONG_PTR handle, enum handle_type type)
{
    struct handle_entry *entry;
    void *ret = NULL;

    EnterCriticalSection(&table_cs);
    if ((entry = find_entry(handle, type)))
    {
        ret = entry->object;
        entry->type = HANDLE_FREE;
        entry->object = NULL;
    }
    LeaveCriticalSection(&table_cs);
    return ret;
}

LONG unix_context_establish(DWORD scope, UINT64 *unix_context)
{
    struct pcsc_establish_params params;
    LONG ret;

    params.scope = scope;
    params.context = 0;
    if (!(ret = pcsc_call(unix_establish_context, &params))) *unix_context = params.context;
    return ret;
}

void unix_context_release(UINT64 unix_context)
{
    struct pcsc_context_params params;

    params.context = unix_context;
    pcsc_call(unix_release_context, &params);
}

LONG context_create(DWORD scope, SCARDCONTEXT *handle)
{
    struct context *context;
    UINT64 unix_context;
    LONG ret;

    if (!(context = calloc(1, sizeof(*context)))) return SCARD_E_NO_MEMORY;
    if ((ret = unix_context_establish(scope, &unix_context)))
    {
        free(context);
        return ret;
    }
    context->refcount = 1;
    context->scope = scope;
    context->idle[context->idle_count++] = unix_context;
    /* no debug name: Wine >= 10 gives such sections no DebugInfo (it is (void *)-1) */
    InitializeCriticalSection(&context->cs);
    if (!(context->handle = alloc_handle(HANDLE_CONTEXT, context)))
    {
        context_put(context);
        return SCARD_E_NO_MEMORY;
    }
    *handle = context->handle;
    return SCARD_S_SUCCESS;
}

struct context *context_get(SCARDCONTEXT handle)
{
    struct handle_entry *entry;
    struct context *context = NULL;

    EnterCriticalSection(&table_cs);
    if ((entry = find_entry(handle, HANDLE_CONTEXT)))
    {
        context = entry->object;
        InterlockedIncrement(&context->refcount);
    }
    LeaveCriticalSection(&table_cs);
    return context;
}

void context_put(struct context *context)
{
    unsigned int i;

    if (InterlockedDecrement(&context->refcount)) return;

    for (i = 0; i < context->idle_count; i++) unix_context_release(context->idle[i]);
    free(context->lent);
    DeleteCriticalSection(&context->cs);
    free(context);
}

LONG context_check_optional(SCARDCONTEXT handle)
{
    struct context *context;

    if (!handle) return SCARD_S_SUCCESS;
    if (!(context = context_get(handle))) return ERROR_INVALID_HANDLE;
    context_put(context);
    return SCARD_S_SUCCESS;
}

/* Records a pcsc-lite context as lent out; called under context->cs. */
static BOOL add_lent(struct context *context, UINT64 unix_context)
{
    if (context->lent_count == context->lent_size)
    {
        unsigned int size = context->lent_size ? context->lent_size * 2 : 4;
        UINT64 *lent;

        if (!(lent = realloc(context->lent, size * sizeof(*lent)))) return FALSE;
        context->lent = lent;
        context->lent_size = size;
    }
    context->lent[context->lent_count++] = unix_context;
    return TRUE;
}

LONG context_borrow_unix(struct context *context, UINT64 *unix_context)
{
    LONG ret = SCARD_S_SUCCESS;

    EnterCriticalSection(&context->cs);
    if (context->released) ret = ERROR_INVALID_HANDLE;
    else if (context->idle_count)
    {
        *unix_context = context->idle[--context->idle_count];
        if (!add_lent(context, *unix_context))
        {
            context->idle_count++;
            ret = SCARD_E_NO_MEMORY;
        }
        LeaveCriticalSection(&context->cs);
        return ret;
    }
    LeaveCriticalSection(&context->cs);
    if (ret) return ret;

    /* none idle: a new one, made outside the lock */
    if ((ret = unix_context_establish(context->scope, unix_context))) return ret;

    EnterCriticalSection(&context->cs);
    if (context->released) ret = ERROR_INVALID_HANDLE;
    else if (!add_lent(context, *unix_context)) ret = SCARD_E_NO_MEMORY;
    LeaveCriticalSection(&context->cs);
    if (ret) unix_context_release(*unix_context);
    return ret;
}

void context_return_unix(struct context *context, UINT64 unix_context)
{
    unsigned int i;
    BOOL keep = FALSE;

    EnterCriticalSection(&context->cs);
    for (i = 0; i < context->lent_count; i++)
    {
        if (context->lent[i] != unix_context) continue;
        context->lent[i] = context->lent[--context->lent_count];
        break;
    }
    if (!context->released && context->idle_count < POOL_KEEP)
    {
        context->idle[context->idle_count++] = unix_context;
        keep = TRUE;
    }
    LeaveCriticalSection(&context->cs);
    if (!keep) unix_context_release(unix_context);
}

LONG context_borrow_any(SCARDCONTEXT handle, struct context **context, UINT64 *unix_context)
{
    LONG ret;

    *context = NULL;
    if (!handle) return unix_context_establish(SCARD_SCOPE_USER, unix_context);
    if (!(*context = context_get(handle))) return ERROR_INVALID_HANDLE;
    if ((ret = context_borrow_unix(*context, unix_context)))
    {
        context_put(*context);
        *context = NULL;
    }
    return ret;
}

void context_return_any(struct context *context, UINT64 unix_context)
{
    if (!context)
    {
        unix_context_release(unix_context);
        return;
    }
    context_return_unix(context, unix_context);
    context_put(context);
}

LONG context_cancel(struct context *context)
{
    struct pcsc_context_params params;
    UINT64 *lent = NULL;
    unsigned int i, count;
    LONG ret = SCARD_S_SUCCESS;

    EnterCriticalSection(&context->cs);
    count = context->lent_count;
    if (count && (lent = malloc(count * sizeof(*lent)))) memcpy(lent, context->lent, count * sizeof(*lent));
    LeaveCriticalSection(&context->cs);
    if (count && !lent) return SCARD_E_NO_MEMORY;

    /* pcsc-lite's SCardCancel uses a connection of its own: it may be
     * called while another thread waits on that context */
    for (i = 0; i < count; i++)
    {
        LONG status;

        params.context = lent[i];
        if ((status = pcsc_call(unix_cancel, &params)) && status != SCARD_E_INVALID_HANDLE) ret = status;
    }
    free(lent);
    return ret;
}

LONG context_release_handle(SCARDCONTEXT handle)
{
    struct context *context;
    struct card *cards, *card, *next;

    if (!(context = free_handle(handle, HANDLE_CONTEXT))) return ERROR_INVALID_HANDLE;

    EnterCriticalSection(&context->cs);
    context->released = TRUE;
    cards = context->cards;
    context->cards = NULL;
    LeaveCriticalSection(&context->cs);

    /* waits in progress return SCARD_E_CANCELLED; their pcsc-lite contexts
     * are released when they come back (context_return_unix) */
    context_cancel(context);

    /* releasing a context ends its card connections, as on Windows */
    for (card = cards; card; card = next)
    {
        next = card->next;
        card->next = NULL;
        if (free_handle(card->handle, HANDLE_CARD))
        {
            struct pcsc_card_params params;

            if (!InterlockedExchange(&card->disconnected, 1))
            {
                params.card = card->unix_card;
                params.disposition = SCARD_LEAVE_CARD;
                pcsc_call(unix_disconnect, &params);
            }
            card_put(card);
        }
        card_put(card);  /* the list's reference */
    }
    context_put(context);
    return SCARD_S_SUCCESS;
}

LONG card_create(struct context *context, UINT64 unix_context, UINT64 unix_card, DWORD protocol,
                 SCARDHANDLE *handle)
{
    struct card *card;

    if (!(card = calloc(1, sizeof(*card)))) return SCARD_E_NO_MEMORY;
    card->refcount = 2;  /* the handle table's and the context's list's */
    card->unix_context = unix_context;
    card->unix_card = unix_card;
    card->protocol = protocol;
    card->context = context;
    InterlockedIncrement(&context->refcount);

    EnterCriticalSection(&context->cs);
    if (context->released || !(card->handle = alloc_handle(HANDLE_CARD, card)))
    {
        BOOL released = context->released;

        LeaveCriticalSection(&context->cs);
        card->context = NULL;
        context_put(context);
        free(card);  /* never published */
        return released ? ERROR_INVALID_HANDLE : SCARD_E_NO_MEMORY;
    }
    card->next = context->cards;
    context->cards = card;
    LeaveCriticalSection(&context->cs);

    *handle = card->handle;
    return SCARD_S_SUCCESS;
}

struct card *card_get(SCARDHANDLE handle)
{
    struct handle_entry *entry;
    struct card *card = NULL;

    EnterCriticalSection(&table_cs);
    if ((entry = find_entry(handle, HANDLE_CARD)))
    {
        card = entry->object;
        InterlockedIncrement(&card->refcount);
    }
    LeaveCriticalSection(&table_cs);
    return card;
}

void card_put(struct card *card)
{
    if (InterlockedDecrement(&card->refcount)) return;

    unix_context_release(card->unix_context);
    if (card->context) context_put(card->context);
    free(card);
}

LONG card_release_handle(SCARDHANDLE handle, DWORD disposition)
{
    struct pcsc_card_params params;
    struct context *context;
    struct card *card, **p;
    BOOL listed = FALSE;
    LONG ret = SCARD_S_SUCCESS;

    if (!(card = free_handle(handle, HANDLE_CARD))) return ERROR_INVALID_HANDLE;

    context = card->context;
    EnterCriticalSection(&context->cs);
    for (p = &context->cards; *p; p = &(*p)->next)
    {
        if (*p != card) continue;
        *p = card->next;
        card->next = NULL;
        listed = TRUE;
        break;
    }
    LeaveCriticalSection(&context->cs);

    if (!InterlockedExchange(&card->disconnected, 1))
    {
        params.card = card->unix_card;
        params.disposition = disposition;
        ret = pcsc_call(unix_disconnect, &params);
    }
    /* not listed: context_release_handle took the list and drops its reference */
    if (listed) card_put(card);
    card_put(card);
    return ret;
}
