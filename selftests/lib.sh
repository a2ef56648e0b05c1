#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# KTAP helpers and history queries for the taint_provenance selftests.
# POSIX sh + awk: runs under busybox in the test VM.
#
# A test is a function test_NAME that returns 0 (pass), 1 (fail, after
# saying why with `fail`) or 4 (skip, after setting SKIP_REASON).

TP_DEBUGFS=/sys/kernel/debug/taint_provenance
TP_SYSFS=/sys/kernel/taint_provenance
TP_DIR=${TP_DIR:-$(cd "$(dirname "$0")/.." && pwd)}
TP_KO=${TP_KO:-$TP_DIR/taint_provenance.ko}
TP_MODS=${TP_MODS:-$TP_DIR/selftests/modules}
TP_TOOL=${TP_TOOL:-$TP_DIR/scripts/taint-provenance}
TP_BIN=${TP_BIN:-$TP_DIR}	# tp_load, tp_bench
TP_LETTERS=PFSRMBUDAWCIOELKXTNJ

TP_COUNT=0
TP_FAILS=0
TP_TEST_FAILED=""

ktap_plan() {
	echo "KTAP version 1"
	echo "1..$1"
}

# For a suite whose count is known only at its end: the plan, then its
# status (0 if no test or check failed).
ktap_plan_end() {
	echo "1..$TP_COUNT"
	[ "$TP_FAILS" = 0 ]
}

# A test fails if it calls fail() at all, not only if it returns non-zero:
# a check that goes on after a failed one ("|| fail ..." and more lines)
# must not let the test's last command decide.
fail() {
	echo "# FAIL: $*"
	TP_TEST_FAILED=1
	return 1
}

# The status of a test or check that returned STATUS: 1 if it called fail().
test_status() { # STATUS
	if [ -n "$TP_TEST_FAILED" ]; then echo 1; else echo "$1"; fi
}

# run_test NAME: run test_NAME and print its KTAP line.
run_test() {
	SKIP_REASON="" TP_TEST_FAILED=""
	TP_COUNT=$((TP_COUNT + 1))
	"test_$1"
	status=$(test_status $?)
	unset TP_HISTORY	# a snapshot a test read the history from ends with it, failed or not
	for save in ${TP_SAVE_AFTER:-}; do
		[ "${save%%:*}" = "$1" ] && save_history "${save#*:}"
	done
	case $status in
	0) echo "ok $TP_COUNT $1" ;;
	4) echo "ok $TP_COUNT $1 # SKIP ${SKIP_REASON:-no reason given}" ;;
	*) echo "not ok $TP_COUNT $1"; TP_FAILS=$((TP_FAILS + 1)) ;;
	esac
}

# check DESC CONDITION...: one KTAP line for a condition (suites whose plan
# comes at the end, like bench.sh and stress.sh); counts as run_test does,
# and a condition that returns 4 (skip) is reported with # SKIP.
check() {
	desc=$1
	shift
	TP_COUNT=$((TP_COUNT + 1))
	SKIP_REASON="" TP_TEST_FAILED=""
	"$@"
	status=$(test_status $?)
	if [ $status = 4 ]; then
		echo "ok $TP_COUNT $desc # SKIP ${SKIP_REASON:-no reason given}"
	elif [ $status = 0 ]; then
		echo "ok $TP_COUNT $desc"
	else
		echo "not ok $TP_COUNT $desc"
		TP_FAILS=$((TP_FAILS + 1))
	fi
}

# Keep a copy of the history for the host (scripts/test-tools fixtures).
save_history() {
	[ "${TP_SAVE_HISTORY:-}" = 1 ] && [ -r $TP_DEBUGFS ] || return 0
	{
		echo "TP-HISTORY-BEGIN $1"
		cat $TP_DEBUGFS
		echo "TP-HISTORY-END $1"
	} >/dev/ttyS2
}

skip() {
	SKIP_REASON=$*
	return 4
}

# The running kernel's CONFIG_NAME: y, m, its value, or nothing if not
# set; "unknown" when neither /boot/config-$(uname -r) (scripts/vm-test
# puts it there) nor /proc/config.gz can be read.
kernel_config() {
	if [ -r "/boot/config-$(uname -r)" ]; then
		sed -n "s/^$1=//p" "/boot/config-$(uname -r)"
	elif [ -r /proc/config.gz ]; then
		zcat /proc/config.gz | sed -n "s/^$1=//p"
	else
		echo unknown
	fi
}

# Whether the running kernel has CONFIG_OPTION=y; else a skip (return 4)
# that says why it does not know or has not, for the test that needs it.
needs_config() { # CONFIG_OPTION WHAT-IT-GIVES
	value=$(kernel_config "$1")
	[ "$value" != unknown ] || { skip "no config of kernel $(uname -r) to read"; return 4; }
	[ "$value" = y ] || { skip "kernel built without $1: $2"; return 4; }
}

# Run COMMAND... every 20 ms until it succeeds; false once it has failed
# TRIES + 1 times.
wait_until() { # TRIES COMMAND...
	wait_tries=$1
	shift
	until "$@"; do
		[ "$wait_tries" -gt 0 ] || return 1
		sleep 0.02
		wait_tries=$((wait_tries - 1))
	done
}

# How many CPUs the kernel may bring up (a per-CPU area exists for each),
# from a list such as 0-3,8-11.
possible_cpus() {
	tr ',' '\n' </sys/devices/system/cpu/possible |
		awk -F- '{ n += (NF == 2 ? $2 - $1 + 1 : 1) } END { print n }'
}

# Lines of the history that hold every TOKEN (key=value) given.
hist_match() {
	awk -v want="$*" '
		BEGIN { n = split(want, w, " ") }
		{
			split("", have)
			for (i = 1; i <= NF; i++) have[$i] = 1
			for (j = 1; j <= n; j++) if (!(w[j] in have)) next
			print
		}' "${TP_HISTORY:-$TP_DEBUGFS}"
}

hist_count() {
	hist_match "$@" | wc -l
}

# bit_count FLAG: the bit's exact count in the history, 0 if never asserted.
bit_count() {
	c=$(kv count "$(hist_match rec=bit flag=$1)")
	echo "${c:-0}"
}

# The value of KEY in a key=value LINE.
kv() {
	echo "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -n 1
}

# The letter of bit N, as the kernel spells it.
letter_of() {
	echo "$TP_LETTERS" | cut -c $(($1 + 1))
}

# The letters of a decimal taint mask, computed here, not by the module.
mask_letters() {
	mask=$1 bit=0 out=""
	while [ "$mask" -gt 0 ] && [ $bit -lt 20 ]; do
		[ $((mask & 1)) = 1 ] && out="$out$(letter_of $bit)"
		mask=$((mask >> 1)) bit=$((bit + 1))
	done
	echo "$out"
}

# Matching history lines as KTAP diagnostics.
show() {
	hist_match "$@" | sed 's/^/# /'
}

# Write a marker to the kernel log and print its printk-clock time.
kmsg_mark() {
	echo "TP-MARK $1" >/dev/kmsg
	dmesg | sed -n "s/^\[ *\([0-9.]*\)\] TP-MARK $1\$/\1/p" | tail -n 1
}

# Is A <= B (decimal seconds)?
le() {
	awk -v a="$1" -v b="$2" 'BEGIN { exit !(a + 0 <= b + 0) }'
}

# ISO-8601 UTC to epoch seconds, within a few seconds of `date -u +%s`?
real_near_now() {
	when=$(echo "$1" | sed 's/T/ /; s/\..*//')
	then_s=$(date -u -d "$when" +%s 2>/dev/null) || return 1
	now_s=$(date -u +%s)
	[ $((now_s - then_s)) -ge -2 ] && [ $((now_s - then_s)) -le 600 ]
}

# Our own WARNs and oopses are bracketed so the host ignores their splats:
# expect_splat_begin NAME [FUNCTION], FUNCTION a kernel function the bracket
# provokes a WARN in (scripts/vm-test).
expect_splat_begin() {
	echo "TP-EXPECT-SPLAT begin $*" >/dev/kmsg
}

expect_splat_end() {
	echo "TP-EXPECT-SPLAT end $1" >/dev/kmsg
}

# Kernel log lines that name code of ours as "func [taint_provenance]", as
# a WARN at our code, a deprecation notice (7.2: work queued on system_wq)
# or any other report of the kernel's does. A splat's backtrace frames,
# RIP lines, its header's "Workqueue: WQ FUNC" and lockdep's lines on where
# the task last turned interrupts on or off are left out: a WARN a test
# provokes in an interrupt prints the task it interrupted, which may be
# inside our hook (or just out of our kprobe handler, which turns
# interrupts off and on) or our kworker running our work item, and the
# unwinder's "?" lines are stale words of the stack. Whether a splat was
# provoked is the host's to judge (scripts/vm-test); a WARN at our code
# keeps its line. The last test of the main, stress and unload_race boots.
test_kernel_names_none_of_ours() {
	dmesg | grep '\[taint_provenance\]' |
		grep -Ev '^\[[^]]*\] +(\? )?[A-Za-z0-9_.]+\+0x[0-9a-f]+/0x[0-9a-f]+ \[taint_provenance\]$|RIP: [0-9a-f]+:|^\[[^]]*\] Workqueue: [^ ]+ [A-Za-z0-9_.]+ \[taint_provenance\]( \(.*\))?$|\] (hard|soft)irqs last +(en|dis)abled at \([0-9]+\): ' \
		>/tmp/named.txt
	[ ! -s /tmp/named.txt ] || { fail "the kernel named our code"; sed 's/^/# /' /tmp/named.txt; }
}

tp_loaded() {
	[ -d /sys/module/taint_provenance ]
}

# shellcheck disable=SC2120 # the suites pass parameters; bench_case does not
tp_load() {
	insmod "$TP_KO" "$@"
}

tp_unload() {
	rmmod taint_provenance
}

# The value of NAME=VALUE on the kernel command line, or DEFAULT.
kernel_param() { # NAME DEFAULT
	value=$(tr ' ' '\n' </proc/cmdline |
		awk -v n="$1=" 'index($0, n) == 1 { v = substr($0, length(n) + 1) } END { print v }')
	echo "${value:-$2}"
}

# The name of a bench floor's hook: its tp_test_bench parameter, and its
# part of make bench's keys. clock is the kprobe on add_taint() that only
# reads local_clock(); the others are empty (idle: on proc_taint(), which a
# load never calls).
hook_name() { # kprobe|idle|ftrace|clock
	if [ "$1" = clock ]; then echo clock_kprobe; else echo "empty_$1"; fi
}

# Set up (1) or take down (0) a case of the bench and profile boots: bare
# (nothing), a floor's hook in tp_test_bench, the tracker, or v:NAME, a
# variant build in variants/NAME.ko. Fails on an unknown case.
bench_case() { # CASE 0|1
	case $1 in
	bare) ;;
	kprobe | idle | ftrace | clock) echo "$2" >"/sys/module/tp_test_bench/parameters/$(hook_name "$1")" ;;
	tracker) if [ "$2" = 1 ]; then tp_load; else tp_unload; fi ;;
	v:*) if [ "$2" = 1 ]; then insmod "$TP_DIR/variants/${1#v:}.ko"; else tp_unload; fi ;;
	*) return 1 ;;
	esac
}

mod_load() {
	name=$1
	shift
	insmod "$TP_MODS/$name.ko" "$@"
}
