#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The stress boot, on two vCPUs: for a bounded time, loops in parallel load
# and unload a tainting module, WARN in task, softirq and hardirq
# context, write /proc/sys/kernel/tainted, storm add_taint() from a module,
# read every file the tracker has and retune poll_ms. Then every per-bit
# count must equal the assertions the loops made, and the log and the drop
# counter must add up. The log is small (capacity=256) so it wraps many
# times while readers are reading it. Then the tracker is reloaded while
# taint arrives, an NMI taints, and the tracker is reloaded with
# hook=kprobe for a shorter round of the same loops.
#
# On a kernel with lockdep (the debug kernel) the load loop uses a staging
# module (C) instead of a proprietary one (P): a P taint turns lock
# debugging off for good (LOCKDEP_NOW_UNRELIABLE), a C taint does not, so
# lockdep watches the whole run, and must still be on at the end. Unless
# the kernel turned it off in its own boot, before the suite: the debug
# kernel now and then makes a KASAN report of itself at start_kernel()
# (docs/RELIABILITY.md), which taints B and ends lock debugging.
. "$(dirname "$0")/lib.sh"
STRESS_SECONDS=${TP_STRESS_SECONDS:-20}
LOCKDEP_STATS=/proc/lockdep_stats
LOAD_MODULE=tp_test_prop LOAD_FLAG=P
[ -r $LOCKDEP_STATS ] && LOAD_MODULE=tp_test_crap LOAD_FLAG=C
debug_locks() { sed -n 's/^ *debug_locks: *//p' $LOCKDEP_STATS 2>/dev/null; }
LOCKDEP_AT_START=$(debug_locks)
CAPACITY=256
STORM=200
WARN_PARAMS=/sys/module/tp_test_warn/parameters
LOOPS="load warn_task warn_softirq warn_hardirq user storm read read_log poll"

# loop NAME COMMAND...: run COMMAND until the deadline; count the runs that
# succeeded in /tmp/stress.NAME and the failures in /tmp/stress.NAME.failed.
loop() {
	name=$1
	shift
	done_runs=0 failed_runs=0
	while [ "$(date +%s)" -lt "$deadline" ]; do
		if "$@" >/dev/null 2>&1; then
			done_runs=$((done_runs + 1))
		else
			failed_runs=$((failed_runs + 1))
		fi
	done
	echo $done_runs >/tmp/stress.$name
	echo $failed_runs >/tmp/stress.$name.failed
}
# Two kinds of work take turns here, for reasons outside our code:
# - A WARN prints the module list, and the kernel's print_modules() checks
#   that a module is not MODULE_STATE_UNFORMED before module_flags() reads
#   the state again and BUG()s on it: an unload that frees a module in
#   between kills the kernel (kernel/module/main.c; seen once here on 7.2,
#   and 6.12's source has the same two reads).
# - Loading or unloading the tracker rewrites add_taint()'s ftrace site
#   (the kernel's int3 patching). Three times a vCPU storming add_taint()
#   then trapped on an int3 that memory no longer held, and the VM hung
#   (docs/RELIABILITY.md): we put that on QEMU 7.2's multi-threaded TCG.
# So a WARN, and in the reload phase the storm, announce themselves with a
# directory and back off while an unload or reload is announced; those
# announce themselves and wait until nothing is. Loads of the tainting
# module, and the tracker's work for them, still overlap WARNs and storms.
TURNS=/tmp/stress.turns
mkdir -p $TURNS
shared_turn() { # NAME COMMAND...: run COMMAND unless an exclusive turn is on
	mark=$TURNS/shared.$1
	shift
	until mkdir $mark && [ ! -d $TURNS/exclusive ]; do
		rmdir $mark 2>/dev/null
	done
	"$@"
	status=$?
	rmdir $mark
	return $status
}
exclusive_turn() { # COMMAND...: run COMMAND once no shared turn is on
	mkdir $TURNS/exclusive || return 1
	while shared_in_flight; do :; done
	"$@"
	status=$?
	rmdir $TURNS/exclusive
	return $status
}
shared_in_flight() {
	for mark in $TURNS/shared.*; do
		[ -d "$mark" ] && return 0
	done
	return 1
}
warn_now() { echo 1 >$WARN_PARAMS/warn_$1; }
warn() { shared_turn warn_$1 warn_now $1; }
load_taint() { insmod "$TP_MODS/$LOAD_MODULE.ko" && exclusive_turn rmmod $LOAD_MODULE; }
write_user() { echo 64 >/proc/sys/kernel/tainted; }	# bit 6, U
storm() { echo $STORM >/sys/module/tp_test_bench/parameters/run; }
# Whole events only, in what readers got while writers wrapped the log on
# the other CPU: a storm event's caller is the storm's run handler and a
# WARN's module is tp_test_warn. A copy torn between two writers would mix
# them.
events_whole() { # FILE
	awk '$1 == "rec=event" {
			flag = module = caller = via = ""
			for (i = 2; i <= NF; i++) {
				if ($i ~ /^flag=/) flag = substr($i, 6)
				if ($i ~ /^module=/) module = substr($i, 8)
				if ($i ~ /^caller=/) caller = substr($i, 8)
				if ($i ~ /^via=/) via = substr($i, 5)
			}
			if (via != "add_taint")
				next
			if ((flag == "X") != (caller ~ /^tp_bench_run_set\+/) || (flag == "W" && module != "tp_test_warn")) {
				print "# not whole: " $0
				bad = 1
			}
		} END { exit bad }' "$1"
}
# A whole history ends with rec=end, or the read was torn.
ends_whole() { tail -n 1 | grep -q "^rec=end "; }
read_all() {
	cat $TP_DEBUGFS | ends_whole || return 1
	for f in $TP_SYSFS/* $TP_SYSFS/bits/*; do
		[ -d "$f" ] || cat "$f" >/dev/null || return 1
	done
}
# The log alone, as often as it can be read; the first READS_KEPT bytes of
# reads are kept in /tmp/read_log.kept for events_whole after the run.
# Not /tmp/stress.*: that is where loop() keeps each loop's counts.
READS_KEPT=20000000
read_log() {
	cat $TP_DEBUGFS >/tmp/read_log.last || return 1
	ends_whole </tmp/read_log.last || return 1
	[ "$(wc -c </tmp/read_log.kept)" -gt $READS_KEPT ] || cat /tmp/read_log.last >>/tmp/read_log.kept
}
retune_poll() {
	echo 10 >/sys/module/taint_provenance/parameters/poll_ms &&
		echo 1000 >/sys/module/taint_provenance/parameters/poll_ms
}
runs() { cat /tmp/stress.$1; }

# Unload and reload the tracker while taint keeps arriving from a storm and
# from softirq WARNs; each reload's baseline must hold every set bit. The
# storm takes turns with each unload and load, except in the unload_race
# boot (RELOAD_STORM below).
reload_while_busy() {
	deadline=$(($(date +%s) + RELOAD_SECONDS))
	loop storm2 $RELOAD_STORM &
	loop warn2 warn softirq &
	reloads=0 complete=1
	while [ "$(date +%s)" -lt "$deadline" ]; do
		exclusive_turn tp_unload && exclusive_turn tp_load capacity=$CAPACITY ||
			{ complete=0; break; }
		reloads=$((reloads + 1))
		# The storm wraps the log at once: the first record of a bit is kept.
		for flag in $LOAD_FLAG W U X; do
			[ -n "$(hist_match rec=first flag=$flag via=baseline)" ] ||
				{ echo "# reload $reloads: no $flag baseline"; complete=0; }
		done
	done
	wait
	echo "# $reloads reloads while $(runs storm2) storms and $(runs warn2) WARNs ran;" \
		"$(cat /tmp/stress.storm2.failed) storms failed"
	# The storm must have run, or nothing raced the reloads.
	[ $complete = 1 ] && [ $reloads -gt 0 ] && [ "$(runs storm2)" -gt 0 ] &&
		[ "$(cat /tmp/stress.storm2.failed)" = 0 ]
}
RELOAD_SECONDS=5 RELOAD_STORM="shared_turn storm storm"
# Set-up failed: one failed test and its plan, and no more.
abort_suite() { # WHAT
	echo "not ok 1 $1"
	echo "1..1"
	exit 1
}

# The unload_race boot (TP_STRESS_UNLOAD_RACE=1): two vCPUs that QEMU runs
# in turn on one host thread (-accel tcg,thread=single), where a vCPU
# cannot run code the other has rewritten (the stale int3 above needs
# QEMU's multi-threaded TCG). So here the storm runs through every unload
# and load of the tracker: its hook is taken out while the other vCPU may
# be anywhere inside add_taint() and the callback, and the store is freed
# after. Only that, for RELOAD_SECONDS: the reloads on CPU 0, the storm on
# CPU 1, in writes of RACE_STORM calls, so that CPU 1 spends its time in
# add_taint() and not in starting the next write.
RACE_STORM=20000
storm_on_cpu1() { taskset 2 sh -c "echo $RACE_STORM >/sys/module/tp_test_bench/parameters/run"; }
if [ "${TP_STRESS_UNLOAD_RACE:-}" = 1 ]; then
	RELOAD_SECONDS=${TP_RELOAD_SECONDS:-20} RELOAD_STORM=storm_on_cpu1
	echo "KTAP version 1"
	echo "# $(grep -c ^processor /proc/cpuinfo) CPUs, $RELOAD_SECONDS s of reloads"
	expect_splat_begin reload
	tp_load capacity=$CAPACITY && mod_load tp_test_warn && mod_load tp_test_bench &&
		mod_load $LOAD_MODULE && rmmod $LOAD_MODULE && warn_now task && write_user && storm ||
		abort_suite "load the modules and set $LOAD_FLAG W U X"
	taskset -p 1 $$ >/dev/null || abort_suite "pin the test to CPU 0"
	check "unload and reload on CPU 0 while CPU 1 storms add_taint(); every baseline complete" \
		reload_while_busy
	expect_splat_end reload
	check "the kernel named no code of ours, but in a backtrace" test_kernel_names_none_of_ours
	ktap_plan_end
	exit
fi

echo "KTAP version 1"
echo "# $(grep -c ^processor /proc/cpuinfo) CPUs, $STRESS_SECONDS s"
tp_load capacity=$CAPACITY || abort_suite "load the tracker"
mod_load tp_test_warn && mod_load tp_test_bench || abort_suite "load the test modules"
for flag in $LOAD_FLAG W U X; do eval "before_$flag=$(bit_count $flag)"; done
recorded_before=$(cat $TP_SYSFS/recorded)
missed_before=$(cat $TP_SYSFS/missed)
# Read now: the WARNs to come wrap the kernel log.
hooked_with=$(dmesg | sed -n 's/.*taint_provenance: add_taint() hooked with \([a-z ]*[a-z]\).*/\1/p' | tail -n 1)

deadline=$(($(date +%s) + STRESS_SECONDS))
expect_splat_begin stress
loop load load_taint &
loop warn_task warn task &
loop warn_softirq warn softirq &
loop warn_hardirq warn hardirq &
loop user write_user &
loop storm storm &
loop read read_all &
: >/tmp/read_log.kept
loop read_log read_log &
loop poll retune_poll &
wait
expect_splat_end stress

cp $TP_DEBUGFS /tmp/stress.txt
TP_HISTORY=/tmp/stress.txt
warn_runs() { echo $(($(runs ${1}warn_task) + $(runs ${1}warn_softirq) + $(runs ${1}warn_hardirq))); }	# [PREFIX]
warns=$(warn_runs)
for name in $LOOPS; do
	echo "# $name: $(runs $name) runs, $(cat /tmp/stress.$name.failed) failed"
done
missed=$(($(kv missed "$(hist_match rec=header)") - missed_before))
recorded=$(kv recorded "$(hist_match rec=header)")
dropped=$(kv dropped "$(hist_match rec=header)")
echo "# $((recorded - recorded_before)) events in $STRESS_SECONDS s; missed by the hook: $missed"

all_loops_ran() {
	for name in $LOOPS; do
		[ "$(runs $name)" -gt 0 ] || return 1
	done
}
no_loop_failed() { # [PREFIX]: of the loops whose names start with PREFIX
	[ "$(cat /tmp/stress.${1:-}*.failed | awk '{ s += $1 } END { print s }')" = 0 ]
}
# The ftrace hook's recursion guard is per context: a WARN from a softirq
# or hardirq that lands while the callback runs for another taint on that
# CPU still gets its own call, so nothing may be missed. A kprobe does not
# nest, and says how often it was busy (docs/ABI.md, "missed").
nothing_missed() {
	[ "$hooked_with" = ftrace ] ||
		{ skip "add_taint() is hooked with ${hooked_with:-nothing} on this kernel, not ftrace"; return; }
	[ "$missed" = 0 ]
}
# A per-bit count equals the assertions made, or falls short by no more
# than the hook's missed counter says.
shortfall=0
delta_is() { # FLAG WANT
	got=$(($(bit_count $1) - $(eval echo "\$before_$1")))
	[ "$got" = "$2" ] && return 0
	echo "# $1: counted $got, want $2 (missed: $missed)"
	[ "$got" -lt "$2" ] || return 1
	shortfall=$((shortfall + $2 - got))
	[ $shortfall -le "$missed" ]
}
log_is_exact() { # the last CAPACITY events, consecutive, none lost
	[ "$(hist_match rec=end)" = "rec=end events=$CAPACITY lost=0" ] ||
		{ echo "# $(hist_match rec=end)"; return 1; }
		awk -v first=$((recorded - CAPACITY)) -v want=$CAPACITY '
			$1 == "rec=event" { sub(/^seq=/, "", $2); if ($2 != first + n) exit 1; n++ }
			END { exit n != want }' /tmp/stress.txt || { echo "# events not consecutive from seq=$((recorded - CAPACITY))"; return 1; }
}
check "every loop ran" all_loops_ran
check "no loop failed a run" no_loop_failed
check "the ftrace hook missed no add_taint() call" nothing_missed
check "$LOAD_FLAG count = loads of $LOAD_MODULE ($(runs load))" delta_is $LOAD_FLAG "$(runs load)"
check "W count = WARNs in task, softirq and hardirq context ($warns)" delta_is W $warns
check "U count = writes to /proc/sys/kernel/tainted ($(runs user))" delta_is U "$(runs user)"
check "X count = storm assertions ($(($(runs storm) * STORM)))" delta_is X $(($(runs storm) * STORM))
check "dropped = recorded - capacity" [ "$dropped" = $((recorded - CAPACITY)) ]
check "the log holds the last $CAPACITY events, consecutive, none lost" log_is_exact
reads_whole() {
	kept=$(grep -c "^rec=end " /tmp/read_log.kept)
	lost=$(awk '$1 == "rec=end" { for (i = 2; i <= NF; i++) if ($i ~ /^lost=/) n += substr($i, 6) }
		END { print n + 0 }' /tmp/read_log.kept)
	echo "# $kept of $(runs read_log) reads kept, $(grep -c "^rec=event" /tmp/read_log.kept) events in them, $lost lost while read"
	[ "$kept" -gt 0 ] || return 1
	# Below the limit every read is kept: one missing was overwritten by another writer.
	[ "$(wc -c </tmp/read_log.kept)" -gt $READS_KEPT ] || [ "$kept" = "$(runs read_log)" ] || return 1
	events_whole /tmp/read_log.kept >/tmp/read_log.torn && events_whole /tmp/stress.txt >>/tmp/read_log.torn &&
		return
	head -n 5 /tmp/read_log.torn
	return 1
}
check "every event read while the writers ran, and in the final log, is whole" reads_whole
unset TP_HISTORY

expect_splat_begin reload
check "unload and reload while taint arrives; every baseline complete" reload_while_busy
expect_splat_end reload
# An NMI-context taint: `echo l > /proc/sysrq-trigger` sends the backtrace
# NMI to the other CPU, where tp_test_warn's NMI handler calls add_taint()
# for bit 11 (I). It must be counted and logged with ctx=nmi, and nothing
# may deadlock (the next checks would not run).
NMI_TAINTS=3
nmi_taint() {
	[ -e $WARN_PARAMS/arm_nmi ] || { skip "tp_test_warn has no NMI handler on this architecture"; return; }
	[ -w /proc/sysrq-trigger ] || { skip "no /proc/sysrq-trigger (CONFIG_MAGIC_SYSRQ)"; return; }
	count_before=$(bit_count I)
	fired_before=$(cat $WARN_PARAMS/nmi_fired)
	events_before=$(hist_count rec=event flag=I ctx=nmi)
	echo $NMI_TAINTS >$WARN_PARAMS/arm_nmi
	tries=0
	while [ $(($(cat $WARN_PARAMS/nmi_fired) - fired_before)) -lt $NMI_TAINTS ] && [ $tries -lt 30 ]; do
		echo l >/proc/sysrq-trigger
		tries=$((tries + 1))
	done
	echo 0 >$WARN_PARAMS/arm_nmi
	fired=$(($(cat $WARN_PARAMS/nmi_fired) - fired_before))
	counted=$(($(bit_count I) - count_before))
	logged=$(($(hist_count rec=event flag=I ctx=nmi module=tp_test_warn) - events_before))
	echo "# $fired NMI taints from $tries sysrq-l; counted $counted, logged with ctx=nmi $logged"
	[ "$fired" = $NMI_TAINTS ] || { echo "# the NMI handler ran $fired times, want $NMI_TAINTS"; return 1; }
	[ "$counted" = "$fired" ] && [ "$logged" = "$fired" ]
}
expect_splat_begin nmi
check "an NMI-context taint is counted and logged as ctx=nmi" nmi_taint
expect_splat_end nmi

# A WARN in the kernel's own code, in an interrupt over tp_test_warn's
# code: writing warn_kernel_hardirq spins in the module while an IPI from
# the other CPU runs kobject_put() on a kobject that was never initialized;
# writing warn_kernel_softirq runs the same call from a tasklet, which the
# module's local_bh_enable() runs on its own stack. The stack walk goes on
# past the interrupt's entry, or the softirq loop, into the module's code;
# it must stop there and blame nobody, with the WARN's site, kobject_put(),
# as the code path. The walk knows the entry and the softirq loop by name,
# so the kernel must have those names.
kernel_warn_in() { # hardirq|softirq
	case $(cat $WARN_PARAMS/kernel_cfi) in
	Y) skip "kernel CFI traps tp_test_warn's call of kobject_put() through another type"; return ;;
	N) ;;
	*) echo "# tp_test_warn's kernel_cfi reads neither Y nor N"; return 1 ;;
	esac
	[ -e $WARN_PARAMS/warn_kernel_$1 ] ||
		{ echo "# tp_test_warn was built without kernel CFI, yet has no warn_kernel_$1"; return 1; }
	softirq_loops=$(echo "$WALK_STOPS" | grep -Ex '__do_softirq|handle_softirqs' | tr '\n' ' ')
	echo "$WALK_STOPS" | grep -qx asm_sysvec_call_function_single && [ -n "$softirq_loops" ] ||
		{ echo "# /proc/kallsyms lacks the interrupt entry or the softirq loop the walk stops at"; return 1; }
	echo "# the softirq loop here: $softirq_loops"
	count_before=$(bit_count W)
	seq_before=$(kv seq "$(hist_match rec=event flag=W | tail -n 1)")
	echo 1 >$WARN_PARAMS/warn_kernel_$1 || { echo "# write to warn_kernel_$1 failed"; return 1; }
	line=$(hist_match rec=event flag=W | tail -n 1)
	echo "# $(echo "$line" | tr ' ' '\n' | grep -E '^(seq|module|comm|caller|ctx)=' | tr '\n' ' ')"
	[ "$(bit_count W)" = $((count_before + 1)) ] && [ "$(kv seq "$line")" != "$seq_before" ] ||
		{ echo "# W counted $(($(bit_count W) - count_before)) times, want once, or no new W event"; return 1; }
	[ "$(kv ctx "$line")" = "$1" ] && [ "$(kv module "$line")" = - ] &&
		kv caller "$line" | grep -q "^kobject_put+"
}
kernel_warns_in_interrupts() { # HOOK
	# One name a line, read once: a pass over /proc/kallsyms takes seconds under TCG.
	WALK_STOPS=$(grep -Eo " (asm_sysvec_call_function_single|__do_softirq|handle_softirqs)$" /proc/kallsyms |
		tr -d ' ')
	for context in hardirq softirq; do
		expect_splat_begin kernel_warn kobject_put
		check "a kernel WARN in a $context over a module's code blames no module ($1)" kernel_warn_in $context
		expect_splat_end kernel_warn
	done
}
kernel_warns_in_interrupts hook=ftrace

# Unload and load the tracker on CPU 0 while an hrtimer pinned there calls
# add_taint() in hardirq context every 100 us (tp_test_bench irq_storm):
# the hook is taken out and put back, and the store freed and set up again,
# with interrupts running the hooked function on the very CPU that does it.
# Then a storm of exactly IRQ_STORM calls must be counted. Nothing else
# taints meanwhile: a vCPU running add_taint() while the other rewrites it
# can trap on a stale int3 under QEMU (the turns above); here the race is
# with the interrupt, on one CPU.
IRQ_STORM_PARAM=/sys/module/tp_test_bench/parameters/irq_storm
IRQ_CALLS=/sys/module/tp_test_bench/parameters/irq_calls
IRQ_RELOADS=5
IRQ_STORM=1000
irq_storm_until_done() { # CALLS: start a storm on this CPU and wait for its end
	echo "$1" >$IRQ_STORM_PARAM || return 1
	tries=0
	while [ "$(cat $IRQ_STORM_PARAM)" != 0 ]; do
		tries=$((tries + 1))
		[ $tries -le 600 ] || { echo "# the storm did not end"; return 1; }
		sleep 0.1
	done
}
reload_under_irq_taint() { # tp_load's arguments
	cpus_before=$(taskset -p $$ | sed 's/.*: //')
	taskset -p 1 $$ >/dev/null || { echo "# cannot pin the test to CPU 0"; return 1; }
	status=0 reloads=0 calls_unloading=0 calls_loading=0 quiet=0
	echo 1000000000 >$IRQ_STORM_PARAM || status=1
	while [ $status = 0 ] && [ $reloads -lt $IRQ_RELOADS ]; do
		before=$(cat $IRQ_CALLS)
		tp_unload || { echo "# unload $((reloads + 1)) failed"; status=1; break; }
		unloaded=$(cat $IRQ_CALLS)
		tp_load capacity=$CAPACITY "$@" || { echo "# load $((reloads + 1)) failed"; status=1; break; }
		loaded=$(cat $IRQ_CALLS)
		# Calls between the reads around each step: the timer fired through it.
		[ "$unloaded" -gt "$before" ] && [ "$loaded" -gt "$unloaded" ] || quiet=$((quiet + 1))
		calls_unloading=$((calls_unloading + unloaded - before))
		calls_loading=$((calls_loading + loaded - unloaded))
		reloads=$((reloads + 1))
	done
	echo 0 >$IRQ_STORM_PARAM || status=1
	echo "# $reloads reloads on CPU 0; hardirq add_taint() calls there around the unloads $calls_unloading, the loads $calls_loading"
	[ $quiet = 0 ] || status=1
	before_X=$(bit_count X) missed_before=$(cat $TP_SYSFS/missed) calls_before=$(cat $IRQ_CALLS)
	[ $status = 0 ] && { irq_storm_until_done $IRQ_STORM || status=1; }
	taskset -p "$cpus_before" $$ >/dev/null || status=1
	[ $status = 0 ] || return 1
	calls=$(($(cat $IRQ_CALLS) - calls_before)) counted=$(($(bit_count X) - before_X))
	missed=$(($(cat $TP_SYSFS/missed) - missed_before)) shortfall=0
	echo "# then a storm of $calls calls in hardirq: counted $counted, missed $missed"
	# The ftrace hook misses nothing. A kprobe misses a call that finds the
	# kprobe core busy on its CPU, and counts it: on 5.10 that is likely
	# kprobe_flush_task(), which every task exit runs (the polling's cat
	# and sleep), with interrupts on. delta_is allows what missed says.
	case "$*" in
	*hook=kprobe*) ;;
	*) [ "$missed" = 0 ] || return 1 ;;
	esac
	[ "$calls" = $IRQ_STORM ] && delta_is X $IRQ_STORM &&
		hist_match rec=last flag=X ctx=hardirq | grep -q " caller=tp_bench_storm_fn+"
}
check "unload and load on the CPU whose hardirq taints; a storm after counted exactly" reload_under_irq_taint

# The kprobe route (hook=kprobe) under the same parallel taint, briefly.
# A kprobe does not nest: a count may fall short, by no more than the
# missed counter says (delta_is).
KPROBE_SECONDS=5
kprobe_hook_under_load() {
	exclusive_turn tp_unload && exclusive_turn tp_load capacity=$CAPACITY hook=kprobe ||
		{ echo "# reload with hook=kprobe failed"; return 1; }
	[ "$(cat /sys/module/taint_provenance/parameters/hook)" = kprobe ] || return 1
	for flag in W U X; do eval "before_$flag=$(bit_count $flag)"; done
	missed_before=$(cat $TP_SYSFS/missed)
	deadline=$(($(date +%s) + KPROBE_SECONDS))
	loop kp_warn_task warn task &
	loop kp_warn_softirq warn softirq &
	loop kp_warn_hardirq warn hardirq &
	loop kp_user write_user &
	loop kp_storm storm &
	wait
	missed=$(($(cat $TP_SYSFS/missed) - missed_before)) shortfall=0
	warns=$(warn_runs kp_)
	echo "# hook=kprobe: $warns WARNs, $(runs kp_user) writes, $(runs kp_storm) storms in $KPROBE_SECONDS s; missed $missed"
	no_loop_failed kp_ || return 1
	delta_is W $warns && delta_is U "$(runs kp_user)" && delta_is X $(($(runs kp_storm) * STORM))
}
expect_splat_begin kprobe
check "hook=kprobe under parallel taint: counts exact but for what it says it missed" kprobe_hook_under_load
expect_splat_end kprobe
check "hook=kprobe: unload and load on the CPU whose hardirq taints; a storm after counted but for what it missed" \
	reload_under_irq_taint hook=kprobe
kernel_warns_in_interrupts hook=kprobe

lockdep_still_on() {
	[ -r $LOCKDEP_STATS ] || { SKIP_REASON="this kernel has no lockdep (CONFIG_PROVE_LOCKING)"; return 4; }
	[ "$LOCKDEP_AT_START" = 1 ] ||
		{ SKIP_REASON="lockdep was off before the suite began (debug_locks $LOCKDEP_AT_START): the kernel's own boot turned it off"; return 4; }
	[ "$(debug_locks)" = 1 ] || { echo "# debug_locks: $(debug_locks)"; return 1; }
}
check "lockdep watched the whole run (debug_locks still 1)" lockdep_still_on
check "the kernel named no code of ours, but in a backtrace" test_kernel_names_none_of_ours
ktap_plan_end
