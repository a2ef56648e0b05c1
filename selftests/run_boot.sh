#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Run one boot's suite in the test VM: main (the whole suite), crash (oops
# and panic summaries), sig_enforce (module.sig_enforce=1), dkms (the
# DKMS-built module), stress (two vCPUs, parallel loops), lockdown
# (lockdown=confidentiality), bench, demo.
# Histories worth keeping go to ttyS2 (save_history in lib.sh).
dir=$(dirname "$0")
export TP_SAVE_HISTORY=1
case "$1" in
main) sh "$dir/taint_provenance.sh" ;;
crash) sh "$dir/crash.sh" ;;
sig_enforce) sh "$dir/sig_enforce.sh" ;;
dkms) sh "$dir/dkms_boot.sh" ;;
stress) sh "$dir/stress.sh" ;;
lockdown) sh "$dir/lockdown.sh" ;;
bench)
	grep -q "tp\.quick=1" /proc/cmdline && export TP_BENCH_QUICK=1
	sh "$dir/bench.sh"
	;;
demo) sh "$dir/demo.sh" ;;
*) echo "run_boot.sh: unknown boot '$1'" ;;
esac
