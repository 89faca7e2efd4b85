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
  # Go's fuzz coordinator can fail with a bare "context deadline exceeded"
  # when a worker is busy (minimizing) at the deadline on a loaded machine:
  # no input failed, nothing is written. That is retried; a real failure
  # writes its input under testdata/fuzz and fails the run.
  for attempt in 1 2 3; do
    out=$(go test -run='^$' -fuzz="^${target}\$" -fuzztime="$fuzztime" "./$pkg" 2>&1) && { echo "$out" | tail -2; break; }
    if echo "$out" | grep -q "context deadline exceeded" && ! echo "$out" | grep -q "Failing input written"; then
      echo "$target: the fuzz coordinator timed out without a failing input (attempt $attempt); trying again"
      [ "$attempt" -lt 3 ] && continue
      echo "$target: timed out three times without a failing input; not a finding"
      break
    fi
    echo "$out"
    exit 1
  done
done
echo "fuzzed $(echo "$targets" | wc -w) targets for $fuzztime each"
