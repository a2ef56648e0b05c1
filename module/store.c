// SPDX-License-Identifier: GPL-2.0
/*
 * The store: a fixed ring of events, per-bit first/last/count, and a table of
 * the modules that carried taint.
 *
 * tp_record() and record.h's tp_record_call() are reached from the
 * add_taint() hook and so run in any context, NMI included. They take no
 * lock and allocate nothing: a writer claims a ring position with one
 * atomic increment, takes the slot with a cmpxchg of its sequence number
 * and publishes it with a release store; readers check that number before
 * and after copying, so a torn record is never shown.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/hash.h>
#include <linux/list.h>
#include <linux/log2.h>
#include <linux/percpu.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "compat.h"
#include "record.h"
#include "tp.h"

/* The hot path's state (record.h says what each is). */
struct tp_event *tp_ring __read_mostly;
unsigned int tp_capacity __read_mostly;
unsigned int tp_capacity_mask __read_mostly;
struct tp_bit_state *tp_bits __read_mostly;
struct tp_bit_counts __percpu *tp_bit_counts __read_mostly;
unsigned int tp_newest_stride __read_mostly;
struct tp_log_head tp_head = { ATOMIC64_INIT(0) };
atomic_long_t tp_seen_mask = ATOMIC_LONG_INIT(0);
atomic_long_t tp_notify_mask = ATOMIC_LONG_INIT(0);
atomic_long_t tp_lapped = ATOMIC_LONG_INIT(0);

/*
 * The module table: a record per module load that carried taint, and the
 * lists that find a record without a scan of the table, which every load
 * and unload would pay once the table has filled (docs/PERFORMANCE.md).
 * A record is in its name's bucket, on the live list while its module is
 * loaded, then on the gone list; a gone record is also on tp_modules_gone.
 * Gone lists are oldest first: records are added at the tail as they go.
 */
#define TP_MODULE_NAME_BUCKETS 64

struct tp_module_slot {
	struct tp_module_entry record;
	struct list_head in_bucket;	/* its bucket's live or gone list */
	struct list_head gone;		/* tp_modules_gone, while gone */
	u32 name_hash;
};

struct tp_module_bucket {
	struct list_head live, gone;
};

static DEFINE_SPINLOCK(tp_modules_lock);
static struct tp_module_slot *tp_modules;
/*
 * The newest record made for a module that is loaded, and the struct
 * module it was made for: an unload right after the load (churn, a failed
 * init) finds it without hashing the name and searching its bucket.
 */
static struct tp_module_slot *tp_modules_newest;
static const void *tp_modules_newest_owner;
static unsigned int tp_modules_used;	/* entries [0, used) are in use, and stay so */
static unsigned long tp_modules_evicted;	/* gone modules' entries reused */
static struct tp_module_bucket tp_module_buckets[TP_MODULE_NAME_BUCKETS];
static LIST_HEAD(tp_modules_gone);

u64 tp_since_ts, tp_since_real;

DEFINE_PER_CPU(struct tp_clock_pair[TP_CONTEXT_LEVELS], tp_clock_pairs);

/*
 * record.h's clock read, for the hooks and notifiers outside the hot path:
 * a module load takes the time at load_module() entry, at each taint and in
 * the notifier, within about a millisecond, and UTC is a clocksource read.
 */
void tp_clock_now(u64 *ts_ns, u64 *real_ns)
{
	preempt_disable_notrace();
	tp_clock_read(tp_context_level(), ts_ns, real_ns);
	preempt_enable_notrace();
}

/*
 * Copy an event a word at a time, leaving out its seq. A plain loop of
 * word moves: the kernel's memcpy() is "rep movsb" on CPUs with fast
 * string moves, and that is one emulated step per byte under QEMU TCG.
 */
static void tp_event_copy_body(struct tp_event *dst, const struct tp_event *src)
{
	const u64 *from = (const u64 *)src;
	u64 *to = (u64 *)dst;
	unsigned int i;

	BUILD_BUG_ON(offsetof(struct tp_event, seq) != 0 || sizeof(*src) % sizeof(u64));
	for (i = 1; i < sizeof(*src) / sizeof(u64); i++)
		WRITE_ONCE(to[i], READ_ONCE(from[i]));
}

/* Fill @dst, taken for event @seq, from @src, and publish it. */
static void tp_event_fill_taken(struct tp_event *dst, const struct tp_event *src, u64 seq)
{
	tp_event_copy_body(dst, src);
	/* Pairs with the acquire in tp_event_fetch(). */
	smp_store_release(&dst->seq, seq);
}

/* Copy @src into @dst so that readers see either nothing or all of it. */
void tp_event_publish(struct tp_event *dst, const struct tp_event *src, u64 seq)
{
	u64 held;

	if (tp_slot_take(dst, seq, &held))
		tp_event_fill_taken(dst, src, seq);
}

/* Returns the sequence number of a complete copy, or 0 if empty or torn. */
static u64 tp_event_fetch(const struct tp_event *src, struct tp_event *out)
{
	/* Pairs with the release that ends a write (tp_event_publish(), tp_record_commit()). */
	u64 before = smp_load_acquire(&src->seq);

	if (!before || (before & TP_SEQ_WRITING))
		return 0;
	tp_event_copy_body(out, src);
	/* Re-read seq only after the copy: a changed seq means a writer got in. */
	smp_rmb();
	if (READ_ONCE(src->seq) != before)
		return 0;
	out->seq = before;
	return before;
}

/*
 * Copy @ev, event @seq, over the oldest of its bit's saved copies, unless
 * all are newer. The ring lets go of a bit's events in their order, but
 * when a storm on several CPUs laps a burst of the bit, their saves run at
 * once and finish in any order: a save never replaces a newer copy, so the
 * slots keep the newest whatever the order. A copy being written is passed
 * over (its writer may be the context this one interrupted); with more
 * than TP_LAST_SLOTS saves of one bit in flight at once, one may find no
 * slot and be left out.
 */
void tp_last_save(struct tp_bit_state *state, const struct tp_event *ev, u64 seq)
{
	struct tp_event *oldest;
	unsigned int attempt, i;
	u64 oldest_seq, held;

	for (attempt = 0; attempt < TP_LAST_SLOTS; attempt++) {
		oldest = NULL;
		oldest_seq = seq;
		for (i = 0; i < TP_LAST_SLOTS; i++) {
			held = READ_ONCE(state->saved[i].seq);
			if (!(held & TP_SEQ_WRITING) && held < oldest_seq) {
				oldest = &state->saved[i];
				oldest_seq = held;
			}
		}
		if (!oldest)
			return;
		/* A full barrier, as tp_slot_take()'s: readers that copied the old copy see it. */
		if (cmpxchg64(&oldest->seq, oldest_seq, seq | TP_SEQ_WRITING) == oldest_seq) {
			tp_event_fill_taken(oldest, ev, seq);
			return;
		}
	}
}

/*
 * Record @ev, built by the caller: every field but seq and the times. From
 * any context; preemption is off while it runs (tp_clock_read()).
 */
void tp_record(struct tp_event *ev)
{
	struct tp_claim claim;
	struct tp_event *dst;

	preempt_disable_notrace();
	dst = tp_record_claim(&claim, ev, tp_context_level());
	if (dst != ev)
		tp_event_copy_body(dst, ev);
	tp_record_commit(&claim, dst);
	preempt_enable_notrace();
}

/* tp_record_call()'s event when no ring slot would take it: filled on this stack. */
noinline void tp_record_call_lapped(struct tp_claim claim, unsigned int bit, u8 flags,
				    const struct tp_caller *caller)
{
	struct tp_event ev __uninitialized;

	tp_event_fill_add_taint(&ev, bit, flags, caller);
	tp_record_commit(&claim, &ev);
}

unsigned long tp_store_take_notify(void)
{
	return atomic_long_xchg(&tp_notify_mask, 0);
}

u64 tp_store_recorded(void)
{
	return atomic64_read(&tp_head.next);
}

/* With @head events recorded, the oldest the ring may still hold: those before it were dropped. */
static u64 tp_log_oldest(u64 head)
{
	return head > tp_capacity ? head - tp_capacity : 0;
}

u64 tp_store_dropped(void)
{
	return tp_log_oldest(atomic64_read(&tp_head.next));
}

/* Events left out of the log: their slot's writer was a whole log behind (docs/ABI.md). */
unsigned long tp_store_lapped(void)
{
	return atomic_long_read(&tp_lapped);
}

unsigned int tp_store_capacity(void)
{
	return tp_capacity;
}

/* The sum of the CPUs' counts: exact once the events counted have finished. */
u64 tp_store_count(unsigned int bit)
{
	u64 count = 0;
	int cpu;

	if (bit >= TP_NBITS)
		return 0;
	for_each_possible_cpu(cpu)
		count += local64_read(&per_cpu_ptr(tp_bit_counts, cpu)->count[bit]);
	return count;
}

unsigned long tp_store_seen_mask(void)
{
	return atomic_long_read(&tp_seen_mask);
}

/* Event number @pos (0-based); false once it was overwritten or is in flight. */
bool tp_store_read_event(u64 pos, struct tp_event *out)
{
	return tp_event_fetch(&tp_ring[tp_ring_slot(pos)], out) == pos + 1;
}

bool tp_store_first(unsigned int bit, struct tp_event *out)
{
	return bit < TP_NBITS && tp_event_fetch(&tp_bits[bit].first, out);
}

/* Whether @ev is what the add_taint() hook records of task @pid, naming no module. */
static bool tp_event_unnamed_of_task(const struct tp_event *ev, pid_t pid)
{
	return ev->pid == pid && ev->via == TP_VIA_ADD_TAINT &&
	       !(ev->flags & (TP_EV_CTX_MASK | TP_EV_NO_TASK)) && !ev->module[0];
}

/*
 * The newest of @bit's saved copies (the events the ring let go of while
 * each was the bit's newest), of task @pid unnamed (tp_event_unnamed_of_task())
 * if @pid is not 0, else of any. Returns its sequence number, 0 if none.
 */
static u64 tp_bit_newest_saved(unsigned int bit, pid_t pid, struct tp_event *out)
{
	struct tp_event candidate;
	u64 best = 0, seq;
	unsigned int i;

	for (i = 0; i < TP_LAST_SLOTS; i++) {
		seq = tp_event_fetch(&tp_bits[bit].saved[i], &candidate);
		if (seq > best && (!pid || tp_event_unnamed_of_task(&candidate, pid))) {
			best = seq;
			*out = candidate;
		}
	}
	return best;
}

/*
 * The bit's newest event: the last one of the bit in the log from its
 * newest mark on, no more than tp_newest_stride events, while the ring
 * holds it; else the newest saved copy. Events the ring let go of are
 * older than those it holds.
 */
bool tp_store_last(unsigned int bit, struct tp_event *out)
{
	u64 mark, head, from, pos;

	if (bit >= TP_NBITS)
		return false;
	mark = atomic64_read(&tp_bits[bit].newest_mark);
	if (!mark)
		return false;
	/* The mark's event took its position first: the head read after is past it. */
	smp_rmb();
	head = atomic64_read(&tp_head.next);
	from = max(mark - 1, tp_log_oldest(head));
	for (pos = min(head, mark - 1 + tp_newest_stride); pos > from; pos--)
		if (tp_store_read_event(pos - 1, out) && out->bit == bit)
			return true;
	return tp_bit_newest_saved(bit, 0, out) != 0;
}

/*
 * Which of @bits task @pid set through add_taint() in task context with
 * no module named, by the events the log still holds, newest first, and
 * for a bit the log no longer holds one of, by the bit's saved copies; in
 * @ts and @real, when any, the time of the oldest of the events found.
 * For a load no slot was found for (hooks.c's tp_module_coming()), whose
 * taints the hook recorded unnamed: the task is still inside
 * load_module(), so its newest such event of a bit is that load's. One
 * the ring let go of was copied out, unless a later event of the bit (of
 * another task) had moved the bit's newest mark past it: then it may be in
 * neither. Only in process context: it may scan the whole log.
 */
unsigned long tp_store_unnamed_task_bits(pid_t pid, unsigned long bits, u64 *ts, u64 *real)
{
	u64 head = atomic64_read(&tp_head.next);
	u64 oldest = tp_log_oldest(head);
	unsigned long found = 0, missing;
	unsigned int bit;
	struct tp_event ev;
	u64 pos;

	for (pos = head; pos > oldest && found != bits; pos--) {
		if (!((pos - oldest) % 1024))
			cond_resched();
		if (!tp_store_read_event(pos - 1, &ev) || !tp_event_unnamed_of_task(&ev, pid) ||
		    !(bits & BIT(ev.bit)))
			continue;
		found |= BIT(ev.bit);
		*ts = ev.ts_ns;
		*real = ev.real_ns;
	}
	missing = bits & ~found;
	for_each_set_bit(bit, &missing, TP_NBITS) {
		if (!tp_bit_newest_saved(bit, pid, &ev))
			continue;
		found |= BIT(bit);
		if (ev.ts_ns < *ts) {
			*ts = ev.ts_ns;
			*real = ev.real_ns;
		}
	}
	return found;
}

/* The kernel's taint mask. get_taint() is not exported everywhere; test_taint() is. */
unsigned long tp_taint_mask(void)
{
	unsigned long mask = 0;
	unsigned int bit;

	for (bit = 0; bit < TP_NBITS; bit++)
		if (test_taint(bit))
			mask |= BIT(bit);
	return mask;
}

static struct tp_module_bucket *tp_module_bucket_of(u32 name_hash)
{
	return &tp_module_buckets[hash_32(name_hash, ilog2(TP_MODULE_NAME_BUCKETS))];
}

/* Whether @slot's record is of the module named @kept (tp_name_keep()), hashed @name_hash. */
static bool tp_module_slot_named(const struct tp_module_slot *slot, u32 name_hash,
				 const char *kept)
{
	return slot->name_hash == name_hash && tp_name_equal(slot->record.name, kept);
}

/* The record of @slot's module went away: onto the gone lists, newest last. */
static void tp_module_slot_gone(struct tp_module_slot *slot)
{
	list_move_tail(&slot->in_bucket, &tp_module_bucket_of(slot->name_hash)->gone);
	list_add_tail(&slot->gone, &tp_modules_gone);
}

/*
 * A slot for a new record, the table full: the record of a module that went
 * away, never a loaded one. Churn reloads the same few modules, so the
 * record of this same name that went away first, if there is one; then the
 * one vendor module that loaded once, days ago, keeps its record. Else the
 * record that went away first of all.
 */
static struct tp_module_slot *tp_module_slot_reuse(struct tp_module_bucket *bucket,
						   u32 name_hash, const char *kept)
{
	struct tp_module_slot *slot;

	list_for_each_entry(slot, &bucket->gone, in_bucket)
		if (tp_module_slot_named(slot, name_hash, kept))
			goto found;
	slot = list_first_entry_or_null(&tp_modules_gone, struct tp_module_slot, gone);
	if (!slot)
		return NULL;
found:
	list_del(&slot->in_bucket);
	list_del(&slot->gone);
	tp_modules_evicted++;
	return slot;
}

/*
 * The module table has one writer path, process context only (notifier,
 * kretprobe return, init), under a lock its readers take too. The crash
 * summary does not read it. Its functions take a module's name as the
 * MODULE_NAME_LEN bytes of a name field (struct module's, a load's), and
 * work on it kept (tp_name_keep()).
 */
void tp_module_loaded(const char name[MODULE_NAME_LEN], const void *owner,
		      unsigned long taints, u64 ts, u64 real, int state)
{
	char kept[MODULE_NAME_LEN] __tp_name_aligned;
	struct tp_module_bucket *bucket;
	struct tp_module_slot *slot = NULL;
	struct tp_module_entry *entry;
	unsigned long irqflags;
	u32 name_hash;

	tp_name_keep(kept, name);
	name_hash = tp_name_hash(kept);
	bucket = tp_module_bucket_of(name_hash);
	spin_lock_irqsave(&tp_modules_lock, irqflags);
	if (tp_modules_used < TP_MODULE_TABLE_SIZE)
		slot = &tp_modules[tp_modules_used++];
	else
		slot = tp_module_slot_reuse(bucket, name_hash, kept);
	if (slot) {
		entry = &slot->record;
		memcpy(entry->name, kept, sizeof(entry->name));
		entry->taints = taints;
		entry->load_ts = ts;
		entry->load_real = real;
		entry->unload_ts = 0;
		entry->unload_real = 0;
		entry->state = state;
		slot->name_hash = name_hash;
		INIT_LIST_HEAD(&slot->in_bucket);
		if (state == TP_MOD_LIVE)
			list_add_tail(&slot->in_bucket, &bucket->live);
		else
			tp_module_slot_gone(slot);
	}
	tp_modules_newest = state == TP_MOD_LIVE ? slot : NULL;
	tp_modules_newest_owner = owner;
	spin_unlock_irqrestore(&tp_modules_lock, irqflags);
	if (!slot)
		pr_warn_once("module table full of loaded modules (%d): %s not listed\n",
			     TP_MODULE_TABLE_SIZE, kept);
}

/* The newest record on @list, a bucket's live or gone list, of module @kept in @state. */
static struct tp_module_slot *tp_module_find(struct list_head *list, u32 name_hash,
					     const char *kept, int state)
{
	struct tp_module_slot *slot;

	list_for_each_entry_reverse(slot, list, in_bucket)
		if (slot->record.state == state && tp_module_slot_named(slot, name_hash, kept))
			return slot;
	return NULL;
}

/* The record of loaded module @kept, @owner if not NULL: the newest one, else its bucket's. */
static struct tp_module_slot *tp_module_find_live(const char *kept, const void *owner)
{
	struct tp_module_slot *slot = tp_modules_newest;
	u32 name_hash;

	if (slot && owner && owner == tp_modules_newest_owner &&
	    slot->record.state == TP_MOD_LIVE && tp_name_equal(slot->record.name, kept))
		return slot;
	name_hash = tp_name_hash(kept);
	return tp_module_find(&tp_module_bucket_of(name_hash)->live, name_hash, kept,
			      TP_MOD_LIVE);
}

/*
 * @name (@owner, the struct module, if not NULL) went away: TP_MOD_GONE
 * for an unload, TP_MOD_FAILED for a load that failed after
 * MODULE_STATE_COMING (its GOING already marked it gone).
 */
void tp_module_unloaded(const char name[MODULE_NAME_LEN], const void *owner, int state)
{
	char kept[MODULE_NAME_LEN] __tp_name_aligned;
	struct tp_module_slot *slot;
	unsigned long irqflags;

	tp_name_keep(kept, name);
	spin_lock_irqsave(&tp_modules_lock, irqflags);
	slot = tp_module_find_live(kept, owner);
	if (slot) {
		if (slot == tp_modules_newest)
			tp_modules_newest = NULL;
		tp_clock_now(&slot->record.unload_ts, &slot->record.unload_real);
		tp_module_slot_gone(slot);
	} else if (state == TP_MOD_FAILED) {
		u32 name_hash = tp_name_hash(kept);

		slot = tp_module_find(&tp_module_bucket_of(name_hash)->gone, name_hash, kept,
				      TP_MOD_GONE);
	}
	if (slot)
		slot->record.state = state;
	spin_unlock_irqrestore(&tp_modules_lock, irqflags);
}

unsigned long tp_module_evictions(void)
{
	return READ_ONCE(tp_modules_evicted);
}

/* A copy of table entry @index; false for an unused entry or past the end. */
bool tp_module_read(unsigned int index, struct tp_module_entry *out)
{
	unsigned long irqflags;

	if (index >= TP_MODULE_TABLE_SIZE)
		return false;
	spin_lock_irqsave(&tp_modules_lock, irqflags);
	*out = tp_modules[index].record;
	spin_unlock_irqrestore(&tp_modules_lock, irqflags);
	return out->state != TP_MOD_UNUSED;
}

int tp_store_init(unsigned int capacity)
{
	unsigned int i;

	tp_ring = vzalloc(array_size(capacity, sizeof(*tp_ring)));
	if (!tp_ring)
		goto err_ring;
	tp_bits = vzalloc(array_size(TP_NBITS, sizeof(*tp_bits)));
	if (!tp_bits)
		goto err_bits;
	tp_bit_counts = alloc_percpu(struct tp_bit_counts);
	if (!tp_bit_counts)
		goto err_counts;
	tp_modules = vzalloc(array_size(TP_MODULE_TABLE_SIZE, sizeof(*tp_modules)));
	if (!tp_modules)
		goto err_modules;
	for (i = 0; i < TP_MODULE_NAME_BUCKETS; i++) {
		INIT_LIST_HEAD(&tp_module_buckets[i].live);
		INIT_LIST_HEAD(&tp_module_buckets[i].gone);
	}
	tp_capacity = capacity;
	tp_capacity_mask = is_power_of_2(capacity) ? capacity - 1 : 0;
	/* A lap of the ring is over 4 strides: a storm's leaving event is older than the mark. */
	tp_newest_stride = min(TP_NEWEST_STRIDE_MAX, capacity / 4);
	tp_clock_now(&tp_since_ts, &tp_since_real);
	return 0;

err_modules:
	free_percpu(tp_bit_counts);
err_counts:
	vfree(tp_bits);
err_bits:
	vfree(tp_ring);
err_ring:
	return -ENOMEM;
}

void tp_store_exit(void)
{
	vfree(tp_modules);
	free_percpu(tp_bit_counts);
	vfree(tp_bits);
	vfree(tp_ring);
}
