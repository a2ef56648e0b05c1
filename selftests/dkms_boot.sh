#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# A clean boot that loads the module DKMS built and installed (war story 1:
# built against the target kernel's own Module.symvers, so it loads without
# F: its modversions CRCs match).
. "$(dirname "$0")/lib.sh"
DKMS_KO=$TP_DIR/dkms/taint_provenance.ko

test_dkms_module_loads() {
	[ -f "$DKMS_KO" ] || { fail "no DKMS-built module in the image"; return 1; }
	insmod "$DKMS_KO" || { fail "insmod of the DKMS-built module failed"; return 1; }
	head -n 1 $TP_DEBUGFS | grep -q "^rec=header format=taint_provenance version=1 kernel=$(uname -r) " ||
		fail "no history header"
}

test_dkms_module_not_forced() {
	taint=$(cat /sys/module/taint_provenance/taint)
	case $taint in
	*F*) fail "DKMS-built module carries F: $taint"; return 1 ;;
	esac
	[ $(($(cat /proc/sys/kernel/tainted) & 2)) = 0 ] || { fail "kernel tainted F"; return 1; }
	[ -n "$(hist_match rec=event via=own module=taint_provenance flag=O)" ] || fail "own O not recorded"
}

test_dkms_module_unloads() {
	tp_unload || fail "rmmod"
}

ktap_plan 3
run_test dkms_module_loads
run_test dkms_module_not_forced
run_test dkms_module_unloads
