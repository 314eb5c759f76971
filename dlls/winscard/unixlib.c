/*
 * winscard bridge, Unix side: winscard_pcsc.dll.so and winscard_pcsc.so
 *
 * Built twice from this file (the PE side's unixcall.c says which route
 * loads which): winscard_pcsc.dll.so, a winelib module (ELF, built by
 * winegcc without -b) that the PE winscard.dll loads by explicit path and
 * calls through its export winscard_pcsc_call(); and winscard_pcsc.so, a
 * plain 64-bit shared library that ntdll loads by path (Wine >= 11.2) and
 * calls through __wine_unix_call_funcs, or __wine_unix_call_wow64_funcs
 * for 32-bit programs in the new WoW64 mode.  The parameter structures
 * carry every pointer as a 64-bit field, so a 32-bit caller's structures
 * are the same and one table serves both.
 * It loads libpcsclite.so.1 at run time and calls
 * it with pcsc-lite's own types: on Linux pcsc-lite's DWORD is "unsigned
 * long" and its handles are "long", 8 bytes on x86_64 and 4 on i386.
 * No Windows header and no pcsc-lite header is included here; the
 * prototypes below are this file's own.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unixlib.h"

typedef long pcsc_long;              /* pcsc-lite LONG, SCARDCONTEXT, SCARDHANDLE */
typedef unsigned long pcsc_dword;    /* pcsc-lite DWORD */

struct pcsc_io_request
{
    pcsc_dword protocol;
    pcsc_dword pci_length;
};

struct pcsc_readerstate
{
    const char *reader;
    void *user_data;
    pcsc_dword current_state;
    pcsc_dword event_state;
    pcsc_dword atr_length;
    unsigned char atr[PCSC_MAX_ATR];
};

#define PCSC_E_NO_SERVICE       ((int32_t)0x8010001D)
#define PCSC_E_INVALID_PARAMETER ((int32_t)0x80100004)
#define PCSC_MAX_READERS        16

static struct
{
    pcsc_long (*establish_context)(pcsc_dword, const void *, const void *, pcsc_long *);
    pcsc_long (*release_context)(pcsc_long);
    pcsc_long (*is_valid_context)(pcsc_long);
    pcsc_long (*cancel)(pcsc_long);
    pcsc_long (*list_readers)(pcsc_long, const char *, char *, pcsc_dword *);
    pcsc_long (*list_reader_groups)(pcsc_long, char *, pcsc_dword *);
    pcsc_long (*get_status_change)(pcsc_long, pcsc_dword, struct pcsc_readerstate *, pcsc_dword);
    pcsc_long (*connect)(pcsc_long, const char *, pcsc_dword, pcsc_dword, pcsc_long *, pcsc_dword *);
    pcsc_long (*reconnect)(pcsc_long, pcsc_dword, pcsc_dword, pcsc_dword, pcsc_dword *);
    pcsc_long (*disconnect)(pcsc_long, pcsc_dword);
    pcsc_long (*begin_transaction)(pcsc_long);
    pcsc_long (*end_transaction)(pcsc_long, pcsc_dword);
    pcsc_long (*status)(pcsc_long, char *, pcsc_dword *, pcsc_dword *, pcsc_dword *, unsigned char *, pcsc_dword *);
    pcsc_long (*transmit)(pcsc_long, const struct pcsc_io_request *, const unsigned char *, pcsc_dword,
                          struct pcsc_io_request *, unsigned char *, pcsc_dword *);
    pcsc_long (*control)(pcsc_long, pcsc_dword, const void *, pcsc_dword, void *, pcsc_dword, pcsc_dword *);
    pcsc_long (*get_attrib)(pcsc_long, pcsc_dword, unsigned char *, pcsc_dword *);
    pcsc_long (*set_attrib)(pcsc_long, pcsc_dword, const unsigned char *, pcsc_dword);
} pcsc;

static const char * const pcsc_names[] =
{
    "SCardEstablishContext", "SCardReleaseContext", "SCardIsValidContext", "SCardCancel",
    "SCardListReaders", "SCardListReaderGroups", "SCardGetStatusChange", "SCardConnect",
    "SCardReconnect", "SCardDisconnect", "SCardBeginTransaction", "SCardEndTransaction",
    "SCardStatus", "SCardTransmit", "SCardControl", "SCardGetAttrib", "SCardSetAttrib",
};

static pthread_mutex_t load_mutex = PTHREAD_MUTEX_INITIALIZER;
static void *libpcsclite;
static char load_error[256];

static int load_pcsclite(void)
{
    void **slots = (void **)&pcsc;
    void *lib;
    unsigned int i;

    pthread_mutex_lock(&load_mutex);
    if (libpcsclite)
    {
        pthread_mutex_unlock(&load_mutex);
        return 1;
    }
    if (!(lib = dlopen("libpcsclite.so.1", RTLD_NOW)))
    {
        snprintf(load_error, sizeof(load_error), "%s", dlerror());
        pthread_mutex_unlock(&load_mutex);
        return 0;
    }
    for (i = 0; i < sizeof(pcsc_names) / sizeof(pcsc_names[0]); i++)
    {
        if (!(slots[i] = dlsym(lib, pcsc_names[i])))
        {
            snprintf(load_error, sizeof(load_error), "libpcsclite.so.1 has no %s", pcsc_names[i]);
            dlclose(lib);
            pthread_mutex_unlock(&load_mutex);
            return 0;
        }
    }
    libpcsclite = lib;
    pthread_mutex_unlock(&load_mutex);
    return 1;
}

static void *ptr(pcsc_u64 value)
{
    return (void *)(uintptr_t)value;
}

static int32_t pcsc_init(void *args)
{
    struct pcsc_init_params *params = args;
    static const pcsc_u64 sizes[] =
    {
        sizeof(struct pcsc_init_params), sizeof(struct pcsc_list_params), sizeof(struct pcsc_reader_state),
        sizeof(struct pcsc_status_params), sizeof(struct pcsc_transmit_params), sizeof(struct pcsc_control_params),
        sizeof(struct pcsc_connect_params), sizeof(struct pcsc_attrib_params),
    };

    if (params->version != PCSC_BRIDGE_VERSION || memcmp(params->sizes, sizes, sizeof(sizes)))
    {
        snprintf(params->error, sizeof(params->error), "bridge version or layout mismatch");
        return PCSC_BRIDGE_MISMATCH;
    }
    if (!load_pcsclite())
    {
        snprintf(params->error, sizeof(params->error), "%s", load_error);
        return PCSC_E_NO_SERVICE;
    }
    params->error[0] = 0;
    return 0;
}

static int32_t pcsc_establish_context(void *args)
{
    struct pcsc_establish_params *params = args;
    pcsc_long context = 0;
    pcsc_long ret;

    if (!(ret = pcsc.establish_context(params->scope, NULL, NULL, &context)))
        params->context = (pcsc_u64)context;
    return ret;
}

static int32_t pcsc_release_context(void *args)
{
    struct pcsc_context_params *params = args;
    return pcsc.release_context(params->context);
}

static int32_t pcsc_is_valid_context(void *args)
{
    struct pcsc_context_params *params = args;
    return pcsc.is_valid_context(params->context);
}

static int32_t pcsc_cancel(void *args)
{
    struct pcsc_context_params *params = args;
    return pcsc.cancel(params->context);
}

static int32_t pcsc_list_readers(void *args)
{
    struct pcsc_list_params *params = args;
    pcsc_dword length = params->buffer ? params->length : 0;
    pcsc_long ret;

    ret = pcsc.list_readers(params->context, NULL, ptr(params->buffer), &length);
    params->length = length;
    return ret;
}

static int32_t pcsc_list_groups(void *args)
{
    struct pcsc_list_params *params = args;
    pcsc_dword length = params->buffer ? params->length : 0;
    pcsc_long ret;

    ret = pcsc.list_reader_groups(params->context, ptr(params->buffer), &length);
    params->length = length;
    return ret;
}

static int32_t pcsc_get_status_change(void *args)
{
    struct pcsc_status_change_params *params = args;
    struct pcsc_reader_state *states = ptr(params->states);
    struct pcsc_readerstate native[PCSC_MAX_READERS];
    pcsc_long ret;
    unsigned int i;

    if (params->count > PCSC_MAX_READERS) return PCSC_E_INVALID_PARAMETER;
    memset(native, 0, sizeof(native));
    for (i = 0; i < params->count; i++)
    {
        native[i].reader = ptr(states[i].reader);
        native[i].current_state = states[i].current_state;
    }
    ret = pcsc.get_status_change(params->context, params->timeout, params->count ? native : NULL, params->count);
    for (i = 0; i < params->count; i++)
    {
        states[i].event_state = native[i].event_state;
        states[i].atr_length = native[i].atr_length <= PCSC_MAX_ATR ? native[i].atr_length : PCSC_MAX_ATR;
        memcpy(states[i].atr, native[i].atr, states[i].atr_length);
    }
    return ret;
}

static int32_t pcsc_connect(void *args)
{
    struct pcsc_connect_params *params = args;
    pcsc_long card = 0;
    pcsc_dword protocol = 0;
    pcsc_long ret;

    if (!(ret = pcsc.connect(params->context, ptr(params->reader), params->share_mode, params->protocols,
                             &card, &protocol)))
    {
        params->card = (pcsc_u64)card;
        params->protocol = protocol;
    }
    return ret;
}

static int32_t pcsc_reconnect(void *args)
{
    struct pcsc_reconnect_params *params = args;
    pcsc_dword protocol = 0;
    pcsc_long ret;

    if (!(ret = pcsc.reconnect(params->card, params->share_mode, params->protocols, params->initialization,
                               &protocol)))
        params->protocol = protocol;
    return ret;
}

static int32_t pcsc_disconnect(void *args)
{
    struct pcsc_card_params *params = args;
    return pcsc.disconnect(params->card, params->disposition);
}

static int32_t pcsc_begin_transaction(void *args)
{
    struct pcsc_card_params *params = args;
    return pcsc.begin_transaction(params->card);
}

static int32_t pcsc_end_transaction(void *args)
{
    struct pcsc_card_params *params = args;
    return pcsc.end_transaction(params->card, params->disposition);
}

static int32_t pcsc_status(void *args)
{
    struct pcsc_status_params *params = args;
    pcsc_dword names_length = params->names ? params->names_length : 0;
    pcsc_dword state = 0, protocol = 0, atr_length = PCSC_MAX_ATR;
    unsigned char atr[PCSC_MAX_ATR];
    pcsc_long ret;

    ret = pcsc.status(params->card, ptr(params->names), &names_length, &state, &protocol, atr, &atr_length);
    params->names_length = names_length;
    if (!ret)
    {
        params->state = state;
        params->protocol = protocol;
        params->atr_length = atr_length <= PCSC_MAX_ATR ? atr_length : PCSC_MAX_ATR;
        memcpy(params->atr, atr, params->atr_length);
    }
    return ret;
}

static int32_t pcsc_transmit(void *args)
{
    struct pcsc_transmit_params *params = args;
    struct pcsc_io_request send, recv;
    pcsc_dword length = params->recv_length;
    pcsc_long ret;

    send.protocol = params->send_protocol;
    send.pci_length = sizeof(send);
    recv.protocol = params->send_protocol;
    recv.pci_length = sizeof(recv);
    ret = pcsc.transmit(params->card, &send, ptr(params->send), params->send_length, &recv,
                        ptr(params->recv), &length);
    params->recv_length = length;
    params->recv_protocol = recv.protocol;
    return ret;
}

static int32_t pcsc_control(void *args)
{
    struct pcsc_control_params *params = args;
    pcsc_dword returned = 0;
    pcsc_long ret;

    ret = pcsc.control(params->card, params->code, ptr(params->in), params->in_length, ptr(params->out),
                       params->out_length, &returned);
    params->returned = returned;
    return ret;
}

static int32_t pcsc_get_attrib(void *args)
{
    struct pcsc_attrib_params *params = args;
    pcsc_dword length = params->length;
    pcsc_long ret;

    ret = pcsc.get_attrib(params->card, params->id, ptr(params->buffer), &length);
    params->length = length;
    return ret;
}

static int32_t pcsc_set_attrib(void *args)
{
    struct pcsc_attrib_params *params = args;
    return pcsc.set_attrib(params->card, params->id, ptr(params->buffer), params->length);
}

_Static_assert(sizeof(pcsc_names) / sizeof(pcsc_names[0]) * sizeof(void *) == sizeof(pcsc), "pcsc table");

/* The tables ntdll calls (winscard_pcsc.so): the PE side makes no other
 * call before unix_init succeeded, and none beyond unix_funcs_count. */
__attribute__((visibility("default"))) int32_t (* const __wine_unix_call_funcs[])(void *) =
{
    pcsc_init,
    pcsc_establish_context,
    pcsc_release_context,
    pcsc_is_valid_context,
    pcsc_cancel,
    pcsc_list_readers,
    pcsc_list_groups,
    pcsc_get_status_change,
    pcsc_connect,
    pcsc_reconnect,
    pcsc_disconnect,
    pcsc_begin_transaction,
    pcsc_end_transaction,
    pcsc_status,
    pcsc_transmit,
    pcsc_control,
    pcsc_get_attrib,
    pcsc_set_attrib,
};
extern int32_t (* const __wine_unix_call_wow64_funcs[unix_funcs_count])(void *)
    __attribute__((visibility("default"), alias("__wine_unix_call_funcs")));
_Static_assert(sizeof(__wine_unix_call_funcs) / sizeof(__wine_unix_call_funcs[0]) == unix_funcs_count,
               "call table");

int32_t PCSC_CALLCONV winscard_pcsc_call(uint32_t code, void *params)
{
    if (code >= unix_funcs_count) return PCSC_BRIDGE_MISMATCH;
    if (code != unix_init && !libpcsclite) return PCSC_E_NO_SERVICE;
    return __wine_unix_call_funcs[code](params);
}
