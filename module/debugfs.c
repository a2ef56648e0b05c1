// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/taint_provenance: the full history, one key=value record
 * per line (docs/ABI.md). Read-only, mode 0400, so it opens under lockdown.
 * An open file holds a module reference (fops.owner), so the module cannot go
 * while a reader holds it; the debugfs proxy fences the rest.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/utsname.h>
#include "tp.h"

#define TP_LINE_LEN 1024

/* Record indexes: header, one per bit, one per module table slot, events, end. */
#define TP_IDX_BITS 1
#define TP_IDX_MODULES (TP_IDX_BITS + TP_NBITS)
#define TP_IDX_EVENTS (TP_IDX_MODULES + TP_MODULE_TABLE_SIZE)

/* One reader's snapshot of where the log starts and ends. */
struct tp_reader {
	u64 first, end;		/* event positions [first, end) */
	u64 dropped;
	unsigned long mask;
	u64 lost;		/* overwritten while this reader was reading */
	char line[TP_LINE_LEN];
};

static struct dentry *tp_debugfs_file;

static loff_t tp_reader_last_index(const struct tp_reader *reader)
{
	return TP_IDX_EVENTS + (reader->end - reader->first);
}

static void *tp_seq_start(struct seq_file *m, loff_t *pos)
{
	return *pos <= tp_reader_last_index(m->private) ? pos : NULL;
}

static void *tp_seq_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return tp_seq_start(m, pos);
}

static void tp_seq_stop(struct seq_file *m, void *v)
{
}

static void tp_show_header(struct seq_file *m, struct tp_reader *reader)
{
	seq_printf(m, "rec=header format=taint_provenance version=%d kernel=%s",
		   TP_FORMAT_VERSION, utsname()->release);
	tp_format_time(reader->line, sizeof(reader->line), "since_", tp_since_ts, tp_since_real);
	seq_printf(m, "%s capacity=%u recorded=%llu dropped=%llu missed=%lu lapped=%lu modules_evicted=%lu loads_unseen=%lu",
		   reader->line, tp_store_capacity(), reader->end, reader->dropped,
		   tp_hooks_missed(), tp_store_lapped(), tp_module_evictions(),
		   tp_hooks_loads_unseen());
	tp_format_flags(reader->line, sizeof(reader->line), reader->mask);
	seq_printf(m, " tainted=%lu flags=%s", reader->mask,
		   reader->line[0] ? reader->line : "-");
	tp_hooks_source(reader->line, sizeof(reader->line));
	seq_printf(m, " source=%s\n", reader->line);
}

static void tp_show_bit(struct seq_file *m, struct tp_reader *reader, unsigned int bit)
{
	unsigned long seen = tp_store_seen_mask();
	struct tp_event ev;

	if (!((reader->mask | seen) & BIT(bit)))
		return;
	tp_flag_name(bit, reader->line, sizeof(reader->line));
	seq_printf(m, "rec=bit bit=%u flag=%s set=%d count=%llu\n", bit, reader->line,
		   !!(reader->mask & BIT(bit)), tp_store_count(bit));
	if (tp_store_first(bit, &ev)) {
		tp_format_event(reader->line, sizeof(reader->line), &ev);
		seq_printf(m, "rec=first %s\n", reader->line);
	}
	if (tp_store_last(bit, &ev)) {
		tp_format_event(reader->line, sizeof(reader->line), &ev);
		seq_printf(m, "rec=last %s\n", reader->line);
	}
}

static int tp_seq_show(struct seq_file *m, void *v)
{
	struct tp_reader *reader = m->private;
	loff_t index = *(loff_t *)v;
	struct tp_module_entry entry;
	struct tp_event ev;
	u64 pos;

	if (index == 0) {
		tp_show_header(m, reader);
	} else if (index < TP_IDX_MODULES) {
		tp_show_bit(m, reader, index - TP_IDX_BITS);
	} else if (index < TP_IDX_EVENTS) {
		if (tp_module_read(index - TP_IDX_MODULES, &entry)) {
			tp_format_module(reader->line, sizeof(reader->line), &entry);
			seq_printf(m, "rec=module %s\n", reader->line);
		}
	} else if (index < tp_reader_last_index(reader)) {
		pos = reader->first + (index - TP_IDX_EVENTS);
		if (tp_store_read_event(pos, &ev)) {
			tp_format_event(reader->line, sizeof(reader->line), &ev);
			seq_printf(m, "rec=event seq=%llu %s\n", pos, reader->line);
		} else {
			reader->lost++;
		}
	} else {
		seq_printf(m, "rec=end events=%llu lost=%llu\n",
			   reader->end - reader->first - reader->lost, reader->lost);
	}
	return 0;
}

static const struct seq_operations tp_seq_ops = {
	.start = tp_seq_start,
	.next = tp_seq_next,
	.stop = tp_seq_stop,
	.show = tp_seq_show,
};

static int tp_debugfs_open(struct inode *inode, struct file *file)
{
	struct tp_reader *reader;

	/* Note any change every hook missed before taking the snapshot. */
	tp_hooks_check_now();
	reader = __seq_open_private(file, &tp_seq_ops, sizeof(*reader));
	if (!reader)
		return -ENOMEM;
	reader->mask = tp_taint_mask();
	reader->end = tp_store_recorded();
	reader->dropped = tp_store_dropped();
	reader->first = reader->end - min_t(u64, reader->end, tp_store_capacity());
	return 0;
}

static const struct file_operations tp_debugfs_fops = {
	.owner = THIS_MODULE,
	.open = tp_debugfs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = seq_release_private,
};

int tp_debugfs_init(void)
{
	tp_debugfs_file = debugfs_create_file(KBUILD_MODNAME, 0400, NULL, NULL, &tp_debugfs_fops);
	if (IS_ERR(tp_debugfs_file)) {
		/* debugfs off or locked down: sysfs still works. */
		pr_warn("no debugfs file (%ld): history only through sysfs\n",
			PTR_ERR(tp_debugfs_file));
		tp_debugfs_file = NULL;
	}
	return 0;
}

void tp_debugfs_exit(void)
{
	debugfs_remove(tp_debugfs_file);
}
