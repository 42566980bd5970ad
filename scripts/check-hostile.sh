#!/usr/bin/env bash
# Every malformed input the tests keep (bad rule files, rule-file limits, segment loops,
# fuzz regressions, bad data rows, bad JSON Lines, data limits, bad mappings) through the
# release binary, one process each: none may crash (exit >= 128), and each must finish
# within MAX_SECONDS and MAX_MB of peak memory (docs/limits.md states the bounds).
#
#   scripts/check-hostile.sh            # builds the release binary first
#   BIN=.build/debug/prosper-rules MAX_SECONDS=5 scripts/check-hostile.sh
set -uo pipefail
cd "$(dirname "$0")/.."
MAX_SECONDS=${MAX_SECONDS:-1.0}
MAX_MB=${MAX_MB:-256}
if [ -z "${BIN:-}" ]; then
  swift build -c release --product prosper-rules >&2 || exit 2
  BIN=.build/release/prosper-rules
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

count=0 failed=0 worst_s=0 worst_kb=0 worst_what=""
# run WHAT ARGS...: one measured process.
run() {
  local what=$1; shift
  local stats="$work/time"
  /usr/bin/time -f "%e %M" -o "$stats" "$BIN" "$@" > /dev/null 2>&1
  local rc=$? s kb
  # The last line holds "%e %M"; a line before it may say how the command ended.
  read -r s kb < <(tail -n 1 "$stats") || { s=0; kb=0; }
  grep -q "signal" "$stats" && rc=128
  count=$((count + 1))
  if awk -v s="$s" -v w="$worst_s" 'BEGIN { exit !(s > w) }'; then worst_s=$s; worst_what=$what; fi
  [ "${kb:-0}" -gt "$worst_kb" ] && worst_kb=$kb
  local problem=""
  [ "$rc" -ge 128 ] && problem="crashed (exit $rc)"
  awk -v s="$s" -v m="$MAX_SECONDS" 'BEGIN { exit !(s > m) }' && problem="$problem took ${s} s"
  [ "$((kb / 1024))" -gt "$MAX_MB" ] && problem="$problem used $((kb / 1024)) MB"
  if [ -n "$problem" ]; then failed=$((failed + 1)); echo "FAIL $what:$problem"; fi
}

R=Tests/ProsperRulesTests/Fixtures
for f in "$R"/bad/*.yaml "$R"/limits/*.yaml "$R"/gate/*.yaml Tests/ProsperFuzzTests/Fixtures/regressions/rules/*; do
  [ -f "$f" ] && run "check $f" check "$f"
done
for d in "$R"/folders/*/; do run "check $d" check "$d"; done

D=Tests/ProsperDataTests/Fixtures
for row in "$D"/rows/*/; do
  dir="$work/$(basename "$row")"
  mkdir -p "$dir" && cp "$D"/base/*.csv "$dir"/ && cp "$row"/*.csv "$dir"/ 2>/dev/null
  run "ingest $row" ingest "$dir"
done
for f in "$D"/jsonl/*.jsonl "$D"/limits/*.jsonl; do run "ingest $f" ingest "$f"; done
wide="$work/wide" && mkdir -p "$wide" && cp "$D"/limits/wide-header.csv "$wide"/customers.csv && cp "$D"/base/subscriptions.csv "$wide"/
run "ingest limits/wide-header.csv" ingest "$wide"
for m in "$D"/mapping/*.yaml Tests/ProsperFuzzTests/Fixtures/regressions/mapping/*; do
  [ -f "$m" ] && run "ingest --mapping $m" ingest "$D"/mapping/source.csv --mapping "$m"
done

echo "check-hostile: $count inputs, $failed over the bounds (${MAX_SECONDS} s, ${MAX_MB} MB); slowest ${worst_s} s ($worst_what), largest $((worst_kb / 1024)) MB"
[ "$failed" -eq 0 ]
