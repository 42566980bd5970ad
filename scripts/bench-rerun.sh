#!/usr/bin/env bash
# Re-run benchmark (issue 14): the commands of an analyst's second run, from the snapshot
# cache, on the 1,000,000-customer bench files, alternating an old and a new binary in the
# same minutes (scripts/bench-ab.py). Only figures from one run of this script compare.
#
#   scripts/bench-rerun.sh OLD_BINARY [ROUNDS]      # NEW is this checkout's release build
#
# It makes a scratch project in a temporary folder: prosper.yaml (data: .bench/n1m, the
# default rules, as_of 2026-11-01) and `alt/`, the churn, upsell and segments files with
# other thresholds (the two-folder comparison).
set -euo pipefail
cd "$(dirname "$0")/.."
OLD=$(realpath "${1:?usage: scripts/bench-rerun.sh OLD_BINARY [ROUNDS]}")
ROUNDS=${2:-9}
swift build -c release --product prosper-rules >&2
NEW=$(realpath .build/release/prosper-rules)
DATA=$(realpath .bench/n1m)
[ -f "$DATA/subscriptions.csv" ] || { echo "run scripts/bench-report.sh first (it makes .bench/n1m)" >&2; exit 1; }
P=$(mktemp -d)
trap 'rm -rf "$P"' EXIT
cp -r rules "$P/rules"
mkdir "$P/alt"
sed -e 's/high_value_mrr: 50 /high_value_mrr: 60 /' -e 's/inactive_days: 45/inactive_days: 30/' rules/churn.yaml > "$P/alt/churn.yaml"
sed -e 's/many_users: 10/many_users: 6/' -e 's/big_team: 20/big_team: 12/' rules/upsell.yaml > "$P/alt/upsell.yaml"
cp rules/segments.yaml "$P/alt/segments.yaml"
cmp -s rules/churn.yaml "$P/alt/churn.yaml" && { echo "alt/churn.yaml did not change: update the sed lines" >&2; exit 1; }
cmp -s rules/upsell.yaml "$P/alt/upsell.yaml" && { echo "alt/upsell.yaml did not change: update the sed lines" >&2; exit 1; }
printf 'data: %s\nrules: rules\nas_of: 2026-11-01\n' "$DATA" > "$P/prosper.yaml"
cd "$P"
# The first run makes the snapshot; the old binary may keep its own (another tool version).
"$NEW" report --format json --limit 20 --out /dev/null
"$OLD" report --format json --limit 20 --out /dev/null
J="--format json --limit 20 --out $P/out.json"
S1="--vary inactive_days=30..120/10"
S2="$S1 --vary high_value_mrr=0..90/10"
python3 "$OLDPWD/scripts/bench-ab.py" "$ROUNDS" \
  report-old "$OLD report $J" report "$NEW report $J" \
  eval-churn "$NEW eval rules/churn.yaml $J" eval-upsell "$NEW eval rules/upsell.yaml $J" \
  eval-analytics "$NEW eval rules/analytics.yaml $J" eval-segments "$NEW eval rules/segments.yaml $J" \
  explain "$NEW explain C0000001 --format json" \
  compare-old "$OLD compare rules rules/churn.yaml $J" compare "$NEW compare rules rules/churn.yaml $J" \
  compare-dirs-old "$OLD compare rules alt $J" compare-dirs "$NEW compare rules alt $J" \
  sweep10-old "$OLD sweep rules/churn.yaml $S1 --format json --out $P/out.json" sweep10 "$NEW sweep rules/churn.yaml $S1 --format json --out $P/out.json" \
  sweep100-old "$OLD sweep rules/churn.yaml $S2 --format json --out $P/out.json" sweep100 "$NEW sweep rules/churn.yaml $S2 --format json --out $P/out.json" \
  version "$NEW --version"
