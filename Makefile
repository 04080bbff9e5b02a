# tierlens — the two commands in README.md are `make start` and `make test`.
SHELL := /bin/bash
PORT ?= 8080

.PHONY: start setup setup-test build cli serve test test-rust test-wasm test-js test-e2e test-sql bench-sql lint fmt bench oracle

## Set up what is missing, build, and serve the page on http://127.0.0.1:$(PORT)/
start: setup build cli
	node www/serve.mjs --port $(PORT)

setup:
	bash pkg-config/setup.sh

setup-test:
	bash pkg-config/setup.sh --test

build:
	bash pkg-config/build.sh

cli:
	cargo build --release --bin tierlens

serve:
	node www/serve.mjs --port $(PORT)

## Set up what is missing (including Debian's chromium) and run every test suite.
test: setup-test oracle lint test-rust build cli test-wasm test-js test-package test-e2e test-sql
	@echo "all test suites passed"

# The real-world corpus (issue 10) and its pandas oracle: regenerated into a temporary directory and
# compared with the committed fixtures and expected figures (tests/oracle/check.sh). The Rust side
# (tests/realworld.rs) runs in test-rust.
oracle:
	bash pkg-config/setup.sh --oracle
	bash tests/oracle/check.sh

lint:
	cargo fmt --check
	cargo clippy --all-targets -- -D warnings
	cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings

test-rust:
	cargo test

# wasm-bindgen tests of the boundary, run in Node by wasm-bindgen-test-runner (.cargo/config.toml).
test-wasm:
	cargo test --target wasm32-unknown-unknown --test wasm --test scoring_wasm --test cluster_wasm --test clv_wasm --test migration_wasm

test-js:
	node --test tests/js/

# The npm package as an embedder installs it (npm pack → a scratch project in /tmp): the tsc --strict
# consumer check and the types against the engine's own output (tests/package/). Needs `make build`.
test-package:
	node --test tests/package/

test-e2e:
	node --test --test-concurrency=1 tests/e2e/

# Issue 15: the generated SQL run in DuckDB and in Spark SQL (one local session) on the sample and
# fixtures; every covered column must equal customers.csv (tests/sql/check.py). Needs `make cli`.
test-sql: cli
	bash pkg-config/setup.sh --sql
	.venv-sql/bin/python tests/sql/check.py

# Issue 15's scale benchmark, not part of `make test`: generated transactions in DuckDB
# (SQL_ROWS, default 20M) and Spark local mode (SPARK_ROWS, default 2M); rows/s and peak memory.
SQL_ROWS ?= 20000000
SPARK_ROWS ?= 2000000
bench-sql: cli
	bash pkg-config/setup.sh --sql
	.venv-sql/bin/python tests/sql/bench.py --duckdb-rows $(SQL_ROWS) --spark-rows $(SPARK_ROWS)

fmt:
	cargo fmt

# Issue 12's benchmark, not part of `make test`: the CLI (with and without clustering), the page in
# headless Chromium, the Wasm pipeline in Node, pandas + scikit-learn and single-threaded DuckDB on the same
# generated exports (tests/benches/make_export.py, kept in BENCH_DIR); prints the tables of BENCHMARKS.md.
# Needs what `make setup-test` installs (npm packages, Debian chromium); makes its own .venv-bench.
#   make bench SIZES=1M,5M REPEAT=3     BENCH_ARGS='--only cli,duckdb'
SIZES ?= 1M,5M,10M
REPEAT ?= 1
BENCH_DIR ?= /tmp/tierlens-bench
bench: cli build
	python3 tests/benches/run.py --no-build --sizes $(SIZES) --repeat $(REPEAT) --dir $(BENCH_DIR) $(BENCH_ARGS)
