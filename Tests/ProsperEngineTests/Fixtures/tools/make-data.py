#!/usr/bin/env python3
"""Writes the hand-made data sets data/edge, data/custom and data/ties (deterministic).

Run from anywhere: python3 tools/make-data.py  (paths are relative to this file).
Every row is listed here on purpose; nothing is random.
"""
import csv, io, os

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "data")
CUST = ["customer_id", "company_name", "industry", "region", "employees", "users", "signup_date",
        "last_active_date", "support_tickets_90d", "failed_payments_90d", "nps", "cancel_intent", "churned"]
SUBS = ["customer_id", "product", "monthly_price", "start_date", "status"]

def write(name, customers, subs, extra=()):
    d = os.path.join(OUT, name)
    os.makedirs(d, exist_ok=True)
    for fname, header, rows in (("customers.csv", CUST + list(extra), customers), ("subscriptions.csv", SUBS, subs)):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(header)
        for r in rows:
            w.writerow([r.get(h, "") for h in header])
        with open(os.path.join(d, fname), "w", encoding="utf-8", newline="") as f:
            f.write(buf.getvalue())

def c(cid, name, industry, region, emp, users, signup, last, tickets=0, failed=0, nps="", intent="false", churned="", **extra):
    r = dict(customer_id=cid, company_name=name, industry=industry, region=region, employees=emp, users=users,
             signup_date=signup, last_active_date=last, support_tickets_90d=tickets, failed_payments_90d=failed,
             nps=nps, cancel_intent=intent, churned=churned)
    r.update(extra)
    return r

def s(cid, product, price, start, status="active"):
    return dict(customer_id=cid, product=product, monthly_price=price, start_date=start, status=status)

# ---------------------------------------------------------------- edge
# as-of: the data's latest last_active_date, 2026-11-01 (several customers share it).
edge_c = [
    c("C-001", "Acme Corp", "Retail", "West", 12, 10, "2021-03-01", "2026-11-01", 1, 0, 8, "false", "false"),
    c("c-001", "acme corp", "Retail", "West", 12, 10, "2021-03-01", "2026-11-01", 1, 0, 8, "false", "false"),   # differs from C-001 only in case
    c("Café-01", "Café Zürich AG", "Restaurants", "Southeast", 8, 1, "2024-02-29", "2026-10-30", 0, 0, "", "false", ""),
    c("CAFÉ-01", "CAFÉ ZÜRICH AG", "Restaurants", "Southeast", 8, 1, "2024-02-29", "2026-10-30", 0, 0, "", "false", ""),
    c("straße-7", "Straße & Söhne GmbH", "Manufacturing", "Midwest", 240, 1, "2020-02-29", "2024-02-29", 3, 2, 3, "true", "true"),  # dormant since a leap day
    c("日本-1", "東京商事株式会社", "Technology", "West", 10000000, 9999, "2016-02-29", "2026-11-01", 0, 0, 10, "false", "false"),  # largest head count allowed
    c("🚀-42", "🚀 Rocket Labs 🚀", "Technology", "Northeast", 0, 1, "2025-12-31", "2026-11-01", 0, 0, 0, "false", ""),  # no employees, users 1
    c("Über-3", "Über Uhren", "Retail", "Northeast", 49, 2, "2019-07-04", "2026-08-01", 5, 1, 6, "false", "false"),
    c("über-3", "über uhren", "Retail", "Northeast", 49, 2, "2019-07-04", "2026-08-01", 5, 1, 6, "false", "true"),
    c("Z-ZETA", "O'Brien & Sons", "Construction", "Southwest", 5, 1, "2022-01-15", "2026-09-15", 2, 3, "", "true", ""),
    c("a-alpha", "Comma, Quote \"Q\" Ltd", "Professional Services", "Southwest", 51, 50, "2023-06-30", "2026-10-31", 0, 0, 9, "false", "false"),
    c("A-ALPHA", "Backslash \\ Tools", "Professional Services", "Southwest", 51, 50, "2023-06-30", "2026-10-31", 0, 0, 9, "false", "false"),
    c("E-none-1", "No Products Inc", "Nonprofit", "Midwest", 3, 1, "2025-01-01", "2026-10-01", 0, 0, "", "false", ""),        # no subscriptions at all
    c("E-none-2", "Only Cancelled LLC", "Nonprofit", "Midwest", 3, 2, "2024-02-29", "2026-06-01", 1, 0, 2, "true", "true"),   # only cancelled subscriptions
    c("E-none-3", "Zero Price Club", "Healthcare", "West", 20, 4, "2023-03-03", "2026-10-20", 0, 0, 7, "false", "false"),    # active products, all at 0.00
    c("E-tie-1", "Tie One", "Healthcare", "Northeast", 60, 12, "2022-05-05", "2026-07-01", 0, 2, 5, "false", "false"),
    c("E-tie-2", "Tie Two", "Healthcare", "Northeast", 60, 12, "2022-05-05", "2026-07-01", 0, 2, 5, "false", "false"),
    c("E-Tie-3", "Tie Three", "Healthcare", "Northeast", 60, 12, "2022-05-05", "2026-07-01", 0, 2, 5, "false", "false"),
    c("e-tie-4", "Tie Four", "Healthcare", "Northeast", 60, 12, "2022-05-05", "2026-07-01", 0, 2, 5, "false", "false"),
    c("E-big-1", "Big Spender Holdings", "Technology", "West", 4999, 200, "2017-01-01", "2026-11-01", 12, 0, 10, "false", "false"),
    c("E-users1-a", "Solo Consult", "Professional Services", "West", 1, 1, "2025-02-28", "2026-11-01", 0, 0, 4, "false", "false"),
    c("E-users1-b", "Solo Bakery", "Restaurants", "Southeast", 2, 1, "2025-03-01", "2026-09-01", 4, 1, 1, "true", "true"),
    c("E-users2", "Duo Design", "Professional Services", "Northeast", 2, 2, "2024-12-31", "2026-10-15", 0, 0, 10, "false", "false"),
    c("E-newline", "Line\nBreak Co", "Construction", "Midwest", 15, 3, "2026-10-31", "2026-11-01", 0, 0, "", "false", ""),      # company name with a line break
    c("E-emoji-ind", "Smile 😀 Ltd", "Retail", "Northeast", 7, 3, "2023-11-11", "2026-05-05", 1, 0, 10, "false", "false"),
    c("E-lower-ind", "Lowercase Industry", "retail", "west", 30, 10, "2021-08-08", "2026-10-10", 0, 0, 8, "false", "false"),  # 'retail'/'west' differ from 'Retail'/'West' by case
    c("E-space", "  Padded  Name  ", "Retail", "West", 11, 5, "2021-01-01", "2026-10-29", 0, 4, 2, "true", "true"),
    c("E-formula", "=SUM(A1:A2)", "Technology", "Southeast", 300, 150, "2019-09-09", "2026-10-25", 6, 0, 7, "false", "false"),
    c("E-dash", "Drop -- Tables */ Inc", "Manufacturing", "Southwest", 250, 100, "2018-04-01", "2026-03-01", 3, 1, 5, "true", ""),
    c("E-nps0", "Zero Score", "Healthcare", "Midwest", 9, 9, "2020-10-10", "2026-10-28", 0, 0, 0, "false", "false"),
    c("E-nps10", "Ten Score", "Healthcare", "Midwest", 10, 9, "2020-10-10", "2026-10-28", 0, 0, 10, "false", "false"),
    c("E-first-day", "Joined Today", "Retail", "Southeast", 4, 2, "2026-11-01", "2026-11-01", 0, 0, "", "false", ""),
    c("E-old", "Since 1900", "Construction", "Northeast", 100, 40, "1900-01-01", "2000-02-29", 0, 0, 1, "false", "true"),
]
P = {"Accounting": "30.00", "Payroll": "45.00", "Payments": "25.00", "Invoicing": "15.00", "Time Tracking": "10.00",
     "Inventory": "35.00", "Expenses": "12.00", "Tax Filing": "40.00"}
edge_s = [
    s("C-001", "Accounting", "30.00", "2021-03-01"), s("C-001", "Invoicing", "15.00", "2021-04-01"),
    s("c-001", "Accounting", "30.00", "2021-03-01"), s("c-001", "Invoicing", "15.00", "2021-04-01"),
    s("Café-01", "Accounting", "27.00", "2024-02-29"), s("Café-01", "Inventory", "35.00", "2024-03-01"),
    s("CAFÉ-01", "Accounting", "27.00", "2024-02-29"), s("CAFÉ-01", "Inventory", "30.00", "2024-03-01"),
    s("straße-7", "Payroll", "1000000.00", "2020-02-29"), s("straße-7", "Accounting", "30.00", "2020-03-01"),
    s("straße-7", "Expenses", "12.00", "2021-01-01", "cancelled"),
    s("日本-1", "Accounting", "999999.99", "2016-02-29"), s("日本-1", "Payroll", "45.00", "2016-03-01"),
    s("日本-1", "Payments", "25.00", "2016-03-01"), s("日本-1", "Invoicing", "15.00", "2016-03-01"),
    s("日本-1", "Time Tracking", "10.00", "2016-03-01"), s("日本-1", "Inventory", "35.00", "2016-03-01"),
    s("日本-1", "Expenses", "12.00", "2016-03-01"), s("日本-1", "Tax Filing", "40.00", "2016-03-01"),
    s("🚀-42", "Invoicing", "0.01", "2025-12-31"), s("🚀-42", "Ünicode Add-on", "7.77", "2026-01-01"),
    s("Über-3", "Payroll", "49.00", "2019-07-04"), s("Über-3", "Payments", "25.00", "2019-08-04"),
    s("über-3", "Payroll", "49.00", "2019-07-04"), s("über-3", "Payments", "25.00", "2019-08-04"),
    s("Z-ZETA", "Accounting", "30.00", "2022-01-15"), s("Z-ZETA", "Tax Filing", "40.00", "2022-02-15"),
    s("Z-ZETA", "Payroll", "45.00", "2022-01-15", "cancelled"),
    s("a-alpha", "Invoicing", "15.00", "2023-06-30"), s("a-alpha", "Payroll", "65.00", "2023-07-01"),
    s("A-ALPHA", "Invoicing", "15.00", "2023-06-30"), s("A-ALPHA", "Payroll", "65.00", "2023-07-01"),
    s("E-none-2", "Accounting", "30.00", "2024-02-29", "cancelled"), s("E-none-2", "Invoicing", "15.00", "2024-03-01", "canceled"),
    s("E-none-3", "Accounting", "0.00", "2023-03-03"), s("E-none-3", "Payments", "0.00", "2023-03-03"),
    s("E-none-3", "Invoicing", "0", "2023-03-03"),
    s("E-tie-1", "Accounting", "30.00", "2022-05-05"), s("E-tie-1", "Payroll", "45.00", "2022-05-05"),
    s("E-tie-2", "Payroll", "45.00", "2022-05-05"), s("E-tie-2", "Accounting", "30.00", "2022-05-05"),
    s("E-Tie-3", "Accounting", "30.00", "2022-05-05"), s("E-Tie-3", "Payroll", "45.00", "2022-05-05"),
    s("e-tie-4", "Accounting", "30.00", "2022-05-05"), s("e-tie-4", "Payroll", "45.00", "2022-05-05"),
    s("E-big-1", "Accounting", "30.00", "2017-01-01"), s("E-big-1", "Payroll", "829.00", "2017-01-01"),
    s("E-big-1", "Payments", "25.00", "2017-01-01"), s("E-big-1", "Invoicing", "15.00", "2017-01-01"),
    s("E-big-1", "Time Tracking", "304.50", "2017-01-01"),
    s("E-users1-a", "Accounting", "30.00", "2025-02-28"),
    s("E-users1-b", "Accounting", "24.00", "2025-03-01"), s("E-users1-b", "Inventory", "35.00", "2025-03-01"),
    s("E-users1-b", "Payments", "20.00", "2025-03-01"),
    s("E-users2", "Accounting", "30.00", "2024-12-31"), s("E-users2", "Invoicing", "13.50", "2024-12-31"),
    s("E-newline", "Invoicing", "15.00", "2026-10-31"),
    s("E-emoji-ind", "Accounting", "30.00", "2023-11-11"), s("E-emoji-ind", "Inventory", "30.00", "2023-11-11"),
    s("E-emoji-ind", "Expenses", "12.00", "2023-11-11"),
    s("E-lower-ind", "Accounting", "30.00", "2021-08-08"), s("E-lower-ind", "payroll", "45.00", "2021-08-08"),  # 'payroll' is another product than 'Payroll'
    s("E-lower-ind", "Tax Filing", "40.00", "2021-08-08"),
    s("E-space", "Accounting", "30.00", "2021-01-01"), s("E-space", "Invoicing", "15.00", "2021-01-01"),
    s("E-space", "Payments", "25.00", "2021-01-01"),
    s("E-formula", "Accounting", "30.00", "2019-09-09"), s("E-formula", "Payroll", "265.00", "2019-09-09"),
    s("E-formula", "Time Tracking", "10.00", "2019-09-09"), s("E-formula", "Expenses", "12.00", "2019-09-09"),
    s("E-dash", "Accounting", "30.00", "2018-04-01"), s("E-dash", "Inventory", "30.00", "2018-04-01"),
    s("E-dash", "Payroll", "45.00", "2018-04-01"), s("E-dash", "Tax Filing", "40.00", "2018-04-01"),
    s("E-nps0", "Accounting", "30.00", "2020-10-10"), s("E-nps0", "Payroll", "45.00", "2020-10-10"),
    s("E-nps10", "Accounting", "30.00", "2020-10-10"), s("E-nps10", "Payroll", "45.00", "2020-10-10"),
    s("E-first-day", "Invoicing", "15.00", "2026-11-01"),
    s("E-old", "Accounting", "30.00", "1900-01-01"), s("E-old", "Payroll", "45.00", "1950-06-15"),
    s("E-old", "Tax Filing", "40.00", "1999-12-31"), s("E-old", "Expenses", "12.00", "2000-02-29"),
]
write("edge", edge_c, edge_s)

# ---------------------------------------------------------------- custom
# The edge rows plus five custom attribute columns:
#   plan (text), discount_rate (number, 3 places), renewal_date (date), is_partner (boolean),
#   seats_purchased (whole number, some empty).
plans = ["Pro", "Basic", "Enterprise", "pro", "Élite", "", "Basic"]
rates = ["0.125", "0.000", "0.5", "", "1.000", "0.333", "0.05"]
renewals = ["2027-01-31", "2026-11-01", "2028-02-29", "", "2026-10-31", "2024-02-29", "2026-12-25"]
partners = ["true", "false", "", "TRUE", "false", "true", "False"]
seats = ["10", "", "1", "0", "250", "", "3"]
custom_c = []
for i, r in enumerate(edge_c):
    r = dict(r)
    r.update(plan=plans[i % 7], discount_rate=rates[(i * 3) % 7], renewal_date=renewals[(i * 2) % 7],
             is_partner=partners[(i * 5) % 7], seats_purchased=seats[(i * 4) % 7])
    custom_c.append(r)
write("custom", custom_c, edge_s, extra=["plan", "discount_rate", "renewal_date", "is_partner", "seats_purchased"])

# ---------------------------------------------------------------- ties
# Many customers exactly alike but for their ids (mixed case, byte-order neighbours), so
# every ordered list is decided by the tie-break on the customer id.
ties_ids = ["T-10", "T-9", "T-1", "t-1", "T_1", "T-01", "T-1a", "T-1A", "T-Á", "T-á", "T-ä", "T-Z", "T-z",
            "T 1", "T-100", "T-2", "T-20", "T-3", "U-1", "u-1", "S-1", "s-1", "T-😀", "T-日", "T-~",
            "T-!", "T-#", "T-0", "T-00", "T-000"]
ties_c, ties_s = [], []
for i, cid in enumerate(ties_ids):
    group = i % 3   # three profiles; every member of a profile is identical
    if group == 0:
        ties_c.append(c(cid, "Same Co", "Retail", "West", 25, 12, "2022-02-02", "2026-07-01", 1, 2, "", "true", ""))
        ties_s += [s(cid, "Accounting", "30.00", "2022-02-02"), s(cid, "Invoicing", "15.00", "2022-02-02")]
    elif group == 1:
        ties_c.append(c(cid, "Same Co", "Healthcare", "Northeast", 60, 20, "2021-01-01", "2026-11-01", 0, 0, 7, "false", "false"))
        ties_s += [s(cid, "Accounting", "30.00", "2021-01-01"), s(cid, "Payroll", "15.00", "2021-01-01")]
    else:
        ties_c.append(c(cid, "Same Co", "Retail", "Midwest", 25, 12, "2022-02-02", "2026-07-01", 1, 2, 3, "true", "true"))
        ties_s += [s(cid, "Invoicing", "15.00", "2022-02-02"), s(cid, "Accounting", "30.00", "2022-02-02")]
write("ties", ties_c, ties_s)

# ---------------------------------------------------------------- unicode
# Text that Unicode treats specially: the same word in NFC and NFD (canonically
# equivalent, different bytes), grapheme clusters of several code points (combining
# marks, ZWJ emoji, flags, CR LF), case mappings with context (Greek final sigma) or
# expansion (ß, ﬁ, ŉ, İ). Ids, company names, industries, regions and products.
NFD_E = "e\u0301"           # e + combining acute: one grapheme, two code points
uni = [
    ("U-nfc", "Café Zürich AG", "Café", "Région Est", "Café Add-on"),
    ("U-nfd", "Caf" + NFD_E + " Zu\u0308rich AG", "Caf" + NFD_E, "R" + NFD_E + "gion Est", "Caf" + NFD_E + " Add-on"),
    ("É-1", "Id in NFC", "Retail", "West", None),
    ("E\u0301-1", "Id in NFD", "Retail", "West", None),
    ("U-greek", "ΟΔΟΣ ΑΕ", "Retail", "Ελλάδα", None),
    ("U-greek-lower", "οδος αε", "Retail", "Ελλάδα", None),
    ("U-dotted-i", "İSTANBUL Ltd", "Retail", "Türkiye", None),
    ("U-sharp-s", "Straße GmbH", "Manufacturing", "Midwest", None),
    ("U-capital-sharp-s", "STRAẞE GMBH", "Manufacturing", "Midwest", None),
    ("U-ligature", "ﬁne ﬂowers", "Retail", "West", None),
    ("U-napostrophe", "ŉ Ltd", "Retail", "West", None),
    ("U-zwj", "Family 👨‍👩‍👧 Co", "Retail", "West", "Family 👨‍👩‍👧 Plan"),
    ("U-flag", "Flag 🇩🇪 GmbH", "Retail", "West", None),
    ("U-skin", "Wave 👋🏽 Inc", "Retail", "West", None),
    ("U-crlf", "Line\r\nBreak", "Construction", "West", None),
    ("U-cr", "Carriage\rReturn", "Construction", "West", None),
    ("U-tab", "Tab\tCo", "Construction", "West", None),
    ("U-nbsp", "No\u00a0Break Space", "Construction", "West", None),
    ("U-zwsp", "Zero\u200bWidth", "Construction", "West", None),
    ("U-bom", "\ufeffBOM inside", "Construction", "West", None),
    ("U-hangul", "한국", "Technology", "Asia", None),
    ("U-hangul-jamo", "\u1112\u1161\u11ab\u1100\u116e\u11a8", "Technology", "Asia", None),   # 한국 as conjoining jamo
    ("U-cjk", "東京商事", "Technology", "Asia", None),
    ("U-astral", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛", "Technology", "Asia", None),
    ("U-kelvin", "\u212a Kelvin", "Technology", "West", None),
    ("U-ascii", "Plain Co", "Retail", "West", None),
]
uni_c, uni_s = [], []
for i, (cid, name, industry, region, extra) in enumerate(uni):
    uni_c.append(c(cid, name, industry, region, 10 + i, 1 + i % 4, "2024-02-29", "2026-11-01" if i % 3 else "2026-08-15",
                   i % 3, i % 2, "" if i % 4 == 0 else i % 11, "true" if i % 5 == 0 else "false", ""))
    uni_s.append(s(cid, "Accounting", "%d.00" % (20 + i), "2024-03-01"))
    if i % 2 == 0:
        uni_s.append(s(cid, "Invoicing", "15.00", "2024-03-01"))
    if extra:
        uni_s.append(s(cid, extra, "9.99", "2024-03-01"))
write("unicode", uni_c, uni_s)
