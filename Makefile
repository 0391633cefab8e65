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

# Where `make install` puts things, relative to $(DESTDIR)$(PREFIX); the completion
# directories are where bash-completion, zsh and fish look for vendor scripts.
BINDIR = $(PREFIX)/bin
MAN1DIR = $(PREFIX)/share/man/man1
BASHCOMPDIR = $(PREFIX)/share/bash-completion/completions
ZSHCOMPDIR = $(PREFIX)/share/zsh/site-functions
FISHCOMPDIR = $(PREFIX)/share/fish/vendor_completions.d
INSTALL ?= install

.PHONY: deps build release run test generate docs install uninstall bench clean

deps: ## install missing system packages (Debian)
	@./scripts/install-deps.sh

build: deps release

release: ## build the release binary only (no package installs)
	$(SWIFT) build $(RELEASE) --product hmp

run: build ## start the console
	./.build/release/hmp

test: deps ## the whole test suite
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build
	./scripts/test-terminal.sh
	./scripts/test-help-wrap.sh
	./scripts/test-watch.sh
	./scripts/test-events.sh
	./scripts/test-completions.sh
	./scripts/test-install.sh
	./scripts/lint.sh
	./scripts/test-qmp.sh
	./scripts/test-qemu.sh

generate: ## regenerate Sources/QAPI/Generated from schema/
	$(SWIFT) run qapi-gen generate schema/qapi-schema.json --output Sources/QAPI/Generated

docs: ## regenerate completions/ and man/hmp.1 from the command table and the option specs
	$(SWIFT) build --product hmp
	@# Each script must call `hmp --complete`: anything else is not ours and is not written.
	@bin="$$($(SWIFT) build --show-bin-path)" && \
	"$$bin/hmp" --generate-man-page > man/.hmp.1.new && mv man/.hmp.1.new man/hmp.1 && \
	for pair in bash:hmp.bash zsh:_hmp fish:hmp.fish; do \
		"$$bin/hmp" --generate-completion-script "$${pair%%:*}" > "completions/.$${pair#*:}.new" && \
		grep -q -e '--complete --' "completions/.$${pair#*:}.new" || \
			{ echo "hmp --generate-completion-script $${pair%%:*} did not print our script" >&2; rm -f completions/.*.new; exit 1; }; \
	done && \
	for file in hmp.bash _hmp hmp.fish; do mv "completions/.$$file.new" "completions/$$file"; done

install: release ## install hmp, its man page and completion scripts under $(DESTDIR)$(PREFIX)
	$(INSTALL) -d "$(DESTDIR)$(BINDIR)" "$(DESTDIR)$(MAN1DIR)" "$(DESTDIR)$(BASHCOMPDIR)" \
		"$(DESTDIR)$(ZSHCOMPDIR)" "$(DESTDIR)$(FISHCOMPDIR)"
	$(INSTALL) -m 755 "$$($(SWIFT) build -c release --show-bin-path)/hmp" "$(DESTDIR)$(BINDIR)/hmp"
	$(INSTALL) -m 644 man/hmp.1 "$(DESTDIR)$(MAN1DIR)/hmp.1"
	$(INSTALL) -m 644 completions/hmp.bash "$(DESTDIR)$(BASHCOMPDIR)/hmp"
	$(INSTALL) -m 644 completions/_hmp "$(DESTDIR)$(ZSHCOMPDIR)/_hmp"
	$(INSTALL) -m 644 completions/hmp.fish "$(DESTDIR)$(FISHCOMPDIR)/hmp.fish"

uninstall: ## remove what `make install` installed
	rm -f "$(DESTDIR)$(BINDIR)/hmp" "$(DESTDIR)$(MAN1DIR)/hmp.1" "$(DESTDIR)$(BASHCOMPDIR)/hmp" \
		"$(DESTDIR)$(ZSHCOMPDIR)/_hmp" "$(DESTDIR)$(FISHCOMPDIR)/hmp.fish"

bench: deps ## print performance figures
	$(SWIFT) build $(RELEASE) --product hmp-bench
	$(SWIFT) build $(RELEASE) --product hmp
	"$$($(SWIFT) build $(RELEASE) --show-bin-path)/hmp-bench"
	HMP="$$($(SWIFT) build $(RELEASE) --show-bin-path)/hmp" ./scripts/bench.sh
	HMP="$$($(SWIFT) build $(RELEASE) --show-bin-path)/hmp" ./scripts/bench-savevm.sh
	$(SWIFT) build $(RELEASE) --product qmp-roundtrips
	HMP="$$($(SWIFT) build $(RELEASE) --show-bin-path)/hmp" \
		QMP_CLIENT="$$($(SWIFT) build $(RELEASE) --show-bin-path)/qmp-roundtrips" ./scripts/bench-qmp.sh
	HMP="$$($(SWIFT) build $(RELEASE) --show-bin-path)/hmp" HMP_BENCH="$$($(SWIFT) build $(RELEASE) --show-bin-path)/hmp-bench" \
		./scripts/bench-qemu.sh

clean:
	rm -rf .build
