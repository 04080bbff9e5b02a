#!/usr/bin/env python3
"""Deterministic customer/transaction exports for the benchmark (issue 12): python3 stdlib only.

    python3 tests/benches/make_export.py                      # 1M, 5M, 10M rows into /tmp/tierlens-bench
    python3 tests/benches/make_export.py --sizes 100k --dir /tmp/x
    python3 tests/benches/make_export.py --print-hashes       # after changing the generator

Shape (as in the issue's table): `customer_id,order_date,amount,region`, ~8 rows per customer (customers
= rows / 8, drawn with a skew so a few buy often), ISO dates over two years, amounts from a log-normal
draw with two decimals, one region per customer; ~31 bytes a row (1M rows ≈ 31 MB). Rows are in random
order, not grouped by customer. Streamed in blocks like tests/fixtures/make_big_transactions.py, so
the generator stays at a few MB whatever the size.

A file already in the directory is kept when its size and SHA-256 match the sidecar `<file>.json`
written after generation (and the generator's parameters are the same); otherwise it is written again.
The SHA-256 of each committed size is pinned in EXPECTED below: a different hash means the generator (or
Python's `random`) changed, which is reported, since figures from different files do not compare.
"""

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import random
import sys

VERSION = 1  # bump when the output changes
HEADER = "customer_id,order_date,amount,region\n"
REGIONS = ["East", "North", "South", "Central", "Southwest", "Northwest", "Northeast"]
REGION_WEIGHTS = [32, 18, 22, 10, 9, 4, 5]
DAYS = 730
BLOCK = 50_000

# SHA-256 of the output for each size with the default seed (python3 make_export.py --print-hashes).
EXPECTED = {
    100_000: "db609e968c5bfe986e718626018c56c1b0b83286829e3008026480648c86af94",
    1_000_000: "1adbfeaae52842ea447f890e3ad8780a6981a02d727f93210f9f8b653b64b905",
    5_000_000: "0980c1acb188ea624d3ddae7189afbb96ef3bcf5e3d04a43d2329adc1627e1bd",
    10_000_000: "de83b369ec8975bfbbd5cc1bb31ff9844a09efa0c26d1068e06ed3ed0162cc49",
}


def parse_size(text):
    t = text.strip().lower()
    mult = {"k": 1_000, "m": 1_000_000}.get(t[-1:], 1)
    return int(float(t[:-1] if mult > 1 else t) * mult)


def size_name(rows):
    if rows % 1_000_000 == 0:
        return f"{rows // 1_000_000}M"
    if rows % 1_000 == 0:
        return f"{rows // 1_000}k"
    return str(rows)


def path_for(directory, rows, seed):
    suffix = "" if seed == 7 else f"-s{seed}"
    return os.path.join(directory, f"export-{size_name(rows)}{suffix}.csv")


def params(rows, seed):
    return {"generator": "tests/benches/make_export.py", "version": VERSION, "rows": rows, "seed": seed}


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 22), b""):
            h.update(chunk)
    return h.hexdigest()


def generate(path, rows, seed):
    """Writes `rows` data rows to `path`; returns (bytes, sha256)."""
    rng = random.Random(seed)
    customers = max(1, rows // 8)
    start = dt.date(2023, 1, 1).toordinal()
    # Precomputed strings: formatting dates and amounts per row is the slow part otherwise.
    dates = [dt.date.fromordinal(start + d).isoformat() for d in range(DAYS)]
    amounts = [f"{math.exp(rng.gauss(3.6, 0.9)) + 1:.2f}" for _ in range(1 << 16)]
    id_base = 1_000_000  # 7-digit ids
    regions = rng.choices(REGIONS, weights=REGION_WEIGHTS, k=customers)
    h = hashlib.sha256()
    written = 0
    tmp = path + ".part"
    rnd = rng.random
    bits = rng.getrandbits
    with open(tmp, "wb") as f:
        head = HEADER.encode()
        f.write(head)
        h.update(head)
        written += len(head)
        left = rows
        while left:
            n = min(BLOCK, left)
            left -= n
            lines = []
            for _ in range(n):
                # Skewed customers: squaring a uniform draw favours low ids (mean ~8 rows a customer).
                c = int(rnd() ** 2 * customers)
                lines.append(f"{id_base + c},{dates[int(rnd() * DAYS)]},{amounts[bits(16)]},{regions[c]}\n")
            data = "".join(lines).encode()
            f.write(data)
            h.update(data)
            written += len(data)
    os.replace(tmp, path)
    return written, h.hexdigest()


def ensure(directory, rows, seed=7, log=print):
    """Returns the path of the export with `rows` rows, generating it unless it is already there."""
    os.makedirs(directory, exist_ok=True)
    path = path_for(directory, rows, seed)
    meta_path = path + ".json"
    want = params(rows, seed)
    if os.path.exists(path) and os.path.exists(meta_path):
        try:
            meta = json.load(open(meta_path))
        except ValueError:
            meta = {}
        if all(meta.get(k) == v for k, v in want.items()) and meta.get("bytes") == os.path.getsize(path):
            if sha256_of(path) == meta.get("sha256"):
                log(f"[export] {path}: present ({meta['bytes'] / 1e6:.0f} MB, hash checked)")
                return path
    log(f"[export] writing {path} ({rows:,} rows) ...")
    t = dt.datetime.now()
    size, digest = generate(path, rows, seed)
    expected = EXPECTED.get(rows) if seed == 7 else None
    if expected and expected != digest:
        log(f"[export] WARNING: {path} has SHA-256 {digest}, not the pinned {expected}: the generator or "
            f"Python's random changed, so figures do not compare with BENCHMARKS.md")
    json.dump({**want, "bytes": size, "sha256": digest}, open(meta_path, "w"), indent=1)
    log(f"[export] {path}: {size / 1e6:.0f} MB in {(dt.datetime.now() - t).total_seconds():.0f} s")
    return path


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1M,5M,10M", help="comma-separated row counts (100k, 1M, ...)")
    ap.add_argument("--dir", default="/tmp/tierlens-bench")
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--print-hashes", action="store_true", help="print the EXPECTED entries")
    args = ap.parse_args()
    out = {}
    for s in args.sizes.split(","):
        rows = parse_size(s)
        path = ensure(args.dir, rows, args.seed, log=lambda m: print(m, file=sys.stderr))
        out[rows] = json.load(open(path + ".json"))["sha256"]
        print(path)
    if args.print_hashes:
        for rows, digest in out.items():
            print(f"    {rows}: \"{digest}\",")


if __name__ == "__main__":
    main()
