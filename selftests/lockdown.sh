#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Booted with lockdown=confidentiality (the lockdown boot) or
# lockdown=integrity (lockdown_integrity): a locked-down kernel loads only
# modules signed by a key it trusts. The unsigned test builds must be
# refused with EPERM, leaving nothing behind. Debian's kernels trust only
# Debian's key and the VM has no firmware to enroll a MOK, so there the
# signed-tracker tests skip; the debug kernel (make check-debug) trusts the
# key of its own build, which signed the copies in /tp/signed: there the
# tracker must load, hook add_taint() and record a signed proprietary module.
# docs/DESIGN.md says what a signed tracker can and cannot do under lockdown.
. "$(dirname "$0")/lib.sh"
MODE=$(kernel_param lockdown "")
SIGNED=$TP_DIR/signed

test_lockdown_active() {
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	grep -q "\[$MODE\]" /sys/kernel/security/lockdown ||
		{ fail "lockdown=$MODE: $(cat /sys/kernel/security/lockdown 2>&1)"; return 1; }
}

test_unsigned_tracker_refused_by_lockdown() {
	if tp_load 2>/tmp/tp.err; then fail "unsigned tracker loaded under lockdown"; return 1; fi
	# EPERM is lockdown's answer (a bad signature would be EKEYREJECTED). The
	# kernel's "Lockdown: ... is restricted" line is ratelimited, and boot-time
	# tracefs refusals have often used it up, so it is not required.
	grep -q "Operation not permitted" /tmp/tp.err || { fail "unclear error: $(cat /tmp/tp.err)"; return 1; }
	! tp_loaded || { fail "tracker present"; return 1; }
	[ ! -e $TP_SYSFS ] || fail "$TP_SYSFS left behind"
}

no_trusted_key() { # true (with SKIP_REASON set) when nothing signed can load
	[ -f "$SIGNED/taint_provenance.ko" ] && return 1
	SKIP_REASON="this kernel trusts only its distribution's key, and the VM cannot enroll a MOK"
}

test_signed_tracker_loads_under_lockdown() {
	no_trusted_key && return 4
	if ! "$TP_BIN/tp_load" "$SIGNED/taint_provenance.ko" 2>/tmp/tp.err; then
		dmesg | tail -n 5 | sed 's/^/# dmesg: /'
		fail "$(cat /tmp/tp.err)"
		return 1
	fi
	line=$(dmesg | grep "taint_provenance: tracking taint" | tail -n 1)
	echo "# $line"
	# What it can do: its load line and the header name the hooks it holds.
	echo "$line" | grep -q "source add_taint,load_module,proc_taint," ||
		{ fail "not every probe registered under lockdown=$MODE"; return 1; }
	kv source "$(hist_match rec=header)" | grep -q "^add_taint," || fail "header source lacks add_taint"
}

test_signed_module_recorded_under_lockdown() {
	no_trusted_key && return 4
	tp_loaded || { fail "the signed tracker is not loaded"; return 1; }
	insmod "$SIGNED/tp_test_prop.ko" 2>/tmp/tp.err || { fail "signed tp_test_prop refused: $(cat /tmp/tp.err)"; return 1; }
	rmmod tp_test_prop
	[ -n "$(hist_match rec=event flag=P module=tp_test_prop via=add_taint ctx=task)" ] ||
		{ fail "no P event for the signed tp_test_prop"; return 1; }
	if mod_load tp_test_gpl 2>/dev/null; then fail "unsigned tp_test_gpl loaded"; return 1; fi
	tp_unload || fail "unload the signed tracker"
}

ktap_plan 4
run_test lockdown_active
run_test unsigned_tracker_refused_by_lockdown
run_test signed_tracker_loads_under_lockdown
run_test signed_module_recorded_under_lockdown
