// SPDX-License-Identifier: GPL-2.0
/*
 * A GPL out-of-tree module (O, and E when unsigned) with an init and no
 * exit: the kernel refuses to unload it, unless forced (rmmod -f, on a
 * kernel built with CONFIG_MODULE_FORCE_UNLOAD), which sets R.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tp_test_noexit_init(void)
{
	return 0;
}

module_init(tp_test_noexit_init);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a module only a forced unload removes");
