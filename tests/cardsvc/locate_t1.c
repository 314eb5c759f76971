/*
 * Tests for CSCardLocate / ISCardLocate with a T=1 virtual card
 *
 * min-checks: 240 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define LOCATE_PROTOCOL T1
#include "locate_tests.h"

START_TEST(locate_t1)
{
    run_locate_tests();
}
