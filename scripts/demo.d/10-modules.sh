# SPDX-License-Identifier: GPL-2.0-only
# shellcheck shell=bash
# Demo section: the kernel and the iovsim modules this tree builds.

say "A real Debian kernel, booted under QEMU; iovsim is built out of tree for it."
show uname -r

say "Load every iovsim module this tree builds (dependencies first)."
for m in $(iovsim_tree_modules); do
	show iovsim_load "$m" || return 1
done
printf '$ lsmod | grep iovsim\n'
lsmod | grep -E '^(Module|iovsim)' || true

say "Each module says hello in the kernel log."
dmesg | grep -E 'iovsim_[a-z]+: ' || true
