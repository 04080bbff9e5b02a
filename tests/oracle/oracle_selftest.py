#!/usr/bin/env python3
"""Hand-computed checks of the oracle's own rules (run by tests/oracle/check.sh before it is trusted).

Each ledger below is small enough to work out on paper; the comments give the arithmetic."""

import pandas as pd

from oracle import frame, rfm


def figures(rows, order=True, as_of=None):
    cols = ["order_id", "customer_id", "date", "amount"] if order else ["customer_id", "date", "amount"]
    raw = pd.DataFrame(rows, columns=cols, dtype=str)
    t, raw = frame(raw, "customer_id", "date", "amount", "order_id" if order else None, "%Y-%m-%d")
    out, used, as_of = rfm(t, raw, as_of)
    return {r["customer_id"]: (r["recency_days"], r["frequency"], r["monetary"]) for r in out}, used, as_of


# With order ids. asOf defaults to the day after the latest date: 2024-03-11.
got, used, as_of = figures([
    ("1", "A", "2024-03-01", "10"), ("1", "A", "2024-03-02", "5"),   # one order of two lines, day 03-01
    ("2", "A", "2024-03-05", "0"),                                   # a free item: an order (latest)
    ("3", "B", "2024-03-10", "20"), ("3", "B", "2024-03-10", "-20"),  # nets to 0 through a return: no order
    ("4", "B", "2024-02-01", "7.5"),
    ("5", "B", "2024-03-10", "-3"),                                  # a pure return: not an order
    ("4", "B", "2024-02-01", "7.5"),                                 # line 4 exported twice: dropped
    ("C9", "B", "2024-03-03", "-99"),                                # cancelled invoice: set aside
    ("6", "", "2024-03-03", "1"),                                    # no customer: set aside
])
assert as_of == "2024-03-11", as_of
assert used == 7, used
assert got["A"] == (6, 2, "15.000000"), got["A"]        # 03-11 − 03-05; orders 1 and 2; 10 + 5 + 0
assert got["B"] == (39, 1, "4.500000"), got["B"]        # 03-11 − 02-01; order 4 only; 20 − 20 + 7.5 − 3

# Without order ids: an order is a purchase day; identical lines are real repeats and are kept.
got, used, _ = figures([
    ("A", "2024-01-01", "10"), ("A", "2024-01-01", "10"),   # two purchases on one day: one order, 20
    ("A", "2024-01-05", "0"),                               # free day: an order
    ("B", "2024-01-02", "4"), ("B", "2024-01-03", "4"), ("B", "2024-01-03", "-4"),  # 01-03 nets to 0
], order=False, as_of="2024-02-01")
assert used == 6, used
assert got["A"] == (27, 2, "20.000000"), got["A"]       # 02-01 − 01-05
assert got["B"] == (30, 1, "4.000000"), got["B"]        # 02-01 − 01-02 (01-03 is not an order)

# Rows after asOf are not used.
got, used, _ = figures([("1", "A", "2024-01-01", "1"), ("2", "A", "2024-05-01", "100")], as_of="2024-02-01")
assert used == 1 and got["A"] == (31, 1, "1.000000"), (used, got)
print("oracle self-test: ok")
