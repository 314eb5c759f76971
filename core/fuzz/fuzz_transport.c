/*
 * libFuzzer target: the T=0/T=1 transport (core/transport.c) against a
 * fuzzed card
 *
 * The input gives the protocol, the alternate class byte, the command APDU
 * (from fields, or raw bytes) and then a script of the card's answers
 * (status words with 61 xx and 6C xx favoured, data of any length up to
 * past TRANSPORT_MAX_REPLY, answers of 0 or 1 byte, transmit failures,
 * each answer repeatable many times).  The card runs
 * transport_exchange() and checks every TPDU it receives against the rules
 * of transport.h, keeping its own account of the reply; the result
 * (status, reply bytes, transmit error) must be what those rules give.
 * The same script is then run through transport_begin/command/feed, which
 * must agree, and the calls out of order must be refused.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "apdu.h"
#include "transport.h"
#include "fuzz.h"

/* One answer of the card's script. */
struct answer
{
    size_t data_len;        /* bytes before the status word (pattern) */
    uint8_t seed;
    int status_len;         /* 2, or 0/1 for an answer without status word */
    uint8_t sw1, sw2;
    long transmit_error;    /* non-zero: the transmit function fails */
    unsigned int repeat;    /* times this answer is given */
};

static struct answer take_answer(struct input *in)
{
    static const uint8_t favoured_sw1[] = {0x61, 0x6c, 0x90, 0x61, 0x6c, 0x62, 0x67, 0x9f};
    struct answer a;
    uint8_t kind = take8(in), r;

    memset(&a, 0, sizeof(a));
    a.status_len = 2;
    a.sw1 = kind & 0x08 ? take8(in) : favoured_sw1[take8(in) & 7];
    a.sw2 = take8(in);
    switch (kind & 7)
    {
    case 0: case 1: case 2:
        break;
    case 3: case 4:
        a.data_len = take8(in);
        a.seed = take8(in);
        break;
    case 5:
        /* long answers, around TRANSPORT_MAX_REPLY */
        a.data_len = (size_t)take16(in) + (take8(in) & 3);
        a.seed = take8(in);
        break;
    case 6:
        a.status_len = take8(in) & 1;
        a.data_len = 0;
        break;
    case 7:
        a.transmit_error = 0x80100000L | take8(in);
        break;
    }
    r = (uint8_t)(kind >> 4);
    a.repeat = 1 + r * r * 5;    /* up to 1126: past TRANSPORT_MAX_EXCHANGES */
    return a;
}

#define MAX_SCRIPT 64

struct card
{
    /* the exchange asked for */
    enum transport_protocol protocol;
    const uint8_t *apdu;
    size_t apdu_len;
    struct apdu fields;
    uint8_t response_cla;
    /* the script */
    struct answer script[MAX_SCRIPT];
    unsigned int script_len, pos, given;
    /* what the card expects next, and its account of the exchange */
    uint8_t expect[APDU_MAX_ENCODED];
    size_t expect_len;
    int expect_has_le;
    uint8_t *reply;
    size_t reply_len;
    unsigned int sent;
    enum transport_status outcome;   /* TRANSPORT_SEND while undecided */
    long transmit_error;
};

/* The next answer of the script (90 00 when it is over). */
static const struct answer *next_answer(struct card *card)
{
    static const struct answer done = {0, 0, 2, 0x90, 0x00, 0, 1};
    const struct answer *a;

    if (card->pos >= card->script_len) return &done;
    a = &card->script[card->pos];
    if (++card->given >= a->repeat)
    {
        card->pos++;
        card->given = 0;
    }
    return a;
}

/* The answer's bytes, within the room a transmit function is given. */
static void make_answer(const struct answer *a, uint8_t *buf, size_t *len)
{
    size_t i, data_len = a->data_len;

    if (data_len > TRANSPORT_RECV_SIZE - a->status_len) data_len = TRANSPORT_RECV_SIZE - a->status_len;
    for (i = 0; i < data_len; i++) buf[i] = (uint8_t)(a->seed + i * 13);
    if (a->status_len > 0) buf[data_len] = a->sw1;
    if (a->status_len > 1) buf[data_len + 1] = a->sw2;
    *len = data_len + a->status_len;
}

/* The first TPDU by transport.h's rules; FALSE when the command cannot be
 * sent (nothing may then be sent at all). */
static int first_tpdu(struct card *card)
{
    const struct apdu *f = &card->fields;
    size_t n = 4;

    if (card->protocol != TRANSPORT_T0)
    {
        memcpy(card->expect, card->apdu, card->apdu_len);
        card->expect_len = card->apdu_len;
        card->expect_has_le = 0;
        return 1;
    }
    if (f->lc > 255) return 0;
    card->expect[0] = f->cla;
    card->expect[1] = f->ins;
    card->expect[2] = f->p1;
    card->expect[3] = f->p2;
    card->expect_has_le = 0;
    if (f->lc)
    {
        /* case 3, and case 4 without its Le */
        card->expect[n++] = (uint8_t)f->lc;
        memcpy(card->expect + n, f->data, f->lc);
        n += f->lc;
    }
    else if (f->le)
    {
        /* case 2: Le 256 and beyond as P3 = 00 */
        card->expect[n++] = f->le >= 256 ? 0 : (uint8_t)f->le;
        card->expect_has_le = 1;
    }
    card->expect_len = n;
    return 1;
}

/* Appends to the card's account; FALSE when the reply grows too long
 * (room kept for a status word still to come). */
static int account(struct card *card, const uint8_t *data, size_t len, size_t reserve)
{
    if (card->reply_len + len + reserve > TRANSPORT_MAX_REPLY) return 0;
    memcpy(card->reply + card->reply_len, data, len);
    card->reply_len += len;
    return 1;
}

static long card_transmit(void *ctx, const uint8_t *cmd, size_t cmd_len, uint8_t *answer, size_t *answer_len)
{
    struct card *card = ctx;
    const struct answer *a;
    struct apdu tpdu;
    size_t len;

    /* nothing more may be sent once the rules say the exchange is over */
    FUZZ_CHECK(card->outcome == TRANSPORT_SEND);
    FUZZ_CHECK(*answer_len == TRANSPORT_RECV_SIZE);
    FUZZ_CHECK(cmd_len == card->expect_len && !memcmp(cmd, card->expect, cmd_len));
    if (card->protocol == TRANSPORT_T0)
    {
        /* a short TPDU */
        FUZZ_CHECK(cmd_len <= 4 + 1 + 255 && apdu_parse(cmd, cmd_len, &tpdu) == APDU_OK);
        FUZZ_CHECK(!apdu_is_extended(&tpdu) && (!tpdu.lc || !tpdu.le));
    }
    card->sent++;
    FUZZ_CHECK(card->sent <= TRANSPORT_MAX_EXCHANGES);

    a = next_answer(card);
    if (a->transmit_error)
    {
        card->outcome = TRANSPORT_E_TRANSMIT;
        card->transmit_error = a->transmit_error;
        return a->transmit_error;
    }
    make_answer(a, answer, &len);
    *answer_len = len;

    if (len < 2)
        card->outcome = TRANSPORT_E_SHORT_REPLY;
    else if (len > TRANSPORT_MAX_REPLY)
        card->outcome = TRANSPORT_E_REPLY_TOO_LONG;
    else if (card->protocol == TRANSPORT_T0 && a->sw1 == 0x61)
    {
        /* the data kept, GET RESPONSE for xx bytes */
        if (!account(card, answer, len - 2, 2)) card->outcome = TRANSPORT_E_REPLY_TOO_LONG;
        else if (card->sent == TRANSPORT_MAX_EXCHANGES) card->outcome = TRANSPORT_E_TOO_MANY_EXCHANGES;
        else
        {
            const uint8_t get_response[5] = {card->response_cla, 0xc0, 0x00, 0x00, a->sw2};

            memcpy(card->expect, get_response, 5);
            card->expect_len = 5;
            card->expect_has_le = 1;
        }
    }
    else if (card->protocol == TRANSPORT_T0 && a->sw1 == 0x6c && card->expect_has_le)
    {
        /* the same TPDU with P3 = xx, this answer's data dropped */
        if (card->sent == TRANSPORT_MAX_EXCHANGES) card->outcome = TRANSPORT_E_TOO_MANY_EXCHANGES;
        else card->expect[card->expect_len - 1] = a->sw2;
    }
    else if (!account(card, answer, len, 0))
        card->outcome = TRANSPORT_E_REPLY_TOO_LONG;
    else
        card->outcome = TRANSPORT_OK;
    return 0;
}

static void card_start(struct card *card)
{
    card->pos = card->given = 0;
    card->reply_len = 0;
    card->sent = 0;
    card->transmit_error = 0;
    card->outcome = first_tpdu(card) ? TRANSPORT_SEND : TRANSPORT_E_INVALID;
}

/* The same exchange through the step-by-step calls. */
static void check_steps(struct card *card, int alt_cla, enum transport_status want,
                        const uint8_t *want_reply, size_t want_len)
{
    static uint8_t buf[TRANSPORT_RECV_SIZE], reply_buf[TRANSPORT_BUFFER_SIZE];
    enum transport_status status;
    const uint8_t *cmd, *reply;
    struct transport t;
    size_t len;

    card_start(card);
    status = transport_begin(&t, card->protocol, card->apdu, card->apdu_len, alt_cla, reply_buf);
    while (status == TRANSPORT_SEND)
    {
        size_t answer_len = TRANSPORT_RECV_SIZE;

        FUZZ_CHECK(!transport_reply(&t, &len) && !len);
        cmd = transport_command(&t, &len);
        FUZZ_CHECK(cmd && len);
        if (card_transmit(card, cmd, len, buf, &answer_len)) break;
        status = transport_feed(&t, buf, answer_len);
        FUZZ_CHECK(status == card->outcome);
    }
    if (want == TRANSPORT_E_TRANSMIT)
        FUZZ_CHECK(status == TRANSPORT_SEND);
    else
        FUZZ_CHECK(status == want);

    if (status == TRANSPORT_OK)
    {
        reply = transport_reply(&t, &len);
        FUZZ_CHECK(reply && len == want_len && !memcmp(reply, want_reply, len));
    }
    if (status != TRANSPORT_SEND)
    {
        /* over: nothing more to send or feed */
        FUZZ_CHECK(!transport_command(&t, &len) && !len);
        FUZZ_CHECK(transport_feed(&t, buf, 2) == TRANSPORT_E_STATE);
    }
    transport_end(&t);
    FUZZ_CHECK(!transport_reply(&t, &len) && !transport_command(&t, &len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static uint8_t account_buf[TRANSPORT_MAX_REPLY];
    static struct card card;
    struct input in = {data, size};
    uint8_t apdu_buf[APDU_MAX_ENCODED], flags, *apdu;
    enum transport_status status;
    static uint8_t buffer[TRANSPORT_BUFFER_SIZE];
    size_t apdu_len, reply_len;
    const uint8_t *reply;
    long error;
    int alt_cla;

    memset(&card, 0, sizeof(card));
    card.reply = account_buf;
    flags = take8(&in);
    card.protocol = (flags & 3) % 3;
    alt_cla = flags & 0x04 ? take8(&in) : flags & 0x08 ? -1 : 0x100 + take8(&in);

    if (flags & 0x10)
    {
        /* raw bytes: malformed commands too */
        apdu_len = take8(&in);
        if (apdu_len > in.size) apdu_len = in.size;
        memcpy(apdu_buf, in.data, apdu_len);
        in.data += apdu_len;
        in.size -= apdu_len;
    }
    else
    {
        struct apdu f;
        size_t lc;

        memset(&f, 0, sizeof(f));
        f.cla = take8(&in);
        f.ins = take8(&in);
        f.p1 = take8(&in);
        f.p2 = take8(&in);
        lc = flags & 0x20 ? take16(&in) : take8(&in);
        f.le = flags & 0x40 ? take16(&in) + (uint32_t)(take8(&in) & 1) : take8(&in);
        if (lc > in.size) lc = in.size;
        f.lc = lc;
        f.data = lc ? in.data : NULL;
        in.data += lc;
        in.size -= lc;
        FUZZ_CHECK(apdu_encode(&f, apdu_buf, sizeof(apdu_buf), &apdu_len) == APDU_OK);
    }
    /* a copy of the exact size, so that ASan sees a read past the end */
    apdu = malloc(apdu_len ? apdu_len : 1);
    memcpy(apdu, apdu_buf, apdu_len);
    card.apdu = apdu;
    card.apdu_len = apdu_len;

    while (in.size && card.script_len < MAX_SCRIPT) card.script[card.script_len++] = take_answer(&in);

    if (apdu_parse(apdu, apdu_len, &card.fields) != APDU_OK)
    {
        status = transport_exchange(card.protocol, apdu, apdu_len, alt_cla, card_transmit, &card, &error,
                                    buffer, &reply_len);
        FUZZ_CHECK(status == TRANSPORT_E_INVALID && !reply_len && !error);
        free(apdu);
        return 0;
    }
    card.response_cla = alt_cla >= 0 && alt_cla <= 0xff ? (uint8_t)alt_cla : card.fields.cla;

    card_start(&card);
    status = transport_exchange(card.protocol, apdu, apdu_len, alt_cla, card_transmit, &card, &error,
                                buffer, &reply_len);
    reply = status == TRANSPORT_OK ? buffer : NULL;
    if (card.outcome == TRANSPORT_E_INVALID) FUZZ_CHECK(!card.sent);
    FUZZ_CHECK(status == card.outcome);
    FUZZ_CHECK(error == card.transmit_error);
    if (status == TRANSPORT_OK)
    {
        FUZZ_CHECK(reply && reply_len == card.reply_len && !memcmp(reply, card.reply, reply_len));
        FUZZ_CHECK(reply_len >= 2 && reply_len <= TRANSPORT_MAX_REPLY);
    }
    else
        FUZZ_CHECK(!reply && !reply_len);

    if (status == TRANSPORT_OK)
    {
        check_steps(&card, alt_cla, status, reply, reply_len);
    }
    else
        check_steps(&card, alt_cla, status, NULL, 0);
    free(apdu);
    return 0;
}
