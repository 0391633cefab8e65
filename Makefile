# swift-hmp: build, run, test, regenerate, benchmark, install.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift
# Release builds link the Swift runtime statically on Linux: hmp then starts faster and its
# peak memory stays under 15 MB (the shared runtime libraries alone map more than that).
RELEASE := -c release
ifeq ($(shell uname -s),Linux)
RELEASE += --static-swift-stdlib
endif

.PHONY: deps build run test generate bench clean

deps: ## install missing system packages (Debian)
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build $(RELEASE) --product hmp

run: build ## start the console
	./.build/release/hmp

test: deps ## the whole test suite
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	./scripts/test-terminal.sh

generate: ## regenerate Sources/QAPI/Generated from schema/
	$(SWIFT) run qapi-gen generate schema/qapi-schema.json --output Sources/QAPI/Generated

bench: deps ## print performance figures
	$(SWIFT) run $(RELEASE) hmp-bench
	$(SWIFT) build $(RELEASE) --product hmp
	./scripts/bench.sh

clean:
	rm -rf .build
