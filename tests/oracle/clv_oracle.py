"""Independent figures for tests/clv.rs (issue 14): plain Python floats and math.lgamma, the BG/NBD
formulas as Fader, Hardie & Lee (2005) print them (no Euler transformation, no log-sum-exp), at the
published CDNOW parameters r=0.243, alpha=4.414, a=0.793, b=2.426.

Run: python3 tests/oracle/clv_oracle.py  (prints the values tests/clv.rs asserts)."""
import csv
import math
import os

R, ALPHA, A, B = 0.243, 4.414, 0.793, 2.426


def hyp2f1(a, b, c, z, terms=100000):
    total, term = 1.0, 1.0
    for n in range(terms):
        term *= (a + n) * (b + n) / ((c + n) * (n + 1)) * z
        total += term
        if abs(term) < 1e-17 * abs(total):
            break
    return total


def p_alive(x, tx, T):
    if x == 0:
        return 1.0
    return 1.0 / (1.0 + A / (B + x - 1) * ((ALPHA + T) / (ALPHA + tx)) ** (R + x))


def cond_expected(t, x, tx, T):
    z = t / (ALPHA + T + t)
    f = hyp2f1(R + x, B + x, A + B + x - 1, z)
    num = (A + B + x - 1) / (A - 1) * (1 - ((ALPHA + T) / (ALPHA + T + t)) ** (R + x) * f)
    return num * p_alive(x, tx, T)


def lik(x, tx, T):
    beta = lambda p, q: math.exp(math.lgamma(p) + math.lgamma(q) - math.lgamma(p + q))
    g = math.exp(math.lgamma(R + x) - math.lgamma(R)) * ALPHA ** R
    l1 = beta(A, B + x) / beta(A, B) * g / (ALPHA + T) ** (R + x)
    l2 = beta(A + 1, B + x - 1) / beta(A, B) * g / (ALPHA + tx) ** (R + x) if x > 0 else 0.0
    return math.log(l1 + l2)


here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(here, "..", "fixtures", "cdnow", "cdnow_customers_summary.csv")) as f:
    rows = [(int(r["frequency"]), float(r["recency"]), float(r["T"])) for r in csv.DictReader(f)]
print("ll_at_published", repr(sum(lik(*r) for r in rows)))
print("p_alive(2,30.43,38.86)", repr(p_alive(2, 30.43, 38.86)))
print("p_alive(23,39,39)", repr(p_alive(23, 39.0, 39.0)))
print("p_alive(5,30,39)", repr(p_alive(5, 30.0, 39.0)))
print("p_alive(20,30,39)", repr(p_alive(20, 30.0, 39.0)))
print("E39(2,30.43,38.86)", repr(cond_expected(39.0, 2, 30.43, 38.86)))
print("E52(7,35.0,38.0)", repr(cond_expected(52.0, 7, 35.0, 38.0)))
print("E52(0,0,38.86)", repr(cond_expected(52.0, 0, 0.0, 38.86)))

# Holdout: repeat purchase days after 1997-09-30 of customers whose first purchase is on or before it.
days = {}
with open(os.path.join(here, "..", "fixtures", "cdnow", "CDNOW_sample.txt")) as f:
    for line in f:
        parts = line.split()
        days.setdefault(int(parts[1]), set()).add(parts[2])
actual = sum(sum(1 for d in ds if d > "19970930") for ds in days.values() if min(ds) <= "19970930")
print("holdout_actual", actual)
print("holdout_predicted_at_published", repr(sum(cond_expected(39.0, *r) for r in rows)))
