// SPDX-License-Identifier: GPL-2.0
/*
 * Rules of the tracker's own code that only rare timing reaches, driven
 * here in the orders that timing would produce. This module compiles the
 * tracker's sources (all but main.c) into itself, sets up a store of its
 * own and calls the functions directly; it registers no hook, and the
 * tracker, loaded or not, is not touched. Its init prints "ok NAME" or
 * "not ok NAME: why" per check and fails the load if any check failed
 * (selftests/taint_provenance.sh, internal_rules).
 *
 * - Saved copies (store.c, tp_last_save()): when a storm on several CPUs
 *   laps a burst of one bit, each event's save runs on its own CPU and
 *   they finish in any order. The four copies must keep the newest events
 *   whatever that order; two CPUs rarely produce one that tells.
 * - The loading name (hooks.c, tp_loading_name()): until a load's name
 *   read through struct load_info's first member was seen to be its
 *   module's, the tracker reads it without faulting and keeps it only if
 *   it can be a name; once seen, with plain loads. No kernel we test lays
 *   load_info out otherwise, so the gate's shut state is driven here with
 *   a stand-in load_info whose first member points elsewhere.
 */
#include "../../module/store.c"
#include "../../module/hooks.c"
#include "../../module/format.c"
#include "../../module/params.c"
#include "../../module/debugfs.c"
#include "../../module/sysfs.c"

#include <linux/sort.h>

static unsigned int tp_checks_failed;

static void tp_check(bool ok, const char *name, const char *why)
{
	if (ok) {
		pr_info("ok %s\n", name);
	} else {
		pr_err("not ok %s: %s\n", name, why);
		tp_checks_failed++;
	}
}

static int tp_u64_order(const void *a, const void *b)
{
	u64 x = *(const u64 *)a, y = *(const u64 *)b;

	return x < y ? -1 : x > y;
}

/* Whether @state's saved copies hold exactly the events @want (TP_LAST_SLOTS, any order). */
static bool tp_saved_are(const struct tp_bit_state *state, const u64 *want)
{
	u64 held[TP_LAST_SLOTS], expected[TP_LAST_SLOTS];
	unsigned int i;

	for (i = 0; i < TP_LAST_SLOTS; i++) {
		held[i] = READ_ONCE(state->saved[i].seq);
		expected[i] = want[i];
	}
	sort(held, TP_LAST_SLOTS, sizeof(u64), tp_u64_order, NULL);
	sort(expected, TP_LAST_SLOTS, sizeof(u64), tp_u64_order, NULL);
	for (i = 0; i < TP_LAST_SLOTS; i++)
		if (held[i] != expected[i]) {
			pr_err("saved copies hold %llx %llx %llx %llx\n",
			       held[0], held[1], held[2], held[3]);
			return false;
		}
	return true;
}

static void tp_check_saves(void)
{
	struct tp_bit_state *state = &tp_bits[TAINT_AUX];
	struct tp_event ev = { .bit = TAINT_AUX, .via = TP_VIA_ADD_TAINT };
	/* A burst of events 10 to 13 lapped at once: the newest save finishes first. */
	static const u64 finish_order[] = { 13, 10, 11, 12 };
	static const u64 burst[] = { 10, 11, 12, 13 };
	static const u64 after_14[] = { 11, 12, 13, 14 };
	static const u64 after_15[] = { 11 | TP_SEQ_WRITING, 13, 14, 15 };
	struct tp_event newest;
	unsigned int i, busy;

	BUILD_BUG_ON(ARRAY_SIZE(burst) != TP_LAST_SLOTS);
	for (i = 0; i < ARRAY_SIZE(finish_order); i++)
		tp_last_save(state, &ev, finish_order[i]);
	tp_check(tp_saved_are(state, burst), "saves_finishing_in_any_order",
		 "the copies are not events 10 to 13");
	/* An older event's save that finishes last replaces no newer copy. */
	tp_last_save(state, &ev, 9);
	tp_check(tp_saved_are(state, burst) && tp_bit_newest_saved(TAINT_AUX, 0, &newest) == 13,
		 "late_older_save_left_out", "event 9 replaced a newer copy, or 13 is not newest");
	tp_last_save(state, &ev, 14);
	tp_check(tp_saved_are(state, after_14), "newer_save_replaces_oldest",
		 "event 14 did not replace event 10");
	/* A copy being written (its writer interrupted) is passed over, not taken. */
	for (busy = 0; busy < TP_LAST_SLOTS; busy++)
		if (READ_ONCE(state->saved[busy].seq) == 11)
			break;
	if (busy == TP_LAST_SLOTS)
		return;
	WRITE_ONCE(state->saved[busy].seq, 11 | TP_SEQ_WRITING);
	tp_last_save(state, &ev, 15);
	tp_check(tp_saved_are(state, after_15), "save_passes_over_copy_being_written",
		 "event 15 took the copy being written, or not the oldest other");
	tp_check(tp_bit_newest_saved(TAINT_AUX, 0, &newest) == 15 && newest.bit == TAINT_AUX,
		 "newest_saved_found", "the newest complete copy is not event 15");
}

/* What tp_loading_name() keeps of a load whose struct load_info is @info. */
static void tp_read_loading_name(struct tp_loading *load, const void *info)
{
	memset(load, 0, sizeof(*load));
	load->info = (unsigned long)info;
	tp_loading_name(load);
}

static void tp_check_loading_name(void)
{
	/* What a first member other than the name could point at. */
	static const char elf_header[MODULE_NAME_LEN] __tp_name_aligned = {
		0x7f, 'E', 'L', 'F', 2, 1, 1,
	};
	static const char blank[MODULE_NAME_LEN] __tp_name_aligned = "two words";
	static const char other[MODULE_NAME_LEN] __tp_name_aligned = "tp_test_other";
	const char *info[1];
	struct tp_loading load;
	char *page, *edge;

	page = vzalloc(PAGE_SIZE);
	if (!page) {
		tp_check(false, "loading_name_page", "vzalloc failed");
		return;
	}
	/* The last 8 bytes of a vmalloc() area, which a guard page follows. */
	edge = page + PAGE_SIZE - 8;
	WRITE_ONCE(tp_load_info_name_seen, false);

	info[0] = elf_header;
	tp_read_loading_name(&load, info);
	tp_check(!load.name[0], "junk_name_not_kept", "an ELF header's bytes were kept as a name");
	info[0] = blank;
	tp_read_loading_name(&load, info);
	tp_check(!load.name[0], "blank_name_not_kept", "a name with a blank was kept");
	info[0] = other;
	tp_read_loading_name(&load, info);
	tp_check(!strcmp(load.name, other), "other_name_kept", load.name);
	/* A name that is not the module's: the layout is not seen. */
	tp_loading_name_check(&load, THIS_MODULE);
	tp_check(!READ_ONCE(tp_load_info_name_seen), "gate_shut_by_other_names",
		 "the gate opened on a name that was not the module's");

	strscpy(edge, "tp_edge", 8);
	info[0] = edge;
	tp_read_loading_name(&load, info);
	tp_check(!strcmp(load.name, "tp_edge"), "page_end_name_gate_shut", load.name);

	info[0] = THIS_MODULE->name;
	tp_read_loading_name(&load, info);
	tp_check(!strcmp(load.name, THIS_MODULE->name), "own_name_kept", load.name);
	tp_loading_name_check(&load, THIS_MODULE);
	tp_check(READ_ONCE(tp_load_info_name_seen), "gate_opens_on_own_name",
		 "the module's own name did not open the gate");

	/*
	 * Plain loads now, where the field is in the name's page, else as
	 * before; bytes after the NUL are not the name's, and the pad
	 * replaces them.
	 */
	memset(page, 'x', MODULE_NAME_LEN);
	strscpy(page, "tp_test_plain", MODULE_NAME_LEN - 1);
	info[0] = page;
	tp_read_loading_name(&load, info);
	tp_check(!strcmp(load.name, "tp_test_plain") &&
		 !memchr_inv(load.name + strlen("tp_test_plain"), 0,
			     MODULE_NAME_LEN - strlen("tp_test_plain")),
		 "plain_read_kept_padded", load.name);
	memcpy(edge, "tp_edge!", 8);	/* no NUL before the guard page */
	info[0] = edge;
	tp_read_loading_name(&load, info);
	tp_check(!strcmp(load.name, "tp_edge!"), "page_end_unterminated_gate_open", load.name);
	vfree(page);
}

static int __init tp_test_internals_init(void)
{
	int err = tp_store_init(16);

	if (err)
		return err;
	tp_check_saves();
	tp_check_loading_name();
	tp_store_exit();
	pr_info("%u checks failed\n", tp_checks_failed);
	return tp_checks_failed ? -EINVAL : 0;
}

static void __exit tp_test_internals_exit(void)
{
}

module_init(tp_test_internals_init);
module_exit(tp_test_internals_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: the store's and the load-name reader's rules, driven directly");
