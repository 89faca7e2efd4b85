#!/usr/bin/env bash
# Runs every Go fuzz target in the repository for FUZZTIME each (default
# 2m; CI uses 5s). A crash leaves its input under the package's
# testdata/fuzz/<Target>/, where `go test` replays it from then on: commit
# it with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime="${FUZZTIME:-2m}"
targets=$(grep -ho 'func Fuzz[A-Za-z0-9_]*' $(git ls-files '*_test.go') | sed 's/func //' | sort -u)
for target in $targets; do
  pkg=$(dirname "$(grep -l "func $target(" $(git ls-files '*_test.go') | head -1)")
  echo "== $target in ./$pkg for $fuzztime"
  go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./$pkg"
done
echo "fuzzed $(echo "$targets" | wc -w) targets for $fuzztime each"
