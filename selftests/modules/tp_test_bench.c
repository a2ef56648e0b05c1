// SPDX-License-Identifier: GPL-2.0
/*
 * The taint hot path, measured in the kernel: writing N to
 * /sys/module/tp_test_bench/parameters/run calls add_taint(TAINT_AUX) N
 * times and keeps the elapsed time in .../result. Writing 1 to
 * empty_kprobe registers a kprobe with an empty handler on add_taint():
 * the floor any kprobe-based tracker pays. Writing 1 to empty_ftrace
 * registers an empty ftrace callback on add_taint() instead, asking for
 * what the tracker asks for (the same registers and recursion guard): the
 * floor of the tracker's own hook.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/kernel.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/timekeeping.h>
#include "compat.h"

static DEFINE_MUTEX(tp_bench_lock);
static unsigned int tp_bench_calls;
static u64 tp_bench_elapsed_ns;
static bool tp_bench_probed, tp_bench_traced;

static int tp_bench_empty_pre(struct kprobe *probe, struct pt_regs *regs)
{
	return 0;
}

static struct kprobe tp_bench_probe;

#ifdef TP_HAVE_FTRACE
/* What the tracker's callback does before its own work: read the argument, take the guard. */
static void tp_bench_empty_callback(unsigned long ip, unsigned long parent_ip,
				    struct ftrace_ops *ops, struct tp_ftrace_regs *regs)
{
	unsigned long bit;
	int guard;

	if (!tp_ftrace_arg0(regs, &bit) || bit >= BITS_PER_LONG)
		return;
	guard = tp_ftrace_enter(ip, parent_ip);
	if (guard >= 0)
		tp_ftrace_leave(guard);
}

static struct ftrace_ops tp_bench_ftrace = {
	.func = tp_bench_empty_callback,
	.flags = TP_FTRACE_OPS_FLAGS,
};

static int tp_bench_ftrace_on(void)
{
	return tp_ftrace_attach(&tp_bench_ftrace, "add_taint");
}

static void tp_bench_ftrace_off(void)
{
	tp_ftrace_detach(&tp_bench_ftrace);
}
#else
static int tp_bench_ftrace_on(void)
{
	return -EOPNOTSUPP;
}

static void tp_bench_ftrace_off(void)
{
}
#endif

static int tp_bench_run_set(const char *val, const struct kernel_param *kp)
{
	unsigned int calls, i;
	u64 start;
	int err = kstrtouint(val, 10, &calls);

	if (err)
		return err;
	mutex_lock(&tp_bench_lock);
	start = ktime_get_ns();
	for (i = 0; i < calls; i++)
		add_taint(TAINT_AUX, LOCKDEP_STILL_OK);
	tp_bench_elapsed_ns = ktime_get_ns() - start;
	tp_bench_calls = calls;
	mutex_unlock(&tp_bench_lock);
	return 0;
}

static int tp_bench_result_get(char *buffer, const struct kernel_param *kp)
{
	int len;

	mutex_lock(&tp_bench_lock);
	len = scnprintf(buffer, PAGE_SIZE, "%u %llu\n", tp_bench_calls, tp_bench_elapsed_ns);
	mutex_unlock(&tp_bench_lock);
	return len;
}

static int tp_bench_probe_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	mutex_lock(&tp_bench_lock);
	if (on && !tp_bench_probed) {
		/* A kprobe registered once keeps its address: start afresh each time. */
		tp_bench_probe = (struct kprobe) {
			.symbol_name = "add_taint",
			.pre_handler = tp_bench_empty_pre,
		};
		err = register_kprobe(&tp_bench_probe);
	} else if (!on && tp_bench_probed) {
		unregister_kprobe(&tp_bench_probe);
	}
	if (!err)
		tp_bench_probed = on;
	mutex_unlock(&tp_bench_lock);
	return err;
}

static int tp_bench_ftrace_set(const char *val, const struct kernel_param *kp)
{
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	mutex_lock(&tp_bench_lock);
	if (on && !tp_bench_traced)
		err = tp_bench_ftrace_on();
	else if (!on && tp_bench_traced)
		tp_bench_ftrace_off();
	if (!err)
		tp_bench_traced = on;
	mutex_unlock(&tp_bench_lock);
	return err;
}

static const struct kernel_param_ops tp_bench_run_ops = {
	.set = tp_bench_run_set,
	.get = tp_bench_result_get,
};

static const struct kernel_param_ops tp_bench_probe_ops = {
	.set = tp_bench_probe_set,
};

module_param_cb(run, &tp_bench_run_ops, NULL, 0600);
static const struct kernel_param_ops tp_bench_ftrace_ops = {
	.set = tp_bench_ftrace_set,
};

module_param_cb(empty_kprobe, &tp_bench_probe_ops, NULL, 0200);
module_param_cb(empty_ftrace, &tp_bench_ftrace_ops, NULL, 0200);

static int __init tp_test_bench_init(void)
{
	return 0;
}

static void __exit tp_test_bench_exit(void)
{
	if (tp_bench_traced)
		tp_bench_ftrace_off();
	if (tp_bench_probed)
		unregister_kprobe(&tp_bench_probe);
}

module_init(tp_test_bench_init);
module_exit(tp_test_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: add_taint() hot-path benchmark");
