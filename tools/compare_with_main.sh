#!/usr/bin/env bash
# Runs the main CLI ($MAIN, default /tmp/tierlens-main) and this tree's release CLI on the built-in
# sample and on every input fixture under tests/fixtures, with the same as-of date, and compares the
# outputs: customers.csv must be byte-identical; report.json is diffed (jq -S) so the deliberate
# changes can be read. A fixture both builds refuse must be refused with the same message.
# Usage: tools/compare_with_main.sh [OUTDIR]   (exit 1 when a customers.csv or a refusal differs)
set -u
MAIN=${MAIN:-/tmp/tierlens-main}
OURS=${OURS:-target/release/tierlens}
OUT=${1:-/tmp/tierlens-compare}
AS_OF=2025-01-01
rm -rf "$OUT" && mkdir -p "$OUT"
"$OURS" sample --out "$OUT/sample.csv"
cmp -s <("$MAIN" sample --out -) "$OUT/sample.csv" || { echo "DIFF the sample data itself"; }
inputs=("$OUT/sample.csv")
while IFS= read -r f; do inputs+=("$f"); done < <(find tests/fixtures -type f \
  ! -name '*.py' ! -name '*.expected.csv' ! -name '*.md' ! -name '*.json.expected' | sort)
same=0 differ=0 refused=0 reportdiff=0
for f in "${inputs[@]}"; do
  n=$(echo "$f" | tr '/' '_')
  a="$OUT/main/$n" b="$OUT/ours/$n"
  mkdir -p "$a" "$b"
  "$MAIN" segment "$f" --out "$a" --as-of "$AS_OF" >/dev/null 2>"$a/stderr"; ra=$?
  "$OURS" segment "$f" --out "$b" --as-of "$AS_OF" >/dev/null 2>"$b/stderr"; rb=$?
  if [ $ra -ne 0 ] || [ $rb -ne 0 ]; then
    if [ $ra -eq $rb ] && cmp -s "$a/stderr" "$b/stderr"; then refused=$((refused+1));
    else echo "DIFF refusal $f (main rc $ra, ours rc $rb)"; diff "$a/stderr" "$b/stderr" | head -5; differ=$((differ+1)); fi
    continue
  fi
  if cmp -s "$a/customers.csv" "$b/customers.csv"; then same=$((same+1));
  else echo "DIFF customers.csv $f"; differ=$((differ+1)); fi
  if ! diff <(jq -S . "$a/report.json") <(jq -S . "$b/report.json") > "$b/report.diff"; then
    reportdiff=$((reportdiff+1))
  fi
done
echo "customers.csv identical: $same; differing: $differ; refused alike: $refused; report.json differing: $reportdiff (diffs in $OUT/ours/*/report.diff)"
[ $differ -eq 0 ]
