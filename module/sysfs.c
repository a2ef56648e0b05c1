// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/taint_provenance/: the current state, one value per file, for
 * scripts and fleet monitoring; bits/ holds the first setter of each bit.
 * A newly set (or cleared) bit prints one dmesg line and sends a KOBJ_CHANGE
 * uevent from bits/, which belongs to our kset so that uevents reach
 * userspace. The recording path may be in NMI context, so it only queues an
 * irq_work; that queues a work item, which does the printing and the uevent.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/irq_work.h>
#include <linux/kobject.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/workqueue.h>
#include "compat.h"
#include "tp.h"

#define TP_SYSFS_LINE_LEN 1024

static struct kset *tp_kset;
static struct kobject *tp_bits_kobj;
static char tp_bit_names[TAINT_FLAGS_COUNT][2];
static struct kobj_attribute tp_bit_attrs[TAINT_FLAGS_COUNT];
static struct attribute *tp_bit_attr_list[TAINT_FLAGS_COUNT + 1];

static ssize_t tainted_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", tp_taint_mask());
}

static ssize_t flags_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	int used = tp_format_flags(buf, PAGE_SIZE - 2, tp_taint_mask());

	return used + sysfs_emit_at(buf, used, "%s\n", used ? "" : "-");
}

static ssize_t recorded_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", tp_store_recorded());
}

static ssize_t dropped_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", tp_store_dropped());
}

static ssize_t missed_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", tp_hooks_missed());
}

static ssize_t loads_unseen_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", tp_hooks_loads_unseen());
}

static ssize_t lapped_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lu\n", tp_store_lapped());
}

static ssize_t capacity_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%u\n", tp_store_capacity());
}

static ssize_t source_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	char source[TP_HOOKS_SOURCE_LEN];

	tp_hooks_source(source, sizeof(source));
	return sysfs_emit(buf, "%s\n", source);
}

static struct kobj_attribute tp_attr_tainted = __ATTR_RO(tainted);
static struct kobj_attribute tp_attr_flags = __ATTR_RO(flags);
static struct kobj_attribute tp_attr_recorded = __ATTR_RO(recorded);
static struct kobj_attribute tp_attr_dropped = __ATTR_RO(dropped);
static struct kobj_attribute tp_attr_missed = __ATTR_RO(missed);
static struct kobj_attribute tp_attr_loads_unseen = __ATTR_RO(loads_unseen);
static struct kobj_attribute tp_attr_lapped = __ATTR_RO(lapped);
static struct kobj_attribute tp_attr_capacity = __ATTR_RO(capacity);
static struct kobj_attribute tp_attr_source = __ATTR_RO(source);

static struct attribute *tp_state_attrs[] = {
	&tp_attr_tainted.attr,
	&tp_attr_flags.attr,
	&tp_attr_recorded.attr,
	&tp_attr_dropped.attr,
	&tp_attr_missed.attr,
	&tp_attr_loads_unseen.attr,
	&tp_attr_lapped.attr,
	&tp_attr_capacity.attr,
	&tp_attr_source.attr,
	NULL,
};

static const struct attribute_group tp_state_group = {
	.attrs = tp_state_attrs,
};

/* bits/<letter>: '-' or the first setter, as in the debugfs file. */
static ssize_t tp_bit_show(struct kobject *kobj, struct kobj_attribute *attr, char *buf)
{
	unsigned int bit = attr - tp_bit_attrs;
	struct tp_event ev;
	int used;

	if (!tp_store_first(bit, &ev))
		return sysfs_emit(buf, "-\n");
	used = tp_format_event(buf, PAGE_SIZE - 1, &ev);
	return used + sysfs_emit_at(buf, used, "\n");
}

static const struct attribute_group tp_bits_group = {
	.attrs = tp_bit_attr_list,
};

static void tp_bits_release(struct kobject *kobj)
{
	kfree(kobj);
}

static const struct kobj_type tp_bits_ktype = {
	.release = tp_bits_release,
	.sysfs_ops = &kobj_sysfs_ops,
};

/* ---- notifications ------------------------------------------------------- */

static void tp_notify_one(unsigned int bit, char *line)
{
	struct tp_event ev;
	char flag[16], bit_env[24], flag_env[32], module_env[64], change_env[24];
	char *envp[5];

	if (!tp_store_last(bit, &ev) ||
	    (!(ev.flags & (TP_EV_NEW | TP_EV_CLEARED)) && !tp_store_first(bit, &ev)))
		return;
	tp_flag_name(bit, flag, sizeof(flag));
	tp_format_event(line, TP_SYSFS_LINE_LEN, &ev);
	pr_info("taint %s %s: %s\n", flag, ev.flags & TP_EV_CLEARED ? "cleared" : "set", line);
	snprintf(flag_env, sizeof(flag_env), "TAINT_FLAG=%s", flag);
	snprintf(bit_env, sizeof(bit_env), "TAINT_BIT=%u", bit);
	snprintf(module_env, sizeof(module_env), "TAINT_MODULE=%s", ev.module[0] ? ev.module : "-");
	snprintf(change_env, sizeof(change_env), "TAINT_CHANGE=%s",
		 ev.flags & TP_EV_CLEARED ? "clear" : "set");
	envp[0] = flag_env;
	envp[1] = bit_env;
	envp[2] = module_env;
	envp[3] = change_env;
	envp[4] = NULL;
	kobject_uevent_env(tp_bits_kobj, KOBJ_CHANGE, envp);
}

static void tp_notify_work_fn(struct work_struct *work)
{
	unsigned long bits = tp_store_take_notify();
	unsigned int bit;
	char *line = kmalloc(TP_SYSFS_LINE_LEN, GFP_KERNEL);

	if (!line)
		return;
	for_each_set_bit(bit, &bits, TP_NBITS)
		tp_notify_one(bit, line);
	kfree(line);
}

static DECLARE_WORK(tp_notify_work, tp_notify_work_fn);

static void tp_kick_fn(struct irq_work *work)
{
	schedule_work(&tp_notify_work);
}

static struct irq_work tp_kick_work;

/* From tp_record(), any context: queue the dmesg line and uevent. */
void tp_sysfs_kick(void)
{
	irq_work_queue(&tp_kick_work);
}

int tp_sysfs_init(void)
{
	unsigned int bit;
	int err;

	init_irq_work(&tp_kick_work, tp_kick_fn);
	for (bit = 0; bit < TAINT_FLAGS_COUNT; bit++) {
		tp_bit_names[bit][0] = tp_flag_letter(bit);
		sysfs_attr_init(&tp_bit_attrs[bit].attr);
		tp_bit_attrs[bit].attr.name = tp_bit_names[bit];
		tp_bit_attrs[bit].attr.mode = 0444;
		tp_bit_attrs[bit].show = tp_bit_show;
		tp_bit_attr_list[bit] = &tp_bit_attrs[bit].attr;
	}

	tp_kset = kset_create_and_add(KBUILD_MODNAME, NULL, kernel_kobj);
	if (!tp_kset)
		return -ENOMEM;
	err = sysfs_create_group(&tp_kset->kobj, &tp_state_group);
	if (err)
		goto err_state;
	tp_bits_kobj = kzalloc(sizeof(*tp_bits_kobj), GFP_KERNEL);
	if (!tp_bits_kobj) {
		err = -ENOMEM;
		goto err_bits_alloc;
	}
	tp_bits_kobj->kset = tp_kset;
	err = kobject_init_and_add(tp_bits_kobj, tp_kobj_type_arg(&tp_bits_ktype),
				   &tp_kset->kobj, "bits");
	if (err)
		goto err_bits_add;
	err = sysfs_create_group(tp_bits_kobj, &tp_bits_group);
	if (err)
		goto err_bits_add;
	return 0;

err_bits_add:
	kobject_put(tp_bits_kobj);	/* frees it, added or not */
err_bits_alloc:
	sysfs_remove_group(&tp_kset->kobj, &tp_state_group);
err_state:
	kset_unregister(tp_kset);
	return err;
}

void tp_sysfs_exit(void)
{
	irq_work_sync(&tp_kick_work);
	cancel_work_sync(&tp_notify_work);
	sysfs_remove_group(tp_bits_kobj, &tp_bits_group);
	kobject_put(tp_bits_kobj);
	sysfs_remove_group(&tp_kset->kobj, &tp_state_group);
	kset_unregister(tp_kset);
}
