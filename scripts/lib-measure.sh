# Shared by the benchmark scripts: `measure NAME COMMAND…` runs COMMAND $RUNS times
# under /usr/bin/time -v and prints "NAME median wall, median peak RSS (all runs)".
# Needs RUNS and OUT set by the caller. With BEFORE set, `eval "$BEFORE"` runs before each
# timed run, untimed (e.g. removing the output of the previous run, so that every run writes
# into an empty folder instead of also paying for freeing the files it replaces).
# measure NAME COMMAND…: RUNS runs; prints "NAME median_wall_s median_peak_MiB"
measure() {
  local name=$1; shift
  : > "$OUT/$name.times"
  for _ in $(seq "$RUNS"); do
    if [ -n "${BEFORE:-}" ]; then eval "$BEFORE"; fi
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

