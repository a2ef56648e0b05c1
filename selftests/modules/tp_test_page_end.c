// SPDX-License-Identifier: GPL-2.0
/*
 * A name the kernel leaves at the end of a page. After the build,
 * scripts/ko-edit moves this module's .modinfo to the end of its file, the
 * name= entry last, and pads the file to whole pages, in a copy also
 * without the name's NUL: the kernel reads a module file into vmalloc()ed
 * memory, which an unmapped guard page follows, and points struct
 * load_info's name at that entry, so the name ends right before the guard
 * page when the tracker reads it during the load.
 */
#include "tp_test_named.h"
