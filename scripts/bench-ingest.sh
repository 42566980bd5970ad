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

# measure NAME COMMAND…: RUNS runs; prints "NAME median_wall_s median_peak_MiB"
measure() {
  local name=$1; shift
  : > "$OUT/$name.times"
  for _ in $(seq "$RUNS"); do
    /usr/bin/time -v "$@" > /dev/null 2> "$OUT/$name.time-v" || { cat "$OUT/$name.time-v" >&2; exit 1; }
    python3 - "$OUT/$name.time-v" >> "$OUT/$name.times" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
wall = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)", t)
secs = (int(wall.group(1) or 0) * 3600) + int(wall.group(2)) * 60 + float(wall.group(3))
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1))
print(f"{secs:.3f} {rss / 1024:.0f}")
PY
  done
  python3 - "$name" "$OUT/$name.times" <<'PY'
import statistics, sys
rows = [tuple(map(float, l.split())) for l in open(sys.argv[2]) if l.strip()]
print(f"{sys.argv[1]:<28} wall {statistics.median(r[0] for r in rows):6.2f} s   peak {statistics.median(r[1] for r in rows):5.0f} MiB   (runs: {' '.join(f'{r[0]:.2f}' for r in rows)})")
PY
}

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
