// SPDX-License-Identifier: GPL-2.0
/*
 * A taint storm: writing N to /sys/module/tp_test_storm/parameters/storm
 * calls add_taint(TAINT_AUX) N times (X, the distributions' own bit), so the
 * ring overflows with counts the test knows exactly.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

static int tp_storm_set(const char *val, const struct kernel_param *kp)
{
	unsigned int count, i;
	int err = kstrtouint(val, 10, &count);

	if (err)
		return err;
	for (i = 0; i < count; i++)
		add_taint(TAINT_AUX, LOCKDEP_STILL_OK);
	return 0;
}

static const struct kernel_param_ops tp_storm_ops = {
	.set = tp_storm_set,
};

module_param_cb(storm, &tp_storm_ops, NULL, 0200);

static int __init tp_test_storm_init(void)
{
	return 0;
}

static void __exit tp_test_storm_exit(void)
{
}

module_init(tp_test_storm_init);
module_exit(tp_test_storm_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: add_taint() storm on demand");
