// SPDX-License-Identifier: GPL-2.0
/*
 * WARNs on demand, after load, in each context: write 1 to
 * /sys/module/tp_test_warn/parameters/warn_{task,softirq,hardirq}.
 * A write returns once the WARN has happened.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include "compat.h"

static DECLARE_COMPLETION(tp_warn_done);
static struct hrtimer tp_warn_timer;

static void tp_warn_softirq_fn(struct tasklet_struct *unused);
static DECLARE_TASKLET(tp_warn_tasklet, tp_warn_softirq_fn);

static void tp_warn_softirq_fn(struct tasklet_struct *unused)
{
	WARN(1, "tp_test_warn: softirq WARN on request\n");
	complete(&tp_warn_done);
}

static enum hrtimer_restart tp_warn_hardirq_fn(struct hrtimer *timer)
{
	WARN(1, "tp_test_warn: hardirq WARN on request\n");
	complete(&tp_warn_done);
	return HRTIMER_NORESTART;
}

static int tp_warn_set(const char *val, const struct kernel_param *kp)
{
	const char *where = kp->arg;

	if (!strcmp(where, "task")) {
		WARN(1, "tp_test_warn: task WARN on request\n");
		return 0;
	}
	reinit_completion(&tp_warn_done);
	if (!strcmp(where, "softirq"))
		tasklet_schedule(&tp_warn_tasklet);
	else
		hrtimer_start(&tp_warn_timer, ms_to_ktime(1), HRTIMER_MODE_REL);
	wait_for_completion(&tp_warn_done);
	return 0;
}

static const struct kernel_param_ops tp_warn_ops = {
	.set = tp_warn_set,
};

module_param_cb(warn_task, &tp_warn_ops, "task", 0200);
module_param_cb(warn_softirq, &tp_warn_ops, "softirq", 0200);
module_param_cb(warn_hardirq, &tp_warn_ops, "hardirq", 0200);

static int __init tp_test_warn_init(void)
{
	tp_hrtimer_setup(&tp_warn_timer, tp_warn_hardirq_fn);
	return 0;
}

static void __exit tp_test_warn_exit(void)
{
	hrtimer_cancel(&tp_warn_timer);
	tasklet_kill(&tp_warn_tasklet);
}

module_init(tp_test_warn_init);
module_exit(tp_test_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: WARN on demand in task, softirq and hardirq context");
