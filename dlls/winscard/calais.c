/*
 * The smart card database in the registry (calais.h), laid out as Windows
 * keeps it:
 *
 *   HKLM\SOFTWARE\Microsoft\Cryptography\Calais\SmartCards\<card>
 *       ATR, ATRMask                  REG_BINARY
 *       Primary Provider              REG_BINARY, a GUID
 *       Supported Interfaces          REG_BINARY, GUIDs end to end
 *       Crypto Provider               REG_SZ   (SCARD_PROVIDER_CSP)
 *       Smart Card Key Storage Provider REG_SZ (SCARD_PROVIDER_KSP)
 *       80000001                      REG_SZ   (SCARD_PROVIDER_CARD_MODULE; any
 *                                              id >= 0x80000000 as 8 hex digits)
 *   HKLM\SOFTWARE\Microsoft\Cryptography\Calais\Readers\<reader>
 *       Device                        REG_SZ, the pcsc-lite reader it names
 *       Groups                        REG_MULTI_SZ
 *   HKLM\SOFTWARE\Microsoft\Cryptography\Calais\ReaderGroups\<group>
 *                                     (introduced groups)
 *
 * Readers and reader groups are one list for 32- and 64-bit programs (the
 * Windows registry redirector shares Calais\Readers); card types live in
 * each architecture's own view, as SmartCards does on Windows, so that an
 * installer writes them in both views (or calls SCardIntroduceCardType
 * from each architecture).  When a card type matches: core/cardtype.c.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"
#include "winreg.h"
#include "winscard.h"
#include "calais.h"
#include "cardtype.h"

const WCHAR calais_cards_path[] = L"SOFTWARE\\Microsoft\\Cryptography\\Calais\\SmartCards";
const WCHAR calais_readers_path[] = L"SOFTWARE\\Microsoft\\Cryptography\\Calais\\Readers";
const WCHAR calais_groups_path[] = L"SOFTWARE\\Microsoft\\Cryptography\\Calais\\ReaderGroups";

static REGSAM view(const WCHAR *path)
{
    return path == calais_cards_path ? 0 : KEY_WOW64_64KEY;
}

BOOL calais_valid_name(const WCHAR *name)
{
    return name && *name && !wcschr(name, '\\') && wcslen(name) < 256;
}

LONG calais_open(const WCHAR *path, const WCHAR *name, BOOL create, HKEY *key)
{
    HKEY parent;
    LONG ret;

    if (create)
    {
        if ((ret = RegCreateKeyExW(HKEY_LOCAL_MACHINE, path, 0, NULL, 0, KEY_ALL_ACCESS | view(path), NULL,
                                   &parent, NULL)))
            return ret;
        ret = RegCreateKeyExW(parent, name, 0, NULL, 0, KEY_ALL_ACCESS | view(path), NULL, key, NULL);
    }
    else
    {
        if ((ret = RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ | view(path), &parent))) return ret;
        ret = RegOpenKeyExW(parent, name, 0, KEY_READ | KEY_SET_VALUE | view(path), key);
    }
    RegCloseKey(parent);
    return ret;
}

void *calais_read_value(HKEY key, const WCHAR *name, DWORD type, DWORD *size)
{
    DWORD value_type, len = 0;
    BYTE *data;

    if (RegQueryValueExW(key, name, NULL, &value_type, NULL, &len) || value_type != type) return NULL;
    if (len > 0x100000 || !(data = calloc(1, len + 2 * sizeof(WCHAR)))) return NULL;
    if (RegQueryValueExW(key, name, NULL, NULL, data, &len))
    {
        free(data);
        return NULL;
    }
    if (size) *size = len;
    return data;
}

BOOL calais_enum(const WCHAR *path, calais_add_func add, void *context)
{
    WCHAR name[256];
    DWORD i, len;
    BOOL ret = TRUE;
    HKEY key;

    if (RegOpenKeyExW(HKEY_LOCAL_MACHINE, path, 0, KEY_READ | view(path), &key)) return TRUE;
    for (i = 0; ret && (len = ARRAY_SIZE(name), !RegEnumKeyExW(key, i, name, &len, NULL, NULL, NULL, NULL)); i++)
        ret = add(context, name);
    RegCloseKey(key);
    return ret;
}

LONG calais_open_card(const WCHAR *card, HKEY *key)
{
    LONG ret;

    if (!calais_valid_name(card)) return SCARD_E_UNKNOWN_CARD;
    ret = calais_open(calais_cards_path, card, FALSE, key);
    return ret == ERROR_FILE_NOT_FOUND ? SCARD_E_UNKNOWN_CARD : ret;
}

LONG calais_load_card_type(const WCHAR *card, struct calais_card_type *type)
{
    BYTE *atr, *mask;
    DWORD atr_len, mask_len;
    HKEY key;
    LONG ret;

    if ((ret = calais_open_card(card, &key))) return ret;
    memset(type, 0, sizeof(*type));
    memset(type->mask, 0xff, sizeof(type->mask));
    if ((atr = calais_read_value(key, L"ATR", REG_BINARY, &atr_len)))
    {
        type->atr_len = min(atr_len, CALAIS_MAX_CARD_ATR);
        memcpy(type->atr, atr, type->atr_len);
        free(atr);
    }
    if ((mask = calais_read_value(key, L"ATRMask", REG_BINARY, &mask_len)))
    {
        memcpy(type->mask, mask, min(mask_len, type->atr_len));
        free(mask);
    }
    RegCloseKey(key);
    return SCARD_S_SUCCESS;
}

static BOOL card_supports(const WCHAR *card, const GUID *interfaces, DWORD count)
{
    GUID *supported;
    DWORD size = 0;
    BOOL ret;
    HKEY key;

    if (!count) return TRUE;
    if (calais_open_card(card, &key)) return FALSE;
    supported = calais_read_value(key, L"Supported Interfaces", REG_BINARY, &size);
    RegCloseKey(key);
    ret = supported && cardtype_supports_all((const BYTE *)supported, size, (const BYTE *)interfaces, count);
    free(supported);
    return ret;
}

struct card_list
{
    const BYTE *atr;
    size_t atr_len;
    const GUID *interfaces;
    DWORD count;
    calais_add_func add;
    void *context;
};

static BOOL add_if_matching(void *context, const WCHAR *card)
{
    struct card_list *list = context;
    struct calais_card_type type;

    if (list->atr && (!list->atr_len || calais_load_card_type(card, &type)
                      || !cardtype_atr_matches(list->atr, list->atr_len, type.atr, type.mask, type.atr_len)))
        return TRUE;
    if (!card_supports(card, list->interfaces, list->count)) return TRUE;
    return list->add(list->context, card);
}

LONG calais_list_cards(const BYTE *atr, const GUID *interfaces, DWORD count, calais_add_func add, void *context)
{
    struct card_list list = { atr, 0, interfaces, count, add, context };

    if (atr) list.atr_len = cardtype_atr_length(atr, CARDTYPE_MAX_ATR);
    return calais_enum(calais_cards_path, add_if_matching, &list) ? SCARD_S_SUCCESS : SCARD_E_NO_MEMORY;
}

LONG calais_card_interfaces(const WCHAR *card, GUID **interfaces, DWORD *count)
{
    DWORD size = 0;
    HKEY key;
    LONG ret;

    if ((ret = calais_open_card(card, &key))) return ret;
    *interfaces = calais_read_value(key, L"Supported Interfaces", REG_BINARY, &size);
    RegCloseKey(key);
    *count = *interfaces ? size / sizeof(GUID) : 0;
    return SCARD_S_SUCCESS;
}

LONG calais_provider_id(const WCHAR *card, GUID *guid)
{
    DWORD size = 0;
    GUID *value;
    HKEY key;
    LONG ret;

    if ((ret = calais_open_card(card, &key))) return ret;
    value = calais_read_value(key, L"Primary Provider", REG_BINARY, &size);
    RegCloseKey(key);
    if (!value || size != sizeof(GUID))
    {
        free(value);
        return ERROR_FILE_NOT_FOUND;
    }
    *guid = *value;
    free(value);
    return SCARD_S_SUCCESS;
}
