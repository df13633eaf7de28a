# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034
#
# Helpers of the iovsim_pcihost selftests; source after lib.sh.  CFS, DBG
# and PCIDEVS are for the tests.

CFS=/sys/kernel/config/iovsim
DBG=/sys/kernel/debug/iovsim_pcitest
PCIDEVS=/sys/bus/pci/devices

# pcihost_setup [PCITEST PARAMS...]: root, configfs and debugfs mounted,
# iovsim_pcitest (and so iovsim_pcihost) loaded.
pcihost_setup() {
	iovsim_require_root
	mountpoint -q /sys/kernel/debug ||
		mount -t debugfs none /sys/kernel/debug
	modprobe configfs 2>/dev/null
	mountpoint -q /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config
	if ! iovsim_load iovsim_pcitest "$@"; then
		ktap_print_header
		ktap_exit_fail_msg "cannot load iovsim_pcitest"
	fi
}

# The iovsim PCI domain, as printed in PCI addresses (e.g. 18000).
pcihost_domain() {
	local d
	d=$(basename /sys/devices/platform/iovsim_pcihost/pci*:00)
	d=${d#pci}
	echo "${d%:00}"
}

# PCI addresses of the functions of the iovsim domain.
pcihost_fns() {
	local dom d
	dom=$(pcihost_domain)
	for d in "$PCIDEVS/$dom":*; do
		[ -e "$d" ] && basename "$d"
	done
	return 0
}

# pcihost_driver ADDR: name of the driver bound to ADDR, or nothing.
pcihost_driver() {
	local l=$PCIDEVS/$1/driver
	[ -e "$l" ] && basename "$(readlink "$l")"
}

# pcihost_bound_to ADDR DRIVER: is DRIVER bound to ADDR?  Shell builtins
# only: under TCG every exec over 9p costs a large part of a second, so
# loops of many cycles use this rather than pcihost_driver.
pcihost_bound_to() {
	[ "$PCIDEVS/$1/driver" -ef "/sys/bus/pci/drivers/$2" ]
}


