// SPDX-License-Identifier: GPL-2.0
/*
 * A proprietary-licensed module: loading it sets P (war story 3, the vendor
 * module that loaded for 30 seconds and tainted the kernel for three days).
 * The file itself is GPL test code; only the declared license differs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tp_test_prop_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit tp_test_prop_exit(void)
{
	pr_info("unloaded\n");
}

module_init(tp_test_prop_init);
module_exit(tp_test_prop_exit);
MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("taint_provenance test: a proprietary module (P)");
