# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash disable=SC2034
#
# Helpers of the iovsim_sriov selftests; source after lib.sh.

CFS=/sys/kernel/config/iovsim
PCIDEVS=/sys/bus/pci/devices

# sriov_setup [IOVSIM_SRIOV PARAMS...]: root, configfs mounted, virtio_net
# and iovsim_sriov loaded with the given parameters.
sriov_setup() {
	iovsim_require_root
	modprobe configfs 2>/dev/null
	mountpoint -q /sys/kernel/config ||
		mount -t configfs none /sys/kernel/config
	modprobe virtio_net 2>/dev/null
	if ! iovsim_load iovsim_sriov "$@"; then
		ktap_print_header
		ktap_exit_fail_msg "cannot load iovsim_sriov $*"
	fi
}

# sriov_need_tools TOOL...: skip the whole test, saying why, unless every
# TOOL (an iproute2 or ethtool program, jq) is installed.  Call before
# ktap_print_header.
sriov_need_tools() {
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null && continue
		ktap_print_header
		ktap_skip_all "$t is not installed (scripts/install-deps installs it)"
		exit "$KSFT_SKIP"
	done
}

# sriov_pfs: PCI addresses of the iovsim SR-IOV physical functions
# (1b36:10f1), in address order.
sriov_pfs() {
	local d
	for d in "$PCIDEVS"/*; do
		[ "$(cat "$d/vendor" 2>/dev/null)" = 0x1b36 ] &&
			[ "$(cat "$d/device")" = 0x10f1 ] && basename "$d"
	done
}

# sriov_vfs PF: PCI addresses of PF's VFs, in VF order. One readlink for
# them all: under TCG each program started costs a good part of a second.
sriov_vfs() {
	local i t links=()
	for ((i = 0; ; i++)); do
		[ -e "$PCIDEVS/$1/virtfn$i" ] || break
		links+=("$PCIDEVS/$1/virtfn$i")
	done
	[ "${#links[@]}" -gt 0 ] || return 0
	readlink "${links[@]}" | while read -r t; do
		echo "${t##*/}"
	done
}

# sriov_vf_netdev VF: the net device of the virtio-net VF at VF.
sriov_vf_netdev() {
	local n
	for n in "$PCIDEVS/$1"/virtio*/net/*; do
		[ -e "$n" ] && basename "$n"
	done
}

# sriov_reg PF OFF WIDTH: a register of PF's SR-IOV capability (WIDTH
# b, w or l), hex, from setpci.
sriov_reg() {
	setpci -s "$1" "ECAP_SRIOV+$(printf %x "$2").$3"
}

# sriov_set_reg PF OFF WIDTH VALUE: write it with setpci (a raw
# configuration write, behind the PCI core's back).
sriov_set_reg() {
	setpci -s "$1" "ECAP_SRIOV+$(printf %x "$2").$3=$4"
}

# sriov_in_ns NS CMD...: CMD in network namespace NS ("root": the initial
# one).
sriov_in_ns() {
	local ns=$1
	shift
	if [ "$ns" = root ]; then
		"$@"
	else
		ip netns exec "$ns" "$@"
	fi
}

# sriov_frames TXNS TXIF RXNS RXIF DST COUNT EXPECT [SEND OPTIONS...]:
# COUNT numbered frames (virtio_frames) from TXIF in namespace TXNS to
# DST, received on RXIF in RXNS.  Once the sender is done the receiver
# gets up to 30 s to see the EXPECT frames that should arrive, or 2 s
# when none should.  Sets tx and rx to the two programs' result lines.
sriov_frames() {
	local txns=$1 txif=$2 rxns=$3 rxif=$4 dst=$5 count=$6 expect=$7
	local out pid i cmd=()
	shift 7
	out=$(mktemp)
	# a simple command in the background, so that $! is the receiver
	# itself (ip netns exec execs it) and SIGTERM reaches it
	[ "$rxns" = root ] || cmd=(ip netns exec "$rxns")
	"${cmd[@]}" "$IOVSIM_SELFTEST_DIR/virtio_frames" recv "$rxif" \
		"$count" 2000 600000 >"$out" &
	pid=$!
	for ((i = 0; i < 200; i++)); do
		grep -q ready "$out" && break
		sleep 0.05
	done
	tx=$(sriov_in_ns "$txns" timeout 120 \
		"$IOVSIM_SELFTEST_DIR/virtio_frames" send "$txif" "$dst" \
		"$count" 60,1514,700 "$@")
	for ((i = 0; i < (expect ? 300 : 20); i++)); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	kill -TERM "$pid" 2>/dev/null
	wait "$pid"
	rx=$(tail -n 1 "$out")
	rm -f "$out"
}
