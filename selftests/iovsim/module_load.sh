#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Every module the tree builds loads, says so in the kernel log, holds no
# references once loaded alone, unloads, says so again, and leaves nothing
# behind in /sys/module.
#
# On a host where iovsim modules are already loaded and unused, they are
# unloaded first and loaded again at the end with the parameter values
# they had; a module in use fails the test (its load cannot be tested).

. "$(dirname "$0")/lib.sh"

iovsim_require_root

mapfile -t modules < <(iovsim_tree_modules)

ktap_print_header
ktap_set_plan $((${#modules[@]} * 2))

if ! iovsim_preloaded_unload; then
	ktap_exit_fail_msg "an iovsim module is loaded and in use: cannot test loading it"
fi
restore() {
	iovsim_unload_all
	iovsim_preloaded_restore
}
trap restore EXIT

for m in "${modules[@]}"; do

	dmesg_mark
	if iovsim_load "$m" && iovsim_module_loaded "$m" &&
		dmesg_since | grep -q "$m: " &&
		[ "$(cat "/sys/module/$m/refcnt")" = 0 ]; then
		ktap_test_pass "$m loads with a log line"
	else
		dmesg_since | sed 's/^/# /'
		ktap_test_fail "$m loads with a log line"
	fi

	dmesg_mark
	if iovsim_unload "$m" && ! iovsim_module_loaded "$m" &&
		dmesg_since | grep -q "$m: "; then
		ktap_test_pass "$m unloads with a log line"
	else
		dmesg_since | sed 's/^/# /'
		ktap_test_fail "$m unloads with a log line"
	fi
	# Dependencies loaded for it go too.
	iovsim_unload_all
done

ktap_finished
