/*
 * winscard bridge conformance tests against a T=1 virtual card
 * (tests/run-wine starts a private T=1 stack for programs named *_t1.exe).
 *
 * min-checks: 340 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define TEST_PROTOCOL SCARD_PROTOCOL_T1
#include "bridge_tests.h"

START_TEST(bridge_t1)
{
    run_bridge_tests();
}
