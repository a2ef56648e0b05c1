/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The store's hot path: claim a log position, fill the ring slot in place,
 * stamp and publish it. It is inlined into the add_taint() hook (hooks.c),
 * so that an event in a storm makes no call into the store: under QEMU TCG
 * each call's return is a lookup of the code to run next
 * (docs/PERFORMANCE.md). The rest of the store, and the definitions of what
 * this declares, are in store.c; the rules of the ring are at its top.
 *
 * Everything here runs in any context, NMI included: no lock, no allocation.
 */
#ifndef TP_RECORD_H
#define TP_RECORD_H

#include <asm/local64.h>
#include <linux/atomic.h>
#include <linux/cache.h>
#include <linux/math64.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched/clock.h>
#include <linux/timekeeping.h>
#include "compat.h"
#include "tp.h"

/*
 * A bit's state beside the log. Nothing in it is written by each event of
 * a storm: the count is per CPU (struct tp_bit_counts), and the newest-event
 * mark moves at most once per tp_newest_stride events of the log, so that
 * a storm on every CPU does not pass a line of the bit between them.
 */
struct tp_bit_state {
	/*
	 * The seq of an event of the bit, fewer than tp_newest_stride events
	 * of the log older than its newest one that is published: the newest
	 * is the last event of the bit in [mark, mark + stride), or a saved
	 * copy (tp_store_last()). 0 before the bit's first event.
	 */
	atomic64_t newest_mark;
	atomic_t first_claimed;
	struct tp_event first;
	struct tp_event saved[TP_LAST_SLOTS];	/* the newest events the ring let go of */
} ____cacheline_aligned_in_smp;

/*
 * How far apart a bit's newest mark moves, at most: a storm moves it once
 * per this many events, and a reader looks at no more than this many
 * events for the newest (tp_store_last()), 64 bits' worth in the crash
 * summary.
 */
#define TP_NEWEST_STRIDE_MAX 64U

/*
 * Each bit's count, per CPU: an event adds one to its own CPU's with a
 * local64_inc(), one instruction on x86 that an interrupt or NMI cannot
 * split, and tp_store_count() sums the CPUs'.
 */
struct tp_bit_counts {
	local64_t count[TP_NBITS];
};

/*
 * The log position, taken by every event on every CPU: on a line of its
 * own, so that a storm on all CPUs does not also pull away from each the
 * fields it reads next.
 */
struct tp_log_head {
	atomic64_t next;
} ____cacheline_aligned_in_smp;

/* The store's state that the hot path reads and writes (store.c). */
extern struct tp_event *tp_ring;
extern unsigned int tp_capacity;
extern unsigned int tp_capacity_mask;	/* capacity - 1 if a power of two, else 0 */
extern struct tp_bit_state *tp_bits;
extern struct tp_bit_counts __percpu *tp_bit_counts;
extern unsigned int tp_newest_stride;
extern struct tp_log_head tp_head;
extern atomic_long_t tp_seen_mask;
extern atomic_long_t tp_notify_mask;
extern atomic_long_t tp_lapped;	/* events no ring slot would take */

/*
 * A slot's seq while a writer fills it: readers skip it and no other writer
 * starts on it. Sequence numbers count events and never reach this bit.
 */
#define TP_SEQ_WRITING BIT_ULL(63)

/*
 * UTC costs a clocksource read of its own on top of the printk clock. In a
 * storm it is derived from the printk clock and the pair of readings this
 * CPU took last at this context level, while that pair is younger than
 * TP_REAL_REUSE_NS. The error is the drift between the two clocks over that
 * time, far under the microsecond the log prints; a step of the wall clock
 * shows in events at most that late.
 */
#define TP_REAL_REUSE_NS NSEC_PER_MSEC

struct tp_clock_pair {
	u64 ts_ns, real_ns;
};

DECLARE_PER_CPU(struct tp_clock_pair[TP_CONTEXT_LEVELS], tp_clock_pairs);

/*
 * The printk clock and UTC now, read at context @level (tp_context_level()),
 * with preemption off: the add_taint() hooks run so, and tp_record() and
 * tp_clock_now() turn it off around this. Then the pair is this CPU's and
 * level's, and nothing else writes it meanwhile; and the hot path does not
 * turn off again what is already off.
 */
static __always_inline void tp_clock_read(unsigned int level, u64 *ts_ns, u64 *real_ns)
{
	struct tp_clock_pair *pair;
	u64 age;

	pair = &this_cpu_ptr(tp_clock_pairs)[level];
	*ts_ns = local_clock();
	/* Unsigned: a printk clock that went backwards is old, not young. */
	age = *ts_ns - pair->ts_ns;
	if (pair->real_ns && age < TP_REAL_REUSE_NS) {
		*real_ns = pair->real_ns + age;
	} else {
		*real_ns = ktime_get_real_fast_ns();
		pair->ts_ns = *ts_ns;
		pair->real_ns = *real_ns;
	}
}

/*
 * The ring slot of event number @pos. A power-of-two capacity (the
 * default) needs no 64-bit division, which costs tens of cycles on
 * hardware and a helper call under QEMU TCG.
 */
static __always_inline u32 tp_ring_slot(u64 pos)
{
	u32 slot;

	if (tp_capacity_mask)
		return pos & tp_capacity_mask;
	div_u64_rem(pos, tp_capacity, &slot);
	return slot;
}

/*
 * Take @dst for writing event @seq. Fails while another writer holds it: a
 * writer that a whole ring lapped before it finished. Then this event is
 * left out of @dst rather than torn. On success *@held is the seq of what
 * @dst held, which stays readable until the release of the new seq.
 */
static __always_inline bool tp_slot_take(struct tp_event *dst, u64 seq, u64 *held)
{
	u64 old = READ_ONCE(dst->seq), seen;

	for (;;) {
		if (old & TP_SEQ_WRITING)
			return false;
		/* A full barrier: readers that copied the old contents see the change. */
		seen = cmpxchg64(&dst->seq, old, seq | TP_SEQ_WRITING);
		if (seen == old)
			break;
		old = seen;
	}
	*held = old;
	return true;
}

/* Out of line in store.c: not taken by an event in a storm. */
void tp_event_publish(struct tp_event *dst, const struct tp_event *src, u64 seq);
void tp_last_save(struct tp_bit_state *state, const struct tp_event *ev, u64 seq);

/*
 * The ring keeps the newest event of each bit for as long as it holds it;
 * only when that event is about to be overwritten is it copied to the bit's
 * saved slots. @leaving (seq @held) is a ring slot this writer has taken,
 * with its old contents intact. An event older than its bit's newest mark
 * is not the newest, and is let go; any other may be, and is copied (it is
 * at most tp_newest_stride events old: the copies keep the newest of what
 * the ring let go of). A storm never copies: the event a lap behind the
 * one being written is older than the mark.
 */
static __always_inline void tp_last_keep_leaving(const struct tp_event *leaving, u64 held)
{
	unsigned int bit = READ_ONCE(leaving->bit);

	/*
	 * The take was a full barrier, and @leaving's writer moved the mark
	 * before it released the slot: this read sees a mark at least as new.
	 */
	if (bit < TP_NBITS && atomic64_read(&tp_bits[bit].newest_mark) <= (s64)held)
		tp_last_save(&tp_bits[bit], leaving, held);
}

/*
 * Event @seq of the bit is out: move the bit's newest mark to it if the
 * mark is tp_newest_stride or more events older, or not set. The writer of
 * an event that has a ring slot calls this while it still holds the slot,
 * so whoever takes the slot next sees the mark (tp_last_keep_leaving()).
 * An event that got no slot is saved here.
 */
static __always_inline void tp_last_advance(struct tp_bit_state *state, bool in_ring,
					    const struct tp_event *ev, u64 seq)
{
	s64 mark = atomic64_read(&state->newest_mark);

	while (!mark || (s64)seq - mark >= (s64)tp_newest_stride) {
		if (atomic64_try_cmpxchg(&state->newest_mark, &mark, seq))
			break;
	}
	if (!in_ring)
		tp_last_save(state, ev, seq);
}

/* A log position claimed by tp_record_claim(), until tp_record_commit(). */
struct tp_claim {
	struct tp_event *slot;	/* the ring slot, held; NULL if it could not be taken */
	u64 seq;
	unsigned int level;	/* tp_context_level() of the writer */
};

/*
 * Claim the next log position for a writer at context @level
 * (tp_context_level()) and return the event to fill: its ring slot, held
 * (readers skip it) until tp_record_commit(), or @spare (which may be NULL)
 * when a writer a whole ring behind still holds that slot. Fill every field
 * but seq and the times. The slot is filled in place: no copy of 128 bytes
 * per event.
 */
static __always_inline struct tp_event *tp_record_claim(struct tp_claim *claim,
							struct tp_event *spare,
							unsigned int level)
{
	struct tp_event *slot;
	u64 pos, held;

	claim->level = level;
	pos = atomic64_inc_return(&tp_head.next) - 1;
	claim->seq = pos + 1;
	slot = &tp_ring[tp_ring_slot(pos)];
	if (!tp_slot_take(slot, claim->seq, &held)) {
		/* Counted, and kept as its bit's newest if it is: see tp_last_advance(). */
		atomic_long_inc(&tp_lapped);
		claim->slot = NULL;
		return spare;
	}
	if (held)
		tp_last_keep_leaving(slot, held);
	claim->slot = slot;
	return slot;
}

/* Stamp the filled @ev, update its bit and publish it. */
static __always_inline void tp_record_commit(const struct tp_claim *claim, struct tp_event *ev)
{
	/*
	 * Read before the clock call: inlined into the hot path, right after
	 * the event was filled, the compiler knows these fields (and that the
	 * bit is in range) and folds the tests on them; read after it, each
	 * is a load and a test per event.
	 */
	unsigned int bit = ev->bit;
	u8 flags = ev->flags | (claim->level & TP_EV_CTX_MASK);
	bool counted = ev->via != TP_VIA_BASELINE && ev->via != TP_VIA_OWN;
	bool notify = false;

	ev->flags = flags;
	tp_clock_read(claim->level, &ev->ts_ns, &ev->real_ns);
	if (bit < TP_NBITS) {
		struct tp_bit_state *state = &tp_bits[bit];

		notify = flags & (TP_EV_NEW | TP_EV_CLEARED);
		if (!(flags & TP_EV_CLEARED)) {
			if (counted)
				local64_inc(&this_cpu_ptr(tp_bit_counts)->count[bit]);
			/* Plain reads first: in a storm both are long settled. */
			if (!atomic_read(&state->first_claimed) &&
			    atomic_cmpxchg(&state->first_claimed, 0, 1) == 0)
				tp_event_publish(&state->first, ev, claim->seq);
			if (!(atomic_long_read(&tp_seen_mask) & BIT(bit)))
				atomic_long_or(BIT(bit), &tp_seen_mask);
		}
		tp_last_advance(state, claim->slot, ev, claim->seq);
	}
	if (claim->slot) {
		/* Pairs with the acquire in tp_event_fetch(). The slot is not ours after this. */
		smp_store_release(&claim->slot->seq, claim->seq);
	}

	if (notify) {
		atomic_long_or(BIT(bit), &tp_notify_mask);
		tp_sysfs_kick();
	}
}

/* tp_record_call()'s event when no ring slot would take it (store.c). */
void tp_record_call_lapped(struct tp_claim claim, unsigned int bit, u8 flags,
			   const struct tp_caller *caller);

/*
 * Record @bit set by add_taint() from @caller, in the current task at
 * context @level (tp_context_level()): the hot path of a taint storm,
 * filled straight into the ring slot.
 */
static __always_inline void tp_record_call(unsigned int bit, u8 flags,
					   const struct tp_caller *caller, unsigned int level)
{
	/* Every field is set by tp_record_claim(): not zeroed first (INIT_STACK_ALL_ZERO). */
	struct tp_claim claim __uninitialized;
	struct tp_event *ev = tp_record_claim(&claim, NULL, level);

	if (unlikely(!ev)) {
		/* By value: the hot path keeps no local whose address escapes. */
		tp_record_call_lapped(claim, bit, flags, caller);
		return;
	}
	tp_event_fill_add_taint(ev, bit, flags, caller);
	tp_record_commit(&claim, ev);
}

#endif /* TP_RECORD_H */
