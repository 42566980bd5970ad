#!/usr/bin/env bash
# Whole-report benchmark (issue 4): `prosper-rules report` on the 1,000,000-customer
# files of ../shared/bench — start, load both CSVs, run all six modules with the default
# rules, write JSON — timed as a whole process, median of RUNS, with the DuckDB peer
# (bench_duckdb.py, the same six modules in SQL) and the hand-written C program
# (scripts/bench/peer.c: parse both files, six simple aggregates, no validation) on the same
# files in the same run.
#
#   scripts/bench-report.sh            # RUNS=5
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
N=${N:-1000000}
SHARED=${SHARED:-../shared/bench}
DATA=.bench/n1m
OUT=.bench/report-bench
mkdir -p "$OUT"

swift build -c release --product prosper-rules >&2
BIN=.build/release/prosper-rules
if [ ! -f "$DATA/subscriptions.csv" ]; then
  echo "generating $N customers with gen.py (about 45 s)…" >&2
  python3 "$SHARED/gen.py" "$N" "$DATA" --seed 20261101
fi
if [ ! -x .bench/venv/bin/python ]; then
  python3 -m venv .bench/venv
  .bench/venv/bin/pip install -q duckdb >&2
fi
cc -O2 -o .bench/peer scripts/bench/peer.c
source "$(dirname "$0")/lib-measure.sh"

echo "# prosper-rules report vs DuckDB, N=$N, median of $RUNS (release build, $(nproc) cores)"
# --limit 20: the same work as the figures recorded before JSON became complete by default
# (issue 8); the complete report (every alert and offer, ~200 MB) is timed on its own.
measure c-peer .bench/peer "$DATA"
measure report-json "$BIN" report --data "$DATA" --as-of 2026-11-01 --format json --limit 20 --no-cache --out "$OUT/report.json"
measure report-json-1-thread env PROSPER_SEQUENTIAL=1 "$BIN" report --data "$DATA" --as-of 2026-11-01 --format json --limit 20 --no-cache --out "$OUT/report.json"
measure report-json-complete "$BIN" report --data "$DATA" --as-of 2026-11-01 --format json --no-cache --out "$OUT/report-complete.json"
measure duckdb-workload-2-threads .bench/venv/bin/python "$SHARED/bench_duckdb.py" "$DATA"
