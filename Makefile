# dpbridge — build, test, demo. Every target installs what it needs (scripts/setup.sh).
SWIFT ?= swift
PREFIX ?= /usr
DESTDIR ?=

.PHONY: all setup build release test demo clean

all: build

setup:
	@scripts/setup.sh

build: setup
	$(SWIFT) build

release: setup
	$(SWIFT) build -c release --static-swift-stdlib

# Unit and integration tests (swift test), then the shell-level tests; prints a
# closing "N passed, N failed" line.
test: setup
	@scripts/test.sh

# Starts the Docplanner simulator and the daemon on loopback and shows the loop.
demo: build
	@scripts/demo.sh

clean:
	rm -rf .build out

# install, uninstall, deb
include mk/install.mk
