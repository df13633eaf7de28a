# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Demo section: a virtio-blk disk and a virtio-net pair, driven by the
# kernel's own virtio_blk and virtio_net through the iovsim transport.

modprobe configfs 2>/dev/null
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config
cfs=/sys/kernel/config/iovsim

say "iovsim_virtio models virtio 1.x PCI functions; the kernel's own virtio drivers use them."
modprobe virtio_blk
modprobe virtio_net
show iovsim_load iovsim_virtio || return 1
show ls "$cfs"

say "A 64 MiB RAM-backed virtio-blk disk with two request queues."
show mkdir "$cfs/virtio-blk/disk0"
show sh -c "echo 64M > $cfs/virtio-blk/disk0/capacity; echo 2 > $cfs/virtio-blk/disk0/queues; echo 1 > $cfs/virtio-blk/disk0/enable"
a=$(cat "$cfs/virtio-blk/disk0/address")
sleep 1
say "lspci decodes the virtio capabilities; the in-host transport (iovsim_virtio) is bound."
show lspci -vv -s "$a"
disk=$(basename "$(ls -d /sys/bus/pci/devices/"$a"/virtio*/block/*)")
show lsblk "/dev/$disk"

say "ext4 on it, a file in and out, the checksum kept."
mnt=$(mktemp -d)
show mkfs.ext4 -q "/dev/$disk"
show mount "/dev/$disk" "$mnt"
head -c 5000000 /dev/urandom >"$mnt/file"
show sha256sum "$mnt/file"
show umount "$mnt"
show mount "/dev/$disk" "$mnt"
show sha256sum "$mnt/file"
show umount "$mnt"
rmdir "$mnt"

say "Two virtio-net functions, their ports cabled back to back (pair)."
show mkdir "$cfs/virtio-net/left" "$cfs/virtio-net/right"
show sh -c "echo left > $cfs/virtio-net/left/port; echo right > $cfs/virtio-net/right/port; echo left > $cfs/virtio-net/right/pair"
show sh -c "echo 1 > $cfs/virtio-net/left/enable; echo 1 > $cfs/virtio-net/right/enable"
sleep 1
l=$(basename "$(ls -d /sys/bus/pci/devices/"$(cat "$cfs/virtio-net/left/address")"/virtio*/net/*)")
r=$(basename "$(ls -d /sys/bus/pci/devices/"$(cat "$cfs/virtio-net/right/address")"/virtio*/net/*)")
ip netns add demo-l
ip netns add demo-r
ip link set "$l" netns demo-l
ip link set "$r" netns demo-r
ip -n demo-l addr add 10.99.0.1/24 dev "$l"
ip -n demo-r addr add 10.99.0.2/24 dev "$r"
ip -n demo-l link set "$l" up
ip -n demo-r link set "$r" up
say "Each netdev in its own namespace: $l (10.99.0.1) and $r (10.99.0.2)."
show ip netns exec demo-l ping -c 3 10.99.0.2

say "Link down on port right: its driver sees the carrier go."
show sh -c "echo 0 > $cfs/virtio-net/right/link"
sleep 1
show ip -n demo-r link show "$r"
show sh -c "echo 1 > $cfs/virtio-net/right/link"

say "The whole tree: the iovsim domain beside QEMU's, a disk and two NICs in it."
show lspci -tv

say "Interrupts: one MSI-X vector per queue plus one for configuration changes."
show grep -E 'CPU|iovsim' /proc/interrupts

say "Clean up: the namespaces, then disable (hot-remove) and rmdir (the SR-IOV section uses iovsim_virtio next)."
ip netns del demo-l
ip netns del demo-r
for d in virtio-net/right virtio-net/left virtio-blk/disk0; do
	echo 0 >"$cfs/$d/enable"
	rmdir "$cfs/$d"
done
