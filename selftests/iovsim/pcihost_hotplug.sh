#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost hot-add and hot-remove with a bound driver, through
# configfs and through sysfs remove/rescan, and rmmod with bound drivers.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup
ktap_print_header
ktap_set_plan 6

CYCLES=${PCIHOST_CYCLES:-100}
dom=$(pcihost_domain)
dev=$CFS/pcitest/hp

mkdir "$dev"
fail=0
for ((i = 1; i <= CYCLES; i++)); do
	echo 1 >"$dev/enable" || { fail=$i; break; }
	read -r a <"$dev/address"
	pcihost_bound_to "$a" iovsim_pcitest || { fail=$i; break; }
	echo 0 >"$dev/enable" || { fail=$i; break; }
	[ ! -e "$PCIDEVS/$a" ] || { fail=$i; break; }
done
iovsim_check "$CYCLES configfs enable/disable cycles, driver bound each time (failed at ${fail})" \
	test "$fail" -eq 0

echo 1 >"$dev/enable"
a=$(<"$dev/address")
fail=0
for ((i = 1; i <= 20; i++)); do
	echo 1 >"$PCIDEVS/$a/remove"
	[ ! -e "$PCIDEVS/$a" ] || { fail=$i; break; }
	echo 1 >/sys/bus/pci/rescan
	pcihost_bound_to "$a" iovsim_pcitest || { fail=$i; break; }
done
iovsim_check "20 sysfs remove/rescan cycles with the driver bound (failed at ${fail})" \
	test "$fail" -eq 0

iovsim_check "an enabled device pins the model: rmmod iovsim_pcitest fails" \
	eval '! rmmod iovsim_pcitest 2>/dev/null'

rmdir "$dev"
iovsim_check "rmdir of an enabled device removes its function" \
	test "$(pcihost_fns | wc -l)" -eq 0

iovsim_unload_all
iovsim_load iovsim_pcitest nr_fns=3
bound=$(ls -d /sys/bus/pci/drivers/iovsim_pcitest/*:* 2>/dev/null | wc -l)
iovsim_check "rmmod iovsim_pcitest with $bound (of 3) bound functions" \
	eval '[ "$bound" -eq 3 ] && iovsim_unload iovsim_pcitest'
domain_gone() {
	local d
	iovsim_unload iovsim_pcihost || return 1
	for d in "$PCIDEVS/$dom":*; do
		[ ! -e "$d" ] || return 1
	done
}
iovsim_check "rmmod iovsim_pcihost leaves no device of domain $dom" \
	domain_gone

ktap_finished
