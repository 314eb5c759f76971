/*
 * The main() of the core's native CUnit programs: runs suites of named
 * tests verbosely.  Exit status 0 when every test passed, 1 on a failure,
 * 2 when CUnit itself failed.
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#ifndef CUNIT_RUN_H
#define CUNIT_RUN_H

#include <stdio.h>
#include <CUnit/CUnit.h>
#include <CUnit/Basic.h>

struct cunit_test
{
    const char *name;
    CU_TestFunc func;
};

struct cunit_suite
{
    const char *name;
    const struct cunit_test *tests;
    size_t count;
};

#define CUNIT_SUITE(name, tests) {name, tests, sizeof(tests) / sizeof((tests)[0])}

static int cunit_run(const struct cunit_suite *suites, size_t count)
{
    unsigned int failures;
    CU_pSuite suite;
    size_t i, j;

    if (CU_initialize_registry() != CUE_SUCCESS)
    {
        fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
        return 2;
    }
    for (i = 0; i < count; i++)
    {
        if (!(suite = CU_add_suite(suites[i].name, NULL, NULL))) goto error;
        for (j = 0; j < suites[i].count; j++)
            if (!CU_add_test(suite, suites[i].tests[j].name, suites[i].tests[j].func)) goto error;
    }

    CU_basic_set_mode(CU_BRM_VERBOSE);
    if (CU_basic_run_tests() != CUE_SUCCESS) goto error;
    failures = CU_get_number_of_failures() + CU_get_number_of_tests_failed();
    CU_cleanup_registry();
    return failures ? 1 : 0;

error:
    fprintf(stderr, "CUnit: %s\n", CU_get_error_msg());
    CU_cleanup_registry();
    return 2;
}

#endif /* CUNIT_RUN_H */
