#!/usr/bin/env python3
"""The independent oracle of issue 10's corpus: expected per-customer figures, computed with pandas.

    python oracle.py [CORPUS_DIR] [OUT_DIR]   (defaults: tests/fixtures/realworld/corpus, tests/oracle/expected)

Nothing here comes from tierlens. Each file is read the way an analyst who knows it would type by hand:
explicit `skiprows`, `encoding`, `sep`, `decimal`/`thousands`, date formats, column names, which rows are
totals. The figures follow tierlens' documented semantics (README "What every customer gets", DOMAIN.md §2,
issue 10 case 11), written out again here:

- an order is a distinct order id of the customer; without an order-id column, a distinct purchase day;
  an order's day is the earliest day of its lines;
- an order counts (frequency) when its lines net above zero, or when every line is zero (a free item);
  an order that nets to zero or below through returns is not an order;
- recency = days from the latest counted order to asOf (the recipe's, or the day after the latest date);
- monetary = net sum of every used line (returns subtracted), summed in integer millionths;
- rows set aside: empty customer id, cancelled invoices (`C` + digits), dates after asOf, and — only in
  files that carry an order id — exact repeats of an earlier line (an order line exported twice).

Writes `<case>.csv` (customer_id, recency_days, frequency, monetary, first_purchase, last_purchase; sorted by
customer_id in code-point order, which is UTF-8 byte order) and `summary.json` (rows used and asOf per case).
"""

import csv
import datetime as dt
import json
import os
import re
import sys

import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))


def read_csv(path, **kw):
    return pd.read_csv(path, dtype=str, keep_default_na=False, **kw)


def frame(raw, customer, date, amount, order=None, date_format=None, dayfirst=None):
    """The analyst's table: customer_id, day, micros (amount in millionths), order_id; plus the raw rows
    (for the exact-duplicate rule)."""
    out = pd.DataFrame({"customer_id": raw[customer].astype(str).str.strip()})
    if callable(date):
        out["day"] = date(raw)
    else:
        out["day"] = pd.to_datetime(raw[date].str.strip(), format=date_format).dt.normalize()
    amounts = amount(raw) if callable(amount) else pd.to_numeric(raw[amount])
    out["micros"] = (amounts.astype(float) * 1e6).round().astype("int64")
    out["order_id"] = raw[order].astype(str).str.strip() if order else None
    return out, raw


def rfm(t, raw, as_of=None, has_order_id=None):
    """Per-customer figures and the number of rows used."""
    has_order_id = t["order_id"].notna().all() if has_order_id is None else has_order_id
    keep = t["customer_id"] != ""
    if has_order_id:
        keep &= ~t["order_id"].str.fullmatch(r"C\d+")
        keep &= ~raw.duplicated(keep="first").to_numpy()
    t = t[keep.to_numpy()]
    if as_of is None:
        as_of = t["day"].max() + pd.Timedelta(days=1)
    else:
        as_of = pd.Timestamp(as_of)
    t = t[t["day"] <= as_of].copy()
    t["key"] = t["order_id"] if has_order_id else t["day"].dt.strftime("%Y-%m-%d")
    orders = t.groupby(["customer_id", "key"]).agg(
        day=("day", "min"), net=("micros", "sum"), low=("micros", "min"))
    orders["counted"] = (orders["net"] > 0) | ((orders["net"] == 0) & (orders["low"] >= 0))
    counted = orders[orders["counted"]].reset_index()
    rows = []
    for cid, lines in t.groupby("customer_id"):
        mine = counted[counted["customer_id"] == cid]
        days = mine["day"] if len(mine) else lines["day"]
        first, last = days.min(), days.max()
        rows.append({
            "customer_id": cid,
            "recency_days": int((as_of - last).days),
            "frequency": int(len(mine)),
            "monetary": micros_text(int(lines["micros"].sum())),
            "first_purchase": first.strftime("%Y-%m-%d"),
            "last_purchase": last.strftime("%Y-%m-%d"),
        })
    rows.sort(key=lambda r: r["customer_id"])
    return rows, len(t), as_of.strftime("%Y-%m-%d")


def micros_text(m):
    sign = "-" if m < 0 else ""
    m = abs(m)
    return f"{sign}{m // 1_000_000}.{m % 1_000_000:06d}"


def wan_yuan(s):
    """¥1.2万 → 12000, 1,280元 → 1280, ¥3,500.00 → 3500 (what the analyst means by them)."""
    s = s.strip().replace("¥", "").replace("￥", "").replace(",", "").replace("元", "")
    scale = 1
    if s.endswith("万"):
        s, scale = s[:-1], 10_000
    elif s.endswith("亿"):
        s, scale = s[:-1], 100_000_000
    return float(s) * scale


# ---------------------------------------------------------------------------------------------------------
# How an analyst reads each file (case → (table, raw rows), asOf or None)


def title_rows_zh(p):
    raw = read_csv(p, skiprows=2, encoding="utf-8-sig")
    return frame(raw, "客户编号", "订单日期", "金额", "订单编号", "%Y-%m-%d")


def title_rows_en(p):
    raw = read_csv(p, skiprows=3)
    return frame(raw, "Customer ID", "Date", "Amount", "Invoice", "%Y-%m-%d")


def title_rows_xlsx(p):
    raw = pd.read_excel(p, header=2, dtype=str, keep_default_na=False)
    return frame(raw, "客户编号", "订单日期", "金额", "订单号", "%Y-%m-%d")


def totals_zh(p):
    raw = read_csv(p)
    raw = raw[~raw["客户编号"].isin(["小计", "合计", "总计"])].reset_index(drop=True)
    return frame(raw, "客户编号", "订单日期", "金额", "订单号", "%Y-%m-%d")


def totals_en(p):
    raw = read_csv(p)
    raw = raw[~raw["Customer"].isin(["Total", "Grand total"])].reset_index(drop=True)
    return frame(raw, "Customer", "Date", "Amount", "Invoice", "%Y-%m-%d")


def uci(p):
    raw = read_csv(p)
    amount = lambda r: pd.to_numeric(r["Quantity"]) * pd.to_numeric(r["UnitPrice"])  # noqa: E731
    return frame(raw, "CustomerID", "InvoiceDate", amount, "InvoiceNo", "%m/%d/%Y %H:%M")


def german(p):
    raw = pd.read_csv(p, sep=";", decimal=",", thousands=".", dtype={"customer_id": str, "order_date": str})
    return frame(raw, "customer_id", "order_date", "amount", None, "%Y-%m-%d")


def ambiguous_dmy(p):
    raw = read_csv(p)
    return frame(raw, "customer_id", "date", "amount", None, "%d/%m/%Y")


def unclosed_quote_literal(p):
    # The quote taken literally; the one row whose amount is then not a number is set aside.
    raw = read_csv(p, quoting=csv.QUOTE_NONE)
    raw = raw[pd.to_numeric(raw["amount"], errors="coerce").notna()].reset_index(drop=True)
    return frame(raw, "customer_id", "order_date", "amount", "order_id", "%Y-%m-%d")


def paid_vs_discount(p):
    raw = read_csv(p)
    return frame(raw, "客户编号", "下单时间", "实付金额（元）", "订单号", "%Y-%m-%d %H:%M:%S")


def customer_twice(p):
    raw = read_csv(p, header=0, names=["name", "customer_id", "order_id", "date", "amount"])
    return frame(raw, "customer_id", "date", "amount", "order_id", "%Y-%m-%d")


def name_beside_id(p):
    raw = read_csv(p)
    return frame(raw, "客户编号", "订单日期", "实付金额", "订单编号", "%Y-%m-%d")


def units_en(p):
    raw = read_csv(p)
    return frame(raw, "Customer ID", "Order Date", "Amount (USD)", "Order ID", "%Y-%m-%d")


def gbk_late(p):
    raw = read_csv(p, encoding="gbk")
    return frame(raw, "customer_id", "date", "amount", "order_id", "%Y-%m-%d")


def quarterly_sheets(p):
    sheets = pd.read_excel(p, sheet_name=None, dtype=str, keep_default_na=False)
    raw = pd.concat([df for name, df in sheets.items() if re.fullmatch(r"20\d\dQ[1-4]", name)], ignore_index=True)
    return frame(raw, "客户编号", "订单日期", "金额", "订单号", "%Y-%m-%d %H:%M:%S")  # date cells


def repeats_no_order_id(p):
    raw = read_csv(p)
    return frame(raw, "customer_id", "date", "amount", None, "%Y%m%d")


def exported_twice(p):
    raw = read_csv(p)
    return frame(raw, "customer_id", "date", "amount", "order_id", "%Y-%m-%d")


def legacy_runs(p):
    raw = read_csv(p, sep=r"\s+")
    return frame(raw, "customer", "date", "amount", None, "%Y%m%d")


def fixed_width(p):
    raw = pd.read_fwf(p, colspecs=[(0, 11), (11, 28), (28, 37), (37, None)], skiprows=1, dtype=str,
                      names=["CustomerID", "InvoiceDate", "Amount", "Name"], keep_default_na=False)
    return frame(raw, "CustomerID", "InvoiceDate", "Amount", None, "%Y-%m-%d %H:%M")


def float_ids(p):
    raw = read_csv(p)
    raw["CustomerID"] = raw["CustomerID"].map(lambda s: str(int(float(s))) if s else "")
    return frame(raw, "CustomerID", "InvoiceDate", "Amount", "InvoiceNo", "%Y-%m-%d %H:%M:%S")


def id_variants(p):
    raw = read_csv(p)  # ids kept exactly as written: variants are different customers
    return frame(raw, "customer_id", "date", "amount", "order_id", "%Y-%m-%d")


def zero_orders(p):
    raw = read_csv(p)
    return frame(raw, "customer", "order_date", "amount", "order_no", "%Y-%m-%d")


def zero_days(p):
    raw = read_csv(p)
    return frame(raw, "customer_id", "date", "amount", None, "%Y%m%d")


def dates_with(fmt):
    def read(p):
        raw = read_csv(p)
        return frame(raw, "customer_id", "order_date", "amount", "order_id", fmt)
    return read


def wan(p):
    raw = read_csv(p)
    return frame(raw, "客户编号", "订单日期", lambda r: r["成交金额"].map(wan_yuan), "订单号", "%Y-%m-%d")


CASES = {
    "01_title_rows_zh": (title_rows_zh, "2024-07-01"),
    "01_title_rows_en": (title_rows_en, "2025-01-01"),
    "01_title_rows_xlsx": (title_rows_xlsx, "2024-07-01"),
    "02_totals_zh": (totals_zh, None),
    "02_totals_en": (totals_en, None),
    "03_uci_mdy": (uci, "2011-04-01"),
    "03_german_decimal": (german, "2024-10-01"),
    "03_ambiguous_dates_forced_dmy": (ambiguous_dmy, "2025-01-01"),
    "04_unclosed_quote": (unclosed_quote_literal, "2024-09-01"),
    "05_paid_vs_discount": (paid_vs_discount, "2024-09-01"),
    "05_customer_twice": (customer_twice, "2024-07-01"),
    "05_name_beside_id": (name_beside_id, "2024-07-01"),
    "05_units_en": (units_en, "2024-07-01"),
    "06_gbk_late": (gbk_late, "2024-07-01"),
    "07_quarterly_sheets": (quarterly_sheets, "2025-01-01"),
    "08_repeats_no_order_id": (repeats_no_order_id, "1998-07-01"),
    "08_exported_twice_with_order_id": (exported_twice, "2024-07-01"),
    "09_legacy_runs": (legacy_runs, "1998-01-01"),
    "09_fixed_width": (fixed_width, "2011-07-01"),
    "10_float_ids": (float_ids, "2011-12-10"),
    "10_id_variants": (id_variants, "2024-07-01"),
    "11_zero_amount_orders": (zero_orders, "2024-07-01"),
    "11_zero_amount_days": (zero_days, "1998-01-01"),
    "12_dates_mon_d_yyyy": (dates_with("%b %d, %Y"), "2024-07-01"),
    "12_dates_dd_mon_yyyy": (dates_with("%d-%b-%Y"), "2024-07-01"),
    "12_dates_d_month_yyyy": (dates_with("%d %B %Y"), "2024-07-01"),
    "12_amounts_wan_yuan": (wan, "2024-07-01"),
    "12_dates_custom_format": (dates_with("%d.%m.%y"), "2024-07-01"),
}


def main():
    corpus = sys.argv[1] if len(sys.argv) > 1 else os.path.join(HERE, "..", "fixtures", "realworld", "corpus")
    out = sys.argv[2] if len(sys.argv) > 2 else os.path.join(HERE, "expected")
    os.makedirs(out, exist_ok=True)
    with open(os.path.join(corpus, "manifest.json"), encoding="utf-8") as f:
        manifest = {c["case"]: c for c in json.load(f)["cases"]}
    summary = {}
    for name, (read, as_of) in sorted(CASES.items()):
        t, raw = read(os.path.join(corpus, manifest[name]["file"]))
        rows, used, as_of = rfm(t, raw, as_of)
        with open(os.path.join(out, name + ".csv"), "w", encoding="utf-8", newline="") as f:
            w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
            w.writeheader()
            w.writerows(rows)
        summary[name] = {"rows_used": used, "as_of": as_of, "customers": len(rows)}
    missing = sorted(n for n, c in manifest.items() if c["action"] == "read" and n not in CASES)
    if missing:
        sys.exit(f"oracle: no reader for cases {missing}")
    with open(os.path.join(out, "summary.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump(summary, f, ensure_ascii=False, indent=1, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
