#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # a0, a1, if0, if1 are set by virtio_net_pair
#
# iovsim virtio-net control queue, with and without VIRTIO_NET_F_MQ.
# Without MQ the control queue is queue 2 whatever the number of pairs
# the device has (VIRTIO 1.2 5.1.2); with MQ it is 2 * max_virtqueue_pairs.
# Each time the driver's commands reach the device: a MAC address change
# (VIRTIO_NET_CTRL_MAC_ADDR_SET) is acknowledged and taken, and with MQ a
# queue pair change (ethtool -L) too.  Frames still cross the pair.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
ktap_print_header
ktap_set_plan 9

cleanup() {
	virtio_disable virtio-net cq1
	virtio_disable virtio-net cq0
	iovsim_unload_all
}
trap cleanup EXIT

# feature ADDR BIT: the negotiated feature bit BIT of the function at ADDR
feature() {
	cut -c$(($2 + 1)) "$PCIDEVS/$1"/virtio*/features
}

virtio_net_pair cq0 "port=cleft mac=52:54:00:cc:00:01 queues=3 mq=0" \
	cq1 "port=cright pair=cleft mac=52:54:00:cc:00:02 queues=2"

iovsim_check "port cleft: CTRL_VQ and CTRL_MAC_ADDR without MQ, one queue pair" \
	test "$(feature "$a0" 17)$(feature "$a0" 23)$(feature "$a0" 22)" = 110 \
	-a "$(find "/sys/class/net/$if0/queues" -name 'rx-*' | wc -l)" = 1
iovsim_check "port cright: CTRL_VQ, CTRL_MAC_ADDR and MQ, two queue pairs" \
	test "$(feature "$a1" 17)$(feature "$a1" 23)$(feature "$a1" 22)" = 111 \
	-a "$(find "/sys/class/net/$if1/queues" -name 'rx-*' | wc -l)" = 2

# the driver spins on the control queue until the device answers: never
# let a broken device hang the test
ok0=$(virtio_net_stat cleft ctrl_ok)
timeout 20 ip link set "$if0" address 52:54:00:cc:00:11
iovsim_check "no MQ: ip link set address goes through the control queue" \
	test "$(virtio_net_stat cleft mac)" = 52:54:00:cc:00:11 -a \
	"$(virtio_net_stat cleft ctrl_ok)" -gt "$ok0" -a \
	"$(virtio_net_stat cleft ctrl_err)" -eq 0

ok1=$(virtio_net_stat cright ctrl_ok)
iovsim_check "MQ: ip link set address goes through the control queue" \
	eval 'timeout 20 ip link set "$if1" address 52:54:00:cc:00:12 &&
		[ "$(virtio_net_stat cright mac)" = 52:54:00:cc:00:12 ]'
timeout 20 ethtool -L "$if1" combined 1 &&
	timeout 20 ethtool -L "$if1" combined 2
iovsim_check "MQ: ethtool -L combined 1 and 2 are acknowledged" \
	test "$(virtio_net_stat cright ctrl_ok)" -ge $((ok1 + 3)) -a \
	"$(virtio_net_stat cright ctrl_err)" -eq 0
iovsim_check "no MQ: ethtool -L combined 2 is refused by the driver" \
	eval '! timeout 20 ethtool -L "$if0" combined 2 2>/dev/null'

# frames DIR: 100 frames from one port to the other all arrive
frames() {
	local from=$1 to=$2 mac=$3 out
	virtio_frames recv "$to" 100 3000 >/tmp/vnc.$$ &
	virtio_wait_for grep -q ready /tmp/vnc.$$
	timeout 30 "$IOVSIM_SELFTEST_DIR/virtio_frames" send "$from" "$mac" 100 60,1514 >/dev/null
	wait $!
	out=$(tail -n 1 /tmp/vnc.$$)
	rm -f /tmp/vnc.$$
	echo "# $out"
	[ "$out" = "good 100 dup 0 bad 0 sockdrop 0 bcast 0 maxlen 1514 tagged 0 vid -1 tpid 0x0000 inner 0 ivid -1" ]
}
iovsim_check "frames cleft -> cright" frames "$if0" "$if1" 52:54:00:cc:00:12
iovsim_check "frames cright -> cleft" frames "$if1" "$if0" 52:54:00:cc:00:11

iovsim_check "disable is clean" \
	eval 'virtio_disable virtio-net cq1 && virtio_disable virtio-net cq0'

ktap_finished
