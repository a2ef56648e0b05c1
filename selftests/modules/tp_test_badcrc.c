// SPDX-License-Identifier: GPL-2.0
/*
 * tp_test_gpl under another name, whose symbol CRCs scripts/ko-edit
 * spoils after the build: the kernel must refuse it (war story 1) unless
 * the load is forced, which sets F.
 */
#include "tp_test_gpl.c"
