#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run one boot's suite in the test VM: main (the whole suite), crash (oops
# and panic summaries), sig_enforce (module.sig_enforce=1), dkms (the
# DKMS-built module), stress (two vCPUs, parallel loops), unload_race (two
# vCPUs in turn on one host thread: reloads under a storm), lockdown and
# lockdown_integrity (lockdown=confidentiality, =integrity), faults (fault
# injection, debug kernel), bench, bench_smp (load/unload and the hot path
# again, on two vCPUs), bench_tsc (the hot path on two vCPUs with
# tsc=reliable), bench_icount (load/unload and the hot path on one vCPU
# whose clock counts instructions), demo, profile (storms for scripts/qemu-profile).
# Histories worth keeping go to ttyS2 (save_history in lib.sh).
dir=$(dirname "$0")
export TP_SAVE_HISTORY=1
# Nothing of ours has run before this line: the host holds a checker's
# report above it against the kernel, not against the tracker (vm-test).
echo "TP-SUITE-BEGIN $1" >/dev/kmsg
# On a kernel with kmemleak (the debug kernel) the boot's own allocations are
# forgotten first; after the suite, with the tracker unloaded, a scan puts
# any leak on the console, which fails the host's console check.
# Lockdown refuses debugfs writes: the host is told, and reports a skip.
KMEMLEAK=/sys/kernel/debug/kmemleak
kmemleak_unavailable() {
	echo "TP-KMEMLEAK-UNAVAILABLE: $1" >/dev/kmsg
	KMEMLEAK=""
}
if [ -e $KMEMLEAK ]; then
	echo clear 2>/dev/null >$KMEMLEAK || kmemleak_unavailable "writes to $KMEMLEAK refused"
fi
case "$1" in
main) sh "$dir/taint_provenance.sh" ;;
crash) sh "$dir/crash.sh" ;;
sig_enforce) sh "$dir/sig_enforce.sh" ;;
dkms) sh "$dir/dkms_boot.sh" ;;
stress) sh "$dir/stress.sh" ;;
unload_race) TP_STRESS_UNLOAD_RACE=1 sh "$dir/stress.sh" ;;
lockdown | lockdown_integrity) sh "$dir/lockdown.sh" ;;
faults) sh "$dir/faults.sh" ;;
bench | bench_smp | bench_tsc | bench_icount) TP_BENCH_BOOT=$1 sh "$dir/bench.sh" ;;
demo) sh "$dir/demo.sh" ;;
profile) sh "$dir/profile.sh" ;;
*) echo "run_boot.sh: unknown boot '$1'" ;;
esac
if [ -n "$KMEMLEAK" ] && [ -e $KMEMLEAK ]; then
	rmmod taint_provenance 2>/dev/null
	sleep 6	# kmemleak does not report objects younger than 5 s
	if echo scan >$KMEMLEAK && echo scan >$KMEMLEAK; then
		while read -r line; do echo "kmemleak report: $line" >/dev/kmsg; done <$KMEMLEAK
		echo "TP-KMEMLEAK-SCANNED" >/dev/kmsg
	else
		kmemleak_unavailable "scan refused"
	fi
fi
