/* SPDX-License-Identifier: GPL-2.0 */
/*
 * taint_provenance: shared declarations. One file per concern:
 *   store.c   the lock-free event ring, per-bit state and module lifecycle table
 *   record.h  the ring's hot path, inlined into the add_taint() hook
 *   hooks.c   ftrace/kprobes, module notifier, poll fallback, die/panic summaries
 *   format.c  the key=value text every interface prints
 *   debugfs.c /sys/kernel/debug/taint_provenance
 *   sysfs.c   /sys/kernel/taint_provenance/, uevents and dmesg lines
 *   params.c  module parameters
 */
#ifndef TP_H
#define TP_H

#include <linux/build_bug.h>
#include <linux/hash.h>
#include <linux/types.h>
#include <linux/module.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/string.h>
#include <asm/word-at-a-time.h>

#define TP_FORMAT_VERSION 1
#define TP_NBITS BITS_PER_LONG
#define TP_LAST_SLOTS 4
#define TP_MODULE_TABLE_SIZE 512
#define TP_MODULE_FIELD_LEN 40
#define TP_CALLER_FIELD_LEN 32

/* How an event was detected; the names are ABI (docs/ABI.md, via=). */
enum tp_via {
	TP_VIA_ADD_TAINT,	/* the hook on add_taint() */
	TP_VIA_NOTIFIER,	/* module notifier saw mod->taints no probe explained */
	TP_VIA_PROC,		/* write to /proc/sys/kernel/tainted no probe saw */
	TP_VIA_POLL,		/* periodic comparison of the taint mask */
	TP_VIA_BASELINE,	/* already set when tracking began */
	TP_VIA_OWN,		/* the tracker's own load taint */
	TP_VIA_LOAD_FAILED,	/* a load that tainted, then failed */
	TP_VIA_COUNT
};

/* Contexts, as TP_EV_CTX_* in tp_event.flags (two bits). */
#define TP_EV_CTX_MASK		0x03
#define TP_EV_NEW		0x04	/* the bit was clear before this event */
#define TP_EV_CLEARED		0x08	/* the bit became clear (tamper evidence) */
#define TP_EV_NO_TASK		0x10	/* pid/comm do not apply */
#define TP_EV_WINDOW		0x20	/* detected late: u.window_ns holds the window start */

/* One event: 128 bytes, never more (docs/PERFORMANCE.md). */
struct tp_event {
	u64 seq;		/* publication marker, 0 while being written */
	u64 ts_ns;		/* local_clock(): the printk clock */
	u64 real_ns;		/* UTC, ns since the epoch */
	s32 pid;
	u8 bit;
	u8 via;
	u8 flags;
	u8 reserved;
	union {
		struct {
			u32 off;
			u32 len;
		} caller;
		u64 window_ns;	/* TP_EV_WINDOW: the change happened after this */
	} u;
	char comm[TASK_COMM_LEN];
	char module[TP_MODULE_FIELD_LEN];
	char caller[TP_CALLER_FIELD_LEN];
};

/*
 * A module's name as the tracker keeps it (a load in flight, the module
 * table): MODULE_NAME_LEN bytes, word-aligned, ending in NUL and
 * NUL-padded after the name. Then copying, comparing and hashing a name is
 * a few word operations, where strcmp(), strnlen() and jhash() go a byte
 * at a time on 5.10 and 6.1: that took about 130 instructions off a 5.10
 * load+unload cycle and 550 off a 6.1 one (docs/PERFORMANCE.md).
 */
#define TP_NAME_WORDS (MODULE_NAME_LEN / sizeof(unsigned long))
#define __tp_name_aligned __aligned(sizeof(unsigned long))

/*
 * Keep the name in the MODULE_NAME_LEN bytes at @src (@dst itself too) in
 * @dst, word-aligned: the bytes up to its first NUL, then NULs; cut short
 * to end in NUL if it has none. No word past the one that holds the NUL is
 * read, and each is read as strscpy() does (read_word_at_a_time(), which
 * tells KASAN of its first byte only): a string shorter than the field may
 * be kept when the field's bytes are all in one mapped page
 * (tp_loading_name()). @src is word-aligned too, but where the
 * architecture reads unaligned words efficiently.
 */
static __always_inline void tp_name_keep(char *dst, const char *src)
{
	const struct word_at_a_time constants = WORD_AT_A_TIME_CONSTANTS;
	unsigned long *out = (unsigned long *)dst;
	unsigned int i;

	BUILD_BUG_ON(MODULE_NAME_LEN % sizeof(unsigned long));
	for (i = 0; i < TP_NAME_WORDS; i++) {
		unsigned long word, zero;

		word = read_word_at_a_time(src + i * sizeof(word));
		if (has_zero(word, &zero, &constants)) {
			zero = prep_zero_mask(word, zero, &constants);
			out[i] = word & zero_bytemask(create_zero_mask(zero));
			while (++i < TP_NAME_WORDS)
				out[i] = 0;
			return;
		}
		out[i] = word;
	}
	dst[MODULE_NAME_LEN - 1] = '\0';
}

/* Whether two kept names (tp_name_keep()) are the same. */
static __always_inline bool tp_name_equal(const char *kept, const char *other)
{
	const unsigned long *a = (const unsigned long *)kept;
	const unsigned long *b = (const unsigned long *)other;
	unsigned long differ = 0;
	unsigned int i;

	for (i = 0; i < TP_NAME_WORDS; i++)
		differ |= a[i] ^ b[i];
	return !differ;
}

/* A hash of a kept name (tp_name_keep()). */
static __always_inline u32 tp_name_hash(const char *kept)
{
	const unsigned long *word = (const unsigned long *)kept;
	u64 hash = 0;
	unsigned int i;

	for (i = 0; i < TP_NAME_WORDS; i++)
		hash = (hash ^ word[i]) * GOLDEN_RATIO_64;
	return hash >> 32;
}

/* The current task, as an event names it. */
static __always_inline void tp_event_fill_task(struct tp_event *ev)
{
	BUILD_BUG_ON(sizeof(ev->comm) != sizeof(current->comm));
	ev->pid = task_pid_nr(current);
	/* A racy copy: get_task_comm() takes a lock an NMI could hold. */
	memcpy(ev->comm, current->comm, sizeof(ev->comm));
	ev->comm[sizeof(ev->comm) - 1] = '\0';
}

/* A caller of add_taint(), resolved once and kept (hooks.c's cache). */
struct tp_caller {
	u32 off, len;		/* offset into the symbol, and its length */
	bool blame;		/* in a module's code: @module is responsible */
	char symbol[TP_CALLER_FIELD_LEN];
	char module[TP_MODULE_FIELD_LEN];
};

/* Name @caller as @ev's code path and, when it is to blame, its module: every byte. */
static __always_inline void tp_event_fill_caller(struct tp_event *ev,
						 const struct tp_caller *caller)
{
	BUILD_BUG_ON(sizeof(ev->caller) != sizeof(caller->symbol) ||
		     sizeof(ev->module) != sizeof(caller->module));
	ev->u.caller.off = caller->off;
	ev->u.caller.len = caller->len;
	memcpy(ev->caller, caller->symbol, sizeof(ev->caller));
	if (caller->blame)
		memcpy(ev->module, caller->module, sizeof(ev->module));
	else
		memset(ev->module, 0, sizeof(ev->module));
}

/* An add_taint() of @bit by @caller in the current task: every field but seq and the times. */
static __always_inline void tp_event_fill_add_taint(struct tp_event *ev, unsigned int bit,
						    u8 flags, const struct tp_caller *caller)
{
	ev->bit = bit;
	ev->via = TP_VIA_ADD_TAINT;
	ev->flags = flags;
	ev->reserved = 0;
	tp_event_fill_task(ev);
	tp_event_fill_caller(ev, caller);
}

enum tp_module_state {
	TP_MOD_UNUSED,
	TP_MOD_LIVE,
	TP_MOD_GONE,
	TP_MOD_FAILED,
};

/* A module that carried taint; kept after it is gone. */
struct tp_module_entry {
	char name[MODULE_NAME_LEN] __tp_name_aligned;	/* kept: tp_name_keep() */
	unsigned long taints;
	u64 load_ts, load_real;		/* 0: loaded before tracking began */
	u64 unload_ts, unload_real;	/* 0: still loaded */
	int state;
};

/* store.c */
int tp_store_init(unsigned int capacity);
void tp_store_exit(void);
void tp_clock_now(u64 *ts_ns, u64 *real_ns);
void tp_record(struct tp_event *ev);
u64 tp_store_recorded(void);
u64 tp_store_dropped(void);
unsigned long tp_store_lapped(void);
unsigned int tp_store_capacity(void);
u64 tp_store_count(unsigned int bit);
bool tp_store_read_event(u64 pos, struct tp_event *out);
bool tp_store_first(unsigned int bit, struct tp_event *out);
bool tp_store_last(unsigned int bit, struct tp_event *out);
unsigned long tp_store_unnamed_task_bits(pid_t pid, unsigned long bits, u64 *ts, u64 *real);
unsigned long tp_taint_mask(void);
unsigned long tp_store_seen_mask(void);
void tp_module_loaded(const char name[MODULE_NAME_LEN], const void *owner,
		      unsigned long taints, u64 ts, u64 real, int state);
void tp_module_unloaded(const char name[MODULE_NAME_LEN], const void *owner, int state);
bool tp_module_read(unsigned int index, struct tp_module_entry *out);
unsigned long tp_module_evictions(void);
unsigned long tp_store_take_notify(void);
extern u64 tp_since_ts, tp_since_real;

/* hooks.c */
int tp_hooks_init(void);
void tp_hooks_exit(void);
void tp_poll_reschedule(void);
void tp_hooks_check_now(void);
void tp_record_baseline(void);
void tp_hooks_source(char *buf, size_t len);
/* Room for every hook's name in tp_hooks_source()'s list. */
#define TP_HOOKS_SOURCE_LEN 128
unsigned long tp_hooks_missed(void);
unsigned long tp_hooks_loads_unseen(void);

/* format.c */
char tp_flag_letter(unsigned int bit);
size_t tp_flag_name(unsigned int bit, char *buf, size_t len);
const char *tp_via_name(unsigned int via);
int tp_format_event(char *buf, size_t len, const struct tp_event *ev);
int tp_format_time(char *buf, size_t len, const char *prefix, u64 ts_ns, u64 real_ns);
int tp_format_flags(char *buf, size_t len, unsigned long mask);
int tp_format_module(char *buf, size_t len, const struct tp_module_entry *entry);
void tp_print_summary(const char *why);

/* debugfs.c */
int tp_debugfs_init(void);
void tp_debugfs_exit(void);

/* sysfs.c */
int tp_sysfs_init(void);
void tp_sysfs_exit(void);
void tp_sysfs_kick(void);

/* params.c */
enum tp_hook_choice {
	TP_HOOK_AUTO,		/* ftrace, else a kprobe */
	TP_HOOK_ONLY_FTRACE,
	TP_HOOK_ONLY_KPROBE,
	TP_HOOK_CHOICES
};

enum tp_hook_choice tp_param_hook(void);
const char *tp_param_hook_name(void);
unsigned int tp_param_capacity(void);
unsigned int tp_param_poll_ms(void);

#endif /* TP_H */
