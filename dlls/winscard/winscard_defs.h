/*
 * WinSCard constants that Wine 8's <winscard.h>/<winsmcrd.h> lack.
 * Values from the public Windows SDK documentation (the same values
 * mingw-w64's headers carry).  Included after <winscard.h> by the
 * bridge and by its tests; every definition is guarded.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINSCARD_DEFS_H
#define __WINSCARD_DEFS_H

#ifndef SCARD_SHARE_EXCLUSIVE
#define SCARD_SHARE_EXCLUSIVE   1
#define SCARD_SHARE_SHARED      2
#define SCARD_SHARE_DIRECT      3
#endif

#ifndef SCARD_LEAVE_CARD
#define SCARD_LEAVE_CARD        0
#define SCARD_RESET_CARD        1
#define SCARD_UNPOWER_CARD      2
#define SCARD_EJECT_CARD        3
#endif

/* SCardStatus card states: an enumeration on Windows */
#ifndef SCARD_ABSENT
#define SCARD_UNKNOWN           0
#define SCARD_ABSENT            1
#define SCARD_PRESENT           2
#define SCARD_SWALLOWED         3
#define SCARD_POWERED           4
#define SCARD_NEGOTIABLE        5
#define SCARD_SPECIFIC          6
#endif

#ifndef SCARD_PROVIDER_PRIMARY
#define SCARD_PROVIDER_PRIMARY  1
#define SCARD_PROVIDER_CSP      2
#endif
#ifndef SCARD_PROVIDER_KSP
#define SCARD_PROVIDER_KSP      3
#endif
#ifndef SCARD_PROVIDER_CARD_MODULE
#define SCARD_PROVIDER_CARD_MODULE 0x80000001
#endif

#ifndef SCARD_ATTR_VALUE
#define SCARD_ATTR_VALUE(class, tag) ((((ULONG)(class)) << 16) | ((ULONG)(tag)))
#endif
#ifndef SCARD_CLASS_VENDOR_INFO
#define SCARD_CLASS_VENDOR_INFO     1
#define SCARD_CLASS_COMMUNICATIONS  2
#define SCARD_CLASS_PROTOCOL        3
#define SCARD_CLASS_POWER_MGMT      4
#define SCARD_CLASS_SECURITY        5
#define SCARD_CLASS_MECHANICAL      6
#define SCARD_CLASS_VENDOR_DEFINED  7
#define SCARD_CLASS_IFD_PROTOCOL    8
#define SCARD_CLASS_ICC_STATE       9
#define SCARD_CLASS_PERF            0x7ffe
#define SCARD_CLASS_SYSTEM          0x7fff
#endif
/* one guard each: a header may define some of these and not others (Wine 10's winscard.h) */
#ifndef SCARD_ATTR_VENDOR_NAME
#define SCARD_ATTR_VENDOR_NAME              SCARD_ATTR_VALUE(SCARD_CLASS_VENDOR_INFO, 0x0100)
#endif
#ifndef SCARD_ATTR_CURRENT_PROTOCOL_TYPE
#define SCARD_ATTR_CURRENT_PROTOCOL_TYPE    SCARD_ATTR_VALUE(SCARD_CLASS_IFD_PROTOCOL, 0x0201)
#endif
#ifndef SCARD_ATTR_ATR_STRING
#define SCARD_ATTR_ATR_STRING               SCARD_ATTR_VALUE(SCARD_CLASS_ICC_STATE, 0x0303)
#endif
#ifndef SCARD_ATTR_DEVICE_FRIENDLY_NAME_A
#define SCARD_ATTR_DEVICE_FRIENDLY_NAME_A   SCARD_ATTR_VALUE(SCARD_CLASS_SYSTEM, 0x0003)
#endif
#ifndef SCARD_ATTR_DEVICE_SYSTEM_NAME_A
#define SCARD_ATTR_DEVICE_SYSTEM_NAME_A     SCARD_ATTR_VALUE(SCARD_CLASS_SYSTEM, 0x0004)
#endif
#ifndef SCARD_ATTR_DEVICE_FRIENDLY_NAME_W
#define SCARD_ATTR_DEVICE_FRIENDLY_NAME_W   SCARD_ATTR_VALUE(SCARD_CLASS_SYSTEM, 0x0005)
#endif
#ifndef SCARD_ATTR_DEVICE_SYSTEM_NAME_W
#define SCARD_ATTR_DEVICE_SYSTEM_NAME_W     SCARD_ATTR_VALUE(SCARD_CLASS_SYSTEM, 0x0006)
#endif

#ifndef FILE_DEVICE_SMARTCARD
#define FILE_DEVICE_SMARTCARD 0x00000031
#endif
#ifndef SCARD_CTL_CODE
#define SCARD_CTL_CODE(code) CTL_CODE(FILE_DEVICE_SMARTCARD, (code), METHOD_BUFFERED, FILE_ANY_ACCESS)
#endif
#ifndef IOCTL_SMARTCARD_GET_ATTRIBUTE
#define IOCTL_SMARTCARD_GET_ATTRIBUTE SCARD_CTL_CODE(2)
#endif

#ifndef SCARD_PCI_T0
#define SCARD_PCI_T0  (&g_rgSCardT0Pci)
#define SCARD_PCI_T1  (&g_rgSCardT1Pci)
#define SCARD_PCI_RAW (&g_rgSCardRawPci)
#endif

#ifndef SCARD_ATR_LENGTH
#define SCARD_ATR_LENGTH 33
#endif

#endif /* __WINSCARD_DEFS_H */
