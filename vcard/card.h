/*
 * Virtual ISO 7816-4 file system card: the card logic, without transport
 *
 * Copyright 2025 the scardssp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 */

#ifndef VCARD_CARD_H
#define VCARD_CARD_H

#include <stddef.h>

enum card_protocol
{
    CARD_T0 = 0,
    CARD_T1 = 1,
};

/* The largest response APDU the card ever builds: 65536 data bytes + SW. */
#define CARD_MAX_RESPONSE (65536 + 2)

struct card;

/* A card in its factory state (see the layout table in card.c), powered
 * and reset.  NULL when out of memory. */
struct card *card_create(enum card_protocol protocol);
void card_destroy(struct card *card);

/* What a reset (warm or cold) does: basic channel back on the MF, logical
 * channels closed, security status cleared, GET CHALLENGE sequence
 * restarted, pending GET RESPONSE data dropped.  File contents, data
 * objects and the PIN retry counter are kept. */
void card_reset(struct card *card);

/* Back to the factory state: file contents, data objects, PIN retry
 * counter, then card_reset(). */
void card_factory(struct card *card);

enum card_protocol card_protocol(const struct card *card);

/* Processes one command APDU; writes the response APDU (data + SW1 SW2)
 * to out, which holds at least CARD_MAX_RESPONSE bytes, and returns its
 * length (always >= 2). */
size_t card_process(struct card *card, const unsigned char *apdu, size_t len, unsigned char *out);

#endif
