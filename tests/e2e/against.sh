#!/usr/bin/env bash
# Runs this page's browser tests against another checkout's engine: its www/generated (Wasm) and its
# release CLI, with this checkout's page and tests. Useful before merging a branch that changes the
# Wasm API or report.json.   Usage: bash tests/e2e/against.sh /path/to/other/checkout
set -euo pipefail
here="$(cd "$(dirname "$0")/../.." && pwd)"
other="$(cd "${1:?usage: against.sh OTHER_CHECKOUT}" && pwd)"
test -f "$other/www/generated/tierlens_embedded.js" || { echo "no $other/www/generated: run its pkg-config/build.sh" >&2; exit 1; }
test -x "$other/target/release/tierlens" || { echo "no $other/target/release/tierlens: cargo build --release there" >&2; exit 1; }
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/target/release" "$tmp/tests"
cp -r "$here/www" "$tmp/www"
cp "$other"/www/generated/* "$tmp/www/generated/"
cp -r "$here/tests/e2e" "$here/tests/fixtures" "$tmp/tests/"
rm -rf "$tmp/tests/e2e/artifacts"
ln -s "$other/target/release/tierlens" "$tmp/target/release/tierlens"
ln -s "$here/node_modules" "$tmp/node_modules"
cp "$here/package.json" "$tmp/"
cd "$tmp" && node --test --test-concurrency=1 tests/e2e/
