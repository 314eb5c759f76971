/*
 * CSCardLocate: finding a card by name or interface
 *
 * Configure*Search stores what to look for (a copy of the arrays and the
 * title; a second call replaces the first).  FindCard shows the
 * card-selection dialog (selectdlg.c) as its flags ask; without one
 * (SC_DLG_NO_UI, or no display) it looks at every reader of the configured
 * groups once, without waiting (SCardGetStatusChangeW with a zero
 * timeout), takes the cards whose ATR the card database matches
 * (SCardListCardsW by ATR) and connects to the first matching card in
 * reader order that accepts the share mode and protocols asked for
 * (SCardConnectW).
 *
 * Choices where the documentation is silent:
 *  - ConfigureCardGuidSearch (Learn: "reserved for future use") works: the
 *    strings name interfaces (braced or bare GUIDs, see database.c) and the
 *    cards that support all of them (SCardListCardsW by interface, looked
 *    up at FindCard time) are the names searched for.
 *  - Card names: a 1-D array of non-empty BSTRs (or of VARIANTs holding
 *    them), compared without case as the registry compares card names.
 *    NULL is E_POINTER; an empty array or an empty name E_INVALIDARG.
 *    Group names: NULL (the default) or an empty array searches every
 *    reader; otherwise only the readers of those groups.
 *  - lFlags is exactly one of SC_DLG_MINIMAL_UI (1), SC_DLG_NO_UI (2),
 *    SC_DLG_FORCE_UI (4), else E_INVALIDARG, in Configure*Search and in
 *    FindCard alike.  FindCard uses the stronger of its own flags and the
 *    configured ones, NO_UI being the strongest, then FORCE_UI.
 *  - Without a dialog and without a matching card: SCARD_E_NO_SMARTCARD
 *    (or SCARD_E_NO_READERS_AVAILABLE when the groups hold no reader).
 *    The dialog's own choices (MINIMAL_UI, cancelling, no display) are in
 *    selectdlg.c.
 *  - A matching card that refuses the connection (shared elsewhere,
 *    protocol) is skipped, as is a reader whose ATR length is impossible
 *    and a connection whose handle or protocol winscard made up (which is
 *    disconnected, SCARD_F_INTERNAL_ERROR); if no match connects, the
 *    first error is returned.
 *  - FindCard before any Configure*Search: E_UNEXPECTED.  Share modes
 *    other than EXCLUSIVE/SHARED and protocols other than T0, T1, T0|T1
 *    (3), RAW are E_INVALIDARG.  NULL ppCardInfo: E_POINTER.
 *  - The SCARDINFO is CoTaskMemAlloc'ed: hCard and hContext are open and
 *    belong to the caller, who ends them with SCardDisconnect(hCard, ...)
 *    then SCardReleaseContext(hContext) (the context was established with
 *    SCARD_SCOPE_USER on the calling thread), and frees the structure with
 *    CoTaskMemFree.  hCard may instead be handed to ISCard::AttachByHandle,
 *    which then owns it (Detach or the ISCard's last Release disconnects
 *    it); hContext must outlive that and is still the caller's to
 *    release.  ActiveProtocol is T0, T1 or RAW (SCARD_PROTOCOL_RAW mapped
 *    to 0xFF), ShareMode the mode asked for, hwndOwner and the three
 *    callback fields 0.  On failure *ppCardInfo is NULL and nothing stays
 *    open.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "scardssp_private.h"
#include "winscard.h"
#include "cardtype.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(scardssp);

struct search
{
    WCHAR *names;       /* card names (multi-string), for a name search */
    GUID *guids;        /* interfaces, for a GUID search */
    DWORD guid_count;
    WCHAR *groups;      /* reader groups (multi-string), NULL for all readers */
    LONG flags;
};

struct locate
{
    ISCardLocate ISCardLocate_iface;
    LONG refcount;

    CRITICAL_SECTION cs;
    BOOL configured;
    struct search search;
    BSTR title;
};

static inline struct locate *impl_from_ISCardLocate(ISCardLocate *iface)
{
    return CONTAINING_RECORD(iface, struct locate, ISCardLocate_iface);
}

static void search_clear(struct search *search)
{
    free(search->names);
    free(search->guids);
    free(search->groups);
    memset(search, 0, sizeof(*search));
}

static size_t multi_string_size(const WCHAR *strings)
{
    const WCHAR *p = strings;

    while (*p)
        p += wcslen(p) + 1;
    return (p - strings + 1) * sizeof(WCHAR);
}

static WCHAR *multi_string_dup(const WCHAR *strings)
{
    size_t size;
    WCHAR *copy;

    if (!strings)
        return NULL;
    size = multi_string_size(strings);
    if ((copy = malloc(size)))
        memcpy(copy, strings, size);
    return copy;
}

static HRESULT search_copy(struct search *dst, const struct search *src)
{
    memset(dst, 0, sizeof(*dst));
    dst->flags = src->flags;
    dst->guid_count = src->guid_count;
    if ((src->names && !(dst->names = multi_string_dup(src->names)))
            || (src->groups && !(dst->groups = multi_string_dup(src->groups)))
            || (src->guid_count && !(dst->guids = malloc(src->guid_count * sizeof(*src->guids)))))
    {
        search_clear(dst);
        return E_OUTOFMEMORY;
    }
    if (src->guid_count)
        memcpy(dst->guids, src->guids, src->guid_count * sizeof(*src->guids));
    return S_OK;
}

static BOOL valid_ui_flags(LONG flags)
{
    return flags == SC_DLG_MINIMAL_UI || flags == SC_DLG_NO_UI || flags == SC_DLG_FORCE_UI;
}

/* The group names of a Configure*Search call: NULL for all readers. */
static HRESULT get_groups(SAFEARRAY *group_names, WCHAR **groups)
{
    DWORD count;
    HRESULT hr;

    *groups = NULL;
    if (!group_names)
        return S_OK;
    if (FAILED(hr = database_strings_from_safearray(group_names, groups, &count)))
        return hr;
    if (!count)
    {
        free(*groups);
        *groups = NULL;
    }
    return S_OK;
}

static HRESULT configure(struct locate *locate, struct search *search, BSTR title)
{
    BSTR title_copy = NULL;

    if (title && !(title_copy = SysAllocStringLen(title, SysStringLen(title))))
    {
        search_clear(search);
        return E_OUTOFMEMORY;
    }

    EnterCriticalSection(&locate->cs);
    search_clear(&locate->search);
    locate->search = *search;
    SysFreeString(locate->title);
    locate->title = title_copy;
    locate->configured = TRUE;
    LeaveCriticalSection(&locate->cs);
    return S_OK;
}

static BOOL name_in_list(const WCHAR *name, const WCHAR *list)
{
    const WCHAR *p;

    for (p = list; *p; p += wcslen(p) + 1)
    {
        if (CompareStringOrdinal(name, -1, p, -1, TRUE) == CSTR_EQUAL)
            return TRUE;
    }
    return FALSE;
}

/* Whether the card in a reader (its ATR) is one of the searched names;
 * the name that matched goes to name[size] (when name is not NULL). */
static BOOL card_matches(const BYTE *atr, DWORD atr_len, const WCHAR *wanted, WCHAR *name, DWORD size)
{
    BYTE atr_copy[36] = {0};
    WCHAR *cards;
    const WCHAR *p;
    BOOL match = FALSE;
    DWORD len;
    LONG ret;

    if (!scard_valid_atr(atr_len, CARDTYPE_MAX_ATR) || !atr_len)
    {
        WARN("ATR of %lu bytes.\n", atr_len);
        return FALSE;
    }
    memcpy(atr_copy, atr, atr_len);
    if ((ret = database_list_cards(atr_copy, NULL, 0, &cards, &len)))
    {
        WARN("SCardListCardsW failed, ret %#lx.\n", ret);
        return FALSE;
    }
    if (!cards)
        return FALSE;
    for (p = cards; p < cards + len && *p; p += wcsnlen(p, cards + len - p) + 1)
    {
        if (name_in_list(p, wanted))
        {
            TRACE("Card %s matches.\n", debugstr_w(p));
            if (name)
                lstrcpynW(name, p, size);
            match = TRUE;
            break;
        }
    }
    free(cards);
    return match;
}

/* Looks at every reader once; on success *card and *context are open and
 * *active_protocol is the connection's protocol (Windows' value).
 * protocols is in winscard's values. */
static HRESULT find_card(const WCHAR *wanted, const WCHAR *groups, SCARD_SHARE_MODES share_mode,
        DWORD protocols, SCARDCONTEXT *context, SCARDHANDLE *card, DWORD *active_protocol,
        BOOL *no_readers)
{
    LONG ret, connect_ret = SCARD_S_SUCCESS;
    WCHAR *readers;
    DWORD size;
    const WCHAR *reader;

    *no_readers = FALSE;
    if ((ret = scard_establish_context(context)))
    {
        WARN("SCardEstablishContext failed, ret %#lx.\n", ret);
        return scard_hresult(ret);
    }

    ret = database_list_readers(*context, groups, &readers, &size);
    if (ret == SCARD_E_NO_READERS_AVAILABLE || (!ret && (!readers || !*readers)))
    {
        *no_readers = TRUE;
        free(readers);
        SCardReleaseContext(*context);
        return SCARD_E_NO_SMARTCARD;
    }
    if (ret)
    {
        WARN("SCardListReadersW failed, ret %#lx.\n", ret);
        free(readers);
        SCardReleaseContext(*context);
        return scard_hresult(ret);
    }

    for (reader = readers; reader < readers + size && *reader;
            reader += wcsnlen(reader, readers + size - reader) + 1)
    {
        SCARD_READERSTATEW state = {0};

        state.szReader = reader;
        state.dwCurrentState = SCARD_STATE_UNAWARE;
        if ((ret = SCardGetStatusChangeW(*context, 0, &state, 1)))
        {
            WARN("SCardGetStatusChangeW(%s) failed, ret %#lx.\n", debugstr_w(reader), ret);
            continue;
        }
        TRACE("Reader %s, state %#lx, ATR of %lu bytes.\n", debugstr_w(reader), state.dwEventState, state.cbAtr);
        if (!(state.dwEventState & SCARD_STATE_PRESENT) || (state.dwEventState & SCARD_STATE_MUTE))
            continue;
        if (!card_matches(state.rgbAtr, state.cbAtr, wanted, NULL, 0))
            continue;

        if (!(ret = scard_connect(*context, reader, share_mode, protocols, card, active_protocol)))
        {
            TRACE("Connected to %s, card %#Ix, protocol %#lx.\n", debugstr_w(reader), *card, *active_protocol);
            free(readers);
            return S_OK;
        }
        WARN("SCardConnectW(%s) failed, ret %#lx.\n", debugstr_w(reader), ret);
        if (!connect_ret)
            connect_ret = ret;
    }

    free(readers);
    SCardReleaseContext(*context);
    return connect_ret ? scard_hresult(connect_ret) : SCARD_E_NO_SMARTCARD;
}

static HRESULT WINAPI locate_QueryInterface(ISCardLocate *iface, REFIID riid, void **obj)
{
    TRACE("%p, %s, %p.\n", iface, debugstr_guid(riid), obj);

    if (!obj)
        return E_POINTER;

    if (IsEqualIID(riid, &IID_ISCardLocate) || IsEqualIID(riid, &IID_IDispatch)
            || IsEqualIID(riid, &IID_IUnknown))
    {
        *obj = iface;
        ISCardLocate_AddRef(iface);
        return S_OK;
    }

    WARN("Unsupported interface %s.\n", debugstr_guid(riid));
    *obj = NULL;
    return E_NOINTERFACE;
}

static ULONG WINAPI locate_AddRef(ISCardLocate *iface)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    ULONG refcount = InterlockedIncrement(&locate->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    return refcount;
}

static ULONG WINAPI locate_Release(ISCardLocate *iface)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    ULONG refcount = InterlockedDecrement(&locate->refcount);

    TRACE("%p, refcount %lu.\n", iface, refcount);

    if (!refcount)
    {
        search_clear(&locate->search);
        SysFreeString(locate->title);
        DeleteCriticalSection(&locate->cs);
        free(locate);
        scardssp_object_destroyed();
    }

    return refcount;
}

static HRESULT WINAPI locate_GetTypeInfoCount(ISCardLocate *iface, UINT *count)
{
    TRACE("%p, %p.\n", iface, count);

    if (!count)
        return E_POINTER;
    *count = 1;
    return S_OK;
}

static HRESULT WINAPI locate_GetTypeInfo(ISCardLocate *iface, UINT index, LCID lcid, ITypeInfo **typeinfo)
{
    TRACE("%p, %u, %#lx, %p.\n", iface, index, lcid, typeinfo);

    return scardssp_get_typeinfo(ISCardLocate_tid, index, typeinfo);
}

static HRESULT WINAPI locate_GetIDsOfNames(ISCardLocate *iface, REFIID riid, LPOLESTR *names, UINT count,
        LCID lcid, DISPID *dispids)
{
    TRACE("%p, %s, %p, %u, %#lx, %p.\n", iface, debugstr_guid(riid), names, count, lcid, dispids);

    return scardssp_get_ids_of_names(ISCardLocate_tid, names, count, dispids);
}

static HRESULT WINAPI locate_Invoke(ISCardLocate *iface, DISPID dispid, REFIID riid, LCID lcid, WORD flags,
        DISPPARAMS *params, VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr)
{
    TRACE("%p, %ld, %s, %#lx, %#x, %p, %p, %p, %p.\n", iface, dispid, debugstr_guid(riid), lcid, flags,
            params, result, excepinfo, argerr);

    return scardssp_invoke(ISCardLocate_tid, iface, dispid, flags, params, result, excepinfo, argerr);
}

static HRESULT WINAPI locate_ConfigureCardGuidSearch(ISCardLocate *iface, SAFEARRAY *card_guids,
        SAFEARRAY *group_names, BSTR title, LONG flags)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    struct search search = {0};
    WCHAR *strings;
    const WCHAR *p;
    DWORD count, i;
    HRESULT hr;

    TRACE("%p, %p, %p, %s, %#lx.\n", iface, card_guids, group_names, debugstr_w(title), flags);

    if (!card_guids)
        return E_POINTER;
    if (!valid_ui_flags(flags))
        return E_INVALIDARG;

    if (FAILED(hr = database_strings_from_safearray(card_guids, &strings, &count)))
        return hr;
    if (!count)
    {
        free(strings);
        return E_INVALIDARG;
    }
    if (!(search.guids = malloc(count * sizeof(*search.guids))))
    {
        free(strings);
        return E_OUTOFMEMORY;
    }
    search.guid_count = count;
    for (i = 0, p = strings; i < count; ++i, p += wcslen(p) + 1)
    {
        if (FAILED(hr = database_guid_from_string(p, &search.guids[i])))
        {
            WARN("Invalid GUID string %s.\n", debugstr_w(p));
            break;
        }
    }
    free(strings);
    if (SUCCEEDED(hr))
        hr = get_groups(group_names, &search.groups);
    if (FAILED(hr))
    {
        search_clear(&search);
        return hr;
    }
    search.flags = flags;

    return configure(locate, &search, title);
}

static HRESULT WINAPI locate_ConfigureCardNameSearch(ISCardLocate *iface, SAFEARRAY *card_names,
        SAFEARRAY *group_names, BSTR title, LONG flags)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    struct search search = {0};
    DWORD count;
    HRESULT hr;

    TRACE("%p, %p, %p, %s, %#lx.\n", iface, card_names, group_names, debugstr_w(title), flags);

    if (!card_names)
        return E_POINTER;
    if (!valid_ui_flags(flags))
        return E_INVALIDARG;

    if (FAILED(hr = database_strings_from_safearray(card_names, &search.names, &count)))
        return hr;
    if (!count)
        hr = E_INVALIDARG;
    else
        hr = get_groups(group_names, &search.groups);
    if (FAILED(hr))
    {
        search_clear(&search);
        return hr;
    }
    search.flags = flags;

    return configure(locate, &search, title);
}

static HRESULT WINAPI locate_FindCard(ISCardLocate *iface, SCARD_SHARE_MODES share_mode,
        SCARD_PROTOCOLS protocols, LONG flags, SCARDINFO **info)
{
    struct locate *locate = impl_from_ISCardLocate(iface);
    SCARDCONTEXT context;
    struct search search;
    SCARDHANDLE card;
    DWORD active_protocol, winscard_protocols, len;
    WCHAR *wanted = NULL;
    BOOL configured, no_readers = FALSE;
    HRESULT hr = S_OK;
    BSTR title = NULL;
    LONG ui, ret;

    TRACE("%p, %d, %d, %#lx, %p.\n", iface, share_mode, protocols, flags, info);

    if (!info)
        return E_POINTER;
    *info = NULL;
    if (!scard_valid_share_mode(share_mode))
        return E_INVALIDARG;
    if (protocols != T0 && protocols != T1 && protocols != (T0 | T1) && protocols != RAW)
        return E_INVALIDARG;
    winscard_protocols = scard_protocols_to_winscard(protocols);
    if (!valid_ui_flags(flags))
        return E_INVALIDARG;
    EnterCriticalSection(&locate->cs);
    if ((configured = locate->configured))
        hr = search_copy(&search, &locate->search);
    TRACE("Title %s.\n", debugstr_w(locate->title));
    if (SUCCEEDED(hr) && locate->title && !(title = SysAllocStringLen(locate->title, SysStringLen(locate->title))))
        hr = E_OUTOFMEMORY;
    LeaveCriticalSection(&locate->cs);
    if (!configured)
    {
        WARN("No search configured.\n");
        return E_UNEXPECTED;
    }
    if (FAILED(hr))
    {
        search_clear(&search);
        return hr;
    }

    if (flags == SC_DLG_NO_UI || search.flags == SC_DLG_NO_UI)
        ui = SC_DLG_NO_UI;
    else if (flags == SC_DLG_FORCE_UI || search.flags == SC_DLG_FORCE_UI)
        ui = SC_DLG_FORCE_UI;
    else
        ui = SC_DLG_MINIMAL_UI;

    if (search.guids)
    {
        if ((ret = database_list_cards(NULL, search.guids, search.guid_count, &wanted, &len)))
        {
            WARN("SCardListCardsW failed, ret %#lx.\n", ret);
            search_clear(&search);
            SysFreeString(title);
            return scard_hresult(ret);
        }
        TRACE("Cards with the interfaces: %s.\n", debugstr_wn(wanted, len));
    }
    else
    {
        wanted = search.names;
        search.names = NULL;
    }

    /* the dialog, unless there is no display: then as under NO_UI */
    hr = S_FALSE;
    if (ui != SC_DLG_NO_UI)
    {
        struct select_request request = {title, wanted ? wanted : L"", search.groups, ui, share_mode,
                winscard_protocols, card_matches};

        if ((hr = select_card(&request, &context, &card, &active_protocol)) == S_FALSE)
            WARN("No card selection dialog could be shown; answering as under SC_DLG_NO_UI.\n");
    }
    if (hr == S_FALSE && wanted && *wanted)
        hr = find_card(wanted, search.groups, share_mode, winscard_protocols, &context, &card, &active_protocol,
                &no_readers);
    else if (hr == S_FALSE)
        hr = SCARD_E_NO_SMARTCARD;
    free(wanted);
    search_clear(&search);
    SysFreeString(title);

    if (SUCCEEDED(hr))
    {
        if (!(*info = CoTaskMemAlloc(sizeof(**info))))
        {
            SCardDisconnect(card, LEAVE); /* = SCARD_LEAVE_CARD */
            SCardReleaseContext(context);
            return E_OUTOFMEMORY;
        }
        memset(*info, 0, sizeof(**info));
        (*info)->hCard = card;
        (*info)->hContext = context;
        (*info)->ActiveProtocol = ssp_protocol_from_win(active_protocol);
        (*info)->ShareMode = share_mode;
        return S_OK;
    }
    if (hr == SCARD_E_NO_SMARTCARD && no_readers)
        return SCARD_E_NO_READERS_AVAILABLE;
    return hr;
}

static const ISCardLocateVtbl locate_vtbl =
{
    locate_QueryInterface,
    locate_AddRef,
    locate_Release,
    locate_GetTypeInfoCount,
    locate_GetTypeInfo,
    locate_GetIDsOfNames,
    locate_Invoke,
    locate_ConfigureCardGuidSearch,
    locate_ConfigureCardNameSearch,
    locate_FindCard,
};

HRESULT locate_create(REFIID riid, void **obj)
{
    struct locate *locate;
    HRESULT hr;

    if (!(locate = calloc(1, sizeof(*locate))))
        return E_OUTOFMEMORY;

    locate->ISCardLocate_iface.lpVtbl = &locate_vtbl;
    locate->refcount = 1;
    InitializeCriticalSection(&locate->cs);
    scardssp_object_created();

    hr = ISCardLocate_QueryInterface(&locate->ISCardLocate_iface, riid, obj);
    ISCardLocate_Release(&locate->ISCardLocate_iface);
    return hr;
}
