#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the iovsim_ring benchmark table: ns per chain (best of 7 native
# runs: other load on the machine only ever adds time) and instructions per chain (callgrind, counting only the measured
# batch function), for 1, 4 and 16 buffer chains: iovsim_ring split and
# packed, and the kernel's vringh (split only) on the same rings as a
# reference.
#
#   bench.sh PATH/TO/ring_bench

set -eu
bench=${1:?usage: bench.sh PATH/TO/ring_bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || { echo "bench.sh: valgrind is needed" >&2; exit 1; }

best() { sort -n | head -n 1; }

printf '%-7s %-7s %5s %11s %13s\n' impl layout segs ns/chain instr/chain
for run in "iovsim split bench_device_batch" "iovsim packed bench_device_batch" \
	"vringh split vringh_bench_batch"; do
	read -r impl layout fn <<<"$run"
	for segs in 1 4 16; do
		args=(--impl "$impl" --layout "$layout" --segs "$segs")
		ns=$(for _ in 1 2 3 4 5 6 7; do
			"$bench" "${args[@]}" --iters 2000 |
				sed 's/.*ns_per_chain=//'
		done | best)
		out=$tmp/callgrind.out
		chains=$(valgrind --tool=callgrind --callgrind-out-file="$out" \
			--toggle-collect="$fn" "$bench" "${args[@]}" --iters 20 \
			2>/dev/null | sed 's/chains=\([0-9]*\).*/\1/')
		ir=$(awk '/^summary:/ { print $2 }' "$out")
		printf '%-7s %-7s %5s %11s %13.0f\n' "$impl" "$layout" "$segs" \
			"$ns" "$(echo "$ir / $chains" | bc -l)"
	done
done
