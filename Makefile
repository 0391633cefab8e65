# swift-hmp: build, run, test, regenerate, benchmark, install.
PREFIX ?= /usr/local
DESTDIR ?=
SWIFT ?= swift

.PHONY: deps build run test generate bench clean

deps: ## install missing system packages (Debian)
	@./scripts/install-deps.sh

build: deps
	$(SWIFT) build -c release --product hmp

run: build ## start the console
	./.build/release/hmp

test: deps ## the whole test suite
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

generate: ## regenerate Sources/QAPI/Generated from schema/
	$(SWIFT) run qapi-gen generate schema/qapi-schema.json --output Sources/QAPI/Generated

bench: deps ## print performance figures
	$(SWIFT) run -c release hmp-bench

clean:
	rm -rf .build
