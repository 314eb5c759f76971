/*
 * winscard bridge conformance tests against a T=0 virtual card
 * (tests/run-wine starts a private T=0 stack for programs named *_t0.exe).
 *
 * min-checks: 340 (tests/run-wine fails a run with fewer)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#define TEST_PROTOCOL SCARD_PROTOCOL_T0
#include "bridge_tests.h"

START_TEST(bridge_t0)
{
    run_bridge_tests();
}
