#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim virtio-blk through the kernel's own virtio_blk: a configfs disk
# shows its virtio capabilities to lspci, has the configured size and
# queues and the request limits it enforces, answers get-id, holds an ext4 file system whose files keep their
# checksums across a remount, and goes away when disabled.  This disk
# uses split virtqueues (packed=0); the other tests use packed ones.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
ktap_print_header
ktap_set_plan 8

mnt=$(mktemp -d)
cleanup() {
	umount "$mnt" 2>/dev/null
	rmdir "$mnt"
	virtio_disable virtio-blk b0
	iovsim_unload_all
}
trap cleanup EXIT

addr=$(virtio_enable virtio-blk b0 capacity=16M queues=2 packed=0)
virtio_wait_for virtio_disk "$addr" >/dev/null
disk=$(virtio_disk "$addr")
iovsim_check "function $addr bound to iovsim_virtio, disk ${disk:-none}" \
	test -n "$disk" -a -b "/dev/$disk" -a \
	"$(basename "$(readlink "$PCIDEVS/$addr/driver")")" = iovsim_virtio

# lspci_has ADDR PATTERN...: lspci -vvv of ADDR shows every PATTERN.
lspci_has() {
	local caps c
	caps=$(lspci -vvv -s "$1")
	shift
	for c in "$@"; do
		grep -q "$c" <<<"$caps" || return 1
	done
}
iovsim_check "lspci: 1af4:1042 with CommonCfg, Notify, ISR, DeviceCfg, MSI-X" \
	eval 'lspci -n -s "$addr" | grep -q "1af4:1042" &&
		lspci_has "$addr" CommonCfg Notify ISR DeviceCfg \
			"MSI-X: Enable+ Count=3"'

# Feature bit 34 (RING_PACKED) of the negotiated features is 0.
iovsim_check "capacity 16M, 2 queues, split virtqueues" \
	test "$(cat "/sys/block/$disk/size")" = 32768 -a \
	"$(ls "/sys/block/$disk/mq" | wc -l)" = 2 -a \
	"$(cut -c35 "$PCIDEVS/$addr"/virtio*/features)" = 0

# The request limits the device enforces, as the driver took them:
# size_max 64 KiB per segment, seg_max 254 segments.
q=/sys/block/$disk/queue
iovsim_check "size_max and seg_max negotiated: max_segment_size $(cat "$q/max_segment_size"), max_segments $(cat "$q/max_segments")" \
	test "$(cat "$q/max_segment_size")" = 65536 -a \
	"$(cat "$q/max_segments")" = 254

iovsim_check "get-id: serial iovsim-blk*" \
	eval 'grep -q "^iovsim-blk[0-9]" "/sys/block/$disk/serial"'

src=$(mktemp -d)
for f in a b c; do
	head -c $((RANDOM * 16 + 4096)) /dev/urandom >"$src/$f"
done
(cd "$src" && sha256sum a b c) >"$src/SUMS"
iovsim_check "mkfs.ext4 and mount" \
	eval 'mkfs.ext4 -q -F "/dev/$disk" && mount "/dev/$disk" "$mnt"'
cp "$src"/a "$src"/b "$src"/c "$mnt"/
sync
umount "$mnt"
echo 3 >/proc/sys/vm/drop_caches
mount "/dev/$disk" "$mnt"
iovsim_check "files keep their checksums across a remount" \
	eval '(cd "$mnt" && sha256sum -c --quiet "$src/SUMS")'
umount "$mnt"
rm -rf "$src"

virtio_disable virtio-blk b0
iovsim_check "disable removes the function and the disk" \
	test ! -e "$PCIDEVS/$addr" -a ! -e "/sys/block/$disk"

ktap_finished
