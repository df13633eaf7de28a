#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Build the iovsim_ring benchmark table: ns per chain (median of 5 native
# runs) and instructions per chain (callgrind, counting only
# bench_device_batch()), for 1, 4 and 16 buffer chains, split and packed.
#
#   bench.sh PATH/TO/ring_bench

set -eu
bench=${1:?usage: bench.sh PATH/TO/ring_bench}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

command -v valgrind >/dev/null || { echo "bench.sh: valgrind is needed" >&2; exit 1; }

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

printf '%-7s %5s %13s %15s\n' layout segs ns/chain instr/chain
for layout in split packed; do
	for segs in 1 4 16; do
		ns=$(for _ in 1 2 3 4 5; do
			"$bench" --layout "$layout" --segs "$segs" --iters 2000 |
				sed 's/.*ns_per_chain=//'
		done | median)
		out=$tmp/callgrind.out
		chains=$(valgrind --tool=callgrind --callgrind-out-file="$out" \
			--toggle-collect=bench_device_batch \
			"$bench" --layout "$layout" --segs "$segs" --iters 20 \
			2>/dev/null | sed 's/chains=\([0-9]*\).*/\1/')
		ir=$(awk '/^summary:/ { print $2 }' "$out")
		printf '%-7s %5s %13s %15.0f\n' "$layout" "$segs" "$ns" \
			"$(echo "$ir / $chains" | bc -l)"
	done
done
