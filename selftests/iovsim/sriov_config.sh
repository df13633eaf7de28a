#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Configuring iovsim_sriov: bad module parameters fail the load with
# ERANGE and one log line; the sriov-nic configfs model refuses bad
# total_vfs and mac values and any change while enabled, each with its
# errno and one log line, changing nothing; a PF made through configfs
# has the TotalVFs and MAC addresses it was given; disabling it with VFs
# enabled takes PF and VFs away, and it comes back with none.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

iovsim_require_root
modprobe configfs 2>/dev/null
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
modprobe virtio_net 2>/dev/null

ktap_print_header
ktap_set_plan 25

nic=$CFS/sriov-nic/cfgt
cleanup() {
	[ -d "$CFS/virtio-net/cfgu" ] && rmdir "$CFS/virtio-net/cfgu"
	[ -d "$nic" ] && { echo 0 >"$nic/enable"; rmdir "$nic"; }
	iovsim_unload_all
}
trap cleanup EXIT

iovsim_load iovsim_virtio || ktap_exit_fail_msg "cannot load iovsim_virtio"

# 1-4: bad_param PARAM=VALUE: the load fails with ERANGE and one log line
bad_param() {
	iovsim_expect_load_error iovsim_sriov "$@"
}
bad_param total_vfs=0
bad_param total_vfs=257
bad_param pfs=33
bad_param pfs=1 total_vfs=1000

# 5
iovsim_load iovsim_sriov pfs=0
iovsim_check "pfs=0 loads with no PF ($(sriov_pfs | wc -l))" \
	test -z "$(sriov_pfs)"

# 6-16: bad configfs values
bad() {
	iovsim_expect_write_error "$nic/$1" "$2" "$3" "sriov-nic/$1"
}
mkdir "$nic"
iovsim_check "a new sriov-nic has total_vfs 8 ($(cat "$nic/total_vfs"))" \
	test "$(cat "$nic/total_vfs")" = 8
bad total_vfs 0 ERANGE
bad total_vfs 257 ERANGE
bad total_vfs eight EINVAL
bad mac 01:00:5e:00:00:01 EINVAL
bad mac 00:00:00:00:00:00 EINVAL
bad mac 02:ff:ff:ff:ff:fa ERANGE
echo 02:ff:ff:ff:ff:f0 >"$nic/mac"
bad total_vfs 16 ERANGE
bad wire 0123456789abcdef EINVAL
bad wire "a b" EINVAL
bad wire "cable/1" EINVAL

# 17-18
echo 3 >"$nic/total_vfs"
echo 02:00:00:00:10:00 >"$nic/mac"
echo 1 >"$nic/enable"
addr=$(cat "$nic/address")
iovsim_check "enabled at '$addr': a PF with TotalVFs $(cat "$PCIDEVS/$addr/sriov_totalvfs" 2>/dev/null)" \
	test -n "$addr" -a "$(cat "$PCIDEVS/$addr/sriov_totalvfs" 2>/dev/null)" = 3
bad total_vfs 4 EBUSY

# 19: VF n's MAC is the PF's + n + 1
echo 3 >"$PCIDEVS/$addr/sriov_numvfs"
vf_macs() {
	local v n
	for v in $(sriov_vfs "$addr"); do
		n=$(sriov_vf_netdev "$v")
		[ -n "$n" ] && cat "/sys/class/net/$n/address"
	done
}
macs=
for ((i = 0; i < 100; i++)); do
	macs=$(vf_macs | tr '\n' ' ')
	[ "$macs" = "02:00:00:00:10:01 02:00:00:00:10:02 02:00:00:00:10:03 " ] &&
		break
	sleep 0.1
done
iovsim_check "its 3 VFs have MACs $macs" \
	test "$macs" = "02:00:00:00:10:01 02:00:00:00:10:02 02:00:00:00:10:03 "

# 20: a VF's port is never cabled, even to a port whose pair names it
# (the PF made here is the module's first: id 0, VF ports sr0vf<n>)
user=$CFS/virtio-net/cfgu
dmesg_mark
mkdir "$user"
echo cfgu >"$user/port"
echo sr0vf0 >"$user/pair"
echo 1 >"$user/enable"
uaddr=$(cat "$user/address")
cabled=$(dmesg_since | grep -c 'cabled')
echo 0 >"$user/enable"
rmdir "$user"
iovsim_check "virtio-net port cfgu with pair sr0vf0 at '$uaddr': $cabled 'cabled' log lines" \
	test -n "$uaddr" -a "$cabled" = 0

# 21-22: disabled with VFs enabled
mapfile -t vfs < <(sriov_vfs "$addr")
echo 0 >"$nic/enable"
left=0
for v in "$addr" "${vfs[@]}"; do
	[ -e "$PCIDEVS/$v" ] && left=$((left + 1))
done
iovsim_check "enable <- 0 with 3 VFs: $left of PF and VFs left, address '$(cat "$nic/address")'" \
	test "$left" = 0 -a "${#vfs[@]}" = 3 -a -z "$(cat "$nic/address")"
echo 1 >"$nic/enable"
addr=$(cat "$nic/address")
iovsim_check "enabled again: no VF ($(cat "$PCIDEVS/$addr/sriov_numvfs" 2>/dev/null))" \
	test "$(cat "$PCIDEVS/$addr/sriov_numvfs" 2>/dev/null)" = 0 -a \
	-z "$(sriov_vfs "$addr")"

# 23
echo 2 >"$PCIDEVS/$addr/sriov_numvfs"
iovsim_check "2 VFs again ($(sriov_vfs "$addr" | wc -l))" \
	test "$(sriov_vfs "$addr" | wc -l)" = 2

# 24-25: rmdir of the enabled PF with VFs enabled, then unload
rmdir "$nic"
iovsim_check "rmdir with 2 VFs enabled: no PF left ($(sriov_pfs | wc -l))" \
	test -z "$(sriov_pfs)"
iovsim_check "iovsim_sriov unloads" iovsim_unload iovsim_sriov

ktap_finished
