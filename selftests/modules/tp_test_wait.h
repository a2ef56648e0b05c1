/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An init that waits up to init_ms, or until 1 is written to the module's
 * release parameter: a load stays in its module's init that long, as a
 * driver's does while it probes its hardware, and a test ends the wait
 * once it has seen what it waited for. The module is in
 * MODULE_STATE_COMING meanwhile: another load that needs one of its
 * symbols waits inside load_module() until it is live.
 */
#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/module.h>

static unsigned int init_ms;
module_param(init_ms, uint, 0444);
MODULE_PARM_DESC(init_ms, "how long init waits at most, in ms (0 to 60000)");

static bool release;
module_param(release, bool, 0600);
MODULE_PARM_DESC(release, "Y: init stops waiting");

static int __init tp_test_wait_init(void)
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

static void __exit tp_test_wait_exit(void)
{
}

module_init(tp_test_wait_init);
module_exit(tp_test_wait_exit);
MODULE_LICENSE("GPL");
