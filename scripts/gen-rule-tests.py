#!/usr/bin/env python3
"""Writes a large rule-test file for the `prosper-rules test` benchmark (BENCHMARKS.md).

    scripts/gen-rule-tests.py OUT.yaml [--cases 1000] [--distinct-sets]

The cases repeat those of rules/tests/builtin.yaml (numbered, so every name differs) and
test the repository's rules/ folder. With --distinct-sets every case overrides a threshold
with its own value instead: the worst case, one rule load per case.
"""
import os
import re
import sys

def main():
    args = sys.argv[1:]
    if not args:
        sys.exit(__doc__)
    out = args[0]
    n = int(args[args.index("--cases") + 1]) if "--cases" in args else 1000
    root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    rules = os.path.relpath(os.path.join(root, "rules"), os.path.dirname(os.path.abspath(out)))
    lines = [f"rules: {rules}", "as_of: 2026-01-31", "cases:"]
    if "--distinct-sets" in args:
        for i in range(n):
            level = "medium" if i % 100 >= i else "none"
            lines.append(f'  - name: "distinct threshold {i}"\n    customer: {{ mrr: 60, days_inactive: {i % 100} }}\n'
                         f'    set: {{ inactive_days: {i} }}\n    expect: {{ level: {level} }}')
    else:
        text = open(os.path.join(root, "rules", "tests", "builtin.yaml"), encoding="utf-8").read()
        body = text.split("cases:\n", 1)[1]
        blocks = [re.sub(r"^\s*#.*\n", "", b.strip("\n"), flags=re.M) for b in re.split(r"\n(?=  - name:)", body)]
        blocks = [b.strip() for b in blocks if b.strip().startswith("- name:")]
        for i in range(n):
            b = blocks[i % len(blocks)]
            name, rest = b.split("\n", 1)
            title = name[len("- name: "):].strip()
            lines.append(f'  - name: "{i}: {title}"\n' + rest)
    with open(out, "w", encoding="utf-8") as f:
        f.write("\n".join(lines) + "\n")

main()
