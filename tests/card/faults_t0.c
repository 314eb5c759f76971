/*
 * ISCard when things go wrong, with a T=0 virtual card (see faults_tests.h)
 *
 * min-checks: 380 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define CARD_TEST_T1 0
#include "faults_tests.h"

START_TEST(faults_t0)
{
    run_faults_tests();
}
