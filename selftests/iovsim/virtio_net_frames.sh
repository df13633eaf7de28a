#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
# shellcheck disable=SC2154 # a0, a1, if0, if1 are set by virtio_net_pair
#
# iovsim virtio-net frame by frame, below TCP (which would retransmit
# around a lost or corrupt frame): numbered frames with a payload
# checksum, of many lengths up to the receiver's MTU, unicast and
# broadcast, cross a cabled pair through packet sockets.  Each frame must
# arrive intact exactly once, or be counted dropped by the device.  The
# receiving port's MTU (1000 here, the sender's is 1500) is enforced:
# longer frames are dropped and counted, never delivered.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
ktap_print_header
ktap_set_plan 9

tmp=$(mktemp -d)
cleanup() {
	virtio_disable virtio-net fr1
	virtio_disable virtio-net fr0
	rm -rf "$tmp"
	iovsim_unload_all
}
trap cleanup EXIT

virtio_net_pair fr0 "port=fleft mac=52:54:00:dd:00:01" \
	fr1 "port=fright pair=fleft mac=52:54:00:dd:00:02 mtu=1000"
iovsim_check "MTUs: $if0 1500, $if1 1000" \
	test "$(cat "/sys/class/net/$if0/mtu")" = 1500 -a \
	"$(cat "/sys/class/net/$if1/mtu")" = 1000

s() { virtio_net_stat "$@"; }

# run FROM TO TOPORT DST COUNT SIZES [FIRST_MS]: send COUNT frames of
# SIZES from interface FROM to DST, receive them on TO (port TOPORT, its
# peer sends); FIRST_MS: how long to wait for a first frame; sets good dup
# bad sockdrop bcast maxlen and the receiving port's drop deltas nobuf,
# mtu, bufsize.
run() {
	local from=$1 to=$2 port=$3 dst=$4 count=$5 sizes=$6 n0 m0 b0 txport
	txport=fleft
	[ "$port" = fleft ] && txport=fright
	n0=$(s "$port" rx_dropped_nobuf)
	m0=$(s "$port" rx_dropped_mtu)
	b0=$(s "$port" rx_dropped_bufsize)
	virtio_frames recv "$to" "$count" 3000 ${7:-} >"$tmp/rx" &
	virtio_wait_for grep -q ready "$tmp/rx"
	timeout 60 "$IOVSIM_SELFTEST_DIR/virtio_frames" send "$from" "$dst" "$count" "$sizes" \
		>"$tmp/tx"
	wait $!
	virtio_net_settle "$txport"
	read -r _ good _ dup _ bad _ sockdrop _ bcast _ maxlen _ \
		<<<"$(tail -n 1 "$tmp/rx")"
	nobuf=$(($(s "$port" rx_dropped_nobuf) - n0))
	mtu=$(($(s "$port" rx_dropped_mtu) - m0))
	bufsize=$(($(s "$port" rx_dropped_bufsize) - b0))
	echo "# $(cat "$tmp/tx"); good $good dup $dup bad $bad sockdrop $sockdrop bcast $bcast maxlen $maxlen; port $port drops: nobuf $nobuf mtu $mtu bufsize $bufsize"
}

# accounted COUNT: every frame arrived intact once or was counted dropped
accounted() {
	[ "${good:-0}" -gt 0 ] && [ "$dup" -eq 0 ] && [ "$bad" -eq 0 ] &&
		[ "$mtu" -eq 0 ] && [ "$bufsize" -eq 0 ] &&
		[ $((good + nobuf + sockdrop)) -eq "$1" ]
}

sizes=34,60,61,64,127,128,255,256,511,512,999,1000,1013,1014
run "$if0" "$if1" fright 52:54:00:dd:00:02 600 "$sizes"
iovsim_check "unicast, 34-1014 bytes: $good of 600 intact, the rest counted" \
	accounted 600
iovsim_check "the longest frame the receiver's MTU allows arrived ($maxlen)" \
	test "$maxlen" = 1014

run "$if0" "$if1" fright bcast 300 "$sizes"
iovsim_check "broadcast: $good of 300 intact, all as broadcast" \
	eval 'accounted 300 && [ "$bcast" -eq "$good" ]'

run "$if1" "$if0" fleft 52:54:00:dd:00:01 600 "$sizes"
iovsim_check "the other way: $good of 600 intact, the rest counted" \
	accounted 600

d0=$(s fleft tx_dropped)
run "$if0" "$if1" fright 52:54:00:dd:00:02 300 1015,1100,1514 1000
iovsim_check "frames over the receiver's MTU are not delivered ($good)" \
	test "$good" -eq 0 -a "$bad" -eq 0
iovsim_check "and are counted: receiver rx_dropped_mtu $mtu, sender tx_dropped $(($(s fleft tx_dropped) - d0))" \
	test "$mtu" -eq 300 -a $(($(s fleft tx_dropped) - d0)) -eq 300

run "$if1" "$if0" fleft 52:54:00:dd:00:01 300 1014,999
iovsim_check "$if1 still sends at its own MTU ($good of 300)" \
	accounted 300

iovsim_check "disable is clean" \
	eval 'virtio_disable virtio-net fr1 && virtio_disable virtio-net fr0'

ktap_finished
