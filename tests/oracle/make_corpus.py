#!/usr/bin/env python3
"""Makes the real-world corpus of issue 10: one export per case, shaped the way CRMs and Excel write them.

    python3 tests/oracle/make_corpus.py [OUT_DIR]     (default: tests/fixtures/realworld/corpus)

Python stdlib only and deterministic (fixed seeds, no clock): running it twice gives the same bytes, and
`make oracle` checks that the committed files are what this script makes. Each case renders a small logical
ledger (customers, some with Chinese names or ids, orders of one or more lines, returns, free items, repeat
purchases on one day) in the shape of its case, and writes `manifest.json`: for every file, what tierlens must
do with it (`read` with a recipe, or `refuse` with an error code and the recipe key the message names) and the
row accounting the case is about. The expected per-customer figures are NOT made here: tests/oracle/oracle.py
reads the rendered files with pandas, the way an analyst who knows the file would, and computes them.
"""

import datetime as dt
import io
import json
import os
import random
import sys
import zipfile

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "fixtures", "realworld", "corpus")

ZH_NAMES = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴昊",
            "徐丽", "孙强", "马超", "朱琳", "胡斌", "郭涛", "何欢", "林峰", "罗颖", "高翔"]
EN_NAMES = ["Alice Brown", "Bob Smith", "Carol White", "Dan Green", "Eve Black", "Frank Stone",
            "Grace Hall", "Henry Ford", "Ivy Chen", "Jack Lee", "Kate Moss", "Liam Gray"]
ZH_CITIES = ["上海", "北京", "广州", "深圳", "杭州", "成都", "武汉", "南京"]
EN_CITIES = ["London", "Paris", "Berlin", "Madrid", "Rome", "Oslo"]
SKUS = ["85123A", "71053", "84406B", "84029G", "22752", "21730", "22633", "84879", "22745", "48187"]
DESCS = ["WHITE HANGING HEART T-LIGHT HOLDER", "WHITE METAL LANTERN", "CREAM CUPID HEARTS COAT HANGER",
         "KNITTED UNION FLAG HOT WATER BOTTLE", "SET 7 BABUSHKA NESTING BOXES", "GLASS STAR FROSTED T-LIGHT HOLDER",
         "HAND WARMER, UNION JACK", "ASSORTED COLOUR BIRD ORNAMENT", "POPPY'S PLAYHOUSE BEDROOM", "DOORMAT, NEW ENGLAND"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def day(s):
    return dt.date.fromisoformat(s)


def spread(rng, start, end):
    """A random day in [start, end]."""
    return start + dt.timedelta(days=rng.randrange((end - start).days + 1))


def ledger(seed, customers, start, end, orders=(1, 6), lines=(1, 3), price=(5, 400), returns=0.08,
           same_day=0.1):
    """Orders of `customers` (a list of ids): [(customer, day, [(sku_index, qty, unit_price)])], by day.

    Some orders are followed by a return (a separate order of negative lines), some customers buy twice
    on one day. Amounts have two decimals."""
    rng = random.Random(seed)
    out = []
    for c in customers:
        for _ in range(rng.randint(*orders)):
            d = spread(rng, start, end)
            ls = [(rng.randrange(len(SKUS)), rng.randint(1, 6), rng.randint(price[0] * 100, price[1] * 100) / 100)
                  for _ in range(rng.randint(*lines))]
            out.append((c, d, ls))
            if rng.random() < same_day:
                out.append((c, d, [(rng.randrange(len(SKUS)), 1, rng.randint(500, 5000) / 100)]))
            if rng.random() < returns and d < end:
                sku, qty, p = ls[0]
                back = min(end, d + dt.timedelta(days=rng.randint(1, 20)))
                out.append((c, back, [(sku, -min(qty, 2), p)]))
    out.sort(key=lambda o: (o[1], str(o[0])))
    return out


def money(x):
    return f"{x:.2f}"


def rows_of(orders, order_prefix, first_no, with_sku=False):
    """One row per order line: (order_id, customer, day, amount[, sku]); returns get an R order id."""
    rows = []
    no = first_no
    for c, d, ls in orders:
        no += 1
        oid = f"{'R' if ls[0][1] < 0 else order_prefix}{no}"
        for sku, qty, p in ls:
            amount = round(qty * p, 2)
            rows.append((oid, c, d, amount, SKUS[sku]) if with_sku else (oid, c, d, amount))
    return rows


def unique(rows, amount_at):
    """Makes rendered rows pairwise different (a repeated line is case 8's subject, not others')."""
    seen = set()
    out = []
    for r in rows:
        r = list(r)
        while tuple(r) in seen:
            r[amount_at] = round(r[amount_at] + 0.01, 2)
        seen.add(tuple(r))
        out.append(tuple(r))
    return out


def csv_field(s, sep=","):
    s = str(s)
    if any(ch in s for ch in (sep, '"', "\n", "\r")):
        return '"' + s.replace('"', '""') + '"'
    return s


def csv_text(rows, sep=",", eol="\r\n"):
    return "".join(sep.join(csv_field(f, sep) for f in r) + eol for r in rows)


class Corpus:
    def __init__(self, out):
        self.out = out
        self.cases = []

    def write(self, name, data):
        with open(os.path.join(self.out, name), "wb") as f:
            f.write(data)

    def case(self, name, issue_case, file, what, data, recipe, header_record, rejected=None, **extra):
        """Writes one file and its manifest entry. `header_record` is the 0-based physical record of the
        header (the rows before it are preamble); `rejected` the row accounting the case plants
        (reason → count), compared exactly with tierlens' `rows_rejected`."""
        if data is not None:
            self.write(file, data)
        entry = {"case": name, "issue_case": issue_case, "file": file, "what": what,
                 "action": "read", "recipe": recipe, "header_record": header_record,
                 "rows_rejected": rejected or {}}
        entry.update(extra)
        self.cases.append(entry)


# ---------------------------------------------------------------------------------------------------------
# The cases


def case01(cz):
    ids = [f"C{n:04d}" for n in range(1, 61)]
    rows = unique(rows_of(ledger(101, ids, day("2024-01-02"), day("2024-06-30")), "SO24", 1000), 3)
    region = {c: ZH_CITIES[i % len(ZH_CITIES)] for i, c in enumerate(ids)}
    body = [("订单编号", "客户编号", "订单日期", "金额", "地区")]
    body += [(o, c, d.isoformat(), money(a), region[c]) for o, c, d, a in rows]
    text = "客户交易明细,,,,\r\n,,,,\r\n" + csv_text(body)
    cz.case("01_title_rows_zh", 1, "01_title_rows_zh.csv",
            "Excel CSV of a sheet with a merged title cell and an empty row above the header (UTF-8 BOM)",
            b"\xef\xbb\xbf" + text.encode("utf-8"), {"asOf": "2024-07-01"}, 2, {"preamble": 2})

    ids = [f"CU-{n:03d}" for n in range(1, 51)]
    rows = unique(rows_of(ledger(102, ids, day("2024-01-02"), day("2024-12-30")), "INV-", 5000), 3)
    body = [("Invoice", "Customer ID", "Date", "Amount", "Region")]
    body += [(o, c, d.isoformat(), money(a), EN_CITIES[int(c[3:]) % 6]) for o, c, d, a in rows]
    text = "Sales Report 2024,,,,\n\"Period: 2024-01-01 to 2024-12-31, all regions\",,,,\n,,,,\n" + csv_text(body, eol="\n")
    cz.case("01_title_rows_en", 1, "01_title_rows_en.csv",
            "English report: a title row, a period row and an empty row above the header",
            text.encode("utf-8"), {"asOf": "2025-01-01"}, 3, {"preamble": 3})


def case02(cz):
    ids = [f"KH{n:05d}" for n in range(101, 161)]
    rows = unique(rows_of(ledger(201, ids, day("2024-01-01"), day("2024-06-30")), "DD", 88000), 3)
    rows.append(("DD99999", "KH00150", day("2024-06-30"), 66.0))  # the latest day of the data
    rows.sort(key=lambda r: (r[2], r[0]))
    body = [("客户编号", "订单号", "订单日期", "金额")]
    month = None
    subtotal = 0.0
    totals = 0
    grand = 0.0
    for o, c, d, a in rows:
        if month is not None and d.month != month:
            last = dt.date(2024, month + 1, 1) - dt.timedelta(days=1)
            body.append(("小计", "", last.isoformat(), money(subtotal)))
            totals += 1
            subtotal = 0.0
        month = d.month
        body.append((c, o, d.isoformat(), money(a)))
        subtotal += a
        grand += a
    body.append(("小计", "", "2024-06-30", money(subtotal)))
    body.append(("合计", "", "2024-07-05", money(grand)))  # dated the day of the export: must not move asOf
    totals += 2
    cz.case("02_totals_zh", 2, "02_totals_zh.csv",
            "Monthly 小计 rows dated at month end and a 合计 row dated the export day (after the data); no asOf "
            "in the recipe: the totals must not become customers nor move the default asOf",
            csv_text(body).encode("utf-8"), {}, 0, {"total_row": totals}, as_of="2024-07-01")

    ids = [f"{n}" for n in range(70001, 70041)]
    rows = unique(rows_of(ledger(202, ids, day("2024-01-01"), day("2024-11-30")), "", 300000), 3)
    by_region = {}
    for r in rows:
        by_region.setdefault(["North", "South"][int(r[1]) % 2], []).append(r)
    body = [("Customer", "Invoice", "Date", "Amount")]
    grand = 0.0
    for region in ("North", "South"):
        sub = 0.0
        for o, c, d, a in by_region[region]:
            body.append((c, o, d.isoformat(), money(a)))
            sub += a
        body.append(("Total", "", "", money(sub)))
        grand += sub
    body.append(("Grand total", "", "2024-12-31", money(grand)))
    last = max(r[2] for r in rows)
    cz.case("02_totals_en", 2, "02_totals_en.csv",
            "A Total row after each region's block and a Grand total dated after the data; no asOf in the recipe",
            csv_text(body).encode("utf-8"), {}, 0, {"total_row": 3},
            as_of=(last + dt.timedelta(days=1)).isoformat())


def uci_date(t):
    return f"{t.month}/{t.day}/{t.year} {t.hour}:{t.minute:02d}"


def case03(cz):
    rng = random.Random(301)
    custs = sorted(rng.sample(range(12346, 18288), 90))
    countries = {c: rng.choice(["United Kingdom"] * 6 + ["France", "Germany", "EIRE", "Norway"]) for c in custs}
    # Days of the UCI file: 1-12 December 2010 (every date ambiguous), then later days that settle it.
    days = [dt.date(2010, 12, d) for d in range(1, 13)]
    later = [dt.date(2010, 12, d) for d in range(13, 24)] + [dt.date(2011, 1, 4) + dt.timedelta(days=i) for i in range(0, 86)]
    invoices = []
    no = 536364
    for ds, n in ((days, 140), (later, 130)):
        for _ in range(n):
            no += 1
            c = rng.choice(custs)
            t = dt.datetime.combine(rng.choice(ds), dt.time(rng.randint(8, 19), rng.randrange(60)))
            lines = [(rng.randrange(len(SKUS)), rng.choice([1, 2, 3, 6, 12, 24]), rng.choice([0.85, 1.25, 1.65, 2.55, 3.39, 4.95, 7.95]))
                     for _ in range(rng.randint(2, 9))]
            invoices.append([f"{no}", c, t, lines])
    invoices.sort(key=lambda v: (v[2], v[0]))
    rows = []
    cancelled = 0
    blank = 0
    for inv in invoices:
        oid, c, t, lines = inv
        cust = "" if rng.random() < 0.03 else str(c)
        seen = set()
        for sku, q, p in lines:
            if sku in seen:
                continue
            seen.add(sku)
            rows.append([oid, SKUS[sku], DESCS[sku], str(q), uci_date(t), f"{p:.2f}", cust, countries[c]])
            if cust == "":
                blank += 1
        if cust and rng.random() < 0.06:
            sku, q, p = lines[0]
            rows.append([f"C{oid}", SKUS[sku], DESCS[sku], str(-q), uci_date(t + dt.timedelta(minutes=40)),
                         f"{p:.2f}", cust, countries[c]])
            cancelled += 1
    ambiguous = sum(1 for r in rows if r[4].startswith("12/") and int(r[4].split("/")[1]) <= 12)
    body = [("InvoiceNo", "StockCode", "Description", "Quantity", "InvoiceDate", "UnitPrice", "CustomerID", "Country")]
    cz.case("03_uci_mdy", 3, "03_uci_mdy.csv",
            f"UCI Online Retail shape: month-first dates, the first {ambiguous} rows all ambiguous (1-12 Dec 2010); "
            "amount = Quantity x UnitPrice; cancelled C-invoices; blank CustomerID",
            csv_text(body + rows).encode("utf-8"), {"asOf": "2011-04-01"}, 0,
            {"cancelled": cancelled, "missing_customer_id": blank})

    rng = random.Random(302)
    ids = [f"K{n:04d}" for n in range(1, 81)]
    body = [("customer_id", "order_date", "amount")]
    seen = set()
    for i in range(1400):
        c = rng.choice(ids)
        d = spread(rng, day("2024-01-01"), day("2024-09-30"))
        if i < 700:  # whole euros with a thousands dot: 3.500 looks like three and a half
            v = rng.randrange(1000, 20000, 50)
            s = f"{v // 1000}.{v % 1000:03d}"
        else:
            cents = rng.randrange(100, 250000)
            s = f"{cents // 100:,}".replace(",", ".") + f",{cents % 100:02d}"
        if (c, d) in seen:
            continue
        seen.add((c, d))
        body.append((c, d.isoformat(), s))
    cz.case("03_german_decimal", 3, "03_german_decimal.csv",
            "German export (semicolons): the first 700 amounts are whole euros with a thousands dot (3.500), "
            "later ones have a decimal comma (12,50 and 1.234,56)",
            csv_text(body, sep=";").encode("utf-8"), {"asOf": "2024-10-01"}, 0)

    rng = random.Random(303)
    ids = [f"A{n:03d}" for n in range(1, 41)]
    body = [("customer_id", "date", "amount")]
    seen = set()
    for _ in range(300):
        c = rng.choice(ids)
        d = dt.date(2024, rng.randint(1, 12), rng.randint(1, 12))
        if (c, d) in seen:
            continue
        seen.add((c, d))
        body.append((c, f"{d.day:02d}/{d.month:02d}/{d.year}", money(rng.randint(1000, 90000) / 100)))
    data = csv_text(body).encode("utf-8")
    cz.case("03_ambiguous_dates_refused", 3, "03_ambiguous_dates.csv",
            "Every date has day and month both <= 12: the file cannot settle the order, so the run refuses "
            "and names input.dateOrder",
            data, {"asOf": "2025-01-01"}, 0, action="refuse", error_code="ambiguous_dates", key="input.dateOrder")
    cz.case("03_ambiguous_dates_forced_dmy", 3, "03_ambiguous_dates.csv",
            "The same file with input.dateOrder = dmy set by the analyst",
            None, {"asOf": "2025-01-01", "input": {"dateOrder": "dmy"}}, 0)

    rng = random.Random(304)
    ids = [f"B{n:03d}" for n in range(1, 31)]
    body = [("customer_id", "date", "amount")]
    for i in range(200):
        v = rng.randrange(1000, 9999)  # every amount d.ddd: thousands of whole euros, or three decimals?
        body.append((ids[i % 30], (day("2024-01-01") + dt.timedelta(days=i)).isoformat(), f"{v // 1000}.{v % 1000:03d}"))
    cz.case("03_ambiguous_decimal_refused", 3, "03_ambiguous_decimal.csv",
            "Every amount is d.ddd (1.250): thousands or three decimals cannot be told apart, so the run refuses "
            "and names input.decimalSeparator",
            csv_text(body, sep=";").encode("utf-8"), {"asOf": "2025-01-01"}, 0, action="refuse",
            error_code="ambiguous_decimal", key="input.decimalSeparator")


def case04(cz):
    ids = [f"M{n:03d}" for n in range(1, 71)]
    rows = unique(rows_of(ledger(401, ids, day("2024-02-01"), day("2024-08-31")), "A", 70000), 3)
    notes = ["", "", "", "gift", "express", "repeat"]
    body = [("order_id", "customer_id", "order_date", "amount", "note")]
    body += [(o, c, d.isoformat(), money(a), notes[i % 6]) for i, (o, c, d, a) in enumerate(rows)]
    at = len(body) // 3  # index of the record that gets the stray quote; spreadsheet row = index + 1
    bad = list(body[at])
    bad[3] = '"' + bad[3]
    lines = [",".join(r) for r in body]
    lines[at] = ",".join(bad)
    data = ("\n".join(lines) + "\n").encode("utf-8")
    cz.case("04_unclosed_quote", 4, "04_unclosed_quote.csv",
            f"A stray opening quote in the amount of row {at + 1} that is never closed; "
            f"{len(body) - 1 - at} more rows follow it",
            data, {"asOf": "2024-09-01"}, 0, action="refuse", error_code="bad_row", row=at + 1,
            alternative={"action": "read", "rejected_rows": [at + 1],
                         "why": "the quote taken literally: that one row is set aside, every other row is read"})


def case05(cz):
    ids = [f"VIP{n:04d}" for n in range(1, 61)]
    rows = unique(rows_of(ledger(501, ids, day("2024-03-01"), day("2024-08-31")), "T2024", 10000), 3)
    rng = random.Random(502)
    body = [("订单号", "客户编号", "下单时间", "应付金额（元）", "优惠金额（元）", "实付金额（元）")]
    for o, c, d, a in rows:
        disc = 0.0 if a <= 0 else round(min(a, rng.choice([0, 0, 5, 10, 20, 50])), 2)
        t = f"{d.isoformat()} {rng.randint(8, 23):02d}:{rng.randrange(60):02d}:{rng.randrange(60):02d}"
        body.append((o, c, t, money(a + disc), money(disc), money(a)))
    cz.case("05_paid_vs_discount", 5, "05_paid_vs_discount.csv",
            "应付金额（元） (before discount), 优惠金额（元） (discount), 实付金额（元） (paid): the amount is 实付",
            csv_text(body).encode("utf-8"), {"asOf": "2024-09-01"}, 0)

    rng = random.Random(503)
    ids = [f"KH{n:05d}" for n in range(1, 51)]
    name = {c: rng.choice(ZH_NAMES) for c in ids}  # 50 customers, 20 names: names repeat
    rows = unique(rows_of(ledger(504, ids, day("2024-01-01"), day("2024-06-30")), "NO", 2000), 3)
    body = [("客户", "客户", "订单号", "订单日期", "金额")]
    body += [(name[c], c, o, d.isoformat(), money(a)) for o, c, d, a in rows]
    cz.case("05_customer_twice", 5, "05_customer_twice.csv",
            "客户 twice: the customer's name, then their id; names repeat across customers, so the id is the "
            "second column",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0, warn=["columnRole"],
            alternative={"action": "refuse", "error_code": None, "key": "input.columns",
                         "why": "refusing to choose between two columns of one name is also honest"})

    rng = random.Random(505)
    ids = [f"{n}" for n in range(880001, 880051)]
    name = {c: rng.choice(ZH_NAMES) for c in ids}
    rows = unique(rows_of(ledger(506, ids, day("2024-01-01"), day("2024-06-30")), "P", 500), 3)
    body = [("客户名称", "客户编号", "订单编号", "订单日期", "实付金额")]
    body += [(name[c], c, o, d.isoformat(), money(a)) for o, c, d, a in rows]
    cz.case("05_name_beside_id", 5, "05_name_beside_id.csv",
            "客户名称 (name, first) beside 客户编号 (id): the id column is the customer, never the name",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0)

    rng = random.Random(507)
    ids = [f"U{n:04d}" for n in range(1, 51)]
    rows = unique(rows_of(ledger(508, ids, day("2024-01-01"), day("2024-06-30")), "ORD-", 100), 3)
    body = [("Order ID", "Customer ID", "Order Date", "Discount (USD)", "Amount (USD)")]
    body += [(o, c, d.isoformat(), money(min(max(a, 0), rng.choice([0, 1, 5]))), money(a)) for o, c, d, a in rows]
    cz.case("05_units_en", 5, "05_units_en.csv",
            "Units in header names: Discount (USD) before Amount (USD); the amount is Amount (USD)",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0)


def case06(cz):
    ids = [f"C{n:05d}" for n in range(1, 121)]
    rows = unique(rows_of(ledger(601, ids, day("2024-01-01"), day("2024-06-30"), orders=(4, 12)), "G", 100000), 3)
    body = [("customer_id", "order_id", "date", "amount", "city")]
    body += [(c, o, d.isoformat(), money(a), EN_CITIES[int(c[1:]) % 6]) for o, c, d, a in rows]
    head = csv_text(body).encode("ascii")
    assert len(head) > 64 * 1024 + 2000, len(head)
    zh = ZH_NAMES[:12]
    late = unique(rows_of(ledger(602, zh, day("2024-05-01"), day("2024-06-30"), orders=(2, 5)), "G", 900000), 3)
    tail = csv_text([(c, o, d.isoformat(), money(a), ZH_CITIES[ZH_NAMES.index(c) % 8]) for o, c, d, a in late])
    cz.case("06_gbk_late", 6, "06_gbk_late.csv",
            f"GBK; the first {len(head)} bytes are ASCII, then {len(late)} rows of customers whose ids are Chinese names",
            head + tail.encode("gbk"), {"asOf": "2024-07-01"}, 0)


# --- a minimal XLSX writer (inline strings, numbers), enough for calamine; deterministic zip dates

def col_name(i):
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def sheet_xml(rows, merges=()):
    out = ['<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
           '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>']
    for r, row in enumerate(rows, start=1):
        cells = []
        for c, v in enumerate(row):
            ref = f"{col_name(c)}{r}"
            if v is None or v == "":
                continue
            if isinstance(v, dt.date):  # a date cell: the serial day number, styled as a date
                cells.append(f'<c r="{ref}" s="1"><v>{(v - dt.date(1899, 12, 30)).days}</v></c>')
            elif isinstance(v, (int, float)):
                cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            else:
                cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{xml_escape(v)}</t></is></c>')
        out.append(f'<row r="{r}">{"".join(cells)}</row>')
    out.append("</sheetData>")
    if merges:
        out.append(f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{m}"/>' for m in merges) + "</mergeCells>")
    out.append("</worksheet>")
    return "".join(out)


def xlsx(sheets):
    """sheets: [(name, rows, merges)] → bytes of a workbook."""
    n = len(sheets)
    files = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                  for i in range(1, n + 1)) + "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
        "</Relationships>",
        "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
        'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
        + "".join(f'<sheet name="{xml_escape(s[0])}" sheetId="{i}" r:id="rId{i}"/>' for i, s in enumerate(sheets, start=1))
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet{i}.xml"/>'
                  for i in range(1, n + 1))
        + f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>'
        "</Relationships>",
        # Style 1 is Excel's built-in short date (numFmtId 14), which is how readers know a date cell.
        "xl/styles.xml": '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
        '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
        '<fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
        '<borders count="1"><border/></borders>'
        '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
        '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
        '<xf numFmtId="14" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
        '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
        "</styleSheet>",
    }
    for i, (_, rows, merges) in enumerate(sheets, start=1):
        files[f"xl/worksheets/sheet{i}.xml"] = sheet_xml(rows, merges)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, text in files.items():
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED  # deflate output varies with the zlib version
            info.external_attr = 0o644 << 16
            z.writestr(info, text.encode("utf-8"))
    return buf.getvalue()


def case07(cz):
    ids = [f"Q{n:03d}" for n in range(1, 61)]
    rows = unique(rows_of(ledger(701, ids, day("2023-01-01"), day("2024-12-31"), orders=(2, 9)), "S", 40000), 3)
    header = ["订单号", "客户编号", "订单日期", "金额"]
    sheets = []
    for q in range(8):
        y, qq = 2023 + q // 4, q % 4
        lo, hi = dt.date(y, 3 * qq + 1, 1), (dt.date(y + (qq == 3), (3 * qq + 3) % 12 + 1, 1))
        part = [[o, c, d, a] for o, c, d, a in rows if lo <= d < hi]  # dates as Excel date cells
        sheets.append((f"{y}Q{qq + 1}", [header] + part, ()))
    sheets.append(("说明", [["本工作簿按季度分表"], ["导出日期", "2025-01-05"]], ()))
    cz.case("07_quarterly_sheets", 7, "07_quarterly_sheets.xlsx",
            "Eight quarterly sheets of one layout (2023Q1..2024Q4, dates as date cells) and a notes sheet: "
            "all eight are the data",
            # The header rows of sheets 2..8 are read and set aside as preamble (every row counted).
            xlsx(sheets), {"asOf": "2025-01-01"}, None, {"preamble": 7}, warn=["sheets"])

    ids = [f"T{n:03d}" for n in range(1, 41)]
    rows = unique(rows_of(ledger(702, ids, day("2024-01-01"), day("2024-06-30")), "X", 700), 3)
    sheet = [["客户交易明细", None, None, None], [None, None, None, None], ["订单号", "客户编号", "订单日期", "金额"]]
    sheet += [[o, c, d.isoformat(), a] for o, c, d, a in rows]
    cz.case("01_title_rows_xlsx", 1, "01_title_rows.xlsx",
            "XLSX sheet with a merged title A1:D1 and an empty row above the header",
            xlsx([("明细", sheet, ("A1:D1",))]), {"asOf": "2024-07-01"}, None, {"preamble": 1})


def case08(cz):
    rng = random.Random(801)
    ids = [f"{n:05d}" for n in range(1, 81)]
    prices = [11.77, 12.00, 14.96, 15.99, 19.98, 23.54, 29.33, 35.97]
    lines = []
    for c in ids:
        for _ in range(rng.randint(1, 5)):
            d = spread(rng, day("1997-01-01"), day("1998-06-30"))
            lines.append((c, d.strftime("%Y%m%d"), round(rng.choice(prices) * rng.randint(1, 3), 2)))
    lines = unique(lines, 2)
    body = [("customer_id", "date", "amount")]
    repeats = 0
    for r in lines:
        body.append((r[0], r[1], money(r[2])))
        if rng.random() < 0.15:  # the same CD price bought again that day: a real second purchase
            body.append(body[-1])
            repeats += 1
    cz.case("08_repeats_no_order_id", 8, "08_repeats_no_order_id.csv",
            f"CDNOW shape without an order id: {repeats} identical lines that are real repeat purchases (kept)",
            csv_text(body).encode("utf-8"), {"asOf": "1998-07-01"}, 0, warn=["duplicates"])

    ids = [f"W{n:03d}" for n in range(1, 61)]
    rows = unique(rows_of(ledger(802, ids, day("2024-01-01"), day("2024-06-30")), "E", 30000, with_sku=True), 3)
    body = [("order_id", "customer_id", "date", "amount", "sku")]
    body += [(o, c, d.isoformat(), money(a), s) for o, c, d, a, s in rows]
    # The export's page 3 (rows 101..120 of the data) came out twice, at the end.
    twice = body[101:121]
    body += twice
    cz.case("08_exported_twice_with_order_id", 8, "08_exported_twice_with_order_id.csv",
            f"With an order id: {len(twice)} order lines exported twice (dropped as duplicates)",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0, {"duplicate_row": len(twice)})


def case09(cz):
    rng = random.Random(901)
    ids = [f"{n:05d}" for n in range(1, 61)]
    lines = ["customer date amount"]
    for c in ids:
        for _ in range(rng.randint(1, 4)):
            d = spread(rng, day("1997-01-01"), day("1997-12-31"))
            lines.append(f"{c}{' ' * rng.randint(2, 4)}{d.strftime('%Y%m%d')}{' ' * rng.randint(2, 4)}{rng.randint(500, 9000) / 100:>7.2f}")
    cz.case("09_legacy_runs", 9, "09_legacy_runs.txt",
            "Legacy text: header names separated by single spaces, rows by runs of spaces",
            ("\n".join(lines) + "\n").encode("ascii"), {"asOf": "1998-01-01"}, 0)

    rng = random.Random(902)
    ids = [f"{n}" for n in range(12346, 12396)]
    name = {c: rng.choice(EN_NAMES) for c in ids}
    recs = []
    for c in ids:
        for _ in range(rng.randint(1, 4)):
            t = dt.datetime.combine(spread(rng, day("2011-01-01"), day("2011-06-30")), dt.time(rng.randint(8, 18), rng.randrange(60)))
            recs.append((c, t.strftime("%Y-%m-%d %H:%M"), f"{rng.randint(100, 60000) / 100:.2f}", name[c]))
    recs = sorted(set(recs), key=lambda r: (r[1], r[0]))
    widths = [11, 17, 9]  # CustomerID + 1 space; a date-time is 16 wide + 1
    header = "CustomerID".ljust(widths[0]) + "InvoiceDate".ljust(widths[1]) + "Amount".ljust(widths[2]) + "Name"
    lines = [header] + ["".join(v.ljust(w) for v, w in zip(r[:3], widths)) + r[3] for r in recs]
    cz.case("09_fixed_width", 9, "09_fixed_width.txt",
            "Fixed-width text: values with single spaces inside (date and time, names); the header's column "
            "positions are the truth",
            ("\n".join(lines) + "\n").encode("ascii"), {"asOf": "2011-07-01"}, 0,
            colspecs=[[0, 11], [11, 28], [28, 37], [37, None]])


def case10(cz):
    rng = random.Random(1001)
    ids = [str(n) for n in sorted(rng.sample(range(12346, 18288), 60))]
    rows = unique(rows_of(ledger(1002, ids, day("2011-01-01"), day("2011-12-08")), "", 540000), 3)
    body = [("CustomerID", "InvoiceNo", "InvoiceDate", "Amount")]
    blank = 0
    for i, (o, c, d, a) in enumerate(rows):
        cid = "" if i % 37 == 5 else f"{c}.0"  # pandas writes an int column with blanks as floats
        blank += cid == ""
        body.append((cid, o, f"{d.isoformat()} 10:{i % 60:02d}:00", money(a)))
    cz.case("10_float_ids", 10, "10_float_ids.csv",
            "Ids written as 12346.0 (an integer column with blanks, saved by pandas): they are 12346",
            csv_text(body, eol="\n").encode("utf-8"), {"asOf": "2011-12-10"}, 0, {"missing_customer_id": blank})

    pairs = [("AB001", "ab001"), ("AB002", "ＡＢ００２"), ("AB003", "AB003\u200b"), ("会员7", "会员７"), ("Z-9", "z-9")]
    ids = [f"AB{n:03d}" for n in range(10, 50)] + [x for p in pairs for x in p]
    rows = unique(rows_of(ledger(1003, ids, day("2024-01-01"), day("2024-06-30")), "V", 6000), 3)
    body = [("customer_id", "order_id", "date", "amount")]
    body += [(c, o, d.isoformat(), money(a)) for o, c, d, a in rows]
    cz.case("10_id_variants", 10, "10_id_variants.csv",
            "Ids that differ only by case, full-width forms or a zero-width space: distinct customers, flagged",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0, warn=["customerIds"])


def case11(cz):
    ids = [f"F{n:03d}" for n in range(1, 41)]
    rows = unique(rows_of(ledger(1101, ids, day("2024-01-01"), day("2024-06-30")), "Z", 100, with_sku=True), 3)
    planted = [
        ("Z9001", "FREE1", day("2024-05-20"), 0.0, "SAMPLE"),  # only purchase a free item: 1 order, 0 spend
        ("Z9002", "FREE2", day("2024-03-01"), 0.0, "SAMPLE"),  # a free order of two zero lines ...
        ("Z9002", "FREE2", day("2024-03-01"), 0.0, "GIFT"),
        ("Z9003", "FREE2", day("2024-02-01"), 25.0, "22752"),  # ... and a paid one: 2 orders
        ("Z9004", "NETZ", day("2024-04-01"), 40.0, "21730"),   # a paid order, then a later one returned
        ("Z9005", "NETZ", day("2024-06-10"), 30.0, "22633"),   # within itself: it nets to 0 and is not an
        ("Z9005", "NETZ", day("2024-06-10"), -30.0, "22633"),  # order (1 order, recency from 2024-04-01)
        ("Z9006", "MIX", day("2024-01-15"), 80.0, "84879"),
        ("Z9007", "MIX", day("2024-06-28"), 0.0, "SAMPLE"),    # the latest purchase a free sample: 2 orders
    ]
    body = [("order_no", "customer", "order_date", "amount", "item")]
    body += [(o, c, d.isoformat(), money(a), s) for o, c, d, a, s in sorted(rows + planted, key=lambda r: (r[2], r[0], r[4], r[3]))]
    cz.case("11_zero_amount_orders", 11, "11_zero_amount_orders.csv",
            "With order ids: free-item orders (amount 0) are orders; an order netted to 0 by its return is not",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0)

    rng = random.Random(1102)
    ids = [f"{n:05d}" for n in range(1, 51)]
    lines = []
    for c in ids:
        for _ in range(rng.randint(1, 4)):
            d = spread(rng, day("1997-01-01"), day("1997-12-31"))
            lines.append((c, d.strftime("%Y%m%d"), rng.choice([0, 0, 11.77, 12.49, 25.98, 36.37])))
    lines = unique(lines, 2)
    lines += [
        ("90001", "19970315", 0.0),     # a customer whose only purchase was free: 1 order
        ("90002", "19970402", 15.99),
        ("90002", "19970610", 15.99),   # bought and returned on one day: that day is not an order
        ("90002", "19970610", -15.99),
    ]
    body = [("customer_id", "date", "amount")] + [(c, d, money(a)) for c, d, a in lines]
    cz.case("11_zero_amount_days", 11, "11_zero_amount_days.csv",
            "Without order ids (CDNOW shape): zero-amount purchase days are orders; a day netted to 0 is not",
            csv_text(body).encode("utf-8"), {"asOf": "1998-01-01"}, 0)


def case12(cz):
    specs = [
        ("12_dates_mon_d_yyyy", lambda d: d.strftime("%b ") + f"{d.day}, {d.year}", "Mar 5, 2024"),
        ("12_dates_dd_mon_yyyy", lambda d: d.strftime("%d-%b-%Y"), "05-Mar-2024"),
        ("12_dates_d_month_yyyy", lambda d: f"{d.day} {MONTHS[d.month - 1]} {d.year}", "5 March 2024"),
    ]
    for n, (name, fmt, example) in enumerate(specs):
        ids = [f"D{n}{k:03d}" for k in range(1, 41)]
        rows = unique(rows_of(ledger(1201 + n, ids, day("2024-01-01"), day("2024-06-30")), "O", 1000 * n), 3)
        body = [("order_id", "customer_id", "order_date", "amount")]
        body += [(o, c, fmt(d), money(a)) for o, c, d, a in rows]
        cz.case(name, 12, name + ".csv", f"Dates written as {example}", csv_text(body).encode("utf-8"),
                {"asOf": "2024-07-01"}, 0)

    ids = [f"E{k:03d}" for k in range(1, 41)]
    rows = unique(rows_of(ledger(1205, ids, day("2024-01-01"), day("2024-06-30")), "K", 0), 3)
    body = [("order_id", "customer_id", "order_date", "amount")]
    body += [(o, c, d.strftime("%d.%m.%y"), money(a)) for o, c, d, a in rows]
    cz.case("12_dates_custom_format", 12, "12_dates_custom_format.csv",
            "Dates as 05.03.24 (two-digit years), read with input.dateFormat = %d.%m.%y (chrono/strftime syntax)",
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01", "input": {"dateFormat": "%d.%m.%y"}}, 0)

    rng = random.Random(1210)
    ids = [f"{n}" for n in range(13800000001, 13800000041)]  # phone numbers as ids, as in Chinese CRMs
    rows = unique(rows_of(ledger(1211, ids, day("2024-01-01"), day("2024-06-30"), price=(50, 3000)), "W", 0), 3)
    body = [("客户编号", "订单号", "订单日期", "成交金额")]
    for o, c, d, a in rows:
        k = rng.randrange(4)
        if k == 0 and a > 0:
            w = rng.choice([1.2, 0.8, 2.5, 1.05, 3])
            a, s = round(w * 10000, 2), f"¥{w:g}万"
        elif k == 1 and a > 0:
            s = f"{a:,.2f}元" if a != int(a) else f"{int(a):,}元"
        elif k == 2 and a > 0:
            s = f"¥{a:,.2f}"
        else:
            s = money(a)
        body.append((c, o, d.isoformat(), s))
    cz.case("12_amounts_wan_yuan", 12, "12_amounts_wan_yuan.csv",
            "Amounts as ¥1.2万 (= 12,000), 1,280元, ¥3,500.00 and plain numbers; ids are phone numbers",
            # Rounding amounts to 万 makes 4 lines of one order identical to another line of it: with
            # an order id they are one line exported twice (dropDuplicates "auto"), as the oracle does.
            csv_text(body).encode("utf-8"), {"asOf": "2024-07-01"}, 0, {"duplicate_row": 4})


def main():
    # A first argument starting with '-' is a flag, not a folder: `--help` once made a tracked
    # `--help/` corpus copy at the top of the repository.
    if len(sys.argv) > 1 and sys.argv[1].startswith("-"):
        print(f"usage: {sys.argv[0]} [OUT_DIR]   (default {DEFAULT_OUT})")
        sys.exit(0 if sys.argv[1] in ("-h", "--help") else 2)
    out = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_OUT
    os.makedirs(out, exist_ok=True)
    cz = Corpus(out)
    for make in (case01, case02, case03, case04, case05, case06, case07, case08, case09, case10, case11, case12):
        make(cz)
    cz.cases.sort(key=lambda c: c["case"])
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8", newline="\n") as f:
        json.dump({"about": "Issue 10's real-world corpus, made by tests/oracle/make_corpus.py; expected figures "
                   "in tests/oracle/expected/ are computed by tests/oracle/oracle.py (pandas), not by tierlens.",
                   "cases": cz.cases}, f, ensure_ascii=False, indent=1)
        f.write("\n")


if __name__ == "__main__":
    main()
