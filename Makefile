# Builds and installs the C library of ChildSafe.
#   make                      builds .build-capi/out/libchildsafe.so.1.0.0 (scripts/build-capi.sh)
#   make install PREFIX=DIR   installs include/childsafe.h, lib/libchildsafe.so{,.1,.1.0.0},
#                             lib/pkgconfig/childsafe.pc (stripped; STRIP=: keeps symbols)
#   make check                runs the C API tests (scripts/tests.d/capi.sh)
PREFIX ?= /usr/local
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
PKGCONFIGDIR ?= $(LIBDIR)/pkgconfig
STRIP ?= strip --strip-unneeded
OUT ?= .build-capi/out
VERSION := $(shell sed -n 's/^\#define CS_VERSION_STRING "\(.*\)"/\1/p' Sources/CChildSafe/include/childsafe.h)
REAL := libchildsafe.so.1.0.0

.PHONY: all install uninstall check clean
all:
	scripts/build-capi.sh $(OUT) >/dev/null

install: all
	install -d "$(DESTDIR)$(INCLUDEDIR)" "$(DESTDIR)$(LIBDIR)" "$(DESTDIR)$(PKGCONFIGDIR)"
	install -m 0644 Sources/CChildSafe/include/childsafe.h "$(DESTDIR)$(INCLUDEDIR)/childsafe.h"
	install -m 0755 $(OUT)/$(REAL) "$(DESTDIR)$(LIBDIR)/$(REAL)"
	$(STRIP) "$(DESTDIR)$(LIBDIR)/$(REAL)"
	ln -sf $(REAL) "$(DESTDIR)$(LIBDIR)/libchildsafe.so.1"
	ln -sf libchildsafe.so.1 "$(DESTDIR)$(LIBDIR)/libchildsafe.so"
	printf '%s\n' \
	  'prefix=$(PREFIX)' 'libdir=$(LIBDIR)' 'includedir=$(INCLUDEDIR)' '' \
	  'Name: childsafe' \
	  'Description: On-device child-safety filter: grooming-pattern classifier, URL filter, age defaults' \
	  'Version: $(VERSION)' \
	  'Libs: -L$${libdir} -lchildsafe' \
	  'Cflags: -I$${includedir}' > "$(DESTDIR)$(PKGCONFIGDIR)/childsafe.pc"

uninstall:
	rm -f "$(DESTDIR)$(INCLUDEDIR)/childsafe.h" "$(DESTDIR)$(LIBDIR)"/libchildsafe.so* \
	  "$(DESTDIR)$(PKGCONFIGDIR)/childsafe.pc"

check:
	bash scripts/tests.d/capi.sh

clean:
	rm -rf $(OUT)
