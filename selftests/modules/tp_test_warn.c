// SPDX-License-Identifier: GPL-2.0
/*
 * WARNs on demand, after load, in each context: write 1 to
 * /sys/module/tp_test_warn/parameters/warn_{task,softirq,hardirq}.
 * A write returns once the WARN has happened.
 *
 * warn_kernel_hardirq and warn_kernel_softirq make the kernel's own code
 * WARN in hardirq or softirq context while this module's code runs in the
 * task the interrupt lands on: the WARN is not this module's, though its
 * code is on the stack below. They do not exist under kernel CFI, which
 * kernel_cfi reads back (below).
 *
 * On x86 it also taints from NMI context: writing N to arm_nmi makes the
 * next N NMIs that run the NMI_LOCAL handlers (the backtrace NMI that
 * `echo l > /proc/sysrq-trigger` sends to the other CPUs, say) call
 * add_taint(TAINT_FIRMWARE_WORKAROUND), bit 11, I, a bit nothing else in
 * the test VM sets. nmi_fired reads back how many did.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/hrtimer.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/kobject.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/smp.h>
#include <linux/workqueue.h>
#include "compat.h"
#ifdef CONFIG_X86
#include <asm/nmi.h>
#endif

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

/*
 * A write to warn_kernel_hardirq spins here, preemption off, until a work
 * item on another CPU has sent this CPU a function call IPI. The IPI's
 * function is the kernel's kobject_put(), on a kobject that was never
 * initialized: it WARNs ("is not initialized, yet kobject_put() is being
 * called") and drops one of the many references the kobject was given, so
 * it is never released. The interrupt's stack holds only kernel code.
 * -ENODEV with one CPU online; -ETIMEDOUT if the IPI did not come in 5 s.
 *
 * Both kernel WARNs call kobject_put() through a pointer of another type,
 * which kernel CFI traps on: there, neither parameter exists, and the
 * read-only kernel_cfi says why (Y), so a test can tell that from a build
 * that lost them.
 */
static bool kernel_cfi = TP_KERNEL_CFI;
module_param(kernel_cfi, bool, 0444);
MODULE_PARM_DESC(kernel_cfi, "Y: built for kernel CFI, without the warn_kernel_* parameters");

#if !TP_KERNEL_CFI
#define TP_WARN_KOBJECT_REFS 1000000
#define TP_WARN_IPI_WAIT_MS 5000

static struct kobject tp_warn_uninitialized_kobject;
static unsigned int tp_warn_spin_cpu;
static atomic_t tp_warn_ipi_done = ATOMIC_INIT(0);

static void tp_warn_send_ipi(struct work_struct *unused)
{
	/* kobject_put(struct kobject *) gets the IPI's void * argument as is. */
	smp_call_function_single(READ_ONCE(tp_warn_spin_cpu), (smp_call_func_t)kobject_put,
				 &tp_warn_uninitialized_kobject, 1);
	atomic_set(&tp_warn_ipi_done, 1);
}

static DECLARE_WORK(tp_warn_ipi_work, tp_warn_send_ipi);

static int tp_warn_kernel_hardirq_set(const char *val, const struct kernel_param *kp)
{
	unsigned long deadline = jiffies + msecs_to_jiffies(TP_WARN_IPI_WAIT_MS);
	unsigned int sender;
	bool interrupted;

	preempt_disable();
	sender = cpumask_any_but(cpu_online_mask, smp_processor_id());
	if (sender >= nr_cpu_ids) {
		preempt_enable();
		return -ENODEV;
	}
	WRITE_ONCE(tp_warn_spin_cpu, smp_processor_id());
	atomic_set(&tp_warn_ipi_done, 0);
	queue_work_on(sender, system_highpri_wq, &tp_warn_ipi_work);
	while (!atomic_read(&tp_warn_ipi_done) && time_before(jiffies, deadline))
		cpu_relax();
	interrupted = atomic_read(&tp_warn_ipi_done);
	preempt_enable();
	flush_work(&tp_warn_ipi_work);
	return interrupted ? 0 : -ETIMEDOUT;
}

static const struct kernel_param_ops tp_warn_kernel_hardirq_ops = {
	.set = tp_warn_kernel_hardirq_set,
};

module_param_cb(warn_kernel_hardirq, &tp_warn_kernel_hardirq_ops, NULL, 0200);

/*
 * A write to warn_kernel_softirq schedules a tasklet whose function is
 * kobject_put(), on the same kobject, with bottom halves off, and turns
 * them on again: local_bh_enable() runs the tasklet at once, in softirq
 * context on this task's stack, under this module's code. -EAGAIN if it
 * did not run there (then it ran, or runs, in ksoftirqd).
 */
static struct tasklet_struct tp_warn_kernel_tasklet;

static int tp_warn_kernel_softirq_set(const char *val, const struct kernel_param *kp)
{
	bool ran_here;

	preempt_disable();
	local_bh_disable();
	tasklet_schedule(&tp_warn_kernel_tasklet);
	local_bh_enable();
	ran_here = !READ_ONCE(tp_warn_kernel_tasklet.state);
	preempt_enable();
	if (ran_here)
		return 0;
	tasklet_kill(&tp_warn_kernel_tasklet);
	return -EAGAIN;
}

static const struct kernel_param_ops tp_warn_kernel_softirq_ops = {
	.set = tp_warn_kernel_softirq_set,
};

module_param_cb(warn_kernel_softirq, &tp_warn_kernel_softirq_ops, NULL, 0200);

static void tp_warn_kernel_init(void)
{
	refcount_set(&tp_warn_uninitialized_kobject.kref.refcount, TP_WARN_KOBJECT_REFS);
	/*
	 * kobject_put(struct kobject *) gets the tasklet's unsigned long, the
	 * kobject's address, as is; the cast goes through void (*)(void),
	 * which gcc lets stand for any function type.
	 */
	tasklet_init(&tp_warn_kernel_tasklet, (void (*)(unsigned long))(void (*)(void))kobject_put,
		     (unsigned long)&tp_warn_uninitialized_kobject);
}

static void tp_warn_kernel_exit(void)
{
	tasklet_kill(&tp_warn_kernel_tasklet);
	flush_work(&tp_warn_ipi_work);
}
#else
static void tp_warn_kernel_init(void)
{
}

static void tp_warn_kernel_exit(void)
{
}
#endif /* !TP_KERNEL_CFI */

#ifdef CONFIG_X86
static atomic_t tp_nmi_armed = ATOMIC_INIT(0);
static atomic_t tp_nmi_fired = ATOMIC_INIT(0);

static int tp_warn_nmi_handler(unsigned int type, struct pt_regs *regs)
{
	if (atomic_dec_if_positive(&tp_nmi_armed) >= 0) {
		add_taint(TAINT_FIRMWARE_WORKAROUND, LOCKDEP_STILL_OK);
		atomic_inc(&tp_nmi_fired);
	}
	return NMI_DONE;	/* never claims the NMI: the backtrace handler still runs */
}

static int tp_nmi_arm_set(const char *val, const struct kernel_param *kp)
{
	unsigned int count;
	int err = kstrtouint(val, 0, &count);

	if (err)
		return err;
	if (count > INT_MAX)
		return -EINVAL;
	atomic_set(&tp_nmi_armed, count);
	return 0;
}

static int tp_nmi_fired_get(char *buffer, const struct kernel_param *kp)
{
	return scnprintf(buffer, PAGE_SIZE, "%d\n", atomic_read(&tp_nmi_fired));
}

static const struct kernel_param_ops tp_nmi_arm_ops = {
	.set = tp_nmi_arm_set,
};

static const struct kernel_param_ops tp_nmi_fired_ops = {
	.get = tp_nmi_fired_get,
};

module_param_cb(arm_nmi, &tp_nmi_arm_ops, NULL, 0200);
module_param_cb(nmi_fired, &tp_nmi_fired_ops, NULL, 0444);

static int tp_warn_nmi_register(void)
{
	return register_nmi_handler(NMI_LOCAL, tp_warn_nmi_handler, 0, KBUILD_MODNAME);
}

static void tp_warn_nmi_unregister(void)
{
	unregister_nmi_handler(NMI_LOCAL, KBUILD_MODNAME);
}
#else
static int tp_warn_nmi_register(void)
{
	return 0;
}

static void tp_warn_nmi_unregister(void)
{
}
#endif

static int __init tp_test_warn_init(void)
{
	tp_hrtimer_setup(&tp_warn_timer, tp_warn_hardirq_fn);
	tp_warn_kernel_init();
	return tp_warn_nmi_register();
}

static void __exit tp_test_warn_exit(void)
{
	tp_warn_nmi_unregister();
	tp_warn_kernel_exit();
	hrtimer_cancel(&tp_warn_timer);
	tasklet_kill(&tp_warn_tasklet);
}

module_init(tp_test_warn_init);
module_exit(tp_test_warn_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: WARN on demand in task, softirq and hardirq context, its own and the kernel's");
