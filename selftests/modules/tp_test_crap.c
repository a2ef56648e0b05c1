// SPDX-License-Identifier: GPL-2.0
/* A module that says it is from staging: loading it sets C. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tp_test_crap_init(void)
{
	return 0;
}

static void __exit tp_test_crap_exit(void)
{
}

module_init(tp_test_crap_init);
module_exit(tp_test_crap_exit);
MODULE_INFO(staging, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a staging module (C)");
