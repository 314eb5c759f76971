/*
 * Shared by the libFuzzer targets in core/fuzz: a broken rule is a crash.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef SCARDSSP_CORE_FUZZ_H
#define SCARDSSP_CORE_FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ_CHECK(cond) do { if (!(cond)) fuzz_fail(__FILE__, __LINE__, #cond); } while (0)

static inline void fuzz_fail(const char *file, int line, const char *what)
{
    fprintf(stderr, "%s:%d: rule broken: %s\n", file, line, what);
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The input read as arguments, zeros once it is used up. */
struct input
{
    const uint8_t *data;
    size_t size;
};

static inline uint8_t take8(struct input *in)
{
    if (!in->size) return 0;
    in->size--;
    return *in->data++;
}

static inline uint16_t take16(struct input *in)
{
    uint16_t hi = take8(in);
    return (uint16_t)(hi << 8 | take8(in));
}

#endif
