// SPDX-License-Identifier: GPL-2.0
/*
 * The hooks that see taint being set, and the fallbacks that notice what
 * they missed:
 *   ftrace add_taint        the moment, the task and the code path (any context);
 *                           a kprobe where the kernel has no dynamic ftrace
 *   kretprobe load_module   which module a load-time taint belongs to, and
 *                           loads that tainted and then failed
 *   kretprobe proc_taint    writes to /proc/sys/kernel/tainted (7.x sets the
 *                           bits without a probe-able add_taint call), and
 *   kretprobe proc_doulongvec_minmax
 *                           the value its parser took, or none
 *   module notifier         load and unload times; taints no probe explained
 *   poll (poll_ms) and a check on every debugfs open
 *                           bits that became set or clear behind every hook
 *   die and panic notifiers a provenance summary on the crash console
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/hash.h>
#include <linux/kallsyms.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/kdebug.h>
#include <linux/kprobes.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/notifier.h>
#include <linux/percpu.h>
#include <linux/sched/clock.h>
#include <linux/stacktrace.h>
#include <linux/string.h>
#include <linux/ktime.h>
#include <linux/timekeeping.h>
#include <linux/overflow.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "record.h"
#include "tp.h"

/*
 * Loads in flight at once: each holds its slot until load_module() returns,
 * after the module's init, which may take seconds to probe hardware. udev
 * runs up to 8 + 2 per CPU workers at boot, each of which may be loading
 * a module, and the kernel's default for a kretprobe is 2 per CPU: that
 * many, within these bounds.
 */
#define TP_LOADING_SLOTS_MIN 64U
#define TP_LOADING_SLOTS_MAX 1024U
#define TP_PROC_SLOTS 8
#define TP_STACK_DEPTH 32
/* An add_taint() probe records just before the bit is set; allow for that. */
#define TP_POLL_SLACK_NS (100 * NSEC_PER_MSEC)

/*
 * A call in flight that taints on behalf of its task (load_module(),
 * proc_taint()). add_taint() marks the bits it recorded for the task in
 * the task's slot, so the call's return handler knows what was seen.
 */
struct tp_task_call {
	struct task_struct *task;	/* NULL: the slot is free */
	atomic_long_t bits;		/* bits add_taint() recorded for it meanwhile */
};

struct tp_call_table {
	struct tp_task_call *slots;
	unsigned int size;
	atomic_t in_flight;		/* tp_call_find() searches only if any */
};

static struct tp_task_call tp_proc_slots[TP_PROC_SLOTS];
/*
 * The value the kernel took from a /proc/sys/kernel/tainted write, by the
 * index of the write's slot in tp_proc_slots (tp_proc_value_probe).
 */
struct tp_proc_taken {
	unsigned long value;
	bool known;
};

static struct tp_proc_taken tp_proc_taken[TP_PROC_SLOTS];
/* Its slots are allocated at init, tp_loading_slots() of them. */
static struct tp_call_table tp_load_calls;
static struct tp_call_table tp_proc_calls = { tp_proc_slots, TP_PROC_SLOTS };
/*
 * Calls in flight in either table: add_taint() takes the slow path only if
 * any, and a storm's call tests this one word, not both tables' counts.
 * The slow path then searches only a table with calls in flight: with one
 * count alone, a load's add_taint() calls each searched the /proc writes'
 * table too (about 40 instructions each on 5.10, docs/PERFORMANCE.md).
 */
static atomic_t tp_task_calls_in_flight = ATOMIC_INIT(0);

/* What a load in flight knows, at the index of its slot in tp_load_calls. */
struct tp_loading {
	unsigned long info;		/* struct load_info *; its first member is the name */
	u64 ts, real;
	bool coming;			/* the module reached MODULE_STATE_COMING */
	char name[MODULE_NAME_LEN] __tp_name_aligned;	/* kept: tp_name_keep() */
};

/* Allocated with tp_load_calls' slots, as many, after them. */
static struct tp_loading *tp_loading;

/*
 * Resolving a caller costs microseconds (kallsyms name expansion); the same
 * few callers assert taint over and over (a WARN_ON in a loop). A small
 * per-CPU, per-context-level cache keeps their resolution. Any module
 * coming or going bumps the generation, so an address in a module is never
 * resolved from the cache once another module could hold it; core kernel
 * text (load_module() asserting P, O, E) stays cached across loads.
 *
 * Each address has a set of two entries, the newer first. With one entry
 * per address, two of a load's call sites that hashed to it took turns to
 * evict each other, and every such load resolved both again: on 6.1 a
 * proprietary module's load (P, O and E from three sites) did, and cost
 * 1.035 times a load without the tracker in counted instructions, 1.018
 * with sets (docs/PERFORMANCE.md, "Counted instructions").
 */
#define TP_SYMBOL_CACHE_SETS 4
#define TP_SYMBOL_CACHE_WAYS 2
struct tp_symbol_cache_entry {
	unsigned long addr;
	unsigned long generation;
	bool in_module;		/* else core kernel text, which never changes owner */
	struct tp_caller caller;
};

/*
 * Each CPU's symbol caches and the scratch buffers tp_resolve() prints
 * into, per context level: 5,992 bytes per CPU on 6.1 (4,288 on 5.10,
 * whose KSYM_NAME_LEN is 128), allocated at load. The module loader takes
 * a module's static per-CPU data (DEFINE_PER_CPU) from a reserve that all
 * modules share, 8 KiB on the kernels we know of, and a tracker holding
 * most of it would make the next module with such data fail to load.
 */
struct tp_cpu_symbols {
	struct tp_symbol_cache_entry
		cache[TP_CONTEXT_LEVELS][TP_SYMBOL_CACHE_SETS][TP_SYMBOL_CACHE_WAYS];
	char scratch[TP_CONTEXT_LEVELS][KSYM_SYMBOL_LEN];
};

static struct tp_cpu_symbols __percpu *tp_cpu_symbols __read_mostly;
static atomic_long_t tp_symbol_generation = ATOMIC_LONG_INIT(1);

static bool tp_have_load_module, tp_have_proc_taint, tp_have_proc_value;
static bool tp_have_notifier, tp_have_die, tp_have_panic;
static bool tp_poll_enabled;	/* under the parameter lock */

/* ---- symbols ---------------------------------------------------------- */

/*
 * Resolve @addr as "symbol+0xoff/0xlen [module]" in the scratch buffer of
 * context @level (the caller's tp_context_level()) into @out, every byte of
 * it. sprint_symbol() only reads kallsyms and the module latch tree, so it
 * is safe here in any context. Returns whether @addr lies in a module's
 * code.
 */
static bool tp_resolve(unsigned long addr, unsigned int level, struct tp_caller *out)
{
	char *buf = this_cpu_ptr(tp_cpu_symbols)->scratch[level];
	char *plus, *slash, *module;
	unsigned long off = 0, len = 0;

	sprint_symbol(buf, addr);
	module = strstr(buf, " [");
	if (module) {
		*module = '\0';
		module += 2;
		module[strcspn(module, "] ")] = '\0';
	}
	plus = strrchr(buf, '+');
	slash = plus ? strchr(plus, '/') : NULL;
	if (plus && slash) {
		*plus = '\0';
		*slash = '\0';
		if (kstrtoul(plus + 1, 0, &off) || kstrtoul(slash + 1, 0, &len)) {
			off = 0;
			len = 0;
		}
	}
	out->off = off;
	out->len = len;
	out->blame = module;
	strscpy_pad(out->symbol, buf, sizeof(out->symbol));
	strscpy_pad(out->module, module ?: "", sizeof(out->module));
	return module;
}

/* The cache set for @addr at context @level: its TP_SYMBOL_CACHE_WAYS entries. */
static __always_inline struct tp_symbol_cache_entry *tp_cache_set(unsigned long addr,
								  unsigned int level)
{
	return this_cpu_ptr(tp_cpu_symbols)->cache[level]
		[hash_long(addr, ilog2(TP_SYMBOL_CACHE_SETS))];
}

/* Whether @entry holds @addr's resolution, and it still holds. */
static __always_inline bool tp_cache_holds(const struct tp_symbol_cache_entry *entry,
					   unsigned long addr)
{
	return entry->addr == addr &&
	       (!entry->in_module || entry->generation == atomic_long_read(&tp_symbol_generation));
}

/*
 * Whether @addr's resolution at @level is cached, in *@caller; false is a
 * miss, for tp_resolve_into_cache(). A flag, not a pointer that may be
 * NULL: the hot path would test the pointer once more.
 */
static __always_inline bool tp_cached_caller(unsigned long addr, unsigned int level,
					     const struct tp_caller **caller)
{
	const struct tp_symbol_cache_entry *set = tp_cache_set(addr, level);

	BUILD_BUG_ON(TP_SYMBOL_CACHE_WAYS != 2);
	if (tp_cache_holds(&set[0], addr)) {
		*caller = &set[0].caller;
		return true;
	}
	if (tp_cache_holds(&set[1], addr)) {
		*caller = &set[1].caller;
		return true;
	}
	return false;
}

/*
 * A cache miss: resolve @addr into the set's first entry. The entry there
 * moves to second place, unless it is @addr's own gone stale; the second
 * is dropped.
 */
static noinline const struct tp_caller *tp_resolve_into_cache(unsigned long addr,
							      unsigned int level)
{
	struct tp_symbol_cache_entry *set = tp_cache_set(addr, level);

	if (set[0].addr != addr)
		set[1] = set[0];
	/* Read first: a module that comes meanwhile makes this entry stale, not wrong. */
	set[0].generation = atomic_long_read(&tp_symbol_generation);
	set[0].in_module = tp_resolve(addr, level, &set[0].caller);
	set[0].addr = addr;
	return &set[0].caller;
}

/*
 * For W and D the direct caller is the taint machinery (__warn, oops_end).
 * Walk the stack from add_taint()'s caller (above it are the hook's frames:
 * ours, and the ftrace or kprobe core's) to the first frame in a module's
 * code, ours included: that module is responsible, and that frame is the
 * code path. The walk stops at the entry of the interrupt the taint came
 * in, if it came in one: the frames past it are the interrupted code's,
 * which did not taint. With no module before that, nobody is blamed, and
 * the code path is the code that trapped (a WARN's site), when a trap was
 * passed. @level is the context's tp_context_level(). Returns whether
 * @frame was filled.
 */
static bool tp_blame_stack(unsigned int level, struct tp_caller *frame)
{
	unsigned long entries[TP_STACK_DEPTH], trap_site = 0;
	unsigned int n, i;

	n = stack_trace_save(entries, ARRAY_SIZE(entries), 0);
	for (i = 0; i < n; i++) {
		tp_resolve(entries[i], level, frame);
		if (!strcmp(frame->symbol, "add_taint"))
			break;
	}
	for (i++; i < n; i++) {
		enum tp_frame_kind kind;

		if (tp_resolve(entries[i], level, frame))
			return true;
		kind = tp_frame_kind(frame->symbol);
		if (kind == TP_FRAME_INTERRUPT_ENTRY)
			break;
		if (kind == TP_FRAME_TRAP_ENTRY && !trap_site && i + 1 < n)
			trap_site = entries[i + 1];
	}
	if (!trap_site)
		return false;
	tp_resolve(trap_site, level, frame);
	return true;
}

/*
 * Copy a string from kernel memory that may not be there, a byte at a time
 * (strncpy_from_kernel_nofault() is not exported). Returns its length, or
 * -EFAULT with @dst holding what was read before the fault.
 */
static long tp_copy_kernel_string(char *dst, const char *src, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i++) {
		if (copy_from_kernel_nofault(&dst[i], src + i, 1)) {
			dst[i] = '\0';
			return -EFAULT;
		}
		if (!dst[i])
			return i;
	}
	dst[i] = '\0';
	return i;
}

/* ---- calls in flight ---------------------------------------------------- */

static struct tp_task_call *tp_call_claim(struct tp_call_table *table)
{
	unsigned int i;

	for (i = 0; i < table->size; i++) {
		struct tp_task_call *call = &table->slots[i];

		if (!cmpxchg(&call->task, NULL, current)) {
			atomic_long_set(&call->bits, 0);
			atomic_inc(&table->in_flight);
			atomic_inc(&tp_task_calls_in_flight);
			return call;
		}
	}
	return NULL;
}

/* Whether any call of either table is in flight: else there is nothing to find. */
static __always_inline bool tp_calls_in_flight(void)
{
	return atomic_read(&tp_task_calls_in_flight);
}

/* The current task's call in @table; only in task context. */
static struct tp_task_call *tp_call_find(struct tp_call_table *table)
{
	unsigned int i;

	if (!atomic_read(&table->in_flight))
		return NULL;
	for (i = 0; i < table->size; i++)
		if (READ_ONCE(table->slots[i].task) == current)
			return &table->slots[i];
	return NULL;
}

static void tp_call_release(struct tp_call_table *table, struct tp_task_call *call)
{
	/* Pairs with READ_ONCE() in tp_call_find(): the slot is free again. */
	smp_store_release(&call->task, NULL);
	atomic_dec(&table->in_flight);
	atomic_dec(&tp_task_calls_in_flight);
}

static struct tp_loading *tp_loading_of(const struct tp_task_call *call)
{
	return &tp_loading[call - tp_load_calls.slots];
}

/*
 * Whether struct load_info's first member was seen to be the name of the
 * module being loaded: set once a load's name read through it (with
 * copy_from_kernel_nofault()) equalled the module's own name at
 * MODULE_STATE_COMING. The layout is the running kernel's, so it holds for
 * every later load, and those read the name with plain loads.
 */
static bool tp_load_info_name_seen __read_mostly;

/*
 * Whether a name read through struct load_info before its layout was seen
 * can be a module's: not empty, and printable without blanks up to its
 * NUL. On a kernel whose struct load_info began with another member, the
 * read would land on other bytes (an ELF header's, a struct module's
 * state), and the load's events would carry them as its name; this keeps
 * most such reads out, and those events then name no module, as when the
 * read faults. The gate then stays shut (tp_loading_name_check()).
 */
static bool tp_loading_name_plausible(const char *kept)
{
	const unsigned char *byte = (const unsigned char *)kept;
	unsigned int i;

	for (i = 0; i < MODULE_NAME_LEN && byte[i]; i++)
		if (byte[i] <= ' ' || byte[i] > '~')
			return false;
	return i > 0;
}

/*
 * The name of the module being loaded, read from struct load_info and kept
 * (tp_name_keep()): the slow path copies the field whole into each event.
 * Only before MODULE_STATE_COMING, whose notifier keeps the module's own
 * name: load_module() frees the copy of the module file that the name
 * points into once past COMING.
 *
 * Until the layout is known (tp_load_info_name_seen) the reads are
 * copy_from_kernel_nofault(), whose two calls cost a 5.10 load about 230
 * instructions (docs/PERFORMANCE.md): the name in one copy first, as a byte
 * at a time cost about 950. Then the pointer is a plain load, and so is the
 * name, a word at a time and none past its NUL's word (tp_name_keep()),
 * where its whole field lies in the page the name starts in, which the
 * kernel's copy of the file maps. Else (a name in the last bytes of a
 * page, the file's last page among them, or one not word-aligned on an
 * architecture that reads such words slowly or not at all) the name is
 * read as before the layout was known: the next page may be the vmalloc()
 * guard page, and a module file may end in a name without its NUL.
 */
static void tp_loading_name(struct tp_loading *load)
{
	/* Read once: the check at the end must follow the read it guards. */
	bool layout_seen = READ_ONCE(tp_load_info_name_seen);
	const char *name;

	if (load->name[0] || load->coming || !load->info)
		return;
	if (layout_seen) {
		name = *(const char * const *)load->info;
		if (!name)
			return;
		if (offset_in_page(name) <= PAGE_SIZE - sizeof(load->name) &&
		    (IS_ENABLED(CONFIG_HAVE_EFFICIENT_UNALIGNED_ACCESS) ||
		     IS_ALIGNED((unsigned long)name, sizeof(unsigned long)))) {
			tp_name_keep(load->name, name);
			return;
		}
	} else if (copy_from_kernel_nofault(&name, (const void *)load->info, sizeof(name)) ||
		   !name) {
		return;
	}
	/*
	 * A copy that faults (the field runs past the mapped pages) may leave
	 * junk in the field: on 6.1 the word where it faulted held the word
	 * read before it. The byte copy writes what it reads up to the fault,
	 * and the pad every byte after.
	 */
	if (copy_from_kernel_nofault(load->name, name, sizeof(load->name)))
		tp_copy_kernel_string(load->name, name, sizeof(load->name));
	tp_name_keep(load->name, load->name);	/* the pad */
	if (!layout_seen && !tp_loading_name_plausible(load->name))
		memset(load->name, 0, sizeof(load->name));
}

/* At MODULE_STATE_COMING: whether the name read through @load->info was @mod's. */
static void tp_loading_name_check(const struct tp_loading *load, const struct module *mod)
{
	char kept[MODULE_NAME_LEN] __tp_name_aligned;

	if (READ_ONCE(tp_load_info_name_seen) || !load->name[0])
		return;
	tp_name_keep(kept, mod->name);
	if (tp_name_equal(kept, load->name))
		WRITE_ONCE(tp_load_info_name_seen, true);
}

static int tp_load_module_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tp_task_call *call = tp_call_claim(&tp_load_calls);
	struct tp_loading *load;

	if (!call)
		return 1;	/* all slots busy: no return handler for this one */
	load = tp_loading_of(call);
	load->info = tp_probe_arg(regs, 0);
	tp_clock_now(&load->ts, &load->real);
	load->coming = false;
	memset(load->name, 0, sizeof(load->name));
	*(struct tp_task_call **)ri->data = call;
	return 0;
}

static int tp_load_module_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tp_task_call *call = *(struct tp_task_call **)ri->data;
	struct tp_loading *load = tp_loading_of(call);
	int ret = (int)regs_return_value(regs);
	unsigned long bits = atomic_long_read(&call->bits);
	unsigned int bit;

	if (ret < 0 && bits) {
		for_each_set_bit(bit, &bits, TP_NBITS) {
			struct tp_event ev = { .bit = bit, .via = TP_VIA_LOAD_FAILED };

			tp_event_fill_task(&ev);
			strscpy(ev.module, load->name, sizeof(ev.module));
			tp_record(&ev);
		}
		if (load->coming)
			tp_module_unloaded(load->name, NULL, TP_MOD_FAILED);
		else
			tp_module_loaded(load->name, NULL, bits, load->ts, load->real,
					 TP_MOD_FAILED);
	}
	tp_call_release(&tp_load_calls, call);
	return 0;
}

static struct kretprobe tp_load_module_probe = {
	.kp.symbol_name = "load_module",
	.entry_handler = tp_load_module_entry,
	.handler = tp_load_module_return,
	.data_size = sizeof(struct tp_task_call *),
	/* .maxactive: tp_loading_slots(), at init */
};

/* ---- add_taint --------------------------------------------------------- */

/*
 * R from a forced unload (rmmod -f): delete_module() sets it before the
 * module goes, and nothing it hands add_taint() names the module. The
 * task is still in that system call, whose first argument is the name it
 * was given, in user memory the kernel has just read it from: read it
 * again, without faulting (a hook may not sleep), in two reads if it
 * crosses a page, as the next page need not be mapped when the name ends
 * before it. A 32-bit x86 task's call is read too (compat.h).
 */
static bool tp_forced_unload_name(char name[MODULE_NAME_LEN])
{
	const char __user *user_name;
	unsigned long address;
	size_t head;

	if (current->flags & PF_KTHREAD)
		return false;
	address = tp_delete_module_name_address();
	if (!address)
		return false;
	user_name = (const char __user *)address;
	head = min_t(size_t, MODULE_NAME_LEN, PAGE_SIZE - offset_in_page(address));
	if (copy_from_user_nofault(name, user_name, head))
		return false;
	if (head < MODULE_NAME_LEN && !memchr(name, '\0', head) &&
	    copy_from_user_nofault(name + head, user_name + head, MODULE_NAME_LEN - head))
		return false;
	name[MODULE_NAME_LEN - 1] = '\0';
	return name[0] != '\0';
}

/*
 * @bit is being set by the code that add_taint() returns to at
 * @return_address, at context @level, and a slow case holds: a W or D to
 * blame on a frame further up, an R whose forced unload to name, a module
 * load or taint write in flight, or a caller not in this context's cache.
 * What takes time (a stack walk, kallsyms, reading the loading module's
 * name) is done first; then the event is filled in its ring slot, as on
 * the hot path, not built on the stack and copied.
 */
static noinline void tp_add_taint_record_slow(unsigned long bit, u8 flags,
					      unsigned long return_address, unsigned int level)
{
	/* Only filled when no ring slot would take the event. */
	struct tp_event spare __uninitialized;
	struct tp_claim claim __uninitialized;
	struct tp_task_call *load = NULL, *proc = NULL;
	struct tp_loading *loading = NULL;
	const struct tp_caller *caller;
	char forced_out[MODULE_NAME_LEN];
	bool forced = false;
	struct tp_caller frame;
	struct tp_event *ev;

	if (!level) {
		load = tp_call_find(&tp_load_calls);
		proc = tp_call_find(&tp_proc_calls);
	}
	if (proc)
		atomic_long_or(BIT(bit), &proc->bits);

	if ((bit == TAINT_WARN || bit == TAINT_DIE) && tp_blame_stack(level, &frame)) {
		caller = &frame;
	} else {
		if (!tp_cached_caller(return_address, level, &caller))
			caller = tp_resolve_into_cache(return_address, level);
		if (bit == TAINT_FORCED_RMMOD && !level)
			forced = tp_forced_unload_name(forced_out);
		if (load) {
			loading = tp_loading_of(load);
			tp_loading_name(loading);
			atomic_long_or(BIT(bit), &load->bits);
		}
	}
	spare.seq = 0;
	ev = tp_record_claim(&claim, &spare, level);
	tp_event_fill_add_taint(ev, bit, flags, caller);
	if (loading) {
		/* NUL-padded (tp_loading_name()): the field is its head, cut short if long. */
		BUILD_BUG_ON(sizeof(ev->module) > sizeof(loading->name));
		memcpy(ev->module, loading->name, sizeof(ev->module) - 1);
		ev->module[sizeof(ev->module) - 1] = '\0';
	} else if (forced) {
		strscpy(ev->module, forced_out, sizeof(ev->module));
	}
	tp_record_commit(&claim, ev);
}

/*
 * Bits whose every event takes the slow path: W and D to blame a frame
 * further up, R to name the module a forced unload removes. One test on
 * the hot path (three compares took 6 more instructions a call on 5.10).
 */
#define TP_SLOW_PATH_BITS (BIT(TAINT_WARN) | BIT(TAINT_DIE) | BIT(TAINT_FORCED_RMMOD))

/*
 * Inlined into each hook, this is the whole hot path of a taint storm,
 * the store's part included (record.h): it fills the ring slot in place
 * and calls out only to test_taint() and the clock. Each call and copy
 * costs (docs/PERFORMANCE.md).
 */
static __always_inline void tp_add_taint_record(unsigned long bit,
						unsigned long return_address)
{
	u8 flags = test_taint(bit) ? 0 : TP_EV_NEW;
	/* Worked out once: the cache, the claim and the slow path need it (0 is in_task()). */
	unsigned int level = tp_context_level();
	const struct tp_caller *caller;

	if ((BIT(bit) & TP_SLOW_PATH_BITS) || (!level && tp_calls_in_flight()))
		goto slow;
	if (!tp_cached_caller(return_address, level, &caller))
		goto slow;
	tp_record_call(bit, flags, caller, level);
	return;
slow:
	tp_add_taint_record_slow(bit, flags, return_address, level);
}

/*
 * The add_taint() hook is an ftrace callback where the kernel has dynamic
 * ftrace. ftrace's recursion guard is per context, so an add_taint() from
 * an interrupt or NMI that arrives while the callback runs on the same CPU
 * gets its own call; everything the callback touches per CPU is kept per
 * context level. Elsewhere it is a kprobe, which does not nest: an
 * add_taint() from an interrupt that arrives while the kprobe handler runs
 * is skipped by the kprobe core (counted in nmissed). So the kprobe handler
 * runs with interrupts off, and only an NMI, or an interrupt in the few
 * instructions of the kprobe core around it, can still be missed, and
 * those are counted: see tp_hooks_missed().
 */
enum tp_add_taint_hook {
	TP_HOOK_NONE,
	TP_HOOK_FTRACE,
	TP_HOOK_KPROBE,
};

static enum tp_add_taint_hook tp_add_taint_hook;
static atomic_long_t tp_add_taint_unseen = ATOMIC_LONG_INIT(0);

static int tp_add_taint_pre(struct kprobe *probe, struct pt_regs *regs)
{
	unsigned long bit = tp_probe_arg(regs, 0);
	unsigned long irqflags;

	if (bit >= TP_NBITS)
		return 0;
	local_irq_save(irqflags);
	tp_add_taint_record(bit, tp_probe_return_address(regs));
	local_irq_restore(irqflags);
	return 0;
}

static struct kprobe tp_add_taint_probe = {
	.symbol_name = "add_taint",
	.pre_handler = tp_add_taint_pre,
};

#ifdef TP_HAVE_FTRACE
TP_DEFINE_FTRACE_GUARD();

static void tp_add_taint_traced(unsigned long ip, unsigned long return_address,
				struct ftrace_ops *ops, struct tp_ftrace_regs *fregs)
{
	unsigned long bit;
	int guard;

	if (!tp_ftrace_arg0(fregs, &bit)) {
		/* Not asked for: no arguments to read. Counted, never guessed. */
		atomic_long_inc(&tp_add_taint_unseen);
		return;
	}
	if (bit >= TP_NBITS)
		return;
	guard = tp_ftrace_enter(ip, return_address);
	if (guard < 0) {
		/* add_taint() from inside this callback's own context: counted. */
		atomic_long_inc(&tp_add_taint_unseen);
		return;
	}
	tp_add_taint_record(bit, return_address);
	tp_ftrace_leave(guard);
}

/* PERMANENT: while it is registered, ftrace cannot be switched off under it. */
static struct ftrace_ops tp_add_taint_ops = {
	.func = tp_add_taint_traced,
	.flags = TP_FTRACE_OPS_FLAGS | FTRACE_OPS_FL_PERMANENT,
};

static int tp_add_taint_trace(void)
{
	return tp_ftrace_attach(&tp_add_taint_ops, (unsigned long)add_taint);
}

static void tp_add_taint_untrace(void)
{
	tp_ftrace_detach(&tp_add_taint_ops);
}
#else
static int tp_add_taint_trace(void)
{
	return -EOPNOTSUPP;
}

static void tp_add_taint_untrace(void)
{
}
#endif

/* ftrace first and a kprobe where that cannot be had, unless hook= names one. */
static void tp_hook_add_taint(void)
{
	enum tp_hook_choice choice = tp_param_hook();
	int traced = 0, probed = 0;

	if (choice != TP_HOOK_ONLY_KPROBE) {
		traced = tp_add_taint_trace();
		if (!traced) {
			pr_info("add_taint() hooked with ftrace\n");
			tp_add_taint_hook = TP_HOOK_FTRACE;
			return;
		}
	}
	if (choice != TP_HOOK_ONLY_FTRACE) {
		probed = register_kprobe(&tp_add_taint_probe);
		if (!probed) {
			if (choice == TP_HOOK_ONLY_KPROBE)
				pr_info("add_taint() hooked with a kprobe: hook=kprobe\n");
			else
				pr_info("add_taint() hooked with a kprobe: no ftrace callback (%d)\n",
					traced);
			tp_add_taint_hook = TP_HOOK_KPROBE;
			return;
		}
	}
	if (choice == TP_HOOK_AUTO)
		pr_warn("cannot hook add_taint (ftrace %d, kprobe %d): relying on notifiers and polling\n",
			traced, probed);
	else
		pr_warn("cannot hook add_taint with hook=%s (%d): relying on notifiers and polling\n",
			tp_param_hook_name(), traced ?: probed);
}

static void tp_unhook_add_taint(void)
{
	if (tp_add_taint_hook == TP_HOOK_FTRACE)
		tp_add_taint_untrace();
	else if (tp_add_taint_hook == TP_HOOK_KPROBE)
		unregister_kprobe(&tp_add_taint_probe);
	tp_add_taint_hook = TP_HOOK_NONE;
}

/* ---- /proc/sys/kernel/tainted ------------------------------------------ */

struct tp_proc_call {
	struct tp_task_call *call;	/* the task's slot while the write runs */
	unsigned long written;		/* the value written */
	unsigned long before;		/* the mask at entry */
};

static struct tp_proc_taken *tp_proc_taken_of(const struct tp_task_call *call)
{
	return &tp_proc_taken[call - tp_proc_slots];
}

static int tp_proc_taint_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tp_proc_call *proc = (struct tp_proc_call *)ri->data;
	int write = tp_probe_arg(regs, 1);
	const char *buffer = (const char *)tp_probe_arg(regs, 2);
	char text[24];

	if (!write)
		return 1;	/* no return handler */
	proc->written = 0;
	/*
	 * Since 5.8 sysctl handlers get a NUL-terminated kernel copy. The
	 * value is the one the kernel's parser takes, else 7.x would log the
	 * bits with no writer: after any number of blanks, up to the first
	 * space, tab or newline; the kernel takes that first value and
	 * leaves the rest of the write unread ("8 256" sets R alone). Where
	 * tp_proc_value_probe sees what the kernel took, that wins.
	 */
	if (buffer && tp_copy_kernel_string(text, skip_spaces(buffer), sizeof(text)) > 0) {
		text[strcspn(text, " \t\n")] = '\0';
		if (kstrtoul(text, 0, &proc->written))
			proc->written = 0;
	}
	proc->before = tp_taint_mask();
	proc->call = tp_call_claim(&tp_proc_calls);
	if (proc->call)
		tp_proc_taken_of(proc->call)->known = false;
	return 0;
}

/*
 * Bits the write asserted that add_taint() did not record for this task
 * (7.x sets them without add_taint()). Without a slot (all busy) every
 * asserted bit is recorded: a duplicate is better than a gap.
 *
 * The kernel asserts the bits of its copy of the mask after its parser ran:
 * the value written, or, when it took none (a write at a non-zero file
 * offset under kernel.sysctl_writes_strict=1, the default, or an empty
 * one), the mask as it read it, every bit again. tp_proc_value_probe reads
 * that copy where the parser is a call of its own; else the value written
 * is taken for it.
 */
static int tp_proc_taint_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tp_proc_call *proc = (struct tp_proc_call *)ri->data;
	unsigned long asserted = proc->written;
	unsigned int bit;

	if (proc->call && tp_proc_taken_of(proc->call)->known)
		asserted = tp_proc_taken_of(proc->call)->value;
	asserted &= tp_taint_mask();
	if (proc->call) {
		asserted &= ~atomic_long_read(&proc->call->bits);
		tp_call_release(&tp_proc_calls, proc->call);
	}
	if ((long)regs_return_value(regs) < 0)
		return 0;
	for_each_set_bit(bit, &asserted, TP_NBITS) {
		struct tp_event ev = { .bit = bit, .via = TP_VIA_PROC };

		if (!(proc->before & BIT(bit)))
			ev.flags |= TP_EV_NEW;
		tp_event_fill_task(&ev);
		strscpy(ev.caller, "proc_taint", sizeof(ev.caller));
		tp_record(&ev);
	}
	return 0;
}

static struct kretprobe tp_proc_taint_probe = {
	.kp.symbol_name = "proc_taint",
	.entry_handler = tp_proc_taint_entry,
	.handler = tp_proc_taint_return,
	.data_size = sizeof(struct tp_proc_call),
	.maxactive = TP_PROC_SLOTS,
};

/*
 * proc_taint() hands its parser a copy of the sysctl table whose data is
 * its own copy of the mask, and asserts that copy's bits after it. The
 * parser's return reads it: the value taken, or the mask untouched.
 */
struct tp_proc_value_call {
	struct tp_task_call *call;	/* the task's proc_taint() call in flight */
	const unsigned long *value;	/* proc_taint()'s copy of the mask */
};

static int tp_proc_value_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct tp_proc_value_call *parse = (struct tp_proc_value_call *)ri->data;
	const struct ctl_table *table = (const struct ctl_table *)tp_probe_arg(regs, 0);

	/* Only a write inside proc_taint(): the task's call in flight. */
	if (!tp_probe_arg(regs, 1) || !table || !table->data ||
	    table->maxlen != sizeof(unsigned long))
		return 1;
	parse->call = tp_call_find(&tp_proc_calls);
	if (!parse->call)
		return 1;
	parse->value = table->data;
	return 0;
}

static int tp_proc_value_return(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct tp_proc_value_call *parse = (const struct tp_proc_value_call *)ri->data;

	if ((long)regs_return_value(regs) < 0)
		return 0;
	tp_proc_taken_of(parse->call)->value = READ_ONCE(*parse->value);
	tp_proc_taken_of(parse->call)->known = true;
	return 0;
}

static struct kretprobe tp_proc_value_probe = {
	.kp.symbol_name = "proc_doulongvec_minmax",
	.entry_handler = tp_proc_value_entry,
	.handler = tp_proc_value_return,
	.data_size = sizeof(struct tp_proc_value_call),
	.maxactive = TP_PROC_SLOTS,
};

/* ---- module notifier ---------------------------------------------------- */

/* Loads that came up with no loading slot: their add_taint() events name no module. */
static atomic_long_t tp_loads_unseen = ATOMIC_LONG_INIT(0);

static void tp_module_coming(struct module *mod)
{
	struct tp_task_call *call = tp_call_find(&tp_load_calls);
	struct tp_loading *load = call ? tp_loading_of(call) : NULL;
	unsigned long taints = READ_ONCE(mod->taints);
	unsigned long unexplained = taints;
	unsigned int bit;
	u64 ts, real;

	if (load) {
		tp_loading_name_check(load, mod);
		/* Mostly it holds this name already (tp_loading_name()): a copy costs no more. */
		tp_name_keep(load->name, mod->name);
		load->coming = true;
		unexplained &= ~atomic_long_read(&call->bits);
		/* The load began when load_module() was entered. */
		ts = load->ts;
		real = load->real;
	} else {
		/*
		 * A load the load_module() probe did not see: every slot was
		 * taken, or it was inside load_module() when the tracker
		 * registered. The add_taint() hook saw its taints all the
		 * same, unnamed, and counted them: they are not to be counted
		 * again here. It began no later than the first of them.
		 */
		atomic_long_inc(&tp_loads_unseen);
		tp_clock_now(&ts, &real);
		if (taints)
			unexplained &= ~tp_store_unnamed_task_bits(task_pid_nr(current), taints,
								   &ts, &real);
	}
	for_each_set_bit(bit, &unexplained, TP_NBITS) {
		struct tp_event ev = { .bit = bit, .via = TP_VIA_NOTIFIER };

		tp_event_fill_task(&ev);
		strscpy(ev.module, mod->name, sizeof(ev.module));
		tp_record(&ev);
	}
	if (taints)
		tp_module_loaded(mod->name, mod, taints, ts, real, TP_MOD_LIVE);
}

static int tp_module_notify(struct notifier_block *nb, unsigned long state, void *data)
{
	struct module *mod = data;

	/* Addresses change owners only when modules come and go. */
	if (state == MODULE_STATE_COMING || state == MODULE_STATE_GOING)
		atomic_long_inc(&tp_symbol_generation);
	if (state == MODULE_STATE_COMING)
		tp_module_coming(mod);
	else if (state == MODULE_STATE_GOING)
		tp_module_unloaded(mod->name, mod, TP_MOD_GONE);
	return NOTIFY_DONE;
}

static struct notifier_block tp_module_nb = {
	.notifier_call = tp_module_notify,
};

/* ---- poll: what every hook missed --------------------------------------- */

static DEFINE_MUTEX(tp_poll_lock);
static unsigned long tp_poll_mask;	/* the mask at the last check */
static u64 tp_poll_ts;			/* just before it was read */
static void tp_poll_work_fn(struct work_struct *work);
static DECLARE_DELAYED_WORK(tp_poll_work, tp_poll_work_fn);

/* A bit set since the last check is explained by any event recorded for it since then. */
static bool tp_explained(unsigned int bit, u64 since)
{
	struct tp_event last;

	return tp_store_last(bit, &last) && last.ts_ns + TP_POLL_SLACK_NS >= since;
}

static void tp_poll_check(void)
{
	unsigned long now, changed;
	unsigned int bit;
	u64 read_ts;

	mutex_lock(&tp_poll_lock);
	/*
	 * The next check's window starts here, before the mask is read: a
	 * bit set after the read must find its event no earlier than this,
	 * give or take the slack. Taken after the loop below, it moved as
	 * late as the worker was held up (preempted, on a busy host), and
	 * an event recorded between the read and then went unseen: a 7.3
	 * stress boot logged a load's P twice, the second via=poll.
	 */
	read_ts = local_clock();
	now = tp_taint_mask();
	changed = now ^ tp_poll_mask;
	for_each_set_bit(bit, &changed, TP_NBITS) {
		struct tp_event ev = {
			.bit = bit, .via = TP_VIA_POLL,
			.flags = TP_EV_NO_TASK | TP_EV_WINDOW,
		};

		if (now & BIT(bit)) {
			if (tp_explained(bit, tp_poll_ts))
				continue;
			ev.flags |= TP_EV_NEW;
		} else {
			ev.flags |= TP_EV_CLEARED;
		}
		ev.u.window_ns = tp_poll_ts;
		tp_record(&ev);
	}
	tp_poll_mask = now;
	tp_poll_ts = read_ts;
	mutex_unlock(&tp_poll_lock);
}

static void tp_poll_work_fn(struct work_struct *work)
{
	unsigned int period = tp_param_poll_ms();

	tp_poll_check();
	if (period)
		queue_delayed_work(tp_any_cpu_wq, &tp_poll_work, msecs_to_jiffies(period));
}

/* poll_ms changed: apply it now. Called with the parameter lock held. */
void tp_poll_reschedule(void)
{
	unsigned int period = tp_param_poll_ms();

	if (!tp_poll_enabled)
		return;		/* not running: init starts the poll */
	if (period)
		mod_delayed_work(tp_any_cpu_wq, &tp_poll_work, msecs_to_jiffies(period));
	else
		cancel_delayed_work(&tp_poll_work);
}

/* Readers call this so a change behind every hook shows even with poll_ms=0. */
void tp_hooks_check_now(void)
{
	tp_poll_check();
}

/* ---- baseline ------------------------------------------------------------ */

/*
 * Comma-separated names of the other loaded modules that carry @bit. When
 * they do not all fit, the list ends in '+'; the module records list each.
 */
static void tp_carriers(unsigned int bit, char *buf, size_t len)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	struct kobject *kobj;
	size_t used = 0;
	bool full = false;

	buf[0] = '\0';
	if (!modules)
		return;
	spin_lock(&modules->list_lock);
	list_for_each_entry(kobj, &modules->list, entry) {
		struct module_kobject *mk = container_of(kobj, struct module_kobject, kobj);

		if (!mk->mod || mk->mod == THIS_MODULE)
			continue;
		if (!(READ_ONCE(mk->mod->taints) & BIT(bit)) || full)
			continue;
		if (used + !!used + strlen(mk->mod->name) + 2 > len) {
			used += scnprintf(buf + used, len - used, "+");
			full = true;
			continue;
		}
		used += scnprintf(buf + used, len - used, "%s%s", used ? "," : "", mk->mod->name);
	}
	spin_unlock(&modules->list_lock);
}

/* The loaded modules that carry taint, for the lifecycle table. */
static void tp_list_tainting_modules(void)
{
	struct kset *modules = THIS_MODULE->mkobj.kobj.kset;
	struct kobject *kobj;

	if (!modules)
		return;
	spin_lock(&modules->list_lock);
	list_for_each_entry(kobj, &modules->list, entry) {
		struct module_kobject *mk = container_of(kobj, struct module_kobject, kobj);
		unsigned long taints;

		if (!mk->mod)
			continue;
		taints = READ_ONCE(mk->mod->taints);
		if (!taints)
			continue;
		if (mk->mod == THIS_MODULE)
			tp_module_loaded(mk->mod->name, mk->mod, taints, tp_since_ts, tp_since_real,
					 TP_MOD_LIVE);
		else
			tp_module_loaded(mk->mod->name, mk->mod, taints, 0, 0, TP_MOD_LIVE);
	}
	spin_unlock(&modules->list_lock);
}

/*
 * Taint present before tracking began. Our own load taint (O, and E when
 * unsigned) is recorded as via=own; a bit that other loaded modules also
 * carry, or that we do not carry, is a baseline naming those modules.
 */
void tp_record_baseline(void)
{
	/* Before the mask is read, as in tp_poll_check(): the poll's first window. */
	u64 read_ts = local_clock();
	unsigned long mask = tp_taint_mask();
	unsigned long own = THIS_MODULE->taints;
	unsigned int bit;

	tp_list_tainting_modules();
	for_each_set_bit(bit, &mask, TP_NBITS) {
		struct tp_event ev = { .bit = bit };

		tp_carriers(bit, ev.module, sizeof(ev.module));
		if (!(own & BIT(bit)) || ev.module[0]) {
			ev.via = TP_VIA_BASELINE;
			ev.flags = TP_EV_NO_TASK;
			tp_record(&ev);
		}
		if (own & BIT(bit)) {
			struct tp_event mine = { .bit = bit, .via = TP_VIA_OWN };

			tp_event_fill_task(&mine);
			strscpy(mine.module, KBUILD_MODNAME, sizeof(mine.module));
			tp_record(&mine);
		}
	}
	tp_poll_mask = mask;
	tp_poll_ts = read_ts;
}

/* ---- crash summaries ------------------------------------------------------ */

static int tp_die_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	if (action == DIE_OOPS)
		tp_print_summary("oops");
	return NOTIFY_DONE;
}

static struct notifier_block tp_die_nb = {
	.notifier_call = tp_die_notify,
};

static int tp_panic_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	tp_print_summary("panic");
	return NOTIFY_DONE;
}

static struct notifier_block tp_panic_nb = {
	.notifier_call = tp_panic_notify,
};

/* ---- registration ----------------------------------------------------------- */

/*
 * add_taint() calls the hook saw but could not record: the kprobe's, when
 * it was already running on that CPU; the ftrace callback's, when it got no
 * registers (never expected: it asks for them).
 */
unsigned long tp_hooks_missed(void)
{
	unsigned long missed = atomic_long_read(&tp_add_taint_unseen);

	if (tp_add_taint_hook == TP_HOOK_KPROBE)
		missed += READ_ONCE(tp_add_taint_probe.nmissed);
	return missed;
}

/* Loads the load_module() probe did not see enter it (tp_module_coming()). */
unsigned long tp_hooks_loads_unseen(void)
{
	return atomic_long_read(&tp_loads_unseen);
}

/*
 * The hooks in place, as a comma-separated list, into @buf: each reader
 * its own buffer (sysfs and debugfs readers run at once, and during init
 * and exit the list changes under them).
 */
void tp_hooks_source(char *buf, size_t len)
{
	scnprintf(buf, len, "%s%s%s%s%s%s%s",
		  tp_add_taint_hook != TP_HOOK_NONE ? "add_taint," : "",
		  tp_have_load_module ? "load_module," : "",
		  tp_have_proc_taint ? "proc_taint," : "",
		  tp_have_notifier ? "module_notifier," : "",
		  tp_have_die ? "die," : "",
		  tp_have_panic ? "panic," : "",
		  "read_check");
}

static unsigned int tp_loading_slots(void)
{
	return clamp(8 + 2 * num_possible_cpus(), TP_LOADING_SLOTS_MIN, TP_LOADING_SLOTS_MAX);
}

/*
 * The slots of loads in flight and what each knows, in one allocation: a
 * load_module() kretprobe with as many instances; a load past that many
 * is seen by the notifier at MODULE_STATE_COMING alone.
 */
static int tp_loading_alloc(void)
{
	unsigned int slots = tp_loading_slots();

	BUILD_BUG_ON(sizeof(struct tp_task_call) % __alignof__(struct tp_loading));
	tp_load_calls.slots = vzalloc(array_size(slots, sizeof(struct tp_task_call) +
						  sizeof(struct tp_loading)));
	if (!tp_load_calls.slots)
		return -ENOMEM;
	tp_load_calls.size = slots;
	tp_loading = (struct tp_loading *)(tp_load_calls.slots + slots);
	tp_load_module_probe.maxactive = slots;
	return 0;
}

static void tp_loading_free(void)
{
	vfree(tp_load_calls.slots);
	tp_load_calls.slots = NULL;
	tp_load_calls.size = 0;
	tp_loading = NULL;
}

/* A probe that cannot be registered (kprobes off, lockdown) is reported and skipped. */
static bool tp_try_kretprobe(struct kretprobe *probe)
{
	int err = register_kretprobe(probe);

	if (err)
		pr_warn("cannot probe %s (%d): continuing without it\n",
			probe->kp.symbol_name, err);
	return !err;
}

int tp_hooks_init(void)
{
	int err;

	/* Zeroed: no cache entry matches a caller until it is filled. */
	tp_cpu_symbols = alloc_percpu(struct tp_cpu_symbols);
	if (!tp_cpu_symbols)
		return -ENOMEM;
	err = tp_loading_alloc();
	if (err)
		goto err_loading;
	tp_have_load_module = tp_try_kretprobe(&tp_load_module_probe);
	err = register_module_notifier(&tp_module_nb);
	if (err)
		goto err_notifier;
	tp_have_notifier = true;
	tp_have_proc_taint = tp_try_kretprobe(&tp_proc_taint_probe);
	tp_have_proc_value = tp_have_proc_taint && tp_try_kretprobe(&tp_proc_value_probe);
	tp_hook_add_taint();
	tp_have_die = !register_die_notifier(&tp_die_nb);
	tp_have_panic = !atomic_notifier_chain_register(&panic_notifier_list, &tp_panic_nb);
	kernel_param_lock(THIS_MODULE);
	tp_poll_enabled = true;
	tp_poll_reschedule();
	kernel_param_unlock(THIS_MODULE);
	return 0;

err_notifier:
	if (tp_have_load_module)
		unregister_kretprobe(&tp_load_module_probe);
	tp_loading_free();
err_loading:
	free_percpu(tp_cpu_symbols);
	return err;
}

void tp_hooks_exit(void)
{
	kernel_param_lock(THIS_MODULE);
	tp_poll_enabled = false;
	kernel_param_unlock(THIS_MODULE);
	cancel_delayed_work_sync(&tp_poll_work);
	if (tp_have_panic)
		atomic_notifier_chain_unregister(&panic_notifier_list, &tp_panic_nb);
	if (tp_have_die)
		unregister_die_notifier(&tp_die_nb);
	tp_unhook_add_taint();
	if (tp_have_proc_value)
		unregister_kretprobe(&tp_proc_value_probe);
	if (tp_have_proc_taint)
		unregister_kretprobe(&tp_proc_taint_probe);
	unregister_module_notifier(&tp_module_nb);
	if (tp_have_load_module)
		unregister_kretprobe(&tp_load_module_probe);
	/* Every hook is gone and waited for: nothing finds a load or resolves a caller. */
	tp_loading_free();
	free_percpu(tp_cpu_symbols);
}
