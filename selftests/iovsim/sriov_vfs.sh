#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# SR-IOV through the kernel's PCI core: writing sriov_numvfs of an
# iovsim_sriov physical function makes the PCI core enumerate that many
# VFs, where the PF's SR-IOV capability routes them, with the
# configuration space the PCIe specification gives VFs, their BARs carved
# from the PF's VF BARs, and the stock virtio_net driving each one. VFs
# answer only while VF Enable is set; the capability's read-only and
# locked fields stay as they are; bad sriov_numvfs writes change nothing;
# unbinding the PF or unloading the module takes the VFs away.
# (sriov_max_vfs.sh enables 256.)

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

SRIOV_CTRL=0x08
SRIOV_NUM_VF=0x10
SRIOV_SYS_PGSIZE=0x20
SRIOV_BAR0=0x24

sriov_setup pfs=2 total_vfs=8

ktap_print_header
ktap_set_plan 22

mapfile -t pfs < <(sriov_pfs)
pf=${pfs[0]:-none}
pf1=${pfs[1]:-none}
pfdev=$PCIDEVS/$pf

# 1
drivers=$(for p in "${pfs[@]}"; do basename "$(readlink "$PCIDEVS/$p/driver")"; done | sort -u)
iovsim_check "two PFs, bound to iovsim_sriov, TotalVFs 8 (${#pfs[@]}, $drivers, $(cat "$pfdev/sriov_totalvfs" 2>/dev/null))" \
	test "${#pfs[@]}" = 2 -a "$drivers" = iovsim_sriov -a \
	"$(cat "$pfdev/sriov_totalvfs" 2>/dev/null)" = 8

# 2: VF n of the PF at devfn d is at bus d + 1, devfn n
slot=${pf##*:}; slot=${slot%.*}; fn=${pf##*.}
devfn=$(((0x$slot << 3) | fn))
want_off=$((((devfn + 1) << 8) - devfn))
iovsim_check "VF Offset $want_off, Stride 1, VF Device ID 1041 ($(cat "$pfdev/sriov_offset") $(cat "$pfdev/sriov_stride") $(cat "$pfdev/sriov_vf_device"))" \
	test "$(cat "$pfdev/sriov_offset")" = "$want_off" -a \
	"$(cat "$pfdev/sriov_stride")" = 1 -a \
	"$(cat "$pfdev/sriov_vf_device")" = 1041

# 3
dmesg_mark
echo 4 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
dom=${pf%%:*}
want=$(printf "$dom:%02x:00.%d " $((devfn + 1)) 0 $((devfn + 1)) 1 $((devfn + 1)) 2 $((devfn + 1)) 3)
iovsim_check "4 VFs at bus $(printf %02x $((devfn + 1))) devfn 0-3 (${vfs[*]})" \
	test "${vfs[*]} " = "$want" -a "$(cat "$pfdev/sriov_numvfs")" = 4

# 4
ok=1
for v in "${vfs[@]}"; do
	[ "$(cat "$PCIDEVS/$v/vendor"):$(cat "$PCIDEVS/$v/device")" = 0x1b36:0x1041 ] || ok=0
	[ "$(basename "$(readlink "$PCIDEVS/$v/physfn")")" = "$pf" ] || ok=0
done
iovsim_check "each VF is 1b36:1041 with a physfn link to its PF" test "$ok" = 1

# 5: PCIe 9.3.4: Vendor and Device ID read 0xffff, the BARs read 0
v0=${vfs[0]:-none}
ids=$(setpci -s "$v0" 0.l)
bar=$(setpci -s "$v0" BASE_ADDRESS_0.l)
class=$(setpci -s "$v0" CLASS_DEVICE.w)
iovsim_check "VF config space: IDs $ids, BAR0 $bar, class $class" \
	test "$ids" = ffffffff -a "$bar" = 00000000 -a "$class" = 0200

# 6: VF n's BAR 0 is slice n of the PF's VF BAR 0 (resource 7)
pfbar=$(sed -n 8p "$pfdev/resource" | cut -d ' ' -f 1)
ok=1
for i in "${!vfs[@]}"; do
	got=$(sed -n 1p "$PCIDEVS/${vfs[$i]}/resource" | cut -d ' ' -f 1)
	[ $((got)) = $((pfbar + i * 0x4000)) ] || ok=0
done
iovsim_check "VF BAR 0s are consecutive 16 KiB slices of the PF's VF BAR 0 ($pfbar)" \
	test "$ok" = 1 -a $((pfbar)) != 0

# 7: virtio_net drives each VF; VF n's MAC is the PF's + n + 1
virtio_macs() {
	local v n
	for v in "${vfs[@]}"; do
		n=$(sriov_vf_netdev "$v")
		[ -n "$n" ] || return 1
		cat "/sys/class/net/$n/address"
	done
}
wait_netdevs() {
	local i
	for ((i = 0; i < 100; i++)); do
		[ "$(virtio_macs | wc -l)" = "${#vfs[@]}" ] && return 0
		sleep 0.1
	done
	return 1
}
wait_netdevs
mapfile -t macs < <(virtio_macs)
ok=1
for i in "${!vfs[@]}"; do
	[ "$(basename "$(readlink "$PCIDEVS/${vfs[$i]}/driver")")" = iovsim_virtio ] || ok=0
	m=${macs[$i]:-00:00:00:00:00:00}
	[ $((0x${m//:/} - 0x${macs[0]//:/})) = "$i" ] || ok=0
done
iovsim_check "every VF has a virtio_net netdev, MACs consecutive (${macs[*]})" \
	test "$ok" = 1 -a "${#macs[@]}" = 4

# 8: every VF has a function-level reset (PCIe 9.3.7.2).  The PCI core
# saves and restores its state around it; the transport replaces the
# virtio device (a new virtio_net netdev), which keeps the VF's MAC.
v0=${vfs[0]:-none}
methods=$(cat "$PCIDEVS/$v0/reset_method" 2>/dev/null)
pfnet=$(basename "$(echo "$pfdev"/net/*)")
ip link set "$pfnet" vf 0 mac 02:00:00:00:0f:01
n0=$(sriov_vf_netdev "$v0")
i0=$(cat "/sys/class/net/${n0:-none}/ifindex" 2>/dev/null)
got=$(write_errno "$PCIDEVS/$v0/reset" 1)
for ((i = 0; i < 50; i++)); do
	n=$(sriov_vf_netdev "$v0")
	[ -n "$n" ] && break
	sleep 0.1
done
i=$(cat "/sys/class/net/${n:-none}/ifindex" 2>/dev/null)
mac=$(cat "/sys/class/net/${n:-none}/address" 2>/dev/null)
iovsim_check "VF reset ($methods): $got, $n0 (index $i0) replaced by ${n:-nothing} (index ${i:-none}), MAC $mac (want the one the PF set, 02:00:00:00:0f:01), Bus Master $(setpci -s "$v0" COMMAND.w)" \
	test "${methods%% *}" = flr -a "$got" = OK -a -n "$n" -a \
	"${i:-$i0}" != "$i0" -a "$mac" = 02:00:00:00:0f:01 -a \
	$((0x$(setpci -s "$v0" COMMAND.w) & 4)) = 4

# 9: NumVFs is locked while VF Enable is set
sriov_set_reg "$pf" $SRIOV_NUM_VF w 2
iovsim_check "raw NumVFs write while VF Enable is set is ignored ($(sriov_reg "$pf" $SRIOV_NUM_VF w))" \
	test "$(sriov_reg "$pf" $SRIOV_NUM_VF w)" = 0004

# 10-12: bad sriov_numvfs writes change nothing
got=$(write_errno "$pfdev/sriov_numvfs" 9)
iovsim_check "sriov_numvfs <- 9 (above TotalVFs): $got, still 4 VFs" \
	test "$got" = ERANGE -a "$(sriov_vfs "$pf" | wc -l)" = 4
got=$(write_errno "$pfdev/sriov_numvfs" four)
iovsim_check "sriov_numvfs <- 'four': $got, still 4 VFs" \
	test "$got" = EINVAL -a "$(sriov_vfs "$pf" | wc -l)" = 4
iovsim_expect_write_error "$pfdev/sriov_numvfs" 2 EBUSY \
	"sriov_numvfs with 4 VFs enabled"

# 13
echo 0 >"$pfdev/sriov_numvfs"
left=$(ls -d "$PCIDEVS/$dom:$(printf %02x $((devfn + 1)))":* 2>/dev/null | wc -l)
iovsim_check "sriov_numvfs <- 0: no virtfn link, $left functions on the VF bus, NumVFs $(sriov_reg "$pf" $SRIOV_NUM_VF w)" \
	test "$(sriov_vfs "$pf" | wc -l)" = 0 -a "$left" = 0 -a \
	"$(sriov_reg "$pf" $SRIOV_NUM_VF w)" = 0000

# 14: the other PF's VFs are its own
echo 8 >"$PCIDEVS/$pf1/sriov_numvfs"
mapfile -t vfs1 < <(sriov_vfs "$pf1")
bus1=$(printf %02x $(((0x$(echo "$pf1" | cut -d: -f3 | cut -d. -f1) << 3) + 1)))
ok=1
for v in "${vfs1[@]}"; do
	[ "$(echo "$v" | cut -d: -f2)" = "$bus1" ] || ok=0
done
echo 0 >"$PCIDEVS/$pf1/sriov_numvfs"
iovsim_check "the second PF enables all its 8 VFs on bus $bus1 (${#vfs1[@]})" \
	test "$ok" = 1 -a "${#vfs1[@]}" = 8

# 15: with sriov_drivers_autoprobe 0 the VFs stay unbound
echo 0 >"$pfdev/sriov_drivers_autoprobe"
echo 2 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
v0=${vfs[0]:-none}
iovsim_check "autoprobe 0: 2 VFs, unbound (driver_override $(cat "$PCIDEVS/$v0/driver_override" 2>/dev/null))" \
	test "${#vfs[@]}" = 2 -a ! -e "$PCIDEVS/$v0/driver" -a ! -e "$PCIDEVS/${vfs[1]:-none}/driver"

# 16: a VF answers only while VF Enable is set (VFs are not bound here),
# and clearing VF Enable resets it (the reset ends before it answers)
wait_class() {
	local i
	for ((i = 0; i < 50; i++)); do
		[ "$(setpci -s "$1" CLASS_DEVICE.w)" = 0200 ] && return 0
		sleep 0.1
	done
	return 1
}
ctrl=$(sriov_reg "$pf" $SRIOV_CTRL w)
setpci -s "$v0" COMMAND.w=0004
before=$(setpci -s "$v0" COMMAND.w)
sriov_set_reg "$pf" $SRIOV_CTRL w 0
off=$(setpci -s "$v0" CLASS_DEVICE.w)
sriov_set_reg "$pf" $SRIOV_CTRL w "$ctrl"
wait_class "$v0"
on=$(setpci -s "$v0" CLASS_DEVICE.w)
after=$(setpci -s "$v0" COMMAND.w)
iovsim_check "VF class with VF Enable clear $off, set again $on; its command $before before, $after after (control $ctrl)" \
	test "$off" = ffff -a "$on" = 0200 -a $((0x$ctrl & 9)) = 9 -a \
	"$before" = 0004 -a "$after" = 0000

# 17: and only while its number is below NumVFs
v1=${vfs[1]:-none}
sriov_set_reg "$pf" $SRIOV_CTRL w 0
sriov_set_reg "$pf" $SRIOV_NUM_VF w 1
sriov_set_reg "$pf" $SRIOV_CTRL w "$ctrl"
wait_class "$v0"
one=$(setpci -s "$v1" CLASS_DEVICE.w)
sriov_set_reg "$pf" $SRIOV_CTRL w 0
sriov_set_reg "$pf" $SRIOV_NUM_VF w 2
sriov_set_reg "$pf" $SRIOV_CTRL w "$ctrl"
wait_class "$v1"
two=$(setpci -s "$v1" CLASS_DEVICE.w)
iovsim_check "VF 1 class with NumVFs 1: $one, with NumVFs 2: $two" \
	test "$one" = ffff -a "$two" = 0200

# 18: as the PCI core wants it for a VF with autoprobe 0: driver_override
echo iovsim_virtio >"$PCIDEVS/$v0/driver_override"
echo "$v0" >/sys/bus/pci/drivers_probe
vfs=("$v0")
iovsim_check "binding it by hand (driver_override, drivers_probe) gives it a netdev" \
	wait_netdevs
echo 0 >"$pfdev/sriov_numvfs"
echo 1 >"$pfdev/sriov_drivers_autoprobe"

# 19-20: System Page Size: one supported size, and VF BARs follow it
sriov_set_reg "$pf" $SRIOV_SYS_PGSIZE l 3
got=$(sriov_reg "$pf" $SRIOV_SYS_PGSIZE l)
iovsim_check "System Page Size <- 3 (two sizes) keeps $got" \
	test "$got" = 00000001
bar=$(sriov_reg "$pf" $SRIOV_BAR0 l)
sriov_set_reg "$pf" $SRIOV_BAR0 l ffffffff
size4k=$(sriov_reg "$pf" $SRIOV_BAR0 l)
sriov_set_reg "$pf" $SRIOV_SYS_PGSIZE l 10
pgsz=$(sriov_reg "$pf" $SRIOV_SYS_PGSIZE l)
sriov_set_reg "$pf" $SRIOV_BAR0 l ffffffff
size64k=$(sriov_reg "$pf" $SRIOV_BAR0 l)
sriov_set_reg "$pf" $SRIOV_SYS_PGSIZE l 1
sriov_set_reg "$pf" $SRIOV_BAR0 l "$bar"
iovsim_check "VF BAR 0 sizes to 16 KiB with 4 KiB pages ($size4k), 64 KiB with 64 KiB pages ($pgsz: $size64k)" \
	test "$size4k" = ffffc004 -a "$size64k" = ffff0004 -a \
	"$(sriov_reg "$pf" $SRIOV_BAR0 l)" = "$bar"

# 21: unbinding the PF driver takes the VFs away
echo 3 >"$pfdev/sriov_numvfs"
echo "$pf" >/sys/bus/pci/drivers/iovsim_sriov/unbind
n=$(sriov_vfs "$pf" | wc -l)
echo "$pf" >/sys/bus/pci/drivers/iovsim_sriov/bind
iovsim_check "PF unbound with 3 VFs: $n VFs left, VF Enable $(sriov_reg "$pf" $SRIOV_CTRL w)" \
	test "$n" = 0 -a "$(cat "$pfdev/sriov_numvfs")" = 0 -a \
	$((0x$(sriov_reg "$pf" $SRIOV_CTRL w) & 1)) = 0

# 22: unloading the module with VFs enabled
echo 2 >"$pfdev/sriov_numvfs"
echo 2 >"$PCIDEVS/$pf1/sriov_numvfs"
iovsim_unload iovsim_sriov
iovsim_check "rmmod with VFs enabled: no iovsim_sriov PF or VF left" \
	test -z "$(sriov_pfs)" -a ! -e "$PCIDEVS/$v0"

ktap_finished
