# SPDX-License-Identifier: GPL-2.0-only
#
# iovsim top-level Makefile.
#
#   make                  build every module for every target kernel installed
#   make KVER=<version>   build for that kernel only
#   make check            style gates: checkpatch --strict, sparse, kernel-doc
#   make selftests        build the kselftests (user-space parts) on the host
#   make demo             boot the default kernel in a VM and show iovsim at work
#   make test             everything CI runs; ends with "N passed, N failed, N skipped"
#   make test-debug       the same, plus the debug kernel (scripts/debug-kernel)
#   make clean            remove build/
#
# Modules are built out of tree, one copy of the sources per kernel under
# build/<kver>/, so the kernels never share object files and nothing is
# written next to the tracked sources.

TOP	:= $(CURDIR)
BUILD	:= $(TOP)/build

# The target kernels are whichever Debian 6.1 and 6.12 kernels have headers
# installed; KVER=<version> (or KVERS="a b") narrows or widens the set.
KVERS	?= $(if $(KVER),$(KVER),$(shell $(TOP)/scripts/kernels))

# Set IOVSIM_WERROR=y to turn every compiler warning into an error (CI does).
IOVSIM_WERROR ?=

KBUILD_ARGS = W=1 $(if $(IOVSIM_WERROR),IOVSIM_WERROR=y)

.PHONY: all modules check selftests demo test test-debug deps clean $(addprefix modules-,$(KVERS))

all: modules

modules: $(addprefix modules-,$(KVERS))

# Refresh build/<kver>/ from the sources (mtimes kept, so Kbuild only
# rebuilds what changed), then run Kbuild there.
$(addprefix modules-,$(KVERS)): modules-%:
	@test -d /lib/modules/$*/build || \
		{ echo "no headers for kernel $*: run scripts/install-deps" >&2; exit 1; }
	@mkdir -p $(BUILD)/$*
	@rsync -a --delete --include='*/' --include='*.[ch]' --include=Kbuild \
		--exclude='*' --prune-empty-dirs $(TOP)/Kbuild $(TOP)/include \
		$(TOP)/modules $(BUILD)/$*/
	$(MAKE) -C /lib/modules/$*/build M=$(BUILD)/$* $(KBUILD_ARGS) modules

selftests:
	$(MAKE) -C selftests/iovsim

check:
	$(TOP)/scripts/check-style

deps:
	$(TOP)/scripts/install-deps

demo:
	$(TOP)/scripts/demo

test:
	$(TOP)/scripts/test-all

test-debug:
	IOVSIM_DEBUG_KERNEL=1 $(TOP)/scripts/test-all

clean:
	rm -rf $(BUILD)
	$(MAKE) -C selftests/iovsim clean
