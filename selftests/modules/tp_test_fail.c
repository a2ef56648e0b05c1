// SPDX-License-Identifier: GPL-2.0
/*
 * A proprietary module whose init fails: the kernel keeps its P taint with
 * no module left to blame, unless the tracker saw the load.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tp_test_fail_init(void)
{
	pr_info("failing init on purpose\n");
	return -ENODEV;
}

module_init(tp_test_fail_init);
MODULE_LICENSE("Proprietary");
MODULE_DESCRIPTION("taint_provenance test: taints, then fails to load");
