// SPDX-License-Identifier: GPL-2.0
/* A name of 16 characters: its NUL starts the third word. */
#include "tp_test_named.h"
