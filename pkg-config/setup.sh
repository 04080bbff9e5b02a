#!/usr/bin/env bash
# Installs what building (and, with --test, testing) tierlens needs, skipping whatever is already there.
# Only package registries are used: rustup's target, crates.io, the npm registry, Debian's packages, PyPI.
#   --test     also what the tests need (Debian's chromium, the oracle's Python venv)
#   --oracle   only the oracle's Python venv (.venv-oracle, pandas; see tests/oracle/)
#   --sql      only the SQL checks' Python venv (.venv-sql: duckdb and pyspark; see tests/sql/)
set -euo pipefail
cd "$(dirname "$0")/.."

want_test=0
[ "${1:-}" = "--test" ] && want_test=1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# A Python venv of pinned requirements, so the system Python is left alone: from PyPI only (the
# index given explicitly, any local find-links ignored). Skipped when the venv holds exactly the
# pinned requirements (a copy is kept beside it). Arguments: requirements file, venv, what it is.
setup_venv() {
  local req=$1 venv=$2 what=$3
  if [ -x "$venv/bin/python" ] && cmp -s "$req" "$venv/requirements.txt"; then
    return
  fi
  say "making the $what Python venv ($venv from PyPI)"
  python3 -m venv "$venv"
  PIP_FIND_LINKS= "$venv/bin/pip" install --quiet --disable-pip-version-check \
    --index-url https://pypi.org/simple -r "$req"
  cp "$req" "$venv/requirements.txt"
}

# The corpus oracle (tests/oracle/oracle.py) is pandas.
setup_oracle() { setup_venv tests/oracle/requirements.txt .venv-oracle "oracle's (pandas)"; }

# The SQL checks (tests/sql/check.py) run the generated queries in DuckDB and Spark SQL; pyspark
# runs on the machine's Java 17.
setup_sql() { setup_venv tests/sql/requirements.txt .venv-sql "SQL checks' (duckdb, pyspark)"; }

if [ "${1:-}" = "--sql" ]; then
  setup_sql
  exit 0
fi

if [ "${1:-}" = "--oracle" ]; then
  setup_oracle
  exit 0
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must match the wasm-bindgen crate pinned in Cargo.toml exactly.
wb_version=$(sed -n 's/^wasm-bindgen = "=\([0-9.]*\)"/\1/p' Cargo.toml)
have=$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)
if [ "$have" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version (takes 5-14 minutes on 2 cores; once per machine)"
  # Not --locked: one of its locked dependencies is no longer in the registry.
  cargo install wasm-bindgen-cli --version "$wb_version"
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing npm packages from package-lock.json"
  npm ci --no-audit --no-fund
fi

if [ "$want_test" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  say "installing Debian's chromium for the browser tests"
  export DEBIAN_FRONTEND=noninteractive
  SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
fi
if [ "$want_test" = 1 ]; then
  setup_oracle
fi
say "ready"
