/*
 * Whether a loaded module is one of Wine's builtin modules (Wine's own
 * winscard.dll rather than the bridge): Wine writes "Wine builtin DLL" into
 * the DOS stub of every builtin PE image, at offset 0x40 of its first page,
 * which is always mapped.  Used by scardssp.dll, the status helper and the
 * tests.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __WINSCARD_BUILTIN_H
#define __WINSCARD_BUILTIN_H

#include <string.h>

static inline BOOL is_wine_builtin(HMODULE module)
{
    static const char stub[] = "Wine builtin DLL";

    return module && !memcmp((const char *)module + 0x40, stub, sizeof(stub) - 1);
}

#endif /* __WINSCARD_BUILTIN_H */
