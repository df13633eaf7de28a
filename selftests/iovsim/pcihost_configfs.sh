#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost configfs: every attribute with bad input fails with a
# clear errno, logs one line and changes nothing; changes while enabled
# are refused.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup
ktap_print_header
ktap_set_plan 20

dev=$CFS/pcitest/cf
mkdir "$dev"

# bad ATTR VALUE ERRNO: writing VALUE to ATTR of the device fails with ERRNO.
bad() {
	iovsim_expect_write_error "$dev/$1" "$2" "$3" "$1"
}

iovsim_check "a device directory has model, slot, enable, address, nvec, revision" \
	eval 'for f in model slot enable address nvec revision; do
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
rmdir "$dev"

ktap_finished
