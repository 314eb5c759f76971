/*
 * The matching rules of the smart card database (platform neutral): when
 * a card type of the Calais database (dlls/winscard/calais.c) matches an
 * ATR and a list of interfaces.  Used by the winscard bridge and by
 * scardssp.dll, which reads the database itself over a Wine builtin
 * winscard.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef SCARDSSP_CORE_CARDTYPE_H
#define SCARDSSP_CORE_CARDTYPE_H

#include <stddef.h>
#include <stdint.h>

/* The longest ATR (ISO/IEC 7816-3), SCARD_ATR_LENGTH */
#define CARDTYPE_MAX_ATR 33
/* A GUID as the registry stores it, in "Supported Interfaces" */
#define CARDTYPE_GUID_SIZE 16

/* The length an ATR declares by its structure (TS, T0, the interface
 * bytes that T0 and each TDi announce, the historical bytes, and TCK
 * unless T=0 is the only protocol indicated); 0 when the structure is
 * not complete within SIZE bytes or the ATR is longer than
 * CARDTYPE_MAX_ATR.  Only the bytes the structure names are read. */
size_t cardtype_atr_length(const uint8_t *atr, size_t size);

/* Whether an ATR of ATR_LEN bytes matches a card type's stored ATR of
 * REF_LEN bytes under its mask (NULL: every bit counts): equal lengths and
 * (atr & mask) == (ref & mask) byte by byte. */
int cardtype_atr_matches(const uint8_t *atr, size_t atr_len, const uint8_t *ref, const uint8_t *mask,
                         size_t ref_len);

/* Whether a card type's "Supported Interfaces" (SIZE bytes of GUIDs end to
 * end; a trailing partial GUID does not count) hold every one of the COUNT
 * GUIDs of WANTED, in any order.  COUNT 0 always matches. */
int cardtype_supports_all(const uint8_t *supported, size_t size, const uint8_t *wanted, size_t count);

#endif /* SCARDSSP_CORE_CARDTYPE_H */
