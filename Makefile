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
PKG_WASM_FULL := pkg/wasm/edgetrace_full_bg.wasm
COMMA := ,
PKG_ENTRIES := node browser deno workerd
PKG_DIST := $(PKG_ENTRIES:%=pkg/dist/%.js)
# The processors entries (`edgetrace/processors`), one per runtime: each extends the `edgetrace`
# copy it imports (one wasm instance: it makes that copy load the module with the chain), so the
# core entries carry neither the chain's JS nor its wasm.
PKG_PROCESSORS := $(PKG_ENTRIES:%=pkg/dist/processors-%.js)
WWW_APP := www/dist/app.js
JS_SOURCES := $(wildcard pkg/src/*.js)
RUST_SOURCES := $(shell find src -name '*.rs') Cargo.toml Cargo.lock .cargo/config.toml
STAMPS := target/.stamps
# wasm-opt inlines every function that has one caller, whatever its size; V8 compiles a wasm
# function whole at its first call, so giant merged functions cost start-up time on paths that
# need only part of them. Only small single-caller functions are inlined (bench/README.md).
WASM_OPT_INLINING := --one-caller-inline-max-function-size=50

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
	  cargo install --force wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION); \
	fi
	@touch $@

# npm ci only when the lock file changed since the last install.
node_modules/.package-lock.json: package-lock.json package.json pkg/package.json
	npm ci --no-audit --no-fund
	@touch $@

build: $(PKG_WASM) $(PKG_WASM_FULL) $(PKG_DIST) $(PKG_PROCESSORS) $(WWW_APP)

# The inspector page: www/src bundled with the package's browser entries (a page under the CSP
# cannot have the inline import map bare specifiers would need), the two modules copied beside it.
$(WWW_APP): www/src/app.js www/index.html www/style.css $(PKG_DIST) $(PKG_PROCESSORS) $(PKG_WASM) $(PKG_WASM_FULL)
	node_modules/.bin/esbuild www/src/app.js --bundle --format=esm --platform=browser --target=es2022 \
	  --minify --sourcemap --legal-comments=none --log-level=warning --outfile=$@
	cp $(PKG_WASM) $(PKG_WASM_FULL) www/dist/
	@# The package carries the page too (edgetrace collect / view serve it; its .wasm files are
	@# the package's own, which the collector serves in their place).
	rm -rf pkg/www && mkdir -p pkg/www/dist && cp www/index.html www/style.css pkg/www/ && cp www/dist/app.js pkg/www/dist/

# One file per runtime entry (API + wasm-bindgen glue): one module to load at start-up, minified
# (V8 parses a third less: ~0.4 ms of Node's cold start), with a source map to the sources.
$(PKG_DIST) &: $(JS_SOURCES) $(PKG_WASM)
	node_modules/.bin/esbuild $(PKG_ENTRIES:%=pkg/src/%.js) --bundle --format=esm --platform=neutral \
	  --external:node:* --external:*.wasm --target=es2022 --supported:import-source=true --legal-comments=none --log-level=warning \
	  --minify --sourcemap --outdir=pkg/dist

$(PKG_PROCESSORS) &: $(JS_SOURCES) $(PKG_WASM_FULL)
	node_modules/.bin/esbuild $(PKG_ENTRIES:%=pkg/src/processors-%.js) --bundle --format=esm --platform=neutral \
	  --external:edgetrace --external:node:* --external:*.wasm --target=es2022 --supported:import-source=true \
	  --legal-comments=none --log-level=warning --minify --sourcemap --outdir=pkg/dist

# $(call wasm_module,NAME,CARGO_FLAGS,BINDINGS,RAW): builds the crate for wasm with CARGO_FLAGS (into
# RAW), runs wasm-bindgen and wasm-opt into pkg/wasm/NAME_bg.wasm + NAME.js, and writes the glue's functions
# as one plain object into pkg/wasm/BINDINGS: without its fetch-based default init (bundlers would
# try to resolve the wasm URL in it), and not a namespace import (bundled, that is a getter per
# function, each compiled at its first call).
define wasm_module
	cargo build --release --target $(WASM_TARGET) --lib $(2)
	wasm-bindgen --target web --out-dir pkg/wasm --out-name $(1) $(4)
	node_modules/.bin/wasm-opt -O3 $(WASM_OPT_INLINING) --strip-debug --strip-producers --strip-target-features pkg/wasm/$(1)_bg.wasm -o pkg/wasm/$(1)_bg.wasm
	@rm -f pkg/wasm/$(1)_bg.wasm.d.ts pkg/wasm/$(1).d.ts pkg/wasm/package.json pkg/wasm/.gitignore
	@names="initSync $$(grep -o '^export function [a-z_0-9]*' pkg/wasm/$(1).js | awk '{ print $$3 }')"; \
	{ echo "// Generated by make build."; echo "import {"; for n in $$names; do echo "  $$n,"; done; \
	  echo "} from './$(1).js';"; echo; echo "export const glue = {"; \
	  for n in $$names; do echo "  $$n,"; done; echo "};"; } > pkg/wasm/$(3)
	@echo "$(1)_bg.wasm: $$(wc -c < pkg/wasm/$(1)_bg.wasm) bytes, $$(gzip -9 -c pkg/wasm/$(1)_bg.wasm | wc -c) gzipped"
endef

# The core module (tracing, batch queues, export): what `edgetrace` loads.
$(PKG_WASM): $(RUST_SOURCES) $(STAMPS)/wasm-target $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.package-lock.json
	$(call wasm_module,edgetrace,--no-default-features,bindings.js,$(RAW_WASM))
	@# The numbers both sides agree on (flags, status bits, codes, defaults), from src/abi.rs.
	cargo run --quiet --bin abi_js > pkg/wasm/abi.js

# The core module with the processor chain and trace analysis (its own target dir: no rebuild of the other's
# artifacts, and the two builds can run at once): what `edgetrace/processors` loads instead.
$(PKG_WASM_FULL): $(RUST_SOURCES) $(STAMPS)/wasm-target $(STAMPS)/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.package-lock.json
	$(call wasm_module,edgetrace_full,--features chain$(COMMA)analysis --target-dir target/full,bindings_full.js,target/full/$(WASM_TARGET)/release/edgetrace.wasm)

test: build test-rust test-js typecheck

test-rust:
	cargo test --quiet

# The package as users get it: npm pack, installed into one fixture per runtime.
PACK_STAMP := target/pack/.stamp
$(PACK_STAMP): $(PKG_DIST) $(PKG_PROCESSORS) $(PKG_WASM) $(PKG_WASM_FULL) $(WWW_APP) pkg/bin/edgetrace.mjs pkg/bin/collector.mjs pkg/package.json pkg/index.d.ts pkg/processors.d.ts pkg/node.cjs
	node tests/js/pack.mjs
	@touch $@

# Debian's Chromium for the browser runner (playwright-core drives it; no browser download).
CHROMIUM := /usr/bin/chromium
$(CHROMIUM):
	apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium

DENO := node_modules/.bin/deno
BUN := node_modules/@oven/bun-linux-x64/bin/bun

# The conformance suite in every runtime (each prints "<runtime>: N passed, M failed"), then the
# Node-only checks (environment, require(), parity with @openai/agents-core, and the OpenAI
# exporter's request bodies against @openai/agents-openai's: tests/js/export/sdk-parity.mjs).
test-js: build $(PACK_STAMP) $(CHROMIUM)
	node --expose-gc target/fixtures/node/run.mjs
	node --expose-gc target/fixtures/node/run-chain.mjs
	$(DENO) run --v8-flags=--expose-gc target/fixtures/deno/run.mjs
	$(DENO) run --v8-flags=--expose-gc target/fixtures/deno/run-chain.mjs
	$(BUN) target/fixtures/bun/run.mjs
	$(BUN) target/fixtures/bun/run-chain.mjs
	node tests/js/runners/workerd.mjs
	node tests/js/runners/worker-example.mjs
	node tests/js/runners/chromium.mjs
	node tests/js/runners/inspector.mjs
	node tests/js/export/run.mjs
	node tests/js/export/sdk-parity.mjs
	node tests/js/run-node.mjs

typecheck: node_modules/.package-lock.json
	node_modules/.bin/tsc -p tests/types/tsconfig.json

lint: $(STAMPS)/wasm-target
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) -- -D warnings
	cargo clippy --release --target $(WASM_TARGET) --no-default-features -- -D warnings

# The main job: two short runs printed (a trace and its export; two tenants through a chain),
# then the live demo: the collector, the inspector's URL, agents in Node, Deno and workerd
# exporting to it; serves until Ctrl-C (DEMO_ONCE=1: runs the agents once and exits).
demo: build $(PACK_STAMP)
	node examples/demo.mjs
	node examples/processors.mjs
	node examples/live-demo.mjs

# Node runs every mode; Bun, Deno, workerd and Chromium run the per-span modes of both workloads
# (function spans, the agent run) and cold start, with the same workload code. Each writes
# bench/results/latest-<runtime>.json. Then the backpressure run and the processor chain's cost
# per span and entry sizes (bench/chain.mjs, its own process: the module with the chain), and the
# time to analyse a 10,000-span file (bench/analyze.mjs) and what reading a 200 MB file holds
# (bench/reader.mjs). (BENCH_ARGS must not name --mode=size: only the Node run
# has it.)
bench: build $(CHROMIUM)
	node --expose-gc bench/run.mjs $(BENCH_ARGS)
	$(BUN) bench/run.mjs --mode=processor,body,agent,agent-body,cold,disabled $(BENCH_ARGS)
	$(DENO) run -A --v8-flags=--expose-gc bench/run.mjs --mode=processor,body,agent,agent-body,cold,disabled $(BENCH_ARGS)
	node bench/runtimes/workerd.mjs $(BENCH_ARGS)
	node bench/runtimes/chromium.mjs $(BENCH_ARGS)
	node bench/backpressure.mjs
	node --expose-gc bench/chain.mjs $(BENCH_ARGS)
	node bench/analyze.mjs
	node bench/reader.mjs
	node bench/inspector.mjs

clean:
	rm -rf target pkg/wasm
