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
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/hrtimer.h>
#include <linux/ptrace.h>
#include <linux/ftrace.h>
#include <linux/string.h>
#include <linux/compat.h>
#include <linux/sched/task_stack.h>
#include <linux/unistd.h>
#include <asm/syscall.h>
#if defined(CONFIG_X86_64) && defined(CONFIG_IA32_EMULATION)
#include <asm/unistd_32_ia32.h>
#endif

#define TP_KERNEL_AT_LEAST(major, minor) \
	(KERNEL_VERSION((major), (minor), 0) <= LINUX_VERSION_CODE)

/* The panic notifier list moved out of kernel.h in 5.14. */
#if TP_KERNEL_AT_LEAST(5, 14)
#include <linux/panic_notifier.h>
#endif

/*
 * The shared queue for work that may run on any CPU. 6.17 added
 * system_dfl_wq for it. 7.2 warned once when our poll was queued on
 * system_wq ("enqueued on deprecated workqueue. Use
 * system_{percpu|dfl}_wq instead"); its schedule_delayed_work() uses
 * system_percpu_wq.
 */
#if TP_KERNEL_AT_LEAST(6, 17)
#define tp_any_cpu_wq system_dfl_wq
#else
#define tp_any_cpu_wq system_unbound_wq
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

/*
 * For a local the hot path fills field by field, which kernels built with
 * CONFIG_INIT_STACK_ALL_ZERO would zero first: 128 bytes for an event, on
 * every add_taint() (docs/PERFORMANCE.md). 5.10's headers lack the
 * attribute, and its compiler (gcc 10) does not zero.
 */
#ifndef __uninitialized
#define __uninitialized
#endif

/* Argument @n of a probed function, and the return address, at its entry. */
static inline unsigned long tp_probe_arg(struct pt_regs *regs, unsigned int n)
{
	return regs_get_kernel_argument(regs, n);
}

/* Argument 0 from @regs, false when there are none (an ftrace caller that did not save them). */
static __always_inline bool tp_regs_arg0(struct pt_regs *regs, unsigned long *arg)
{
	if (!regs)
		return false;
	*arg = tp_probe_arg(regs, 0);
	return true;
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

/*
 * The user address of the name the current task's delete_module() call
 * was given, 0 when its system call is another. A 64-bit task's call, and
 * where x86_64 runs them a 32-bit task's (IA32 emulation: i386's call
 * number, its registers, a 32-bit address) and an x32 task's (the 64-bit
 * call and registers, its number marked with __X32_SYSCALL_BIT; the
 * kernel reads the address as a 64-bit one's). arm64's AArch32 tasks'
 * calls are not read: 0.
 */
static inline unsigned long tp_delete_module_name_address(void)
{
	struct pt_regs *regs = task_pt_regs(current);
	unsigned long args[6];

	if (!in_compat_syscall()) {
		if (syscall_get_nr(current, regs) != __NR_delete_module)
			return 0;
		syscall_get_arguments(current, regs, args);
		return args[0];
	}
#if defined(CONFIG_X86_64) && defined(CONFIG_IA32_EMULATION)
	if (in_ia32_syscall() && syscall_get_nr(current, regs) == __NR_ia32_delete_module) {
		syscall_get_arguments(current, regs, args);
		return (u32)args[0];
	}
#endif
#if defined(CONFIG_X86_64) && defined(CONFIG_X86_X32_ABI)
	if (in_x32_syscall() &&
	    (syscall_get_nr(current, regs) & ~__X32_SYSCALL_BIT) == __NR_delete_module) {
		syscall_get_arguments(current, regs, args);
		return args[0];
	}
#endif
	return 0;
}

/*
 * Landmarks for the stack walk that finds who hit a WARN or an oops, by the
 * name of the function a frame is in (x86_64; elsewhere none are known, and
 * the walk goes on to the end of the stack).
 *
 * TP_FRAME_INTERRUPT_ENTRY: past this frame the stack is that of the code
 * an interrupt interrupted, which did not taint. The IDT entry stubs of
 * interrupts (asm_sysvec_*, asm_common_interrupt, asm_spurious_interrupt)
 * and of the exceptions that arrive like one (NMI, machine check, debug,
 * int3); and the softirq loop, which runs at an interrupt's end or at
 * local_bh_enable() on top of whatever was running: __do_softirq(), and
 * handle_softirqs() where the loop moved (6.1.0-57 has both, 5.10.0-46
 * only the first).
 *
 * TP_FRAME_TRAP_ENTRY: the entry stub of any other exception (asm_exc_*:
 * the invalid opcode of a WARN or BUG, a page fault ...). The frame past
 * it is the code that trapped, in the same context.
 */
enum tp_frame_kind {
	TP_FRAME_CODE,
	TP_FRAME_TRAP_ENTRY,
	TP_FRAME_INTERRUPT_ENTRY,
};

static inline enum tp_frame_kind tp_frame_kind(const char *symbol)
{
#if defined(CONFIG_X86_64)
	static const char * const interrupt_entries[] = {
		"asm_sysvec_", "asm_common_interrupt", "asm_spurious_interrupt",
		"asm_exc_nmi", "asm_exc_machine_check", "asm_exc_debug", "asm_exc_int3",
		"__do_softirq", "handle_softirqs",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(interrupt_entries); i++)
		if (!strncmp(symbol, interrupt_entries[i], strlen(interrupt_entries[i])))
			return TP_FRAME_INTERRUPT_ENTRY;
	if (!strncmp(symbol, "asm_exc_", 8))
		return TP_FRAME_TRAP_ENTRY;
#endif
	return TP_FRAME_CODE;
}

/*
 * ftrace callbacks on one function, where the kernel has dynamic ftrace
 * (TP_HAVE_FTRACE).
 *
 * Since 5.11 a callback gets a struct ftrace_regs. Where the architecture
 * has HAVE_DYNAMIC_FTRACE_WITH_ARGS (x86_64 since 5.11, arm64 since 6.2)
 * it holds the argument registers without asking, through the cheap
 * trampoline; elsewhere they come only with FTRACE_OPS_FL_SAVE_REGS, which
 * saves every register. The callback takes ftrace's recursion guard
 * itself, which spares the call through ftrace's assist function that
 * FTRACE_OPS_FL_RECURSION costs.
 *
 * Before 5.11 a callback gets a struct pt_regs, NULL unless the ops asks
 * for all registers, and it keeps a guard of its own (see below).
 *
 * Both ways the guard is per context: an interrupt or NMI that arrives
 * while the callback runs still gets its own call.
 */
#ifdef CONFIG_DYNAMIC_FTRACE
#define TP_HAVE_FTRACE 1
#if TP_KERNEL_AT_LEAST(5, 11)
#include <linux/trace_recursion.h>
#define tp_ftrace_regs ftrace_regs

#ifdef CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS
#define TP_FTRACE_OPS_FLAGS 0
#else
#define TP_FTRACE_OPS_FLAGS FTRACE_OPS_FL_SAVE_REGS
#endif

/* The traced function's first argument, false if @fregs does not hold it. */
static __always_inline bool tp_ftrace_arg0(struct ftrace_regs *fregs, unsigned long *arg)
{
#if defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS) && defined(ftrace_regs_get_argument)
	*arg = ftrace_regs_get_argument(fregs, 0);
	return true;
#elif defined(CONFIG_HAVE_DYNAMIC_FTRACE_WITH_ARGS)
	/* 5.11 to 6.1: every such architecture's ftrace_regs is a pt_regs. */
	return tp_regs_arg0(&fregs->regs, arg);
#else
	return tp_regs_arg0(ftrace_get_regs(fregs), arg);
#endif
}

/*
 * Enter a callback: a negative return means it recursed in this context
 * and must return at once. Preemption is off until tp_ftrace_leave().
 * The guard disables preemption itself only since 5.16.
 */
static __always_inline int tp_ftrace_enter(unsigned long ip, unsigned long parent_ip)
{
	int guard = ftrace_test_recursion_trylock(ip, parent_ip);

	if (!TP_KERNEL_AT_LEAST(5, 16) && guard >= 0)
		preempt_disable_notrace();
	return guard;
}

static __always_inline void tp_ftrace_leave(int guard)
{
	if (!TP_KERNEL_AT_LEAST(5, 16))
		preempt_enable_notrace();
	ftrace_test_recursion_unlock(guard);
}

/* ftrace keeps the guard: nothing to define. */
#define TP_DEFINE_FTRACE_GUARD() struct tp_ftrace_guard_unused
#else
#define tp_ftrace_regs pt_regs
#define TP_FTRACE_OPS_FLAGS (FTRACE_OPS_FL_SAVE_REGS | FTRACE_OPS_FL_RECURSION_SAFE)

static __always_inline bool tp_ftrace_arg0(struct pt_regs *regs, unsigned long *arg)
{
	return tp_regs_arg0(regs, arg);
}

/*
 * 5.10 has no guard a module can take (linux/trace_recursion.h came in
 * 5.11), and without FTRACE_OPS_FL_RECURSION_SAFE every call goes through
 * ftrace's assist function, an indirect call (a retpoline) on every
 * add_taint(). So a callback keeps its own guard: one bit per context
 * level in a per-CPU mask, which each module that uses these defines once
 * with TP_DEFINE_FTRACE_GUARD(). An NMI or interrupt that arrives while
 * the callback runs has its own level, and so its own call.
 */
DECLARE_PER_CPU(unsigned int, tp_ftrace_busy);
#define TP_DEFINE_FTRACE_GUARD() DEFINE_PER_CPU(unsigned int, tp_ftrace_busy)

static __always_inline int tp_ftrace_enter(unsigned long ip, unsigned long parent_ip)
{
	unsigned int level_bit = 1U << tp_context_level();

	preempt_disable_notrace();
	if (this_cpu_read(tp_ftrace_busy) & level_bit) {
		preempt_enable_notrace();
		return -1;
	}
	this_cpu_or(tp_ftrace_busy, level_bit);
	/* Set before the callback's body runs: an NMI now sees it. */
	barrier();
	return level_bit;
}

static __always_inline void tp_ftrace_leave(int guard)
{
	barrier();
	this_cpu_and(tp_ftrace_busy, ~(unsigned int)guard);
	preempt_enable_notrace();
}
#endif

/*
 * Emptying the filter frees it: ftrace_free_filter() is not exported on
 * every kernel we support, and an empty filter is the shared empty hash.
 * An empty filter also means "every function", so it is emptied only once
 * the ops is no longer registered.
 */
static inline void tp_ftrace_detach(struct ftrace_ops *ops)
{
	if (!unregister_ftrace_function(ops))
		ftrace_set_filter(ops, NULL, 0, 1);
}

/*
 * Call @ops on every entry to the function at @ip, and only there. The
 * filter is set by address, not by name: by name, ftrace_set_filter()
 * takes a failed allocation for a match (6.12's ftrace_set_hash() tests
 * ftrace_match_records() for zero, and it returns -ENOMEM), installs the
 * empty filter and reports success, and the callback then runs on every
 * function of the kernel. The faults boot of make check-debug found that.
 */
static inline int tp_ftrace_attach(struct ftrace_ops *ops, unsigned long ip)
{
	int err = ftrace_set_filter_ip(ops, ip, 0, 1);

	if (!err)
		err = register_ftrace_function(ops);
	if (err)
		ftrace_set_filter(ops, NULL, 0, 1);
	return err;
}
#endif /* CONFIG_DYNAMIC_FTRACE */

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

/*
 * Kernel control-flow integrity: every indirect call checks its target's
 * type and traps on a mismatch. CONFIG_CFI_CLANG (5.13 on) was renamed
 * CONFIG_CFI in 6.18, when gcc could build it too.
 */
#if defined(CONFIG_CFI_CLANG) || defined(CONFIG_CFI)
#define TP_KERNEL_CFI 1
#else
#define TP_KERNEL_CFI 0
#endif

/* kobject_init_and_add() takes a const struct kobj_type since 6.2. */
#if TP_KERNEL_AT_LEAST(6, 2)
#define tp_kobj_type_arg(ktype) (ktype)
#else
#define tp_kobj_type_arg(ktype) ((void *)(ktype))
#endif

#endif /* TP_COMPAT_H */
