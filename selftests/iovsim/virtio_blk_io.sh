#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim virtio-blk under load: fio writes random 4k-1M blocks at depth 32
# from every CPU (so every request queue) and verifies them with crc32c;
# discard and write-zeroes read back as zeroes, the bytes around each
# discarded range stay as written, and write-zeroes really reaches the
# device as WRITE_ZEROES requests (not the block layer's fallback of
# writing zeroes); unbinding and rebinding the transport keeps the data;
# device resets under running I/O recover with no I/O error and no
# corruption; unbinding the driver with fio's requests in flight leaves
# the host well and the device usable.
#
# shellcheck disable=SC2034 # variables used inside the eval'd checks

. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/virtio_lib.sh"

virtio_setup
mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
ktap_print_header
if ! command -v fio >/dev/null; then
	ktap_skip_all "fio is not installed"
	exit "$KSFT_SKIP"
fi
ktap_set_plan 15

tmp=$(mktemp -d)
cleanup() {
	[ -n "${fiopid:-}" ] && kill "$fiopid" 2>/dev/null && wait "$fiopid"
	virtio_disable virtio-blk io0
	rm -rf "$tmp"
	iovsim_unload_all
}
trap cleanup EXIT

ncpu=$(nproc)
addr=$(virtio_enable virtio-blk io0 capacity=32M queues="$ncpu")
virtio_wait_for virtio_disk "$addr" >/dev/null
disk=$(virtio_disk "$addr")
dev=/dev/$disk
vd=$(basename "$(readlink -f "$PCIDEVS/$addr"/virtio*)")
serial=$(cat "/sys/block/$disk/serial")
# stat NAME: the device's counter NAME (requests of a type it completed)
stat() {
	awk -v k="$1" '$1 == k { print $2 }' \
		"/sys/kernel/debug/iovsim_virtio/blk/$serial/stats"
}

# Total interrupts of each request queue, "n0 n1 ...".
queue_irqs() {
	local q irq
	for ((q = 0; q < ncpu; q++)); do
		irq=$(awk -v n="$vd-req.$q" '$NF == n { sub(":", "", $1); print $1 }' \
			/proc/interrupts)
		awk -v irq="$irq:" '$1 == irq {
			n = 0
			for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
				n += $i
			printf "%d ", n
		}' /proc/interrupts
	done
}

# One fio job per CPU, each pinned and on its own 6 MiB of the disk.
fio_jobs() {
	local c
	for ((c = 0; c < ncpu; c++)); do
		printf '[j%d]\ncpus_allowed=%d\noffset=%dM\n' "$c" "$c" $((c * 6))
	done
}
# allow_file_create=0: a disk that went away must fail the job, not
# become a regular file under /dev (which would then hide the disk's node).
cat >"$tmp/verify.fio" <<JOB
[global]
filename=$dev
allow_file_create=0
ioengine=libaio
direct=1
iodepth=32
rw=randwrite
bsrange=4k-1m
size=4M
verify=crc32c
do_verify=1
verify_fatal=1
$(fio_jobs)
JOB
iovsim_check "packed virtqueues negotiated (feature bit 34)" \
	test "$(cut -c35 "$PCIDEVS/$addr"/virtio*/features)" = 1
before=$(queue_irqs)
iovsim_check "fio: random 4k-1M writes at depth 32 on $ncpu queues verify with crc32c" \
	eval 'fio --output="$tmp/fio.log" "$tmp/verify.fio" &&
		! grep -q "verify: bad\|err=[ ]*[1-9]" "$tmp/fio.log"'
after=$(queue_irqs)
read -ra b <<<"$before"
read -ra a <<<"$after"
busy=0
for ((q = 0; q < ncpu; q++)); do
	[ "${a[$q]:-0}" -gt "${b[$q]:-0}" ] && busy=$((busy + 1))
done
iovsim_check "every request queue interrupted ($before -> $after)" \
	test "$busy" -eq "$ncpu"

# zeroed OFFSET_MB: 1 MiB at OFFSET_MB reads back as zeroes.
zeroed() {
	cmp -s -n 1048576 <(dd if="$dev" bs=1M skip="$1" count=1 iflag=direct \
		status=none) /dev/zero
}
head -c 2097152 /dev/urandom | dd of="$dev" bs=1M seek=20 oflag=direct \
	status=none
d0=$(awk '{ print $12 }' "/sys/block/$disk/stat")
iovsim_check "discard reaches the device and reads back as zeroes" \
	eval 'blkdiscard -o $((20 << 20)) -l $((1 << 20)) "$dev" &&
		[ "$(awk "{ print \$12 }" "/sys/block/$disk/stat")" -gt "$d0" ] &&
		zeroed 20'
# WRITE_ZEROES is feature bit 14; without it BLKZEROOUT writes zeroes
# itself, so reading zeroes back proves nothing on its own.
wz0=$(stat write_zeroes)
wzf0=$(stat write_zeroes_failed)
w0=$(stat write)
iovsim_check "WRITE_ZEROES negotiated, write_zeroes_max_bytes > 0" \
	eval '[ "$(cut -c15 "$PCIDEVS/$addr"/virtio*/features)" = 1 ] &&
		[ "$(cat "/sys/block/$disk/queue/write_zeroes_max_bytes")" -gt 0 ]'
iovsim_check "write-zeroes (blkdiscard -z) reads back as zeroes" \
	eval 'blkdiscard -z -o $((21 << 20)) -l $((1 << 20)) "$dev" &&
		zeroed 21'
iovsim_check "and the device completed it as WRITE_ZEROES requests (write_zeroes $wz0 -> $(stat write_zeroes), failed $wzf0 -> $(stat write_zeroes_failed), writes $w0 -> $(stat write))" \
	test "$(stat write_zeroes)" -gt "$wz0" -a \
	"$(stat write_zeroes_failed)" -eq "$wzf0" -a "$(stat write)" -eq "$w0"

# Discard ranges inside a written pattern, some not page aligned or
# crossing pages: each range reads back as zeroes, every byte around
# it as written (the expected image is the pattern with the ranges
# zeroed).
head -c 2097152 /dev/urandom >"$tmp/dpat"
cp "$tmp/dpat" "$tmp/dexp"
dd if="$tmp/dpat" of="$dev" bs=1M seek=29 oflag=direct status=none
dc0=$(stat discard)
dok=1
for r in 4096:4096 66048:1536 1048064:1024 1056768:12288 2093056:512; do
	o=${r%%:*}
	l=${r#*:}
	blkdiscard -o $(((29 << 20) + o)) -l "$l" "$dev" || dok=
	dd if=/dev/zero of="$tmp/dexp" bs=512 seek=$((o / 512)) \
		count=$((l / 512)) conv=notrunc status=none
done
iovsim_check "5 discards inside a pattern: ranges zero, neighbours intact" \
	eval '[ -n "$dok" ] && [ "$(stat discard)" -ge $((dc0 + 5)) ] &&
		cmp <(dd if="$dev" bs=1M skip=29 count=2 iflag=direct \
			status=none) "$tmp/dexp"'

head -c 4194304 /dev/urandom >"$tmp/pattern"
dd if="$tmp/pattern" of="$dev" bs=1M seek=24 oflag=direct status=none
sum=$(sha256sum <"$tmp/pattern")
echo "$addr" >/sys/bus/pci/drivers/iovsim_virtio/unbind
gone=$(test ! -e "/sys/block/$disk" && echo yes)
echo "$addr" >/sys/bus/pci/drivers/iovsim_virtio/bind
virtio_wait_for virtio_disk "$addr" >/dev/null
disk=$(virtio_disk "$addr")
dev=/dev/$disk
vd=$(basename "$(readlink -f "$PCIDEVS/$addr"/virtio*)")
iovsim_check "unbind removes the disk, rebind brings it back with its data" \
	eval '[ "$gone" = yes ] && [ -b "$dev" ] &&
		[ "$(dd if="$dev" bs=1M skip=24 count=4 iflag=direct status=none |
			sha256sum)" = "$sum" ]'

sed -i "s|^filename=.*|filename=$dev|; s|^size=4M|size=3M|" "$tmp/verify.fio"
sed -i 's|^rw=randwrite|rw=randwrite\ntime_based=0\nloops=6|' "$tmp/verify.fio"
fio --output="$tmp/fio2.log" "$tmp/verify.fio" &
fiopid=$!
resets=0
for _ in 1 2 3; do
	sleep 0.5
	kill -0 "$fiopid" 2>/dev/null || break
	echo 1 >"/sys/kernel/debug/iovsim_virtio/$addr/reset" &&
		resets=$((resets + 1))
done
wait "$fiopid"
rc=$?
fiopid=
iovsim_check "$resets device resets under fio: no I/O error, data verifies" \
	eval '[ "$resets" -ge 1 ] && [ "$rc" -eq 0 ] &&
		! grep -q "verify: bad\|err=[ ]*[1-9]" "$tmp/fio2.log"'
iovsim_check "the pattern outside fio's range survived the resets" \
	eval '[ "$(dd if="$dev" bs=1M skip=24 count=4 iflag=direct status=none |
		sha256sum)" = "$sum" ]'

# Unbind with requests in flight: the driver's remove fails or drains
# them and resets the device; fio may see errors, the host must not.
cat >"$tmp/busy.fio" <<JOB
[busy]
filename=$dev
allow_file_create=0
ioengine=libaio
direct=1
iodepth=32
rw=randrw
bs=4k
size=8M
time_based=1
runtime=30
JOB
fio --output="$tmp/busy.log" "$tmp/busy.fio" &
fiopid=$!
# Unbind only once fio has requests in flight (a slow guest takes a while
# to start it).
inflight=0
for ((i = 0; i < 300 && inflight == 0; i++)); do
	sleep 0.1
	inflight=$(awk '{ print $1 + $2 }' "/sys/block/$disk/inflight")
done
dmesg_mark
echo "$addr" >/sys/bus/pci/drivers/iovsim_virtio/unbind
wait "$fiopid"
fiopid=
iovsim_check "unbind with $inflight requests of fio in flight: fio ended, the disk is gone" \
	eval '[ "$inflight" -gt 0 ] && [ ! -e "/sys/block/$disk" ] &&
		! dmesg_since | grep -q "device needs reset"'
echo "$addr" >/sys/bus/pci/drivers/iovsim_virtio/bind
# The disk that stays: a kernel that probes each driver twice
# (DEBUG_TEST_DRIVER_REMOVE) shows and removes other names first.
udevadm settle 2>/dev/null
virtio_wait_for virtio_disk "$addr" >/dev/null
disk=$(virtio_disk "$addr")
dev=/dev/$disk
virtio_wait_for test -b "$dev"
echo "# rebound disk: $disk, node: $(ls -l "$dev" 2>&1)"
sed -i "s|^filename=.*|filename=$dev|; s|^loops=6|loops=1|" "$tmp/verify.fio"
rc=1
[ -b "$dev" ] && fio --output="$tmp/fio3.log" "$tmp/verify.fio" \
	2>"$tmp/fio3.err" && rc=0
if ! iovsim_check "rebound: the device comes back as ${disk:-nothing}, fio writes verify (fio status $rc)" \
	eval '[ "$rc" -eq 0 ] && ! grep -q "verify: bad\|err=[ ]*[1-9]" "$tmp/fio3.log"'; then
	cat "$tmp/fio3.err" 2>/dev/null | sed 's/^/# fio: /'
	grep -E "err=|verify|error" "$tmp/fio3.log" 2>/dev/null | head -n 10 |
		sed 's/^/# fio: /'
	ls /sys/bus/pci/devices/"$addr"/virtio*/block 2>&1 | sed 's/^/# disks: /'
	ls -l /dev/vd* 2>&1 | sed 's/^/# nodes: /'
fi
iovsim_check "the pattern written before survived" \
	eval '[ "$(dd if="$dev" bs=1M skip=24 count=2 iflag=direct status=none |
		sha256sum)" = "$(head -c 2097152 "$tmp/pattern" | sha256sum)" ]'

iovsim_check "disable after all that is clean" \
	virtio_disable virtio-blk io0

ktap_finished
