/*
 * APDU transport rules for ISCard::Transaction, and the mapping of winscard
 * values to scardssp's (platform neutral); see transport.h
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <string.h>

#include "apdu.h"
#include "transport.h"

#define INS_GET_RESPONSE 0xc0

static enum transport_status fail(struct transport *t, enum transport_status status)
{
    t->state = status;
    return status;
}

/* The T=0 TPDU for a parsed command, in t->tpdu. */
static enum transport_status t0_first_command(struct transport *t, const struct apdu *apdu)
{
    struct apdu sent = *apdu;
    size_t written;

    if (apdu->lc > 255) return TRANSPORT_E_INVALID;
    if (apdu->lc) sent.le = 0;                /* case 4 goes as case 3 */
    else if (sent.le > 256) sent.le = 256;    /* case 2E goes as P3 = 00 */
    if (apdu_encode(&sent, t->tpdu, sizeof(t->tpdu), &written) != APDU_OK) return TRANSPORT_E_INVALID;
    t->command = t->tpdu;
    t->command_len = written;
    t->command_has_le = sent.le != 0;
    return TRANSPORT_SEND;
}

enum transport_status transport_begin(struct transport *t, enum transport_protocol protocol,
                                      const uint8_t *apdu, size_t len, int alt_cla, uint8_t *buffer)
{
    struct apdu fields;

    if (!t) return TRANSPORT_E_STATE;
    t->protocol = protocol;
    t->command = NULL;
    t->command_len = 0;
    t->command_has_le = 0;
    t->buffer = buffer;
    t->reply_len = 0;
    t->exchanges = 0;
    t->state = TRANSPORT_E_STATE;

    if (protocol != TRANSPORT_T0 && protocol != TRANSPORT_T1 && protocol != TRANSPORT_RAW)
        return fail(t, TRANSPORT_E_INVALID);
    if (!buffer || !apdu || apdu_parse(apdu, len, &fields) != APDU_OK)
        return fail(t, TRANSPORT_E_INVALID);
    t->response_cla = alt_cla >= 0 && alt_cla <= 0xff ? (uint8_t)alt_cla : fields.cla;

    if (protocol == TRANSPORT_T0)
        return t->state = t0_first_command(t, &fields);
    t->command = apdu;
    t->command_len = len;
    return t->state = TRANSPORT_SEND;
}

const uint8_t *transport_command(struct transport *t, size_t *len)
{
    if (len) *len = 0;
    if (!t || t->state != TRANSPORT_SEND) return NULL;
    if (len) *len = t->command_len;
    return t->command;
}

uint8_t *transport_answer_room(struct transport *t)
{
    if (!t || t->state != TRANSPORT_SEND) return NULL;
    return t->buffer + t->reply_len;
}

/* Appends data[len] to the reply, leaving room for reserve more bytes
 * (the status word still to come) within TRANSPORT_MAX_REPLY. */
static enum transport_status append_reply(struct transport *t, const uint8_t *data, size_t len, size_t reserve)
{
    if (len + reserve > TRANSPORT_MAX_REPLY - t->reply_len) return TRANSPORT_E_REPLY_TOO_LONG;
    if (data != t->buffer + t->reply_len) memmove(t->buffer + t->reply_len, data, len);
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
        if ((status = append_reply(t, answer, len - 2, 2)) != TRANSPORT_OK) return fail(t, status);
        if (t->exchanges == TRANSPORT_MAX_EXCHANGES) return fail(t, TRANSPORT_E_TOO_MANY_EXCHANGES);
        t->tpdu[0] = t->response_cla;
        t->tpdu[1] = INS_GET_RESPONSE;
        t->tpdu[2] = 0x00;
        t->tpdu[3] = 0x00;
        t->tpdu[4] = sw2;
        t->command = t->tpdu;
        t->command_len = 5;
        t->command_has_le = 1;
        return TRANSPORT_SEND;
    }
    if (t->protocol == TRANSPORT_T0 && sw1 == 0x6c && t->command_has_le)
    {
        /* the same TPDU (always t->tpdu under T=0), P3 = the length the card wants */
        if (t->exchanges == TRANSPORT_MAX_EXCHANGES) return fail(t, TRANSPORT_E_TOO_MANY_EXCHANGES);
        t->tpdu[t->command_len - 1] = sw2;
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
    return t->buffer;
}

void transport_end(struct transport *t)
{
    if (!t) return;
    t->command = NULL;
    t->command_len = 0;
    t->reply_len = 0;
    t->state = TRANSPORT_E_STATE;
}

enum transport_status transport_exchange(enum transport_protocol protocol, const uint8_t *apdu,
                                         size_t len, int alt_cla, transport_transmit_fn transmit,
                                         void *ctx, long *transmit_error, uint8_t *buffer,
                                         size_t *reply_len)
{
    enum transport_status status;
    struct transport t;

    if (transmit_error) *transmit_error = 0;
    if (!reply_len || !transmit) return TRANSPORT_E_STATE;
    *reply_len = 0;

    status = transport_begin(&t, protocol, apdu, len, alt_cla, buffer);
    while (status == TRANSPORT_SEND)
    {
        size_t cmd_len, answer_len = TRANSPORT_RECV_SIZE;
        const uint8_t *cmd = transport_command(&t, &cmd_len);
        uint8_t *answer = transport_answer_room(&t);
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
    if (status == TRANSPORT_OK) *reply_len = t.reply_len;
    transport_end(&t);
    return status;
}
