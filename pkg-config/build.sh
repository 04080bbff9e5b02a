#!/usr/bin/env bash
# Builds the Wasm module and assembles pkg/ (the npm package) and www/generated/ (what the page loads).
set -euo pipefail
cd "$(dirname "$0")/.."
# The size-optimised profile (Cargo.toml `wasm-release`); TIERLENS_WASM_FEATURES adds cargo features
# (e.g. `bench` for tests/benches).
cargo build --lib --profile wasm-release --target wasm32-unknown-unknown ${TIERLENS_WASM_FEATURES:+--features "$TIERLENS_WASM_FEATURES"}
wasm=target/wasm32-unknown-unknown/wasm-release/tierlens.wasm
rm -rf pkg
wasm-bindgen --target web --out-dir pkg/web --out-name tierlens "$wasm"
wasm-bindgen --target nodejs --out-dir pkg/node --out-name tierlens "$wasm"
# Binaryen's wasm-opt (npm devDependency `binaryen`, from the lockfile) shrinks the module further
# (it also drops the name section). -Os --converge rather than -Oz: larger raw but ~5 KB smaller
# gzip-compressed, which is what is downloaded (BENCHMARKS.md, 2026-12-04). The feature flags are
# the ones rustc's wasm32 target emits. Both targets get the same module, so it is optimised once.
wasm_opt=node_modules/.bin/wasm-opt
"$wasm_opt" -Os --converge --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  pkg/web/tierlens_bg.wasm -o pkg/web/tierlens_bg.opt.wasm
cmp -s pkg/web/tierlens_bg.wasm pkg/node/tierlens_bg.wasm || { echo "web and node modules differ" >&2; exit 1; }
mv pkg/web/tierlens_bg.opt.wasm pkg/web/tierlens_bg.wasm
cp pkg/web/tierlens_bg.wasm pkg/node/tierlens_bg.wasm
node pkg-config/assemble.mjs
node pkg-config/bundle.mjs
node pkg-config/check-package.mjs
node pkg-config/standalone.mjs
