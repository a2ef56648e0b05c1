#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Booted with module.sig_enforce=1 (war story 2): unsigned modules are
# refused with a clear error, and nothing is recorded as loaded.
. "$(dirname "$0")/lib.sh"

test_unsigned_tracker_refused() {
	grep -qx "Y\|1" /sys/module/module/parameters/sig_enforce || { fail "sig_enforce is not on"; return 1; }
	if tp_load 2>/tmp/tp.err; then fail "unsigned tracker loaded"; return 1; fi
	grep -qi "key\|signature\|permitted" /tmp/tp.err || { fail "unclear error: $(cat /tmp/tp.err)"; return 1; }
	! tp_loaded || fail "tracker present"
}

test_unsigned_module_refused() {
	if "$TP_BIN/tp_load" "$TP_MODS/tp_test_prop.ko" 2>/tmp/prop.err; then fail "unsigned module loaded"; return 1; fi
	grep -q "signature rejected or missing" /tmp/prop.err || { fail "unclear error: $(cat /tmp/prop.err)"; return 1; }
	[ ! -d /sys/module/tp_test_prop ] || { fail "tp_test_prop present"; return 1; }
	[ "$(cat /proc/sys/kernel/tainted)" = 0 ] || fail "kernel tainted $(cat /proc/sys/kernel/tainted) by a refused load"
}

ktap_plan 2
run_test unsigned_tracker_refused
run_test unsigned_module_refused
