// SPDX-License-Identifier: GPL-2.0
/*
 * taint_provenance: record which module, task and code path set each kernel
 * taint bit, and when; keep that history after the modules are gone.
 * docs/DESIGN.md explains the parts, docs/ABI.md the files they expose.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include "tp.h"

static int __init tp_init(void)
{
	char source[TP_HOOKS_SOURCE_LEN];
	int err;

	err = tp_store_init(tp_param_capacity());
	if (err)
		goto err_store;
	err = tp_sysfs_init();
	if (err)
		goto err_sysfs;
	err = tp_debugfs_init();
	if (err)
		goto err_debugfs;
	tp_record_baseline();
	err = tp_hooks_init();
	if (err)
		goto err_hooks;
	tp_hooks_source(source, sizeof(source));
	pr_info("tracking taint (version %s, capacity %u, source %s)\n",
		TP_VERSION, tp_store_capacity(), source);
	return 0;

err_hooks:
	tp_debugfs_exit();
err_debugfs:
	tp_sysfs_exit();
err_sysfs:
	tp_store_exit();
err_store:
	return err;
}

static void __exit tp_exit(void)
{
	tp_hooks_exit();
	tp_debugfs_exit();
	tp_sysfs_exit();
	tp_store_exit();
	pr_info("stopped tracking taint\n");
}

module_init(tp_init);
module_exit(tp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("taint_provenance developers");
MODULE_DESCRIPTION("Record who set each kernel taint bit, and when");
MODULE_VERSION(TP_VERSION);
