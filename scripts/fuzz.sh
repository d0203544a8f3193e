#!/usr/bin/env bash
# Runs every Fuzz* target in the module for the given time each.
# go test -fuzz accepts one target per package run, so list and loop.
set -euo pipefail
fuzztime=${1:-30s}
cd "$(dirname "$0")/.."
count=0
for pkg in $(go list ./...); do
  dir=$(go list -f '{{.Dir}}' "$pkg")
  targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
  for t in $targets; do
    echo "fuzz: $pkg $t ($fuzztime)"
    go test -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" "$pkg" >/tmp/chathook-fuzz.log 2>&1 || { cat /tmp/chathook-fuzz.log; exit 1; }
    count=$((count + 1))
  done
done
echo "fuzz: $count targets passed"
