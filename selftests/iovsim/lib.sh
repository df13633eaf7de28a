# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Shared helpers for the iovsim shell selftests: KTAP output (the names
# and output of the kernel's ktap_helpers.sh), finding and loading the
# iovsim modules, reading the kernel log since a mark, asserting on errno.
# It needs nothing outside this checkout but bash, kmod and coreutils, so
# the tests run on a host that has only its kernel's headers. Source it
# from a test:
#
#	. "$(dirname "$0")/lib.sh"
#
# Modules come from this checkout's build tree for the running kernel when
# it has them (make), else from the installed modules (DKMS, modprobe).
# Whatever a test loads is unloaded again when it exits, so the host is
# left as it was found.

IOVSIM_SELFTEST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]:-$0}")" && pwd -P)
IOVSIM_TOP=$(cd "$IOVSIM_SELFTEST_DIR/../.." && pwd)
IOVSIM_BUILD=${IOVSIM_BUILD:-$IOVSIM_TOP/build/$(uname -r)}

# --- KTAP ------------------------------------------------------------------
# The functions, variables and output of the kernel's
# tools/testing/selftests/kselftest/ktap_helpers.sh, written here so that
# no kernel source tree is needed: a test calls ktap_print_header, then
# ktap_set_plan N (or ktap_skip_all REASON and exits $KSFT_SKIP), one
# ktap_test_pass/_fail/_skip per result, and ends with ktap_finished, which
# prints the totals and exits $KSFT_PASS when every planned test passed or
# skipped, else $KSFT_FAIL. ktap_exit_fail_msg stops a test early.
# Descriptions are printed as given (the kernel's helpers split them into
# words again, which only matters for runs of blanks and glob characters).

# shellcheck disable=SC2034 # for the tests that source this file
{
	KSFT_PASS=0
	KSFT_FAIL=1
	KSFT_XFAIL=2
	KSFT_XPASS=3
	KSFT_SKIP=4
}

KSFT_NUM_TESTS=0
KTAP_TESTNO=1
KTAP_CNT_PASS=0
KTAP_CNT_FAIL=0
KTAP_CNT_SKIP=0

ktap_print_header() {
	echo "TAP version 13"
}

ktap_print_msg() {
	echo "# $*"
}

ktap_set_plan() {
	KSFT_NUM_TESTS=$1
	echo "1..$KSFT_NUM_TESTS"
}

ktap_skip_all() {
	echo "1..0 # SKIP $*"
}

# ktap_result_line OK|"not ok" DESCRIPTION [DIRECTIVE]: one numbered result.
ktap_result_line() {
	echo "$1 $KTAP_TESTNO $2${3:+ # $3}"
	KTAP_TESTNO=$((KTAP_TESTNO + 1))
}

ktap_test_pass() {
	ktap_result_line ok "$1"
	KTAP_CNT_PASS=$((KTAP_CNT_PASS + 1))
}

ktap_test_fail() {
	ktap_result_line "not ok" "$1"
	KTAP_CNT_FAIL=$((KTAP_CNT_FAIL + 1))
}

ktap_test_skip() {
	ktap_result_line ok "$1" SKIP
	KTAP_CNT_SKIP=$((KTAP_CNT_SKIP + 1))
}

# ktap_test_result DESCRIPTION CMD...: pass if CMD succeeds.
ktap_test_result() {
	local description=$1

	shift
	if "$@"; then
		ktap_test_pass "$description"
	else
		ktap_test_fail "$description"
	fi
}

ktap_print_totals() {
	echo "# Totals: pass:$KTAP_CNT_PASS fail:$KTAP_CNT_FAIL xfail:0 xpass:0 skip:$KTAP_CNT_SKIP error:0"
}

ktap_exit_fail_msg() {
	echo "Bail out!  $*"
	ktap_print_totals
	exit "$KSFT_FAIL"
}

ktap_finished() {
	ktap_print_totals
	if [ $((KTAP_CNT_PASS + KTAP_CNT_SKIP)) -eq "$KSFT_NUM_TESTS" ]; then
		exit "$KSFT_PASS"
	fi
	exit "$KSFT_FAIL"
}

# --- modules ---------------------------------------------------------------

# Modules this test loaded, in load order; unloaded in reverse at exit.
IOVSIM_LOADED=()

iovsim_require_root() {
	if [ "$(id -u)" -ne 0 ]; then
		ktap_print_header
		ktap_skip_all "must run as root"
		exit "$KSFT_SKIP"
	fi
}

# The modules this tree builds, from modules/Kbuild ("obj-m += ring/" is
# iovsim_ring).
iovsim_tree_modules() {
	sed -n 's|^obj-m[[:space:]]*+=[[:space:]]*\([a-z0-9_]*\)/.*|iovsim_\1|p' \
		"$IOVSIM_TOP/modules/Kbuild"
}

# Modules of the tree (and its test modules) that were loaded before a
# test ran, in load order, and "name=value" for each readable parameter
# they had: iovsim_preloaded_unload records and unloads them, newest
# first; iovsim_preloaded_restore loads them again with those values.
# Functions created through configfs are not restored.
IOVSIM_PRELOADED=()
declare -A IOVSIM_PRELOADED_PARAMS

iovsim_preloaded_unload() {
	local m p params i
	IOVSIM_PRELOADED=()
	[ -r /proc/modules ] || return 0
	for m in $(cut -d ' ' -f 1 /proc/modules | tac); do
		case "$m" in iovsim_*) ;; *) continue ;; esac
		IOVSIM_PRELOADED+=("$m")
		params=
		for p in /sys/module/"$m"/parameters/*; do
			[ -r "$p" ] || continue
			params="$params ${p##*/}=$(<"$p")"
		done
		IOVSIM_PRELOADED_PARAMS[$m]=$params
	done
	for ((i = ${#IOVSIM_PRELOADED[@]} - 1; i >= 0; i--)); do
		if ! rmmod "${IOVSIM_PRELOADED[$i]}"; then
			echo "${IOVSIM_PRELOADED[$i]} is loaded and in use: unload it to run the iovsim selftests" >&2
			return 1
		fi
	done
}

iovsim_preloaded_restore() {
	local m file ret=0
	for m in "${IOVSIM_PRELOADED[@]}"; do
		iovsim_module_loaded "$m" && continue
		file=$(iovsim_module_file "$m")
		# shellcheck disable=SC2086 # one word per parameter
		if [ -n "$file" ]; then
			insmod "$file" ${IOVSIM_PRELOADED_PARAMS[$m]} || ret=1
		else
			modprobe "$m" ${IOVSIM_PRELOADED_PARAMS[$m]} || ret=1
		fi
	done
	IOVSIM_PRELOADED=()
	return "$ret"
}

# Path of a module's .ko in the build tree, or nothing.
iovsim_module_file() {
	find "$IOVSIM_BUILD" -name "$1.ko" -print -quit 2>/dev/null
}

iovsim_module_loaded() {
	[ -d "/sys/module/$1" ]
}

# iovsim_load NAME [PARAM=VALUE...]: load a module and its dependencies,
# from the build tree when it has it, else with modprobe. Does nothing if
# the module is already loaded. Returns insmod/modprobe's status.
iovsim_load() {
	local name=$1 file dep before m
	shift
	iovsim_module_loaded "$name" && return 0
	file=$(iovsim_module_file "$name")
	if [ -n "$file" ]; then
		for dep in $(modinfo -F depends "$file" | tr ',' ' '); do
			iovsim_load "$dep" || return
		done
		insmod "$file" "$@" || return
	else
		# modprobe also loads soft dependencies (vfio brings
		# vfio_iommu_type1): track every module it added, oldest
		# first (/proc/modules lists the newest first).
		before=$(cut -d ' ' -f 1 /proc/modules)
		modprobe "$name" "$@" || return
		for m in $(cut -d ' ' -f 1 /proc/modules | tac); do
			grep -q -x "$m" <<<"$before" || IOVSIM_LOADED+=("$m")
		done
		return 0
	fi
	IOVSIM_LOADED+=("$name")
}

# Unload one module this test loaded (and forget it).
iovsim_unload() {
	local name=$1 i
	rmmod "$name" || return
	for i in "${!IOVSIM_LOADED[@]}"; do
		[ "${IOVSIM_LOADED[$i]}" = "$name" ] && unset 'IOVSIM_LOADED[i]'
	done
	return 0
}

iovsim_unload_all() {
	local i
	for ((i = ${#IOVSIM_LOADED[@]} - 1; i >= 0; i--)); do
		[ -n "${IOVSIM_LOADED[$i]:-}" ] || continue
		iovsim_module_loaded "${IOVSIM_LOADED[$i]}" &&
			rmmod "${IOVSIM_LOADED[$i]}"
	done
	IOVSIM_LOADED=()
}
trap iovsim_unload_all EXIT

# iovsim_require_prog NAME: the test needs NAME, a program make builds
# in this directory. If it is not there the test stops: a skip when make
# could not build it for want of a prerequisite (the reason it wrote to
# NAME.missing, which names what to install), else a failure.
iovsim_require_prog() {
	local prog=$IOVSIM_SELFTEST_DIR/$1

	[ -x "$prog" ] && return 0
	ktap_print_header
	if [ -r "$prog.missing" ]; then
		ktap_skip_all "$(<"$prog.missing")"
		exit "$KSFT_SKIP"
	fi
	ktap_exit_fail_msg "no $1: run make -C selftests/iovsim"
}

# dmesg_mark: write a unique line into the kernel log; dmesg_since prints
# everything logged after the latest mark.
IOVSIM_MARK=
dmesg_mark() {
	IOVSIM_MARK="iovsim-selftest: mark $$.$RANDOM.$SECONDS"
	echo "$IOVSIM_MARK" >/dev/kmsg
}

dmesg_since() {
	dmesg | sed -n "/$IOVSIM_MARK/,\$p" | tail -n +2
}

# write_errno PATH VALUE: prints OK or the errno name of a failed write.
write_errno() {
	"$IOVSIM_SELFTEST_DIR/write_errno" "$@"
}

# iovsim_check NAME CMD...: one KTAP result from a command's status (as
# ktap_test_result); returns 1 when the check failed.
iovsim_check() {
	local name=$1
	shift
	if "$@"; then
		ktap_test_pass "$name"
	else
		ktap_test_fail "$name"
		return 1
	fi
}

# iovsim_expect_write_error PATH VALUE ERRNO LABEL: one KTAP result: the
# write fails with ERRNO, logs exactly one kernel line, and PATH reads the
# same as before.
iovsim_expect_write_error() {
	local path=$1 val=$2 want=$3 label=$4 before got lines

	before=$(<"$path")
	dmesg_mark
	got=$(write_errno "$path" "$val")
	lines=$(dmesg_since | grep -c .)
	if [ "$got" = "$want" ] && [ "$lines" -eq 1 ] &&
		[ "$(<"$path")" = "$before" ]; then
		ktap_test_pass "$label <- '$val': $want, one log line, unchanged"
	else
		dmesg_since | sed 's/^/# /'
		ktap_test_fail "$label <- '$val': got $got, $lines log lines, '$(<"$path")' (was '$before')"
	fi
}

# iovsim_expect_load_error MODULE PARAM=VALUE...: one KTAP result:
# loading MODULE with those parameters fails with ERANGE, logs exactly
# one line naming it, and leaves it unloaded.
iovsim_expect_load_error() {
	local m=$1 file out lines
	shift
	file=$(iovsim_module_file "$m")
	dmesg_mark
	if [ -n "$file" ]; then
		out=$(insmod "$file" "$@" 2>&1)
	else
		out=$(modprobe "$m" "$@" 2>&1)
	fi
	lines=$(dmesg_since | grep -c "$m")
	if ! iovsim_module_loaded "$m" &&
		grep -q 'Numerical result out of range' <<<"$out" &&
		[ "$lines" -eq 1 ]; then
		ktap_test_pass "$*: ERANGE, one log line"
	else
		dmesg_since | sed 's/^/# /'
		ktap_test_fail "$*: '$out', $lines log lines"
	fi
}

# iovsim_irq_count IRQ: total of IRQ over all CPUs in /proc/interrupts.
iovsim_irq_count() {
	awk -v irq="$1:" '$1 == irq {
		n = 0
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
			n += $i
		print n
	}' /proc/interrupts
}
