#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim_pcihost device-side DMA: the test function's copy engine reaches
# the driver's buffer through iovsim_ring's in-host DMA context.  Copies
# are checked byte for byte; bad lengths, addresses that are not host RAM
# and copies with bus mastering off or in D3hot are refused with an error
# (the host counts the refusals) and leave memory as it was; a
# function-level reset stops a copy under way before it completes;
# hot-remove and hot-add while the driver is copying and ringing
# doorbells.

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/pcihost_lib.sh"

pcihost_setup nr_fns=1
ktap_print_header
ktap_set_plan 23

dom=$(pcihost_domain)
a=$dom:00:00.0
d=$DBG/$a
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"; iovsim_unload_all' EXIT

# Builtins only: under TCG an exec costs a large part of a second.
handled0() {
	local v n
	while read -r v _ n _; do
		[ "$v" = 0 ] && echo "$n"
	done <"$d/counts"
}
copied() {
	local n
	read -r _ n _ <"$d/dma"
	echo "$n"
}
refused() {
	local n
	read -r _ _ _ _ _ n <"$d/dma"
	echo "$n"
}

head -c 65536 /dev/urandom >"$tmp/pat"
cat "$tmp/pat" >"$d/dma_buf"
irqs0=$(handled0)

# A copy inside the buffer, page aligned.
write_errno "$d/dma" "0 32768 8192" >"$tmp/r1"
cat "$d/dma_buf" >"$tmp/b1"
iovsim_check "copy 8 KiB from offset 0 to 32768: $(<"$tmp/r1"), data copied" \
	eval 'test "$(<"$tmp/r1")" = OK &&
	      cmp -s -n 8192 -i 0:32768 "$tmp/pat" "$tmp/b1"'
iovsim_check "the rest of the buffer is untouched" \
	eval 'cmp -s -n 32768 "$tmp/pat" "$tmp/b1" &&
	      cmp -s -i 40960:40960 "$tmp/pat" "$tmp/b1"'

# Unaligned, crossing pages on both sides.
write_errno "$d/dma" "100 45000 5000" >"$tmp/r2"
cat "$d/dma_buf" >"$tmp/b2"
iovsim_check "unaligned 5000-byte copy across pages: $(<"$tmp/r2"), data copied" \
	eval 'test "$(<"$tmp/r2")" = OK &&
	      cmp -s -n 5000 -i 100:45000 "$tmp/pat" "$tmp/b2" &&
	      cmp -s -n 45000 "$tmp/b1" "$tmp/b2" &&
	      cmp -s -i 50000:50000 "$tmp/b1" "$tmp/b2"'

iovsim_check "two copies: DMA_COPIED $(copied), completion IRQs +$(($(handled0) - irqs0))" \
	test "$(copied)" -eq 2 -a $(($(handled0) - irqs0)) -eq 2

# bad CMD ERRNO WHAT: the copy fails with ERRNO, nothing in the buffer or
# the copy count changes.
bad() {
	local cmd=$1 want=$2 what=$3 got n0
	n0=$(copied)
	got=$(write_errno "$d/dma" "$cmd")
	cat "$d/dma_buf" >"$tmp/after"
	if [ "$got" = "$want" ] && cmp -s "$tmp/b2" "$tmp/after" &&
		[ "$(copied)" -eq "$n0" ]; then
		ktap_test_pass "$what: $want, memory unchanged"
	else
		ktap_test_fail "$what: got $got (want $want), copied $(copied) (was $n0)"
	fi
}

bar0=$(awk 'NR == 1 { print $1 }' "$PCIDEVS/$a/resource")
ram=$(sed -n 's/^\([0-9a-f]*\)-[0-9a-f]* : System RAM$/\1/p' /proc/iomem | tail -n 1)

bad "0 4096 0" EINVAL "zero length (refused by the engine)"
bad "from ${bar0#0x} 0 4096" EFAULT "source in the function's own BAR (MMIO)"
bad "from 7fff00000000 0 4096" EFAULT "source above every RAM and window"
bad "from fffffffffffff000 0 8192" EFAULT "source range wrapping past 2^64"
bad "to 0 ${bar0#0x} 4096" EFAULT "destination in MMIO"
bad "to 0 $ram 4096" EPERM "destination in host RAM (driver safety net)"
bad "0 65000 4096" ERANGE "range past the driver's buffer (driver)"

iovsim_check "no transfer refused by the host so far ($(refused))" \
	test "$(refused)" = 0

cmd=$(setpci -s "$a" COMMAND)
setpci -s "$a" "COMMAND=$(printf '%04x' $((16#$cmd & ~4)))"
bad "0 16384 4096" EIO "bus mastering disabled"
setpci -s "$a" "COMMAND=$cmd"
iovsim_check "bus mastering enabled again: copies work" \
	test "$(write_errno "$d/dma" "0 16384 4096")" = OK

cat "$d/dma_buf" >"$tmp/b2"
pm=$(setpci -s "$a" CAP_PM+4.w)
setpci -s "$a" "CAP_PM+4.w=$(printf '%04x' $((16#$pm | 3)))"
bad "0 16384 4096" EIO "in D3hot"
setpci -s "$a" "CAP_PM+4.w=$pm"
iovsim_check "back in D0: copies work" \
	test "$(write_errno "$d/dma" "0 16384 4096")" = OK
iovsim_check "the host refused and counted two transfers ($(refused))" \
	test "$(refused)" = 2

# With the completion vector masked the driver still sees the copy end;
# the interrupt is delivered once unmasked.
n0=$(handled0)
echo "0 1" >"$d/mask"
r=$(write_errno "$d/dma" "0 20480 4096")
masked=$(handled0)
echo "0 0" >"$d/mask"
iovsim_check "a copy with its vector masked: $r, IRQs +$((masked - n0)) masked, +$(($(handled0) - n0)) after unmask" \
	test "$r" = OK -a "$masked" -eq "$n0" -a $(($(handled0) - n0)) -eq 1

# A function-level reset during a copy: the engine holds the bus for 4 s
# before it moves data (long enough for a slow VM to see it busy), and the
# reset must stop it before the reset completes.
status() {
	local s
	read -r _ _ _ s _ <"$d/dma"
	echo "$s"
}
cat "$d/dma_buf" >"$tmp/b4"
echo 4000 >"$d/dma_delay_ms"
write_errno "$d/dma" "0 24576 4096" >"$tmp/rflr" &
bg=$!
for ((i = 0; i < 100; i++)); do
	[ "$(status)" = 1 ] && break
	sleep 0.05
done
busy=$(status)
echo 1 >"$PCIDEVS/$a/reset"
st=$(status)
wait "$bg"
sleep 4.2
cat "$d/dma_buf" >"$tmp/b5"
iovsim_check "FLR during a copy: status $busy before, $st right after (want 1, 0), the copy failed: $(<"$tmp/rflr") (want EIO), memory unchanged" \
	eval 'test "$busy" = 1 -a "$st" = 0 -a "$(<"$tmp/rflr")" = EIO &&
	      cmp -s "$tmp/b4" "$tmp/b5"'
iovsim_check "after the reset: the delay is 0 ($(<"$d/dma_delay_ms")), copies work" \
	test "$(<"$d/dma_delay_ms")" = 0 -a \
	"$(write_errno "$d/dma" "0 24576 4096")" = OK

# Hot-remove and hot-add of a second function while its driver copies and
# rings doorbells in a loop.
dev=$CFS/pcitest/dmahp
mkdir "$dev"
echo 4 >"$dev/slot"
echo 1 >"$dev/enable"
hp=$DBG/$dom:00:04.0
# Builtins only, so that I/O keeps up with the cycles; bash reports a
# failed open or write on stderr.
(
	while [ ! -e "$tmp/stop" ]; do
		{ echo "0 4096 4096" >>"$hp/dma"; } 2>>"$tmp/io.err" &&
			echo OK
		{ echo 1 >>"$hp/doorbell"; } 2>>"$tmp/io.err"
	done >"$tmp/io.log"
) &
io=$!
fail=0
for ((i = 1; i <= 20; i++)); do
	echo 0 >"$dev/enable" || { fail=$i; break; }
	echo 1 >"$dev/enable" || { fail=$i; break; }
	pcihost_bound_to "$dom:00:04.0" iovsim_pcitest || { fail=$i; break; }
done
touch "$tmp/stop"
wait "$io"
iovsim_check "20 hot-remove/add cycles during I/O (failed at $fail)" \
	test "$fail" -eq 0
ok=$(grep -c '^OK$' "$tmp/io.log")
# Opens race with the removal of the debugfs files (ENOENT, EACCES), writes
# to a removed file fail with EIO.  Nothing else may happen.
other=$(grep -v -e 'No such file or directory' -e 'Input/output error' \
	-e 'Permission denied' "$tmp/io.err" | sort -u | tr '\n' ' ')
iovsim_check "I/O during hot-plug: $ok copies done, the rest ENOENT, EACCES or EIO (unexpected: '${other}')" \
	test "$ok" -gt 0 -a -z "$other"

head -c 4096 /dev/urandom >"$tmp/p2"
cat "$tmp/p2" >"$hp/dma_buf"
write_errno "$hp/dma" "0 61440 4096" >/dev/null
cat "$hp/dma_buf" >"$tmp/b3"
iovsim_check "the re-added function copies correctly" \
	cmp -s -n 4096 -i 0:61440 "$tmp/p2" "$tmp/b3"
rmdir "$dev"

ktap_finished
