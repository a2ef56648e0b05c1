#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# make bench: what the tracker costs, measured as ratios side by side in one
# boot (absolute times under TCG mean little). Prints "bench key value"
# lines and a table. Never fails on a number; it does fail when a count is
# not exact or memory grew, since those are correctness, not speed.
# TP_BENCH_QUICK=1 (make check) runs small sizes to prove it still works.
. "$(dirname "$0")/lib.sh"
BENCH=$TP_BIN/tp_bench
RUN=/sys/module/tp_test_bench/parameters/run
# The hot path runs HOT_ROUNDS rounds of HOT_CALLS calls per case.
if [ "${TP_BENCH_QUICK:-}" = 1 ]; then
	CYCLES=20 HOT_CALLS=25000 STORM=100000 CHURN=100 HOT_ROUNDS=4
else
	CYCLES=200 HOT_CALLS=100000 STORM=1000000 CHURN=10000 HOT_ROUNDS=30
fi

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print 0 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.3f", a / b; else print "-" }'; }
say() { echo "bench $*"; }
# Bytes the tracker holds: its core size plus its vmalloc areas.
tracker_bytes() {
	core=$(cat /sys/module/taint_provenance/coresize)
	vm=$(awk '/\[taint_provenance\]/ { sum += $2 } END { print sum + 0 }' /proc/vmallocinfo)
	echo $((core + vm))
}
ns_per_call() { # the hot path: N add_taint() calls
	echo "$1" >$RUN
	read -r calls elapsed <$RUN
	awk -v e="$elapsed" -v c="$calls" 'BEGIN { printf "%.1f", e / c }'
}
# A floor's empty hook must really be there, or every "floor" figure is a lie.
empty_hook() { # kprobe|ftrace 0|1
	echo "$2" >/sys/module/tp_test_bench/parameters/empty_$1 ||
		{ echo "not ok $((TP_COUNT + 1)) the empty $1 on add_taint() could not be set to $2"; exit 1; }
}
# One round of the hot path for one case: bare, an empty kprobe or ftrace
# callback, the tracker, or v:NAME, a variant build in variants/NAME.ko.
hot_case() { # CALLS CASE
	case $2 in
	kprobe | ftrace) empty_hook "$2" 1 ;;
	tracker) tp_load ;;
	v:*) insmod "$TP_DIR/variants/${2#v:}.ko" ;;
	esac || { echo "not ok $((TP_COUNT + 1)) $2 could not be loaded for the hot path"; exit 1; }
	ns_per_call "$1" >>"/tmp/hot.$2"
	echo >>"/tmp/hot.$2"
	case $2 in
	kprobe | ftrace) empty_hook "$2" 0 ;;
	tracker | v:*) tp_unload ;;
	esac
}
# ROUNDS rounds of CALLS calls for each CASE, in the order given in odd
# rounds and reversed in even ones: a burst of host load hits one round,
# not one case, and each case's figure is its median round.
hot_rounds() { # ROUNDS CALLS CASE...
	rounds=$1 calls=$2
	shift 2
	backwards=""
	for c in "$@"; do
		backwards="$c $backwards"
		: >"/tmp/hot.$c"
	done
	round=1
	while [ $round -le "$rounds" ]; do
		if [ $((round % 2)) = 1 ]; then order="$*"; else order=$backwards; fi
		for c in $order; do hot_case "$calls" "$c"; done
		round=$((round + 1))
	done
}
# The host's speed can change between rounds, so a ratio is taken within
# each round (its cases ran seconds apart) and the median of those is given.
round_ratio() { # CASE BASE
	paste -d ' ' "/tmp/hot.$1" "/tmp/hot.$2" | awk '$2 > 0 { printf "%.3f\n", $1 / $2 }' | median
}

echo "KTAP version 1"
mod_load tp_test_bench || exit 1

# scripts/bench-ab: only the hot path, of each variant build of the tracker
# in variants/ (in name order) against the same empty hooks.
if [ -f "$TP_DIR/variants/bench-ab.conf" ]; then
	. "$TP_DIR/variants/bench-ab.conf"
	cases="kprobe ftrace"
	for ko in "$TP_DIR"/variants/*.ko; do
		cases="$cases v:$(basename "$ko" .ko)"
	done
	say "ab_method in one VM (QEMU TCG, $(grep -c ^processor /proc/cpuinfo) vCPU); $AB_ROUNDS rounds of $AB_CALLS add_taint() calls per case, in order then reversed; ns: median round; ratio: median of per-round ratios to the empty kprobe"
	# shellcheck disable=SC2086
	hot_rounds "$AB_ROUNDS" "$AB_CALLS" $cases
	for c in $cases; do
		say "ab_rounds_${c#v:} $(tr '\n' ' ' <"/tmp/hot.$c")"
		say "ab_ns_${c#v:} $(median <"/tmp/hot.$c")"
		say "ab_ratio_${c#v:} $(round_ratio "$c" kprobe)"
		check "bench-ab: $c ran $AB_ROUNDS rounds" [ "$(grep -c . "/tmp/hot.$c")" = "$AB_ROUNDS" ]
	done
	echo "1..$TP_COUNT"
	[ "$TP_FAILS" = 0 ]
	exit
fi

say "cycles $CYCLES"
say "calls $((HOT_CALLS * HOT_ROUNDS))"
say "hot_rounds $HOT_ROUNDS"
say "cpus $(grep -c ^processor /proc/cpuinfo)"

# 1. load/unload cycles without the tracker, with an empty kprobe on
# add_taint() only (what any kprobe costs a load: ftrace and kprobe
# bookkeeping for the new module's text), and with the tracker; in 4
# rounds ordered ABBA so a drift over the boot weighs on all alike.
for f in gpl prop; do : >/tmp/$f.off; : >/tmp/$f.kprobe; : >/tmp/$f.on; done
per_round=$((CYCLES / 4))
cycle_both() { # SUFFIX
	"$BENCH" cycles $per_round "$TP_MODS/tp_test_gpl.ko" tp_test_gpl >>/tmp/gpl.$1
	"$BENCH" cycles $per_round "$TP_MODS/tp_test_prop.ko" tp_test_prop >>/tmp/prop.$1
}
cycle_kprobe() {
	empty_hook kprobe 1
	cycle_both kprobe
	empty_hook kprobe 0
}
cycle_tracker() {
	tp_load
	cycle_both on
	tp_unload
}
for round in 1 2 3 4; do
	if [ $((round % 2)) = 1 ]; then
		cycle_both off
		cycle_kprobe
		cycle_tracker
	else
		cycle_tracker
		cycle_kprobe
		cycle_both off
	fi
done
for m in gpl prop; do
	off=$(median </tmp/$m.off) kprobe=$(median </tmp/$m.kprobe) on=$(median </tmp/$m.on)
	say "load_unload_${m}_median_ns_without $off"
	say "load_unload_${m}_median_ns_empty_kprobe $kprobe"
	say "load_unload_${m}_median_ns_with $on"
	say "load_unload_${m}_ratio $(ratio "$on" "$off")"
	say "load_unload_${m}_ratio_empty_kprobe $(ratio "$kprobe" "$off")"
done

# 2. the add_taint() hot path: bare, an empty kprobe (the floor the issue
# names), an empty ftrace callback (the floor of the tracker's own hook),
# the tracker, in HOT_ROUNDS rounds of HOT_CALLS calls (hot_rounds).
hot_rounds "$HOT_ROUNDS" "$HOT_CALLS" bare kprobe ftrace tracker
for c in bare kprobe ftrace tracker; do
	say "add_taint_ns_rounds_$c $(tr '\n' ' ' </tmp/hot.$c)"
done
bare=$(median </tmp/hot.bare) floor=$(median </tmp/hot.kprobe)
ftrace_floor=$(median </tmp/hot.ftrace) with=$(median </tmp/hot.tracker)
tp_load
say "add_taint_ns_bare $bare"
say "add_taint_ns_empty_kprobe $floor"
say "add_taint_ns_empty_ftrace $ftrace_floor"
say "add_taint_ns_tracker $with"
say "add_taint_ratio_tracker_to_bare $(round_ratio tracker bare)"
say "add_taint_ratio_tracker_to_empty_kprobe $(round_ratio tracker kprobe)"
say "add_taint_ratio_tracker_to_empty_ftrace $(round_ratio tracker ftrace)"
say "add_taint_ratio_empty_ftrace_to_empty_kprobe $(round_ratio ftrace kprobe)"

# A storm keeps memory fixed and counts exact.
before=$(tracker_bytes)
count0=$(bit_count X)
recorded0=$(cat $TP_SYSFS/recorded)
echo "$STORM" >$RUN
count1=$(bit_count X)
say "storm_assertions $STORM"
say "storm_count_delta $((count1 - count0))"
say "storm_recorded_delta $(($(cat $TP_SYSFS/recorded) - recorded0))"
check "storm of $STORM: count exact" [ $((count1 - count0)) = "$STORM" ]
check "storm of $STORM: recorded exact" [ $(($(cat $TP_SYSFS/recorded) - recorded0)) = "$STORM" ]
check "storm of $STORM: dropped = recorded - capacity" \
	[ "$(cat $TP_SYSFS/dropped)" = $(($(cat $TP_SYSFS/recorded) - $(cat $TP_SYSFS/capacity))) ]
check "storm: tracker memory unchanged" [ "$(tracker_bytes)" = "$before" ]

# 3. memory at default and maximum capacity, and after module churn.
say "memory_bytes_capacity_4096 $before"
# The ring is the only area over 400 KiB at capacity 4096; vmalloc adds a guard page to it.
cap=$(cat $TP_SYSFS/capacity)
say "ring_bytes_per_event_slot $(awk -v cap="$cap" '/\[taint_provenance\]/ && $2 > 409600 { print ($2 - 4096) / cap; exit }' /proc/vmallocinfo)"
"$BENCH" cycles "$CHURN" "$TP_MODS/tp_test_prop.ko" tp_test_prop >/dev/null
say "churn_cycles $CHURN"
say "memory_bytes_after_churn $(tracker_bytes)"
check "churn of $CHURN tainting modules: tracker memory unchanged" [ "$(tracker_bytes)" = "$before" ]
tp_unload
tp_load capacity=1048576
at_max=$(tracker_bytes)
say "memory_bytes_capacity_1048576 $at_max"
# Everything one more slot costs, vmalloc's own page array included.
say "memory_bytes_per_added_slot $(awk -v a="$at_max" -v b="$before" -v n=$((1048576 - cap)) 'BEGIN { printf "%.2f", (a - b) / n }')"

# 4. the read path with a full log of 4096 and of 65536 events: linear, not quadratic.
tp_unload
for size in 4096 65536; do
	tp_load capacity=$size
	echo $size >$RUN
	t=$("$BENCH" read 5 $TP_DEBUGFS | median)
	lines=$(grep -c "^rec=event" $TP_DEBUGFS)
	say "read_ns_${size}_events $t"
	check "read with $size events shows them all" [ "$lines" = $size ]
	eval "read_$size=$t"
	tp_unload
done
say "read_ratio_65536_to_4096 $(ratio "$read_65536" "$read_4096")"
echo "1..$TP_COUNT"
[ "$TP_FAILS" = 0 ]
