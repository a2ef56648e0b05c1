/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels we support lives here, behind names
 * that say what they provide. Nothing else in module/ or selftests/modules/
 * tests LINUX_VERSION_CODE.
 */
#ifndef TP_COMPAT_H
#define TP_COMPAT_H

#include <linux/version.h>
#include <linux/kernel.h>
#include <linux/preempt.h>
#include <linux/hrtimer.h>
#include <linux/ptrace.h>

#define TP_KERNEL_AT_LEAST(major, minor) \
	(KERNEL_VERSION((major), (minor), 0) <= LINUX_VERSION_CODE)

/* The panic notifier list moved out of kernel.h in 5.14. */
#if TP_KERNEL_AT_LEAST(5, 14)
#include <linux/panic_notifier.h>
#endif

/* in_irq() was renamed in_hardirq() in 5.11 and later removed. */
#if TP_KERNEL_AT_LEAST(5, 11)
#define tp_in_hardirq() in_hardirq()
#else
#define tp_in_hardirq() in_irq()
#endif

/*
 * The nesting level the caller runs at: 0 task, 1 softirq, 2 hardirq, 3 NMI.
 * A context can only be interrupted by a higher level on the same CPU, so a
 * per-CPU scratch buffer per level is never shared by two live users.
 */
static inline unsigned int tp_context_level(void)
{
	if (in_nmi())
		return 3;
	if (tp_in_hardirq())
		return 2;
	if (in_serving_softirq())
		return 1;
	return 0;
}

#define TP_CONTEXT_LEVELS 4

/* Argument @n of a probed function, and the return address, at its entry. */
static inline unsigned long tp_probe_arg(struct pt_regs *regs, unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}

static inline unsigned long tp_probe_return_address(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	return regs_get_kernel_stack_nth(regs, 0);
#elif defined(CONFIG_ARM64)
	return procedure_link_pointer(regs);
#else
	return 0;
#endif
}

/* hrtimer_setup() replaced hrtimer_init() plus a function assignment in 6.13. */
static inline void tp_hrtimer_setup(struct hrtimer *timer,
				    enum hrtimer_restart (*fn)(struct hrtimer *))
{
#if TP_KERNEL_AT_LEAST(6, 13)
	hrtimer_setup(timer, fn, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
#else
	hrtimer_init(timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	timer->function = fn;
#endif
}

/* kobject_init_and_add() takes a const struct kobj_type since 6.2. */
#if TP_KERNEL_AT_LEAST(6, 2)
#define tp_kobj_type_arg(ktype) (ktype)
#else
#define tp_kobj_type_arg(ktype) ((void *)(ktype))
#endif

#endif /* TP_COMPAT_H */
