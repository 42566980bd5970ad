#!/usr/bin/env python3
"""Writes prepaid-churn.csv: 3,150 prepaid mobile subscribers in the shape of the public
Iranian churn data set (14 numeric columns, headers with double spaces, no id, no dates,
no money column, categories coded 1/2, a yearly value score with 3 decimals, and 300 rows
that are exact copies of earlier ones). Invented data, deterministic: the same file on
every run and every Python 3 (its own random generator, no dependencies).

    python3 make-data.py            # writes prepaid-churn.csv beside this script
"""
import os

HEADER = ["Call  Failure", "Complains", "Subscription  Length", "Charge  Amount", "Seconds of Use",
          "Frequency of use", "Frequency of SMS", "Distinct Called Numbers", "Age Group", "Tariff Plan",
          "Status", "Age", "Customer Value", "Churn"]
DISTINCT, COPIES = 2850, 300
AGES = {1: 15, 2: 25, 3: 30, 4: 45, 5: 55}


class SplitMix64:
    """A small, fully specified generator, so the file never depends on Python's."""

    def __init__(self, seed):
        self.state = seed & 0xFFFFFFFFFFFFFFFF

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & 0xFFFFFFFFFFFFFFFF
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & 0xFFFFFFFFFFFFFFFF
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & 0xFFFFFFFFFFFFFFFF
        return z ^ (z >> 31)

    def below(self, n):
        """An integer in [0, n)."""
        return self.next() % n

    def chance(self, per_thousand):
        return self.below(1000) < per_thousand


def subscriber(rng):
    age_group = 1 + min(rng.below(100) // 22, 4) if rng.below(10) else 1 + rng.below(5)
    tariff = 2 if rng.chance(80) else 1
    active = not rng.chance(240)
    length = 3 + rng.below(45)
    use_scale = 0 if not active and rng.chance(500) else 1 + rng.below(100)
    frequency = min(255, use_scale * rng.below(300) // 100)
    seconds = min(17090, frequency * (20 + rng.below(60)))
    sms = min(522, use_scale * rng.below(120) // 100 + (rng.below(400) if age_group <= 2 and rng.chance(300) else 0))
    distinct = min(97, frequency // 4 + rng.below(10)) if frequency else 0
    call_failure = min(36, frequency * rng.below(20) // 100)
    complains = 1 if rng.chance(80 + 150 * (call_failure > 10)) else 0
    charge = min(10, seconds // 1800 + (tariff == 2) * rng.below(3))
    # The yearly value score: usage and SMS weighted, in thousandths (3 decimals, like the data set).
    value = 0 if frequency == 0 else seconds * 70 + sms * 1_300 + distinct * 900 + rng.below(1000)
    if tariff == 2:
        value = value * 13 // 10
    risk = 3 * complains + 3 * (not active) + (call_failure > 15) + (frequency < 10) + (length < 12) + (tariff == 1)
    churn = 1 if rng.below(10) < min(risk, 9) and rng.chance(600) else 0
    return [call_failure, complains, length, charge, seconds, frequency, sms, distinct, age_group, tariff,
            1 if active else 2, AGES[age_group], "%d.%03d" % (value // 1000, value % 1000), churn]


def main():
    rng = SplitMix64(20260611)
    rows, seen = [], set()
    while len(rows) < DISTINCT:
        row = ",".join(str(c) for c in subscriber(rng))
        if row not in seen:
            seen.add(row)
            rows.append(row)
    # Exact copies: each inserted somewhere after the row it copies.
    for _ in range(COPIES):
        source = rng.below(len(rows))
        rows.insert(source + 1 + rng.below(len(rows) - source), rows[source])
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "prepaid-churn.csv")
    with open(out, "w", newline="") as f:
        f.write(",".join(HEADER) + "\n")
        for row in rows:
            f.write(row + "\n")
    print("wrote %s: %d rows (%d distinct, %d exact copies)" % (out, len(rows), DISTINCT, COPIES))


if __name__ == "__main__":
    main()
