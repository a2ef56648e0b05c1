// SPDX-License-Identifier: GPL-2.0
/* A module that says it is a test module: loading it sets N (5.19 and later). */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>

static int __init tp_test_ntest_init(void)
{
	return 0;
}

static void __exit tp_test_ntest_exit(void)
{
}

module_init(tp_test_ntest_init);
module_exit(tp_test_ntest_exit);
MODULE_INFO(test, "Y");
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a test module (N)");
