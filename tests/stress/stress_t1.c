/*
 * Stress and faults with a T=1 virtual card (see stress_tests.h)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define CARD_TEST_T1 1
#include "stress_tests.h"

START_TEST(stress_t1)
{
    CoInitializeEx(NULL, COINIT_MULTITHREADED);
    if (stack_init())
        run_stress_tests();
    CoUninitialize();
}
