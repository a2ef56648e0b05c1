#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The faults boot (the debug kernel, make check-debug): every allocation the
# tracker's init makes fails once, in turn. failslab and fail_page_alloc are
# filtered to call stacks that hold module text (addresses above the
# kernel image's _end), so the faults land in the tracker's init and what it
# calls, never in the module loader before it. tp_load -F N fails the N-th
# such point; N grows until a load no longer reaches one. Each refused load
# must say why and leave nothing behind; a load that survives a fault must
# work and unload. Then a clean load's baseline must be right.
. "$(dirname "$0")/lib.sh"
FAULT_ATTRS="/sys/kernel/debug/failslab /sys/kernel/debug/fail_page_alloc"
MODULES_END=0xffffffffff000000	# x86_64, 4- and 5-level paging alike
MAX_FAULTS=1000

# Fail allocations of every kind (GFP_KERNEL too), but only under module text.
setup_fault_filter() {
	kernel_end=$(awk '$3 == "_end" { print "0x" $1 }' /proc/kallsyms)
	[ -n "$kernel_end" ] && [ "$kernel_end" != 0x0000000000000000 ] || return 1
	for attr in $FAULT_ATTRS; do
		echo "$kernel_end" >$attr/require-start &&
			echo $MODULES_END >$attr/require-end &&
			echo 32 >$attr/stacktrace-depth &&
			echo N >$attr/ignore-gfp-wait &&
			echo 0 >$attr/verbose || return 1
	done
	echo N >/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem &&
		echo 0 >/sys/kernel/debug/fail_page_alloc/min-order
}

left_behind() { # what a refused load must not leave
	tp_loaded && echo "module"
	[ -e $TP_SYSFS ] && echo "$TP_SYSFS"
	[ -e $TP_DEBUGFS ] && echo "$TP_DEBUGFS"
}

# A load that survived a fault: sysfs answers, the hook records nothing
# while nothing taints (a hook that a fault widened to every function would:
# see tp_ftrace_attach()), and the history is readable or its absence was
# announced (debugfs is optional by design: docs/ABI.md).
survivor_works() {
	[ "$(cat $TP_SYSFS/tainted)" = "$(cat /proc/sys/kernel/tainted)" ] || return 1
	recorded=$(cat $TP_SYSFS/recorded)
	ls -R /sys/module >/dev/null
	[ "$(cat $TP_SYSFS/recorded)" = "$recorded" ] ||
		{ echo "# recorded $recorded, then $(cat $TP_SYSFS/recorded) with nothing tainting"; return 1; }
	grep -q "^rec=header " $TP_DEBUGFS 2>/dev/null && return 0
	dmesg | tail -n 5 | grep -q "taint_provenance: no debugfs file" &&
		faults_without_debugfs=$((faults_without_debugfs + 1))
}

# Run the loads with the N-th fault point failing, N = 1, 2, ...
# Results in faults_* variables for the checks below.
run_faults() {
	faults_injected=0 faults_refused=0 faults_survived=0 faults_dirty=0 faults_without_debugfs=0
	faults_unclear=0 faults_end="" n=1
	while [ $n -le $MAX_FAULTS ]; do
		out=$("$TP_BIN/tp_load" -F $n "$TP_KO" 2>/tmp/faults.err)
		status=$?
		if [ "$out" = "fault not reached" ]; then
			faults_end="load $n reached no fault point (exit $status)"
			[ $status = 0 ] && faults_clean_load=1 && tp_unload
			break
		fi
		[ "$out" = "fault injected" ] || { faults_end="tp_load -F $n: '$out' $(cat /tmp/faults.err)"; break; }
		faults_injected=$((faults_injected + 1))
		if [ $status = 0 ]; then
			# A fault the tracker tolerates: it must work, then unload.
			faults_survived=$((faults_survived + 1))
			if ! survivor_works || ! tp_unload; then
				echo "# fault $n: loaded, but unusable or stuck"
				faults_dirty=$((faults_dirty + 1))
				tp_unload 2>/dev/null
			fi
		else
			faults_refused=$((faults_refused + 1))
			grep -q "refused: .*(errno [0-9]*)" /tmp/faults.err || {
				echo "# fault $n: $(cat /tmp/faults.err)"
				faults_unclear=$((faults_unclear + 1))
			}
			grep -q "errno 12" /tmp/faults.err || echo "# fault $n: $(cat /tmp/faults.err)"
			leftovers=$(left_behind)
			if [ -n "$leftovers" ]; then
				echo "# fault $n left behind: $leftovers"
				faults_dirty=$((faults_dirty + 1))
				tp_unload 2>/dev/null
			fi
		fi
		n=$((n + 1))
	done
	echo "# $faults_injected faults injected: $faults_refused loads refused, $faults_survived survived" \
		"($faults_without_debugfs of them without the debugfs file, as announced); $faults_end"
}

test_fault_filter_set_up() {
	[ -d /sys/kernel/debug/failslab ] || { skip "no failslab on this kernel (CONFIG_FAILSLAB)"; return; }
	setup_fault_filter || fail "cannot set up the fault filter"
}

test_every_init_fault_point_fails_in_turn() {
	[ -d /sys/kernel/debug/failslab ] || { skip "no failslab on this kernel (CONFIG_FAILSLAB)"; return; }
	faults_clean_load=0
	# Failed page allocations print warn_alloc's stack: expected, bracketed.
	# Checker reports (KASAN, lockdep ...) still fail the boot inside brackets.
	expect_splat_begin faults
	run_faults
	expect_splat_end faults
	[ -n "$faults_end" ] || { fail "still reaching fault points after $MAX_FAULTS loads"; return 1; }
	[ $faults_injected -gt 0 ] || { fail "no fault was injected: the filter caught nothing"; return 1; }
	[ $faults_clean_load = 1 ] || fail "the load past the last fault point failed: $(cat /tmp/faults.err)"
}

test_refused_loads_said_why_and_left_nothing() {
	[ -d /sys/kernel/debug/failslab ] || { skip "no failslab on this kernel (CONFIG_FAILSLAB)"; return; }
	[ $faults_refused -gt 0 ] || { fail "no load was refused"; return 1; }
	[ $faults_unclear = 0 ] || { fail "$faults_unclear refusals without a clear error"; return 1; }
	[ $faults_dirty = 0 ] || fail "$faults_dirty loads left something behind or could not unload"
}

test_load_after_faults_has_right_baseline() {
	tp_load || { fail "load after the faults"; return 1; }
	mask=$(cat /proc/sys/kernel/tainted)
	for flag in $(mask_letters "$mask" | sed 's/./& /g'); do
		[ -n "$(hist_match rec=first flag=$flag via=baseline)" ] ||
			[ -n "$(hist_match rec=first flag=$flag via=own)" ] ||
			{ fail "no baseline for $flag (tainted=$mask)"; return 1; }
	done
	[ "$(kv tainted "$(hist_match rec=header)")" = "$mask" ] || fail "header tainted differs from $mask"
	tp_unload
}

ktap_plan 4
run_test fault_filter_set_up
run_test every_init_fault_point_fails_in_turn
run_test refused_loads_said_why_and_left_nothing
run_test load_after_faults_has_right_baseline
