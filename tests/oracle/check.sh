#!/usr/bin/env bash
# `make oracle`: regenerates the corpus (make_corpus.py) and the oracle's expected figures (oracle.py,
# pandas in .venv-oracle) into a temporary directory and fails if either differs from the committed files:
# the fixtures are what the generator makes, and the expected figures are what pandas computes from them.
set -euo pipefail
cd "$(dirname "$0")/../.."
py=.venv-oracle/bin/python
export PYTHONDONTWRITEBYTECODE=1
if [ ! -x "$py" ]; then
  echo "oracle: no venv at .venv-oracle; run: bash pkg-config/setup.sh --oracle" >&2
  exit 1
fi
(cd tests/oracle && "../../$py" oracle_selftest.py)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$py" tests/oracle/make_corpus.py "$tmp/corpus"
"$py" tests/oracle/oracle.py "$tmp/corpus" "$tmp/expected"
status=0
diff -r tests/fixtures/realworld/corpus "$tmp/corpus" >&2 || status=1
diff -r tests/oracle/expected "$tmp/expected" >&2 || status=1
if [ "$status" != 0 ]; then
  echo "oracle: the committed corpus or expected figures are stale; regenerate with:" >&2
  echo "  $py tests/oracle/make_corpus.py && $py tests/oracle/oracle.py" >&2
  exit 1
fi
echo "oracle: corpus ($(ls tests/fixtures/realworld/corpus | wc -l) files) and expected figures are up to date"
