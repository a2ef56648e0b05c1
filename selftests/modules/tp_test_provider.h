/* SPDX-License-Identifier: GPL-2.0 */
/* What tp_test_provider exports, and tp_test_consumer calls. */
int tp_test_provider_ready(void);
