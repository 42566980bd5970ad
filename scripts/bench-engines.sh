#!/usr/bin/env bash
# Issue 9 benchmarks (BENCHMARKS.md, "Engines"): load and report in PostgreSQL against the
# in-process report on the same data, alternating runs, release build; optionally the
# report on the loopback Spark cluster.
#
#   scripts/bench-engines.sh DATA_DIR [RUNS]        # needs PROSPER_TEST_POSTGRES_URL (+ PGPASSWORD)
#   SPARK=1 scripts/bench-engines.sh DATA_DIR 1     # also PROSPER_TEST_SPARK_URL
set -euo pipefail
cd "$(dirname "$0")/.."
data="${1:?usage: scripts/bench-engines.sh DATA_DIR [RUNS]}"
runs="${2:-3}"
bin=.build/release/prosper-rules
[ -x "$bin" ] || swift build -c release --product prosper-rules >/dev/null
url="${PROSPER_TEST_POSTGRES_URL:?start PostgreSQL: eval \"\$(scripts/engines/postgres.sh start)\"}"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT

# Wall seconds and peak MiB of one command (GNU time).
measure() { /usr/bin/time -f "%e %M" -o "$out/time" "$@" > "$out/stdout" 2> "$out/stderr" || { cat "$out/stderr" >&2; exit 1; }; awk '{printf "%s %.0f", $1, $2/1024}' "$out/time"; }

echo "data: $data ($(($(wc -l < "$data/customers.csv") - 1)) customers), runs: $runs, $(nproc) cores"
echo "load: $(measure "$bin" load --into "$url" --data "$data" --schema prosper_bench --replace) (wall s, client peak MiB)"
for i in $(seq "$runs"); do
  ip=$(measure "$bin" report --data "$data" --format json --limit 20); cp "$out/stdout" "$out/in-process.json"
  pg=$(measure "$bin" report --engine "$url" --schema prosper_bench --format json --limit 20); cp "$out/stdout" "$out/postgres.json"
  echo "run $i: in-process $ip | postgresql $pg (wall s, peak MiB of the prosper-rules process)"
done
python3 - "$out/in-process.json" "$out/postgres.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); b["meta"].pop("engine")
print("reports equal:", a == b)
PY
if [ "${SPARK:-0}" = 1 ]; then
  master="${PROSPER_TEST_SPARK_URL:?start Spark: eval \"\$(scripts/engines/spark.sh start)\"}"
  sp=$(measure "$bin" report --engine "$master" --data "$data" --format json --limit 20); cp "$out/stdout" "$out/spark.json"
  ip=$(measure "$bin" report --data "$data" --format json --limit 20); cp "$out/stdout" "$out/in-process.json"
  echo "spark: $sp | in-process $ip (wall s, peak MiB of the prosper-rules process)"
  python3 - "$out/in-process.json" "$out/spark.json" <<'PY'
import json, sys
a = json.load(open(sys.argv[1])); b = json.load(open(sys.argv[2])); b["meta"].pop("engine")
print("reports equal:", a == b)
PY
fi
