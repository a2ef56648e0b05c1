# SPDX-License-Identifier: GPL-2.0
# make                 build for the running kernel
# make KDIR=<headers>  build for another kernel's headers
# make check           the whole test suite (as root; installs what it needs)
# make check-debug     the suite on a KASAN/lockdep/kmemleak/UBSAN/failslab/DEBUG_PREEMPT kernel
# make demo            the taint cascade in a throwaway VM (KERNEL=<series>)
# make bench           what the tracker costs, as a table (KERNEL="<series>...")
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

# Plain host: the module for the running kernel (or KDIR) and the tool.
install: modules
	$(MAKE) -C $(KDIR) M=$(CURDIR) INSTALL_MOD_DIR=updates modules_install
	install -D -m 0755 scripts/taint-provenance $(DESTDIR)$(PREFIX)/bin/taint-provenance

uninstall:
	rm -f /lib/modules/$(notdir $(patsubst %/build,%,$(KDIR)))/updates/taint_provenance.ko*
	rm -f $(DESTDIR)$(PREFIX)/bin/taint-provenance
	depmod -a $(notdir $(patsubst %/build,%,$(KDIR)))

# DKMS: the sources in /usr/src, registered, built and installed for every kernel with headers.
dkms-install: dkms-source
	dkms add -m $(DKMS_NAME) -v $(VERSION)
	dkms autoinstall
	install -D -m 0755 scripts/taint-provenance $(DESTDIR)$(PREFIX)/bin/taint-provenance

dkms-remove:
	dkms remove -m $(DKMS_NAME) -v $(VERSION) --all
	rm -rf $(DKMS_SRC)
	rm -f $(DESTDIR)$(PREFIX)/bin/taint-provenance

deb:
	bash scripts/make-deb

check:
	bash scripts/check

check-debug:
	bash scripts/check-debug

demo:
	@bash scripts/demo $(or $(KERNEL),6.1)

bench:
	@bash scripts/bench "$(KERNEL)"

.PHONY: all modules clean check check-debug demo bench dkms-source install uninstall dkms-install dkms-remove deb
