#!/usr/bin/env python3
"""Writes the worst-case inputs that docs/data.md "Limits" measures (too big to commit).

    scripts/hostile-data.py OUT_DIR [--keys 100000] [--columns 20000] [--rejects 5000000] [--text-mb 64]

Each case is a folder (or .jsonl file) under OUT_DIR, ready for `prosper-rules ingest`:
  keys.jsonl         one JSON Lines customer with --keys extra keys (custom attributes)
  columns/           customers.csv with --columns extra columns (3 rows)
  rejects/           --rejects customer rows, every one rejected (employees "x")
  longtext/          one customer whose company_name is --text-mb MiB long
  wide/              --wide-rows customers at the column limit (1,000 columns, every extra value "x")
  widekeys.jsonl     --wide-rows customers with 986 extra keys each (1,000 keys an object)
"""
import os, sys, argparse

HEADER = "customer_id,company_name,industry,region,employees,users,signup_date,last_active_date,support_tickets_90d,failed_payments_90d,nps,cancel_intent,churned"
SUBS = "customer_id,product,monthly_price,start_date,status\n"

def row(i, company="Blue Ridge LLC", employees="12"):
    return f"C{i},{company},Retail,West,{employees},5,2024-01-15,2026-10-30,1,0,8,false,false"

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--keys", type=int, default=100_000)
    ap.add_argument("--columns", type=int, default=20_000)
    ap.add_argument("--rejects", type=int, default=5_000_000)
    ap.add_argument("--text-mb", type=int, default=64)
    ap.add_argument("--wide-rows", type=int, default=20_000)
    a = ap.parse_args()
    os.makedirs(a.out, exist_ok=True)

    with open(os.path.join(a.out, "keys.jsonl"), "w") as f:
        f.write('{"customer_id":"C1","company_name":"A","industry":"Retail","region":"West","employees":1,"users":1,'
                '"signup_date":"2024-01-15","last_active_date":"2026-10-30","support_tickets_90d":0,"failed_payments_90d":0,'
                '"nps":null,"cancel_intent":false,"churned":null,"subscriptions":[]')
        for k in range(a.keys):
            f.write(f',"k{k}":{k}')
        f.write("}\n")

    d = os.path.join(a.out, "columns"); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "customers.csv"), "w") as f:
        f.write(HEADER + "".join(f",x{c}" for c in range(a.columns)) + "\n")
        for i in range(1, 4):
            f.write(row(i) + ",1" * a.columns + "\n")
    with open(os.path.join(d, "subscriptions.csv"), "w") as f:
        f.write(SUBS + "C1,Accounting,30.00,2024-01-15,active\n")

    d = os.path.join(a.out, "rejects"); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "customers.csv"), "w") as f:
        f.write(HEADER + "\n" + row(0) + "\n")
        chunk = []
        for i in range(1, a.rejects + 1):
            chunk.append(row(i, employees="x"))
            if len(chunk) == 100_000:
                f.write("\n".join(chunk) + "\n"); chunk = []
        if chunk: f.write("\n".join(chunk) + "\n")
    with open(os.path.join(d, "subscriptions.csv"), "w") as f:
        f.write(SUBS + "C0,Accounting,30.00,2024-01-15,active\n")

    d = os.path.join(a.out, "longtext"); os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "customers.csv"), "w") as f:
        f.write(HEADER + "\n" + row(1) + "\n" + row(2, company="A" * (a.text_mb << 20)) + "\n")
    with open(os.path.join(d, "subscriptions.csv"), "w") as f:
        f.write(SUBS + "C1,Accounting,30.00,2024-01-15,active\nC2,Accounting,30.00,2024-01-15,active\n")
    wide(a)

def wide(a):
    d = os.path.join(a.out, "wide"); os.makedirs(d, exist_ok=True)
    extra = 1000 - 13
    with open(os.path.join(d, "customers.csv"), "w") as f:
        f.write(HEADER + "".join(f",a{c}" for c in range(extra)) + "\n")
        for i in range(a.wide_rows):
            f.write(row(i) + ",x" * extra + "\n")
    with open(os.path.join(d, "subscriptions.csv"), "w") as f:
        f.write(SUBS + "C0,Accounting,30.00,2024-01-15,active\n")
    with open(os.path.join(a.out, "widekeys.jsonl"), "w") as f:
        keys = "".join(f',"a{c}":"x"' for c in range(1000 - 14))
        for i in range(a.wide_rows):
            f.write('{"customer_id":"C%d","company_name":"A","industry":"Retail","region":"West","employees":1,"users":1,'
                    '"signup_date":"2024-01-15","last_active_date":"2026-10-30","support_tickets_90d":0,"failed_payments_90d":0,'
                    '"nps":null,"cancel_intent":false,"churned":null,"subscriptions":[]%s}\n' % (i, keys))

if __name__ == "__main__":
    main()
