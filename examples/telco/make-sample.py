#!/usr/bin/env python3
"""Writes telco-sample.csv: a small made-up export in the layout of the public telecom
churn data set (WA_Fn-UseC_-Telco-Customer-Churn.csv), deterministic (same bytes on
every run), with the mix of that data set: about half month-to-month contracts, fiber
for ~45 % of households, electronic check the most common payment, higher churn for
short tenure, month-to-month, fiber and electronic check.

    python3 examples/telco/make-sample.py > examples/telco/telco-sample.csv

The first 12 rows are written by hand (tests pin them): a brand-new customer with a
blank TotalCharges, a `$1,010.50` amount, households without phone or internet.
"""
import random
import sys

HEADER = ("customerID,gender,SeniorCitizen,Partner,Dependents,tenure,PhoneService,MultipleLines,"
          "InternetService,OnlineSecurity,OnlineBackup,DeviceProtection,TechSupport,StreamingTV,"
          "StreamingMovies,Contract,PaperlessBilling,PaymentMethod,MonthlyCharges,TotalCharges,Churn")

HAND_WRITTEN = """\
1001-AXQZP,Female,0,Yes,No,3,Yes,No,DSL,No,Yes,No,No,No,No,Month-to-month,Yes,Electronic check,55.20,165.60,Yes
1002-BKRMT,Male,0,No,No,41,Yes,Yes,Fiber optic,No,No,Yes,No,Yes,Yes,One year,Yes,Credit card (automatic),104.35,4278.35,No
1003-CJWLE,Female,1,No,No,1,Yes,No,Fiber optic,No,No,No,No,No,No,Month-to-month,Yes,Electronic check,70.45,70.45,Yes
1004-DPLMX,Male,0,Yes,Yes,68,No,No phone service,DSL,Yes,Yes,Yes,Yes,No,No,Two year,No,Bank transfer (automatic),49.80,3386.40,No
1005-EZQAA,Female,0,No,No,12,Yes,No,No,No internet service,No internet service,No internet service,No internet service,No internet service,No internet service,One year,No,Mailed check,20.05,240.60,No
1006-FTHRS,Male,0,Yes,No,0,Yes,Yes,DSL,Yes,No,No,Yes,No,No,Two year,Yes,Mailed check,61.90,,No
1007-GLQWE,Female,1,Yes,No,25,Yes,Yes,Fiber optic,No,Yes,Yes,No,Yes,Yes,Month-to-month,Yes,Electronic check,"$1,010.50",2512.25,Yes
1008-HMNBV,Male,0,No,No,7,Yes,No,Fiber optic,No,No,No,No,Yes,No,Month-to-month,Yes,Electronic check,80.10,560.70,Yes
1009-IKJUY,Female,0,Yes,Yes,59,Yes,Yes,DSL,Yes,Yes,Yes,Yes,Yes,Yes,Two year,No,Credit card (automatic),89.95,5307.05,No
1010-JPOIU,Male,0,No,No,30,Yes,No,No,No internet service,No internet service,No internet service,No internet service,No internet service,No internet service,Two year,No,Bank transfer (automatic),19.70,591.00,No
1011-KWERT,Female,0,Yes,No,16,No,No phone service,DSL,No,No,Yes,No,Yes,No,Month-to-month,Yes,Electronic check,44.60,713.60,No
1012-LZXCV,Male,1,No,No,2,Yes,Yes,Fiber optic,No,No,No,No,Yes,Yes,Month-to-month,Yes,Electronic check,95.00,190.00,Yes
"""

ROWS = 200
# Monthly list prices in cents (the weights of telco-mapping.yaml and the catalogue of prosper.yaml).
PRICE = {"Phone": 2000, "MultipleLines": 500, "DSL": 2500, "Fiber optic": 4500, "OnlineSecurity": 500,
         "OnlineBackup": 500, "DeviceProtection": 500, "TechSupport": 500, "StreamingTV": 1000,
         "StreamingMovies": 1000}
ADDONS = ["OnlineSecurity", "OnlineBackup", "DeviceProtection", "TechSupport", "StreamingTV", "StreamingMovies"]
# Chance of each add-on for an internet household (fiber households take fewer
# protection services, as in the public data).
ADDON_CHANCE = {"OnlineSecurity": 0.35, "OnlineBackup": 0.40, "DeviceProtection": 0.40, "TechSupport": 0.35,
                "StreamingTV": 0.45, "StreamingMovies": 0.45}
PAYMENTS = [("Electronic check", 34), ("Mailed check", 23), ("Bank transfer (automatic)", 22), ("Credit card (automatic)", 21)]


def pick(rng, weighted):
    total = sum(w for _, w in weighted)
    x = rng.randrange(total)
    for value, w in weighted:
        if x < w:
            return value
        x -= w
    return weighted[-1][0]


def money(cents):
    return "%d.%02d" % (cents // 100, cents % 100)


def row(rng, number):
    letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(5))
    cid = "%04d-%s" % (number, letters)
    contract = pick(rng, [("Month-to-month", 55), ("One year", 21), ("Two year", 24)])
    if contract == "Month-to-month":
        tenure = min(72, int(rng.expovariate(1 / 14.0)))
    elif contract == "One year":
        tenure = rng.randint(6, 72)
    else:
        tenure = rng.randint(12, 72)
    senior = 1 if rng.random() < 0.16 else 0
    partner = "Yes" if rng.random() < 0.48 else "No"
    dependents = "Yes" if partner == "Yes" and rng.random() < 0.55 else "No"
    internet = pick(rng, [("Fiber optic", 44), ("DSL", 34), ("No", 22)])
    phone = "Yes" if internet == "No" or rng.random() < 0.88 else "No"
    lines = ("Yes" if rng.random() < 0.45 else "No") if phone == "Yes" else "No phone service"
    services = {}
    for a in ADDONS:
        if internet == "No":
            services[a] = "No internet service"
        else:
            chance = ADDON_CHANCE[a] - (0.12 if internet == "Fiber optic" and a in ("OnlineSecurity", "TechSupport") else 0)
            chance += 0.15 if contract == "Two year" else 0
            services[a] = "Yes" if rng.random() < chance else "No"
    paperless = "Yes" if rng.random() < (0.70 if contract == "Month-to-month" else 0.45) else "No"
    payment = pick(rng, PAYMENTS if contract == "Month-to-month" else [(p, w if p != "Electronic check" else 15) for p, w in PAYMENTS])
    monthly = 0
    if phone == "Yes":
        monthly += PRICE["Phone"] + (PRICE["MultipleLines"] if lines == "Yes" else 0)
    if internet != "No":
        monthly += PRICE[internet] + sum(PRICE[a] for a in ADDONS if services[a] == "Yes")
    monthly += rng.randint(-150, 150)  # promotions and taxes: not every household pays list
    total = "" if tenure == 0 else money(tenure * monthly * rng.randint(95, 105) // 100)
    risk = 0.04 + (0.22 if contract == "Month-to-month" else 0) + (0.12 if internet == "Fiber optic" else 0)
    risk += (0.10 if payment == "Electronic check" else 0) + (0.15 if tenure < 12 else 0) + (0.05 if senior else 0)
    risk -= 0.05 if internet != "No" and services["TechSupport"] == "Yes" else 0
    churn = "Yes" if rng.random() < risk else "No"
    return ",".join([cid, rng.choice(["Female", "Male"]), str(senior), partner, dependents, str(tenure), phone, lines,
                     internet] + [services[a] for a in ADDONS] + [contract, paperless, payment, money(monthly), total, churn])


def main():
    rng = random.Random(20261101)
    out = [HEADER] + HAND_WRITTEN.splitlines()
    for n in range(1013, 1001 + ROWS):
        out.append(row(rng, n))
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
