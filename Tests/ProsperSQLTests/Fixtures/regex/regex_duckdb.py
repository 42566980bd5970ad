"""What DuckDB's regexp_matches(text, pattern) answers (RE2, a search).

Input (stdin), one item per line, fields separated by tabs:
  p <hex>     the next pattern as a SQL string literal (hex of its UTF-8 bytes), numbered from 0
  t <hex>     the next text (hex of its UTF-8 bytes), numbered from 0
Output (stdout): for every pattern, then every text, one line: 1, 0, or E and the error.
"""
import sys

import duckdb

patterns, texts = [], []
for line in sys.stdin.read().split("\n"):
    if not line:
        continue
    kind, value = line.split("\t")
    decoded = bytes.fromhex(value).decode("utf-8")
    (patterns if kind == "p" else texts).append(decoded)

con = duckdb.connect()
con.execute("CREATE TABLE texts (i INTEGER, t VARCHAR)")
con.executemany("INSERT INTO texts VALUES (?, ?)", list(enumerate(texts)))
out = []
for literal in patterns:
    try:
        rows = con.execute(f"SELECT i, regexp_matches(t, {literal}) FROM texts ORDER BY i").fetchall()
        out.extend("1" if found else "0" for _, found in rows)
    except Exception as e:  # the pattern does not compile: one error line per text
        message = "E" + str(e).replace("\n", " ")
        out.extend(message for _ in texts)
sys.stdout.write("\n".join(out) + "\n")
