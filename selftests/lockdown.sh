#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Booted with lockdown=confidentiality: a locked-down kernel loads only
# modules signed by a key it trusts. Our test builds are unsigned (and the
# VM has no firmware to enroll a MOK), so the tracker must be refused with
# the kernel's lockdown message, leaving nothing behind. docs/DESIGN.md
# says what a signed tracker can and cannot do under lockdown.
. "$(dirname "$0")/lib.sh"

test_lockdown_active() {
	mount -t securityfs securityfs /sys/kernel/security 2>/dev/null
	grep -q "\[confidentiality\]" /sys/kernel/security/lockdown ||
		{ fail "lockdown: $(cat /sys/kernel/security/lockdown 2>&1)"; return 1; }
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

ktap_plan 2
run_test lockdown_active
run_test unsigned_tracker_refused_by_lockdown
