#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost configuration-space emulation, driven through setpci:
# read-only bits, write masks, write-1-to-clear bits, 64-bit BAR sizing,
# the extended capability chain, function-level reset.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup nr_fns=1
ktap_print_header
ktap_set_plan 10

a=$(pcihost_domain):00:00.0
rd() { setpci -s "$a" "$(printf '%x' "$1").l"; }
wr() { setpci -s "$a" "$(printf '%x' "$1").l=$2"; }

vcap=$(lspci -vvv -s "$a" |
	sed -n 's/.*Capabilities: \[\([0-9a-f]*\)\] Vendor Specific Information: Len=10.*/\1/p')
vcap=$((16#${vcap:-0}))

wr 0 00000000
iovsim_check "Vendor/Device ID are read-only" test "$(rd 0)" = 10f01b36

wr $((vcap + 4)) 12345678
iovsim_check "a read-write dword takes every bit" \
	test "$(rd $((vcap + 4)))" = 12345678

wr $((vcap + 8)) ffffffff
half=$(rd $((vcap + 8)))
wr $((vcap + 8)) 00000000
iovsim_check "a per-byte write mask keeps read-only bytes ($half)" \
	test "$half" = ff00ff00 -a "$(rd $((vcap + 8)))" = 00000000

w1c0=$(rd $((vcap + 12)))
wr $((vcap + 12)) 0000ffff
w1c1=$(rd $((vcap + 12)))
wr $((vcap + 12)) 00000000
iovsim_check "RW1C: writing 1 clears, 0 keeps ($w1c0 $w1c1 $(rd $((vcap + 12))))" \
	test "$w1c0" = a5a5a5a5 -a "$w1c1" = a5a50000 -a \
	"$(rd $((vcap + 12)))" = a5a50000

lo=$(rd 0x10)
hi=$(rd 0x14)
wr 0x10 ffffffff
wr 0x14 ffffffff
szlo=$(rd 0x10)
szhi=$(rd 0x14)
wr 0x10 "$lo"
wr 0x14 "$hi"
iovsim_check "64-bit BAR sizing reads ~(size-1) | type ($szhi$szlo)" \
	test "$szlo" = fffff004 -a "$szhi" = ffffffff
iovsim_check "the BAR address is restored ($hi$lo)" \
	test "$(rd 0x10)" = "$lo" -a "$(rd 0x14)" = "$hi"

cmd=$(setpci -s "$a" COMMAND)
setpci -s "$a" "COMMAND=$(printf '%04x' $((16#$cmd | 1)))"
iovsim_check "Command: I/O space enable is not implemented" \
	test "$(setpci -s "$a" COMMAND)" = "$cmd"

iovsim_check "extended capability header at 0x100" \
	test "$(rd 0x100)" = 0001000b

iovsim_check "reset_method offers flr" \
	grep -qw flr "$PCIDEVS/$a/reset_method"

echo 0x55aa55aa55aa55aa >"$DBG/$a/scratch"
before=$(<"$DBG/$a/scratch")
echo 1 >"$PCIDEVS/$a/reset"
iovsim_check "FLR resets the model ($before, then $(<"$DBG/$a/scratch")), the BARs still decode" \
	test "$before" = 0x55aa55aa55aa55aa -a \
	"$(<"$DBG/$a/scratch")" = 0x0000000000000000 -a \
	"$(cut -d' ' -f2 "$DBG/$a/id")" = 0x7e570001

ktap_finished
