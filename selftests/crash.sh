#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A boot of its own: a module oopses, the die notifier prints the provenance
# summary and the oops is blamed on that module; then a panic, whose summary
# the host looks for on the console (the VM does not come back from it).
. "$(dirname "$0")/lib.sh"

test_setup() {
	tp_load && mod_load tp_test_prop && mod_load tp_test_oops || fail "loading modules"
}

test_oops_summary() {
	expect_splat_begin oops
	sh -c 'echo 1 >/sys/module/tp_test_oops/parameters/oops'
	sleep 1
	dmesg | grep -q "taint_provenance: oops: kernel tainted" || { fail "no oops summary"; return 1; }
	dmesg | grep "taint_provenance:  first" | grep -q "module=tp_test_prop" || fail "summary does not name tp_test_prop"
}

test_oops_attributed_D() {
	line=$(hist_match rec=event flag=D change=set)
	[ "$(kv module "$line")" = tp_test_oops ] || { fail "D blamed on '$(kv module "$line")'"; return 1; }
	kv caller "$line" | grep -q "^tp_oops_set" || fail "D caller: $(kv caller "$line")"
}

ktap_plan 3
run_test setup
run_test oops_summary
run_test oops_attributed_D
sync
echo c >/proc/sysrq-trigger
