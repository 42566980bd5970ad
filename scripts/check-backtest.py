#!/usr/bin/env python3
"""Independent check of `prosper-rules backtest` (docs/backtest.md).

Recomputes the overall and per-level figures of `backtest RULES --format json` from
  - the alerts of `eval RULES --format csv --limit all` (customer id and level),
  - the data's own files: the `churned` label of customers.csv and the MRR (sum of
    monthly_price over active subscriptions) from subscriptions.csv,
with exact fractions in plain Python, and the Wilson intervals with statsmodels when it is
installed (else with the textbook formula, said so). Exit 0 when every figure agrees.

  scripts/check-backtest.py DATA RULES [--bin .build/release/prosper-rules] [--as-of DATE]
  scripts/check-backtest.py --seeds 1,2,3 [--customers 20000] RULES   # seeds each data set first
"""
import argparse
import csv
import json
import math
import os
import subprocess
import sys
import tempfile
from decimal import Decimal, ROUND_HALF_UP
from fractions import Fraction

try:
    from statsmodels.stats.proportion import proportion_confint
    WILSON_SOURCE = "statsmodels"
except ImportError:  # skip the library, not the check
    proportion_confint = None
    WILSON_SOURCE = "formula (statsmodels not installed)"

Z95 = 1.959963984540054


def wilson(k, n):
    if n == 0:
        return None
    if proportion_confint is not None:
        lo, hi = proportion_confint(k, n, alpha=0.05, method="wilson")
        return float(lo), float(hi)
    p, z2 = k / n, Z95 * Z95
    d = 1 + z2 / n
    c = (p + z2 / (2 * n)) / d
    h = Z95 / d * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n))
    return max(0.0, c - h), min(1.0, c + h)


def r6(f):
    """An exact fraction at 6 decimals, half up, as the tool prints it."""
    if f is None:
        return None
    return (Decimal(f.numerator) / Decimal(f.denominator)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP) \
        if f.denominator < 10**30 else None


def frac(a, b):
    return Fraction(a, b) if b else None


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True)
    if p.returncode != 0:
        sys.exit(f"{' '.join(cmd)} failed ({p.returncode}):\n{p.stderr}")
    return p.stdout


def check(binary, data, rules, as_of):
    extra = ["--as-of", as_of] if as_of else []
    doc = json.loads(run([binary, "backtest", rules, "--data", data, "--format", "json"] + extra), parse_float=Decimal)
    with tempfile.TemporaryDirectory() as tmp:
        run([binary, "eval", rules, "--data", data, "--format", "csv", "--limit", "all", "--out", tmp + "/eval"] + extra)
        with open(tmp + "/eval/churn-top_alerts.csv", newline="") as f:
            level_of = {r["customer_id"]: r["level"] for r in csv.DictReader(f)}
    label = {}
    with open(os.path.join(data, "customers.csv"), newline="") as f:
        for r in csv.DictReader(f):
            label[r["customer_id"]] = {"true": 1, "false": 0}.get(r.get("churned", "").strip().lower())
    mrr = {}
    with open(os.path.join(data, "subscriptions.csv"), newline="") as f:
        for r in csv.DictReader(f):
            if r["status"].strip() == "active":
                mrr[r["customer_id"]] = mrr.get(r["customer_id"], 0) + int(Decimal(r["monthly_price"]) * 100)
    levels = [row["level"] for row in doc["backtest"]["by_level"]]
    known = [c for c, v in label.items() if v is not None]
    churned = [c for c in known if label[c] == 1]

    def matrix(alerted):
        tp = sum(1 for c in churned if c in alerted)
        a = sum(1 for c in known if c in alerted)
        return tp, a

    problems = []

    def same(name, got, want):
        if got != want:
            problems.append(f"{name}: backtest {got}, recomputed {want}")

    def same_bound(name, got, want):
        if want is None:
            same(name, got, None)
        elif got is None or abs(float(got) - want) > 0.00005 + 1e-12:
            problems.append(f"{name}: backtest {got}, {WILSON_SOURCE} {want:.6f}")

    b = doc["backtest"]
    alerted = {c for c in level_of}
    tp, a = matrix(alerted)
    n, ch = len(known), len(churned)
    fp, fn = a - tp, ch - tp
    churned_mrr = sum(mrr.get(c, 0) for c in churned)
    tp_mrr = sum(mrr.get(c, 0) for c in churned if c in alerted)
    same("customers", b["customers"], n)
    same("churned", b["churned"], ch)
    same("alerts", b["alerts"], a)
    same("true_positives", b["true_positives"], tp)
    same("base_rate", b["base_rate"], r6(frac(ch, n)))
    same("precision", b["precision"], r6(frac(tp, a)))
    same("recall", b["recall"], r6(frac(tp, ch)))
    same("f1", b["f1"], r6(frac(2 * tp, 2 * tp + fp + fn)))
    same("lift", b["lift"], r6(frac(tp * n, a * ch)))
    same("mrr_recall", b["mrr_recall"], r6(frac(tp_mrr, churned_mrr)))
    same("churned_mrr", b["churned_mrr"], Decimal(churned_mrr) / 100)
    same("alerted_churned_mrr", b["alerted_churned_mrr"], Decimal(tp_mrr) / 100)
    for key, k, trials in (("precision", tp, a), ("recall", tp, ch)):
        w = wilson(k, trials)
        same_bound(key + "_low", b[key + "_low"], w and w[0])
        same_bound(key + "_high", b[key + "_high"], w and w[1])
    for i, row in enumerate(b["by_level"]):
        own = {c for c, l in level_of.items() if l == levels[i]}
        cum = {c for c, l in level_of.items() if l in levels[: i + 1]}
        otp, oa = matrix(own)
        ctp, ca = matrix(cum)
        lv = f"by_level[{levels[i]}]"
        same(lv + ".alerts", row["alerts"], oa)
        same(lv + ".true_positives", row["true_positives"], otp)
        same(lv + ".precision", row["precision"], r6(frac(otp, oa)))
        same(lv + ".recall", row["recall"], r6(frac(otp, ch)))
        same(lv + ".cumulative_alerts", row["cumulative_alerts"], ca)
        same(lv + ".cumulative_precision", row["cumulative_precision"], r6(frac(ctp, ca)))
        same(lv + ".cumulative_recall", row["cumulative_recall"], r6(frac(ctp, ch)))
        w = wilson(ctp, ca)
        same_bound(lv + ".cumulative_precision_low", row["cumulative_precision_low"], w and w[0])
        w = wilson(ctp, ch)
        same_bound(lv + ".cumulative_recall_high", row["cumulative_recall_high"], w and w[1])
    summary = f"{data}: {n} customers, {ch} churned, {a} alerts, precision {b['precision']}, recall {b['recall']}, lift {b['lift']}"
    return summary, problems


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("paths", nargs="+", help="DATA RULES, or RULES with --seeds")
    ap.add_argument("--bin", default=".build/release/prosper-rules" if os.path.exists(".build/release/prosper-rules") else ".build/debug/prosper-rules")
    ap.add_argument("--as-of")
    ap.add_argument("--seeds", help="comma-separated seeds: seed a data set for each and check it")
    ap.add_argument("--customers", type=int, default=20000)
    args = ap.parse_args()
    print(f"Wilson intervals from {WILSON_SOURCE}")
    failed = 0
    if args.seeds:
        rules = args.paths[-1]
        for s in args.seeds.split(","):
            with tempfile.TemporaryDirectory() as tmp:
                run([args.bin, "seed", "--seed", s, "--customers", str(args.customers), "--out", tmp])
                summary, problems = check(args.bin, tmp, rules, args.as_of)
                print(f"seed {s}: " + summary.split(": ", 1)[1] + (": OK" if not problems else ""))
                for p in problems:
                    print("  MISMATCH " + p)
                failed += bool(problems)
    else:
        if len(args.paths) != 2:
            ap.error("give DATA RULES")
        summary, problems = check(args.bin, args.paths[0], args.paths[1], args.as_of)
        print(summary + (": OK" if not problems else ""))
        for p in problems:
            print("  MISMATCH " + p)
        failed += bool(problems)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
