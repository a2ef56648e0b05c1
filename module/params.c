// SPDX-License-Identifier: GPL-2.0
/*
 * Module parameters. Each value is range-checked by its .set, at load and on
 * every runtime write: a bad value fails with -EINVAL, says why in dmesg and
 * leaves the old value in place (war story 5: parameters that overflow).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/moduleparam.h>
#include <linux/string.h>
#include "tp.h"

struct tp_uint_param {
	unsigned int value;
	unsigned int min, max;
	bool zero_is_off;		/* 0 is accepted outside min..max */
	void (*changed)(void);		/* called with the parameter lock held */
};

static int tp_uint_param_set(const char *val, const struct kernel_param *kp)
{
	struct tp_uint_param *param = kp->arg;
	unsigned int value;

	if (!val || kstrtouint(val, 10, &value) ||
	    ((value < param->min || value > param->max) && !(value == 0 && param->zero_is_off))) {
		pr_err("invalid %s='%.*s': expected %s%u..%u\n", kp->name,
		       val ? (int)strcspn(val, "\n") : 0, val ?: "",
		       param->zero_is_off ? "0 (off) or " : "", param->min, param->max);
		return -EINVAL;
	}
	WRITE_ONCE(param->value, value);
	if (param->changed)
		param->changed();
	return 0;
}

static int tp_uint_param_get(char *buffer, const struct kernel_param *kp)
{
	const struct tp_uint_param *param = kp->arg;

	return scnprintf(buffer, PAGE_SIZE, "%u\n", READ_ONCE(param->value));
}

static const struct kernel_param_ops tp_uint_param_ops = {
	.set = tp_uint_param_set,
	.get = tp_uint_param_get,
};

static struct tp_uint_param tp_capacity_param = {
	.value = 4096, .min = 16, .max = 1048576,
};
module_param_cb(capacity, &tp_uint_param_ops, &tp_capacity_param, 0444);
MODULE_PARM_DESC(capacity, "events kept in the log, 16..1048576 (default 4096)");

static struct tp_uint_param tp_poll_ms_param = {
	.value = 1000, .min = 10, .max = 60000, .zero_is_off = true,
	.changed = tp_poll_reschedule,
};
module_param_cb(poll_ms, &tp_uint_param_ops, &tp_poll_ms_param, 0644);
MODULE_PARM_DESC(poll_ms, "taint mask check period in ms, 0 (off) or 10..60000 (default 1000)");

/* How add_taint() is hooked: the names are ABI (docs/ABI.md), in enum tp_hook_choice order. */
static const char * const tp_hook_names[] = { "auto", "ftrace", "kprobe" };
static unsigned int tp_hook_choice;

static int tp_hook_param_set(const char *val, const struct kernel_param *kp)
{
	int choice = val ? sysfs_match_string(tp_hook_names, val) : -EINVAL;

	BUILD_BUG_ON(ARRAY_SIZE(tp_hook_names) != TP_HOOK_CHOICES);
	if (choice < 0) {
		pr_err("invalid %s='%.*s': expected auto, ftrace or kprobe\n", kp->name,
		       val ? (int)strcspn(val, "\n") : 0, val ?: "");
		return -EINVAL;
	}
	WRITE_ONCE(tp_hook_choice, choice);
	return 0;
}

static int tp_hook_param_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%s\n", tp_param_hook_name());
}

static const struct kernel_param_ops tp_hook_param_ops = {
	.set = tp_hook_param_set,
	.get = tp_hook_param_get,
};

module_param_cb(hook, &tp_hook_param_ops, NULL, 0444);
MODULE_PARM_DESC(hook, "how add_taint() is hooked: auto (ftrace, else a kprobe; default), ftrace or kprobe");

enum tp_hook_choice tp_param_hook(void)
{
	return READ_ONCE(tp_hook_choice);
}

const char *tp_param_hook_name(void)
{
	return tp_hook_names[tp_param_hook()];
}

unsigned int tp_param_capacity(void)
{
	return READ_ONCE(tp_capacity_param.value);
}

unsigned int tp_param_poll_ms(void)
{
	return READ_ONCE(tp_poll_ms_param.value);
}
