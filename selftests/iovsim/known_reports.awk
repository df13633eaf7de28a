# SPDX-License-Identifier: GPL-2.0-only
#
# Filter a kernel log: drop the reports of known kernel bugs that are not
# iovsim's, each replaced by one line "iovsim-known-report: NAME" (which
# no pattern of kernel_splats.re matches); print everything else as is.
# Used by runner.sh and scripts/vmtest before they look for splats.
#
# A report is the lines from its headline to the end of its stack trace
# ("</TASK>"); it is known when it contains every string of one entry
# below.  Keep this list short and each entry precise: an entry hides a
# splat, so it must name a bug outside this tree, with the reason.

BEGIN {
	# VFIO type1 takes device_list_lock under iommu->lock when a device
	# registers, and calls dma_unmap holding device_list_lock, where an
	# emulated-IOMMU driver must unpin, which takes iommu->lock: lockdep
	# reports the inversion whenever a driver unpins there, as VFIO
	# requires (Documentation/ring.rst, Limits).  Upstream since v6.0.
	name[1] = "vfio-type1-unpin-in-dma_unmap"
	need[1] = "possible circular locking dependency" SUBSEP \
		  "&iommu->lock" SUBSEP "&iommu->device_list_lock" SUBSEP \
		  "vfio_iommu_type1_register_device" SUBSEP \
		  "vfio_iommu_type1_unpin_pages"
	# Under TCG the debug kernel sometimes takes an edge interrupt
	# while start_kernel() still identifies the boot CPU, before any
	# module exists: KASAN reports handle_edge_irq() locking an IRQ
	# descriptor that is not set up yet.  Seen on 6.12.117 with QEMU
	# 7.2 (Debian 12), in swapper at about 5 s of boot.
	name[2] = "early-boot-edge-irq-under-tcg"
	need[2] = "BUG: KASAN: wild-memory-access in do_raw_spin_lock" SUBSEP \
		  "handle_edge_irq" SUBSEP "identify_cpu" SUBSEP "start_kernel"
	n = 2
	inblock = 0
}

function flush_block(   i, k, nk, parts, ok) {
	for (i = 1; i <= n; i++) {
		nk = split(need[i], parts, SUBSEP)
		ok = 1
		for (k = 1; k <= nk; k++)
			if (index(block, parts[k]) == 0)
				ok = 0
		if (ok) {
			print "iovsim-known-report: " name[i]
			return
		}
	}
	printf "%s", block
}

/WARNING: possible circular locking dependency detected|BUG: KASAN: wild-memory-access in do_raw_spin_lock/ {
	if (inblock)
		flush_block()
	inblock = 1
	block = ""
}

inblock {
	block = block $0 "\n"
	if (index($0, "</TASK>")) {
		inblock = 0
		flush_block()
	}
	next
}

{ print }

END {
	if (inblock)
		flush_block()
}
