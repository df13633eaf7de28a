# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Demo section: the software PCI host bridge and a test function.

mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
modprobe configfs 2>/dev/null
mountpoint -q /sys/kernel/config || mount -t configfs none /sys/kernel/config

say "iovsim_pcihost creates a PCI domain of its own, with a memory window nothing backs."
show iovsim_load iovsim_pcitest || return 1
dom=$(basename /sys/devices/platform/iovsim_pcihost/pci*:00)
dom=${dom#pci}
dom=${dom%:00}
dmesg | grep 'iovsim_pcihost: PCI domain' | tail -n 1
show grep -A2 'iovsim PCI MMIO' /proc/iomem

say "Models register with the host and appear in configfs; mkdir + enable adds a function."
show ls /sys/kernel/config/iovsim/
show mkdir /sys/kernel/config/iovsim/pcitest/demo0
show sh -c 'echo 8 > /sys/kernel/config/iovsim/pcitest/demo0/nvec'
show sh -c 'echo 1 > /sys/kernel/config/iovsim/pcitest/demo0/enable'
a=$(cat /sys/kernel/config/iovsim/pcitest/demo0/address)
show cat /sys/kernel/config/iovsim/pcitest/demo0/address

say "The PCI core enumerated it through emulated config cycles: lspci decodes it."
show lspci -vvv -s "$a"

say "Its driver uses BAR accessors, never the (unbacked) BAR addresses, and real IRQs."
d=/sys/kernel/debug/iovsim_pcitest/$a
show cat "$d/id"
for v in 0 3 3 7; do echo "$v" >"$d/doorbell"; done
sleep 0.2
show grep -E 'CPU|iovsim' /proc/interrupts

say "Direct I/O: the function's DMA engine copies inside the driver's buffer, then interrupts."
printf 'iovsim DMA demo' >"$d/dma_buf"
show sh -c "echo '0 4096 15' > $d/dma"
show sh -c "dd if=$d/dma_buf bs=1 skip=4096 count=15 2>/dev/null; echo"
show cat "$d/dma"
say "An address that is not host RAM (here the function's own BAR) is refused, nothing written."
bar0=$(awk 'NR == 1 { print $1 }' "/sys/bus/pci/devices/$a/resource")
# shellcheck disable=SC2154 # top: set by scripts/demo-guest
show "$top/selftests/iovsim/write_errno" "$d/dma" "from ${bar0#0x} 0 16"

say "Cost of one emulated config read and one BAR accessor read (TCG guest)."
show cat "$d/bench"

say "Disable removes it (hot-remove: the driver is unbound first)."
show sh -c 'echo 0 > /sys/kernel/config/iovsim/pcitest/demo0/enable'
show rmdir /sys/kernel/config/iovsim/pcitest/demo0
printf '$ lspci -D | grep "^%s:"\n' "$dom"
lspci -D | grep "^$dom:" || echo "(no function left in domain $dom)"
show iovsim_unload iovsim_pcitest
