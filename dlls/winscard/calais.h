/*
 * The smart card database in the registry, as Windows keeps it (calais.c):
 * shared by the winscard bridge and by scardssp.dll, which reads the card
 * types itself when it runs over a Wine builtin winscard (whose card
 * database is stubs).
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINSCARD_CALAIS_H
#define __WINSCARD_CALAIS_H

#define CALAIS_MAX_CARD_ATR 36

extern const WCHAR calais_cards_path[];
extern const WCHAR calais_readers_path[];
extern const WCHAR calais_groups_path[];

struct calais_card_type
{
    BYTE atr[CALAIS_MAX_CARD_ATR];
    BYTE mask[CALAIS_MAX_CARD_ATR];
    DWORD atr_len;
};

/* Receives one name; FALSE stops the enumeration (out of memory). */
typedef BOOL (*calais_add_func)(void *context, const WCHAR *name);

/* A name that can be a key of the database. */
BOOL calais_valid_name(const WCHAR *name);
/* HKLM\PATH\NAME in PATH's registry view, opened or created. */
LONG calais_open(const WCHAR *path, const WCHAR *name, BOOL create, HKEY *key);
/* A value of TYPE, malloc'ed with two zero WCHARs after its SIZE bytes; NULL if absent. */
void *calais_read_value(HKEY key, const WCHAR *name, DWORD type, DWORD *size);
/* Every subkey name of HKLM\PATH; FALSE when ADD failed. */
BOOL calais_enum(const WCHAR *path, calais_add_func add, void *context);

/* Card types, in the caller's architecture's view.  An unknown card is
 * SCARD_E_UNKNOWN_CARD. */
LONG calais_open_card(const WCHAR *card, HKEY *key);
LONG calais_load_card_type(const WCHAR *card, struct calais_card_type *type);
/* The cards that match ATR (NULL: any; its length is its own, read from
 * its structure) and support every one of INTERFACES, in registry order. */
LONG calais_list_cards(const BYTE *atr, const GUID *interfaces, DWORD count, calais_add_func add, void *context);
/* A card's supported interfaces, malloc'ed (NULL when it lists none). */
LONG calais_card_interfaces(const WCHAR *card, GUID **interfaces, DWORD *count);
/* A card's primary provider; ERROR_FILE_NOT_FOUND when it has none. */
LONG calais_provider_id(const WCHAR *card, GUID *guid);

#endif /* __WINSCARD_CALAIS_H */
