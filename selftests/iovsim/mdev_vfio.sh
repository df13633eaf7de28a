#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# A virtio-net function passed through with iovsim_mdev, driven from user
# space through VFIO by mdev_vfio (kselftest harness, its own KTAP): the
# function, cabled to an in-host one, is handed to iovsim_mdev, an mdev is
# created on it, and mdev_vfio checks the VFIO device and DMA through it,
# and what hostile user space can do to it (see mdev_vfio.c).  Afterwards the
# mdev and the binding go, and the function works with its own driver.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"
. "$(dirname "$0")/mdev_lib.sh"

iovsim_require_prog mdev_vfio
mdev_setup

uuid=0b5e2c3d-7f60-4a1b-8c9d-1e2f3a4b5c6d
type=iovsim_mdev-passthrough
cleanup() {
	mdev_remove_all
	virtio_disable virtio-net v1
	virtio_disable virtio-net v0
	iovsim_unload_all
}
trap cleanup EXIT

fail() {
	ktap_print_header
	ktap_exit_fail_msg "$1"
}

a=$(virtio_enable virtio-net v0 port=v0 mac=52:54:00:ab:20:01) ||
	fail "cannot create a virtio-net function"
b=$(virtio_enable virtio-net v1 port=v1 pair=v0 mac=02:00:00:00:20:02) ||
	fail "cannot create its in-host peer"
virtio_wait_for virtio_netdev "$b" >/dev/null || fail "no netdev for $b"
peer=$(virtio_netdev "$b")
virtio_quiet_link "$peer"
echo iovsim_mdev >"$PCIDEVS/$a/driver_override"
[ -e "$PCIDEVS/$a/driver" ] && echo "$a" >"$PCIDEVS/$a/driver/unbind"
echo "$a" >/sys/bus/pci/drivers_probe
echo $uuid >"$PCIDEVS/$a/mdev_supported_types/$type/create" ||
	fail "cannot create an mdev on $a"

# open_io_close_cycles: 200 cycles in make test (about a minute under
# TCG, most of it the PCI core's 100 ms wait after each of the two FLRs a
# cycle makes; IOVSIM_MDEV_CYCLES=1000 for the issue's thousand), 50 on a
# kmemleak kernel, where KASAN makes each several times slower.
cycles=200
[ -e /sys/kernel/debug/kmemleak ] && cycles=50

IOVSIM_MDEV_CYCLES=${IOVSIM_MDEV_CYCLES:-$cycles} \
	IOVSIM_MDEV_UUID=$uuid IOVSIM_MDEV_PCI=$a \
	IOVSIM_MDEV_LINK=$CFS/virtio-net/v0/link IOVSIM_MDEV_PEER=$peer \
	"$IOVSIM_SELFTEST_DIR/mdev_vfio"
rc=$?

# Closed: the function is left without memory decoding, as before.
cmd=$(setpci -s "$a" COMMAND)
# mdev_vfio's last test removed the mdev; remove it if it did not get there
[ -e /sys/bus/mdev/devices/$uuid ] && echo 1 >/sys/bus/mdev/devices/$uuid/remove
echo "$a" >/sys/bus/pci/drivers/iovsim_mdev/unbind
echo iovsim_virtio >"$PCIDEVS/$a/driver_override"
echo "$a" >/sys/bus/pci/drivers_probe
if [ "$cmd" != 0000 ] || ! virtio_wait_for virtio_netdev "$a" >/dev/null; then
	echo "# after close: Command $cmd (want 0000), netdev $(virtio_netdev "$a" || echo none)"
	rc=$KSFT_FAIL
fi
exit "$rc"
