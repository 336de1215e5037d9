# scimgit — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA ?= ./data
PORT ?= 8080

.PHONY: run test deps build release bench-store fuzz clean

## Install what the build needs (libgit2-dev 1.5, git) when it is missing.
deps:
	@if ! pkg-config --exists libgit2 2>/dev/null || ! command -v git >/dev/null; then \
		echo "installing libgit2-dev and git with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgit2-dev git pkg-config; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

## Build and start scimgit on a local store ($(DATA)).
run: release
	@mkdir -p $(DATA)
	@[ -d $(DATA)/.git ] || .build/release/scimgit init $(DATA)
	@echo "store ready in $(DATA)"

## Everything CI runs: unit tests, end-to-end tests.
test: deps
	swift build --build-tests
	swift test

## One-file commits/s through GitStore next to the libgit2 C loop (ceiling), 10k and 100k files.
bench-store: deps
	Benchmarks/store/run.sh

## libFuzzer targets (filter parser, PATCH, request bodies), FUZZ_SECONDS each (default 60).
fuzz:
	Fuzz/run.sh

clean:
	rm -rf .build Benchmarks/bin
