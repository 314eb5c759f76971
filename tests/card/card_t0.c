/*
 * Tests for CSCard / ISCard against a T=0 virtual card (see card_tests.h)
 *
 * min-checks: 940 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define CARD_TEST_T1 0
#include "card_tests.h"

START_TEST(card_t0)
{
    run_card_tests();
}
