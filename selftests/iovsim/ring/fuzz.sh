#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run ring_fuzz for a bounded time on each layout and report as KTAP, one
# result per layout.  The corpus of each layout is kept under OUTPUT and
# seeded with valid queues; a crash leaves its input there as crash-*.
#
#   fuzz.sh SECONDS_PER_LAYOUT OUTPUT ring_fuzz ring_fuzz_seeds

set -u
seconds=${1:?usage: fuzz.sh SECONDS OUTPUT FUZZER SEEDER}
output=${2:?}
fuzzer=${3:?}
seeder=${4:?}
status=0
n=0

echo "TAP version 13"
echo "1..2"
for layout in split packed; do
	n=$((n + 1))
	corpus=$output/corpus-$layout
	log=$output/fuzz-$layout.log
	mkdir -p "$corpus"
	"$seeder" "$corpus" || { echo "not ok $n fuzz $layout: seeding"; status=1; continue; }
	IOVSIM_FUZZ_LAYOUT=$layout "$fuzzer" -max_total_time="$seconds" \
		-max_len=16450 -rss_limit_mb=1024 -timeout=10 \
		-print_final_stats=1 -artifact_prefix="$output/crash-$layout-" \
		"$corpus" >"$log" 2>&1
	rc=$?
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	cov=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | grep -o 'cov: [0-9]*')
	if [ "$rc" -eq 0 ]; then
		echo "ok $n fuzz $layout rings: ${seconds}s, ${runs:-0} runs, ${cov:-cov: ?}"
	else
		grep -E 'ERROR|SUMMARY|WARNING at|^#[0-9]+|Test unit written' "$log" |
			tail -n 20 | sed 's/^/# /'
		echo "not ok $n fuzz $layout rings: exit $rc, see $log"
		status=1
	fi
done
exit $status
