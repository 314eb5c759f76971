/*
 * What the fault-injecting winscard.dll (tests/faultinj/double) and its
 * driver (tests/faultinj/faultinj.c) share: the winscard functions the
 * double counts, the kinds of fault it injects into the N-th call, the
 * readers and cards it simulates, and its control exports.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARDSSP_FAULTINJ_H
#define __SCARDSSP_FAULTINJ_H

enum fault_function
{
    FN_ESTABLISH, FN_RELEASE, FN_LIST_READERS, FN_LIST_GROUPS, FN_LIST_CARDS, FN_LIST_INTERFACES,
    FN_PROVIDER_ID, FN_STATUS_CHANGE, FN_CONNECT, FN_RECONNECT, FN_DISCONNECT, FN_BEGIN, FN_END,
    FN_STATUS, FN_TRANSMIT,
    FN_COUNT
};

/* Every kind of answer the double can give instead of the true one.  Which
 * apply to which function: fault_applies() (the double). */
enum fault_kind
{
    /* any function: an error code, the call doing nothing (release and
     * disconnect still release, so that the code is the only lie) */
    K_ERR_INTERNAL,         /* SCARD_F_INTERNAL_ERROR */
    K_ERR_NO_SERVICE,       /* SCARD_E_NO_SERVICE */
    K_ERR_INVALID_HANDLE,   /* SCARD_E_INVALID_HANDLE */
    K_ERR_REMOVED,          /* SCARD_W_REMOVED_CARD */
    K_ERR_WIN32,            /* ERROR_INVALID_HANDLE, a Win32 code */
    K_ERR_INSUFFICIENT,     /* SCARD_E_INSUFFICIENT_BUFFER */
    K_ERR_GARBAGE,          /* 0x12345678, no code at all */
    K_DELAY,                /* the true answer, 20 ms late */
    /* success with a lie in what is written back */
    K_ZERO_HANDLE,          /* establish, connect: handle 0 */
    K_BAD_PROTOCOL,         /* connect, reconnect, status: protocol 0x777 */
    K_UNASKED_PROTOCOL,     /* connect, reconnect: RAW although not asked */
    K_BAD_STATE,            /* status: state 0x99 */
    K_SIZE_2_31,            /* lists: a count of 0x80000001 */
    K_SIZE_2_32,            /* lists: a count of 0xffffffff */
    K_FILL_LONG,            /* lists: the fill call reports 64 more than its buffer, no final terminator */
    K_UNTERMINATED,         /* lists, status names: the buffer filled with 'X', no terminator */
    K_SHORT,                /* lists: the true list, its last terminator not counted */
    K_ZERO_LENGTH,          /* multi-string lists: a length of 0 */
    K_GROW,                 /* lists: the sizing call says 4 less (a list that grew meanwhile) */
    K_NAMES_LONG,           /* status: names length 1000, more than the buffer */
    K_ATR_LONG,             /* status, status change: 40 bytes of ATR */
    K_ATR_HUGE,             /* status, status change: ATR length 0x80000000 */
    K_ATR_SHORT,            /* status, status change: ATR length 1 */
    K_RECV_LONG,            /* transmit: 10 bytes more than the receive buffer */
    K_RECV_HUGE,            /* transmit: 0xffffffff bytes */
    K_RECV_SHORT,           /* transmit: 1 byte */
    K_RECV_ZERO,            /* transmit: 0 bytes */
    K_SW_61FF,              /* transmit: 61 FF instead of the answer */
    K_SW_6C00,              /* transmit: 6C 00 instead of the answer */
    K_SW_6101_ENDLESS,      /* transmit: this and every later answer one byte and 61 01 */
    K_SW_6C01_ENDLESS,      /* transmit: this and every later answer 6C 01 */
    K_COUNT
};

/* The simulated readers: a T=0 card in the first, a T=1 card in the
 * second; each card's name in the card database, by its ATR. */
#define FAULT_READER_T0 L"Fault Reader T0"
#define FAULT_READER_T1 L"Fault Reader T1"
#define FAULT_READERS FAULT_READER_T0 L"\0" FAULT_READER_T1 L"\0"
#define FAULT_GROUPS L"SCard$DefaultReaders\0"
#define FAULT_CARD_T0 L"Fault Card"
#define FAULT_CARD_T1 L"Other Card"
#define FAULT_CARDS FAULT_CARD_T0 L"\0" FAULT_CARD_T1 L"\0"
#define FAULT_ATR_T0 {0x3b, 0x02, 0x14, 0x50}
#define FAULT_ATR_T1 {0x3b, 0x81, 0x80, 0x01, 0x80, 0x80}
#define FAULT_INTERFACE L"{12345678-9ABC-DEF0-1234-56789ABCDEF0}"
#define FAULT_PROVIDER {0x0fedcba9, 0x8765, 0x4321, {1, 2, 3, 4, 5, 6, 7, 8}}
/* The bytes a T=1 case 2 command or a T=0 GET CHALLENGE (8 bytes) gets. */
#define FAULT_PATTERN(i) ((BYTE)((i) * 7 + 3))

/* The double's control exports (the driver finds them with GetProcAddress):
 *   fault_set(call, kind): from now on, the call-th winscard call (1-based)
 *     gets that kind of answer; call 0 means none; the call count restarts;
 *   fault_calls(): winscard calls since fault_set;
 *   fault_function(n): the function of the n-th call (-1 if none);
 *   fault_applies(function, kind): whether the kind lies for that function;
 *   fault_open(): contexts and cards still open; fault_close_all() then
 *     forgets them (so that one run's leak does not fail the next);
 *   fault_last_sw(): the status word of the last answer the double gave. */
typedef void (WINAPI *fault_set_func)(LONG call, LONG kind);
typedef LONG (WINAPI *fault_calls_func)(void);
typedef LONG (WINAPI *fault_function_func)(LONG n);
typedef BOOL (WINAPI *fault_applies_func)(LONG function, LONG kind);
typedef LONG (WINAPI *fault_open_func)(void);
typedef void (WINAPI *fault_close_all_func)(void);
typedef WORD (WINAPI *fault_last_sw_func)(void);

#endif /* __SCARDSSP_FAULTINJ_H */
