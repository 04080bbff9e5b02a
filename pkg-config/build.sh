#!/usr/bin/env bash
# Builds the Wasm module and assembles pkg/ (the npm package) and www/generated/ (what the page loads).
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --lib --release --target wasm32-unknown-unknown
wasm=target/wasm32-unknown-unknown/release/tierlens.wasm
rm -rf pkg
wasm-bindgen --target web --out-dir pkg/web --out-name tierlens "$wasm"
wasm-bindgen --target nodejs --out-dir pkg/node --out-name tierlens "$wasm"
node pkg-config/assemble.mjs
node pkg-config/bundle.mjs
node pkg-config/check-package.mjs
node pkg-config/standalone.mjs
