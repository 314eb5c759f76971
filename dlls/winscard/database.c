/*
 * winscard bridge, PE side: the smart card database (card types, reader
 * aliases, reader groups): the winscard exports over the registry layout
 * of calais.c, which scardssp.dll shares.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdio.h>

#include "winscard_private.h"
#include "calais.h"
#include "cardtype.h"

#include "wine/debug.h"

WINE_DEFAULT_DEBUG_CHANNEL(winscard);

static BOOL add_to_multi(void *list, const WCHAR *name)
{
    return multi_add(list, name);
}

/* Every subkey name of HKLM\path, appended to list. */
static void enum_subkeys(const WCHAR *path, struct multi_string *list)
{
    calais_enum(path, add_to_multi, list);
}

WCHAR *db_reader_device(const WCHAR *reader)
{
    WCHAR *ret;
    HKEY key;

    if (!calais_valid_name(reader) || calais_open(calais_readers_path, reader, FALSE, &key)) return NULL;
    ret = calais_read_value(key, L"Device", REG_SZ, NULL);
    RegCloseKey(key);
    return ret;
}

BOOL db_reader_groups(const WCHAR *reader, struct multi_string *groups)
{
    WCHAR *list, *p;
    HKEY key;

    if (!calais_valid_name(reader) || calais_open(calais_readers_path, reader, FALSE, &key)) return FALSE;
    if ((list = calais_read_value(key, L"Groups", REG_MULTI_SZ, NULL)))
    {
        for (p = list; *p; p += wcslen(p) + 1)
            if (!multi_contains(groups, p)) multi_add(groups, p);
        free(list);
    }
    RegCloseKey(key);
    return TRUE;
}

BOOL db_list_aliases(struct multi_string *names)
{
    enum_subkeys(calais_readers_path, names);
    return TRUE;
}

BOOL db_reader_aliases(const WCHAR *device, struct multi_string *aliases)
{
    struct multi_string names = { 0 };
    const WCHAR *p;

    enum_subkeys(calais_readers_path, &names);
    for (p = names.data; p && *p; p += wcslen(p) + 1)
    {
        WCHAR *target;

        if (!wcsicmp(p, device) || multi_contains(aliases, p)) continue;
        if ((target = db_reader_device(p)) && !wcscmp(target, device)) multi_add(aliases, p);
        free(target);
    }
    multi_free(&names);
    return TRUE;
}

/* The groups that hold at least one reader: on Windows a group introduced
 * with SCardIntroduceReaderGroup exists once a reader is added to it. */
BOOL db_list_groups(struct multi_string *groups)
{
    struct multi_string names = { 0 };
    const WCHAR *p;

    enum_subkeys(calais_readers_path, &names);
    for (p = names.data; p && *p; p += wcslen(p) + 1) db_reader_groups(p, groups);
    multi_free(&names);
    return TRUE;
}

LONG WINAPI SCardIntroduceCardTypeW(SCARDCONTEXT context, const WCHAR *name, const GUID *primary_provider,
                                    const GUID *interfaces, DWORD interface_count, const BYTE *atr,
                                    const BYTE *atr_mask, DWORD atr_len)
{
    HKEY key;
    LONG ret;

    TRACE("%#Ix, %s, %s, %p, %lu, %p, %p, %lu\n", context, debugstr_w(name), debugstr_guid(primary_provider),
          interfaces, interface_count, atr, atr_mask, atr_len);

    if ((ret = context_check_optional(context))) return ret;
    if (!calais_valid_name(name) || !atr || !atr_len || atr_len > CALAIS_MAX_CARD_ATR
            || (interface_count && !interfaces))
        return SCARD_E_INVALID_PARAMETER;
    if (interface_count > 0x10000) return SCARD_E_INVALID_PARAMETER;

    if ((ret = calais_open(calais_cards_path, name, TRUE, &key))) return ret;
    RegDeleteValueW(key, L"ATRMask");
    RegDeleteValueW(key, L"Primary Provider");
    RegDeleteValueW(key, L"Supported Interfaces");
    if (!(ret = RegSetValueExW(key, L"ATR", 0, REG_BINARY, atr, atr_len))
        && (!atr_mask || !(ret = RegSetValueExW(key, L"ATRMask", 0, REG_BINARY, atr_mask, atr_len)))
        && (!primary_provider || !(ret = RegSetValueExW(key, L"Primary Provider", 0, REG_BINARY,
                                                        (const BYTE *)primary_provider, sizeof(GUID))))
        && interface_count)
        ret = RegSetValueExW(key, L"Supported Interfaces", 0, REG_BINARY, (const BYTE *)interfaces,
                             interface_count * sizeof(GUID));
    RegCloseKey(key);
    return ret;
}

LONG WINAPI SCardIntroduceCardTypeA(SCARDCONTEXT context, const char *name, const GUID *primary_provider,
                                    const GUID *interfaces, DWORD interface_count, const BYTE *atr,
                                    const BYTE *atr_mask, DWORD atr_len)
{
    WCHAR *nameW;
    LONG ret;

    TRACE("%#Ix, %s, %s, %p, %lu, %p, %p, %lu\n", context, debugstr_a(name), debugstr_guid(primary_provider),
          interfaces, interface_count, atr, atr_mask, atr_len);

    if (!name) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(nameW = strdupAtoW(name))) return SCARD_E_NO_MEMORY;
    ret = SCardIntroduceCardTypeW(context, nameW, primary_provider, interfaces, interface_count, atr, atr_mask,
                                  atr_len);
    free(nameW);
    return ret;
}

LONG WINAPI SCardForgetCardTypeW(SCARDCONTEXT context, const WCHAR *name)
{
    HKEY key;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_w(name));

    if ((ret = context_check_optional(context))) return ret;
    if (!name || !*name) return SCARD_E_INVALID_PARAMETER;
    if (!calais_valid_name(name)) return SCARD_E_UNKNOWN_CARD;
    if ((ret = RegOpenKeyExW(HKEY_LOCAL_MACHINE, calais_cards_path, 0, KEY_ALL_ACCESS, &key)))
        return ret == ERROR_FILE_NOT_FOUND ? SCARD_E_UNKNOWN_CARD : ret;
    ret = RegDeleteKeyW(key, name);
    RegCloseKey(key);
    return ret == ERROR_FILE_NOT_FOUND ? SCARD_E_UNKNOWN_CARD : ret;
}

LONG WINAPI SCardForgetCardTypeA(SCARDCONTEXT context, const char *name)
{
    WCHAR *nameW;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_a(name));

    if (!name) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(nameW = strdupAtoW(name))) return SCARD_E_NO_MEMORY;
    ret = SCardForgetCardTypeW(context, nameW);
    free(nameW);
    return ret;
}

static LONG list_cards(SCARDCONTEXT context, const BYTE *atr, const GUID *interfaces, DWORD count, void *cards,
                       DWORD *cards_len, BOOL ansi)
{
    struct multi_string result = { 0 };
    LONG ret;

    if ((ret = context_check_optional(context))) return ret;
    if (!cards_len || (count && !interfaces)) return SCARD_E_INVALID_PARAMETER;
    if (!(ret = calais_list_cards(atr, interfaces, count, add_to_multi, &result)))
        ret = return_multi(&result, ansi, cards, cards_len);
    multi_free(&result);
    return ret;
}

LONG WINAPI SCardListCardsA(SCARDCONTEXT context, const BYTE *atr, const GUID *interfaces, DWORD interface_count,
                            char *cards, DWORD *cards_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p, %lu, %p, %p\n", context, atr, interfaces, interface_count, cards, cards_len);

    ret = list_cards(context, atr, interfaces, interface_count, cards, cards_len, TRUE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardListCardsW(SCARDCONTEXT context, const BYTE *atr, const GUID *interfaces, DWORD interface_count,
                            WCHAR *cards, DWORD *cards_len)
{
    LONG ret;

    TRACE("%#Ix, %p, %p, %lu, %p, %p\n", context, atr, interfaces, interface_count, cards, cards_len);

    ret = list_cards(context, atr, interfaces, interface_count, cards, cards_len, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardListInterfacesW(SCARDCONTEXT context, const WCHAR *card, GUID *interfaces, DWORD *count)
{
    GUID *supported;
    DWORD supported_count;
    LONG ret;

    TRACE("%#Ix, %s, %p, %p\n", context, debugstr_w(card), interfaces, count);

    if ((ret = context_check_optional(context))) return ret;
    if (!card || !count) return SCARD_E_INVALID_PARAMETER;
    if ((ret = calais_card_interfaces(card, &supported, &supported_count))) return ret;
    ret = return_buffer(supported, supported_count, sizeof(GUID), interfaces, count);
    free(supported);
    return ret;
}

LONG WINAPI SCardListInterfacesA(SCARDCONTEXT context, const char *card, GUID *interfaces, DWORD *count)
{
    WCHAR *cardW;
    LONG ret;

    TRACE("%#Ix, %s, %p, %p\n", context, debugstr_a(card), interfaces, count);

    if (!card) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(cardW = strdupAtoW(card))) return SCARD_E_NO_MEMORY;
    ret = SCardListInterfacesW(context, cardW, interfaces, count);
    free(cardW);
    return ret;
}

LONG WINAPI SCardGetProviderIdW(SCARDCONTEXT context, const WCHAR *card, GUID *guid)
{
    LONG ret;

    TRACE("%#Ix, %s, %p\n", context, debugstr_w(card), guid);

    if ((ret = context_check_optional(context))) return ret;
    if (!card || !guid) return SCARD_E_INVALID_PARAMETER;
    return calais_provider_id(card, guid);
}

LONG WINAPI SCardGetProviderIdA(SCARDCONTEXT context, const char *card, GUID *guid)
{
    WCHAR *cardW;
    LONG ret;

    TRACE("%#Ix, %s, %p\n", context, debugstr_a(card), guid);

    if (!card) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(cardW = strdupAtoW(card))) return SCARD_E_NO_MEMORY;
    ret = SCardGetProviderIdW(context, cardW, guid);
    free(cardW);
    return ret;
}

/* The registry value of a provider id; FALSE for an id that has none. */
static BOOL provider_value_name(DWORD id, WCHAR *name, DWORD size)
{
    switch (id)
    {
    case SCARD_PROVIDER_CSP:
        wcscpy(name, L"Crypto Provider");
        return TRUE;
    case SCARD_PROVIDER_KSP:
        wcscpy(name, L"Smart Card Key Storage Provider");
        return TRUE;
    default:
        if (id < 0x80000000) return FALSE;
        swprintf(name, size, L"%08lX", id);
        return TRUE;
    }
}

static LONG get_provider_name(SCARDCONTEXT context, const WCHAR *card, DWORD id, void *provider,
                              DWORD *provider_len, BOOL ansi)
{
    WCHAR value_name[40], *value;
    HKEY key;
    LONG ret;

    if ((ret = context_check_optional(context))) return ret;
    if (!card || !provider_len) return SCARD_E_INVALID_PARAMETER;

    if (id == SCARD_PROVIDER_PRIMARY)
    {
        WCHAR str[39];
        GUID guid;

        if ((ret = calais_provider_id(card, &guid))) return ret;
        swprintf(str, ARRAY_SIZE(str), L"{%08lX-%04X-%04X-%02X%02X-%02X%02X%02X%02X%02X%02X}",
                 guid.Data1, guid.Data2, guid.Data3, guid.Data4[0], guid.Data4[1], guid.Data4[2],
                 guid.Data4[3], guid.Data4[4], guid.Data4[5], guid.Data4[6], guid.Data4[7]);
        return return_string(str, ansi, provider, provider_len);
    }
    if (!provider_value_name(id, value_name, ARRAY_SIZE(value_name))) return SCARD_E_INVALID_PARAMETER;

    if ((ret = calais_open_card(card, &key))) return ret;
    value = calais_read_value(key, value_name, REG_SZ, NULL);
    RegCloseKey(key);
    if (!value) return ERROR_FILE_NOT_FOUND;
    ret = return_string(value, ansi, provider, provider_len);
    free(value);
    return ret;
}

LONG WINAPI SCardGetCardTypeProviderNameW(SCARDCONTEXT context, const WCHAR *card, DWORD id, WCHAR *provider,
                                          DWORD *provider_len)
{
    LONG ret;

    TRACE("%#Ix, %s, %#lx, %p, %p\n", context, debugstr_w(card), id, provider, provider_len);

    ret = get_provider_name(context, card, id, provider, provider_len, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardGetCardTypeProviderNameA(SCARDCONTEXT context, const char *card, DWORD id, char *provider,
                                          DWORD *provider_len)
{
    WCHAR *cardW;
    LONG ret;

    TRACE("%#Ix, %s, %#lx, %p, %p\n", context, debugstr_a(card), id, provider, provider_len);

    if (!card) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(cardW = strdupAtoW(card))) return SCARD_E_NO_MEMORY;
    ret = get_provider_name(context, cardW, id, provider, provider_len, TRUE);
    free(cardW);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardSetCardTypeProviderNameW(SCARDCONTEXT context, const WCHAR *card, DWORD id,
                                          const WCHAR *provider)
{
    WCHAR value_name[40];
    HKEY key;
    LONG ret;

    TRACE("%#Ix, %s, %#lx, %s\n", context, debugstr_w(card), id, debugstr_w(provider));

    if ((ret = context_check_optional(context))) return ret;
    if (!card || !provider || !provider_value_name(id, value_name, ARRAY_SIZE(value_name)))
        return SCARD_E_INVALID_PARAMETER;
    if ((ret = calais_open_card(card, &key))) return ret;
    ret = RegSetValueExW(key, value_name, 0, REG_SZ, (const BYTE *)provider, (wcslen(provider) + 1) * sizeof(WCHAR));
    RegCloseKey(key);
    return ret;
}

LONG WINAPI SCardSetCardTypeProviderNameA(SCARDCONTEXT context, const char *card, DWORD id, const char *provider)
{
    WCHAR *cardW = NULL, *providerW = NULL;
    LONG ret;

    TRACE("%#Ix, %s, %#lx, %s\n", context, debugstr_a(card), id, debugstr_a(provider));

    if (!card || !provider)
        return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(cardW = strdupAtoW(card)) || !(providerW = strdupAtoW(provider))) ret = SCARD_E_NO_MEMORY;
    else ret = SCardSetCardTypeProviderNameW(context, cardW, id, providerW);
    free(cardW);
    free(providerW);
    return ret;
}

/* After snapshot_states(): ATRMATCH where match() says so, CHANGED where
 * the state now differs from the caller's dwCurrentState. */
static void finish_located(SCARD_READERSTATEW *state, BOOL matched)
{
    if (state->dwCurrentState & SCARD_STATE_IGNORE) return;
    if (matched && (state->dwEventState & SCARD_STATE_PRESENT)) state->dwEventState |= SCARD_STATE_ATRMATCH;
    if (state->dwEventState != (state->dwCurrentState & ~SCARD_STATE_CHANGED))
        state->dwEventState |= SCARD_STATE_CHANGED;
}

static LONG locate_cards(SCARDCONTEXT context, const WCHAR *cards, SCARD_READERSTATEW *states, DWORD count,
                         BOOL ansi)
{
    struct calais_card_type *types = NULL;
    DWORD type_count = 0, i, j;
    const WCHAR *p;
    LONG ret;

    if ((ret = context_check_optional(context))) return ret;
    if (!cards || (count && !states)) return SCARD_E_INVALID_PARAMETER;

    for (p = cards; *p; p += wcslen(p) + 1) type_count++;
    if (type_count && !(types = calloc(type_count, sizeof(*types)))) return SCARD_E_NO_MEMORY;
    for (p = cards, i = 0; *p; p += wcslen(p) + 1, i++)
        if ((ret = calais_load_card_type(p, &types[i]))) goto done;

    if ((ret = snapshot_states(context, states, count, ansi))) goto done;
    for (i = 0; i < count; i++)
    {
        BOOL matched = FALSE;

        for (j = 0; !matched && j < type_count; j++)
            matched = cardtype_atr_matches(states[i].rgbAtr, states[i].cbAtr, types[j].atr, types[j].mask,
                                           types[j].atr_len);
        finish_located(&states[i], matched);
    }
done:
    free(types);
    return ret;
}

LONG WINAPI SCardLocateCardsW(SCARDCONTEXT context, const WCHAR *cards, SCARD_READERSTATEW *states, DWORD count)
{
    LONG ret;

    TRACE("%#Ix, %s, %p, %lu\n", context, debugstr_w(cards), states, count);

    ret = locate_cards(context, cards, states, count, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardLocateCardsA(SCARDCONTEXT context, const char *cards, SCARD_READERSTATEA *states, DWORD count)
{
    WCHAR *cardsW = NULL;
    LONG ret;

    TRACE("%#Ix, %s, %p, %lu\n", context, debugstr_a(cards), states, count);

    if (cards && !(cardsW = multi_strdupAtoW(cards))) return SCARD_E_NO_MEMORY;
    ret = locate_cards(context, cardsW, (SCARD_READERSTATEW *)states, count, TRUE);
    free(cardsW);
    TRACE("returning %#lx\n", ret);
    return ret;
}

static LONG locate_by_atr(SCARDCONTEXT context, SCARD_ATRMASK *masks, DWORD mask_count, SCARD_READERSTATEW *states,
                          DWORD count, BOOL ansi)
{
    DWORD i, j;
    LONG ret;

    if ((ret = context_check_optional(context))) return ret;
    if ((mask_count && !masks) || (count && !states)) return SCARD_E_INVALID_PARAMETER;
    for (j = 0; j < mask_count; j++)
        if (masks[j].cbAtr > sizeof(masks[j].rgbAtr)) return SCARD_E_INVALID_PARAMETER;

    if ((ret = snapshot_states(context, states, count, ansi))) return ret;
    for (i = 0; i < count; i++)
    {
        BOOL matched = FALSE;

        for (j = 0; !matched && j < mask_count; j++)
            matched = cardtype_atr_matches(states[i].rgbAtr, states[i].cbAtr, masks[j].rgbAtr, masks[j].rgbMask,
                                           masks[j].cbAtr);
        finish_located(&states[i], matched);
    }
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardLocateCardsByATRW(SCARDCONTEXT context, SCARD_ATRMASK *masks, DWORD mask_count,
                                   SCARD_READERSTATEW *states, DWORD count)
{
    LONG ret;

    TRACE("%#Ix, %p, %lu, %p, %lu\n", context, masks, mask_count, states, count);

    ret = locate_by_atr(context, masks, mask_count, states, count, FALSE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardLocateCardsByATRA(SCARDCONTEXT context, SCARD_ATRMASK *masks, DWORD mask_count,
                                   SCARD_READERSTATEA *states, DWORD count)
{
    LONG ret;

    TRACE("%#Ix, %p, %lu, %p, %lu\n", context, masks, mask_count, states, count);

    ret = locate_by_atr(context, masks, mask_count, (SCARD_READERSTATEW *)states, count, TRUE);
    TRACE("returning %#lx\n", ret);
    return ret;
}

LONG WINAPI SCardIntroduceReaderGroupW(SCARDCONTEXT context, const WCHAR *group)
{
    HKEY key;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_w(group));

    if ((ret = context_check_optional(context))) return ret;
    if (!calais_valid_name(group)) return SCARD_E_INVALID_PARAMETER;
    if ((ret = calais_open(calais_groups_path, group, TRUE, &key))) return ret;
    RegCloseKey(key);
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardIntroduceReaderGroupA(SCARDCONTEXT context, const char *group)
{
    WCHAR *groupW;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_a(group));

    if (!group) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(groupW = strdupAtoW(group))) return SCARD_E_NO_MEMORY;
    ret = SCardIntroduceReaderGroupW(context, groupW);
    free(groupW);
    return ret;
}

/* Rewrites the Groups value of a reader with group added or removed. */
static LONG edit_reader_groups(const WCHAR *reader, const WCHAR *group, BOOL add)
{
    struct multi_string groups = { 0 }, result = { 0 };
    const WCHAR *p;
    HKEY key;
    LONG ret;

    if ((ret = calais_open(calais_readers_path, reader, FALSE, &key)))
        return ret == ERROR_FILE_NOT_FOUND ? SCARD_E_UNKNOWN_READER : ret;
    db_reader_groups(reader, &groups);
    for (p = groups.data; p && *p; p += wcslen(p) + 1)
        if (wcsicmp(p, group)) multi_add(&result, p);
    if (add) multi_add(&result, group);
    if (!result.data) multi_add(&result, L"");
    ret = RegSetValueExW(key, L"Groups", 0, REG_MULTI_SZ, (const BYTE *)result.data,
                         result.length ? (result.length + 1) * sizeof(WCHAR) : 2 * sizeof(WCHAR));
    RegCloseKey(key);
    multi_free(&groups);
    multi_free(&result);
    return ret;
}

LONG WINAPI SCardForgetReaderGroupW(SCARDCONTEXT context, const WCHAR *group)
{
    struct multi_string names = { 0 };
    const WCHAR *p;
    HKEY key;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_w(group));

    if ((ret = context_check_optional(context))) return ret;
    if (!calais_valid_name(group)) return SCARD_E_INVALID_PARAMETER;

    /* the readers stay; they leave the group */
    enum_subkeys(calais_readers_path, &names);
    for (p = names.data; p && *p; p += wcslen(p) + 1)
    {
        struct multi_string groups = { 0 };

        db_reader_groups(p, &groups);
        if (multi_contains(&groups, group)) edit_reader_groups(p, group, FALSE);
        multi_free(&groups);
    }
    multi_free(&names);

    if (!RegOpenKeyExW(HKEY_LOCAL_MACHINE, calais_groups_path, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, &key))
    {
        RegDeleteKeyExW(key, group, KEY_WOW64_64KEY, 0);
        RegCloseKey(key);
    }
    return SCARD_S_SUCCESS;
}

LONG WINAPI SCardForgetReaderGroupA(SCARDCONTEXT context, const char *group)
{
    WCHAR *groupW;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_a(group));

    if (!group) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(groupW = strdupAtoW(group))) return SCARD_E_NO_MEMORY;
    ret = SCardForgetReaderGroupW(context, groupW);
    free(groupW);
    return ret;
}

static LONG create_reader(const WCHAR *reader, const WCHAR *device)
{
    static const WCHAR default_groups[] = L"SCard$DefaultReaders\0";
    HKEY key;
    LONG ret;

    if ((ret = calais_open(calais_readers_path, reader, TRUE, &key))) return ret;
    if (!(ret = RegSetValueExW(key, L"Device", 0, REG_SZ, (const BYTE *)device, (wcslen(device) + 1) * sizeof(WCHAR))))
        ret = RegSetValueExW(key, L"Groups", 0, REG_MULTI_SZ, (const BYTE *)default_groups, sizeof(default_groups));
    RegCloseKey(key);
    return ret;
}

/* The A form of the reader calls taking two names: both converted, then the W form. */
static LONG call_with_two_stringsW(SCARDCONTEXT context, const char *a, const char *b,
        LONG (WINAPI *funcW)(SCARDCONTEXT, const WCHAR *, const WCHAR *))
{
    WCHAR *aW = NULL, *bW = NULL;
    LONG ret;

    if (!a || !b)
        return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(aW = strdupAtoW(a)) || !(bW = strdupAtoW(b))) ret = SCARD_E_NO_MEMORY;
    else ret = funcW(context, aW, bW);
    free(aW);
    free(bW);
    return ret;
}

LONG WINAPI SCardIntroduceReaderW(SCARDCONTEXT context, const WCHAR *reader, const WCHAR *device)
{
    WCHAR *existing;
    LONG ret;

    TRACE("%#Ix, %s, %s\n", context, debugstr_w(reader), debugstr_w(device));

    if ((ret = context_check_optional(context))) return ret;
    if (!calais_valid_name(reader) || !device || !*device) return SCARD_E_INVALID_PARAMETER;
    if ((existing = db_reader_device(reader)))
    {
        free(existing);
        return SCARD_E_DUPLICATE_READER;
    }
    return create_reader(reader, device);
}

LONG WINAPI SCardIntroduceReaderA(SCARDCONTEXT context, const char *reader, const char *device)
{
    TRACE("%#Ix, %s, %s\n", context, debugstr_a(reader), debugstr_a(device));

    return call_with_two_stringsW(context, reader, device, SCardIntroduceReaderW);
}

LONG WINAPI SCardForgetReaderW(SCARDCONTEXT context, const WCHAR *reader)
{
    HKEY key;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_w(reader));

    if ((ret = context_check_optional(context))) return ret;
    if (!reader || !*reader) return SCARD_E_INVALID_PARAMETER;
    if (!calais_valid_name(reader)) return SCARD_E_UNKNOWN_READER;
    if ((ret = RegOpenKeyExW(HKEY_LOCAL_MACHINE, calais_readers_path, 0, KEY_ALL_ACCESS | KEY_WOW64_64KEY, &key)))
        return ret == ERROR_FILE_NOT_FOUND ? SCARD_E_UNKNOWN_READER : ret;
    ret = RegDeleteKeyExW(key, reader, KEY_WOW64_64KEY, 0);
    RegCloseKey(key);
    return ret == ERROR_FILE_NOT_FOUND ? SCARD_E_UNKNOWN_READER : ret;
}

LONG WINAPI SCardForgetReaderA(SCARDCONTEXT context, const char *reader)
{
    WCHAR *readerW;
    LONG ret;

    TRACE("%#Ix, %s\n", context, debugstr_a(reader));

    if (!reader) return context_check_optional(context) ? ERROR_INVALID_HANDLE : SCARD_E_INVALID_PARAMETER;
    if (!(readerW = strdupAtoW(reader))) return SCARD_E_NO_MEMORY;
    ret = SCardForgetReaderW(context, readerW);
    free(readerW);
    return ret;
}

LONG WINAPI SCardAddReaderToGroupW(SCARDCONTEXT context, const WCHAR *reader, const WCHAR *group)
{
    WCHAR *device;
    LONG ret;

    TRACE("%#Ix, %s, %s\n", context, debugstr_w(reader), debugstr_w(group));

    if ((ret = context_check_optional(context))) return ret;
    if (!reader || !*reader || !calais_valid_name(group)) return SCARD_E_INVALID_PARAMETER;
    if (!calais_valid_name(reader)) return SCARD_E_UNKNOWN_READER;

    if ((device = db_reader_device(reader))) free(device);
    else
    {
        /* a reader pcsc-lite has now is known without being introduced */
        struct multi_string present = { 0 };

        ret = list_present_readers(context, &present);
        if (!ret && !multi_contains(&present, reader)) ret = SCARD_E_UNKNOWN_READER;
        if (ret == SCARD_E_NO_READERS_AVAILABLE) ret = SCARD_E_UNKNOWN_READER;
        multi_free(&present);
        if (ret || (ret = create_reader(reader, reader))) return ret;
    }
    return edit_reader_groups(reader, group, TRUE);
}

LONG WINAPI SCardAddReaderToGroupA(SCARDCONTEXT context, const char *reader, const char *group)
{
    TRACE("%#Ix, %s, %s\n", context, debugstr_a(reader), debugstr_a(group));

    return call_with_two_stringsW(context, reader, group, SCardAddReaderToGroupW);
}

LONG WINAPI SCardRemoveReaderFromGroupW(SCARDCONTEXT context, const WCHAR *reader, const WCHAR *group)
{
    LONG ret;

    TRACE("%#Ix, %s, %s\n", context, debugstr_w(reader), debugstr_w(group));

    if ((ret = context_check_optional(context))) return ret;
    if (!reader || !*reader || !calais_valid_name(group)) return SCARD_E_INVALID_PARAMETER;
    if (!calais_valid_name(reader)) return SCARD_E_UNKNOWN_READER;
    return edit_reader_groups(reader, group, FALSE);
}

LONG WINAPI SCardRemoveReaderFromGroupA(SCARDCONTEXT context, const char *reader, const char *group)
{
    TRACE("%#Ix, %s, %s\n", context, debugstr_a(reader), debugstr_a(group));

    return call_with_two_stringsW(context, reader, group, SCardRemoveReaderFromGroupW);
}
