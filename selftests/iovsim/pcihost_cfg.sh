#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost configuration-space emulation, driven through setpci:
# read-only bits, write masks, write-1-to-clear bits, 64-bit BAR sizing,
# the extended capability chain, registers only as writable as their
# capability registers say, bad register numbers, function-level reset
# through sysfs and through a raw configuration write (which runs the
# model's reset under the PCI core's raw pci_lock).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup nr_fns=1 endpoint=1
ktap_print_header
ktap_set_plan 18

a=$(pcihost_domain):00:00.0
rd() { setpci -s "$a" "$(printf '%x' "$1").l"; }
wr() { setpci -s "$a" "$(printf '%x' "$1").l=$2"; }
rdw() { setpci -s "$a" "$1.w"; }
wrw() { setpci -s "$a" "$1.w=$2"; }

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

# Registers are only as writable as the capability registers say.
wrw CAP_EXP+0x28 ffff
iovsim_check "DEVCTL2 is read-only 0: DEVCAP2 $(setpci -s "$a" CAP_EXP+0x24.l) offers no completion timeout control ($(rdw CAP_EXP+0x28))" \
	test "$(setpci -s "$a" CAP_EXP+0x24.l)" = 00000000 -a \
	"$(rdw CAP_EXP+0x28)" = 0000

lnkctl=$(rdw CAP_EXP+0x10)
wrw CAP_EXP+0x10 "$(printf '%04x' $((16#$lnkctl | 3)))"
lnkcap=$(setpci -s "$a" CAP_EXP+0x0c.l)
iovsim_check "LNKCTL ASPM Control stays 0 without ASPM in LNKCAP $lnkcap ($lnkctl, then $(rdw CAP_EXP+0x10))" \
	test $((16#$lnkcap & 0xc00)) -eq 0 -a "$(rdw CAP_EXP+0x10)" = "$lnkctl"

devctl=$(rdw CAP_EXP+8)
wrw CAP_EXP+8 "$(printf '%04x' $(((16#$devctl & ~0x80e0) | 0x20)))"
iovsim_check "DEVCTL Max Payload Size stays 128 bytes, DEVCAP's maximum ($devctl, then $(rdw CAP_EXP+8))" \
	test $((16#$(setpci -s "$a" CAP_EXP+4.l) & 7)) -eq 0 -a \
	"$(rdw CAP_EXP+8)" = "$devctl"

pmcsr=$(rdw CAP_PM+4)
wrw CAP_PM+4 "$(printf '%04x' $(((16#$pmcsr & ~3) | 1)))"
d1=$(rdw CAP_PM+4)
wrw CAP_PM+4 "$(printf '%04x' $(((16#$pmcsr & ~3) | 2)))"
d2=$(rdw CAP_PM+4)
iovsim_check "PowerState ignores D1 and D2, which PMC $(rdw CAP_PM+2) does not offer ($pmcsr: $d1 $d2)" \
	test $((16#$(rdw CAP_PM+2) & 0x600)) -eq 0 -a \
	"$d1" = "$pmcsr" -a "$d2" = "$pmcsr" -a $((16#$pmcsr & 3)) -eq 0

# Bad register numbers, through the bus's pci_ops as a PCI core accessor
# calls them: PCIBIOS_BAD_REGISTER_NUMBER (0x87), all-ones for a read.
cfgop() {
	echo "$1" >"$DBG/$a/cfgop" && cat "$DBG/$a/cfgop"
}
badreg_ok() {
	local op line
	line=$(rd 0x3c)
	[ "$(cfgop "r 0 4")" = "0x10f01b36 0" ] || return 1
	for op in "r 0x1000 4" "r 0xffc 8" "r 2 4" "r 1 2" "r 0 3" "r -4 4"; do
		[ "$(cfgop "$op")" = "0xffffffff 135" ] || { echo "# $op: $(cfgop "$op")"; return 1; }
	done
	for op in "w 0x1000 4 0" "w 0x3e 4 0" "w 0x3d 2 0" "w 0x3c 3 0"; do
		[ "$(cfgop "$op")" = "0x0 135" ] || { echo "# $op: $(cfgop "$op")"; return 1; }
	done
	[ "$(rd 0x3c)" = "$line" ]
}
iovsim_check "unaligned, wrong-size or out-of-range register: PCIBIOS_BAD_REGISTER_NUMBER, nothing written" \
	badreg_ok

iovsim_check "reset_method offers flr" \
	grep -qw flr "$PCIDEVS/$a/reset_method"

# FLR through sysfs: the model resets its registers, the emulated space
# goes back to its initial contents, and the PCI core restores what it
# saved (Command, BARs, the PCI Express and MSI-X state).
wr $((vcap + 4)) 12345678
echo 0x55aa55aa55aa55aa >"$DBG/$a/scratch"
before=$(<"$DBG/$a/scratch")
saved="$(rd 4) $(rd 0x10) $(rd 0x14) $(rd 0x18) $(rd 0x1c)"
echo 1 >"$PCIDEVS/$a/reset"
iovsim_check "FLR resets the model ($before, then $(<"$DBG/$a/scratch")), the BARs still decode" \
	test "$before" = 0x55aa55aa55aa55aa -a \
	"$(<"$DBG/$a/scratch")" = 0x0000000000000000 -a \
	"$(cut -d' ' -f2 "$DBG/$a/id")" = 0x7e570001
after="$(rd 4) $(rd 0x10) $(rd 0x14) $(rd 0x18) $(rd 0x1c)"
iovsim_check "FLR restores the space: vendor register $(rd $((vcap + 4))), Command and BARs as saved ($after)" \
	test "$(rd $((vcap + 4)))" = 00000000 -a "$after" = "$saved"

# FLR by a raw configuration write of Initiate FLR, as a user would:
# nothing saves or restores around it, so the function is back to its
# state at hot-add time (Memory Space off, BARs unassigned).  The model's
# reset runs under the PCI core's raw pci_lock.
wr $((vcap + 4)) 12345678
echo 0x1122334455667788 >"$DBG/$a/scratch"
before=$(<"$DBG/$a/scratch")
setpci -s "$a" "CAP_EXP+8.w=$(printf '%04x' $((16#$(rdw CAP_EXP+8) | 0x8000)))"
flr="$(rd 4) $(rd 0x10) $(rd 0x14) $(rd 0x18) $(rd 0x1c) $(rd $((vcap + 4))) $(rdw CAP_EXP+8)"
for r in 0x10 0x14 0x18 0x1c; do
	wr $r "$(cut -d' ' -f$(((r - 0x10) / 4 + 2)) <<<"$saved")"
done
wr 4 "$(cut -d' ' -f1 <<<"$saved")"
iovsim_check "setpci Initiate FLR: Command, BARs, vendor register, DEVCTL at their initial values ($flr)" \
	test "$flr" = "00100000 00000004 00000000 00000004 00000000 00000000 2810"
iovsim_check "setpci Initiate FLR resets the model ($before, then $(<"$DBG/$a/scratch"))" \
	test "$before" = 0x1122334455667788 -a \
	"$(<"$DBG/$a/scratch")" = 0x0000000000000000

ktap_finished
