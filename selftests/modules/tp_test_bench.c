// SPDX-License-Identifier: GPL-2.0
/*
 * The taint hot path, measured in the kernel: writing N to
 * /sys/module/tp_test_bench/parameters/run calls add_taint(TAINT_AUX) N
 * times and keeps the elapsed time in .../result. Writing 1 to
 * empty_kprobe registers a kprobe with an empty handler on add_taint():
 * the floor any kprobe-based tracker pays. Writing 1 to empty_idle
 * registers the same on proc_taint(), which a module load never calls:
 * what a probe costs a load only by being registered. Writing 1 to
 * empty_ftrace registers an empty ftrace callback on add_taint() instead,
 * asking for what the tracker asks for (the same registers and recursion
 * guard): the floor of the tracker's own hook. Writing 1 to clock_kprobe
 * registers a kprobe on add_taint() whose handler only reads local_clock(),
 * the clock the tracker stamps each event with: the floor of any tracker
 * that records when, and, against empty_kprobe, what that read costs.
 *
 * Writing B to irq_burst makes each later run also fire an hrtimer every
 * TP_BENCH_IRQ_PERIOD_NS while its loop runs, whose callback calls
 * add_taint(TAINT_AUX) B times in hardirq context: on one CPU, bursts
 * that land inside the task's own call of the tracker. irq_calls reads
 * how many calls all bursts made.
 *
 * Writing N to irq_storm starts an hrtimer pinned to the writer's CPU that
 * calls add_taint(TAINT_AUX) once in hardirq context every
 * TP_BENCH_STORM_PERIOD_NS until it has made N calls, and returns at once;
 * 0 stops it. Reading irq_storm gives the calls still to make. Its calls
 * count in irq_calls too. It keeps firing whatever the writer does next:
 * an unload and a load of the tracker on that CPU, say.
 *
 * Writing N to run_all makes every online CPU call add_taint(TAINT_AUX) N
 * times at once, each from a work item bound to it that waits until all
 * of them have started: a storm on every CPU, where a tracker's shared
 * state is written from all of them. result then gives N and the mean of
 * the CPUs' loop times.
 *
 * idle_ns reads the time all online CPUs have spent idle since boot, in
 * ns (the kernel gives it in microseconds), or fails with ENODEV where
 * the kernel does not keep it (no dynamic tick). Under QEMU's -icount, where the
 * guest's clock counts its instructions and skips its idle time, a load
 * and unload cycle's time less its idle time is what the cycle executed
 * (docs/PERFORMANCE.md, Method 10).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/ftrace.h>
#include <linux/hrtimer.h>
#include <linux/kernel.h>
#include <linux/kernel_stat.h>
#include <linux/kprobes.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/tick.h>
#include <linux/timekeeping.h>
#include <linux/workqueue.h>
#include "compat.h"

#define TP_BENCH_IRQ_PERIOD_NS (20 * NSEC_PER_USEC)
#define TP_BENCH_IRQ_BURST_MAX 1000
/* Slow enough that a debug kernel's hook finishes well within one period. */
#define TP_BENCH_STORM_PERIOD_NS (100 * NSEC_PER_USEC)

static DEFINE_MUTEX(tp_bench_lock);
static unsigned int tp_bench_calls;
static u64 tp_bench_elapsed_ns;
static bool tp_bench_traced;
static unsigned int tp_bench_irq_burst;
static atomic_long_t tp_bench_irq_calls = ATOMIC_LONG_INIT(0);
static struct hrtimer tp_bench_irq_timer;
static struct hrtimer tp_bench_storm_timer;
static atomic_long_t tp_bench_storm_left = ATOMIC_LONG_INIT(0);

/* run_all's loop on one CPU, and its time. */
struct tp_bench_cpu_run {
	struct work_struct work;
	u64 elapsed_ns;
};

static DEFINE_PER_CPU(struct tp_bench_cpu_run, tp_bench_cpu_runs);
static unsigned int tp_bench_all_calls;
static atomic_t tp_bench_all_waiting = ATOMIC_INIT(0);	/* CPUs yet to start */

static enum hrtimer_restart tp_bench_irq_fn(struct hrtimer *timer)
{
	unsigned int burst = READ_ONCE(tp_bench_irq_burst), i;

	for (i = 0; i < burst; i++)
		add_taint(TAINT_AUX, LOCKDEP_STILL_OK);
	atomic_long_add(burst, &tp_bench_irq_calls);
	hrtimer_forward_now(timer, ns_to_ktime(TP_BENCH_IRQ_PERIOD_NS));
	return HRTIMER_RESTART;
}

/* One add_taint() per period in hardirq context, until the storm's calls are made. */
static enum hrtimer_restart tp_bench_storm_fn(struct hrtimer *timer)
{
	if (atomic_long_dec_if_positive(&tp_bench_storm_left) < 0)
		return HRTIMER_NORESTART;
	add_taint(TAINT_AUX, LOCKDEP_STILL_OK);
	atomic_long_inc(&tp_bench_irq_calls);
	hrtimer_forward_now(timer, ns_to_ktime(TP_BENCH_STORM_PERIOD_NS));
	return HRTIMER_RESTART;
}

static int tp_bench_empty_pre(struct kprobe *probe, struct pt_regs *regs)
{
	return 0;
}

/* Per CPU, so that CPUs storming at once write no line in common. */
static DEFINE_PER_CPU(u64, tp_bench_clock_sink);

/* Kprobe handlers run with preemption off. */
static int tp_bench_clock_pre(struct kprobe *probe, struct pt_regs *regs)
{
	this_cpu_write(tp_bench_clock_sink, local_clock());
	return 0;
}

/* A kprobe that a module parameter turns on and off. */
struct tp_bench_probe {
	const char *symbol;
	kprobe_pre_handler_t handler;
	struct kprobe probe;
	bool on;
};

static struct tp_bench_probe tp_bench_add_taint_probe = {
	.symbol = "add_taint", .handler = tp_bench_empty_pre,
};

static struct tp_bench_probe tp_bench_idle_probe = {
	.symbol = "proc_taint", .handler = tp_bench_empty_pre,
};

static struct tp_bench_probe tp_bench_clock_probe = {
	.symbol = "add_taint", .handler = tp_bench_clock_pre,
};

#ifdef TP_HAVE_FTRACE
TP_DEFINE_FTRACE_GUARD();

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
	return tp_ftrace_attach(&tp_bench_ftrace, (unsigned long)add_taint);
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
	if (tp_bench_irq_burst)
		hrtimer_start(&tp_bench_irq_timer, ns_to_ktime(TP_BENCH_IRQ_PERIOD_NS),
			      HRTIMER_MODE_REL);
	start = ktime_get_ns();
	for (i = 0; i < calls; i++)
		add_taint(TAINT_AUX, LOCKDEP_STILL_OK);
	tp_bench_elapsed_ns = ktime_get_ns() - start;
	tp_bench_calls = calls;
	hrtimer_cancel(&tp_bench_irq_timer);
	mutex_unlock(&tp_bench_lock);
	return 0;
}

static void tp_bench_cpu_run_fn(struct work_struct *work)
{
	struct tp_bench_cpu_run *run = container_of(work, struct tp_bench_cpu_run, work);
	unsigned int i;
	u64 start;

	/* Start together, so that every CPU's loop runs while the others' do. */
	atomic_dec(&tp_bench_all_waiting);
	while (atomic_read(&tp_bench_all_waiting))
		cpu_relax();
	start = ktime_get_ns();
	for (i = 0; i < tp_bench_all_calls; i++)
		add_taint(TAINT_AUX, LOCKDEP_STILL_OK);
	run->elapsed_ns = ktime_get_ns() - start;
}

static int tp_bench_run_all_set(const char *val, const struct kernel_param *kp)
{
	unsigned int calls, cpus = 0, cpu;
	u64 elapsed = 0;
	int err = kstrtouint(val, 10, &calls);

	if (err)
		return err;
	mutex_lock(&tp_bench_lock);
	/* The online CPUs stay those that were counted until every loop is done. */
	cpus_read_lock();
	tp_bench_all_calls = calls;
	atomic_set(&tp_bench_all_waiting, num_online_cpus());
	for_each_online_cpu(cpu)
		queue_work_on(cpu, system_highpri_wq, &per_cpu_ptr(&tp_bench_cpu_runs, cpu)->work);
	for_each_online_cpu(cpu) {
		struct tp_bench_cpu_run *run = per_cpu_ptr(&tp_bench_cpu_runs, cpu);

		flush_work(&run->work);
		elapsed += run->elapsed_ns;
		cpus++;
	}
	cpus_read_unlock();
	tp_bench_elapsed_ns = div_u64(elapsed, cpus);
	tp_bench_calls = calls;
	mutex_unlock(&tp_bench_lock);
	return 0;
}

static int tp_bench_irq_burst_set(const char *val, const struct kernel_param *kp)
{
	unsigned int burst;
	int err = kstrtouint(val, 10, &burst);

	if (err)
		return err;
	if (burst > TP_BENCH_IRQ_BURST_MAX)
		return -EINVAL;
	mutex_lock(&tp_bench_lock);
	WRITE_ONCE(tp_bench_irq_burst, burst);
	mutex_unlock(&tp_bench_lock);
	return 0;
}

static int tp_bench_irq_storm_set(const char *val, const struct kernel_param *kp)
{
	long calls;
	int err = kstrtol(val, 10, &calls);

	if (err)
		return err;
	if (calls < 0)
		return -EINVAL;
	mutex_lock(&tp_bench_lock);
	hrtimer_cancel(&tp_bench_storm_timer);
	atomic_long_set(&tp_bench_storm_left, calls);
	if (calls)
		hrtimer_start(&tp_bench_storm_timer, ns_to_ktime(TP_BENCH_STORM_PERIOD_NS),
			      HRTIMER_MODE_REL_PINNED);
	mutex_unlock(&tp_bench_lock);
	return 0;
}

static int tp_bench_irq_storm_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%ld\n", atomic_long_read(&tp_bench_storm_left));
}

static int tp_bench_irq_calls_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%ld\n", atomic_long_read(&tp_bench_irq_calls));
}

static int tp_bench_idle_ns_get(char *buffer, const struct kernel_param *kp)
{
	u64 idle_us = 0, cpu_idle_us;
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		cpu_idle_us = get_cpu_idle_time_us(cpu, NULL);
		if (cpu_idle_us == (u64)-1)
			return -ENODEV;
		idle_us += cpu_idle_us;
	}
	return scnprintf(buffer, PAGE_SIZE, "%llu\n", idle_us * NSEC_PER_USEC);
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
	struct tp_bench_probe *hook = kp->arg;
	bool on;
	int err = kstrtobool(val, &on);

	if (err)
		return err;
	mutex_lock(&tp_bench_lock);
	if (on && !hook->on) {
		/* A kprobe registered once keeps its address: start afresh each time. */
		hook->probe = (struct kprobe) {
			.symbol_name = hook->symbol,
			.pre_handler = hook->handler,
		};
		err = register_kprobe(&hook->probe);
	} else if (!on && hook->on) {
		unregister_kprobe(&hook->probe);
	}
	if (!err)
		hook->on = on;
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

static const struct kernel_param_ops tp_bench_run_all_ops = {
	.set = tp_bench_run_all_set,
};

module_param_cb(run_all, &tp_bench_run_all_ops, NULL, 0200);

static const struct kernel_param_ops tp_bench_ftrace_ops = {
	.set = tp_bench_ftrace_set,
};

module_param_cb(empty_kprobe, &tp_bench_probe_ops, &tp_bench_add_taint_probe, 0200);
module_param_cb(empty_idle, &tp_bench_probe_ops, &tp_bench_idle_probe, 0200);
module_param_cb(clock_kprobe, &tp_bench_probe_ops, &tp_bench_clock_probe, 0200);
module_param_cb(empty_ftrace, &tp_bench_ftrace_ops, NULL, 0200);

static const struct kernel_param_ops tp_bench_irq_burst_ops = {
	.set = tp_bench_irq_burst_set,
};

static const struct kernel_param_ops tp_bench_irq_calls_ops = {
	.get = tp_bench_irq_calls_get,
};

static const struct kernel_param_ops tp_bench_irq_storm_ops = {
	.set = tp_bench_irq_storm_set,
	.get = tp_bench_irq_storm_get,
};

module_param_cb(irq_burst, &tp_bench_irq_burst_ops, NULL, 0200);
module_param_cb(irq_storm, &tp_bench_irq_storm_ops, NULL, 0600);
module_param_cb(irq_calls, &tp_bench_irq_calls_ops, NULL, 0400);

static const struct kernel_param_ops tp_bench_idle_ns_ops = {
	.get = tp_bench_idle_ns_get,
};

module_param_cb(idle_ns, &tp_bench_idle_ns_ops, NULL, 0444);

static int __init tp_test_bench_init(void)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		INIT_WORK(&per_cpu_ptr(&tp_bench_cpu_runs, cpu)->work, tp_bench_cpu_run_fn);
	tp_hrtimer_setup(&tp_bench_irq_timer, tp_bench_irq_fn);
	tp_hrtimer_setup(&tp_bench_storm_timer, tp_bench_storm_fn);
	return 0;
}

static void __exit tp_test_bench_exit(void)
{
	hrtimer_cancel(&tp_bench_storm_timer);
	hrtimer_cancel(&tp_bench_irq_timer);
	if (tp_bench_traced)
		tp_bench_ftrace_off();
	if (tp_bench_clock_probe.on)
		unregister_kprobe(&tp_bench_clock_probe.probe);
	if (tp_bench_idle_probe.on)
		unregister_kprobe(&tp_bench_idle_probe.probe);
	if (tp_bench_add_taint_probe.on)
		unregister_kprobe(&tp_bench_add_taint_probe.probe);
}

module_init(tp_test_bench_init);
module_exit(tp_test_bench_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: add_taint() hot-path benchmark");
