/*
 * APDU transport rules for ISCard::Transaction, and the mapping of winscard
 * values to scardssp's (platform neutral); see transport.h
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdlib.h>
#include <string.h>

#include "apdu.h"
#include "transport.h"

#define INS_GET_RESPONSE 0xc0

/* Stores cmd[len] as the next TPDU. */
static enum transport_status set_command(struct transport *t, const uint8_t *cmd, size_t len, int has_le)
{
    uint8_t *copy;

    if (!(copy = malloc(len))) return TRANSPORT_E_NOMEM;
    memcpy(copy, cmd, len);
    free(t->command);
    t->command = copy;
    t->command_len = len;
    t->command_has_le = has_le;
    return TRANSPORT_SEND;
}

static enum transport_status fail(struct transport *t, enum transport_status status)
{
    t->state = status;
    return status;
}

/* The T=0 TPDU for a parsed command. */
static enum transport_status t0_first_command(struct transport *t, const struct apdu *apdu)
{
    uint8_t tpdu[4 + 1 + 255];
    struct apdu sent = *apdu;
    size_t written;

    if (apdu->lc > 255) return TRANSPORT_E_INVALID;
    if (apdu->lc) sent.le = 0;                /* case 4 goes as case 3 */
    else if (sent.le > 256) sent.le = 256;    /* case 2E goes as P3 = 00 */
    if (apdu_encode(&sent, tpdu, sizeof(tpdu), &written) != APDU_OK) return TRANSPORT_E_INVALID;
    return set_command(t, tpdu, written, sent.le != 0);
}

enum transport_status transport_begin(struct transport *t, enum transport_protocol protocol,
                                      const uint8_t *apdu, size_t len, int alt_cla)
{
    enum transport_status status;
    struct apdu fields;

    if (!t) return TRANSPORT_E_STATE;
    memset(t, 0, sizeof(*t));
    t->protocol = protocol;
    t->state = TRANSPORT_E_STATE;

    if (protocol != TRANSPORT_T0 && protocol != TRANSPORT_T1 && protocol != TRANSPORT_RAW)
        return fail(t, TRANSPORT_E_INVALID);
    if (!apdu || apdu_parse(apdu, len, &fields) != APDU_OK)
        return fail(t, TRANSPORT_E_INVALID);
    t->response_cla = alt_cla >= 0 && alt_cla <= 0xff ? (uint8_t)alt_cla : fields.cla;

    if (protocol == TRANSPORT_T0)
        status = t0_first_command(t, &fields);
    else
        status = set_command(t, apdu, len, 0);
    return t->state = status;
}

const uint8_t *transport_command(struct transport *t, size_t *len)
{
    if (len) *len = 0;
    if (!t || t->state != TRANSPORT_SEND) return NULL;
    if (len) *len = t->command_len;
    return t->command;
}

/* Appends data[len] to the reply, leaving room for reserve more bytes
 * (the status word still to come) within TRANSPORT_MAX_REPLY. */
static enum transport_status append_reply(struct transport *t, const uint8_t *data, size_t len, size_t reserve)
{
    uint8_t *grown;

    if (len + reserve > TRANSPORT_MAX_REPLY - t->reply_len) return TRANSPORT_E_REPLY_TOO_LONG;
    if (!len) return TRANSPORT_OK;
    if (!(grown = realloc(t->reply, t->reply_len + len))) return TRANSPORT_E_NOMEM;
    memcpy(grown + t->reply_len, data, len);
    t->reply = grown;
    t->reply_len += len;
    return TRANSPORT_OK;
}

enum transport_status transport_feed(struct transport *t, const uint8_t *answer, size_t len)
{
    enum transport_status status;
    uint8_t sw1, sw2;

    if (!t || t->state != TRANSPORT_SEND) return TRANSPORT_E_STATE;
    if (len && !answer) return fail(t, TRANSPORT_E_STATE);
    if (++t->exchanges > TRANSPORT_MAX_EXCHANGES) return fail(t, TRANSPORT_E_TOO_MANY_EXCHANGES);
    if (len < 2) return fail(t, TRANSPORT_E_SHORT_REPLY);
    if (len > TRANSPORT_MAX_REPLY) return fail(t, TRANSPORT_E_REPLY_TOO_LONG);
    sw1 = answer[len - 2];
    sw2 = answer[len - 1];

    if (t->protocol == TRANSPORT_T0 && sw1 == 0x61)
    {
        uint8_t get_response[5] = {t->response_cla, INS_GET_RESPONSE, 0x00, 0x00, sw2};

        if ((status = append_reply(t, answer, len - 2, 2)) != TRANSPORT_OK) return fail(t, status);
        if (t->exchanges == TRANSPORT_MAX_EXCHANGES) return fail(t, TRANSPORT_E_TOO_MANY_EXCHANGES);
        return t->state = set_command(t, get_response, sizeof(get_response), 1);
    }
    if (t->protocol == TRANSPORT_T0 && sw1 == 0x6c && t->command_has_le)
    {
        /* the same TPDU, P3 = the length the card wants */
        if (t->exchanges == TRANSPORT_MAX_EXCHANGES) return fail(t, TRANSPORT_E_TOO_MANY_EXCHANGES);
        t->command[t->command_len - 1] = sw2;
        return TRANSPORT_SEND;
    }

    if ((status = append_reply(t, answer, len, 0)) != TRANSPORT_OK) return fail(t, status);
    return t->state = TRANSPORT_OK;
}

const uint8_t *transport_reply(struct transport *t, size_t *len)
{
    if (len) *len = 0;
    if (!t || t->state != TRANSPORT_OK) return NULL;
    if (len) *len = t->reply_len;
    return t->reply;
}

void transport_end(struct transport *t)
{
    if (!t) return;
    free(t->command);
    free(t->reply);
    memset(t, 0, sizeof(*t));
    t->state = TRANSPORT_E_STATE;
}

enum transport_status transport_exchange(enum transport_protocol protocol, const uint8_t *apdu,
                                         size_t len, int alt_cla, transport_transmit_fn transmit,
                                         void *ctx, long *transmit_error, uint8_t **reply,
                                         size_t *reply_len)
{
    enum transport_status status;
    struct transport t;
    uint8_t *answer;

    if (transmit_error) *transmit_error = 0;
    if (!reply || !reply_len || !transmit) return TRANSPORT_E_STATE;
    *reply = NULL;
    *reply_len = 0;

    status = transport_begin(&t, protocol, apdu, len, alt_cla);
    if (status != TRANSPORT_SEND)
    {
        transport_end(&t);
        return status;
    }
    if (!(answer = malloc(TRANSPORT_RECV_SIZE)))
    {
        transport_end(&t);
        return TRANSPORT_E_NOMEM;
    }

    while (status == TRANSPORT_SEND)
    {
        size_t cmd_len, answer_len = TRANSPORT_RECV_SIZE;
        const uint8_t *cmd = transport_command(&t, &cmd_len);
        long error;

        if ((error = transmit(ctx, cmd, cmd_len, answer, &answer_len)))
        {
            if (transmit_error) *transmit_error = error;
            status = TRANSPORT_E_TRANSMIT;
            break;
        }
        if (answer_len > TRANSPORT_RECV_SIZE) answer_len = TRANSPORT_RECV_SIZE;
        status = transport_feed(&t, answer, answer_len);
    }

    if (status == TRANSPORT_OK)
    {
        /* hand the reply over instead of copying it */
        *reply = t.reply;
        *reply_len = t.reply_len;
        t.reply = NULL;
        t.reply_len = 0;
    }
    free(answer);
    transport_end(&t);
    return status;
}

uint32_t transport_map_state(uint32_t value, enum winscard_convention convention)
{
    static const struct
    {
        uint32_t bit, state;
    }
    bits[] =
    {
        {0x40, 6},  /* SCARD_SPECIFIC */
        {0x20, 5},  /* SCARD_NEGOTIABLE */
        {0x10, 4},  /* SCARD_POWERED */
        {0x08, 3},  /* SCARD_SWALLOWED */
        {0x04, 2},  /* SCARD_PRESENT */
        {0x02, 1},  /* SCARD_ABSENT */
    };
    size_t i;

    if (convention == WINSCARD_WINDOWS)
        return value >= 1 && value <= 6 ? value : 0;
    for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
        if (value & bits[i].bit) return bits[i].state;
    return 0;
}

uint32_t transport_protocol_to_winscard(uint32_t protocol, enum winscard_convention convention)
{
    switch (protocol)
    {
    case 1:
    case 2:
    case 3:
        return protocol;
    case 0xff:
        return convention == WINSCARD_PCSCLITE ? 0x4 : 0x10000;
    }
    return 0;
}

uint32_t transport_protocol_from_winscard(uint32_t protocol, enum winscard_convention convention)
{
    if (protocol == 1 || protocol == 2) return protocol;
    if (protocol == (convention == WINSCARD_PCSCLITE ? 0x4u : 0x10000u)) return 0xff;
    return 0;
}

uint32_t transport_map_error(uint32_t code, enum winscard_convention convention)
{
    if (convention == WINSCARD_PCSCLITE && code == 0x8010001fu) return 0x80100022u;
    return code;
}
