# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034
#
# Helpers of the iovsim_virtio selftests; source after lib.sh.

CFS=/sys/kernel/config/iovsim
PCIDEVS=/sys/bus/pci/devices

# virtio_setup [IOVSIM_VIRTIO PARAMS...]: root, configfs mounted, the
# kernel's virtio drivers and iovsim_virtio loaded.
virtio_setup() {
	iovsim_require_root
	modprobe configfs 2>/dev/null
	mountpoint -q /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config
	modprobe virtio_blk 2>/dev/null
	modprobe virtio_net 2>/dev/null
	if ! iovsim_load iovsim_virtio "$@"; then
		ktap_print_header
		ktap_exit_fail_msg "cannot load iovsim_virtio"
	fi
}


# virtio_enable MODEL NAME [ATTR=VALUE...]: create and enable a configfs
# device; prints its PCI address.
virtio_enable() {
	local model=$1 name=$2 kv dir
	shift 2
	dir=$CFS/$model/$name
	mkdir "$dir" || return
	for kv in "$@"; do
		echo "${kv#*=}" >"$dir/${kv%%=*}" || return
	done
	echo 1 >"$dir/enable" || return
	cat "$dir/address"
}

# virtio_disable MODEL NAME: disable and remove a configfs device.
virtio_disable() {
	local dir=$CFS/$1/$2
	[ -d "$dir" ] || return 0
	echo 0 >"$dir/enable"
	rmdir "$dir"
}

# virtio_wait_for CMD...: retry CMD for up to 10 s (driver probing and
# link changes are asynchronous).
virtio_wait_for() {
	local i
	for ((i = 0; i < 100; i++)); do
		"$@" && return 0
		sleep 0.1
	done
	return 1
}

# virtio_child ADDR CLASS: the CLASS device (block, net) of the virtio
# device of the function at ADDR.
virtio_child() {
	local d
	for d in "$PCIDEVS/$1"/virtio*/"$2"/*; do
		[ -e "$d" ] && basename "$d" && return 0
	done
	return 1
}

# virtio_disk ADDR: the block device (vda...) of the function at ADDR.
virtio_disk() { virtio_child "$1" block; }

# virtio_netdev ADDR: the network interface of the function at ADDR.
virtio_netdev() { virtio_child "$1" net; }

# virtio_netns NS IF ADDR/LEN: create namespace NS, move IF into it, give
# it ADDR/LEN and bring it up.
virtio_netns() {
	ip netns add "$1" &&
	ip link set "$2" netns "$1" &&
	ip -n "$1" addr add "$3" dev "$2" &&
	ip -n "$1" link set "$2" up
}

# virtio_net_stat PORT NAME: counter NAME of virtio-net port PORT
# (/sys/kernel/debug/iovsim_virtio/net/PORT/stats).
virtio_net_stat() {
	awk -v k="$2" '$1 == k { print $2 }' \
		"/sys/kernel/debug/iovsim_virtio/net/$1/stats"
}

# virtio_net_settle PORT: wait (up to 30 s) until the TX counter of PORT
# stays the same for a second: the device has handled what was sent.
virtio_net_settle() {
	local a b i
	b=$(virtio_net_stat "$1" tx_frames)
	for ((i = 0; i < 30; i++)); do
		sleep 1
		a=$b
		b=$(virtio_net_stat "$1" tx_frames)
		[ "$a" = "$b" ] && return 0
	done
	return 1
}

# virtio_quiet_link IF: bring IF up with IPv6 off, so that nothing but
# the test's own frames crosses it.
virtio_quiet_link() {
	# A device whose MTU is below IPv6's minimum (1280) has no IPv6
	# configuration at all: nothing to quiet there.
	if [ -e "/proc/sys/net/ipv6/conf/$1" ]; then
		# not sysctl: it reads the dot of a VLAN device (eth0.10) as /
		echo 1 >"/proc/sys/net/ipv6/conf/$1/disable_ipv6" || return
	fi
	ip link set "$1" up
}

# virtio_net_pair NAME0 "ATTRS0" NAME1 "ATTRS1": two virtio-net devices
# (the second's ATTRS cable it to the first), each up and quiet once its
# netdev exists.  Sets a0, a1 (PCI addresses) and if0, if1 (netdevs).
virtio_net_pair() {
	# shellcheck disable=SC2086 # ATTRS are one word each
	a0=$(virtio_enable virtio-net "$1" $2)
	# shellcheck disable=SC2086
	a1=$(virtio_enable virtio-net "$3" $4)
	virtio_wait_for virtio_netdev "$a0" >/dev/null
	virtio_wait_for virtio_netdev "$a1" >/dev/null
	if0=$(virtio_netdev "$a0")
	if1=$(virtio_netdev "$a1")
	virtio_quiet_link "$if0"
	virtio_quiet_link "$if1"
}

# virtio_frames ARGS...: the frame tool (virtio_frames.c).
virtio_frames() {
	"$IOVSIM_SELFTEST_DIR/virtio_frames" "$@"
}

# virtio_pcicfg ADDR: offset of the VIRTIO_PCI_CAP_PCI_CFG capability of
# the function at ADDR, in hex, or nothing.
virtio_pcicfg() {
	local pos
	pos=$((0x$(setpci -s "$1" 0x34.b)))
	while [ "$pos" -ne 0 ]; do
		if [ "$(setpci -s "$1" "$(printf '%x' "$pos").b")" = 09 ] &&
			[ "$(setpci -s "$1" "$(printf '%x' $((pos + 3))).b")" = 05 ]; then
			printf '%x\n' "$pos"
			return 0
		fi
		pos=$((0x$(setpci -s "$1" "$(printf '%x' $((pos + 1))).b")))
	done
	return 1
}

# virtio_cfg_window ADDR CAP OFFSET LEN: point the PCI_CFG window of the
# function at ADDR (capability at hex CAP) at LEN bytes of BAR0 at OFFSET.
virtio_cfg_window() {
	setpci -s "$1" "$(printf '%x' $((0x$2 + 4))).b=00" \
		"$(printf '%x' $((0x$2 + 12))).l=$(printf '%x' "$4")" \
		"$(printf '%x' $((0x$2 + 8))).l=$(printf '%x' "$3")"
}

# virtio_cfg_data ADDR CAP LEN [HEX]: read (print, hex) or write
# pci_cfg_data as a LEN-byte access.
virtio_cfg_data() {
	local w
	case $3 in
	1) w=b ;;
	2) w=w ;;
	*) w=l ;;
	esac
	setpci -s "$1" "$(printf '%x' $((0x$2 + 16))).$w${4:+=$4}"
}

# virtio_raw_write ADDR CAP OFFSET LEN HEX / virtio_raw_read ADDR CAP
# OFFSET LEN: a BAR0 register access through the window, as a driver
# without a BAR mapping does it.
virtio_raw_write() {
	virtio_cfg_window "$1" "$2" "$3" "$4" &&
	virtio_cfg_data "$1" "$2" "$4" "$5"
}

virtio_raw_read() {
	virtio_cfg_window "$1" "$2" "$3" "$4" &&
	virtio_cfg_data "$1" "$2" "$4"
}
