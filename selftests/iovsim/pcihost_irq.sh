#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost interrupts: one Linux IRQ per MSI-X entry, delivery
# counted by the driver and in /proc/interrupts, masking honoured in the
# host's latch (the chip's pending state) and delivered once on unmask,
# synchronize_irq() waiting for a latched raise, the device side of MSI-X
# (table entry Mask bit, Function Mask, MSI-X Enable: pending, PBA bit
# set, one message when allowed; Bus Master Enable clear or D3hot: no
# message at all), a function-level reset dropping what is pending, and
# no raise lost when two CPUs raise the same vector at once.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup nr_fns=1
ktap_print_header
ktap_set_plan 15

a=$(pcihost_domain):00:00.0

# Unbind and bind the driver first, as a user (or DEBUG_TEST_DRIVER_REMOVE)
# may: genirq forgets some per-IRQ settings on the last free_irq(), and
# every check below must hold for a driver bound the second time too.
drv=$(basename "$(readlink "$PCIDEVS/$a/driver")")
echo "$a" >"/sys/bus/pci/drivers/$drv/unbind" &&
	echo "$a" >"/sys/bus/pci/drivers/$drv/bind" ||
	ktap_exit_fail_msg "cannot unbind and bind $a again (driver '$drv')"
d=$DBG/$a
irq_of() { awk -v v="$1" '$1 == v { print $2 }' "$d/counts"; }
handled() { awk -v v="$1" '$1 == v { print $3 }' "$d/counts"; }
seen() { awk -v v="$1" '$1 == v { print $4 }' "$d/counts"; }
ncpu=$(nproc)
pending() { awk -v v="$1" '$1 == v { print $2 }' "$d/pending"; }

iovsim_check "four IRQs of chip iovsim in /proc/interrupts" \
	test "$(grep -c ' iovsim .*iovsim_pcitest' /proc/interrupts)" -eq 4

irq3=$(irq_of 3)
p0=$(iovsim_irq_count "$irq3")
for _ in $(seq 100); do echo 3 >"$d/doorbell"; done
sleep 0.2
iovsim_check "100 doorbells on vector 3: handled $(handled 3), /proc/interrupts +$(($(iovsim_irq_count "$irq3") - p0))" \
	test "$(handled 3)" -eq 100 -a \
	$(($(iovsim_irq_count "$irq3") - p0)) -eq 100

iovsim_check "the other vectors saw nothing" \
	test "$(handled 0)$(handled 1)$(handled 2)" = 000

for v in 0 1 2; do echo "$v" >"$d/doorbell"; done
sleep 0.2
iovsim_check "each vector reaches its own IRQ" \
	test "$(handled 0)$(handled 1)$(handled 2)" = 111

# disable_irq() masks the chip at once: the raises stay in the host's
# latch, visible as the chip's pending state, and enable_irq() delivers
# them in one handler run.
echo "1 1" >"$d/mask"
for _ in 1 2 3; do echo 1 >"$d/doorbell"; done
sleep 0.2
masked=$(handled 1) pend=$(pending 1) pba=$(<"$d/pba")
echo "1 0" >"$d/mask"
sleep 0.2
iovsim_check "disabled vector: handled $masked, chip pending state '$pend', PBA $pba (want 1, 1, 2); after enable_irq: handled $(handled 1) (want 2), pending $(pending 1)" \
	test "$masked" -eq 1 -a "$pend" = 1 -a "$pba" = 2 -a \
	"$(handled 1)" -eq 2 -a "$(pending 1)" = 0

echo 99 >"$d/doorbell"
sleep 0.2
iovsim_check "a doorbell for a vector out of range raises nothing" \
	test "$(handled 0)$(handled 1)$(handled 2)$(handled 3)" = 121100

# held WHAT MASK UNMASK: vector 2 rung three times while MASK holds it
# back stays pending (PBA bit 2) and gets one handler run after UNMASK.
held() {
	local h0 h1 pba
	h0=$(handled 2)
	eval "$2"
	for _ in 1 2 3; do echo 2 >"$d/doorbell"; done
	sleep 0.2
	h1=$(handled 2) pba=$(<"$d/pba")
	eval "$3"
	sleep 0.2
	iovsim_check "$1: +$((h1 - h0)) runs and PBA $pba while held (want 0, 4), +$(($(handled 2) - h0)) runs and PBA $(<"$d/pba") after (want 1, 0)" \
		test "$h1" -eq "$h0" -a "$pba" = 4 -a \
		$(($(handled 2) - h0)) -eq 1 -a "$(<"$d/pba")" = 0
}
msix=$(setpci -s "$a" CAP_MSIX+2.w)
held "vector 2 masked in its MSI-X table entry" \
	'echo "2 1" >"$d/vmask"' 'echo "2 0" >"$d/vmask"'
held "MSI-X Function Mask" \
	"setpci -s $a CAP_MSIX+2.w=$(printf %04x $((16#$msix | 0x4000)))" \
	"setpci -s $a CAP_MSIX+2.w=$msix"
held "MSI-X disabled" \
	"setpci -s $a CAP_MSIX+2.w=$(printf %04x $((16#$msix & ~0x8000)))" \
	"setpci -s $a CAP_MSIX+2.w=$msix"

# dropped WHAT REG VALUE: with REG set to VALUE the function sends no
# message, keeps nothing pending, and nothing comes when REG is restored.
dropped() {
	local h0 h1 pba old
	old=$(setpci -s "$a" "$2")
	h0=$(handled 2)
	setpci -s "$a" "$2=$3"
	for _ in 1 2 3; do echo 2 >"$d/doorbell"; done
	sleep 0.2
	h1=$(handled 2) pba=$(<"$d/pba")
	setpci -s "$a" "$2=$old"
	sleep 0.2
	iovsim_check "$1: +$((h1 - h0)) runs, PBA $pba, +$(($(handled 2) - h0)) runs once restored (want 0, 0, 0)" \
		test "$h1" -eq "$h0" -a "$pba" = 0 -a "$(handled 2)" -eq "$h0"
}
cmd=$(setpci -s "$a" COMMAND)
dropped "Bus Master Enable clear" COMMAND \
	"$(printf %04x $((16#$cmd & ~4)))"
pm=$(setpci -s "$a" CAP_PM+4.w)
dropped "D3hot" CAP_PM+4.w "$(printf %04x $((16#$pm | 3)))"

# A function-level reset drops what is pending: nothing from before it is
# delivered once the vector may be delivered again.
echo "2 1" >"$d/vmask"
for _ in 1 2 3; do echo 2 >"$d/doorbell"; done
sleep 0.2
h0=$(handled 2) pba=$(<"$d/pba")
echo 1 >"$PCIDEVS/$a/reset"
sleep 0.2
pba2=$(<"$d/pba")
echo "2 0" >"$d/vmask"
sleep 0.2
h1=$(handled 2)
echo 2 >"$d/doorbell"
sleep 0.2
iovsim_check "FLR drops a pending raise: PBA $pba before, $pba2 after (want 4, 0); +$((h1 - h0)) runs once unmasked (want 0), +$(($(handled 2) - h1)) for a new doorbell (want 1)" \
	test "$pba" = 4 -a "$pba2" = 0 -a "$h1" -eq "$h0" -a \
	$(($(handled 2) - h1)) -eq 1

# Another CPU rings vector 2 with its interrupts off and keeps them off
# for 50 ms, so its irq_work cannot deliver yet: synchronize_irq() here
# must wait for that delivery.
if [ "$ncpu" -lt 2 ]; then
	ktap_test_skip "synchronize_irq() of a latched raise: needs two CPUs"
else
	r=$(write_errno "$d/sync_raise" 2)
	iovsim_check "synchronize_irq() waits for a raise latched on another CPU: $r, it saw $(<"$d/sync_raise") handler run (want 1)" \
		test "$r" = OK -a "$(<"$d/sync_raise")" -eq 1
fi

# Each handler run takes 200 us, and the second CPU rings vector 3 100 us
# after the first: its raise comes while the first CPU runs the handler.
# It must still get a handler run after it, so after each round the
# handler has seen every doorbell (the RAISED register).
echo 200 >"$d/irq_delay_us"
short='' failed=''
for round in $(seq 20); do
	r0=$(<"$d/raised")
	w=$(write_errno "$d/storm" "3 1 100")
	[ "$w" = OK ] || failed+=" round $round: $w;"
	sleep 0.2
	r=$(<"$d/raised") s=$(seen 3)
	[ "$r" -eq $((r0 + $ncpu)) ] ||
		failed+=" round $round: $((r - r0)) doorbells;"
	[ "$s" = "$r" ] || short+=" round $round: $s of $r;"
done
echo 0 >"$d/irq_delay_us"
iovsim_check "20 storms started, each rang $ncpu doorbells${failed:+ (not:$failed)}" \
	test -z "$failed"
iovsim_check "20 rounds of a doorbell on vector 3 from each of $ncpu CPUs, 100 us apart: the handler saw the last one each time${short:+ (not:$short)}" \
	test -z "$short"

ktap_finished
