// SPDX-License-Identifier: GPL-2.0
/*
 * The text every interface prints: one record per line, space-separated
 * key=value tokens, values escaped so they hold no whitespace, '=' or '\'.
 * docs/ABI.md is the reference; change both together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/kernel.h>
#include <linux/math64.h>
#include <linux/printk.h>
#include <linux/time64.h>
#include "compat.h"
#include "tp.h"

/* Letters in bit order, as the kernel's taint_flags[] spells them. */
static const char tp_letters[] = "PFSRMBUDAWCIOELKXTNJ";

static const char *const tp_via_names[TP_VIA_COUNT] = {
	[TP_VIA_ADD_TAINT] = "add_taint",
	[TP_VIA_NOTIFIER] = "module_notifier",
	[TP_VIA_PROC] = "proc_taint",
	[TP_VIA_POLL] = "poll",
	[TP_VIA_BASELINE] = "baseline",
	[TP_VIA_OWN] = "own",
	[TP_VIA_LOAD_FAILED] = "load_failed",
};

static const char *const tp_context_names[TP_CONTEXT_LEVELS] = {
	"task", "softirq", "hardirq", "nmi",
};

/* The letter for @bit, or 0 when this build's kernel has none for it. */
char tp_flag_letter(unsigned int bit)
{
	if (bit < TAINT_FLAGS_COUNT && bit < sizeof(tp_letters) - 1)
		return tp_letters[bit];
	return 0;
}

/* "P", or the bit number for a bit without a letter. */
size_t tp_flag_name(unsigned int bit, char *buf, size_t len)
{
	char letter = tp_flag_letter(bit);

	if (letter)
		return scnprintf(buf, len, "%c", letter);
	return scnprintf(buf, len, "%u", bit);
}

const char *tp_via_name(unsigned int via)
{
	return via < TP_VIA_COUNT ? tp_via_names[via] : "unknown";
}

/* The mask as letters; a bit without a letter is written as [N]. */
int tp_format_flags(char *buf, size_t len, unsigned long mask)
{
	unsigned int bit;
	int used = 0;

	buf[0] = '\0';
	for_each_set_bit(bit, &mask, TP_NBITS) {
		char letter = tp_flag_letter(bit);

		if (letter)
			used += scnprintf(buf + used, len - used, "%c", letter);
		else
			used += scnprintf(buf + used, len - used, "[%u]", bit);
	}
	return used;
}

/* Append @s escaped; an empty value is written as '-'. */
static int tp_escape(char *buf, size_t len, const char *s)
{
	int used = 0;

	if (!s || !*s)
		return scnprintf(buf, len, "-");
	for (; *s; s++) {
		unsigned char c = *s;

		if (c <= ' ' || c >= 0x7f || c == '=' || c == '\\')
			used += scnprintf(buf + used, len - used, "\\x%02x", c);
		else
			used += scnprintf(buf + used, len - used, "%c", c);
	}
	return used;
}

/* " PREFIXts=SECONDS.MICROS PREFIXreal=ISO-8601", both '-' for a zero time. */
int tp_format_time(char *buf, size_t len, const char *prefix, u64 ts_ns, u64 real_ns)
{
	struct tm tm;
	u32 ts_rem, real_rem;
	u64 ts_secs, real_secs;

	if (!ts_ns && !real_ns)
		return scnprintf(buf, len, " %sts=- %sreal=-", prefix, prefix);
	ts_secs = div_u64_rem(ts_ns, NSEC_PER_SEC, &ts_rem);
	real_secs = div_u64_rem(real_ns, NSEC_PER_SEC, &real_rem);
	time64_to_tm(real_secs, 0, &tm);
	return scnprintf(buf, len,
			 " %sts=%llu.%06u %sreal=%04ld-%02d-%02dT%02d:%02d:%02d.%06uZ",
			 prefix, ts_secs, ts_rem / 1000, prefix,
			 tm.tm_year + 1900L, tm.tm_mon + 1, tm.tm_mday,
			 tm.tm_hour, tm.tm_min, tm.tm_sec, real_rem / 1000);
}

/*
 * One event as key=value tokens, without a record type and without a
 * newline. Returns the length written.
 */
int tp_format_event(char *buf, size_t len, const struct tp_event *ev)
{
	char name[16];
	int used;

	tp_flag_name(ev->bit, name, sizeof(name));
	used = scnprintf(buf, len, "bit=%u flag=%s change=%s new=%d module=", ev->bit, name,
			 ev->flags & TP_EV_CLEARED ? "clear" : "set",
			 !!(ev->flags & TP_EV_NEW));
	used += tp_escape(buf + used, len - used, ev->module);
	if (ev->flags & TP_EV_NO_TASK) {
		used += scnprintf(buf + used, len - used, " pid=- comm=-");
	} else {
		used += scnprintf(buf + used, len - used, " pid=%d comm=", ev->pid);
		used += tp_escape(buf + used, len - used, ev->comm);
	}
	used += scnprintf(buf + used, len - used, " caller=");
	if (ev->caller[0] && !(ev->flags & TP_EV_WINDOW)) {
		used += tp_escape(buf + used, len - used, ev->caller);
		used += scnprintf(buf + used, len - used, "+0x%x/0x%x",
				  ev->u.caller.off, ev->u.caller.len);
	} else {
		used += scnprintf(buf + used, len - used, "-");
	}
	used += scnprintf(buf + used, len - used, " ctx=%s via=%s",
			  tp_context_names[ev->flags & TP_EV_CTX_MASK], tp_via_name(ev->via));
	used += tp_format_time(buf + used, len - used, "", ev->ts_ns, ev->real_ns);
	if (ev->flags & TP_EV_WINDOW) {
		u64 window_real = ev->real_ns - min(ev->real_ns, ev->ts_ns - ev->u.window_ns);

		used += tp_format_time(buf + used, len - used, "window_", ev->u.window_ns,
				       window_real);
	} else {
		used += tp_format_time(buf + used, len - used, "window_", 0, 0);
	}
	return used;
}

/* A module table entry as key=value tokens, without a newline. */
int tp_format_module(char *buf, size_t len, const struct tp_module_entry *entry)
{
	static const char *const states[] = {
		[TP_MOD_UNUSED] = "-", [TP_MOD_LIVE] = "loaded",
		[TP_MOD_GONE] = "gone", [TP_MOD_FAILED] = "load_failed",
	};
	int used;

	used = scnprintf(buf, len, "module=");
	used += tp_escape(buf + used, len - used, entry->name);
	used += scnprintf(buf + used, len - used, " taints=");
	used += tp_format_flags(buf + used, len - used, entry->taints);
	if (!entry->taints)
		used += scnprintf(buf + used, len - used, "-");
	used += scnprintf(buf + used, len - used, " state=%s", states[entry->state]);
	used += tp_format_time(buf + used, len - used, "load_", entry->load_ts, entry->load_real);
	used += tp_format_time(buf + used, len - used, "unload_", entry->unload_ts,
			       entry->unload_real);
	return used;
}

/*
 * The crash summary: for each set bit, who set it first and last. Runs from
 * the die and panic notifiers, so it reads only the lock-free store and uses
 * one static buffer, claimed with an atomic flag so two dying CPUs do not
 * share it.
 */
void tp_print_summary(const char *why)
{
	static char line[512];
	static atomic_t busy = ATOMIC_INIT(0);
	unsigned long mask = tp_taint_mask() | tp_store_seen_mask();
	struct tp_event ev;
	unsigned int bit;

	if (atomic_cmpxchg(&busy, 0, 1))
		return;
	tp_format_flags(line, sizeof(line), tp_taint_mask());
	pr_emerg("%s: kernel tainted '%s'; who set each bit (first, last):\n", why, line);
	for_each_set_bit(bit, &mask, TP_NBITS) {
		if (tp_store_first(bit, &ev)) {
			tp_format_event(line, sizeof(line), &ev);
			pr_emerg(" first %s\n", line);
		}
		if (tp_store_last(bit, &ev)) {
			tp_format_event(line, sizeof(line), &ev);
			pr_emerg(" last count=%llu %s\n", tp_store_count(bit), line);
		}
	}
	atomic_set(&busy, 0);
}
