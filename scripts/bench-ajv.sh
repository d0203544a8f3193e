#!/usr/bin/env bash
# bench-ajv.sh: chathook validate against ajv, whole process against whole
# process, over the same generated JSONL file, in one run (`make bench-ajv`).
#
#   scripts/bench-ajv.sh [COUNT] [RUNS]     (defaults 5000 bodies, 7 runs each)
#
# ajv is the peer a team would use without chathook: draft 2020-12, formats
# asserted, every error, over the schemas `chathook schemas export` writes.
# It is resolved from AJV_DIR (default /work/hardening-ajv, prepared with
# `npm install ajv ajv-formats` there) or NODE_PATH; without node or ajv the
# benchmark is skipped (exit 0). Runs alternate (chathook, ajv, chathook,
# ...) so that load on the machine falls on both; the medians of wall and
# CPU (user+sys) time and their ratios are printed. Never part of make test.
set -euo pipefail
count=${1:-5000}
runs=${2:-7}
cd "$(dirname "$0")/.."
ajv_dir=${AJV_DIR:-/work/hardening-ajv}
export NODE_PATH=${NODE_PATH:-$ajv_dir/node_modules}
if ! command -v node >/dev/null; then
  echo "bench-ajv: skipped (node is not installed)"; exit 0
fi
if ! node -e 'require("ajv/dist/2020"); require("ajv-formats")' 2>/dev/null; then
  echo "bench-ajv: skipped (ajv and ajv-formats not found; npm install ajv ajv-formats in $ajv_dir)"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/chathook" ./cmd/chathook
"$work/chathook" generate --platform chatwoot --event message_created --count "$count" --seed 7 >"$work/bodies.jsonl" 2>/dev/null
"$work/chathook" schemas export "$work/schemas" >/dev/null 2>&1
root=https://chathook.dev/schemas/chatwoot/webhook.json
echo "bench-ajv: $count Chatwoot message_created bodies ($(wc -c <"$work/bodies.jsonl") bytes), $runs runs each, $(nproc) cores"

# measure NAME CMD...: appends "wall cpu" (seconds) to $work/NAME, checks
# that every body was found valid.
measure() {
  local name=$1; shift
  local out
  /usr/bin/env time -o "$work/time" -f '%e %U %S' "$@" >"$work/out" 2>/dev/null || true
  out=$(tail -1 "$work/time")
  grep -q "^$count payload(s): $count valid" "$work/out" || { echo "bench-ajv: $name did not find $count valid bodies:"; cat "$work/out"; exit 1; }
  awk -v o="$out" 'BEGIN { split(o, a, " "); printf "%s %.3f\n", a[1], a[2] + a[3] }' >>"$work/t.$name"
}
for _ in $(seq "$runs"); do
  measure chathook "$work/chathook" validate --quiet "$work/bodies.jsonl"
  measure ajv node scripts/ajv-validate.js "$work/schemas" "$root" "$work/bodies.jsonl"
done
median() { sort -n -k"$2" "$work/t.$1" | awk -v k="$2" '{ v[NR] = $k } END { print v[int((NR + 1) / 2)] }'; }
cw=$(median chathook 1); cc=$(median chathook 2); aw=$(median ajv 1); ac=$(median ajv 2)
printf 'bench-ajv: chathook wall %ss cpu %ss | ajv wall %ss cpu %ss\n' "$cw" "$cc" "$aw" "$ac"
awk -v cw="$cw" -v aw="$aw" -v cc="$cc" -v ac="$ac" 'BEGIN {
  printf "bench-ajv: chathook/ajv wall-time ratio %.2f (below 1: chathook is faster), cpu-time ratio %.2f\n", cw / aw, cc / ac }'
