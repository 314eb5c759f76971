/*
 * A small conformance-test harness with the shape of Wine's tests:
 * ok(), skip(), win_skip(), todo_wine, broken(), winetest_push_context()
 * and START_TEST().  Written for this project; Debian does not ship
 * Wine's own test.h.
 *
 * Each test program prints one line per failure and, at the end,
 * "<name>: N tests executed (T marked as todo, F failures), S skipped."
 * and exits with 1 on any failure, 77 (automake's SKIP) if every check
 * was skipped, 0 otherwise.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef __SCARDSSP_WINE_TEST_H
#define __SCARDSSP_WINE_TEST_H

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "windef.h"
#include "winbase.h"

static const char *winetest_name;
static const char *winetest_file;
static int winetest_line;
static LONG winetest_successes, winetest_failures, winetest_todos, winetest_skips;
static int winetest_todo_level;
static char winetest_context[8][128];
static int winetest_context_count;

static inline int broken(int condition)
{
    /* broken() documents Windows behaviour this implementation does not reproduce */
    (void)condition;
    return 0;
}

static inline void winetest_set_location(const char *file, int line)
{
    const char *p = strrchr(file, '/');

    winetest_file = p ? p + 1 : file;
    winetest_line = line;
}

static inline void winetest_print_context(void)
{
    int i;

    for (i = 0; i < winetest_context_count && i < 8; ++i)
        printf("%s: ", winetest_context[i]);
}

static inline void winetest_push_context(const char *format, ...)
{
    va_list args;

    if (winetest_context_count < 8)
    {
        va_start(args, format);
        vsnprintf(winetest_context[winetest_context_count], sizeof(winetest_context[0]), format, args);
        va_end(args);
    }
    ++winetest_context_count;
}

static inline void winetest_pop_context(void)
{
    if (winetest_context_count)
        --winetest_context_count;
}

static inline int winetest_vok(int condition, const char *format, va_list args)
{
    if (winetest_todo_level)
    {
        if (condition)
        {
            printf("%s:%d: ", winetest_file, winetest_line);
            winetest_print_context();
            printf("Test succeeded inside todo block: ");
            vprintf(format, args);
            InterlockedIncrement(&winetest_failures);
            return 0;
        }
        InterlockedIncrement(&winetest_todos);
        return 1;
    }
    if (!condition)
    {
        printf("%s:%d: ", winetest_file, winetest_line);
        winetest_print_context();
        printf("Test failed: ");
        vprintf(format, args);
        InterlockedIncrement(&winetest_failures);
        return 0;
    }
    InterlockedIncrement(&winetest_successes);
    return 1;
}

static inline int winetest_ok(int condition, const char *format, ...)
{
    va_list args;
    int ret;

    va_start(args, format);
    ret = winetest_vok(condition, format, args);
    va_end(args);
    return ret;
}

/* Only for what is truly absent (never for a precondition the harness set
 * up): the line starts with "NOT RUN: " and the test's name, which
 * ./dev check's summary lists. */
static inline void winetest_skip(const char *format, ...)
{
    va_list args;

    printf("NOT RUN: %s: %s:%d: ", winetest_name, winetest_file, winetest_line);
    winetest_print_context();
    printf("Tests skipped: ");
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
    InterlockedIncrement(&winetest_skips);
}

static inline void winetest_trace(const char *format, ...)
{
    va_list args;

    printf("%s:%d: ", winetest_file, winetest_line);
    va_start(args, format);
    vprintf(format, args);
    va_end(args);
}

/* (as Wine's: ok(...) is a statement; "!ok(...)" parses as "!(...) ? 0 :
 * winetest_ok(...)", which is 0 and never checks anything) */
#define ok_(file, line)     (winetest_set_location(file, line), 0) ? 0 : winetest_ok
#define skip_(file, line)   (winetest_set_location(file, line), 0) ? (void)0 : winetest_skip
#define trace_(file, line)  (winetest_set_location(file, line), 0) ? (void)0 : winetest_trace
#define ok       ok_(__FILE__, __LINE__)
#define skip     skip_(__FILE__, __LINE__)
#define win_skip skip_(__FILE__, __LINE__)
#define trace    trace_(__FILE__, __LINE__)

/* this implementation runs on Wine: todo_wine marks known differences */
#define todo_wine_if(cond) \
    for (int winetest_once = (winetest_todo_level = !!(cond), 1); winetest_once; \
         winetest_once = 0, winetest_todo_level = 0)
#define todo_wine todo_wine_if(1)

/* The name a test reports: a card test NAME.exe runs as NAME_t0.exe and
 * NAME_t1.exe (tests/tests.mk), and reports that name. */
static inline const char *winetest_run_name(const char *argv0, const char *name)
{
    static char run[64];
    const char *base = argv0, *p;
    size_t len = strlen(name);

    for (p = argv0; p && *p; p++)
        if (*p == '/' || *p == '\\') base = p + 1;
    if (!base || strncmp(base, name, len) || strncmp(base + len, "_t", 2) || !base[len + 2]
            || strlen(base) >= sizeof(run))
        return name;
    strcpy(run, base);
    if ((p = strrchr(run, '.')) && !lstrcmpiA(p, ".exe"))
        run[p - run] = 0;
    return run;
}

#define START_TEST(name) \
    static void func_##name(void); \
    int main(int argc, char **argv) \
    { \
        setvbuf(stdout, NULL, _IONBF, 0); \
        winetest_name = winetest_run_name(argc ? argv[0] : NULL, #name); \
        func_##name(); \
        printf("%s: %ld tests executed (%ld marked as todo, %ld failures), %ld skipped.\n", winetest_name, \
               winetest_successes + winetest_failures + winetest_todos, winetest_todos, \
               winetest_failures, winetest_skips); \
        if (winetest_failures) return 1; \
        if (!winetest_successes && !winetest_todos && winetest_skips) return 77; \
        return 0; \
    } \
    static void func_##name(void)

#endif /* __SCARDSSP_WINE_TEST_H */
