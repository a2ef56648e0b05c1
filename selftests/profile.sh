#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The profile boot (scripts/qemu-profile): add_taint() storms, one case at a
# time, long enough for the host to profile QEMU while each runs: of one
# caller, or with tp.profile_all=1 of every CPU at once (ns per call is then
# the mean of the CPUs' loops). Cases and rounds come from the kernel
# command line (tp.profile=bare,kprobe,clock,ftrace,tracker
# tp.profile_rounds=2).
# For each phase it prints PROFILE-BEGIN CASE.ROUND, waits PROFILE_LEAD
# seconds (the host starts perf after it), storms for PROFILE_STORM seconds
# and prints PROFILE-NS CASE.ROUND CALLS ELAPSED_NS. Not a test: it checks
# only that each case could be set up.
. "$(dirname "$0")/lib.sh"
PARAMS=/sys/module/tp_test_bench/parameters
RUN=$PARAMS/run
PROFILE_LEAD=2 PROFILE_STORM=8

cases=$(kernel_param tp.profile bare,kprobe,clock,ftrace,tracker | tr ',' ' ')
rounds=$(kernel_param tp.profile_rounds 2)
STORM=$RUN
[ "$(kernel_param tp.profile_all 0)" = 1 ] && STORM=$PARAMS/run_all

phase() { # CASE ROUND
	bench_case "$1" 1 || { echo "PROFILE-FAILED $1 could not be set up"; return 1; }
	echo 1000 >$STORM	# the hook's first calls, out of the profile
	echo "PROFILE-BEGIN $1.$2"
	sleep $PROFILE_LEAD
	end=$(($(date +%s) + PROFILE_STORM)) calls=0 elapsed=0
	while [ "$(date +%s)" -lt $end ]; do
		echo 100000 >$STORM
		read -r round_calls round_ns <$RUN
		calls=$((calls + round_calls)) elapsed=$((elapsed + round_ns))
	done
	echo "PROFILE-NS $1.$2 $calls $elapsed"
	bench_case "$1" 0
	sleep 1
}

mod_load tp_test_bench || { echo "PROFILE-FAILED tp_test_bench could not be loaded"; exit 1; }
echo "# profile: $(grep -c ^processor /proc/cpuinfo) vCPU, storms by ${STORM##*/}, clocksource $(cat /sys/devices/system/clocksource/clocksource0/current_clocksource)"
round=1
while [ $round -le "$rounds" ]; do
	for case in $cases; do
		phase "$case" $round || exit 1
	done
	round=$((round + 1))
done
rmmod tp_test_bench
echo "PROFILE-DONE"
