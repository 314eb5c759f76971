/*
 * Growable byte storage with IStream-style range locks (platform neutral)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

/*
 * Storage: data[0..size) is the content, data[size..capacity) is spare
 * room whose bytes are stale; they are zeroed whenever size grows over
 * them.  Capacity grows geometrically (doubling, at least
 * BYTESTORE_MIN_CAPACITY, at most BYTESTORE_MAX_SIZE); truncating to a
 * quarter of the capacity or less gives memory back.  Any failure leaves
 * the store as it was.
 *
 * Locks are the simplest honest in-memory semantics, in the way of an
 * IStream on memory that has one owner:
 *
 *   - the type is exactly one of LOCK_WRITE (1), LOCK_EXCLUSIVE (2) or
 *     LOCK_ONLYONCE (4); anything else, combinations included, is
 *     BYTESTORE_E_INVALID;
 *   - a lock covers [offset, offset + length) and may lie beyond the end of
 *     the data (as file locks may); offset + length is not limited to
 *     BYTESTORE_MAX_SIZE, a range running past 2^64 simply runs to the end;
 *   - a lock that overlaps an existing lock, whatever either type, is
 *     refused with BYTESTORE_E_LOCKED;
 *   - a length of 0 is allowed: the range is empty, so it never overlaps
 *     anything (several may exist at one offset) and it is released like
 *     any other lock;
 *   - unlocking needs a lock with exactly the same offset, length and type,
 *     else BYTESTORE_E_NOT_LOCKED; it removes only that one lock.  A type
 *     that is invalid for locking is BYTESTORE_E_INVALID here as well;
 *   - locks are bookkeeping only: bytestore_read/write/set_size/assign do
 *     not look at them, and they survive changes to the data.
 */

#include "bytestore.h"

#include <stdlib.h>
#include <string.h>

#define BYTESTORE_MIN_CAPACITY 64

#define LOCK_TYPE_WRITE     1u
#define LOCK_TYPE_EXCLUSIVE 2u
#define LOCK_TYPE_ONLYONCE  4u

void bytestore_init(struct bytestore *store)
{
    memset(store, 0, sizeof(*store));
}

void bytestore_free(struct bytestore *store)
{
    free(store->data);
    free(store->locks);
    bytestore_init(store);
}

/* Capacity to allocate for at least size bytes, size <= BYTESTORE_MAX_SIZE. */
static size_t grown_capacity(size_t capacity, size_t size)
{
    size_t cap = capacity < BYTESTORE_MIN_CAPACITY ? BYTESTORE_MIN_CAPACITY : capacity;

    while (cap < size)
    {
        if (cap > BYTESTORE_MAX_SIZE / 2) return BYTESTORE_MAX_SIZE;
        cap *= 2;
    }
    return cap;
}

/* Makes room for size bytes without touching size or the content. */
static enum bytestore_status reserve(struct bytestore *store, size_t size)
{
    size_t cap;
    uint8_t *data;

    if (size > BYTESTORE_MAX_SIZE) return BYTESTORE_E_INVALID;
    if (size <= store->capacity) return BYTESTORE_OK;

    cap = grown_capacity(store->capacity, size);
    if (!(data = realloc(store->data, cap))) return BYTESTORE_E_NOMEM;
    store->data = data;
    store->capacity = cap;
    return BYTESTORE_OK;
}

/* Gives memory back after a truncation; failure to shrink is harmless. */
static void shrink(struct bytestore *store)
{
    uint8_t *data;

    if (store->size > store->capacity / 4) return;
    if (!store->size)
    {
        free(store->data);
        store->data = NULL;
        store->capacity = 0;
        return;
    }
    if ((data = realloc(store->data, store->size)))
    {
        store->data = data;
        store->capacity = store->size;
    }
}

enum bytestore_status bytestore_set_size(struct bytestore *store, size_t size)
{
    enum bytestore_status status;

    if (size > BYTESTORE_MAX_SIZE) return BYTESTORE_E_INVALID;

    if (size > store->size)
    {
        if ((status = reserve(store, size))) return status;
        memset(store->data + store->size, 0, size - store->size);
        store->size = size;
    }
    else if (size < store->size)
    {
        store->size = size;
        shrink(store);
    }
    return BYTESTORE_OK;
}

enum bytestore_status bytestore_write(struct bytestore *store, size_t offset, const void *src, size_t len)
{
    enum bytestore_status status;

    if (offset > BYTESTORE_MAX_SIZE || len > BYTESTORE_MAX_SIZE - offset) return BYTESTORE_E_INVALID;
    if (!len) return BYTESTORE_OK;
    if (!src) return BYTESTORE_E_INVALID;

    if (offset + len > store->size)
    {
        /* src must not point into the store: growing may move the buffer */
        if ((status = reserve(store, offset + len))) return status;
        if (offset > store->size) memset(store->data + store->size, 0, offset - store->size);
        store->size = offset + len;
    }
    memmove(store->data + offset, src, len);
    return BYTESTORE_OK;
}

size_t bytestore_read(const struct bytestore *store, size_t offset, void *dst, size_t len)
{
    size_t count;

    if (offset >= store->size || !len || !dst) return 0;
    count = store->size - offset;
    if (count > len) count = len;
    memcpy(dst, store->data + offset, count);
    return count;
}

enum bytestore_status bytestore_assign(struct bytestore *store, const void *src, size_t len)
{
    uint8_t *data;
    size_t cap;

    if (len > BYTESTORE_MAX_SIZE || (len && !src)) return BYTESTORE_E_INVALID;

    if (len > store->capacity)
    {
        /* a fresh buffer, so src may even be the old content */
        cap = grown_capacity(0, len);
        if (!(data = malloc(cap))) return BYTESTORE_E_NOMEM;
        memcpy(data, src, len);
        free(store->data);
        store->data = data;
        store->capacity = cap;
        store->size = len;
        return BYTESTORE_OK;
    }

    if (len) memmove(store->data, src, len);
    store->size = len;
    shrink(store);
    return BYTESTORE_OK;
}

static int valid_lock_type(uint32_t type)
{
    return type == LOCK_TYPE_WRITE || type == LOCK_TYPE_EXCLUSIVE || type == LOCK_TYPE_ONLYONCE;
}

/* Whether [a, a + alen) and [b, b + blen) share a byte, without computing
 * an end that could wrap.  An empty range shares nothing. */
static int ranges_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    if (!alen || !blen) return 0;
    if (a <= b) return b - a < alen;
    return a - b < blen;
}

enum bytestore_status bytestore_lock_region(struct bytestore *store, uint64_t offset, uint64_t length, uint32_t type)
{
    struct bytestore_lock *locks;
    size_t i, cap;

    if (!valid_lock_type(type)) return BYTESTORE_E_INVALID;

    for (i = 0; i < store->lock_count; i++)
    {
        const struct bytestore_lock *lock = &store->locks[i];
        if (ranges_overlap(lock->offset, lock->length, offset, length)) return BYTESTORE_E_LOCKED;
    }

    if (store->lock_count == store->lock_capacity)
    {
        cap = store->lock_capacity ? store->lock_capacity : 4;
        if (store->lock_capacity)
        {
            if (cap > (size_t)-1 / 2 / sizeof(*locks)) return BYTESTORE_E_NOMEM;
            cap *= 2;
        }
        if (!(locks = realloc(store->locks, cap * sizeof(*locks)))) return BYTESTORE_E_NOMEM;
        store->locks = locks;
        store->lock_capacity = cap;
    }

    store->locks[store->lock_count].offset = offset;
    store->locks[store->lock_count].length = length;
    store->locks[store->lock_count].type = type;
    store->lock_count++;
    return BYTESTORE_OK;
}

enum bytestore_status bytestore_unlock_region(struct bytestore *store, uint64_t offset, uint64_t length, uint32_t type)
{
    size_t i;

    if (!valid_lock_type(type)) return BYTESTORE_E_INVALID;

    for (i = 0; i < store->lock_count; i++)
    {
        const struct bytestore_lock *lock = &store->locks[i];
        if (lock->offset != offset || lock->length != length || lock->type != type) continue;

        memmove(store->locks + i, store->locks + i + 1, (store->lock_count - i - 1) * sizeof(*lock));
        store->lock_count--;
        return BYTESTORE_OK;
    }
    return BYTESTORE_E_NOT_LOCKED;
}
