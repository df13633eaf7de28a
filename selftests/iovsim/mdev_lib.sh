# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
#
# Helpers of the iovsim_mdev selftests; source after lib.sh and
# virtio_lib.sh.

# mdev_setup: what virtio_setup does, then VFIO's TYPE1 IOMMU, the mdev
# core and iovsim_mdev loaded, and the tools the tests drive it with.
# A kernel without VFIO or mdev, or a host without driverctl or mdevctl,
# lacks a prerequisite (a skip); a module that is there but does not
# load is a failure.
mdev_setup() {
	local m t
	virtio_setup
	for t in driverctl mdevctl; do
		if ! command -v "$t" >/dev/null; then
			ktap_print_header
			ktap_skip_all "no $t on this host (apt-get install $t)"
			exit "$KSFT_SKIP"
		fi
	done
	for m in vfio vfio_iommu_type1 mdev; do
		if ! modinfo "$m" >/dev/null 2>&1; then
			ktap_print_header
			ktap_skip_all "no $m in this kernel (CONFIG_VFIO, CONFIG_VFIO_MDEV)"
			exit "$KSFT_SKIP"
		fi
		if ! iovsim_load "$m"; then
			ktap_print_header
			ktap_exit_fail_msg "$m is in this kernel but does not load"
		fi
	done
	if ! iovsim_load iovsim_mdev; then
		ktap_print_header
		ktap_exit_fail_msg "cannot load iovsim_mdev"
	fi
}

# mdev_remove_all: remove every mdev there is.
mdev_remove_all() {
	local d
	for d in /sys/bus/mdev/devices/*; do
		[ -e "$d/remove" ] && echo 1 >"$d/remove"
	done
	return 0
}
