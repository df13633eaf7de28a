#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost configfs: every attribute with bad input fails with a
# clear errno, logs one line and changes nothing; changes while enabled
# are refused.  A multi-function slot survives sysfs remove and rescan.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup
ktap_print_header
ktap_set_plan 28

dev=$CFS/pcitest/cf
mkdir "$dev"

# bad ATTR VALUE ERRNO: writing VALUE to ATTR of the device fails with ERRNO.
bad() {
	iovsim_expect_write_error "$dev/$1" "$2" "$3" "$1"
}

iovsim_check "a device directory has model, slot, function, enable, address, nvec, revision" \
	eval 'for f in model slot function enable address nvec revision; do
		[ -e "$dev/$f" ] || exit 1; done'
iovsim_check "model reads pcitest, not writable" \
	test "$(<"$dev/model")" = pcitest -a \
	"$(write_errno "$dev/model" other)" != OK
iovsim_check "address is empty while disabled, not writable" \
	test -z "$(<"$dev/address")" -a \
	"$(write_errno "$dev/address" 10000:00:01.0)" != OK

bad slot abc EINVAL
bad slot 32 ERANGE
bad slot -2 ERANGE
bad function x EINVAL
bad function 8 ERANGE
bad function -1 ERANGE
bad nvec 0 ERANGE
bad nvec 65 ERANGE
bad nvec x EINVAL
bad revision 256 ERANGE
bad revision -1 EINVAL
bad enable maybe EINVAL

iovsim_check "mkdir at the top level is refused" \
	eval '! mkdir "$CFS/nomodel" 2>/dev/null'
iovsim_check "mkdir under an unknown model fails" \
	eval '! mkdir "$CFS/nosuchmodel/x" 2>/dev/null'

write_errno "$dev/slot" 5 >/dev/null
write_errno "$dev/nvec" 8 >/dev/null
write_errno "$dev/revision" 7 >/dev/null
write_errno "$dev/enable" 1 >/dev/null
a=$(<"$dev/address")
iovsim_check "enable honours slot, nvec, revision ($a)" \
	test "${a#*:00:}" = 05.0 -a \
	"$(<"$PCIDEVS/$a/revision")" = 0x07 -a \
	"$(grep -c ' iovsim .*iovsim_pcitest' /proc/interrupts)" -eq 8

bad slot 6 EBUSY
bad function 1 EBUSY
bad nvec 2 EBUSY
bad revision 1 EBUSY

mkdir "$CFS/pcitest/cf2"
write_errno "$CFS/pcitest/cf2/slot" 5 >/dev/null
dmesg_mark
got=$(write_errno "$CFS/pcitest/cf2/enable" 1)
iovsim_check "enabling a second device on a taken slot: $got, one log line" \
	test "$got" = EBUSY -a "$(dmesg_since | grep -c .)" -eq 1 -a \
	"$(<"$CFS/pcitest/cf2/enable")" = 0
rmdir "$CFS/pcitest/cf2"

write_errno "$dev/enable" 0 >/dev/null
iovsim_check "disable removes the function, address empties" \
	test ! -e "$PCIDEVS/$a" -a -z "$(<"$dev/address")"

write_errno "$dev/slot" -1 >/dev/null
write_errno "$dev/function" 2 >/dev/null
dmesg_mark
got=$(write_errno "$dev/enable" 1)
iovsim_check "function 2 without a slot: $got, one log line, not enabled" \
	test "$got" = EINVAL -a "$(dmesg_since | grep -c .)" -eq 1 -a \
	"$(<"$dev/enable")" = 0
rmdir "$dev"

# A multi-function slot: functions 0, 1 and 3 of slot 7.  Function 0
# says so in Header Type bit 7, so a rescan after sysfs remove of them all
# finds all three again (a scan stops at function 0 otherwise).
for f in 0 1 3; do
	mkdir "$CFS/pcitest/mf$f"
	write_errno "$CFS/pcitest/mf$f/slot" 7 >/dev/null
	write_errno "$CFS/pcitest/mf$f/function" $f >/dev/null
	write_errno "$CFS/pcitest/mf$f/enable" 1 >/dev/null
done
dom=$(pcihost_domain)
mfns() { pcihost_fns | grep -c ":00:07\.[013]$"; }
hdr=$(setpci -s "$dom:00:07.0" HEADER_TYPE)
iovsim_check "functions 07.0, 07.1, 07.3 added ($(mfns)), 07.0 Header Type $hdr multi-function, 07.1 $(setpci -s "$dom:00:07.1" HEADER_TYPE)" \
	test "$(mfns)" -eq 3 -a "$hdr" = 80 -a \
	"$(setpci -s "$dom:00:07.1" HEADER_TYPE)" = 00
for f in 3 1 0; do
	echo 1 >"$PCIDEVS/$dom:00:07.$f/remove"
done
gone=$(mfns)
echo 1 >/sys/bus/pci/rescan
bound=0
for f in 0 1 3; do
	pcihost_bound_to "$dom:00:07.$f" iovsim_pcitest && bound=$((bound + 1))
done
iovsim_check "sysfs remove of the slot's functions ($gone left), rescan: all $(mfns) back, $bound bound" \
	test "$gone" -eq 0 -a "$(mfns)" -eq 3 -a "$bound" -eq 3
rmdir "$CFS/pcitest/mf1"
iovsim_check "with 07.1 disabled, 07.0 still multi-function ($(setpci -s "$dom:00:07.0" HEADER_TYPE)); alone, it is not" \
	eval '[ "$(setpci -s "$dom:00:07.0" HEADER_TYPE)" = 80 ] &&
	      rmdir "$CFS/pcitest/mf3" &&
	      [ "$(setpci -s "$dom:00:07.0" HEADER_TYPE)" = 00 ]'
rmdir "$CFS/pcitest/mf0"

ktap_finished
