/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A GPL out-of-tree module (O, and E when unsigned) that is only its name:
 * each module that includes this is named after its file, at an edge of
 * the word-at-a-time handling of the names the tracker keeps
 * (module/tp.h, tp_name_keep()).
 */
#include <linux/module.h>

static int __init tp_test_named_init(void)
{
	return 0;
}

static void __exit tp_test_named_exit(void)
{
}

module_init(tp_test_named_init);
module_exit(tp_test_named_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a module name at a word's edge");
