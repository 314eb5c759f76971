/*
 * ISCard with PC/SC's own values against a T=1 virtual card (see
 * pcscvalues_tests.h)
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 */

#include "pcscvalues_tests.h"

START_TEST(pcscvalues_t1)
{
    run_pcscvalues_tests();
}
