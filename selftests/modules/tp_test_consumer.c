// SPDX-License-Identifier: GPL-2.0
/*
 * A GPL out-of-tree module (O, and E when unsigned) that calls
 * tp_test_provider's function: while tp_test_provider is in its init,
 * the kernel holds this load inside load_module() (resolving the symbol,
 * after the load's taints are set) until that init is done.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "tp_test_provider.h"

static int __init tp_test_consumer_init(void)
{
	return tp_test_provider_ready() ? 0 : -ENODEV;
}

static void __exit tp_test_consumer_exit(void)
{
}

module_init(tp_test_consumer_init);
module_exit(tp_test_consumer_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a module that needs tp_test_provider");
