#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# The most VFs a PF can have: TotalVFs 256, all enabled at once on one
# bus (VF n at devfn n, the last at 1f.7), each answering configuration
# cycles, and all gone again when sriov_numvfs goes back to 0. The VFs
# stay unbound (sriov_drivers_autoprobe 0): binding 256 virtio_net
# drivers is what sriov_vfs.sh does for 4, and it is slow on the debug
# kernel.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/sriov_lib.sh"

sriov_setup pfs=1 total_vfs=256

ktap_print_header
ktap_set_plan 3

pf=$(sriov_pfs)
pfdev=$PCIDEVS/$pf
iovsim_check "a PF with TotalVFs $(cat "$pfdev/sriov_totalvfs" 2>/dev/null)" \
	test "$(cat "$pfdev/sriov_totalvfs" 2>/dev/null)" = 256

echo 0 >"$pfdev/sriov_drivers_autoprobe"
echo 256 >"$pfdev/sriov_numvfs"
mapfile -t vfs < <(sriov_vfs "$pf")
iovsim_check "256 VFs: first ${vfs[0]:-none}, last ${vfs[255]:-none}" \
	test "${#vfs[@]}" = 256 -a "${vfs[255]##*:}" = 1f.7 -a \
	"$(setpci -s "${vfs[255]:-none}" CLASS_DEVICE.w)" = 0200
echo 0 >"$pfdev/sriov_numvfs"
iovsim_check "and all 256 gone again" test "$(sriov_vfs "$pf" | wc -l)" = 0

ktap_finished
