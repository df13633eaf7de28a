#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # a0, a1, if0, if1 are set by virtio_net_pair
#
# iovsim virtio-net never stalls TX: a NIC whose peer cannot take a frame
# drops it, completes the transmit buffer and counts the drop.  Two ports
# cabled back to back; the peer's netdev is taken down (its receive ring
# is left to run empty), then its driver is unbound.  Each time a packet
# socket floods frames with MSG_DONTWAIT: every frame sent is completed,
# the drop counters account for every frame that was not received, and
# no TX watchdog fires.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
ktap_print_header
ktap_set_plan 9

cleanup() {
	virtio_disable virtio-net dr1
	virtio_disable virtio-net dr0
	iovsim_unload_all
}
trap cleanup EXIT

virtio_net_pair dr0 "port=dleft mac=52:54:00:bb:00:01" \
	dr1 "port=dright pair=dleft mac=52:54:00:bb:00:02"
# the peer posted its receive buffers when it came up; down, it leaves
# them there and takes no more
ip link set "$if1" down

s() { virtio_net_stat "$@"; }
tx_packets() { cat "/sys/class/net/$if0/statistics/tx_packets"; }

# flood: 1000 frames of 60-1514 bytes with MSG_DONTWAIT, then wait for
# the device; sets sent, and the deltas of the counters it reads.
flood() {
	local t0 d0 r0 n0 k0 out
	t0=$(s dleft tx_frames)
	d0=$(s dleft tx_dropped)
	r0=$(s dright rx_frames)
	n0=$(s dright rx_dropped_nobuf)
	k0=$(tx_packets)
	out=$(virtio_frames send "$if0" 52:54:00:bb:00:02 1000 \
		60,1514,300,1000 dontwait)
	sent=$(awk '{ print $2 }' <<<"$out")
	virtio_net_settle dleft
	tx=$(($(s dleft tx_frames) - t0))
	dropped=$(($(s dleft tx_dropped) - d0))
	rx=$(($(s dright rx_frames) - r0))
	nobuf=$(($(s dright rx_dropped_nobuf) - n0))
	pkts=$(($(tx_packets) - k0))
	echo "# $out; tx_frames +$tx tx_dropped +$dropped peer rx_frames +$rx rx_dropped_nobuf +$nobuf; $if0 tx_packets +$pkts"
}

dmesg_mark
# Flood until more frames were sent than the peer has buffers posted
# (at most 256): each flood must be completed and accounted for.
total=0 trx=0 tdrop=0 floods=0 okall=1
while [ "$floods" -lt 6 ] && [ "$total" -le 300 ]; do
	flood
	floods=$((floods + 1))
	total=$((total + sent))
	trx=$((trx + rx))
	tdrop=$((tdrop + dropped))
	[ "${sent:-0}" -gt 0 ] && [ "$tx" -eq "$sent" ] &&
		[ "$pkts" -eq "$sent" ] && [ $((rx + dropped)) -eq "$sent" ] &&
		[ "$dropped" -eq "$nobuf" ] || okall=
done
iovsim_check "peer down: $floods floods, each completed (tx_frames, tx_packets) and received + dropped = sent" \
	test -n "$okall"
iovsim_check "peer down: its ring ran empty after $trx frames, $tdrop drops counted (rx_dropped_nobuf)" \
	test "$total" -gt 300 -a "$trx" -le 256 -a "$tdrop" -gt 0
flood
iovsim_check "peer down, ring empty: all $sent frames completed and dropped" \
	test "${sent:-0}" -gt 0 -a "$tx" -eq "$sent" -a "$dropped" -eq "$sent" \
	-a "$nobuf" -eq "$sent" -a "$pkts" -eq "$sent"

echo "$a1" >/sys/bus/pci/drivers/iovsim_virtio/unbind
flood
iovsim_check "peer unbound: all $sent frames completed and dropped" \
	test "${sent:-0}" -gt 0 -a "$tx" -eq "$sent" -a "$pkts" -eq "$sent" \
	-a "$dropped" -eq "$sent"

# virtio_net's TX watchdog fires after 5 s of a stopped queue
sleep 6
iovsim_check "no TX watchdog" \
	eval '! dmesg_since | grep -q "NETDEV WATCHDOG\|transmit queue .* timed out"'
timeouts=$(ethtool -S "$if0" 2>/dev/null | awk '/tx_timeouts:/ { n += $2 } END { print n + 0 }')
iovsim_check "tx_timeouts of $if0 is 0 ($timeouts)" test "$timeouts" -eq 0

echo "$a1" >/sys/bus/pci/drivers/iovsim_virtio/bind
virtio_wait_for virtio_netdev "$a1" >/dev/null
if1=$(virtio_netdev "$a1")
virtio_quiet_link "$if1"
virtio_frames recv "$if1" 200 3000 >/tmp/vnd.$$ &
rxpid=$!
virtio_wait_for grep -q ready /tmp/vnd.$$
n0=$(s dright rx_dropped_nobuf)
timeout 30 "$IOVSIM_SELFTEST_DIR/virtio_frames" send "$if0" 52:54:00:bb:00:02 200 60,1514 >/dev/null
wait "$rxpid"
read -r _ good _ dup _ bad _ sockdrop _ <<<"$(tail -n 1 /tmp/vnd.$$)"
rm -f /tmp/vnd.$$
nobuf=$(($(s dright rx_dropped_nobuf) - n0))
echo "# rebound peer: good $good dup $dup bad $bad sockdrop $sockdrop nobuf $nobuf"
iovsim_check "peer rebound and up: frames flow again ($good of 200)" \
	test "$good" -gt 0 -a "$dup" -eq 0 -a "$bad" -eq 0 -a \
	$((good + nobuf + sockdrop)) -eq 200

iovsim_check "no counter moves without a frame: tx_frames = tx_dropped + peer rx_frames + peer rx drops" \
	test "$(s dleft tx_frames)" -eq $(($(s dleft tx_dropped) + $(s dright rx_frames)))

iovsim_check "disable is clean" \
	eval 'virtio_disable virtio-net dr1 && virtio_disable virtio-net dr0'

ktap_finished
