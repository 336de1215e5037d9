# scimgit — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
DATA ?= ./data
PORT ?= 8080
ARGS ?=

.PHONY: run test deps test-tools build release conformance bench bench-scale bench-store bench-json fuzz clean

## Install what the build needs (libgit2-dev 1.5, git) when it is missing.
deps:
	@if ! pkg-config --exists libgit2 2>/dev/null || ! command -v git >/dev/null; then \
		echo "installing libgit2-dev and git with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libgit2-dev git pkg-config; \
	fi

## What the tests need besides Swift: python-scim's scim2-tester, headless Chromium with
## chromedriver and selenium for the admin console's browser test, and OpenSSH's server as
## a git host for the ssh mirror test.
test-tools:
	@command -v scim2 >/dev/null || python3 -m pip install -q scim2-cli
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then \
		echo "installing chromium and chromium-driver with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver; \
	fi
	@python3 -c "import selenium" 2>/dev/null || python3 -m pip install -q selenium
	@if ! [ -x /usr/sbin/sshd ] || ! command -v ssh-keygen >/dev/null; then \
		echo "installing openssh-server (an ssh git host for the mirror test) with apt-get"; \
		$(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openssh-server openssh-client; \
	fi

build: deps
	swift build

release: deps
	swift build -c release

## Build and start scimgit on a local store ($(DATA)); prints the Base URL and a token.
run: release
	.build/release/scimgit serve --repo $(DATA) --port $(PORT) $(ARGS)

## Everything CI runs: unit and end-to-end tests, the conformance suites, the console in a browser.
test: deps test-tools
	swift build --build-tests
	swift test
	scripts/conformance.sh
	scripts/console.sh

## Only the conformance suites against the debug build.
conformance: build test-tools
	scripts/conformance.sh

## scimgit at 100,000 users next to its ceilings (libgit2 C loop, nginx) and a peer (scim2-server).
bench: deps
	@command -v wrk >/dev/null && command -v nginx >/dev/null || \
		($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk nginx-light)
	@command -v scim2-server >/dev/null || python3 -m pip install -q scim2-server
	python3 Benchmarks/http/bench.py

## 1,000,000 users and 100,000 commits next to the same run at 100,000 users (about 40 minutes, 10 GB of disk).
bench-scale: deps
	@command -v wrk >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk)
	python3 Benchmarks/http/scale.py

## One-file commits/s through GitStore next to the libgit2 C loop (ceiling), 10k and 100k files.
bench-store: deps
	Benchmarks/store/run.sh

## Instructions per JSON parse and compaction (callgrind), working tree against BASE (default HEAD).
bench-json:
	@command -v valgrind >/dev/null || ($(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq valgrind)
	Benchmarks/json/run.sh $(BASE)

## libFuzzer targets (filter parser, PATCH, request bodies), FUZZ_SECONDS each (default 60).
fuzz:
	Fuzz/run.sh

clean:
	rm -rf .build Benchmarks/bin
