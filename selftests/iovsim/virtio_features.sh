#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# Feature negotiation checks the dependencies between feature bits: a
# raw driver (register accesses through the VIRTIO_PCI_CAP_PCI_CFG
# window, the transport unbound) that accepts a set the specification
# forbids (VIRTIO 1.2 5.1.3.1: MQ, CTRL_MAC_ADDR... without CTRL_VQ;
# any set without VERSION_1 or with a bit not offered) reads
# FEATURES_OK back clear, with one log line; a consistent set is
# accepted.  The kernel's driver binds and works afterwards.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
ktap_print_header
ktap_set_plan 8

cleanup() {
	virtio_disable virtio-net fe0
	iovsim_unload_all
}
trap cleanup EXIT

addr=$(virtio_enable virtio-net fe0 port=feat queues=2)
virtio_wait_for virtio_netdev "$addr" >/dev/null
echo "$addr" >/sys/bus/pci/drivers/iovsim_virtio/unbind
cap=$(virtio_pcicfg "$addr")

# negotiate LO HI: reset, ACKNOWLEDGE|DRIVER, accept features HI:LO, set
# FEATURES_OK; prints the status read back (0b accepted, 03 refused).
negotiate() {
	local i
	virtio_raw_write "$addr" "$cap" 0x14 1 00
	for ((i = 0; i < 50; i++)); do
		[ "$(virtio_raw_read "$addr" "$cap" 0x14 1)" = 00 ] && break
		sleep 0.1
	done
	virtio_raw_write "$addr" "$cap" 0x14 1 01
	virtio_raw_write "$addr" "$cap" 0x14 1 03
	virtio_raw_write "$addr" "$cap" 0x08 4 0
	virtio_raw_write "$addr" "$cap" 0x0c 4 "$1"
	virtio_raw_write "$addr" "$cap" 0x08 4 1
	virtio_raw_write "$addr" "$cap" 0x0c 4 "$2"
	virtio_raw_write "$addr" "$cap" 0x14 1 0b
	virtio_raw_read "$addr" "$cap" 0x14 1
}

# expect LABEL LO HI STATUS [LOG]: negotiation of HI:LO reads STATUS back
# and, when refused, logs one line matching LOG.
expect() {
	local got lines
	dmesg_mark
	got=$(negotiate "$2" "$3")
	lines=$(dmesg_since | grep -c "${5:-.}")
	if [ "$got" = "$4" ] && { [ "$4" = 0b ] || [ "$lines" -eq 1 ]; }; then
		ktap_test_pass "$1: status $got"
	else
		dmesg_since | sed 's/^/# /'
		ktap_test_fail "$1: status $got, want $4 ($lines log lines)"
	fi
}

# bits: CTRL_VQ 17 (0x20000), MQ 22 (0x400000), CTRL_MAC_ADDR 23
# (0x800000), MAC 5 (0x20); VERSION_1 is bit 32 (HI 1)
iovsim_check "PCI_CFG capability found (${cap:-none})" test -n "$cap"
expect "VERSION_1, MAC, CTRL_VQ, MQ, CTRL_MAC_ADDR accepted" \
	c20020 1 0b
expect "MQ without CTRL_VQ refused" 400020 1 03 \
	"feature 22 without any of 0x20000"
expect "CTRL_MAC_ADDR without CTRL_VQ refused" 800000 1 03 \
	"feature 23 without any of 0x20000"
expect "CTRL_VQ and MQ accepted" 420000 1 0b
expect "no VERSION_1 refused" 20000 0 03 "did not accept VERSION_1"
expect "GUEST_TSO4 with GUEST_CSUM refused: not offered" 82 1 03 \
	"not offered"

echo "$addr" >/sys/bus/pci/drivers/iovsim_virtio/bind
iovsim_check "virtio_net binds again and negotiates MQ with CTRL_VQ" \
	eval 'virtio_wait_for virtio_netdev "$addr" >/dev/null &&
		[ "$(cut -c18,23 "$PCIDEVS/$addr"/virtio*/features)" = 11 ]'

ktap_finished
