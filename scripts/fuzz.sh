#!/usr/bin/env bash
# Coverage-guided fuzzing with libFuzzer (docs/fuzzing.md).
#
#   scripts/fuzz.sh build                      build every fuzz target (.build-fuzz/)
#   scripts/fuzz.sh run TARGET [SECONDS|-runs=N] [libFuzzer flags...]
#   scripts/fuzz.sh smoke                      every target briefly (~1 minute); non-zero on a finding
#   scripts/fuzz.sh repro TARGET FILE          run one saved input (prints the broken invariant)
#   scripts/fuzz.sh minimize TARGET FILE       shrink a crashing input to .fuzz/min/TARGET-NAME
#   scripts/fuzz.sh save TARGET FILE [pending] copy an input into the replay fixtures
#   scripts/fuzz.sh corpus                     assemble the seed corpora only
#
# TARGET: rules expression customers subscriptions jsonl mapping project.
# Findings (crash-*, timeout-*, oom-*) go to .fuzz/artifacts/TARGET/.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
SCRATCH="$ROOT/.build-fuzz"
WORK="$ROOT/.fuzz"
TARGETS="rules expression customers subscriptions jsonl mapping project"
FIXTURES=Tests/ProsperFuzzTests/Fixtures
# Each input gets at most 5 s and 2 GiB: a hang or a blow-up is a finding too.
LIMITS=(-timeout=5 -rss_limit_mb=2048)
# The process keeps a few global caches (the fixed dataset): not leaks.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=0:allocator_may_return_null=1}"
# Let libFuzzer and ASan report a crash; the Swift backtracer would hold every crashing
# process for up to 30 s.
export SWIFT_BACKTRACE="${SWIFT_BACKTRACE:-enable=no}"

die() { echo "fuzz.sh: $*" >&2; exit 2; }

known_target() { case " $TARGETS " in *" $1 "*) return 0 ;; *) die "unknown target '$1' (one of: $TARGETS)" ;; esac; }

# Longest input per kind: enough for real files, small enough to mutate well.
max_len() {
  case $1 in
    expression) echo 512 ;;
    project) echo 2048 ;;
    rules|mapping) echo 8192 ;;
    *) echo 16384 ;;
  esac
}

dictionary() {
  case $1 in
    customers|subscriptions) echo Fuzz/dictionaries/csv.dict ;;
    *) echo "Fuzz/dictionaries/$1.dict" ;;
  esac
}

# Whether this toolchain can build libFuzzer targets at all.
supported() {
  local d
  d=$(mktemp -d)
  printf '@_cdecl("LLVMFuzzerTestOneInput") public func f(_ d: UnsafePointer<UInt8>?, _ n: Int) -> Int32 { 0 }\n' > "$d/probe.swift"
  if swiftc -sanitize=fuzzer,address -parse-as-library "$d/probe.swift" -o "$d/probe" >/dev/null 2>&1; then
    rm -rf "$d"; return 0
  fi
  rm -rf "$d"; return 1
}

build() {
  swift build -c release --package-path Fuzz --scratch-path "$SCRATCH" \
    -Xswiftc -sanitize=fuzzer,address "$@"
}

binary() { echo "$SCRATCH/release/fuzz-$1"; }

ensure_built() {
  local t missing=0
  for t in $TARGETS; do [ -x "$(binary "$t")" ] || missing=1; done
  if [ "$missing" = 1 ]; then build; fi
}

# Seed file named by content, so the same seed is never stored twice.
seed() { # seed TARGET (content on stdin)
  local tmp sum
  tmp=$(mktemp)
  cat > "$tmp"
  sum=$(sha1sum "$tmp" | cut -c1-16)
  mv "$tmp" "$WORK/corpus/$1/seed-$sum"
}

seed_files() { # seed_files TARGET FILE... (first 200 lines of each)
  local t=$1 f; shift
  for f in "$@"; do [ -f "$f" ] && head -n 200 "$f" | seed "$t"; done
  return 0
}

# The working corpora: the repository's fixtures, the curated seeds of Fuzz/seeds and
# every saved finding. libFuzzer adds what it discovers to the same folders.
corpus() {
  local t
  for t in $TARGETS; do
    mkdir -p "$WORK/corpus/$t"
    for f in Fuzz/seeds/"$t"/* "$FIXTURES"/regressions/"$t"/* "$FIXTURES"/pending/"$t"/*; do
      [ -f "$f" ] && [ "$(basename "$f")" != .keep ] && seed "$t" < "$f"
    done
  done
  seed_files rules rules/*.yaml Tests/ProsperRulesTests/Fixtures/bad/*.yaml \
    $(find Tests/ProsperDifferentialTests/Fixtures Tests/ProsperReportTests/Fixtures -name '*.yaml' 2>/dev/null)
  # Expressions: the first column of the expression table, and every `when:` of the rules.
  { grep -v '^#' Tests/ProsperRulesTests/Fixtures/expressions.tsv | cut -f1; sed -n 's/^ *when: *//p' rules/*.yaml; } \
    | grep -v '^ *$' | head -n 400 | while IFS= read -r line; do printf '%s' "$line" | seed expression; done
  seed_files customers $(find Tests -name 'customers.csv') examples/data/customers.csv
  seed_files subscriptions $(find Tests -name 'subscriptions.csv') examples/data/subscriptions.csv
  seed_files jsonl $(find Tests -name '*.jsonl')
  seed_files mapping Tests/ProsperDataTests/Fixtures/mapping/*.yaml examples/telco/telco-mapping.yaml examples/prepaid/prepaid-mapping.yaml
  seed_files project prosper.yaml
}

# run TARGET [SECONDS|-runs=N] [flags...]: returns libFuzzer's status (0: no finding).
run() {
  local t=$1; shift
  known_target "$t"
  local budget=(-max_total_time=120)
  if [ $# -gt 0 ]; then
    case $1 in
      -runs=*) budget=("$1"); shift ;;
      ''|*[!0-9]*) ;;
      *) budget=(-max_total_time="$1"); shift ;;
    esac
  fi
  mkdir -p "$WORK/artifacts/$t"
  "$(binary "$t")" "$WORK/corpus/$t" -dict="$(dictionary "$t")" -max_len="$(max_len "$t")" "${LIMITS[@]}" \
    -artifact_prefix="$WORK/artifacts/$t/" -print_final_stats=1 "${budget[@]}" "$@"
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
  build)
    supported || { echo "skipped: toolchain lacks -sanitize=fuzzer"; exit 0; }
    build "$@"
    ;;
  corpus)
    corpus
    ;;
  run)
    [ $# -ge 1 ] || die "usage: scripts/fuzz.sh run TARGET [SECONDS|-runs=N] [libFuzzer flags...]"
    supported || { echo "skipped: toolchain lacks -sanitize=fuzzer"; exit 0; }
    known_target "$1"
    ensure_built
    corpus
    run "$@"
    ;;
  smoke)
    supported || { echo "skipped: toolchain lacks -sanitize=fuzzer"; exit 0; }
    ensure_built
    corpus
    mkdir -p "$WORK/logs"
    failed=""
    for t in $TARGETS; do
      # A fixed seed: the same inputs every run, so CI cannot turn red by chance.
      if run "$t" 8 -seed=1 > "$WORK/logs/smoke-$t.log" 2>&1; then
        echo "smoke $t: ok ($(grep -E '^#[0-9]+' "$WORK/logs/smoke-$t.log" | tail -n 1 | cut -c1-100))"
      else
        echo "smoke $t: FINDING (log: .fuzz/logs/smoke-$t.log, artifacts: .fuzz/artifacts/$t/)"
        grep -E 'invariant broken|Fatal error|ERROR: (AddressSanitizer|libFuzzer)|SUMMARY' "$WORK/logs/smoke-$t.log" | head -n 5 || true
        failed="$failed $t"
      fi
    done
    if [ -n "$failed" ]; then echo "fuzz smoke: findings in:$failed"; exit 1; fi
    echo "fuzz smoke: no findings"
    ;;
  repro)
    [ $# -eq 2 ] || die "usage: scripts/fuzz.sh repro TARGET FILE"
    known_target "$1"
    ensure_built
    "$(binary "$1")" "${LIMITS[@]}" -artifact_prefix="$WORK/artifacts/$1/" "$2"
    ;;
  minimize)
    [ $# -eq 2 ] || die "usage: scripts/fuzz.sh minimize TARGET FILE"
    known_target "$1"
    ensure_built
    mkdir -p "$WORK/min"
    out="$WORK/min/$1-$(basename "$2")"
    "$(binary "$1")" "${LIMITS[@]}" -artifact_prefix="$WORK/artifacts/$1/" -minimize_crash=1 -max_total_time=60 -exact_artifact_path="$out" "$2" || true
    [ -f "$out" ] || cp "$2" "$out"
    echo "minimized: $out ($(wc -c < "$out") bytes, from $(wc -c < "$2"))"
    ;;
  save)
    [ $# -ge 2 ] || die "usage: scripts/fuzz.sh save TARGET FILE [pending]"
    known_target "$1"
    folder=regressions
    [ "${3:-}" = pending ] && folder=pending
    name="$(sha1sum "$2" | cut -c1-12)"
    cp "$2" "$FIXTURES/$folder/$1/$name"
    echo "saved $FIXTURES/$folder/$1/$name"
    ;;
  *)
    sed -n '2,13p' "$0" | sed 's/^# \{0,1\}//'
    [ -z "$cmd" ] || exit 2
    ;;
esac
