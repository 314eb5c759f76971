/*
 * Growable byte storage with IStream-style range locks (platform neutral)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef SCARDSSP_CORE_BYTESTORE_H
#define SCARDSSP_CORE_BYTESTORE_H

#include <stddef.h>
#include <stdint.h>

/* Sizes are limited to what a signed 32-bit LONG can address. */
#define BYTESTORE_MAX_SIZE 0x7fffffffu

enum bytestore_status
{
    BYTESTORE_OK = 0,
    BYTESTORE_E_NOMEM = -1,
    BYTESTORE_E_INVALID = -2,    /* size or offset beyond BYTESTORE_MAX_SIZE, bad lock type */
    BYTESTORE_E_LOCKED = -3,     /* range overlaps an existing lock (of any type) */
    BYTESTORE_E_NOT_LOCKED = -4, /* unlock with no exactly matching lock */
};

struct bytestore_lock
{
    uint64_t offset, length;
    uint32_t type;               /* 1 write, 2 exclusive, 4 only once (STGM LOCK_* values) */
};

struct bytestore
{
    uint8_t *data;
    size_t size, capacity;
    struct bytestore_lock *locks;
    size_t lock_count, lock_capacity;
};

void bytestore_init(struct bytestore *store);
void bytestore_free(struct bytestore *store);

/* Grows (new bytes are zero) or truncates. */
enum bytestore_status bytestore_set_size(struct bytestore *store, size_t size);
/* Writes len bytes at offset, growing the store; a gap is zero-filled.
 * len == 0 never grows the store.  When the write grows the store, src
 * must not point into it (the buffer may move). */
enum bytestore_status bytestore_write(struct bytestore *store, size_t offset, const void *src, size_t len);
/* Copies up to len bytes from offset; returns the count (0 at or past the end). */
size_t bytestore_read(const struct bytestore *store, size_t offset, void *dst, size_t len);
/* Replaces the whole content with a copy of src[len]. */
enum bytestore_status bytestore_assign(struct bytestore *store, const void *src, size_t len);

/* Records a lock on [offset, offset + length), which may lie beyond the
 * data; type is exactly one of 1, 2, 4.  Any overlap with an existing lock,
 * whatever the types, is BYTESTORE_E_LOCKED.  length 0 is allowed and
 * overlaps nothing.  Locks are bookkeeping only: reads and writes ignore
 * them. */
enum bytestore_status bytestore_lock_region(struct bytestore *store, uint64_t offset, uint64_t length, uint32_t type);
/* Removes the lock with exactly these three values (one of them, if
 * several zero-length locks match). */
enum bytestore_status bytestore_unlock_region(struct bytestore *store, uint64_t offset, uint64_t length, uint32_t type);

#endif
