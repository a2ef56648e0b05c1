// SPDX-License-Identifier: GPL-2.0
/*
 * A GPL out-of-tree module whose init waits (tp_test_wait.h) and which
 * exports a function: a load of tp_test_consumer, which calls it, waits
 * inside load_module() until this module's init is done, its taints
 * already set. A test unloads and loads the tracker during that wait.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include "tp_test_provider.h"
#include "tp_test_wait.h"

int tp_test_provider_ready(void)
{
	return 1;
}
EXPORT_SYMBOL_GPL(tp_test_provider_ready);

MODULE_DESCRIPTION("taint_provenance test: a module whose symbol others wait for");
