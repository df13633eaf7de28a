#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Run iovsim kselftests the way the kernel's kselftest runner does (KTAP,
# one top-level result per test named "selftests: iovsim: <test>", the
# timeout from `settings`, exit 4 for a skip) and, after each test, check
# the kernel it ran on:
#
#  - a splat in the kernel log since the test started (the patterns in
#    kernel_splats.re: WARNING, BUG, lockdep, KASAN, UBSAN, hung tasks...),
#    except the reports of known kernel bugs outside iovsim that
#    known_reports.awk lists (each is named in the output);
#  - taint flags the test added (/proc/sys/kernel/tainted), other than
#    O (out-of-tree module) and E (unsigned module);
#  - kmemleak reports, when the kernel has kmemleak: two scans after each
#    test. (kmemleak's own "N new suspected memory leaks" log line is not
#    a splat pattern: the first scan also reports what boot leaked, which
#    is not ours and is cleared.)
#
# Any of them turns the test's result into "not ok", with the evidence, so
# a kernel bug is pinned to the test that caused it. The exit status is 0
# only when every test passed or skipped.
#
# Each test loads the modules with its own parameters, so iovsim modules
# that were loaded before the run are unloaded first and loaded again
# after it, with the parameter values they had (configfs-made functions
# are not restored). A module in use stops the run, as a failure.
#
#   runner.sh TEST...       run the tests (names in this directory, or paths)

set -u

here=$(cd "$(dirname "$0")" && pwd -P)
cd "$here" || exit 1

timeout_s=$(sed -n 's/^timeout=//p' settings 2>/dev/null)
timeout_s=${timeout_s:-600}
splats=$here/kernel_splats.re
kmemleak=/sys/kernel/debug/kmemleak
# Taint bits a test may add: 12 (O, out-of-tree) and 13 (E, unsigned).
taint_ok=$(((1 << 12) | (1 << 13)))

# The kernel checks need root; as another user only the verdicts count.
checks=
[ "$(id -u)" -eq 0 ] && [ -w /dev/kmsg ] && checks=1

kmemleak_usable() {
	[ -n "$checks" ] && [ -w "$kmemleak" ]
}

# kmemleak reports an object only if it was unreferenced in two scans in a
# row and is older than five seconds: wait, scan twice, read.
kmemleak_scan() {
	sleep 5
	echo scan >"$kmemleak" && echo scan >"$kmemleak" && cat "$kmemleak"
}

# The kernel log after the line holding mark $1.
kernel_log_since() {
	dmesg | awk -v m="$1" 'seen { print } index($0, m) { seen = 1 }'
}

. "$here/lib.sh"

echo "TAP version 13"
echo "1..$#"
echo "# timeout set to $timeout_s"

if [ -n "$checks" ] && ! iovsim_preloaded_unload; then
	echo "Bail out! iovsim modules are loaded and in use"
	exit 1
fi
trap 'iovsim_preloaded_restore' EXIT

if kmemleak_usable; then
	# Whatever boot leaked (or what was there before us) is not ours.
	kmemleak_scan >/dev/null
	echo clear >"$kmemleak"
fi

n=0 failed=0
for test in "$@"; do
	n=$((n + 1))
	case "$test" in
	*/*) name=${test##*/} cmd=$test ;;
	*) name=$test cmd=./$test ;;
	esac
	echo "# selftests: iovsim: $name"

	if [ -n "$checks" ]; then
		mark="iovsim-runner: begin $name $$.$n.$RANDOM"
		echo "$mark" >/dev/kmsg
		taint_before=$(cat /proc/sys/kernel/tainted)
	fi

	timeout --foreground "$timeout_s" "$cmd" 2>&1 | sed -u 's/^/# /'
	rc=${PIPESTATUS[0]}

	why=()
	if [ -n "$checks" ]; then
		log=$(kernel_log_since "$mark" | awk -f "$here/known_reports.awk")
		if ! dmesg | grep -q -F "$mark"; then
			why+=("the kernel log lost this test's start mark")
		fi
		sed -n 's/^iovsim-known-report: //p' <<<"$log" | while read -r k; do
			echo "# kernel: report of a known bug outside iovsim, not counted: $k (selftests/iovsim/known_reports.awk); lockdep is off for the rest of this boot"
		done
		hits=$(grep -E -n -f "$splats" <<<"$log" | head -n 1)
		if [ -n "$hits" ]; then
			why+=("kernel splat during the test")
			grep -E -A 30 -f "$splats" <<<"$log" | head -n 60 | sed 's/^/# kernel: /'
		fi
		taint_after=$(cat /proc/sys/kernel/tainted)
		new=$((taint_after & ~taint_before & ~taint_ok))
		if [ "$new" -ne 0 ]; then
			why+=("the test tainted the kernel (tainted $taint_before -> $taint_after)")
		fi
		if kmemleak_usable; then
			leaks=$(kmemleak_scan)
			if [ -n "$leaks" ]; then
				why+=("kmemleak: $(grep -c 'unreferenced object' <<<"$leaks") leaked objects")
				head -n 80 <<<"$leaks" | sed 's/^/# kmemleak: /'
				echo clear >"$kmemleak"
			fi
		fi
	fi

	result="selftests: iovsim: $name"
	if [ "${#why[@]}" -ne 0 ]; then
		for w in "${why[@]}"; do
			echo "# $name: $w"
		done
		echo "not ok $n $result # exit=$rc, kernel check failed"
		failed=$((failed + 1))
	elif [ "$rc" -eq 0 ]; then
		echo "ok $n $result"
	elif [ "$rc" -eq 4 ]; then
		echo "ok $n $result # SKIP"
	elif [ "$rc" -eq 124 ]; then
		echo "not ok $n $result # TIMEOUT $timeout_s seconds"
		failed=$((failed + 1))
	else
		echo "not ok $n $result # exit=$rc"
		failed=$((failed + 1))
	fi
done

[ "$failed" -eq 0 ]
