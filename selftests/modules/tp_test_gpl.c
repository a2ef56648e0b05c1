// SPDX-License-Identifier: GPL-2.0
/*
 * A plain GPL out-of-tree module: O (and E when unsigned). Loaded forced
 * (ignoring modversions) it sets F; with a corrupted CRC it replays war story 1.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tp_test_gpl_init(void)
{
	pr_info("loaded\n");
	return 0;
}

static void __exit tp_test_gpl_exit(void)
{
	pr_info("unloaded\n");
}

module_init(tp_test_gpl_init);
module_exit(tp_test_gpl_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a GPL out-of-tree module");
