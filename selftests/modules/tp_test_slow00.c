// SPDX-License-Identifier: GPL-2.0
/*
 * A GPL out-of-tree module (O, and E when unsigned) whose init waits
 * (tp_test_wait.h). scripts/ko-edit copies it under other names
 * (tp_test_slow01 and on), so that many loads can be in flight at once,
 * as udev makes them at boot, and a test can end them all once it has
 * seen them in flight together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "tp_test_wait.h"

MODULE_DESCRIPTION("taint_provenance test: a module whose init takes its time");
