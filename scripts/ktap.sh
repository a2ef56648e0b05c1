# shellcheck shell=bash
# SPDX-License-Identifier: GPL-2.0
# What make check and make check-debug share: result lines are collected in
# $lines (emit), phases are timed (phase), and the end numbers every result
# and prints the summary (summarize). Sourced after matrix.sh.

ktap_begin() { # LINES-FILE
	lines=$1
	: >"$lines"
	ktap_start=$SECONDS
	phase_start=$SECONDS
	echo "KTAP version 1"
}

emit() { tee -a "$lines"; }

phase() { # NAME: report how long the phase that just ended took
	echo "# phase $1: $((SECONDS - phase_start)) s" | tee -a "$lines" >&2
	phase_start=$SECONDS
}

# Number the results, then "1..N", the time, the skips, and the last line
# "N passed, N failed". Exit status 1 when anything failed.
summarize() {
	awk -v total_s=$((SECONDS - ktap_start)) '
		/^(not )?ok / {
			n++
			skipped = $0 ~ / # SKIP/
			failed = $0 ~ /^not ok/
			line = $0
			sub(/^(not )?ok /, "", line)
			printf "%s %d %s\n", failed ? "not ok" : "ok", n, line
			if (failed) f++; else if (skipped) s++; else p++
			next
		}
		{ print }
		END {
			# Skips are neither passes nor failures: counted on a line of their own.
			printf "1..%d\n# total %d s\n# %d skipped (not counted as passed)\n%d passed, %d failed\n", n, total_s, s, p, f
			exit f > 0
		}' "$lines"
}
