#!/usr/bin/env bash
# Scale benchmark (issue 14): time and peak memory of `ingest`, `report` (cold, no snapshot
# cache) and `seed` at 100k, 1M and 10M customers of the benchmark kit's generator
# (../shared/bench/gen.py, seed 20261101), with the hand-written C peer's load-and-aggregate
# run on the same files (scripts/bench/peer.c) as the yardstick. Whole process, release build.
#
#   RUNS=1 scripts/bench-scale.sh            # about 6 minutes on 2 cores; needs ~5 GB of disk
#   SIZES="100000 1000000" scripts/bench-scale.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-1}
SIZES=${SIZES:-"100000 1000000 10000000"}
SHARED=${SHARED:-../shared/bench}
OUT=.bench/scale
mkdir -p "$OUT"
swift build -c release --product prosper-rules >&2
BIN=.build/release/prosper-rules
cc -O2 -o .bench/peer scripts/bench/peer.c
source "$(dirname "$0")/lib-measure.sh"

dir_for() {
  case $1 in
    100000) echo .bench/n100k ;;
    1000000) echo .bench/n1m ;;
    10000000) echo .bench/n10m ;;
    *) echo ".bench/n$1" ;;
  esac
}

echo "# scale: median of $RUNS, release build, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg) at start"
for n in $SIZES; do
  data=$(dir_for "$n")
  if [ ! -f "$data/subscriptions.csv" ]; then
    echo "generating $n customers with gen.py…" >&2
    python3 "$SHARED/gen.py" "$n" "$data" --seed 20261101 >&2
  fi
  measure "c-peer-$n" .bench/peer "$data"
  measure "ingest-$n" "$BIN" ingest "$data" --as-of 2026-11-01 --format json
  measure "report-$n" "$BIN" report --data "$data" --as-of 2026-11-01 --format json --limit 20 --no-cache --out "$OUT/report-$n.json"
  # Each run writes into an empty folder: replacing the previous run's 2 GB at 10M made the
  # kernel free those pages inside the timed run (measured: 6.8 s of system time against 1.1 s).
  BEFORE="rm -rf '$OUT/seed-$n'" measure "seed-$n" "$BIN" seed --customers "$n" --seed 20261101 --out "$OUT/seed-$n"
  rm -rf "$OUT/seed-$n"
done
