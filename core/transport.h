/*
 * APDU transport rules for ISCard::Transaction (platform neutral)
 *
 * One exchange turns the caller's command APDU into the commands the card
 * really receives (TPDUs) and the card's answers into the one reply the
 * caller sees: the response data of every answer joined, then the final
 * SW1 SW2.  It is a small state machine: transport_begin() takes the
 * command, transport_command() gives the next bytes to send, and
 * transport_feed() takes the card's answer to them and says whether to send
 * again (TRANSPORT_SEND), whether the reply is complete (TRANSPORT_OK,
 * transport_reply()), or why the exchange failed.  transport_exchange()
 * drives it with a transmit function.
 *
 * T=0 (ISO 7816-3 / 7816-4 rules; the card object applies them, not the
 * reader driver):
 *  - case 1 and short case 3 are sent as they are; short case 2 too (Le 256
 *    as P3 = 00);
 *  - case 4 is sent as case 3: the Le field is left off;
 *  - extended case 2 (Le > 256) is sent as short case 2 with P3 = 00, and
 *    the rest comes through GET RESPONSE;
 *  - extended case 4 whose data fits a short Lc (<= 255) is sent as short
 *    case 3; the rest comes through GET RESPONSE;
 *  - a command with more than 255 data bytes cannot be carried by a T=0
 *    TPDU (ENVELOPE chaining is not done): TRANSPORT_E_INVALID, nothing is
 *    sent;
 *  - answer 61 xx: the data before it is kept and GET RESPONSE
 *    "CLA C0 00 00 xx" is sent (xx = 00 asks for 256 bytes), CLA being the
 *    alternate class byte when one is given, else the command's CLA; this
 *    repeats as long as the card answers 61 xx;
 *  - answer 6C xx to a TPDU that carries an Le (case 2, GET RESPONSE
 *    included): the same TPDU is sent again with P3 = xx, the answer's own
 *    bytes dropped; 6C xx to a TPDU without Le (case 1 or 3) is a final
 *    status like any other;
 *  - every other answer ends the exchange: its data is appended and its
 *    SW1 SW2 is the final status.
 * T=1 and RAW: the command is sent as built (short or extended, bytes as
 * given), once; the answer is the reply.
 *
 * Bounds, each a defined error:
 *  - an answer shorter than 2 bytes (no status word): TRANSPORT_E_SHORT_REPLY;
 *  - a reply (joined data + SW1 SW2) over TRANSPORT_MAX_REPLY = 65538 bytes:
 *    TRANSPORT_E_REPLY_TOO_LONG (a transmit function offers
 *    TRANSPORT_RECV_SIZE bytes per answer so that an over-long answer is
 *    seen as such);
 *  - more than TRANSPORT_MAX_EXCHANGES commands sent for one APDU (a card
 *    answering 61 xx or 6C xx forever): TRANSPORT_E_TOO_MANY_EXCHANGES.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef SCARDSSP_CORE_TRANSPORT_H
#define SCARDSSP_CORE_TRANSPORT_H

#include <stddef.h>
#include <stdint.h>

#define TRANSPORT_MAX_REPLY      (65536u + 2u)
#define TRANSPORT_RECV_SIZE      (TRANSPORT_MAX_REPLY + 1u)
#define TRANSPORT_MAX_EXCHANGES  1024u
/* the reply's data so far (at most 65536 bytes while a follow-up is due)
 * and room for a whole answer behind it */
#define TRANSPORT_BUFFER_SIZE    (TRANSPORT_MAX_REPLY - 2u + TRANSPORT_RECV_SIZE)

enum transport_protocol
{
    TRANSPORT_T0,
    TRANSPORT_T1,
    TRANSPORT_RAW,
};

enum transport_status
{
    TRANSPORT_OK = 0,                    /* the reply is complete */
    TRANSPORT_SEND = 1,                  /* send transport_command(), feed the answer */
    TRANSPORT_E_INVALID = -1,            /* malformed command, or one T=0 cannot carry */
    TRANSPORT_E_SHORT_REPLY = -3,        /* an answer of 0 or 1 byte */
    TRANSPORT_E_REPLY_TOO_LONG = -4,     /* over TRANSPORT_MAX_REPLY */
    TRANSPORT_E_TOO_MANY_EXCHANGES = -5, /* over TRANSPORT_MAX_EXCHANGES */
    TRANSPORT_E_TRANSMIT = -6,           /* the transmit function failed (transport_exchange) */
    TRANSPORT_E_STATE = -7,              /* called out of order */
};

struct transport
{
    enum transport_protocol protocol;
    uint8_t response_cla;    /* CLA of GET RESPONSE */
    const uint8_t *command;  /* the next TPDU: the caller's APDU, or tpdu[] */
    size_t command_len;
    int command_has_le;      /* its P3 is an Le (6C xx can be honoured) */
    uint8_t tpdu[4 + 1 + 255];
    uint8_t *buffer;         /* the caller's, TRANSPORT_BUFFER_SIZE bytes */
    size_t reply_len;        /* data so far; data + SW1 SW2 once complete */
    unsigned int exchanges;  /* answers taken so far */
    enum transport_status state;
};

/* Starts an exchange for apdu[len], which must stay as it is until the
 * exchange ends (T=1 and RAW send it without a copy).  alt_cla is the CLA
 * for GET RESPONSE, or -1 to use the command's own.  buffer[] (at least
 * TRANSPORT_BUFFER_SIZE bytes, the caller's, reusable from one exchange to
 * the next) is where the reply is assembled; nothing is allocated.
 * Returns TRANSPORT_SEND or TRANSPORT_E_INVALID. */
enum transport_status transport_begin(struct transport *t, enum transport_protocol protocol,
                                      const uint8_t *apdu, size_t len, int alt_cla, uint8_t *buffer);

/* The bytes to send next (valid until the next transport_feed()), or NULL
 * when the state is not TRANSPORT_SEND. */
const uint8_t *transport_command(struct transport *t, size_t *len);

/* Where the card's next answer goes without a copy: the end of the reply
 * so far in the caller's buffer, with TRANSPORT_RECV_SIZE bytes of room.
 * NULL when the state is not TRANSPORT_SEND. */
uint8_t *transport_answer_room(struct transport *t);

/* The card's answer to transport_command(), anywhere (it is moved into
 * place unless it is already at transport_answer_room()).  Returns
 * TRANSPORT_SEND (send the new transport_command()), TRANSPORT_OK or an
 * error; errors are final. */
enum transport_status transport_feed(struct transport *t, const uint8_t *answer, size_t len);

/* The reply (data + SW1 SW2) once transport_feed() returned TRANSPORT_OK,
 * else NULL. */
const uint8_t *transport_reply(struct transport *t, size_t *len);

/* Ends the exchange; the structure may be begun again. */
void transport_end(struct transport *t);

/* Sends cmd[cmd_len] and stores the answer in answer[*answer_len] (in: the
 * room, TRANSPORT_RECV_SIZE; out: the length, which is above the room when
 * the answer did not fit).  Returns 0 on success, else an error code of the
 * caller's own that transport_exchange() hands back. */
typedef long (*transport_transmit_fn)(void *ctx, const uint8_t *cmd, size_t cmd_len,
                                      uint8_t *answer, size_t *answer_len);

/* A whole exchange through transmit, the answers received straight into
 * buffer[] (TRANSPORT_BUFFER_SIZE bytes): no allocation, no copy.  On
 * TRANSPORT_OK the reply is buffer[*reply_len].  On TRANSPORT_E_TRANSMIT
 * *transmit_error has the transmit function's code. */
enum transport_status transport_exchange(enum transport_protocol protocol, const uint8_t *apdu,
                                         size_t len, int alt_cla, transport_transmit_fn transmit,
                                         void *ctx, long *transmit_error, uint8_t *buffer,
                                         size_t *reply_len);

#endif
