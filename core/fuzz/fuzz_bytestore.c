/*
 * libFuzzer target: byte-store operation sequences (core/bytestore.c)
 * checked against a model
 *
 * The input is a program of operations (set_size, write, read, assign,
 * writes and assigns from the store's own bytes, lock, unlock) with
 * arguments taken from the following bytes.  A model keeps the content as a
 * plain array and the locks as a plain list; after every operation the
 * store's result, content and lock set must be the model's.  Sizes that
 * bytestore.h accepts stay small (the model holds them); the sizes it must
 * refuse (past BYTESTORE_MAX_SIZE) are tried as well.  Lock ranges use the
 * whole 64-bit space, overlaps computed without wrapping.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bytestore.h"
#include "fuzz.h"

#define MODEL_MAX_SIZE  8192u
#define MODEL_MAX_LOCKS 64u

struct model
{
    uint8_t data[MODEL_MAX_SIZE];
    size_t size;
    struct bytestore_lock locks[MODEL_MAX_LOCKS];
    size_t lock_count;
};

static uint64_t take64(struct input *in)
{
    uint64_t v = 0;
    int i;

    for (i = 0; i < 8; i++) v = v << 8 | take8(in);
    return v;
}

/* A size or offset: mostly within the model, now and then one that the
 * store must refuse. */
static size_t take_size(struct input *in)
{
    static const size_t refused[] =
    {
        (size_t)BYTESTORE_MAX_SIZE + 1, (size_t)BYTESTORE_MAX_SIZE + 2, (size_t)UINT32_MAX,
        SIZE_MAX, SIZE_MAX / 2, SIZE_MAX - MODEL_MAX_SIZE,
    };
    uint16_t v = take16(in);

    if (v >= 0xfff0) return refused[(v - 0xfff0) % (sizeof(refused) / sizeof(refused[0]))];
    return v % (MODEL_MAX_SIZE + 1);
}

/* A lock offset or length: small, or from all 64 bits near the edges. */
static uint64_t take_range(struct input *in)
{
    uint8_t kind = take8(in);

    switch (kind >> 6)
    {
    case 0: return kind & 0x3f;
    case 1: return take16(in);
    case 2: return UINT64_MAX - (kind & 0x3f);
    default: return take64(in);
    }
}

static void fill(uint8_t *buf, size_t len, uint8_t seed)
{
    size_t i;

    for (i = 0; i < len; i++) buf[i] = (uint8_t)(seed + i * 31);
}

static int model_overlap(uint64_t a, uint64_t alen, uint64_t b, uint64_t blen)
{
    /* [a, a + alen) and [b, b + blen) in 65-bit arithmetic */
    unsigned __int128 a_end = (unsigned __int128)a + alen, b_end = (unsigned __int128)b + blen;

    return alen && blen && a < b_end && b < a_end;
}

static int valid_type(uint32_t type)
{
    return type == 1 || type == 2 || type == 4;
}

static int compare_locks(const void *a, const void *b)
{
    const struct bytestore_lock *x = a, *y = b;

    if (x->offset != y->offset) return x->offset < y->offset ? -1 : 1;
    if (x->length != y->length) return x->length < y->length ? -1 : 1;
    return x->type < y->type ? -1 : x->type > y->type;
}

static void check_same(const struct bytestore *store, struct model *model)
{
    struct bytestore_lock sorted[MODEL_MAX_LOCKS];
    uint8_t probe[1];
    size_t i;

    FUZZ_CHECK(store->size == model->size);
    FUZZ_CHECK(store->size <= store->capacity);
    FUZZ_CHECK(!store->size || !memcmp(store->data, model->data, model->size));
    FUZZ_CHECK(bytestore_read(store, store->size, probe, 1) == 0);

    FUZZ_CHECK(store->lock_count == model->lock_count);
    FUZZ_CHECK(store->lock_count <= store->lock_capacity);
    if (!model->lock_count) return;
    memcpy(sorted, store->locks, model->lock_count * sizeof(*sorted));
    qsort(sorted, model->lock_count, sizeof(*sorted), compare_locks);
    qsort(model->locks, model->lock_count, sizeof(*sorted), compare_locks);
    for (i = 0; i < model->lock_count; i++) FUZZ_CHECK(!compare_locks(&sorted[i], &model->locks[i]));
}

/* set_size */
static void op_set_size(struct bytestore *store, struct model *model, struct input *in)
{
    size_t size = take_size(in);
    enum bytestore_status status = bytestore_set_size(store, size);

    if (size > BYTESTORE_MAX_SIZE)
    {
        FUZZ_CHECK(status == BYTESTORE_E_INVALID);
        return;
    }
    FUZZ_CHECK(status == BYTESTORE_OK);
    if (size > model->size) memset(model->data + model->size, 0, size - model->size);
    model->size = size;
}

/* write from a buffer of the caller's (NULL now and then) */
static void op_write(struct bytestore *store, struct model *model, struct input *in)
{
    size_t offset = take_size(in), len = take_size(in);
    uint8_t seed = take8(in), *src = NULL;
    enum bytestore_status status;

    if (!(seed & 0x80) && len <= MODEL_MAX_SIZE)
    {
        src = malloc(len ? len : 1);
        fill(src, len, seed);
    }
    status = bytestore_write(store, offset, src, len);

    if (offset > BYTESTORE_MAX_SIZE || len > BYTESTORE_MAX_SIZE - offset)
        FUZZ_CHECK(status == BYTESTORE_E_INVALID);
    else if (!len)
        FUZZ_CHECK(status == BYTESTORE_OK);
    else if (!src)
        FUZZ_CHECK(status == BYTESTORE_E_INVALID);
    else if (offset + len > MODEL_MAX_SIZE)
    {
        /* valid, but more than the model holds: undo it */
        FUZZ_CHECK(status == BYTESTORE_OK && store->size == (offset + len > model->size ? offset + len : model->size));
        FUZZ_CHECK(bytestore_set_size(store, model->size) == BYTESTORE_OK);
        if (offset < model->size) memcpy(model->data + offset, src, model->size - offset);
    }
    else
    {
        FUZZ_CHECK(status == BYTESTORE_OK);
        if (offset > model->size) memset(model->data + model->size, 0, offset - model->size);
        memcpy(model->data + offset, src, len);
        if (offset + len > model->size) model->size = offset + len;
    }
    free(src);
}

/* write from the store's own bytes, within its size (never grows) */
static void op_self_write(struct bytestore *store, struct model *model, struct input *in)
{
    size_t from = take_size(in), to = take_size(in), len = take_size(in);

    if (!model->size) return;
    from %= model->size;
    to %= model->size;
    if (len > model->size - from) len = model->size - from;
    if (len > model->size - to) len = model->size - to;
    FUZZ_CHECK(bytestore_write(store, to, store->data + from, len) == BYTESTORE_OK);
    memmove(model->data + to, model->data + from, len);
}

static void op_read(struct bytestore *store, struct model *model, struct input *in)
{
    size_t offset = take_size(in), len = take_size(in), expect, got;
    uint8_t *dst;

    if (len > MODEL_MAX_SIZE) len = MODEL_MAX_SIZE;
    dst = malloc(len ? len : 1);
    expect = offset >= model->size ? 0 : model->size - offset < len ? model->size - offset : len;
    got = bytestore_read(store, offset, dst, len);
    FUZZ_CHECK(got == expect);
    FUZZ_CHECK(!got || !memcmp(dst, model->data + offset, got));
    FUZZ_CHECK(bytestore_read(store, offset, NULL, len) == 0);
    free(dst);
}

static void op_assign(struct bytestore *store, struct model *model, struct input *in)
{
    size_t len = take_size(in);
    uint8_t seed = take8(in), *src = NULL;
    enum bytestore_status status;

    if (!(seed & 0x80) && len <= MODEL_MAX_SIZE)
    {
        src = malloc(len ? len : 1);
        fill(src, len, seed);
    }
    status = bytestore_assign(store, src, len);
    if (len > BYTESTORE_MAX_SIZE || (len && !src)) FUZZ_CHECK(status == BYTESTORE_E_INVALID);
    else
    {
        FUZZ_CHECK(status == BYTESTORE_OK);
        if (len) memcpy(model->data, src, len);
        model->size = len;
    }
    free(src);
}

/* assign a part of the store's own content */
static void op_self_assign(struct bytestore *store, struct model *model, struct input *in)
{
    size_t from = take_size(in), len = take_size(in);

    if (!model->size) return;
    from %= model->size;
    if (len > model->size - from) len = model->size - from;
    FUZZ_CHECK(bytestore_assign(store, store->data + from, len) == BYTESTORE_OK);
    memmove(model->data, model->data + from, len);
    model->size = len;
}

static void op_lock(struct bytestore *store, struct model *model, struct input *in)
{
    uint64_t offset = take_range(in), length = take_range(in);
    uint32_t type = take8(in) % 9;
    enum bytestore_status status = bytestore_lock_region(store, offset, length, type);
    size_t i;

    if (!valid_type(type))
    {
        FUZZ_CHECK(status == BYTESTORE_E_INVALID);
        return;
    }
    for (i = 0; i < model->lock_count; i++)
        if (model_overlap(model->locks[i].offset, model->locks[i].length, offset, length)) break;
    if (i < model->lock_count)
    {
        FUZZ_CHECK(status == BYTESTORE_E_LOCKED);
        return;
    }
    FUZZ_CHECK(status == BYTESTORE_OK);
    if (model->lock_count == MODEL_MAX_LOCKS)
    {
        /* more than the model holds: undo it */
        FUZZ_CHECK(bytestore_unlock_region(store, offset, length, type) == BYTESTORE_OK);
        return;
    }
    model->locks[model->lock_count].offset = offset;
    model->locks[model->lock_count].length = length;
    model->locks[model->lock_count].type = type;
    model->lock_count++;
}

/* unlock a lock taken (argument bytes pick one, and maybe change a field) or any range */
static void op_unlock(struct bytestore *store, struct model *model, struct input *in)
{
    uint8_t pick = take8(in);
    uint64_t offset, length;
    uint32_t type;
    enum bytestore_status status;
    size_t i;

    if (model->lock_count && pick < 0xc0)
    {
        const struct bytestore_lock *lock = &model->locks[pick % model->lock_count];

        offset = lock->offset + (pick & 0x40 ? 1 : 0);
        length = lock->length;
        type = lock->type;
    }
    else
    {
        offset = take_range(in);
        length = take_range(in);
        type = take8(in) % 9;
    }
    status = bytestore_unlock_region(store, offset, length, type);
    if (!valid_type(type))
    {
        FUZZ_CHECK(status == BYTESTORE_E_INVALID);
        return;
    }
    for (i = 0; i < model->lock_count; i++)
    {
        const struct bytestore_lock *lock = &model->locks[i];
        if (lock->offset == offset && lock->length == length && lock->type == type) break;
    }
    if (i == model->lock_count)
    {
        FUZZ_CHECK(status == BYTESTORE_E_NOT_LOCKED);
        return;
    }
    FUZZ_CHECK(status == BYTESTORE_OK);
    model->locks[i] = model->locks[--model->lock_count];
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static void (*const ops[])(struct bytestore *, struct model *, struct input *) =
    {
        op_set_size, op_write, op_self_write, op_read, op_assign, op_self_assign, op_lock, op_unlock,
    };
    static struct model model;
    struct input in = {data, size};
    struct bytestore store;

    bytestore_init(&store);
    model.size = 0;
    model.lock_count = 0;
    check_same(&store, &model);
    while (in.size)
    {
        ops[take8(&in) % (sizeof(ops) / sizeof(ops[0]))](&store, &model, &in);
        check_same(&store, &model);
    }
    bytestore_free(&store);
    FUZZ_CHECK(!store.data && !store.locks && !store.size && !store.lock_count);
    return 0;
}
