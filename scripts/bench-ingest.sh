#!/usr/bin/env bash
# Ingestion and seeding benchmark (issue 3): release build, whole process timed
# (wall seconds and peak RSS from /usr/bin/time -v), median of RUNS runs, with the
# DuckDB peer on the same files. Writes a summary to stdout and raw figures under .bench/.
#
#   scripts/bench-ingest.sh            # RUNS=5 N=1000000
#   RUNS=3 scripts/bench-ingest.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-5}
N=${N:-1000000}
SHARED=${SHARED:-../shared/bench}
DATA=.bench/n1m
OUT=.bench/ingest-bench
mkdir -p "$OUT"

swift build -c release --product prosper-rules >&2
BIN=.build/release/prosper-rules

if [ ! -f "$DATA/subscriptions.csv" ]; then
  echo "generating $N customers with gen.py (about 45 s)…" >&2
  python3 "$SHARED/gen.py" "$N" "$DATA" --seed 20261101
fi

source "$(dirname "$0")/lib-measure.sh"

echo "# prosper-rules ingestion, N=$N, median of $RUNS (release build)"
measure ingest-csv "$BIN" ingest "$DATA" --format json
measure ingest-csv-1-thread env PROSPER_SEQUENTIAL=1 "$BIN" ingest "$DATA" --format json
rm -rf .bench/seed-out
measure seed-csv "$BIN" seed --seed 20261101 --customers "$N" --out .bench/seed-out
measure seed-jsonl "$BIN" seed --seed 20261101 --customers "$N" --out .bench/seed-out --format jsonl
measure ingest-jsonl "$BIN" ingest .bench/seed-out/customers.jsonl --format json

# Phase breakdown of one run.
PROSPER_TIMING=1 "$BIN" ingest "$DATA" --format json 2>&1 >/dev/null | sed 's/^/  /'

# The DuckDB peer: the six-module workload (bench_duckdb.py) and a load-only run.
if [ ! -x .bench/venv/bin/python ]; then
  python3 -m venv .bench/venv
  .bench/venv/bin/pip install -q duckdb >&2
fi
measure duckdb-workload-2-threads .bench/venv/bin/python "$SHARED/bench_duckdb.py" "$DATA"
cat > "$OUT/duckdb_load.py" <<'PY'
import sys, duckdb
d = sys.argv[1]
con = duckdb.connect()
con.execute(f"CREATE TABLE c AS SELECT * FROM read_csv('{d}/customers.csv', header=true)")
con.execute(f"CREATE TABLE s AS SELECT * FROM read_csv('{d}/subscriptions.csv', header=true)")
print(con.execute("SELECT (SELECT count(*) FROM c), (SELECT count(*) FROM s)").fetchone())
PY
measure duckdb-load-only-2-threads .bench/venv/bin/python "$OUT/duckdb_load.py" "$DATA"
