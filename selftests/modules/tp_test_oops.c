// SPDX-License-Identifier: GPL-2.0
/* Oopses on demand: write 1 to /sys/module/tp_test_oops/parameters/oops. */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/moduleparam.h>

/* Never set: read with READ_ONCE() so the compiler cannot see it is NULL. */
static int *tp_oops_nowhere;

static int tp_oops_set(const char *val, const struct kernel_param *kp)
{
	pr_emerg("oopsing on request\n");
	return *READ_ONCE(tp_oops_nowhere);
}

static const struct kernel_param_ops tp_oops_ops = {
	.set = tp_oops_set,
};

module_param_cb(oops, &tp_oops_ops, NULL, 0200);

static int __init tp_test_oops_init(void)
{
	return 0;
}

static void __exit tp_test_oops_exit(void)
{
}

module_init(tp_test_oops_init);
module_exit(tp_test_oops_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: an oops in a module (D)");
