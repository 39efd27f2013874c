# SPDX-License-Identifier: GPL-2.0-only
#
# memlab: kernel modules (Kbuild, in src/) and their user-space tools.
#
#   make [KVER=...]     modules for one kernel (default: the running one) and tools
#   make tools          what is shipped: memlab, memlab-selftest and the
#                       demonstration programs (tools/), over libmemlab (lib/)
#   make tests          the test programs (tests/): selftests, helpers, the
#                       tool tier's targets
#   make check          the whole suite: deps, unit, lint, VM, packages
#   make vm             the VM suite only (also: make vmtest); make tool: the
#                       memlab command's tier; make demo: the seed's
#                       programs in a VM; make deps: what the tests need
#   make lint           W=1 and sparse (C=2) builds for every kernel of
#                       kernels/kernels.conf (each in its release's build root,
#                       with its gcc), checkpatch on every .c and .h
#   make bench          mtest and maptest against the kernel's own interfaces
#   make dist | deb | rpm | repo   (packaging/, docs/packaging.md)
#
# The test kernels are listed once, in kernels/kernels.conf; MEMLAB_KERNELS="6.1
# 7.3" limits lint, vmtest, demo and bench to some of them.

VERSION := $(shell cat $(CURDIR)/VERSION)
KVER ?= $(shell uname -r)
KDIR ?= /lib/modules/$(KVER)/build
BUILD ?= $(CURDIR)/build
BINDIR ?= $(BUILD)/bin
# libmemlab's objects, one directory per BINDIR (build/bin: build/lib;
# build/vm/bin-arm64: build/vm/lib-arm64), as each may be another target.
LIBDIR ?= $(dir $(BINDIR))lib$(patsubst bin%,%,$(notdir $(BINDIR)))

CC ?= gcc
CFLAGS ?= -O2 -g
CFLAGS += -Wall -Wextra -D_GNU_SOURCE -pthread
CPPFLAGS += -I$(CURDIR)/src/include/uapi -I$(CURDIR)/lib
LDFLAGS ?=
# A cross gcc comes with its own archiver (aarch64-linux-gnu-gcc-ar).
ifneq ($(filter %gcc,$(CC)),)
AR := $(CC)-ar
endif

prefix ?= /usr
bindir ?= $(prefix)/bin
libexecdir ?= $(prefix)/libexec
mandir ?= $(prefix)/share/man
bashcompdir ?= $(prefix)/share/bash-completion/completions

# kselftest_harness.h and checkpatch.pl are used from linux-source-6.1.
KSRC_TAR ?= /usr/src/linux-source-6.1.tar.xz
KSRC := $(BUILD)/linux-source-6.1
KSFT := $(KSRC)/tools/testing/selftests
KSRC_FILES := tools/testing/selftests/kselftest_harness.h \
	      tools/testing/selftests/kselftest.h \
	      scripts/checkpatch.pl scripts/spelling.txt \
	      scripts/const_structs.checkpatch

DEMOS := mtest_test maptest_test
SELFTESTS := $(basename $(notdir $(wildcard tests/selftests/*.c)))
HELPERS := $(basename $(notdir $(wildcard tests/helpers/*.c)))
# libmemlab: the /proc/mtest client, the walk model, the maps parser,
# argument parsing and the maptest buffer check. Shipped and test programs
# link it; it uses nothing of tools/ or tests/.
LIB := $(LIBDIR)/libmemlab.a
LIB_OBJ := $(patsubst lib/%.c,$(LIBDIR)/%.o,$(wildcard lib/*.c))
LIB_H := $(wildcard lib/*.h) src/include/uapi/memlab.h
# The test library: what only tests need (targets, privileges, /proc).
TESTLIB := $(wildcard tests/lib/*.c)
TESTLIB_H := $(wildcard tests/lib/*.h) $(LIB_H)
MEMLAB_SRC := $(wildcard tools/memlab/*.c)
MEMLAB_H := $(wildcard tools/memlab/*.h) $(LIB_H)
# The processes tests/vm/guest-tool.sh points memlab at.
TOOLTESTS := $(basename $(notdir $(wildcard tests/tool/*.c)))
# The shipped programs.
SHIPPED := $(addprefix $(BINDIR)/,$(DEMOS) memlab-selftest memlab)

.PHONY: all modules modules_install tools tests lib clean check deps unit lint vm vmtest \
	tool demo dist deb rpm repo pkg-deb pkg-rpm pkg-arm64 pkg-upgrade pkg-debian \
	pkgtest-deb pkgtest-rpm pkgtest-arm64 pkgtest-upgrade pkgtest-debian \
	install bench

all: modules tools

modules:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules

modules_install:
	$(MAKE) -C $(KDIR) M=$(CURDIR)/src modules_install

tools: $(SHIPPED)

tests: $(addprefix $(BINDIR)/selftests/,$(SELFTESTS)) \
       $(addprefix $(BINDIR)/helpers/,$(HELPERS)) \
       $(addprefix $(BINDIR)/tool/,$(TOOLTESTS))

lib: $(LIB)

$(LIBDIR)/%.o: lib/%.c $(LIB_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	rm -f $@
	$(AR) rcs $@ $^

$(BINDIR)/%: tools/demo/%.c $(LIB_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BINDIR)/memlab: $(MEMLAB_SRC) $(MEMLAB_H) $(LIB) VERSION
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -DMEMLAB_VERSION='"$(VERSION)"' \
		$(CFLAGS) -o $@ $(MEMLAB_SRC) $(LIB) $(LDFLAGS)

$(BINDIR)/memlab-selftest: tools/selftest/memlab-selftest.c $(LIB) $(LIB_H)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) $(CFLAGS) -o $@ $< $(LIB) $(LDFLAGS)

$(BINDIR)/tool/%: tests/tool/%.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -o $@ $< $(LDFLAGS)

$(BINDIR)/selftests/%: tests/selftests/%.c $(TESTLIB) $(TESTLIB_H) $(LIB) $(KSRC)/.extracted
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(CURDIR)/tests/lib -isystem $(KSFT) $(CFLAGS) -o $@ $< \
		$(TESTLIB) $(LIB) $(LDFLAGS)

$(BINDIR)/helpers/%: tests/helpers/%.c $(TESTLIB) $(TESTLIB_H) $(LIB)
	@mkdir -p $(@D)
	$(CC) $(CPPFLAGS) -I$(CURDIR)/tests/lib $(CFLAGS) -o $@ $< \
		$(TESTLIB) $(LIB) $(LDFLAGS)

$(KSRC)/.extracted: $(KSRC_TAR)
	@mkdir -p $(BUILD)
	tar -xJf $(KSRC_TAR) -C $(BUILD) $(addprefix linux-source-6.1/,$(KSRC_FILES))
	touch $@

install: $(SHIPPED)
	install -d $(DESTDIR)$(bindir) $(DESTDIR)$(libexecdir)/memlab
	install -m 0755 $(SHIPPED) $(DESTDIR)$(bindir)
	install -D -m 0644 man/memlab.1 $(DESTDIR)$(mandir)/man1/memlab.1
	install -D -m 0644 tools/memlab/memlab.bash \
		$(DESTDIR)$(bashcompdir)/memlab

check:
	tests/check.sh

unit: $(KSRC)/.extracted
	tests/unit.sh

lint: $(KSRC)/.extracted
	tests/lint.sh

deps:
	tests/deps.sh

vm vmtest:
	tests/vm.sh

tool:
	tests/tool.sh

# The debug-kernel tier (KASAN, lockdep, DEBUG_VM) with the fuzz and race
# tier; not part of check (about an hour on 2 cores the first time).
.PHONY: check-debug
check-debug:
	tests/check-debug.sh

demo:
	tests/vm.sh --demo

# memlab-grade on memlab's modules and its mutants, on 6.1 and 7.3
# (docs/grading.md); tests/check-grade.sh --quick is its fast subset.
.PHONY: check-grade
check-grade:
	tests/check-grade.sh

bench:
	tests/bench.sh

dist:
	@mkdir -p $(BUILD)
	git archive --prefix=memlab-$(VERSION)/ -o $(BUILD)/memlab-$(VERSION).tar.gz HEAD
	@echo $(BUILD)/memlab-$(VERSION).tar.gz

# Packages and repositories: packaging/ (docs/packaging.md). make repo
# needs MEMLAB_SIGNING_KEY (a key fingerprint in GNUPGHOME's keyring).
deb:
	packaging/deb-build.sh

rpm: dist
	packaging/rpm-build.sh

repo:
	packaging/repo.sh

pkg-deb pkgtest-deb:
	tests/pkg-deb.sh

pkg-rpm pkgtest-rpm:
	tests/pkg-rpm.sh

pkg-arm64 pkgtest-arm64:
	tests/pkg-arm64.sh

# Not in make check (slow): the upgrade N -> N+1 -> N in booted images, and
# the Debian archive's own checks (clean-chroot build, reproducibility).
pkg-upgrade pkgtest-upgrade:
	tests/pkg-upgrade.sh

pkg-debian pkgtest-debian:
	tests/pkg-debian.sh

clean:
	-$(MAKE) -C $(KDIR) M=$(CURDIR)/src clean 2>/dev/null
	rm -rf $(BUILD)
