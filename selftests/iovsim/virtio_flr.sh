#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Function-level reset of a virtio-net function with traffic in flight
# (a ping flood to its peer).  Through the PCI core's reset with
# virtio_net bound, three times: the transport's reset_prepare unregisters
# the virtio device (virtio_net's remove, under the flood) and reset_done
# registers a new one, whose interface carries traffic again.  Through a
# raw setpci write of Initiate FLR, which the driver does not see: once
# the function answers again its device is reset (status 0, read through
# the PCI_CFG window), so the model stopped its queue workers; after
# Command and MSI-X Enable are put back, unbind and bind bring the port
# back.  No splat either way.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
ktap_print_header
ktap_set_plan 10

PCIDEVS=/sys/bus/pci/devices
DRV=/sys/bus/pci/drivers/iovsim_virtio
cleanup() {
	[ -n "${pingpid:-}" ] && kill "$pingpid" 2>/dev/null
	ip netns del vns0 2>/dev/null
	ip netns del vns1 2>/dev/null
	virtio_disable virtio-net f1
	virtio_disable virtio-net f0
	iovsim_unload_all
}
trap cleanup EXIT

a0=$(virtio_enable virtio-net f0 port=left mac=52:54:00:ab:00:01)
a1=$(virtio_enable virtio-net f1 port=right pair=left mac=52:54:00:ab:00:02)
virtio_wait_for virtio_netdev "$a0" >/dev/null
virtio_wait_for virtio_netdev "$a1" >/dev/null
if0=$(virtio_netdev "$a0")
virtio_netns vns0 "$if0" 10.78.0.1/24
virtio_netns vns1 "$(virtio_netdev "$a1")" 10.78.0.2/24
cap=$(virtio_pcicfg "$a0")
status() { virtio_raw_read "$a0" "$cap" 0x14 1; }
pings() { ip netns exec vns0 ping -q -c 1 -W 1 10.78.0.2 >/dev/null; }
flood() {
	ip netns exec vns0 ping -f -q -w 10 10.78.0.2 >/dev/null 2>&1 &
	pingpid=$!
	sleep 1
}
unflood() {
	kill "$pingpid" 2>/dev/null
	wait "$pingpid" 2>/dev/null
	pingpid=
}

iovsim_check "virtio-net function $a0 offers FLR ($(<"$PCIDEVS/$a0/reset_method"))" \
	grep -qw flr "$PCIDEVS/$a0/reset_method"

echo flr >"$PCIDEVS/$a0/reset_method"
for round in 1 2 3; do
	old=$(ip -n vns0 -o link show dev "$if0" | cut -d: -f1)
	f0=$(virtio_net_stat left tx_frames)
	flood
	virtio_wait_for eval '[ "$(virtio_net_stat left tx_frames)" -gt "$f0" ]'
	f1=$(virtio_net_stat left tx_frames)
	r=OK
	echo 1 >"$PCIDEVS/$a0/reset" || r=failed
	unflood
	gone=yes
	ip -n vns0 link show dev "$if0" >/dev/null 2>&1 && gone=no
	virtio_wait_for virtio_netdev "$a0" >/dev/null
	if0=$(virtio_netdev "$a0")
	new=$(cat "/sys/class/net/$if0/ifindex" 2>/dev/null)
	iovsim_check "PCI core FLR $round, virtio_net bound, flood in flight ($((f1 - f0)) frames sent before it): $r, status $(status) (want OK, 0f), interface $old gone from vns0: $gone, new interface $if0 index ${new:-none}" \
		test "$r" = OK -a "$(status)" = 0f -a "$gone" = yes -a \
		"${new:-$old}" != "$old" -a $((f1 - f0)) -gt 0
	ip netns del vns0
	virtio_netns vns0 "$if0" 10.78.0.1/24
	iovsim_check "ping across the pair after FLR $round, through the new interface $if0" \
		virtio_wait_for pings
done

# Initiate FLR behind the driver's back, from user space.
cmd=$(setpci -s "$a0" COMMAND)
msix=$(setpci -s "$a0" CAP_MSIX+2.w)
flood
setpci -s "$a0" CAP_EXP+8.w=8000
unflood
# The driver was not told: its transmit queue gets no completions, and
# the TX watchdog would fire (a splat) before a slow VM gets to unbind.
ip -n vns0 link set "$if0" down
for ((i = 0; i < 100; i++)); do
	[ "$(setpci -s "$a0" COMMAND)" != ffff ] && break
	sleep 0.1
done
nq=$(virtio_raw_read "$a0" "$cap" 0x12 2)
st=$(status)
iovsim_check "raw FLR, flood in flight: the function answers again (Command $(setpci -s "$a0" COMMAND), num_queues $nq), its device is reset (status $st, want 00)" \
	test "$(setpci -s "$a0" COMMAND)" != ffff -a "$nq" != 0000 -a \
	"$st" = 00

setpci -s "$a0" COMMAND="$cmd" CAP_MSIX+2.w="$msix"
echo "$a0" >"$DRV/unbind"
echo "$a0" >"$DRV/bind"
virtio_wait_for virtio_netdev "$a0" >/dev/null
ip netns del vns0
virtio_netns vns0 "$(virtio_netdev "$a0")" 10.78.0.1/24
iovsim_check "unbind and bind: status $(status), ping across the pair" \
	eval '[ "$(status)" = 0f ] && virtio_wait_for pings'

# Without Bus Master Enable the function neither transmits nor receives
# (its queue workers and its peer's deliveries leave the rings alone);
# with it back, the next notify and frames flow again.
cmd=$(setpci -s "$a0" COMMAND)
r0=$(virtio_net_stat left rx_frames)
setpci -s "$a0" COMMAND="$(printf %04x $((0x$cmd & ~4)))"
ip netns exec vns1 ping -q -c 5 -i 0.2 -W 1 10.78.0.1 >/dev/null 2>&1
r1=$(virtio_net_stat left rx_frames)
setpci -s "$a0" COMMAND="$cmd"
iovsim_check "Bus Master Enable clear: $((r1 - r0)) frames written into its receive queue (want 0); set again: ping across the pair" \
	eval '[ $((r1 - r0)) = 0 ] && virtio_wait_for pings'

ktap_finished
