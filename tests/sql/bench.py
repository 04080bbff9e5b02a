"""Issue 15's scale benchmark (`make bench-sql`, not part of `make test`; prints figures, never fails
on time). A segmentation is fitted by the native CLI on the built-in sample (3000 customers); DuckDB
then generates a large transactions table with the sample's column names (customers, order ids,
dates in the sample's two years, amounts, a few returns and zero lines), stored as Parquet, and the
fitted query runs on it in DuckDB and in Spark local mode. Each engine runs in its own child process,
so its peak resident memory (ru_maxrss; for Spark the JVM's) is that run's alone. Generation is not
timed.

  .venv-sql/bin/python tests/sql/bench.py --duckdb-rows 20000000 --spark-rows 2000000
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
CLI = os.path.join(ROOT, "target", "release", "tierlens")


def generate(path, rows):
    import duckdb

    customers = max(rows // 20, 1)
    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(
        f"""
        COPY (
          SELECT 'SO' || CAST(i // 2 AS VARCHAR) AS order_id,
                 'C' || CAST(10000 + hash(i // 2) % {customers} AS VARCHAR) AS customer_id,
                 DATE '2023-01-01' + CAST(hash(i // 2 + 7) % 730 AS INTEGER) AS order_date,
                 CASE WHEN hash(i) % 50 = 0 THEN -5.25
                      WHEN hash(i) % 97 = 0 THEN 0.0
                      ELSE round(1 + (hash(i + 3) % 50000) / 100.0, 2) END AS amount,
                 CASE CAST(hash(i // 2) % 4 AS INTEGER) WHEN 0 THEN 'North' WHEN 1 THEN 'South' WHEN 2 THEN 'East' ELSE 'West' END AS region
          FROM range({rows}) AS t(i)
        ) TO '{path}' (FORMAT parquet)
        """
    )


def run_duckdb(pq, sql_path):
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads = 2")
    con.execute(f"CREATE VIEW transactions AS SELECT * FROM read_parquet('{pq}')")
    sql = open(sql_path, encoding="utf-8").read().rstrip().rstrip(";")
    t = time.perf_counter()
    n = con.execute(f"SELECT count(*), count(DISTINCT segment) FROM ({sql}) AS q").fetchone()
    return time.perf_counter() - t, n[0]


def run_spark(pq, sql_path):
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .appName("tierlens-sql-bench")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    spark.read.parquet(pq).createOrReplaceTempView("transactions")
    sql = open(sql_path, encoding="utf-8").read().rstrip().rstrip(";")
    t = time.perf_counter()
    n = spark.sql(f"SELECT count(*) AS n FROM ({sql}) AS q").collect()[0][0]
    took = time.perf_counter() - t
    # The JVM is not a waited-for child while the session lives: read its own peak (VmHWM).
    jvm_peak = 0
    try:
        pid = spark.sparkContext._gateway.proc.pid
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    jvm_peak = int(line.split()[1])
    except (AttributeError, OSError, ValueError):
        pass
    spark.stop()
    global JVM_PEAK_KB
    JVM_PEAK_KB = jvm_peak
    return took, n


JVM_PEAK_KB = 0


def child(engine, pq, sql_path, rows):
    took, customers = (run_duckdb if engine == "duckdb" else run_spark)(pq, sql_path)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    kids = max(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, JVM_PEAK_KB)
    print(json.dumps({"engine": engine, "rows": rows, "seconds": took, "customers": customers,
                      "peak_rss_mb": max(own, kids) / 1024}))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--duckdb-rows", type=int, default=20_000_000)
    ap.add_argument("--spark-rows", type=int, default=2_000_000)
    ap.add_argument("--child", nargs=4)
    ap.add_argument("--dir")
    a = ap.parse_args()
    if a.child:
        engine, pq, sql_path, rows = a.child
        child(engine, pq, sql_path, int(rows))
        return 0
    work = a.dir or tempfile.mkdtemp(prefix="tierlens-sql-bench-")
    os.makedirs(work, exist_ok=True)
    sample = os.path.join(work, "sample.csv")
    subprocess.run([CLI, "sample", "--out", sample], check=True)
    out = os.path.join(work, "fit")
    subprocess.run([CLI, "segment", sample, "--out", out, "--sql", "duckdb", "--sql", "spark"],
                   check=True, stderr=subprocess.DEVNULL)
    results = []
    for engine, rows in (("duckdb", a.duckdb_rows), ("spark", a.spark_rows)):
        if rows <= 0:
            continue
        pq = os.path.join(work, f"transactions_{rows}.parquet")
        if not os.path.exists(pq):
            generate(pq, rows)
        sql_path = os.path.join(out, f"segment.{engine}.sql")
        r = subprocess.run([sys.executable, __file__, "--child", engine, pq, sql_path, str(rows)],
                           check=True, capture_output=True, text=True)
        res = json.loads(r.stdout.strip().splitlines()[-1])
        results.append(res)
    print("| engine | transaction rows | customers | seconds | rows/s | peak RSS (MB) |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['engine']} | {r['rows']:,} | {r['customers']:,} | {r['seconds']:.2f} | "
              f"{r['rows'] / r['seconds']:,.0f} | {r['peak_rss_mb']:.0f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
