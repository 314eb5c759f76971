/*
 * scardssp.dll private definitions
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARDSSP_PRIVATE_H
#define __SCARDSSP_PRIVATE_H

#include <stdarg.h>

#define COBJMACROS
#include "windef.h"
#include "winbase.h"
#include "objbase.h"
#include "oleauto.h"
#include "scardssp.h"
#include "pcscvalues.h"
#include "transport.h"

/* The debug macros of wine/debug.h ask debug.c, which keeps the DLL quiet
 * on Windows unless WINEDEBUG is set. */
struct __wine_debug_channel;
unsigned char __cdecl scardssp_dbg_get_channel_flags(struct __wine_debug_channel *channel);
#define __wine_dbg_get_channel_flags scardssp_dbg_get_channel_flags

typedef enum tid_t
{
    IByteBuffer_tid,
    ISCardTypeConv_tid,
    ISCardCmd_tid,
    ISCardISO7816_tid,
    ISCard_tid,
    ISCardDatabase_tid,
    ISCardLocate_tid,
    LAST_tid
} tid_t;

HRESULT get_typeinfo(tid_t tid, ITypeInfo **typeinfo);

/* IDispatch members shared by every object: each object's own
 * GetTypeInfoCount/GetTypeInfo/GetIDsOfNames/Invoke forwards here. */
HRESULT scardssp_get_typeinfo(tid_t tid, UINT index, ITypeInfo **typeinfo);
HRESULT scardssp_get_ids_of_names(tid_t tid, LPOLESTR *names, UINT count, DISPID *dispids);
HRESULT scardssp_invoke(tid_t tid, void *iface, DISPID dispid, WORD flags, DISPPARAMS *params,
                        VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr);
/* The same with the caller's locale, which a member's [lcid] parameter gets
 * (scardssp_invoke() passes LOCALE_USER_DEFAULT): for ISCardDatabase. */
HRESULT scardssp_invoke_lcid(tid_t tid, void *iface, DISPID dispid, LCID lcid, WORD flags, DISPPARAMS *params,
                             VARIANT *result, EXCEPINFO *excepinfo, UINT *argerr);
/* Frees what the IDispatch members keep per interface (at unload). */
void scardssp_dispatch_free(void);

/* Live objects, for DllCanUnloadNow. */
void scardssp_object_created(void);
void scardssp_object_destroyed(void);

HRESULT bytebuffer_create(REFIID riid, void **obj);
/* A new CByteBuffer holding a copy of data[size], its seek pointer at 0:
 * how every object hands bytes out. */
HRESULT bytebuffer_create_with_data(const BYTE *data, size_t size, IByteBuffer **buffer);
/* The whole content of any IByteBuffer, read from offset 0 whatever its seek
 * pointer, which is left where it was: how every object takes bytes in.
 * *data is allocated with malloc() (NULL when *size is 0); free() it. */
HRESULT bytebuffer_read_all(IByteBuffer *buffer, BYTE **data, size_t *size);
/* The size of any IByteBuffer's content, without a copy for our own
 * buffers (another implementation is read whole, as above). */
HRESULT bytebuffer_get_size(IByteBuffer *buffer, size_t *size);

HRESULT typeconv_create(REFIID riid, void **obj);
HRESULT cmd_create(REFIID riid, void **obj);
HRESULT iso7816_create(REFIID riid, void **obj);
HRESULT card_create(REFIID riid, void **obj);
HRESULT database_create(REFIID riid, void **obj);
HRESULT locate_create(REFIID riid, void **obj);

/* The DLL's module (main.c): its resources. */
extern HINSTANCE scardssp_instance;

/* FindCard's flags (Windows' winscard.h; Wine's lacks them). */
#ifndef SC_DLG_MINIMAL_UI
#define SC_DLG_MINIMAL_UI 0x01
#define SC_DLG_NO_UI 0x02
#define SC_DLG_FORCE_UI 0x04
#endif

/* The card-selection dialog of FindCard (selectdlg.c).  wanted: the card
 * names searched for (multi-string); groups: the reader groups
 * (multi-string, NULL for every reader); flags: SC_DLG_MINIMAL_UI or
 * SC_DLG_FORCE_UI; share_mode and protocols in winscard's values.
 * match() tells whether a card (its ATR) is one of wanted, and gives the
 * matching name in name[size].  select_card() establishes *context on the
 * calling thread; S_OK: *card is connected on it; S_FALSE: no dialog could
 * be shown (no display), nothing is open, the caller answers as without
 * UI; SCARD_W_CANCELLED_BY_USER or an error: nothing is open. */
struct select_request
{
    const WCHAR *title;
    const WCHAR *wanted;
    const WCHAR *groups;
    LONG flags;
    DWORD share_mode;
    DWORD protocols;
    BOOL (*match)(const BYTE *atr, DWORD atr_len, const WCHAR *wanted, WCHAR *name, DWORD size);
};
HRESULT select_card(const struct select_request *request, HSCARDCONTEXT *context, HSCARD *card,
        DWORD *active_protocol);

/* For the card object (cmd.c): one exchange of a command.  exchange() gets
 * the command's bytes and its AlternateClassId (-1 when unset) and gives
 * the reply (data + SW1 SW2), which stays valid until cmd_transact returns;
 * on success the reply becomes the command's (ReplyStatus follows,
 * ReplyNad 0), on failure the command's reply is left as it was.  An empty
 * command is E_INVALIDARG, nothing exchanged.  For our own CSCardCmd the
 * whole call holds the command's lock and the command is not copied; any
 * other implementation goes through its get_Apdu, get_AlternateClassId,
 * put_ApduReply and put_ReplyNad. */
typedef HRESULT (*cmd_exchange_fn)(void *ctx, const BYTE *apdu, size_t len, int alt_cla,
                                   const BYTE **reply, size_t *reply_len);
HRESULT cmd_transact(ISCardCmd *iface, cmd_exchange_fn exchange, void *ctx);

/* winscard's values as scardssp sees them (scard.c, core/pcscvalues.h): a
 * Windows winscard and the project's bridge speak Windows' values, a Wine
 * >= 9 builtin winscard pcsc-lite's.
 * scard_hresult: the HRESULT for a winscard return value (SCARD_* codes in
 * Windows' values, Win32 codes through HRESULT_FROM_WIN32).
 * scard_protocols_to_winscard: winscard's protocol mask for scardssp's
 * SCARD_PROTOCOLS value (RAW 0xFF; other values passed on).
 * scard_pci_protocol: the dwProtocol of a SCARD_IO_REQUEST for a
 * connection's protocol (Windows' value, RAW for none).
 * scard_connection_protocol: Windows' value for the protocol winscard
 * reported for a connection made with share_mode and protocols (winscard's
 * values).
 * scard_state: Windows' card state (0 .. 6) for the one winscard
 * reported, given the connection's protocol (Windows' value). */
HRESULT scard_hresult(LONG ret);
DWORD scard_protocols_to_winscard(SCARD_PROTOCOLS protocols);
DWORD scard_pci_protocol(DWORD protocol);
DWORD scard_connection_protocol(DWORD share_mode, DWORD protocols, DWORD reported);
DWORD scard_state(DWORD state, DWORD connection_protocol);
/* The card database (SCardListCardsW, SCardListInterfacesW and
 * SCardGetProviderIdW with no context): winscard's, or the registry's
 * over a Wine builtin winscard, whose card database is stubs. */
LONG scard_list_cards(const BYTE *atr, const GUID *guids, DWORD guid_count, WCHAR *buffer, DWORD *len);
LONG scard_list_interfaces(const WCHAR *card, GUID *buffer, DWORD *count);
LONG scard_get_provider_id(const WCHAR *card, GUID *guid);
/* Whether winscard can be given a caller's card handle without ending the process. */
BOOL scard_handle_plausible(HSCARD handle);
/* Whether share_mode is one a connection may ask for (EXCLUSIVE, SHARED). */
BOOL scard_valid_share_mode(SCARD_SHARE_MODES share_mode);
/* SCardConnectW (protocols in winscard's values); over a Wine builtin
 * winscard, with Windows' behaviour after a RAW connection, which
 * pcsc-lite lacks (core/pcscvalues.h, pcsc_connect; the bridge has it).
 * What it gives back is checked: a handle 0, or a protocol not allowed by
 * scard_valid_connection, is SCARD_F_INTERNAL_ERROR (the handle
 * disconnected, LEAVE); on success *active is in Windows' value
 * (scard_connection_protocol). */
LONG scard_connect(HSCARDCONTEXT context, const WCHAR *reader, DWORD share_mode, DWORD protocols,
        HSCARD *handle, DWORD *active);

/* What winscard writes back, checked before use; what fails is a lie
 * (SCARD_F_INTERNAL_ERROR, never a success).
 * scard_valid_state: a card state as winscard gives it (before scard_state).
 * scard_valid_connection: the protocol in Windows' value (after
 * scard_connection_protocol) of a connection just made with share_mode and
 * protocols (winscard's values): one a connection can have
 * (pcsc_connection_protocol_valid), none only for DIRECT, and one of those
 * asked.
 * scard_valid_atr: an ATR length within the size given, 0 (none) or 2 to
 * CARDTYPE_MAX_ATR bytes (ISO 7816-3).
 * scard_valid_multi_string: a multi-string of len characters written into
 * size: at least one, within size, its last one a terminator, so that
 * nothing reads past it.
 * scard_establish_context: SCardEstablishContext (SCARD_SCOPE_USER), a
 * context 0 being a lie.
 * SCARD_MAX_LIST: the most elements a winscard list may hold (a count
 * beyond it is a lie, whose allocation size could wrap). */
#define SCARD_MAX_LIST 0x100000
BOOL scard_valid_state(DWORD state);
BOOL scard_valid_connection(DWORD share_mode, DWORD protocols, DWORD protocol);
BOOL scard_valid_atr(DWORD len, DWORD size);
BOOL scard_valid_multi_string(const WCHAR *strings, DWORD len, DWORD size);
LONG scard_establish_context(HSCARDCONTEXT *context);

/* For the locate object (database.c).
 * database_strings_from_safearray: the elements of a 1-D SAFEARRAY of
 * BSTR (or of VARIANTs holding BSTRs) as a malloc'ed multi-string.
 * database_guid_from_string: a braced or bare GUID string.
 * database_list_cards: scard_list_cards into a malloc'ed
 * multi-string (*cards NULL when empty).
 * database_list_readers: SCardListReadersW (on context) the same way. */
HRESULT database_strings_from_safearray(SAFEARRAY *array, WCHAR **strings, DWORD *count);
HRESULT database_guid_from_string(const WCHAR *str, GUID *guid);
LONG database_list_cards(const BYTE *atr, const GUID *guids, DWORD guid_count, WCHAR **cards, DWORD *len);
LONG database_list_readers(HSCARDCONTEXT context, const WCHAR *groups, WCHAR **readers, DWORD *len);

#endif /* __SCARDSSP_PRIVATE_H */
