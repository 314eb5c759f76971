/*
 * PC/SC values that pcsc-lite and Windows spell differently, and
 * scardssp's own (platform neutral): the one home of every conversion
 * between them, used by scardssp.dll (when it talks to a Wine builtin
 * winscard that passes pcsc-lite's values through) and by the winscard
 * bridge (dlls/winscard, which gives Windows' values to its callers).
 *
 * Windows                          pcsc-lite (Linux)
 *  card state: an enumeration       a bit field
 *   SCARD_UNKNOWN 0 .. SPECIFIC 6    UNKNOWN 0x1, ABSENT 0x2, PRESENT 0x4,
 *                                    SWALLOWED 0x8, POWERED 0x10,
 *                                    NEGOTIABLE 0x20, SPECIFIC 0x40 (never
 *                                    set by pcsc-lite 2.x after a connect)
 *  SCARD_PROTOCOL_RAW 0x10000       0x4
 *  SCARD_PROTOCOL_DEFAULT 0x80000000 (none: T0|T1 asks the same)
 *  SCARD_E_UNSUPPORTED_FEATURE      0x8010001F (Windows' 0x80100022)
 *  IOCTL_SMARTCARD_* control codes  0x42000000 + n
 * Share modes, dispositions, T0 (1), T1 (2) and every other error code are
 * the same in both.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef SCARDSSP_CORE_PCSCVALUES_H
#define SCARDSSP_CORE_PCSCVALUES_H

#include <stdint.h>

#define WIN_SHARE_DIRECT          3u
#define WIN_PROTOCOL_T0           0x1u
#define WIN_PROTOCOL_T1           0x2u
#define WIN_PROTOCOL_RAW          0x10000u
#define WIN_PROTOCOL_DEFAULT      0x80000000u
#define WIN_E_UNSUPPORTED_FEATURE 0x80100022u
#define PCSC_PROTOCOL_RAW         0x4u
#define PCSC_E_UNSUPPORTED_FEATURE 0x8010001fu
#define PCSC_E_PROTO_MISMATCH     0x8010000fu

/* scardssp's RAW in SCARD_PROTOCOLS (the type library's value) */
#define SSP_PROTOCOL_RAW          0xffu

/* A Windows protocol mask for pcsc-lite: RAW 0x10000 becomes 0x4, DEFAULT
 * becomes T0|T1; every other bit is passed on as it is (pcsc-lite judges
 * it). */
uint32_t pcsc_protocols_from_win(uint32_t protocols);

/* An active protocol from pcsc-lite in Windows' value: 0x4 becomes RAW
 * 0x10000; every other value is the same. */
uint32_t pcsc_protocol_to_win(uint32_t protocol);

/* The protocol of a connection in Windows' value, from what pcsc-lite's
 * SCardConnect/SCardReconnect/SCardStatus reported: Windows negotiates
 * nothing for a DIRECT connection asked with no protocol (0, undefined),
 * where pcsc-lite reports the protocol the card already has. */
uint32_t pcsc_connection_protocol(uint32_t share_mode, uint32_t win_protocols, uint32_t pcsc_protocol);

/* Whether a connection's protocol in Windows' value (as
 * pcsc_connection_protocol gives it) is one a connection can have: none
 * (0), T0, T1 or RAW.  Any other is a value no winscard gives. */
int pcsc_connection_protocol_valid(uint32_t win_protocol);

/* Windows' card state (SCARD_UNKNOWN 0 .. SCARD_SPECIFIC 6) for pcsc-lite's
 * bit field: the most advanced state whose bit is set, 0 for none; and
 * SPECIFIC for NEGOTIABLE when the connection has an active protocol
 * (connection_protocol, Windows' value, non-zero), as Windows reports a
 * connected card. */
uint32_t pcsc_state_to_win(uint32_t state, uint32_t connection_protocol);

/* Windows' code for a pcsc-lite return value (0x8010001F becomes
 * 0x80100022; every other value is the same). */
uint32_t pcsc_error_to_win(uint32_t code);

/* A Windows control code, CTL_CODE(FILE_DEVICE_SMARTCARD, n,
 * METHOD_BUFFERED, any access), as pcsc-lite's 0x42000000 + n (n's low 12
 * bits); any other code (one read from a reader's feature list is already
 * in pcsc-lite's form) unchanged. */
uint32_t pcsc_control_code_from_win(uint32_t code);

/* Whether a winscard return value (either spelling) says that the
 * context, or the resource manager behind it, is gone, so that a new
 * context may help: SCARD_E_NO_SERVICE, SCARD_E_SERVICE_STOPPED,
 * SCARD_E_INVALID_HANDLE, ERROR_INVALID_HANDLE (6, what Windows and Wine
 * give for a handle they do not know), and SCARD_W_SECURITY_VIOLATION,
 * pcsc-lite's code for a socket the resource manager reset as it went
 * away. */
int pcsc_context_lost(uint32_t code);

/* One winscard connection call of pcsc_connect's, made by its caller with
 * pcsc-lite's values (protocols T0 1, T1 2, RAW 4); each returns
 * pcsc-lite's code. */
struct pcsc_connect_calls
{
    void *ctx;
    uint32_t (*connect)(void *ctx, uint32_t share_mode, uint32_t protocols, uint64_t *card, uint32_t *active);
    uint32_t (*reconnect)(void *ctx, uint64_t card, uint32_t share_mode, uint32_t protocols,
                          uint32_t initialization, uint32_t *active);
    uint32_t (*disconnect)(void *ctx, uint64_t card, uint32_t disposition);
};

/* SCardConnect with Windows' behaviour after a RAW connection.  pcsc-lite
 * (issue #49; measured through vpcd with 1.9.9 and 2.3.3) leaves a card
 * in RAW once a SCARD_PROTOCOL_RAW connection was made: until the card is
 * reset (1.9.9: or powered down when idle), every connect asking T=0/T=1 fails
 * with SCARD_E_PROTO_MISMATCH, in every process; on Windows the next
 * program connects.  So when such a connect fails with that code, the
 * card's protocol is RAW (a DIRECT connection reports it) and an EXCLUSIVE
 * connection succeeds (nobody else holds the card), that connection is
 * reconnected with a reset and the share mode and protocols asked for.
 * A card someone else holds is never reset (their connection keeps its
 * state, the connect keeps SCARD_E_PROTO_MISMATCH), nor a card in T=0 or
 * T=1 (its SCARD_E_PROTO_MISMATCH is the card's answer).  DIRECT
 * connections and masks with RAW are made as asked, once. */
uint32_t pcsc_connect(const struct pcsc_connect_calls *calls, uint32_t share_mode, uint32_t protocols,
                      uint64_t *card, uint32_t *active);

/* The Windows protocol mask for scardssp's SCARD_PROTOCOLS value: RAW
 * (0xFF) is WIN_PROTOCOL_RAW; every other value is passed on as it is, so
 * that PC/SC's own masks (DEFAULT, 0x10000, T0|T1, 0 with a DIRECT share
 * mode) reach winscard, which judges them. */
uint32_t ssp_protocols_to_win(uint32_t protocols);

/* scardssp's protocol (T0 1, T1 2, RAW 0xFF) for an active Windows
 * protocol; 0 for none or any other. */
uint32_t ssp_protocol_from_win(uint32_t protocol);

#endif
