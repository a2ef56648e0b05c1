#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The main suite: every requirement of the recorder, in one boot of a clean
# kernel, in order. Needs root, the tracker not loaded, and a kernel that
# was not tainted at boot. KTAP on stdout; exit 0 all passed, 1 a failure.
. "$(dirname "$0")/lib.sh"

TESTS="clean_start load debugfs_header debugfs_readonly own_taint_labelled add_taint_hook sysfs_files sysfs_bits
odd_reads no_raw_pointers unprivileged_user
proprietary_P uevent dmesg_line out_of_tree_O_E unload_times_kept warn_W_task warn_W_hardirq
warn_W_softirq crc_mismatch_refused forced_F staging_C test_module_N load_fails_after_taint
same_bit_two_modules module_names_at_word_edges many_loads_at_once loads_past_the_slots user_write_U user_write_padded user_write_two_values user_write_at_offset forced_unload_R forced_unload_R_32bit forced_unload_R_x32 params_runtime tool_report_live thirty_second_story
module_name_at_page_end params_at_load reload_with_a_load_in_flight baseline ring_overflow last_setter_among_bits lapped_writer unslotted_load_outlived module_table_full unload_with_reader_open hook_choice tool_fallback_without_module
internal_rules kernel_names_none_of_ours"

test_clean_start() {
	[ "$(cat /proc/sys/kernel/tainted)" = 0 ] || fail "kernel tainted at boot: $(cat /proc/sys/kernel/tainted)"
}

test_load() {
	uevent sh -c 'env >/tmp/uevent.$$' &
	UEVENT_PID=$!
	tp_load poll_ms=100 || { fail "insmod taint_provenance failed"; return 1; }
	dmesg | grep -q "taint_provenance: tracking taint" || fail "no 'tracking taint' line in dmesg"
}

test_debugfs_header() {
	header=$(head -n 1 $TP_DEBUGFS)
	for token in rec=header format=taint_provenance version=1 "kernel=$(uname -r)" capacity=4096; do
		echo " $header " | grep -q " $token " || { fail "header lacks $token: $header"; return 1; }
	done
	for key in since_ts since_real recorded dropped tainted flags source; do
		[ -n "$(kv $key "$header")" ] || { fail "header lacks $key=: $header"; return 1; }
	done
	[ "$(kv tainted "$header")" = "$(cat /proc/sys/kernel/tainted)" ] ||
		fail "header tainted= differs from /proc/sys/kernel/tainted"
	[ "$(kv source "$header")" = "$(cat $TP_SYSFS/source)" ] ||
		fail "header source=$(kv source "$header") differs from sysfs source $(cat $TP_SYSFS/source)"
	[ "$(tail -n 1 $TP_DEBUGFS | cut -d' ' -f1)" = rec=end ] || fail "no rec=end last line"
}

test_debugfs_readonly() {
	[ "$(stat -c %a $TP_DEBUGFS)" = 400 ] || { fail "mode $(stat -c %a $TP_DEBUGFS), want 400"; return 1; }
	if (echo x >$TP_DEBUGFS) 2>/dev/null; then
		fail "a write to the debugfs file succeeded"
	fi
}

# The tracker's own O (and E, unsigned) is labelled as its own, and nobody else is blamed.
test_own_taint_labelled() {
	own=$(cat /sys/module/taint_provenance/taint)
	[ -n "$own" ] || { fail "/sys/module/taint_provenance/taint is empty"; return 1; }
	for flag in $(echo "$own" | sed 's/./& /g'); do
		[ "$(hist_count rec=event flag=$flag via=own module=taint_provenance)" = 1 ] ||
			{ fail "no via=own event for $flag"; return 1; }
	done
	[ "$(hist_count rec=event via=baseline)" = 0 ] || fail "baseline records on a clean kernel"
}

# add_taint() is hooked with ftrace where the kernel can trace it (it is in
# ftrace's list of functions), with a kprobe where it cannot.
test_add_taint_hook() {
	tracing=/sys/kernel/tracing
	[ -e $tracing/available_filter_functions ] || mount -t tracefs tracefs $tracing 2>/dev/null
	if grep -qx "add_taint" $tracing/available_filter_functions 2>/dev/null; then
		want="add_taint() hooked with ftrace"
	else
		want="add_taint() hooked with a kprobe"
	fi
	dmesg | grep -q "taint_provenance: $want" || { fail "dmesg lacks: $want"; return 1; }
	echo "# $want"
}

test_sysfs_files() {
	for f in tainted flags recorded dropped missed loads_unseen lapped capacity source; do
		[ -f $TP_SYSFS/$f ] || { fail "$TP_SYSFS/$f missing"; return 1; }
		[ "$(stat -c %a $TP_SYSFS/$f)" = 444 ] || { fail "$f mode $(stat -c %a $TP_SYSFS/$f)"; return 1; }
		if (echo 1 >$TP_SYSFS/$f) 2>/dev/null; then fail "write to $f succeeded"; return 1; fi
	done
	mask=$(cat /proc/sys/kernel/tainted)
	[ "$(cat $TP_SYSFS/tainted)" = "$mask" ] || { fail "tainted $(cat $TP_SYSFS/tainted) != $mask"; return 1; }
	[ "$(cat $TP_SYSFS/flags)" = "$(mask_letters "$mask")" ] ||
		{ fail "flags $(cat $TP_SYSFS/flags) != $(mask_letters "$mask")"; return 1; }
	[ "$(cat $TP_SYSFS/capacity)" = 4096 ] || { fail "capacity $(cat $TP_SYSFS/capacity)"; return 1; }
	[ "$(cat $TP_SYSFS/recorded)" -ge 1 ] || { fail "recorded $(cat $TP_SYSFS/recorded)"; return 1; }
	[ "$(cat $TP_SYSFS/dropped)" = 0 ] || { fail "dropped $(cat $TP_SYSFS/dropped)"; return 1; }
	[ "$(cat $TP_SYSFS/loads_unseen)" = 0 ] || { fail "loads_unseen $(cat $TP_SYSFS/loads_unseen)"; return 1; }
	for hook in add_taint load_module module_notifier; do
		grep -q "$hook" $TP_SYSFS/source || { fail "source lacks $hook: $(cat $TP_SYSFS/source)"; return 1; }
	done
}

test_sysfs_bits() {
	n=$(ls $TP_SYSFS/bits | wc -l)
	[ "$n" -ge 18 ] || { fail "only $n files in bits/"; return 1; }
	for f in $TP_SYSFS/bits/*; do
		[ "$(stat -c %a "$f")" = 444 ] || { fail "$f mode $(stat -c %a "$f")"; return 1; }
	done
	[ "$(cat $TP_SYSFS/bits/P)" = - ] || { fail "bits/P is '$(cat $TP_SYSFS/bits/P)' before any P"; return 1; }
	grep -q "module=taint_provenance" $TP_SYSFS/bits/O || fail "bits/O does not name the tracker: $(cat $TP_SYSFS/bits/O)"
}

# Both timestamps checked against independent clocks: dmesg's and date's.
check_times() {
	line=$1 before=$2 after=$3
	ts=$(kv ts "$line") real=$(kv real "$line")
	echo "$ts" | grep -Eq '^[0-9]+\.[0-9]{6}$' || { fail "ts=$ts is not seconds.micros"; return 1; }
	le "$before" "$ts" && le "$ts" "$after" || { fail "ts=$ts outside [$before, $after]"; return 1; }
	echo "$real" | grep -Eq '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}\.[0-9]{6}Z$' ||
		{ fail "real=$real is not ISO-8601 UTC"; return 1; }
	real_near_now "$real" || fail "real=$real is not near $(date -u +%FT%T)"
}

# Reads of any size at any offset see the same bytes; past the end, nothing.
test_odd_reads() {
	cat $TP_DEBUGFS >/tmp/whole.txt
	for bs in 1 7 4095; do
		dd if=$TP_DEBUGFS bs=$bs 2>/dev/null >/tmp/pieces.txt
		cmp -s /tmp/whole.txt /tmp/pieces.txt || { fail "$bs-byte reads differ from one read"; return 1; }
	done
	size=$(wc -c </tmp/whole.txt)
	[ "$(dd if=$TP_DEBUGFS bs=1 skip=$((size + 4096)) 2>/dev/null | wc -c)" = 0 ] ||
		{ fail "a read past the end returned data"; return 1; }
	tail -c 100 /tmp/whole.txt >/tmp/tail.want
	dd if=$TP_DEBUGFS bs=1 skip=$((size - 100)) 2>/dev/null >/tmp/tail.got
	cmp -s /tmp/tail.want /tmp/tail.got || { fail "a read from offset $((size - 100)) differs"; return 1; }
	for f in $TP_SYSFS/* $TP_SYSFS/bits/*; do
		[ -f "$f" ] || continue
		[ "$(dd if="$f" bs=1 2>/dev/null)" = "$(cat "$f")" ] || { fail "1-byte reads of $f differ"; return 1; }
	done
}

# Nothing we print carries a raw kernel pointer: symbols are name+off/len.
test_no_raw_pointers() {
	{ cat $TP_DEBUGFS; cat $TP_SYSFS/* $TP_SYSFS/bits/* 2>/dev/null; dmesg | grep "taint_provenance"; } >/tmp/ours.txt
	if grep -iqE "(0x)?ffff[0-9a-f]{12}" /tmp/ours.txt; then
		fail "a kernel address: $(grep -ioE "[^ ]*ffff[0-9a-f]{12}[^ ]*" /tmp/ours.txt | head -n 1)"
	fi
}

# An unprivileged user gets what docs/ABI.md promises and nothing more: the
# sysfs values, no history, no writes; the tool falls back and says why.
test_unprivileged_user() {
	uid=$(su -s /bin/sh nobody -c "id -u" 2>&1)
	[ "$uid" = 65534 ] || { fail "cannot run as nobody (/init writes /etc/passwd): $uid"; return 1; }
	if su -s /bin/sh nobody -c "cat $TP_DEBUGFS" >/dev/null 2>&1; then fail "nobody read the history"; return 1; fi
	for f in $TP_SYSFS/* $TP_SYSFS/bits/*; do
		[ -f "$f" ] || continue
		[ "$(su -s /bin/sh nobody -c "cat $f")" = "$(cat "$f")" ] || { fail "nobody reads $f differently"; return 1; }
		if su -s /bin/sh nobody -c "echo 1 >$f" 2>/dev/null; then fail "nobody wrote $f"; return 1; fi
	done
	poll=$(cat /sys/module/taint_provenance/parameters/poll_ms)
	if su -s /bin/sh nobody -c "echo 20 >/sys/module/taint_provenance/parameters/poll_ms" 2>/dev/null; then
		fail "nobody set poll_ms"
		return 1
	fi
	[ "$(cat /sys/module/taint_provenance/parameters/poll_ms)" = "$poll" ] || { fail "poll_ms changed"; return 1; }
	su -s /bin/sh nobody -c "$TP_TOOL report" >/tmp/nobody.txt 2>&1 || { fail "report as nobody exited $?"; return 1; }
	grep -q "^source: *fallback: .*not readable" /tmp/nobody.txt ||
		fail "report as nobody does not say the history is not readable: $(grep "^source" /tmp/nobody.txt)"
}

test_proprietary_P() {
	before=$(kmsg_mark before_prop)
	mod_load tp_test_prop || { fail "insmod tp_test_prop"; return 1; }
	after=$(kmsg_mark after_prop)
	line=$(hist_match rec=event flag=P module=tp_test_prop via=add_taint comm=insmod new=1 ctx=task)
	[ -n "$line" ] || { fail "no P event naming tp_test_prop"; show flag=P; return 1; }
	[ "$(kv caller "$line")" != - ] || { fail "no caller: $line"; return 1; }
	check_times "$line" "$before" "$after" || return 1
	grep -q "module=tp_test_prop" $TP_SYSFS/bits/P || fail "bits/P: $(cat $TP_SYSFS/bits/P)"
}

test_uevent() {
	sleep 1
	kill "$UEVENT_PID" 2>/dev/null
	grep -l "TAINT_FLAG=P" /tmp/uevent.* >/tmp/uevent.p 2>/dev/null
	file=$(head -n 1 /tmp/uevent.p)
	[ -n "$file" ] || { fail "no uevent with TAINT_FLAG=P"; cat /tmp/uevent.* | sed 's/^/# /'; return 1; }
	for want in ACTION=change TAINT_BIT=0 TAINT_MODULE=tp_test_prop TAINT_CHANGE=set; do
		grep -qx "$want" "$file" || { fail "uevent lacks $want"; sed 's/^/# /' "$file"; return 1; }
	done
}

test_dmesg_line() {
	dmesg | grep "taint_provenance: taint P set:" | grep -q "module=tp_test_prop" ||
		fail "no dmesg line naming tp_test_prop for P"
}

# Every letter the kernel put in the module's own taint file has an event naming it.
check_module_taints() {
	name=$1
	shift
	taints=$(cat /sys/module/$name/taint)
	[ -n "$taints" ] || { fail "/sys/module/$name/taint is empty"; return 1; }
	for flag in $(echo "$taints" | sed 's/./& /g'); do
		[ -n "$(hist_match rec=event flag=$flag module=$name "$@")" ] ||
			{ fail "no $flag event for $name ($*)"; return 1; }
	done
}

test_out_of_tree_O_E() {
	mod_load tp_test_gpl || { fail "insmod tp_test_gpl"; return 1; }
	check_module_taints tp_test_gpl via=add_taint comm=insmod new=0 || return 1
	grep -q O /sys/module/tp_test_gpl/taint || fail "tp_test_gpl not O"
}

test_unload_times_kept() {
	rmmod tp_test_prop || { fail "rmmod tp_test_prop"; return 1; }
	line=$(hist_match rec=module module=tp_test_prop state=gone)
	[ -n "$line" ] || { fail "no gone record for tp_test_prop"; show rec=module; return 1; }
	load=$(kv load_ts "$line") unload=$(kv unload_ts "$line")
	[ "$load" != - ] && [ "$unload" != - ] && le "$load" "$unload" ||
		{ fail "load_ts=$load unload_ts=$unload"; return 1; }
	echo "$line" | grep -q "taints=P" || fail "tp_test_prop record lacks P: $line"
}

# A WARN in tp_test_warn, triggered from CONTEXT, blames tp_test_warn.
check_warn() {
	context=$1
	[ -d /sys/module/tp_test_warn ] || mod_load tp_test_warn || { fail "insmod tp_test_warn"; return 1; }
	n=$(hist_count rec=event flag=W module=tp_test_warn ctx=$context)
	expect_splat_begin "warn_$context"
	echo 1 >/sys/module/tp_test_warn/parameters/warn_$context
	expect_splat_end "warn_$context"
	[ "$(hist_count rec=event flag=W module=tp_test_warn ctx=$context)" = $((n + 1)) ] ||
		{ fail "no new W event in $context blaming tp_test_warn"; show flag=W; return 1; }
	line=$(hist_match rec=event flag=W module=tp_test_warn ctx=$context | tail -n 1)
	kv caller "$line" | grep -q "^tp_warn_" || fail "caller is not the warning code: $line"
}

test_warn_W_task() {
	check_warn task || return 1
	line=$(hist_match rec=event flag=W ctx=task | tail -n 1)
	[ "$(kv comm "$line")" != insmod ] || fail "W blamed on insmod"
}

test_warn_W_hardirq() {
	check_warn hardirq
}

test_warn_W_softirq() {
	check_warn softirq
}

# War story 1: a module whose symbol CRCs disagree with the kernel is refused;
# forced past the check, it loads with F, and the tracker names it.
test_crc_mismatch_refused() {
	[ -f "$TP_MODS/tp_test_badcrc.ko" ] || { skip "kernel built without CONFIG_MODVERSIONS: no CRCs to disagree"; return 4; }
	if "$TP_BIN/tp_load" "$TP_MODS/tp_test_badcrc.ko" 2>/tmp/badcrc.err; then
		fail "a module with a bad CRC loaded"
		return 1
	fi
	dmesg | grep -q "disagrees about version of symbol" || { fail "no CRC mismatch in dmesg"; return 1; }
	[ "$(hist_count rec=module module=tp_test_badcrc)" = 0 ] || { fail "refused module listed"; return 1; }
	"$TP_BIN/tp_load" -f "$TP_MODS/tp_test_badcrc.ko" || { fail "forced load failed"; return 1; }
	[ -n "$(hist_match rec=event flag=F module=tp_test_badcrc via=add_taint)" ] || fail "no F event for tp_test_badcrc"
	rmmod tp_test_badcrc
}

test_forced_F() {
	rmmod tp_test_gpl 2>/dev/null
	n=$(hist_count rec=event flag=F module=tp_test_gpl)
	"$TP_BIN/tp_load" -f "$TP_MODS/tp_test_gpl.ko" || { fail "tp_load -f tp_test_gpl"; return 1; }
	# The kernel asserts F once per check it skips: at least one event, all naming it.
	[ "$(hist_count rec=event flag=F module=tp_test_gpl via=add_taint comm=tp_load)" -gt "$n" ] ||
		{ fail "no F event for tp_test_gpl"; show flag=F; return 1; }
	grep -q F /sys/module/tp_test_gpl/taint || fail "kernel did not mark tp_test_gpl F"
}

test_staging_C() {
	mod_load tp_test_crap || { fail "insmod tp_test_crap"; return 1; }
	[ -n "$(hist_match rec=event flag=C module=tp_test_crap via=add_taint)" ] || fail "no C event for tp_test_crap"
}

test_test_module_N() {
	mod_load tp_test_ntest || { fail "insmod tp_test_ntest"; return 1; }
	grep -q N /sys/module/tp_test_ntest/taint || { skip "kernel $(uname -r) has no N taint (5.19+)"; return 4; }
	[ -n "$(hist_match rec=event flag=N module=tp_test_ntest via=add_taint)" ] || fail "no N event"
}

test_load_fails_after_taint() {
	if mod_load tp_test_fail 2>/dev/null; then fail "tp_test_fail loaded"; return 1; fi
	[ -n "$(hist_match rec=event flag=P module=tp_test_fail via=load_failed)" ] ||
		{ fail "no load_failed event"; show module=tp_test_fail; return 1; }
	[ -n "$(hist_match rec=module module=tp_test_fail state=load_failed)" ] || fail "no load_failed module record"
}

test_same_bit_two_modules() {
	for m in tp_test_prop tp_test_fail; do
		[ -n "$(hist_match rec=event flag=P module=$m)" ] || { fail "no P event for $m"; return 1; }
	done
	line=$(hist_match rec=bit flag=P)
	events=$(hist_match rec=event flag=P change=set | grep -cv "via=baseline\|via=own")
	[ "$(kv count "$line")" = "$events" ] || { fail "P count=$(kv count "$line"), $events events"; return 1; }
	first=$(hist_match rec=first flag=P) last=$(hist_match rec=last flag=P)
	[ "$(kv module "$first")" = tp_test_prop ] || { fail "first P: $first"; return 1; }
	[ "$(kv module "$last")" = tp_test_fail ] || fail "last P: $last"
}

# The names the tracker keeps a word at a time (tp_name_keep()): one whose
# NUL starts a word, and the longest the kernel allows, whose NUL is the
# field's last byte. The load's O event names the module (an event's module
# field holds its first 39 characters), and its record keeps the whole name
# from the load through the unload.
test_module_names_at_word_edges() {
	for name in tp_test_word_two tp_test_longest_name_a_module_can_have_is_fifty_five_ch; do
		field=$(echo "$name" | cut -c1-39)
		mod_load $name || { fail "insmod $name"; return 1; }
		[ -n "$(hist_match rec=event flag=O module=$field via=add_taint comm=insmod)" ] ||
			{ fail "no O event naming $field"; show flag=O; return 1; }
		[ -n "$(hist_match rec=module module=$name state=loaded)" ] ||
			{ fail "no loaded record of $name"; show rec=module; return 1; }
		rmmod $name || { fail "rmmod $name"; return 1; }
		line=$(hist_match rec=module module=$name state=gone)
		[ "$(echo "$line" | grep -c .)" = 1 ] && [ "$(kv unload_ts "$line")" != - ] ||
			{ fail "$name after its unload: $line"; show rec=module; return 1; }
	done
}

# slow_loads_begin N: load tp_test_slow00 and its renamed copies, the
# first N, at once; each waits in init until released, or a minute. Waits
# until all N were seen in init together, or for 30 s. Sets $names, $pids,
# and $peak: the most tp_test_slow loads seen in init at once, N when all
# of them were.
slow_loads_peak() { # N: true once $peak is N
	now=$(grep -c '^tp_test_slow[0-9]* .* Loading ' /proc/modules)
	[ "$now" -gt "$peak" ] && peak=$now
	[ "$peak" -ge "$1" ]
}
slow_loads_begin() {
	names=$(cd "$TP_MODS" && ls tp_test_slow*.ko | sed 's/\.ko$//' | head -n "$1")
	[ "$(echo "$names" | grep -c .)" = "$1" ] || { fail "fewer than $1 tp_test_slow modules"; return 1; }
	pids=
	for name in $names; do
		mod_load "$name" init_ms=60000 &
		pids="$pids $!"
	done
	peak=0
	wait_until 1500 slow_loads_peak "$1"
	return 0
}
# Release the loads of slow_loads_begin, any still on the way in too (a
# failed load never comes), and wait for them: false if any failed.
slow_loads_release() {
	tries=0
	while :; do
		absent=0
		for name in $names; do
			echo 1 2>/dev/null >"/sys/module/$name/parameters/release" || absent=$((absent + 1))
		done
		[ "$absent" = 0 ] || [ "$tries" -ge 600 ] && break
		sleep 0.05
		tries=$((tries + 1))
	done
	failed=0
	for pid in $pids; do
		wait "$pid" || failed=$((failed + 1))
	done
	pids=
	[ "$failed" = 0 ] || { fail "$failed of $(echo "$names" | grep -c .) loads failed"; return 1; }
}
# slow_loads_at_once N: the first N in init together, then released; keeps
# the history as it is after the loads in /tmp/slow.txt.
slow_loads_at_once() {
	slow_loads_begin "$1" || return 1
	slow_loads_release || return 1
	[ "$peak" = "$1" ] || { fail "at most $peak of $1 loads in init at once"; return 1; }
	cat "$TP_DEBUGFS" >/tmp/slow.txt
}

# Each of the first N slow modules has a loaded record carrying O, and no
# taint of theirs was first explained by the notifier at COMING, in the
# history after the loads; then they are unloaded.
check_slow_loads() {
	TP_HISTORY=/tmp/slow.txt
	for name in $names; do
		[ -z "$(hist_match rec=event module=$name via=module_notifier)" ] ||
			{ fail "$name's taint explained only at COMING"; show module=$name; return 1; }
		line=$(hist_match rec=module module=$name state=loaded)
		case "$(kv taints "$line")" in
		*O*) ;;
		*) fail "no loaded record of $name carrying O: $line"; show rec=module; return 1 ;;
		esac
	done
	unset TP_HISTORY
	for name in $names; do
		rmmod "$name" || { fail "rmmod $name"; return 1; }
	done
}

# More loads inside load_module() at once than the tracker once had room
# for (16), as udev makes them at boot while each driver's init probes:
# tp_test_slow00 and its renamed copies wait in init. Each load's taint
# must name its module from add_taint() itself, not only from the
# notifier's second look at MODULE_STATE_COMING.
test_many_loads_at_once() {
	slow_loads_at_once 24 || return 1
	TP_HISTORY=/tmp/slow.txt
	for name in $names; do
		line=$(hist_match rec=event flag=O module=$name via=add_taint)
		[ "$(echo "$line" | grep -c .)" = 1 ] ||
			{ fail "want one O event from add_taint naming $name, got: $line"; show module=$name; return 1; }
	done
	check_slow_loads
}

# The tracker's loading slots: 8 + 2 per possible CPU, within 64 to 1024
# (docs/DESIGN.md).
loading_slots() {
	slots=$((8 + 2 * $(possible_cpus)))
	[ "$slots" -lt 64 ] && slots=64
	[ "$slots" -gt 1024 ] && slots=1024
	echo "$slots"
}

# More loads at once than the tracker has slots for. The loads past them
# are not seen entering load_module(); the add_taint() hook still records
# their taints, without the module's name, and the notifier at COMING must
# not record and count them a second time: each bit's count stays exact.
test_loads_past_the_slots() {
	slots=$(loading_slots)
	count=$(set -- "$TP_MODS"/tp_test_slow*.ko; echo $#)
	[ "$count" -gt "$slots" ] ||
		{ skip "$slots loading slots on $(possible_cpus) possible CPUs, $count tp_test_slow modules"; return 4; }
	o_before=$(bit_count O)
	unseen_before=$(cat $TP_SYSFS/loads_unseen)
	first_seq=$(kv recorded "$(hist_match rec=header)")
	slow_loads_at_once "$count" || return 1
	TP_HISTORY=/tmp/slow.txt
	[ "$(bit_count O)" = $((o_before + count)) ] ||
		{ fail "O counted $(($(bit_count O) - o_before)) times for $count loads"; return 1; }
	unseen=$(($(kv loads_unseen "$(hist_match rec=header)") - unseen_before))
	[ "$unseen" = $((count - slots)) ] && [ "$(cat $TP_SYSFS/loads_unseen)" = $((unseen_before + unseen)) ] ||
		{ fail "loads_unseen up by $unseen in the header, $(cat $TP_SYSFS/loads_unseen) in sysfs, for $((count - slots))"; return 1; }
	# This test's events only: tp_test_slow00 to 23 have events of their own before.
	awk -v from="$first_seq" '$1 == "rec=event" { split($2, s, "="); if (s[2] + 0 >= from) print }' \
		/tmp/slow.txt >/tmp/slow-events.txt
	TP_HISTORY=/tmp/slow-events.txt
	named=0
	for name in $names; do
		named=$((named + $(hist_count rec=event flag=O module=$name via=add_taint)))
	done
	unnamed=$(hist_count rec=event flag=O via=add_taint module=- comm=insmod)
	[ "$named" = "$slots" ] && [ "$unnamed" = $((count - slots)) ] ||
		{ fail "$count loads, $slots slots: $named O events named, $unnamed unnamed"; return 1; }
	check_slow_loads
}

test_user_write_U() {
	sh -c 'echo $$ >/tmp/writer.pid; echo 64 >/proc/sys/kernel/tainted'
	line=$(hist_match rec=event flag=U change=set new=1)
	[ "$(echo "$line" | grep -c .)" = 1 ] || { fail "want one U event, got: $line"; return 1; }
	[ "$(kv pid "$line")" = "$(cat /tmp/writer.pid)" ] || { fail "U pid $(kv pid "$line") != writer"; return 1; }
	[ "$(kv comm "$line")" = sh ] || fail "U comm=$(kv comm "$line")"
	[ "$(bit_count U)" = 1 ] || fail "U count != 1"
}

# A write the kernel's parser takes with blanks before the number (here
# 29): the writing task is named all the same. 7.x sets the bits without
# an add_taint() call the hook sees, and the proc_taint() probe names the
# writer of each bit it finds the write set.
test_user_write_padded() {
	sh -c 'echo $$ >/tmp/writer.pid; printf "%32s\n" 256 >/proc/sys/kernel/tainted'
	line=$(hist_match rec=event flag=A change=set new=1)
	[ "$(echo "$line" | grep -c .)" = 1 ] || { fail "want one A event, got: $line"; show flag=A; return 1; }
	[ "$(kv pid "$line")" = "$(cat /tmp/writer.pid)" ] || { fail "A pid $(kv pid "$line") != writer: $line"; return 1; }
	[ "$(kv comm "$line")" = sh ] || fail "A comm=$(kv comm "$line")"
	[ "$(bit_count A)" = 1 ] || fail "A count != 1"
}

# A write of two values: the kernel takes the first (4, S) and leaves the
# rest unread; the writer's retry of "256" at a later offset is ignored
# (sysctl_writes_strict) or sets A, already set. S must name the writer on
# 7.x too, where the proc_taint() probe alone sees the write.
test_user_write_two_values() {
	sh -c 'echo $$ >/tmp/writer.pid; printf "4 256\n" >/proc/sys/kernel/tainted'
	[ $(($(cat /proc/sys/kernel/tainted) & 4)) = 4 ] || { fail "S not set by '4 256'"; return 1; }
	line=$(hist_match rec=event flag=S change=set new=1)
	[ "$(echo "$line" | grep -c .)" = 1 ] || { fail "want one S event, got: $line"; show flag=S; return 1; }
	[ "$(kv pid "$line")" = "$(cat /tmp/writer.pid)" ] || { fail "S pid $(kv pid "$line") != writer: $line"; return 1; }
	[ "$(kv comm "$line")" = sh ] || fail "S comm=$(kv comm "$line")"
}

# A write at a non-zero file offset, which the kernel ignores by default
# (kernel.sysctl_writes_strict=1): it takes no value, sets no bit, and
# asserts again every bit already set. 5.10 to 6.12's add_taint() hook sees
# those calls; 7.x's do not reach it, and the proc_taint() probe must record
# the same, not the value the kernel ignored: each set bit once more, from
# the writer, none new, and nothing of the written value's bit (K, 16384).
test_user_write_at_offset() {
	strict=$(cat /proc/sys/kernel/sysctl_writes_strict)
	[ "$strict" = 1 ] || { skip "kernel.sysctl_writes_strict is $strict, not 1"; return 4; }
	tainted=$(cat /proc/sys/kernel/tainted)
	[ $((tainted & 16384)) = 0 ] || { fail "K set before the test: $tainted"; return 1; }
	cp $TP_DEBUGFS /tmp/offset-before.txt
	printf 16384 >/tmp/k.txt
	sh -c 'echo $$ >/tmp/writer.pid
		exec dd if=/tmp/k.txt of=/proc/sys/kernel/tainted bs=8 seek=1 count=1 conv=notrunc 2>/dev/null' ||
		{ fail "dd of 16384 at offset 8 failed"; return 1; }
	[ "$(cat /proc/sys/kernel/tainted)" = "$tainted" ] ||
		{ fail "the mask went from $tainted to $(cat /proc/sys/kernel/tainted)"; return 1; }
	writer=$(cat /tmp/writer.pid)
	cp $TP_DEBUGFS /tmp/offset.txt
	TP_HISTORY=/tmp/offset.txt
	letters=$(mask_letters "$tainted")
	[ "$(hist_count rec=event pid="$writer" new=0)" = ${#letters} ] && [ "$(hist_count rec=event pid="$writer")" = ${#letters} ] ||
		{ fail "want ${#letters} events of dd, none new, one per set bit ($letters); got:"; show pid="$writer"; return 1; }
	for letter in $(echo "$letters" | sed 's/./& /g'); do
		[ "$(hist_count rec=event flag="$letter" pid="$writer" comm=dd)" = 1 ] ||
			{ fail "want one $letter event of dd"; show pid="$writer"; return 1; }
		was=$(TP_HISTORY=/tmp/offset-before.txt bit_count "$letter")
		[ "$(bit_count "$letter")" = $((was + 1)) ] ||
			{ fail "$letter counted $(($(bit_count "$letter") - was)) more times, want 1"; return 1; }
	done
}

# R: a module forcefully removed (rmmod -f). The kernel sets it in
# delete_module() and hands add_taint() nothing that names the module: the
# event must name the module forced out, and the task that forced it.
test_forced_unload_R() {
	needs_config CONFIG_MODULE_FORCE_UNLOAD "no forced unload" || return
	mod_load tp_test_noexit || { fail "insmod tp_test_noexit"; return 1; }
	if rmmod tp_test_noexit 2>/dev/null; then
		fail "a module with no exit unloaded unforced"
		return 1
	fi
	[ -z "$(hist_match rec=event flag=R)" ] || { fail "R before any forced unload"; show flag=R; return 1; }
	sh -c 'echo $$ >/tmp/rmmod.pid; exec rmmod -f tp_test_noexit' || { fail "rmmod -f tp_test_noexit"; return 1; }
	! grep -q '^tp_test_noexit ' /proc/modules || { fail "tp_test_noexit loaded after rmmod -f"; return 1; }
	line=$(hist_match rec=event flag=R change=set new=1 via=add_taint)
	[ "$(echo "$line" | grep -c .)" = 1 ] || { fail "want one R event, got: $line"; show flag=R; return 1; }
	[ "$(kv module "$line")" = tp_test_noexit ] || { fail "R names module $(kv module "$line"): $line"; return 1; }
	[ "$(kv pid "$line")" = "$(cat /tmp/rmmod.pid)" ] || { fail "R pid $(kv pid "$line") != rmmod's: $line"; return 1; }
	[ "$(kv comm "$line")" = rmmod ] || { fail "R comm=$(kv comm "$line")"; return 1; }
	[ -n "$(hist_match rec=module module=tp_test_noexit state=gone)" ] ||
		{ fail "no gone record of tp_test_noexit"; show rec=module; return 1; }
	# The name read back where it ends at a page after which nothing is
	# mapped, and where it crosses into the next page.
	for where in page-end page-cross; do
		mod_load tp_test_noexit || { fail "insmod tp_test_noexit again"; return 1; }
		sh -c 'echo $$ >/tmp/rmmod.pid; exec "$0" -R "$1" tp_test_noexit' "$TP_BIN/tp_load" $where ||
			{ fail "tp_load -R $where tp_test_noexit"; return 1; }
		line=$(hist_match rec=event flag=R via=add_taint | tail -n 1)
		[ "$(kv module "$line")" = tp_test_noexit ] && [ "$(kv pid "$line")" = "$(cat /tmp/rmmod.pid)" ] ||
			{ fail "R of the $where name: $line"; show flag=R; return 1; }
	done
	[ "$(bit_count R)" = 3 ] || fail "R count $(bit_count R), not 3"
}

# forced_out_by PROGRAM: tp_test_noexit forced out by $TP_BIN/PROGRAM,
# whose R must name the module, the program's pid and comm, and be counted
# once more.
forced_out_by() {
	[ -x "$TP_BIN/$1" ] || { skip "no $1 in this build (an x86_64 build has one)"; return 4; }
	rcount=$(bit_count R)
	mod_load tp_test_noexit || { fail "insmod tp_test_noexit"; return 1; }
	sh -c 'echo $$ >/tmp/rmmod.pid; exec "$0" tp_test_noexit' "$TP_BIN/$1" ||
		{ fail "$1 tp_test_noexit"; return 1; }
	! grep -q '^tp_test_noexit ' /proc/modules || { fail "tp_test_noexit loaded after $1"; return 1; }
	line=$(hist_match rec=event flag=R via=add_taint | tail -n 1)
	[ "$(kv module "$line")" = tp_test_noexit ] && [ "$(kv pid "$line")" = "$(cat /tmp/rmmod.pid)" ] &&
		[ "$(kv comm "$line")" = "$1" ] || { fail "R of $1's call: $line"; show flag=R; return 1; }
	[ "$(bit_count R)" = $((rcount + 1)) ] || fail "R count $(bit_count R), want $((rcount + 1))"
}

# The same from a 32-bit program (tp_rmmod32), whose delete_module() call
# reaches the kernel through x86's IA32 emulation: i386's call number and
# registers, a 32-bit address. Its R must name the module all the same.
test_forced_unload_R_32bit() {
	needs_config CONFIG_MODULE_FORCE_UNLOAD "no forced unload" || return
	needs_config CONFIG_IA32_EMULATION "no 32-bit programs" || return
	forced_out_by tp_rmmod32
}

# And from an x32 program (tp_rmmodx32): the 64-bit call and registers,
# the call's number marked as x32's. Debian builds x32 in but off until
# syscall.x32=y (scripts/vm-test boots the main suite so).
test_forced_unload_R_x32() {
	needs_config CONFIG_MODULE_FORCE_UNLOAD "no forced unload" || return
	if [ "$(kernel_config CONFIG_X86_X32)" != y ]; then	# its name until 5.18
		needs_config CONFIG_X86_X32_ABI "no x32 programs" || return
	fi
	if [ "$(kernel_config CONFIG_X86_X32_DISABLED)" = y ] && ! grep -qw syscall.x32=y /proc/cmdline; then
		skip "x32 built in but off (CONFIG_X86_X32_DISABLED) and no syscall.x32=y"
		return 4
	fi
	forced_out_by tp_rmmodx32
}

PARAM=/sys/module/taint_provenance/parameters/poll_ms
# A 300-digit value: far past any integer type.
OVERLONG=$(awk 'BEGIN { while (n++ < 300) printf "1" }')

test_params_runtime() {
	[ "$(stat -c %a $PARAM)" = 644 ] || { fail "poll_ms mode $(stat -c %a $PARAM)"; return 1; }
	[ "$(stat -c %a /sys/module/taint_provenance/parameters/capacity)" = 444 ] || { fail "capacity mode"; return 1; }
	before=$(cat $PARAM)
	for bad in 4294967295 -1 abc "" 5 9 60001 " " 0x10 99999999999999999999 "$OVERLONG"; do
		if (printf '%s\n' "$bad" >$PARAM) 2>/tmp/param.err; then
			fail "poll_ms='$bad' accepted"
			return 1
		fi
		[ "$(cat $PARAM)" = "$before" ] || { fail "poll_ms changed to $(cat $PARAM) by '$bad'"; return 1; }
	done
	dmesg | grep -q "invalid poll_ms='abc': expected 0 (off) or 10..60000" || { fail "no dmesg line for abc"; return 1; }
	for good in 0 10 60000 "$before"; do
		echo "$good" >$PARAM || { fail "poll_ms=$good refused"; return 1; }
		[ "$(cat $PARAM)" = "$good" ] || { fail "poll_ms=$good reads $(cat $PARAM)"; return 1; }
	done
}

test_tool_report_live() {
	[ -x "$TP_TOOL" ] || { skip "scripts/taint-provenance not in this build"; return 4; }
	"$TP_TOOL" report >/tmp/report.txt || { fail "report exited $?"; return 1; }
	grep -q "tp_test_prop" /tmp/report.txt || { fail "report does not name tp_test_prop"; return 1; }
	if "$TP_TOOL" check >/tmp/check.txt; then fail "check passed a kernel tainted by P"; fi
}

# War story 3: a proprietary module loads, is used 3 s, unloads; later an
# unrelated WARN fires elsewhere. P stays blamed on it with its load window;
# the WARN is blamed on the warning module, not on the gone one.
test_thirty_second_story() {
	rmmod tp_test_prop 2>/dev/null
	mod_load tp_test_prop || { fail "insmod tp_test_prop"; return 1; }
	sleep 3
	rmmod tp_test_prop || { fail "rmmod tp_test_prop"; return 1; }
	expect_splat_begin story
	echo 1 >/sys/module/tp_test_warn/parameters/warn_task
	expect_splat_end story
	line=$(hist_match rec=module module=tp_test_prop state=gone | tail -n 1)
	load=$(kv load_ts "$line") unload=$(kv unload_ts "$line")
	awk -v a="$load" -v b="$unload" 'BEGIN { d = b - a; exit !(d >= 3 && d < 10) }' ||
		{ fail "tp_test_prop window $load..$unload is not ~3 s"; return 1; }
	last=$(hist_match rec=event flag=W | tail -n 1)
	[ "$(kv module "$last")" = tp_test_warn ] || { fail "last W blamed on $(kv module "$last")"; return 1; }
	[ "$(kv module "$(hist_match rec=first flag=P)")" = tp_test_prop ] || fail "first P is not tp_test_prop"
}

# A loading module's name read from the kernel's copy of its file, where
# the name is the last thing before the vmalloc() guard page
# (scripts/ko-edit): a word read past the page would fault. Two files of
# tp_test_page_end, one ending in its name's NUL and one in its last
# character, which the kernel alone loads too. For each, the tracker is
# reloaded and the module loaded twice: the first load after the tracker's
# own reads the name with copy_from_kernel_nofault(), whose one copy of the
# whole field faults and falls back to a byte at a time, and shows the
# tracker the layout of struct load_info; the second reads the pointer
# with a plain load, and the name again without faulting, this near the
# page's end (docs/DESIGN.md). Each load must name the module in the event
# of each of its taints, and none may oops.
test_module_name_at_page_end() {
	name=tp_test_page_end unterminated=tp_test_page_end_unterminated
	for ko in $name $unterminated; do
		[ -f "$TP_MODS/$ko.ko" ] || { fail "$TP_MODS/$ko.ko missing"; return 1; }
		[ $(($(wc -c <"$TP_MODS/$ko.ko") % 4096)) = 0 ] || { fail "$ko.ko is not whole pages"; return 1; }
	done
	[ "$(tail -c 22 "$TP_MODS/$name.ko" | tr '\0' '\n')" = "name=$name" ] &&
		[ "$(tail -c 21 "$TP_MODS/$unterminated.ko")" = "name=$name" ] ||
		{ fail "the files do not end in the name"; return 1; }
	tp_unload || { fail "rmmod taint_provenance"; return 1; }
	insmod "$TP_MODS/$unterminated.ko" || { fail "the kernel alone refused $unterminated.ko"; return 1; }
	rmmod $name || { fail "rmmod $name"; return 1; }
	for ko in $name $unterminated; do
		tp_load || { fail "reload taint_provenance"; return 1; }
		for round in 1 2; do
			insmod "$TP_MODS/$ko.ko" || { fail "insmod $ko.ko, load $round"; return 1; }
			taints=$(cat /sys/module/$name/taint)
			rmmod $name || { fail "rmmod $name, load $round"; return 1; }
			case $taints in *O*) ;; *) fail "$name not O: $taints"; return 1 ;; esac
			for flag in $(echo "$taints" | sed 's/./& /g'); do
				[ "$(hist_count rec=event flag=$flag module=$name via=add_taint comm=insmod)" = $round ] ||
					{ fail "$ko.ko, load $round: $flag events naming $name"; show flag=$flag; return 1; }
			done
		done
		[ "$(hist_count rec=module module=$name state=gone)" = 2 ] || { fail "records of $name"; show rec=module; }
		tp_unload || { fail "rmmod taint_provenance"; return 1; }
	done
	tp_load || fail "reload taint_provenance"
}

test_params_at_load() {
	tp_unload || { fail "rmmod taint_provenance"; return 1; }
	for bad in capacity=4294967295 capacity=-1 capacity=abc capacity= capacity=0 capacity=15 \
		capacity=1048577 "capacity=$OVERLONG" poll_ms=5 poll_ms=60001 poll_ms=-1 poll_ms=abc \
		"poll_ms=$OVERLONG" hook=bogus hook= hook=KPROBE "hook=kprobe," "hook=$OVERLONG"; do
		if tp_load "$bad" 2>/tmp/load.err; then
			fail "loaded with $bad"
			tp_unload
			return 1
		fi
		grep -q "Invalid argument\|invalid" /tmp/load.err || { fail "$bad: $(cat /tmp/load.err)"; return 1; }
		tp_loaded && { fail "module present after $bad"; return 1; }
		[ -e $TP_SYSFS ] && { fail "$TP_SYSFS left behind after $bad"; return 1; }
	done
	dmesg | grep -q "invalid capacity='4294967295': expected 16..1048576" || fail "no dmesg line naming capacity"
	dmesg | grep -q "invalid hook='bogus': expected auto, ftrace or kprobe" || fail "no dmesg line naming hook"
}

# The tracker is unloaded and loaded again while a load is inside
# load_module(), as when an admin reloads it while udev loads drivers:
# tp_test_consumer's load waits there, its taints set, for
# tp_test_provider's init to end. The first tracker, which named the
# load's O from its slot, must unload with that load holding the slot and
# its load_module() return probe pending (the kernel never calls that
# probe's handler, in the module that is gone, when the load returns).
# The second never saw the load begin; at MODULE_STATE_COMING its taints,
# which no hook of its saw set, must each be recorded once, naming it and
# its loading task, and loads_unseen must count it.
consumer_in_load_module() {
	pid=$(cat /tmp/consumer.pid 2>/dev/null) && [ -n "$pid" ] &&
		grep -q load_module "/proc/$pid/stack" 2>/dev/null
}
consumer_o_named() {
	[ -n "$(hist_match rec=event flag=O module=tp_test_consumer pid="$pid" via=add_taint)" ]
}
# The pair both tests that need a load inside load_module() use:
# tp_test_consumer's load waits there (resolving a symbol, its taints set)
# until tp_test_provider's init, which waits for its release, ends. Their
# insmod pids gather in $loads, which the caller empties first.
provider_in_init() {
	grep -q '^tp_test_provider .* Loading ' /proc/modules
}
provider_begin() {
	mod_load tp_test_provider init_ms=60000 &
	loads="$loads $!"
	wait_until 500 provider_in_init || { fail "tp_test_provider never in its init"; return 1; }
}
consumer_begin() {
	sh -c 'echo $$ >/tmp/consumer.pid; exec insmod "$0"' "$TP_MODS/tp_test_consumer.ko" &
	loads="$loads $!"
	wait_until 500 consumer_in_load_module ||
		{ fail "tp_test_consumer's load never inside load_module()"; return 1; }
}
# Release the provider: the consumer's load must come up, carrying taint
# ($taints).
consumer_released() {
	echo 1 >/sys/module/tp_test_provider/parameters/release
	wait_until 1500 grep -q '^tp_test_consumer .* Live ' /proc/modules ||
		{ fail "tp_test_consumer never loaded"; return 1; }
	taints=$(cat /sys/module/tp_test_consumer/taint)
	[ -n "$taints" ] || { fail "tp_test_consumer carries no taint"; return 1; }
}
# After the test, passed or failed: both loads ended and both modules gone.
provider_consumer_end() {
	[ -n "$loads" ] || return 0
	echo 1 2>/dev/null >/sys/module/tp_test_provider/parameters/release
	wait $loads
	[ ! -d /sys/module/tp_test_consumer ] || rmmod tp_test_consumer ||
		{ fail "rmmod tp_test_consumer"; return 1; }
	rmmod tp_test_provider || { fail "rmmod tp_test_provider"; return 1; }
}
consumer_loaded_under_way() {
	tp_load || { fail "insmod taint_provenance"; return 1; }
	provider_begin && consumer_begin || return 1
	# The first tracker saw the load begin: its O, set on the way to the
	# wait, names the module from the load's slot.
	wait_until 500 consumer_o_named ||
		{ fail "no O event naming tp_test_consumer's load"; show flag=O; return 1; }
	tp_unload || { fail "rmmod taint_provenance with a load in flight"; return 1; }
	tp_load || { fail "insmod taint_provenance again"; return 1; }
	consumer_released || return 1
	cp $TP_DEBUGFS /tmp/under-way.txt
	TP_HISTORY=/tmp/under-way.txt
	[ "$(kv loads_unseen "$(hist_match rec=header)")" = 1 ] && [ "$(cat $TP_SYSFS/loads_unseen)" = 1 ] ||
		{ fail "loads_unseen $(kv loads_unseen "$(hist_match rec=header)") in the header, $(cat $TP_SYSFS/loads_unseen) in sysfs, want 1"; return 1; }
	for flag in $(echo "$taints" | sed 's/./& /g'); do
		line=$(hist_match rec=event flag="$flag" pid="$pid")
		[ "$(echo "$line" | grep -c .)" = 1 ] && [ "$(kv module "$line")" = tp_test_consumer ] ||
			{ fail "want one $flag event naming tp_test_consumer from pid $pid, got: $line"; show flag="$flag"; return 1; }
	done
	line=$(hist_match rec=module module=tp_test_consumer state=loaded)
	[ "$(kv taints "$line")" = "$taints" ] ||
		{ fail "tp_test_consumer carries $taints; its record: $line"; show rec=module; return 1; }
}
test_reload_with_a_load_in_flight() {
	tp_loaded && { fail "taint_provenance loaded before the test"; return 1; }
	rm -f /tmp/consumer.pid
	loads=''
	consumer_loaded_under_way
	status=$?
	provider_consumer_end || status=1
	if tp_loaded; then tp_unload || { fail "rmmod taint_provenance"; status=1; }; fi
	return $status
}

# hook=kprobe takes the kprobe route even where ftrace is there (an admin
# who must keep kernel.ftrace_enabled switchable); it records the same
# events, counted exactly. hook=ftrace takes ftrace or no add_taint() hook.
load_saying() { # PARAM LINE: load with PARAM; dmesg must gain one LINE
	seen=$(dmesg | grep -c "taint_provenance: $2")
	tp_load "$1" || { fail "insmod $1"; return 1; }
	[ "$(dmesg | grep -c "taint_provenance: $2")" = $((seen + 1)) ] ||
		{ fail "$1: dmesg lacks: $2"; dmesg | tail -n 5 | sed 's/^/# /'; return 1; }
}
test_hook_choice() {
	mod_load tp_test_bench 2>/dev/null || [ -d /sys/module/tp_test_bench ] || { fail "insmod tp_test_bench"; return 1; }
	load_saying hook=kprobe "add_taint() hooked with a kprobe: hook=kprobe" || return 1
	[ "$(cat /sys/module/taint_provenance/parameters/hook)" = kprobe ] ||
		{ fail "parameter hook reads $(cat /sys/module/taint_provenance/parameters/hook)"; return 1; }
	xcount=$(bit_count X) missed=$(cat $TP_SYSFS/missed)
	echo 500 >/sys/module/tp_test_bench/parameters/run
	[ "$(bit_count X)" = $((xcount + 500)) ] || { fail "X counted $(($(bit_count X) - xcount)) of 500"; return 1; }
	[ "$(cat $TP_SYSFS/missed)" = "$missed" ] || { fail "missed $(cat $TP_SYSFS/missed) after a task-context storm"; return 1; }
	cp $TP_DEBUGFS /tmp/kprobe.txt
	TP_HISTORY=/tmp/kprobe.txt
	last=$(hist_match rec=event flag=X | tail -n 1)
	unset TP_HISTORY
	[ "$(kv via "$last")" = add_taint ] && [ "$(kv module "$last")" = tp_test_bench ] && [ "$(kv ctx "$last")" = task ] ||
		{ fail "kprobe event: $last"; return 1; }
	tp_unload || { fail "rmmod after hook=kprobe"; return 1; }

	if grep -qx "add_taint" /sys/kernel/tracing/available_filter_functions 2>/dev/null; then
		want="add_taint() hooked with ftrace"
	else
		want="cannot hook add_taint with hook=ftrace"
	fi
	load_saying hook=ftrace "$want" || { tp_unload 2>/dev/null; return 1; }
	tp_unload || fail "rmmod after hook=ftrace"
}

# Reloaded with tainting modules present: their bits are a baseline naming them.
test_baseline() {
	mod_load tp_test_prop || { fail "insmod tp_test_prop"; return 1; }
	tp_load capacity=16 || { fail "reload with capacity=16"; return 1; }
	line=$(hist_match rec=event flag=P via=baseline)
	echo "$(kv module "$line")" | tr ',' '\n' | grep -qx tp_test_prop ||
		{ fail "baseline P does not name tp_test_prop: $line"; return 1; }
	[ "$(kv pid "$line")" = - ] || { fail "baseline names a task: $line"; return 1; }
	line=$(hist_match rec=event flag=W via=baseline)
	[ -n "$line" ] || { fail "no W baseline"; return 1; }
	[ -n "$(hist_match rec=module module=tp_test_prop state=loaded load_ts=-)" ] || fail "tp_test_prop not listed as loaded before tracking"
}

test_ring_overflow() {
	[ "$(cat $TP_SYSFS/capacity)" = 16 ] || { fail "capacity $(cat $TP_SYSFS/capacity)"; return 1; }
	mod_load tp_test_bench 2>/dev/null || [ -d /sys/module/tp_test_bench ] || { fail "insmod tp_test_bench"; return 1; }
	before=$(cat $TP_SYSFS/recorded)
	xcount=$(bit_count X)
	echo 1000 >/sys/module/tp_test_bench/parameters/run
	recorded=$(cat $TP_SYSFS/recorded) dropped=$(cat $TP_SYSFS/dropped)
	[ "$recorded" = $((before + 1000)) ] || { fail "recorded $recorded, want $((before + 1000))"; return 1; }
	[ "$dropped" = $((recorded - 16)) ] || { fail "dropped $dropped, want $((recorded - 16))"; return 1; }
	cp $TP_DEBUGFS /tmp/overflow.txt
	TP_HISTORY=/tmp/overflow.txt
	[ "$(bit_count X)" = $((xcount + 1000)) ] || { fail "X count wrong"; return 1; }
	[ "$(hist_count rec=event)" = 16 ] || { fail "$(hist_count rec=event) events kept, want 16"; return 1; }
	grep -q "^rec=end events=16 lost=0$" /tmp/overflow.txt || { fail "end: $(tail -n 1 /tmp/overflow.txt)"; return 1; }
	[ "$(kv module "$(hist_match rec=first flag=X)")" = tp_test_bench ] || { fail "first X lost"; return 1; }
	[ "$(kv module "$(hist_match rec=first flag=P)")" = tp_test_prop ] || { fail "first P lost"; return 1; }
	# The last setters outlive the ring. P's one event (the baseline) left
	# the ring 1000 events ago: it must still be P's last, as it is its first.
	first=$(hist_match rec=first flag=P | cut -d' ' -f2-) last=$(hist_match rec=last flag=P | cut -d' ' -f2-)
	[ -n "$last" ] && [ "$last" = "$first" ] || { fail "last P is not its one event: $last"; return 1; }
	# X's newest event is still in the ring, and last X is that event.
	last=$(hist_match rec=last flag=X | cut -d' ' -f2-)
	newest=$(hist_match rec=event flag=X | tail -n 1 | cut -d' ' -f3-)
	[ -n "$last" ] && [ "$last" = "$newest" ] || fail "last X: $last; newest X event: $newest"
	unset TP_HISTORY
}

# A bit's last setter is its newest event, in the log among other bits'
# events or let go of by it. The tracker finds it from the bit's newest
# mark, which moves only when it is a stride of events old (4 with the
# 16-event log). X asserted once and followed by 3, 0, 0, 1, 2 and 0 O
# events puts X's newest 0, 1, 2 and 3 events past its mark, whatever the
# mark was before; the newest of all is 3 past it when 16 more O events
# let go of every X event. An O event: the shell writes O's value to
# /proc/sys/kernel/tainted, O already set.
o_events() { # N
	o_left=$1
	while [ "$o_left" -gt 0 ]; do
		echo 4096 >/proc/sys/kernel/tainted || return 1
		o_left=$((o_left - 1))
	done
}

test_last_setter_among_bits() {
	[ "$(cat $TP_SYSFS/capacity)" = 16 ] || { fail "capacity $(cat $TP_SYSFS/capacity)"; return 1; }
	[ $(($(cat /proc/sys/kernel/tainted) & 4096)) = 4096 ] || { fail "O not set"; return 1; }
	xcount=$(bit_count X) ocount=$(bit_count O)
	for gap in 3 0 0 1 2 0; do
		echo 1 >/sys/module/tp_test_bench/parameters/run || { fail "assert X"; return 1; }
		o_events $gap || { fail "write O"; return 1; }
		newest=$(hist_match rec=event flag=X | tail -n 1 | cut -d' ' -f3-)
		last=$(hist_match rec=last flag=X | cut -d' ' -f2-)
		[ -n "$newest" ] && [ "$last" = "$newest" ] ||
			{ fail "X then $gap O events: last X: $last; newest X event: $newest"; return 1; }
	done
	o_events 16 || { fail "write O"; return 1; }
	[ "$(hist_count rec=event flag=X)" = 0 ] || { fail "the log still holds X"; show flag=X; return 1; }
	[ "$(hist_match rec=last flag=X | cut -d' ' -f2-)" = "$last" ] ||
		{ fail "last X once the log let go of it: $(hist_match rec=last flag=X); was: $last"; return 1; }
	[ "$(bit_count X)" = $((xcount + 6)) ] || fail "X counted $(($(bit_count X) - xcount)) times, want 6"
	[ "$(bit_count O)" = $((ocount + 22)) ] || fail "O counted $(($(bit_count O) - ocount)) times, want 22"
}

# On one CPU, hrtimer bursts of add_taint() in hardirq context land inside
# the task's own calls of the tracker; a burst longer than the log (16)
# laps the slot the task is still writing. That event is left out of the
# log and counted in lapped; every assertion must be counted, the events
# the log holds at the end whole, and the bit's last setter its newest.
test_lapped_writer() {
	bench=/sys/module/tp_test_bench/parameters
	[ "$(cat $TP_SYSFS/capacity)" = 16 ] || { fail "capacity $(cat $TP_SYSFS/capacity)"; return 1; }
	echo 40 >$bench/irq_burst || { fail "set irq_burst"; return 1; }
	xcount=$(bit_count X) recorded=$(cat $TP_SYSFS/recorded)
	irq=$(cat $bench/irq_calls) lapped=$(cat $TP_SYSFS/lapped)
	runs=0
	while [ "$(cat $TP_SYSFS/lapped)" = "$lapped" ] && [ $runs -lt 50 ]; do
		echo 20000 >$bench/run
		runs=$((runs + 1))
	done
	echo 0 >$bench/irq_burst
	irq=$(($(cat $bench/irq_calls) - irq)) lapped=$(($(cat $TP_SYSFS/lapped) - lapped))
	asserted=$((runs * 20000 + irq))
	echo "# $runs runs of 20000 task calls and $irq calls from hrtimer bursts; $lapped lapped"
	[ $lapped -gt 0 ] || { fail "no writer was lapped in $runs runs"; return 1; }
	[ "$(bit_count X)" = $((xcount + asserted)) ] ||
		{ fail "X counted $(($(bit_count X) - xcount)) of $asserted"; return 1; }
	[ "$(cat $TP_SYSFS/recorded)" = $((recorded + asserted)) ] ||
		{ fail "recorded $(($(cat $TP_SYSFS/recorded) - recorded)) of $asserted"; return 1; }
	cp $TP_DEBUGFS /tmp/lapped.txt
	TP_HISTORY=/tmp/lapped.txt
	[ "$(kv lapped "$(hist_match rec=header)")" = "$(cat $TP_SYSFS/lapped)" ] ||
		{ fail "header lapped=$(kv lapped "$(hist_match rec=header)")"; return 1; }
	end=$(hist_match rec=end)
	[ $(($(kv events "$end") + $(kv lost "$end"))) = 16 ] || { fail "end: $end"; return 1; }
	# Whole events only: a hardirq event's caller is the timer callback,
	# a task event's the run handler, never one with the other's.
	mixed=$(awk '$1 == "rec=event" {
			ctx = ""; caller = ""
			for (i = 2; i <= NF; i++) {
				if ($i ~ /^ctx=/) ctx = substr($i, 5)
				if ($i ~ /^caller=/) caller = substr($i, 8)
			}
			if (ctx == "hardirq" && caller !~ /^tp_bench_irq_fn\+/) n++
			if (ctx == "task" && caller !~ /^tp_bench_run_set\+/) n++
			if (ctx != "hardirq" && ctx != "task") n++
		} END { print n + 0 }' /tmp/lapped.txt)
	[ "$mixed" = 0 ] || { fail "$mixed events are not whole"; grep "^rec=event" /tmp/lapped.txt | sed 's/^/# /'; return 1; }
	# The last setter is the newest event, which the task wrote after the bursts.
	newest=$(hist_match rec=event seq=$(($(kv recorded "$(hist_match rec=header)") - 1)))
	[ -n "$newest" ] && [ "rec=last ${newest#rec=event seq=* }" = "$(hist_match rec=last flag=X)" ] ||
		{ fail "last X is not the newest event: $(hist_match rec=last flag=X)"; return 1; }
	unset TP_HISTORY
}

# A load past the slots whose taint events the log let go of before its
# MODULE_STATE_COMING (a storm of another bit in between, as a driver's
# WARN_ON in a loop while modprobe waits on a dependency): the add_taint()
# hook counted them, unnamed, and the notifier must not record and count
# them again. The provider and the slow modules, waiting in init, hold
# every slot; tp_test_consumer's load, past them, waits inside
# load_module() for the provider while tp_test_bench asserts X twice as
# many times as the log (16) holds.
consumer_o_unnamed() {
	[ -n "$(hist_match rec=event flag=O module=- pid="$pid" via=add_taint)" ]
}
unslotted_load_outlived() {
	[ "$(cat $TP_SYSFS/capacity)" = 16 ] || { fail "capacity $(cat $TP_SYSFS/capacity)"; return 1; }
	[ -d /sys/module/tp_test_bench ] || { fail "tp_test_bench not loaded"; return 1; }
	slots=$(loading_slots)
	count=$(set -- "$TP_MODS"/tp_test_slow*.ko; echo $#)
	[ "$count" -ge $((slots - 1)) ] ||
		{ skip "$slots loading slots on $(possible_cpus) possible CPUs, $count tp_test_slow modules"; return 4; }
	provider_begin || return 1
	slow_loads_begin $((slots - 1)) || return 1
	[ "$peak" = $((slots - 1)) ] || { fail "at most $peak of $((slots - 1)) slow loads in init at once"; return 1; }
	cp $TP_DEBUGFS /tmp/outlived-before.txt
	consumer_begin || return 1
	wait_until 500 consumer_o_unnamed ||
		{ fail "no unnamed O event of tp_test_consumer's load"; show flag=O; return 1; }
	echo 32 >/sys/module/tp_test_bench/parameters/run
	! consumer_o_unnamed || { fail "the log still holds the load's O after 32 X"; return 1; }
	consumer_in_load_module && provider_in_init ||
		{ fail "tp_test_provider's init or tp_test_consumer's load ended before the log let go of its O"; return 1; }
	consumer_released || return 1
	cp $TP_DEBUGFS /tmp/outlived.txt
	TP_HISTORY=/tmp/outlived.txt
	for flag in $(echo "$taints" | sed 's/./& /g'); do
		after=$(bit_count "$flag")
		before=$(TP_HISTORY=/tmp/outlived-before.txt bit_count "$flag")
		[ "$after" = $((before + 1)) ] ||
			{ fail "$flag counted $((after - before)) times for one load"; show flag="$flag"; return 1; }
	done
	[ -z "$(hist_match rec=event module=tp_test_consumer via=module_notifier)" ] ||
		{ fail "tp_test_consumer's taints recorded again at COMING"; show module=tp_test_consumer; return 1; }
	unseen=$(kv loads_unseen "$(TP_HISTORY=/tmp/outlived-before.txt hist_match rec=header)")
	[ "$(kv loads_unseen "$(hist_match rec=header)")" = $((unseen + 1)) ] ||
		{ fail "loads_unseen $(kv loads_unseen "$(hist_match rec=header)"), want $((unseen + 1))"; return 1; }
	line=$(hist_match rec=module module=tp_test_consumer state=loaded)
	[ "$(kv taints "$line")" = "$taints" ] ||
		{ fail "tp_test_consumer carries $taints; its record: $line"; show rec=module; return 1; }
	# The load began with the first of its taints, whose events outlive
	# the log as their bits' last.
	first=$(for flag in $(echo "$taints" | sed 's/./& /g'); do
		kv ts "$(hist_match rec=last flag="$flag" pid="$pid")"
	done | sort -n | head -n 1)
	[ -n "$first" ] && [ "$(kv load_ts "$line")" = "$first" ] ||
		{ fail "tp_test_consumer's load_ts is not its first taint's ($first): $line"; show rec=last; return 1; }
}
test_unslotted_load_outlived() {
	rm -f /tmp/consumer.pid
	loads='' names='' pid=''
	unslotted_load_outlived
	status=$?
	provider_consumer_end || status=1
	[ -z "$names" ] || slow_loads_release || status=1
	for name in $names; do
		[ ! -d "/sys/module/$name" ] || rmmod "$name" || { fail "rmmod $name"; status=1; }
	done
	return $status
}

# Churn past the 512-entry module table: records of modules that went away are
# reused, the same module's oldest first; loaded modules and a module that
# loaded once keep theirs; every reuse is counted.
test_module_table_full() {
	for m in tp_test_gpl tp_test_crap; do
		[ -d /sys/module/$m ] && rmmod $m
	done
	mod_load tp_test_crap 2>/dev/null && rmmod tp_test_crap || { fail "load and unload tp_test_crap"; return 1; }
	used=$(grep -c "^rec=module " $TP_DEBUGFS)
	evicted=$(kv modules_evicted "$(hist_match rec=header)")
	"$TP_BIN/tp_bench" cycles 520 "$TP_MODS/tp_test_gpl.ko" tp_test_gpl >/dev/null ||
		{ fail "520 load/unload cycles of tp_test_gpl"; return 1; }
	cp $TP_DEBUGFS /tmp/table.txt
	TP_HISTORY=/tmp/table.txt
	want=$((evicted + 520 - (512 - used)))
	[ "$(kv modules_evicted "$(hist_match rec=header)")" = $want ] ||
		{ fail "modules_evicted=$(kv modules_evicted "$(hist_match rec=header)"), want $want ($used used before)"; return 1; }
	[ "$(hist_count rec=module)" = 512 ] || { fail "$(hist_count rec=module) module records, want 512"; return 1; }
	[ -n "$(hist_match rec=module module=tp_test_crap state=gone)" ] || { fail "tp_test_crap's record was reused"; return 1; }
	[ -n "$(hist_match rec=module module=tp_test_prop state=loaded)" ] || { fail "loaded tp_test_prop's record was reused"; return 1; }
	[ -n "$(hist_match rec=module module=tp_test_bench state=loaded)" ] ||
		{ fail "loaded tp_test_bench's record was reused"; return 1; }
	# A name with no record of its own takes the record that went away
	# first of all (by its unload time, or its load time if it never had
	# one), and every other record stays as it was.
	first_gone=$(awk '$1 == "rec=module" {
			for (i = 2; i <= NF; i++) { split($i, f, "="); field[f[1]] = f[2] }
			if (field["state"] == "loaded") next
			t = field["unload_ts"] != "-" ? field["unload_ts"] : field["load_ts"]
			if (line == "" || t + 0 < first) { first = t + 0; line = $0 }
		} END { print line }' /tmp/table.txt)
	[ -n "$first_gone" ] || { fail "no record of a module that went away"; return 1; }
	grep "^rec=module " /tmp/table.txt | grep -vxF "$first_gone" >/tmp/table.kept
	mod_load tp_test_oops && rmmod tp_test_oops || { fail "load and unload tp_test_oops"; return 1; }
	cp $TP_DEBUGFS /tmp/table.txt
	[ -n "$(hist_match rec=module module=tp_test_oops state=gone)" ] || { fail "tp_test_oops not listed"; return 1; }
	[ "$(kv modules_evicted "$(hist_match rec=header)")" = $((want + 1)) ] ||
		{ fail "modules_evicted=$(kv modules_evicted "$(hist_match rec=header)"), want $((want + 1))"; return 1; }
	grep "^rec=module " /tmp/table.txt | grep -v " module=tp_test_oops " | cmp -s - /tmp/table.kept ||
		fail "tp_test_oops did not take the place of the first record to go: $first_gone"
	unset TP_HISTORY
}

test_unload_with_reader_open() {
	exec 3<$TP_DEBUGFS
	head -c 100 <&3 >/dev/null
	rmmod taint_provenance 2>/dev/null
	cat <&3 >/dev/null
	exec 3<&-
	if tp_loaded; then
		tp_unload || { fail "rmmod after the reader closed"; return 1; }
	fi
	! tp_loaded || fail "still loaded"
}

# Histories the host keeps as tool fixtures: after TEST, save as NAME.
TP_SAVE_AFTER="load:clean thirty_second_story:scenario ring_overflow:final lapped_writer:lapped"

# The tracker is gone; tp_test_prop (P) is still loaded. The tool says so from the kernel's own facts.
test_tool_fallback_without_module() {
	[ -x "$TP_TOOL" ] || { skip "scripts/taint-provenance not in this build"; return 4; }
	"$TP_TOOL" report >/tmp/fallback.txt || { fail "report exited $?"; return 1; }
	grep -q "^source: *fallback: the taint_provenance module is not loaded" /tmp/fallback.txt ||
		{ fail "report does not say it fell back"; sed 's/^/# /' /tmp/fallback.txt; return 1; }
	grep -q "carried by: tp_test_prop" /tmp/fallback.txt || { fail "P not carried by tp_test_prop"; return 1; }
	"$TP_TOOL" check >/tmp/check.txt
	[ $? = 1 ] && grep -q "^P: .*tp_test_prop" /tmp/check.txt || fail "check: $(cat /tmp/check.txt)"
}

# Rules only rare timing reaches, driven directly: tp_test_internals
# compiles the tracker's sources into itself and checks, in its init, that
# saved copies keep a bit's newest events whatever order their saves finish
# in, and how a load's name is read while struct load_info's layout is not
# yet known and after (selftests/modules/tp_test_internals.c). The init
# fails if a check did; each must say ok. Each line is taken once: busybox
# insmod tries again with init_module() when finit_module() fails, and the
# init then runs twice.
INTERNAL_CHECKS="saves_finishing_in_any_order late_older_save_left_out newer_save_replaces_oldest
save_passes_over_copy_being_written newest_saved_found junk_name_not_kept blank_name_not_kept
other_name_kept gate_shut_by_other_names page_end_name_gate_shut own_name_kept gate_opens_on_own_name
plain_read_kept_padded page_end_unterminated_gate_open"

test_internal_rules() {
	kmsg_mark internal_rules >/dev/null
	mod_load tp_test_internals 2>/tmp/internals.err
	loaded=$?
	dmesg | sed -n '/TP-MARK internal_rules$/,$p' | sed -n 's/^\[[^]]*\] tp_test_internals: //p' |
		sort -u >/tmp/internals.txt
	for name in $INTERNAL_CHECKS; do
		grep -qx "ok $name" /tmp/internals.txt ||
			fail "$(grep -m 1 "^not ok $name:" /tmp/internals.txt || echo "$name: not run")"
	done
	[ "$(grep -c '^ok ' /tmp/internals.txt)" = "$(echo $INTERNAL_CHECKS | wc -w)" ] ||
		fail "checks that passed: $(grep -c '^ok ' /tmp/internals.txt), want $(echo $INTERNAL_CHECKS | wc -w)"
	if [ $loaded = 0 ]; then
		rmmod tp_test_internals || fail "rmmod tp_test_internals"
	else
		fail "insmod tp_test_internals: $(cat /tmp/internals.err)"
	fi
}

ktap_plan "$(echo $TESTS | wc -w)"
for t in $TESTS; do
	run_test "$t"
done
[ "$TP_FAILS" = 0 ]
