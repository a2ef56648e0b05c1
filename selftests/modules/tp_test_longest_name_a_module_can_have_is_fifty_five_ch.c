// SPDX-License-Identifier: GPL-2.0
/* The longest name MODULE_NAME_LEN allows, 55 characters: its NUL ends the last word. */
#include "tp_test_named.h"
