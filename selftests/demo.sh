#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make demo: the taint cascade from the war stories, in a throwaway VM.
# A proprietary module loads, is used for a while and unloads; later an
# unrelated WARN fires in another module; then a forced load. Then the
# bug-report attachment and the sysfs view.
. "$(dirname "$0")/lib.sh"

step() {
	echo
	echo "### $*"
}

step "Load the tracker (insmod taint_provenance.ko)"
tp_load || exit 1
step "A proprietary module loads, is used for 3 s, and is unloaded"
mod_load tp_test_prop && sleep 3 && rmmod tp_test_prop
step "Later, an unrelated WARN fires in another module"
mod_load tp_test_warn
expect_splat_begin demo
echo 1 >/sys/module/tp_test_warn/parameters/warn_task
expect_splat_end demo
step "A module is force-loaded past its version checks"
"$TP_BIN/tp_load" -f "$TP_MODS/tp_test_gpl.ko"
step "The bug-report attachment: taint-provenance report"
"$TP_TOOL" report
step "The sysfs view: /sys/kernel/taint_provenance/"
for f in tainted flags recorded dropped capacity source; do
	printf '%-9s %s\n' "$f" "$(cat $TP_SYSFS/$f)"
done
printf '%-9s %s\n' "bits/P" "$(cat $TP_SYSFS/bits/P)"
