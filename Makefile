# SPDX-License-Identifier: GPL-2.0
# make                 build for the running kernel
# make KDIR=<headers>  build for another kernel's headers
# make check           the whole test suite (as root; installs what it needs)
# make demo            the taint cascade in a throwaway VM (KERNEL=<series>)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

check:
	bash scripts/check

demo:
	bash scripts/demo $(or $(KERNEL),6.1)

.PHONY: all modules clean check demo
