// SPDX-License-Identifier: GPL-2.0
/*
 * A GPL out-of-tree module (O, and E when unsigned) whose init waits up
 * to init_ms, or until 1 is written to its release parameter: a load
 * stays inside load_module() that long, as a driver's does while it
 * probes its hardware. scripts/ko-edit copies it under other names
 * (tp_test_slow01 and on), so that many loads can be in flight at once,
 * as udev makes them at boot, and a test can end them all once it has
 * seen them in flight together.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>

static unsigned int init_ms;
module_param(init_ms, uint, 0444);
MODULE_PARM_DESC(init_ms, "how long init waits at most, in ms (0 to 60000)");

static bool release;
module_param(release, bool, 0600);
MODULE_PARM_DESC(release, "Y: init stops waiting");

static int __init tp_test_slow_init(void)
{
	unsigned long deadline;

	if (init_ms > 60000) {
		pr_err("init_ms=%u: expected 0 to 60000\n", init_ms);
		return -EINVAL;
	}
	deadline = jiffies + msecs_to_jiffies(init_ms);
	while (!READ_ONCE(release) && time_before(jiffies, deadline))
		msleep(20);
	return 0;
}

static void __exit tp_test_slow_exit(void)
{
}

module_init(tp_test_slow_init);
module_exit(tp_test_slow_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("taint_provenance test: a module whose init takes its time");
