# SPDX-License-Identifier: GPL-2.0-only
#
# Builds one test-only kernel module for every target kernel into
# build/<kver>/selftests/$(SUBDIR)/$(NAME).ko, against that kernel's
# iovsim modules (build/<kver>/Module.symvers: built first if missing).
# Nothing is rebuilt when the module is newer than its sources; nothing is
# built inside the test VM.  The including Makefile sets TOP (the checkout),
# NAME (the module) and SUBDIR, then includes this file.

KVERS	?= $(if $(KVER),$(KVER),$(shell $(TOP)/scripts/kernels))
SRCS	:= $(wildcard $(CURDIR)/*.[ch]) $(CURDIR)/Kbuild \
	   $(wildcard $(TOP)/include/iovsim/*.h $(TOP)/include/uapi/iovsim/*.h)

KOS	:= $(foreach k,$(KVERS),$(TOP)/build/$(k)/selftests/$(SUBDIR)/$(NAME).ko)

.PHONY: all clean

ifeq ($(IOVSIM_VM),)
all: $(KOS)
else
all:
endif

$(TOP)/build/%/selftests/$(SUBDIR)/$(NAME).ko: $(SRCS) $(TOP)/build/%/Module.symvers
	@mkdir -p $(dir $@)
	@cp -p $(CURDIR)/*.[ch] $(CURDIR)/Kbuild $(dir $@)
	$(MAKE) -C /lib/modules/$*/build M=$(dir $@) W=1 \
		IOVSIM_TOP=$(TOP) \
		KBUILD_EXTRA_SYMBOLS=$(TOP)/build/$*/Module.symvers modules
	@touch $@	# kbuild keeps an up-to-date .ko's old time

$(TOP)/build/%/Module.symvers:
	$(MAKE) -C $(TOP) KVER=$*

clean:
	rm -rf $(foreach k,$(KVERS),$(TOP)/build/$(k)/selftests/$(SUBDIR))
