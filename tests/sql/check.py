"""Issue 15: the generated SQL gives tierlens' own answer, in DuckDB and in Spark SQL.

For each case (an input file and a recipe) the native CLI writes customers.csv and
segment.{duckdb,spark}.sql. The input is turned into a typed `transactions` table the way a
warehouse holds it (ids text, the date column DATE, amounts DOUBLE; a cell that does not read as its
type becomes NULL, which both tierlens and the SQL set aside), kept as Parquet, and each query runs
on it. Every column the query covers must equal customers.csv for every customer (and the customer
sets must be equal): the expected figures are tierlens' fit, the SQL is an independent execution.
One Spark session serves all cases.

  .venv-sql/bin/python tests/sql/check.py [--only duckdb|spark] [--keep DIR]
"""

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "tierlens")
FIX = os.path.join(ROOT, "tests", "fixtures")

# (name, input, recipe, extra CLI args). "@sample:LANG" is `tierlens sample --language LANG`.
CASES = [
    ("sample", "@sample:en", None, []),
    ("sample_zh_header", "@sample:zh", None, []),
    (
        "sample_variants",
        "@sample:en",
        {
            "clean": {"returns": "drop", "dropZeroAmounts": True, "dropDuplicates": True},
            "valueTiers": {"preset": "high-medium-low"},
            "cluster": {"k": 4},
        },
        [],
    ),
    ("sample_rf10_as_of", "@sample:en", {"segments": {"preset": "rf10"}}, ["--as-of", "2024-06-01"]),
    ("sample_three_bins", "@sample:en", {"score": {"bins": 3}, "segments": {"preset": "three-level"}}, []),
    ("small", "small.csv", None, []),
    ("pareto_net_negative", "pareto_net_negative.csv", None, []),
    ("duplicates_with_order", "realworld/duplicates_with_order.csv", None, []),
    ("duplicates_no_order", "realworld/duplicates_no_order.csv", None, []),
    ("column_roles_zh", "realworld/column_roles.csv", None, []),
    ("cdnow_repeats", "realworld/cdnow_repeats.csv", None, []),
    ("zero_amount_orders", "realworld/corpus/11_zero_amount_orders.csv", None, []),
    ("zero_amount_days", "realworld/corpus/11_zero_amount_days.csv", None, []),
    ("exported_twice", "realworld/corpus/08_exported_twice_with_order_id.csv", None, []),
    ("repeats_no_order_id", "realworld/corpus/08_repeats_no_order_id.csv", None, []),
    # Custom tiers: every operator, alias, literal kind and field of the expression language,
    # missing values (region, mean gap, x / 0), NaN from an overflow, rule order and `otherwise`.
    ("custom_tiers_sample", "@sample:en", "@custom_tiers_sample.json", []),
    ("custom_tiers_regions", "sql/custom_regions.csv", "@custom_tiers_regions.json", []),
    # Relative lifecycle: each customer's own gaps (p80 by interpolation, or the mean, and the
    # longest), the recipe's days for customers with fewer than two counted orders.
    ("sample_relative_p80", "@sample:en", {"lifecycle": {"mode": "relative"}}, []),
    (
        "sample_relative_mean",
        "@sample:en",
        {"lifecycle": {"mode": "relative", "usualGap": "mean", "newDays": 10, "activeDays": 45,
                       "dueDays": 60, "lapsingDays": 120}},
        ["--as-of", "2024-09-30"],
    ),
    ("zero_amount_orders_relative", "realworld/corpus/11_zero_amount_orders.csv",
     {"lifecycle": {"mode": "relative"}}, []),
    ("custom_tiers_relative", "sql/custom_regions.csv", "@custom_tiers_relative.json", []),
]
RECIPES = os.path.join(ROOT, "tests", "sql", "recipes")

NUMERIC_ROLES = {"amount", "quantity", "unitPrice"}


def fmt_num(v):
    """tierlens' number format in customers.csv (format::fmt_num): 6 decimals, zeros trimmed."""
    s = f"{v:.6f}".rstrip("0").rstrip(".")
    return "0" if s == "-0" else s


def cell(v):
    if v is None:
        return ""
    if isinstance(v, float):
        return fmt_num(v)
    return str(v)


def run_cli(case, work):
    name, src, recipe, extra = case
    d = os.path.join(work, name)
    os.makedirs(d)
    if src.startswith("@sample:"):
        path = os.path.join(d, "input.csv")
        lang = src.split(":", 1)[1]
        subprocess.run([CLI, "sample", "--out", path, "--language", lang], check=True)
    else:
        path = os.path.join(FIX, src)
    args = [CLI, "segment", path, "--out", os.path.join(d, "out"), "--sql", "duckdb", "--sql", "spark"]
    if isinstance(recipe, str):
        args += ["--recipe", os.path.join(RECIPES, recipe[1:])]
    elif recipe is not None:
        rp = os.path.join(d, "recipe.json")
        with open(rp, "w") as f:
            json.dump(recipe, f)
        args += ["--recipe", rp]
    subprocess.run(args + extra, check=True, stderr=subprocess.DEVNULL)
    return d, path


def typed_parquet(con, d, path):
    """The input as a warehouse table: text ids, DATE dates, DOUBLE amounts (NULL where unreadable)."""
    with open(os.path.join(d, "out", "report.json"), encoding="utf-8") as f:
        report = json.load(f)
    roles = {c["column"]: c["role"] for c in report["input"]["columns"]}
    header = report["input"]["header"]
    con.execute(
        "CREATE OR REPLACE TABLE raw AS SELECT * FROM read_csv(?, all_varchar = true, header = true)",
        [path],
    )
    names = [r[0] for r in con.execute("SELECT column_name FROM (DESCRIBE raw)").fetchall()]
    assert names == header, (names, header)
    cols = []
    for n in names:
        q = '"' + n.replace('"', '""') + '"'
        role = roles.get(n)
        if role == "date":
            e = f"COALESCE(TRY_CAST({q} AS DATE), CAST(TRY_STRPTIME({q}, '%Y%m%d') AS DATE))"
        elif role in NUMERIC_ROLES:
            # The sample writes some amounts as text ("¥1,234.50"): a warehouse holds the number.
            e = f"TRY_CAST(replace(replace(trim({q}), '¥', ''), ',', '') AS DOUBLE)"
        else:
            e = q
        cols.append(f"{e} AS {q}")
    pq = os.path.join(d, "transactions.parquet")
    con.execute(f"COPY (SELECT {', '.join(cols)} FROM raw) TO '{pq}' (FORMAT parquet)")
    return pq


def expected(d):
    with open(os.path.join(d, "out", "customers.csv"), encoding="utf-8", newline="") as f:
        return {r["customer_id"]: r for r in csv.DictReader(f)}


def compare(engine, name, want, cols, rows):
    got = {}
    for r in rows:
        got[str(r[0])] = [cell(v) for v in r]
    problems = []
    if set(got) != set(want):
        problems.append(f"customers differ: only SQL {sorted(set(got) - set(want))[:5]}, "
                        f"only tierlens {sorted(set(want) - set(got))[:5]}")
    for cid in sorted(set(got) & set(want)):
        for c, v in zip(cols, got[cid]):
            if want[cid].get(c) != v:
                problems.append(f"{cid}.{c}: tierlens {want[cid].get(c)!r}, SQL {v!r}")
    status = "ok" if not problems else f"FAILED ({len(problems)} differences)"
    print(f"[{engine}] {name}: {len(got)} customers × {len(cols)} columns ({', '.join(cols[1:])}): {status}")
    for p in problems[:10]:
        print(f"    {p}")
    return not problems


def columns_of(d):
    with open(os.path.join(d, "out", "customers.csv"), encoding="utf-8", newline="") as f:
        return next(csv.reader(f))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", choices=["duckdb", "spark"])
    ap.add_argument("--keep")
    ap.add_argument("--case", action="append")
    a = ap.parse_args()
    import duckdb

    work = a.keep or tempfile.mkdtemp(prefix="tierlens-sql-")
    if a.keep:
        shutil.rmtree(work, ignore_errors=True)
        os.makedirs(work)
    cases = [c for c in CASES if not a.case or c[0] in a.case]
    prepared = []
    con = duckdb.connect()
    ok = True
    for case in cases:
        d, path = run_cli(case, work)
        pq = typed_parquet(con, d, path)
        prepared.append((case[0], d, pq))
    if a.only != "spark":
        for name, d, pq in prepared:
            con.execute(f"CREATE OR REPLACE VIEW transactions AS SELECT * FROM read_parquet('{pq}')")
            sql = open(os.path.join(d, "out", "segment.duckdb.sql"), encoding="utf-8").read()
            cur = con.execute(sql)
            cols = [x[0] for x in cur.description]
            ok &= compare("duckdb", name, expected(d), cols, cur.fetchall())
    if a.only != "duckdb":
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[2]")
            .appName("tierlens-sql-check")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .config("spark.sql.session.timeZone", "UTC")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
        for name, d, pq in prepared:
            spark.read.parquet(pq).createOrReplaceTempView("transactions")
            sql = open(os.path.join(d, "out", "segment.spark.sql"), encoding="utf-8").read()
            df = spark.sql(sql.rstrip().rstrip(";"))
            ok &= compare("spark", name, expected(d), df.columns, [tuple(r) for r in df.collect()])
        spark.stop()
    if not a.keep:
        shutil.rmtree(work, ignore_errors=True)
    print("all SQL checks passed" if ok else "SQL checks FAILED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
