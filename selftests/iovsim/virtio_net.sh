#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim virtio-net through the kernel's own virtio_net: two functions
# cabled back to back, each in its own network namespace, get the
# configured MAC, MTU and queues, ping each other and carry a file whose
# checksum matches; link down on one port is seen by its driver (no
# carrier) and stops traffic, link up restores it.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
ktap_print_header
ktap_set_plan 9

tmp=$(mktemp -d)
cleanup() {
	[ -n "${rxpid:-}" ] && kill "$rxpid" 2>/dev/null
	ip netns del vns0 2>/dev/null
	ip netns del vns1 2>/dev/null
	virtio_disable virtio-net n1
	virtio_disable virtio-net n0
	rm -rf "$tmp"
	iovsim_unload_all
}
trap cleanup EXIT

a0=$(virtio_enable virtio-net n0 port=left mac=52:54:00:aa:00:01 mtu=1400)
a1=$(virtio_enable virtio-net n1 port=right pair=left \
	mac=52:54:00:aa:00:02 queues=2)
virtio_wait_for virtio_netdev "$a0" >/dev/null
virtio_wait_for virtio_netdev "$a1" >/dev/null
if0=$(virtio_netdev "$a0")
if1=$(virtio_netdev "$a1")
iovsim_check "two netdevs: ${if0:-none} ($a0), ${if1:-none} ($a1)" \
	test -n "$if0" -a -n "$if1" -a \
	"$(lspci -n -s "$a0" | grep -c 1af4:1041)" = 1

iovsim_check "MAC, MTU and queue pairs as configured" \
	test "$(cat "/sys/class/net/$if0/address")" = 52:54:00:aa:00:01 -a \
	"$(cat "/sys/class/net/$if1/address")" = 52:54:00:aa:00:02 -a \
	"$(cat "/sys/class/net/$if0/mtu")" = 1400 -a \
	"$(find "/sys/class/net/$if1/queues" -name 'rx-*' | wc -l)" = 2

virtio_netns vns0 "$if0" 10.77.0.1/24
virtio_netns vns1 "$if1" 10.77.0.2/24

iovsim_check "ping across the pair, namespace to namespace" \
	eval "ip netns exec vns0 ping -q -c 1 -W 5 10.77.0.2 >/dev/null"

head -c 1000000 /dev/urandom >"$tmp/src"
ip netns exec vns1 python3 -c '
import socket, sys
s = socket.socket()
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("10.77.0.2", 5077))
s.listen(1)
c, _ = s.accept()
with open(sys.argv[1], "wb") as f:
    while True:
        b = c.recv(65536)
        if not b:
            break
        f.write(b)
' "$tmp/dst" &
rxpid=$!
sent=
for _ in $(seq 50); do
	if ip netns exec vns0 bash -c \
		"cat '$tmp/src' >/dev/tcp/10.77.0.2/5077" 2>/dev/null; then
		sent=1
		break
	fi
	sleep 0.2
done
wait "$rxpid"
rxpid=
iovsim_check "a 1 MB file crosses over TCP with a matching checksum" \
	test -n "$sent" -a "$(sha256sum <"$tmp/src")" = \
	"$(sha256sum <"$tmp/dst" 2>/dev/null)"

carrier() {
	[ "$(ip netns exec "$1" cat "/sys/class/net/$2/carrier" 2>/dev/null)" = "$3" ]
}

echo 0 >"$CFS/virtio-net/n1/link"
iovsim_check "link down on port right: its driver sees no carrier" \
	virtio_wait_for carrier vns1 "$if1" 0
iovsim_check "no traffic while the link is down" \
	eval '! ip netns exec vns0 ping -q -c 1 -W 1 10.77.0.2 >/dev/null'
echo 1 >"$CFS/virtio-net/n1/link"
iovsim_check "link up again: carrier back" \
	virtio_wait_for carrier vns1 "$if1" 1
iovsim_check "and traffic flows again" \
	eval "ip netns exec vns0 ping -q -c 1 -W 5 10.77.0.2 >/dev/null"

ip netns del vns0
ip netns del vns1
virtio_disable virtio-net n1
virtio_disable virtio-net n0
iovsim_check "disable removes both functions" \
	test ! -e "$PCIDEVS/$a0" -a ! -e "$PCIDEVS/$a1"

ktap_finished
