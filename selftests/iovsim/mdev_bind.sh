#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_mdev's binding and mdev lifecycle, through sysfs and the tools
# users run (driverctl, mdevctl): a virtio-net function handed to
# iovsim_mdev becomes an mdev parent with one passthrough type; its mdev
# is created and removed through sysfs and through mdevctl, a second one
# is refused, unbinding removes it, and the function goes back to its
# model's driver in working order.  A function it cannot pass through (a
# model without a DMA context, a PCI device iovsim does not emulate) is
# refused with ENODEV and one log line.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"
. "$(dirname "$0")/mdev_lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

mdev_setup
ktap_print_header
ktap_set_plan 15

cleanup() {
	mdev_remove_all
	virtio_disable virtio-net m0
	iovsim_unload_all
}
trap cleanup EXIT

a=$(virtio_enable virtio-net m0 port=m0 mac=52:54:00:ab:10:01)
virtio_wait_for virtio_netdev "$a" >/dev/null
dev=$PCIDEVS/$a
types=$dev/mdev_supported_types
type=iovsim_mdev-passthrough

# 1: driverctl hands the function over; its netdev goes
driverctl --nosave set-override "$a" iovsim_mdev >/dev/null 2>&1
drv=$(basename "$(readlink "$dev/driver")")
iovsim_check "driverctl set-override $a iovsim_mdev: bound to $drv, no netdev ($(virtio_netdev "$a" || echo none))" \
	eval '[ "$drv" = iovsim_mdev ] && ! virtio_netdev "$a" >/dev/null'

# 2-3: one type, as mdevctl types lists it
iovsim_check "type $type: available_instances $(cat "$types/$type/available_instances" 2>/dev/null), device_api $(cat "$types/$type/device_api" 2>/dev/null), name '$(cat "$types/$type/name" 2>/dev/null)'" \
	test "$(ls "$types")" = "$type" -a \
	"$(cat "$types/$type/available_instances")" = 1 -a \
	"$(cat "$types/$type/device_api")" = vfio-pci -a \
	"$(cat "$types/$type/name")" = "iovsim passthrough 1af4:1041"
iovsim_check "mdevctl types lists it with its description ($(cat "$types/$type/description"))" \
	eval 'mdevctl types -p "$a" | grep -q "$type" && grep -q "whole function $a" "$types/$type/description"'

# 4-6: create through sysfs: a VFIO group appears; a second is refused
u1=8d2a3ab5-1c6e-4d3b-9a8e-0f1e2d3c4b5a
u2=8d2a3ab5-1c6e-4d3b-9a8e-0f1e2d3c4b5b
got=$(write_errno "$types/$type/create" $u1)
grp=$(basename "$(readlink /sys/bus/mdev/devices/$u1/iommu_group 2>/dev/null)")
iovsim_check "create $u1 through sysfs: $got, VFIO group /dev/vfio/$grp, bound to $(basename "$(readlink /sys/bus/mdev/devices/$u1/driver)")" \
	test "$got" = OK -a -c "/dev/vfio/$grp" -a \
	"$(basename "$(readlink /sys/bus/mdev/devices/$u1/driver)")" = iovsim_mdev
iovsim_check "available_instances now $(cat "$types/$type/available_instances")" \
	test "$(cat "$types/$type/available_instances")" = 0
got=$(write_errno "$types/$type/create" $u2)
iovsim_check "a second mdev on the function: $got (want EUSERS), not created" \
	test "$got" = EUSERS -a ! -e /sys/bus/mdev/devices/$u2

# 7: remove through sysfs
echo 1 >/sys/bus/mdev/devices/$u1/remove
iovsim_check "remove: $u1 gone, available_instances $(cat "$types/$type/available_instances")" \
	test ! -e /sys/bus/mdev/devices/$u1 -a \
	"$(cat "$types/$type/available_instances")" = 1

# 8-9: mdevctl start and stop
mdevctl start -u $u2 -p "$a" --type $type >/dev/null 2>&1
iovsim_check "mdevctl start: $u2 exists, mdevctl list shows it" \
	eval '[ -e /sys/bus/mdev/devices/$u2 ] && mdevctl list | grep -q "$u2 $a $type"'
mdevctl stop -u $u2 >/dev/null 2>&1
iovsim_check "mdevctl stop: $u2 gone" test ! -e /sys/bus/mdev/devices/$u2

# 10: unbinding the function removes its mdev
echo $u1 >"$types/$type/create"
echo "$a" >/sys/bus/pci/drivers/iovsim_mdev/unbind
iovsim_check "unbind with an mdev: the mdev is removed, the function unbound" \
	test ! -e /sys/bus/mdev/devices/$u1 -a ! -e "$dev/driver"

# 11-12: back to the model's driver, in working order.  By name: with no
# driver_override at all the PCI core would match by ID, and virtio_pci
# (which would map the unbacked BARs) could take it (pcihost.rst).
driverctl --nosave set-override "$a" iovsim_virtio >/dev/null 2>&1
virtio_wait_for virtio_netdev "$a" >/dev/null
n=$(virtio_netdev "$a")
iovsim_check "driverctl set-override $a iovsim_virtio: bound to $(basename "$(readlink "$dev/driver")"), netdev ${n:-none}" \
	test "$(basename "$(readlink "$dev/driver")")" = iovsim_virtio -a -n "$n"
virtio_quiet_link "${n:-none}"
iovsim_check "its link comes up ($(cat "/sys/class/net/${n:-none}/operstate" 2>/dev/null))" \
	virtio_wait_for grep -q up "/sys/class/net/${n:-none}/operstate"

# 13: rmmod with a function bound and an mdev on it
driverctl --nosave set-override "$a" iovsim_mdev >/dev/null 2>&1
echo $u1 >"$types/$type/create"
r=OK
rmmod iovsim_mdev || r=failed
iovsim_check "rmmod iovsim_mdev with an mdev: $r, the mdev and the binding gone" \
	test "$r" = OK -a ! -e /sys/bus/mdev/devices/$u1 -a ! -e "$dev/driver"
driverctl --nosave set-override "$a" iovsim_virtio >/dev/null 2>&1

# mdev_refused ADDR LOG LABEL: binding ADDR to iovsim_mdev fails with
# ENODEV and logs exactly LOG (one line); no mdev parent appears, and ADDR
# gets its driver_override (and, if it had one, its driver) back.
mdev_refused() {
	local addr=$1 log=$2 label=$3 d=$PCIDEVS/$1 old drv got lines said
	old=$(<"$d/driver_override")
	drv=$(pcihost_driver "$addr")
	[ -n "$drv" ] && echo "$addr" >"/sys/bus/pci/drivers/$drv/unbind"
	echo iovsim_mdev >"$d/driver_override"
	dmesg_mark
	got=$(write_errno /sys/bus/pci/drivers/iovsim_mdev/bind "$addr")
	lines=$(dmesg_since | grep -c .)
	said=$(dmesg_since | grep -c "$log")
	iovsim_check "$label: bind $got (want ENODEV), $lines log line: $(dmesg_since | head -n 1)" \
		test "$got" = ENODEV -a "$lines" -eq 1 -a "$said" -eq 1 -a \
		! -e "$d/driver" -a ! -e "$d/mdev_supported_types"
	echo "${old/(null)/}" >"$d/driver_override"
	[ -n "$drv" ] && echo "$addr" >"/sys/bus/pci/drivers/$drv/bind"
	return 0
}

# 14: the test function's model has no DMA context to hand over
iovsim_load iovsim_mdev
iovsim_load iovsim_pcitest nr_fns=1
t=
for f in $(pcihost_fns); do
	[ "$(pcihost_driver "$f")" = iovsim_pcitest ] && t=$f
done
mdev_refused "${t:-none}" "iovsim_mdev ${t:-none}: its model cannot be passed through" \
	"iovsim_pcitest function ${t:-none}"

# 15: a PCI device of the VM itself, which iovsim does not emulate
h=
for f in "$PCIDEVS"/0000:*; do
	[ -e "$f/driver" ] || { h=$(basename "$f"); break; }
done
mdev_refused "${h:-none}" "iovsim_mdev ${h:-none}: not an iovsim function" \
	"the VM's own ${h:-none} ($(cat "$PCIDEVS/${h:-none}/class" 2>/dev/null))"

ktap_finished
