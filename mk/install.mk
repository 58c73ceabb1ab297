# `make install` and `make deb`, included by the Makefile.
#
# The binary is built with --static-swift-stdlib: the Swift runtime and Foundation are
# linked in, so the host needs only glibc, libcurl, libsqlite3 and libsystemd.

UNITDIR ?= /lib/systemd/system
DOCDIR ?= $(PREFIX)/share/doc/dpbridge
SYSCONFDIR ?= /etc
DEB_DIR ?= out/deb
RELEASE_BIN = $(shell $(SWIFT) build -c release --static-swift-stdlib --show-bin-path)/dpbridge

.PHONY: install uninstall deb

# Installs into $(DESTDIR). /etc/dpbridge/dpbridge.yaml is the production template, which
# check-config and the daemon refuse until `dpbridge init` has filled it in; an existing
# one is kept and the template goes next to it as dpbridge.yaml.example. The demo's
# complete example (etc/dpbridge-demo.yaml, published secrets) goes to the docs only.
install: setup
	$(SWIFT) build -c release --static-swift-stdlib --product dpbridge
	install -D -m 0755 "$(RELEASE_BIN)" "$(DESTDIR)$(PREFIX)/bin/dpbridge"
	install -D -m 0644 systemd/dpbridge.service "$(DESTDIR)$(UNITDIR)/dpbridge.service"
	install -D -m 0644 systemd/dpbridge.socket "$(DESTDIR)$(UNITDIR)/dpbridge.socket"
	install -D -m 0644 README.md "$(DESTDIR)$(DOCDIR)/README.md"
	for doc in docs/*.md; do install -D -m 0644 "$$doc" "$(DESTDIR)$(DOCDIR)/$$doc" || exit 1; done
	install -D -m 0644 etc/dpbridge.yaml "$(DESTDIR)$(DOCDIR)/dpbridge.yaml.example"
	install -D -m 0644 etc/dpbridge-demo.yaml "$(DESTDIR)$(DOCDIR)/dpbridge-demo.yaml"
	install -d -m 0700 "$(DESTDIR)$(SYSCONFDIR)/dpbridge/credentials"
	if [ -e "$(DESTDIR)$(SYSCONFDIR)/dpbridge/dpbridge.yaml" ]; then \
		install -m 0644 etc/dpbridge.yaml "$(DESTDIR)$(SYSCONFDIR)/dpbridge/dpbridge.yaml.example"; \
	else \
		install -m 0644 etc/dpbridge.yaml "$(DESTDIR)$(SYSCONFDIR)/dpbridge/dpbridge.yaml"; \
	fi
	@if [ -z "$(DESTDIR)" ] && [ -d /run/systemd/system ]; then systemctl daemon-reload; fi

uninstall:
	rm -f "$(DESTDIR)$(PREFIX)/bin/dpbridge" "$(DESTDIR)$(UNITDIR)/dpbridge.service" \
		"$(DESTDIR)$(UNITDIR)/dpbridge.socket"
	rm -rf "$(DESTDIR)$(DOCDIR)"
	@echo "kept $(SYSCONFDIR)/dpbridge (configuration and credentials) and /var/lib/dpbridge (the stores)"

# A Debian package in out/deb/. Depends: comes from dpkg-shlibdeps, i.e. from the
# libraries the binary really links.
deb: setup
	@scripts/setup.sh dpkg-dev
	rm -rf "$(DEB_DIR)/root"
	$(MAKE) --no-print-directory install DESTDIR="$(CURDIR)/$(DEB_DIR)/root" PREFIX=/usr
	@scripts/make-deb.sh "$(DEB_DIR)"
