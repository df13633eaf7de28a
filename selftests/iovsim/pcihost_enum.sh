#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost enumeration: the domain, the MMIO window, IDs, class,
# BARs, capabilities as lspci decodes them, absent functions, rescan and
# per-device remove, the driver_override safety net, model pinning.
#
# The window check means most in a VM with hot-pluggable memory, which
# puts a hot-plug range in the SRAT (scripts/vmtest -q -m -q
# 2048,slots=2,maxmem=100G).

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup nr_fns=2
ktap_print_header
ktap_set_plan 17

dom=$(pcihost_domain)
a0=$dom:00:00.0
a1=$dom:00:01.0

# At least 18000 (VMD starts at 10000), above every other domain, and no
# other root bus in it.
domain_is_highest() {
	local d n=0
	[ $((16#$dom)) -ge $((16#18000)) ] || return 1
	for d in $(ls "$PCIDEVS" | cut -d: -f1 | sort -u); do
		[ $((16#$d)) -le $((16#$dom)) ] || return 1
	done
	for d in /sys/class/pci_bus/"$dom":*; do
		[ -e "$d" ] || continue
		n=$((n + 1))
		case $(readlink -f "$d") in
		/sys/devices/platform/iovsim_pcihost/*) ;;
		*) return 1 ;;
		esac
	done
	[ "$n" -ge 1 ]
}
iovsim_check "domain $dom: at least 18000, above every other domain, its own" \
	domain_is_highest

# The window overlaps no other top-level entry of /proc/iomem and lies
# above RAM and above every memory range of the SRAT, hot-plug ones
# included.
window_clear() {
	local line s e ws we ranges
	read -r ws we < <(sed -n 's/^\([0-9a-f]*\)-\([0-9a-f]*\) : iovsim PCI MMIO$/\1 \2/p' /proc/iomem)
	[ -n "$ws" ] || return 1
	ws=$((16#$ws)) we=$((16#$we))
	while read -r line; do
		s=$((16#${line%%-*})) e=${line#*-} e=$((16#${e%% *}))
		case $line in *"iovsim PCI MMIO") continue ;; esac
		[ "$e" -lt "$ws" ] || [ "$s" -gt "$we" ] || { echo "# overlaps: $line"; return 1; }
	done < <(grep -v '^ ' /proc/iomem)
	while read -r e; do
		[ "$e" -lt "$ws" ] || { echo "# RAM ends at $e"; return 1; }
	done < <(sed -n 's/^ *[0-9a-f]*-\([0-9a-f]*\) : System RAM$/\1/p' /proc/iomem |
		 while read -r x; do echo $((16#$x)); done)
	ranges=$(dmesg | sed -n 's/.*SRAT: Node .* \[mem 0x[0-9a-f]*-0x\([0-9a-f]*\)\].*/\1/p')
	for e in $ranges; do
		[ $((16#$e)) -lt "$ws" ] || { echo "# SRAT range ends at 0x$e"; return 1; }
	done
	echo "# SRAT memory ranges end at: ${ranges:-none}"
}
iovsim_check "the window overlaps nothing in /proc/iomem, lies above RAM and the SRAT memory ranges" \
	window_clear

iovsim_check "two functions at 00.0 and 01.0" \
	test "$(pcihost_fns | tr '\n' ' ')" = "$a0 $a1 "

ids_ok() {
	[ "$(<"$PCIDEVS/$a0/vendor")" = 0x1b36 ] &&
	[ "$(<"$PCIDEVS/$a0/device")" = 0x10f0 ] &&
	[ "$(<"$PCIDEVS/$a0/class")" = 0xff0000 ] &&
	[ "$(<"$PCIDEVS/$a0/subsystem_vendor")" = 0x1b36 ]
}
iovsim_check "vendor, device, class and subsystem IDs" ids_ok

iovsim_check "iovsim_pcitest bound, driver_override set" \
	test "$(pcihost_driver "$a0")/$(<"$PCIDEVS/$a0/driver_override")" = \
	"iovsim_pcitest/iovsim_pcitest"

# resource: "start end flags" per BAR; BAR 0 and 2 are 4 KiB 64-bit memory.
bars_ok() {
	local n=0 start end flags
	while read -r start end flags; do
		case $n in
		0 | 2)
			[ $((end - start + 1)) -eq 4096 ] || return 1
			[ $((flags & 0x200)) -ne 0 ] || return 1	# MEM
			[ $((flags & 0x100000)) -ne 0 ] || return 1	# MEM_64
			[ $((start)) -ge $((0x1000000000)) ] || return 1
			;;
		1 | 3 | 4 | 5)
			[ $((end)) -eq 0 ] || return 1
			;;
		esac
		n=$((n + 1))
	done <"$PCIDEVS/$a0/resource"
}
iovsim_check "BARs 0 and 2: 4 KiB, 64-bit, above RAM; others empty" bars_ok

# The window's range from /proc/iomem, and every assigned BAR of both
# functions inside it, compared as numbers.
win=$(sed -n 's/^ *\([0-9a-f]*\)-\([0-9a-f]*\) : iovsim PCI MMIO$/\1 \2/p' /proc/iomem)
bars_in_window() {
	local ws=$((16#${win% *})) we=$((16#${win#* })) f start end flags n=0
	[ -n "$win" ] && [ "$ws" -gt 0 ] && [ "$we" -gt "$ws" ] || return 1
	for f in "$a0" "$a1"; do
		while read -r start end flags; do
			[ $((end)) -ne 0 ] || continue
			[ $((start)) -ge "$ws" ] && [ $((end)) -le "$we" ] || return 1
			n=$((n + 1))
		done <"$PCIDEVS/$f/resource"
	done
	[ "$n" -eq 4 ]
}
iovsim_check "the window is in /proc/iomem ($win), the four BARs inside it" \
	bars_in_window

lspci_out=$(lspci -vvv -s "$a0")
caps_ok() {
	grep -q "Express (v2) Root Complex Integrated Endpoint" <<<"$lspci_out" &&
	grep -q "FLReset+" <<<"$lspci_out" &&
	grep -q "Power Management version 3" <<<"$lspci_out" &&
	grep -q "MSI-X: Enable+ Count=4" <<<"$lspci_out" &&
	grep -q "Vector table: BAR=2 offset=00000000" <<<"$lspci_out" &&
	grep -q "Capabilities: \[[0-9a-f]*\] Vendor Specific Information: Len=10" <<<"$lspci_out" &&
	grep -q "Capabilities: \[100 v1\] Vendor Specific Information: ID=0001 Rev=0 Len=008" <<<"$lspci_out"
}
if caps_ok; then
	ktap_test_pass "lspci -vvv decodes PCIe, PM, MSI-X, vendor caps"
else
	sed 's/^/# /' <<<"$lspci_out"
	ktap_test_fail "lspci -vvv decodes PCIe, PM, MSI-X, vendor caps"
fi

iovsim_check "4 KiB configuration space" \
	test "$(stat -c %s "$PCIDEVS/$a0/config")" -eq 4096

absent=$(<"$DBG/$a0/absent")
iovsim_check "an absent function reads all-ones with an error ($absent)" \
	test "${absent%% *}" = 0xffffffff -a "${absent##* }" != 0

echo 1 >/sys/bus/pci/rescan
iovsim_check "a bus rescan finds nothing new" \
	test "$(pcihost_fns | wc -l)" -eq 2

echo 1 >"$PCIDEVS/$a1/remove"
gone=$(pcihost_fns | wc -l)
echo 1 >/sys/bus/pci/rescan
iovsim_check "remove one function and rescan: gone, then back and bound" \
	test "$gone" -eq 1 -a "$(pcihost_fns | wc -l)" -eq 2 -a \
	"$(pcihost_driver "$a1")" = iovsim_pcitest

# A stock driver given our IDs does not bind: the notifier's
# driver_override refuses it.  With $a1 unbound, adding the ID to
# pci-stub makes the driver core try pci-stub on it at once, and
# pci-stub is the only driver that matches it.
modprobe pci-stub
echo "$a1" >/sys/bus/pci/drivers/iovsim_pcitest/unbind
newid=$(write_errno /sys/bus/pci/drivers/pci-stub/new_id "1b36 10f0")
iovsim_check "a stock driver given the ID (new_id: $newid) is refused: driver_override $(<"$PCIDEVS/$a1/driver_override"), no driver bound" \
	test "$newid" = OK -a ! -e "$PCIDEVS/$a1/driver" -a \
	"$(<"$PCIDEVS/$a1/driver_override")" = iovsim_pcitest

# The user rebinds the usual way.
echo pci-stub >"$PCIDEVS/$a1/driver_override"
echo "$a1" >/sys/bus/pci/drivers_probe
iovsim_check "driver_override rebinds to the driver the user names" \
	test "$(pcihost_driver "$a1")" = pci-stub

rmmod_out=$(rmmod iovsim_pcitest 2>&1)
iovsim_check "rmmod of the model while a foreign driver is bound: refused ($rmmod_out)" \
	eval 'iovsim_module_loaded iovsim_pcitest && grep -q "in use" <<<"$rmmod_out"'

# While a foreign driver is bound the model module is pinned, once,
# however many times the driver core probes (DEBUG_TEST_DRIVER_REMOVE
# probes twice): bind/unbind cycles leave the count where it was.
refcnt() { cat /sys/module/iovsim_pcitest/refcnt; }
pinned=$(refcnt)
echo "$a1" >/sys/bus/pci/drivers/pci-stub/unbind
base=$(refcnt)
counts=
for _ in 1 2 3; do
	echo "$a1" >/sys/bus/pci/drivers/pci-stub/bind
	counts="$counts $(refcnt)"
	echo "$a1" >/sys/bus/pci/drivers/pci-stub/unbind
	counts="$counts/$(refcnt)"
done
iovsim_check "a foreign driver pins the model once (refcnt $pinned, unbound $base, bind/unbind:$counts)" \
	test "$pinned" -eq $((base + 1)) -a \
	"$counts" = " $((base + 1))/$base $((base + 1))/$base $((base + 1))/$base"
write_errno /sys/bus/pci/drivers/pci-stub/remove_id "1b36 10f0" >/dev/null
echo iovsim_pcitest >"$PCIDEVS/$a1/driver_override"
echo "$a1" >/sys/bus/pci/drivers_probe
rmmod pci-stub 2>/dev/null
iovsim_check "after the cycles the model module unloads (refcnt $(refcnt))" \
	eval '[ "$(refcnt)" -eq 0 ] && iovsim_unload iovsim_pcitest &&
	      ! iovsim_module_loaded iovsim_pcitest'

ktap_finished
