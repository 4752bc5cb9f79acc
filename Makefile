# edgetrace: `make demo` and `make test` do all the set-up they need on a fresh machine
# (wasm target, wasm-bindgen CLI pinned to the crate, npm dev dependencies), skipping what is
# already there, and rebuild only what changed.

SHELL := /bin/bash
.DEFAULT_GOAL := test

CARGO_BIN := $(HOME)/.cargo/bin
export PATH := $(CARGO_BIN):$(PATH)

# The wasm-bindgen CLI must be the exact version of the crate in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell awk '/^name = "wasm-bindgen"$$/ { getline; gsub(/"/, "", $$3); print $$3 }' Cargo.lock)
WASM_TARGET := wasm32-unknown-unknown
RAW_WASM := target/$(WASM_TARGET)/release/edgetrace.wasm
PKG_WASM := pkg/wasm/edgetrace_bg.wasm
PKG_ENTRIES := node browser deno workerd
PKG_DIST := $(PKG_ENTRIES:%=pkg/dist/%.js)
JS_SOURCES := $(wildcard pkg/src/*.js)
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock .cargo/config.toml
STAMPS := target/.stamps

.PHONY: setup build test test-rust test-js typecheck lint demo bench clean

setup: $(STAMPS)/wasm-target $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.package-lock.json

$(STAMPS)/wasm-target:
	@mkdir -p $(STAMPS)
	rustup target list --installed | grep -qx $(WASM_TARGET) || rustup target add $(WASM_TARGET)
	@touch $@

$(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION):
	@mkdir -p $(STAMPS)
	@if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  echo "installing wasm-bindgen-cli $(WASM_BINDGEN_VERSION) (a few minutes, once)"; \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@touch $@

# npm ci only when the lock file changed since the last install.
node_modules/.package-lock.json: package-lock.json package.json pkg/package.json
	npm ci --no-audit --no-fund
	@touch $@

build: $(PKG_WASM) $(PKG_DIST)

# One file per runtime entry (API + wasm-bindgen glue): one module to load at start-up.
$(PKG_DIST) &: $(JS_SOURCES) $(PKG_WASM)
	node_modules/.bin/esbuild $(PKG_ENTRIES:%=pkg/src/%.js) --bundle --format=esm --platform=neutral \
	  --external:node:* --external:*.wasm --target=es2022 --supported:import-source=true --legal-comments=none --log-level=warning --outdir=pkg/dist

$(PKG_WASM): $(RUST_SOURCES) $(STAMPS)/wasm-target $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.package-lock.json
	cargo build --release --target $(WASM_TARGET)
	wasm-bindgen --target web --out-dir pkg/wasm --out-name edgetrace $(RAW_WASM)
	node_modules/.bin/wasm-opt -O3 --strip-debug --strip-producers --strip-target-features $(PKG_WASM) -o $(PKG_WASM)
	@rm -f pkg/wasm/edgetrace_bg.wasm.d.ts pkg/wasm/edgetrace.d.ts pkg/wasm/package.json pkg/wasm/.gitignore
	@echo "wasm: $$(wc -c < $(PKG_WASM)) bytes, $$(gzip -9 -c $(PKG_WASM) | wc -c) gzipped"

test: build test-rust test-js typecheck

test-rust:
	cargo test --quiet

# The package as users get it: npm pack, installed into one fixture per runtime.
PACK_STAMP := target/pack/.stamp
$(PACK_STAMP): $(PKG_DIST) $(PKG_WASM) pkg/package.json pkg/index.d.ts pkg/node.cjs
	node tests/js/pack.mjs
	@touch $@

# Debian's Chromium for the browser runner (playwright-core drives it; no browser download).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

DENO := node_modules/.bin/deno
BUN := node_modules/@oven/bun-linux-x64/bin/bun

# The conformance suite in every runtime (each prints "<runtime>: N passed, M failed"), then the
# Node-only checks (environment, require(), parity with @openai/agents-core).
test-js: build $(PACK_STAMP) $(CHROMIUM)
	node target/fixtures/node/run.mjs
	$(DENO) run target/fixtures/deno/run.mjs
	$(BUN) target/fixtures/bun/run.mjs
	node tests/js/runners/workerd.mjs
	node tests/js/runners/worker-example.mjs
	node tests/js/runners/chromium.mjs
	node tests/js/export/run.mjs
	node tests/js/run-node.mjs

typecheck: node_modules/.package-lock.json
	node_modules/.bin/tsc -p tests/types/tsconfig.json

lint: $(STAMPS)/wasm-target
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -- -D warnings

demo: build
	node examples/demo.mjs

# Node runs every mode; Bun and Deno run the per-span and cold-start modes with the same harness.
# Each writes bench/results/latest-<runtime>.json.
bench: build
	node --expose-gc bench/run.mjs $(BENCH_ARGS)
	$(BUN) bench/run.mjs --mode=processor,body,cold,disabled $(BENCH_ARGS)
	$(DENO) run -A --v8-flags=--expose-gc bench/run.mjs --mode=processor,body,cold,disabled $(BENCH_ARGS)

clean:
	rm -rf target pkg/wasm
