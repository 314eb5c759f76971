/*
 * PC/SC values that pcsc-lite and Windows spell differently, and
 * scardssp's own (platform neutral); see pcscvalues.h
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stddef.h>

#include "pcscvalues.h"

#define FILE_DEVICE_SMARTCARD 0x31u
#define PCSC_CTL_CODE_BASE    0x42000000u
/* the same in both */
#define PCSC_SHARE_EXCLUSIVE  1u
#define PCSC_LEAVE_CARD       0u
#define PCSC_RESET_CARD       1u

uint32_t pcsc_protocols_from_win(uint32_t protocols)
{
    uint32_t ret = protocols & ~(WIN_PROTOCOL_RAW | WIN_PROTOCOL_DEFAULT);

    if (protocols & WIN_PROTOCOL_RAW) ret |= PCSC_PROTOCOL_RAW;
    if (protocols & WIN_PROTOCOL_DEFAULT) ret |= WIN_PROTOCOL_T0 | WIN_PROTOCOL_T1;
    return ret;
}

uint32_t pcsc_protocol_to_win(uint32_t protocol)
{
    return protocol == PCSC_PROTOCOL_RAW ? WIN_PROTOCOL_RAW : protocol;
}

uint32_t pcsc_connection_protocol(uint32_t share_mode, uint32_t win_protocols, uint32_t pcsc_protocol)
{
    if (share_mode == WIN_SHARE_DIRECT && !win_protocols) return 0;
    return pcsc_protocol_to_win(pcsc_protocol);
}

int pcsc_connection_protocol_valid(uint32_t win_protocol)
{
    return !win_protocol || win_protocol == WIN_PROTOCOL_T0 || win_protocol == WIN_PROTOCOL_T1
           || win_protocol == WIN_PROTOCOL_RAW;
}

uint32_t pcsc_state_to_win(uint32_t state, uint32_t connection_protocol)
{
    static const uint32_t bits[] =
    {
        0x40,  /* 6 SCARD_SPECIFIC */
        0x20,  /* 5 SCARD_NEGOTIABLE */
        0x10,  /* 4 SCARD_POWERED */
        0x08,  /* 3 SCARD_SWALLOWED */
        0x04,  /* 2 SCARD_PRESENT */
        0x02,  /* 1 SCARD_ABSENT */
    };
    size_t i;

    for (i = 0; i < sizeof(bits) / sizeof(bits[0]); i++)
    {
        if (!(state & bits[i])) continue;
        if (bits[i] == 0x20 && connection_protocol) return 6;
        return 6 - i;
    }
    return 0;
}

uint32_t pcsc_error_to_win(uint32_t code)
{
    return code == PCSC_E_UNSUPPORTED_FEATURE ? WIN_E_UNSUPPORTED_FEATURE : code;
}

uint32_t pcsc_control_code_from_win(uint32_t code)
{
    if ((code & 0xffff0003u) == (FILE_DEVICE_SMARTCARD << 16)) return PCSC_CTL_CODE_BASE + ((code >> 2) & 0xfff);
    return code;
}

int pcsc_context_lost(uint32_t code)
{
    switch (code)
    {
    case 0x8010001du:   /* SCARD_E_NO_SERVICE */
    case 0x8010001eu:   /* SCARD_E_SERVICE_STOPPED */
    case 0x80100003u:   /* SCARD_E_INVALID_HANDLE */
    case 6:             /* ERROR_INVALID_HANDLE */
    case 0x8010006au:   /* SCARD_W_SECURITY_VIOLATION */
        return 1;
    }
    return 0;
}

uint32_t pcsc_connect(const struct pcsc_connect_calls *calls, uint32_t share_mode, uint32_t protocols,
                      uint64_t *card, uint32_t *active)
{
    uint64_t probe;
    uint32_t ret, status, card_protocol;

    ret = calls->connect(calls->ctx, share_mode, protocols, card, active);
    if (ret != PCSC_E_PROTO_MISMATCH || share_mode == WIN_SHARE_DIRECT || (protocols & PCSC_PROTOCOL_RAW)
        || !(protocols & (WIN_PROTOCOL_T0 | WIN_PROTOCOL_T1)))
        return ret;

    /* a DIRECT connection reports the card's protocol: another is the
     * card's own answer */
    if (calls->connect(calls->ctx, WIN_SHARE_DIRECT, 0, &probe, &card_protocol)) return ret;
    calls->disconnect(calls->ctx, probe, PCSC_LEAVE_CARD);
    if (card_protocol != PCSC_PROTOCOL_RAW) return ret;

    /* held by nobody else (an exclusive connection says so): reset it */
    if (calls->connect(calls->ctx, PCSC_SHARE_EXCLUSIVE, PCSC_PROTOCOL_RAW, &probe, &card_protocol)) return ret;
    if ((status = calls->reconnect(calls->ctx, probe, share_mode, protocols, PCSC_RESET_CARD, active)))
    {
        calls->disconnect(calls->ctx, probe, PCSC_LEAVE_CARD);
        return status;
    }
    *card = probe;
    return 0;
}

uint32_t ssp_protocols_to_win(uint32_t protocols)
{
    return protocols == SSP_PROTOCOL_RAW ? WIN_PROTOCOL_RAW : protocols;
}

uint32_t ssp_protocol_from_win(uint32_t protocol)
{
    if (protocol == WIN_PROTOCOL_T0 || protocol == WIN_PROTOCOL_T1) return protocol;
    return protocol == WIN_PROTOCOL_RAW ? SSP_PROTOCOL_RAW : 0;
}
