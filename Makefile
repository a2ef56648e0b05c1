# SPDX-License-Identifier: GPL-2.0
# make                 build for the running kernel
# make KDIR=<headers>  build for another kernel's headers
# make check           the whole test suite (as root; installs what it needs)
# make demo            the taint cascade in a throwaway VM (KERNEL=<series>)
KDIR ?= /lib/modules/$(shell uname -r)/build
PREFIX ?= /usr/local
DESTDIR ?=
VERSION := $(shell sed -n 's/^PACKAGE_VERSION="\(.*\)"/\1/p' dkms.conf)
DKMS_NAME := $(shell sed -n 's/^PACKAGE_NAME="\(.*\)"/\1/p' dkms.conf)
DKMS_SRC := $(DESTDIR)/usr/src/$(DKMS_NAME)-$(VERSION)

all: modules

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(CURDIR) clean

# The DKMS source tree: what Kbuild needs, nothing else.
dkms-source:
	rm -rf $(DKMS_SRC)
	install -d $(DKMS_SRC)/module
	install -m 0644 Kbuild dkms.conf $(DKMS_SRC)/
	install -m 0644 module/*.c module/*.h $(DKMS_SRC)/module/

check:
	bash scripts/check

demo:
	bash scripts/demo $(or $(KERNEL),6.1)

.PHONY: all modules clean check demo dkms-source
