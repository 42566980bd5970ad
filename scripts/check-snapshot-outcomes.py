#!/usr/bin/env python3
"""Independent check of snapshot outcomes (docs/outcomes.md).

    scripts/check-snapshot-outcomes.py EARLY LATER [--churned-when all|mrr-lost=P] [--tool PATH]

EARLY and LATER are CSV folders (customers.csv + subscriptions.csv in the contract layout).
The churned customers are computed here by DuckDB SQL of their own (no code of the tool),
then compared, customer by customer, with `prosper-rules outcomes --format csv`. Prints the
figures; exit 0 when the two agree, 1 when they differ, 2 on a usage or setup problem.
Needs duckdb (e.g. the venv .bench/venv: `.bench/venv/bin/python scripts/check-snapshot-outcomes.py ...`).
"""
import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile

try:
    import duckdb
except ImportError:
    print("check-snapshot-outcomes: duckdb is not importable (pip install duckdb, or run with .bench/venv/bin/python)", file=sys.stderr)
    sys.exit(2)


def rule_percent(text):
    if text == "all":
        return None
    if text.startswith("mrr-lost="):
        p = text[len("mrr-lost="):].rstrip("%")
        if p.isdigit() and 1 <= int(p) <= 100:
            return int(p)
    raise argparse.ArgumentTypeError("expected all or mrr-lost=P (1..100), got %r" % text)


def sql_outcomes(early, later, percent):
    """customer_id -> (mrr_then_cents, mrr_lost_cents, churned) by DuckDB SQL."""
    con = duckdb.connect()

    def subs(folder):
        path = os.path.join(folder, "subscriptions.csv").replace("'", "''")
        return ("select customer_id, product, cast(round(cast(monthly_price as decimal(18,2)) * 100) as bigint) as cents "
                "from read_csv('%s', all_varchar=true, header=true) where status = 'active'" % path)

    def customers(folder):
        path = os.path.join(folder, "customers.csv").replace("'", "''")
        return "select distinct customer_id from read_csv('%s', all_varchar=true, header=true)" % path

    # A product of an early active subscription is kept when the same customer (same id
    # bytes) has an active subscription of the same product in the later snapshot.
    rule = ("count(*) filter (where not kept) = count(*)" if percent is None else
            "case when sum(cents) > 0 then sum(cents) filter (where not kept) * 100 >= %d * sum(cents) "
            "else count(*) filter (where not kept) = count(*) end" % percent)
    query = f"""
        with e as ({subs(early)}),
             l as (select distinct customer_id, product from ({subs(later)})),
             ec as ({customers(early)}),
             marked as (
               select e.customer_id, e.cents,
                      exists (select 1 from l where l.customer_id = e.customer_id and l.product = e.product) as kept
               from e join ec on ec.customer_id = e.customer_id)
        select customer_id, sum(cents)::bigint as mrr_then,
               coalesce(sum(cents) filter (where not kept), 0)::bigint as mrr_lost,
               coalesce({rule}, false) as churned
        from marked group by customer_id order by customer_id
    """
    return {r[0]: (int(r[1]), int(r[2]), bool(r[3])) for r in con.sql(query).fetchall()}


def tool_outcomes(tool, early, later, churned_when):
    # Run outside any project (a prosper.yaml's as_of: would apply to the early data).
    cmd = [os.path.abspath(tool), "outcomes", "--data", os.path.abspath(early), "--outcome-data", os.path.abspath(later),
           "--churned-when", churned_when, "--format", "csv", "--limit", "all"]
    with tempfile.TemporaryDirectory() as here:
        run = subprocess.run(cmd, capture_output=True, text=True, cwd=here)
    if run.returncode != 0:
        print("check-snapshot-outcomes: %s failed (%d): %s" % (" ".join(cmd), run.returncode, run.stderr), file=sys.stderr)
        sys.exit(2)
    # The customers table is the block after '# outcomes-customers'.
    text = run.stdout.replace("\r\n", "\n")
    start = text.find("# outcomes-customers\n")
    if start < 0:
        print("check-snapshot-outcomes: no outcomes-customers table in the tool's output", file=sys.stderr)
        sys.exit(2)
    block = text[start + len("# outcomes-customers\n"):].split("\n\n")[0]
    out = {}
    for row in csv.DictReader(io.StringIO(block)):
        cents = lambda v: int(round(float(v) * 100))
        out[row["customer_id"]] = (cents(row["mrr_then"]), cents(row["mrr_lost"]), row["churned"] == "yes")
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("early")
    ap.add_argument("later")
    ap.add_argument("--churned-when", default="all", type=str)
    ap.add_argument("--tool", default=os.environ.get("PROSPER_RULES", os.path.join(os.path.dirname(__file__), "..", ".build", "debug", "prosper-rules")))
    a = ap.parse_args()
    try:
        percent = rule_percent(a.churned_when)
    except argparse.ArgumentTypeError as e:
        print("check-snapshot-outcomes: --churned-when: %s" % e, file=sys.stderr)
        return 2
    for folder in (a.early, a.later):
        if not os.path.isfile(os.path.join(folder, "subscriptions.csv")):
            print("check-snapshot-outcomes: %s has no subscriptions.csv (CSV folders only)" % folder, file=sys.stderr)
            return 2
    sql = sql_outcomes(a.early, a.later, percent)
    tool = tool_outcomes(a.tool, a.early, a.later, a.churned_when)
    differ = sorted(set(sql) ^ set(tool)) + sorted(k for k in set(sql) & set(tool) if sql[k] != tool[k])
    churned = sum(1 for v in sql.values() if v[2])
    churned_mrr = sum(v[0] for v in sql.values() if v[2])
    print("%s -> %s (%s): population %d, churned %d (sql) / %d (tool), churned MRR %.2f, differences %d"
          % (a.early, a.later, a.churned_when, len(sql), churned, sum(1 for v in tool.values() if v[2]), churned_mrr / 100, len(differ)))
    for k in differ[:10]:
        print("  %s: sql %s, tool %s" % (k, sql.get(k), tool.get(k)))
    return 0 if not differ else 1


if __name__ == "__main__":
    sys.exit(main())
