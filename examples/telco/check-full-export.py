#!/usr/bin/env python3
"""Checks prosper-rules against an independent computation on the real telecom export.

The public IBM sample `WA_Fn-UseC_-Telco-Customer-Churn.csv` (7,043 households) is not
shipped with the project. With it at hand:

    swift build
    python3 examples/telco/check-full-export.py PATH/TO/WA_Fn-UseC_-Telco-Customer-Churn.csv

ingests it with telco-mapping.yaml only (no pre-processing), then recomputes here, from
the CSV and this example's rule files as written (rules/churn.yaml), customer by customer:
the total MRR (the MonthlyCharges column, to the cent), every alert with its score and
level, revenue at risk, precision, recall and the churn rate. Any difference is printed
and the exit code is 1. Needs only Python 3.
"""
import csv, json, subprocess, sys
from decimal import Decimal, ROUND_HALF_UP
from pathlib import Path

here = Path(__file__).resolve().parent
tool = here.parent.parent / ".build" / "debug" / "prosper-rules"
data = Path(sys.argv[1]).resolve() if len(sys.argv) > 1 else None
if data is None or not data.is_file():
    sys.exit("usage: check-full-export.py PATH/TO/WA_Fn-UseC_-Telco-Customer-Churn.csv")

run = subprocess.run([str(tool), "report", "--data", str(data), "--mapping", "telco-mapping.yaml", "--format", "json"],
                     cwd=here, capture_output=True, text=True)
if run.returncode != 0:
    sys.exit(f"prosper-rules report failed ({run.returncode}):\n{run.stderr}")
report = json.loads(run.stdout, parse_float=Decimal)
ingest = subprocess.run([str(tool), "ingest", str(data), "--mapping", "telco-mapping.yaml", "--format", "json"],
                        cwd=here, capture_output=True, text=True)
quality = json.loads(ingest.stdout)

rows = list(csv.DictReader(open(data, newline="", encoding="utf-8")))
problems = []
def same(what, ours, theirs):
    if ours != theirs:
        problems.append(f"{what}: prosper-rules {ours}, independent {theirs}")

rejected = sum(t.get("rejected", 0) for t in quality.get("tables", []))
same("rows rejected", rejected, 0)
same("customers", report["meta"]["customers"], len(rows))
same("total MRR", report["revenue"]["total_mrr"], sum(Decimal(r["MonthlyCharges"]) for r in rows))

# rules/churn.yaml, written out by hand (weights, short_tenure = 6, levels 8/6/5).
def score(r):
    fiber = r["InternetService"] == "Fiber optic"
    gap = fiber and r["TechSupport"] != "Yes" and r["OnlineSecurity"] != "Yes"
    signals = [(r["Contract"] == "Month-to-month", 3), (int(r["tenure"]) < 6, 2),
               (r["PaymentMethod"] == "Electronic check", 2), (gap, 2),
               (r["PaperlessBilling"] == "Yes", 1), (r["SeniorCitizen"] == "1", 1)]
    return sum(w for holds, w in signals if holds)
def level(s):
    return "high" if s >= 8 else "medium" if s >= 6 else "low" if s >= 5 else None

expected = {}
for r in rows:
    s = score(r)
    if level(s):
        expected[r["customerID"]] = (level(s), s, Decimal(r["MonthlyCharges"]))
alerts = {a["customer_id"]: (a["level"], int(a["score"]), a["mrr"]) for a in report["churn"]["top_alerts"]}
same("alerts", len(alerts), len(expected))
for cid in sorted(set(alerts) | set(expected)):
    if alerts.get(cid) != expected.get(cid):
        problems.append(f"customer {cid}: prosper-rules {alerts.get(cid)}, independent {expected.get(cid)}")
        if len(problems) > 20: break
same("revenue at risk", report["churn"]["revenue_at_risk"], sum(v[2] for v in expected.values()))
churned = {r["customerID"] for r in rows if r["Churn"] == "Yes"}
tp = len(churned & set(expected))
def ratio(a, b):
    return (Decimal(a) / Decimal(b)).quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP)
same("churned", report["churn"]["churned"], len(churned))
same("true positives", report["churn"]["true_positives"], tp)
same("precision", report["churn"]["precision"], ratio(tp, len(expected)))
same("recall", report["churn"]["recall"], ratio(tp, len(churned)))
same("churn rate", report["churn"]["churn_rate"], ratio(len(churned), len(rows)))

if problems:
    print("\n".join(problems))
    sys.exit(1)
c = report["churn"]
print(f"{len(rows)} households, 0 rejected, total MRR {report['revenue']['total_mrr']} (to the cent); "
      f"{len(expected)} alerts, revenue at risk {c['revenue_at_risk']}, precision {c['precision']}, "
      f"recall {c['recall']}, churn rate {c['churn_rate']}: all equal to the independent computation")
