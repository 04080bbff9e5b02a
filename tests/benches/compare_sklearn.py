#!/usr/bin/env python3
"""tierlens k-means vs scikit-learn: inertia on the same scaled data, and speed as ratios.

Run on demand (not part of the test suite; prints figures, never fails on time):

    python3 -m venv /tmp/skvenv && /tmp/skvenv/bin/pip install numpy scikit-learn
    /tmp/skvenv/bin/python tests/benches/compare_sklearn.py            # builds, then compares
    /tmp/skvenv/bin/python tests/benches/compare_sklearn.py --no-build # reuse target/ builds

It builds the native benchmark example and the Wasm module (wasm-bindgen --target nodejs), writes
each dataset as raw little-endian f64 rows to a temporary folder, and fits it with
scikit-learn `KMeans(init="k-means++", n_init=N, algorithm="lloyd")`, tierlens natively and tierlens
as Wasm in Node, all with the same k and n_init, one after the other in this run.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
from sklearn.cluster import KMeans
from sklearn.datasets import make_blobs
from sklearn.preprocessing import StandardScaler
from threadpoolctl import threadpool_limits

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
EXAMPLE = os.path.join(ROOT, "target", "release", "examples", "kmeans_bench")
CLI = os.path.join(ROOT, "target", "debug", "tierlens")
WASM = os.path.join(ROOT, "target", "wasm32-unknown-unknown", "release", "tierlens.wasm")
NODE_SCRIPT = os.path.join(ROOT, "tests", "benches", "kmeans_node.mjs")
INIT_SAMPLE = 100_000


def run(cmd):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, cwd=ROOT).stdout
    return json.loads(out.strip().splitlines()[-1])


def build(pkg):
    subprocess.run(["cargo", "build", "--release", "--example", "kmeans_bench"], check=True, cwd=ROOT)
    subprocess.run(["cargo", "build", "--bin", "tierlens"], check=True, cwd=ROOT)
    subprocess.run(
        ["cargo", "build", "--release", "--lib", "--target", "wasm32-unknown-unknown"],
        check=True,
        cwd=ROOT,
    )
    subprocess.run(["wasm-bindgen", "--target", "nodejs", "--out-dir", pkg, WASM], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--no-build", action="store_true")
    ap.add_argument("--n-init", type=int, default=10)
    ap.add_argument("--quick", action="store_true", help="skip the 1M-row speed case")
    ap.add_argument("--sklearn-threads", type=int, default=None,
                    help="limit scikit-learn's OpenMP threads (default: all cores); its timings swing "
                         "widely when the cores are shared")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp(prefix="tierlens-kmeans-")
    pkg = os.path.join(tmp, "pkg")
    if args.no_build:
        subprocess.run(["wasm-bindgen", "--target", "nodejs", "--out-dir", pkg, WASM], check=True)
    else:
        build(pkg)

    datasets = []

    def blobs(name, n, k, std, seed):
        x, _ = make_blobs(n_samples=n, n_features=3, centers=k, cluster_std=std, random_state=seed)
        datasets.append((name, StandardScaler().fit_transform(x), k))

    blobs("blobs 200k×3 k=5 (overlapping)", 200_000, 5, 3.0, 0)
    path = os.path.join(tmp, "rfm.f64")
    info = run([EXAMPLE, "sample-features", "50000", path])
    rfm = np.fromfile(path, dtype="<f8").reshape(info["n"], info["d"])
    datasets.append(("tierlens sample RFM 50k×3 k=6 (log1p + standardised by tierlens)", rfm, 6))
    rng = np.random.default_rng(0)
    datasets.append(("uniform 100k×3 k=8 (no structure)", rng.random((100_000, 3)), 8))
    if not args.quick:
        blobs("blobs 1M×3 k=8 (speed case)", 1_000_000, 8, 3.0, 1)

    print(f"n_init = {args.n_init}; scikit-learn {__import__('sklearn').__version__} "
          f"(lloyd, {args.sklearn_threads or os.cpu_count()} threads); tierlens single-threaded")
    print(f"{'dataset':<70} {'sklearn s':>9} {'native s':>9} {'wasm s':>9} "
          f"{'wasm/skl':>8} {'Δinertia':>9}")
    rows = []
    for name, x, k in datasets:
        x = np.ascontiguousarray(x, dtype="<f8")
        n, d = x.shape
        path = os.path.join(tmp, "data.f64")
        x.tofile(path)
        with threadpool_limits(limits=args.sklearn_threads):
            t = time.perf_counter()
            km = KMeans(n_clusters=k, init="k-means++", n_init=args.n_init, random_state=0,
                        algorithm="lloyd").fit(x)
            skl_s = time.perf_counter() - t
        nat = run([EXAMPLE, "fit", path, str(d), str(k), str(args.n_init), "0"])
        wasm = run(["node", NODE_SCRIPT, pkg, "fit", path, str(d), str(k), str(args.n_init), "0"])
        same = nat["fingerprint"] == wasm["fingerprint"]
        delta = (nat["inertia"] - km.inertia_) / km.inertia_ * 100
        rows.append((name, skl_s, nat["seconds"], wasm["seconds"], delta))
        print(f"{name:<70} {skl_s:>9.3f} {nat['seconds']:>9.3f} {wasm['seconds']:>9.3f} "
              f"{wasm['seconds'] / skl_s:>8.2f} {delta:>+8.3f}%")
        print(f"{'':<70} inertia sklearn {km.inertia_:.6e}, tierlens {nat['inertia']:.6e} "
              f"(labels+inertia fingerprint native = wasm: {same})")
        if n > INIT_SAMPLE:
            # tierlens' default above 100k points: initialisations on a sample, best one refined on all.
            nat2 = run([EXAMPLE, "fit", path, str(d), str(k), str(args.n_init), "0", str(INIT_SAMPLE)])
            wasm2 = run(["node", NODE_SCRIPT, pkg, "fit", path, str(d), str(k), str(args.n_init), "0",
                         str(INIT_SAMPLE)])
            delta2 = (nat2["inertia"] - km.inertia_) / km.inertia_ * 100
            rows.append((name + " [initSample]", skl_s, nat2["seconds"], wasm2["seconds"], delta2))
            print(f"{'  same, tierlens initSample=' + str(INIT_SAMPLE) + ' (default)':<70} {skl_s:>9.3f} "
                  f"{nat2['seconds']:>9.3f} {wasm2['seconds']:>9.3f} {wasm2['seconds'] / skl_s:>8.2f} "
                  f"{delta2:>+8.3f}%  (native = wasm: {nat2['fingerprint'] == wasm2['fingerprint']})")

    # linfa-clustering 0.8 on the first dataset, for the record.
    name, x, k = datasets[0]
    path = os.path.join(tmp, "data.f64")
    np.ascontiguousarray(x, dtype="<f8").tofile(path)
    lin = run([EXAMPLE, "linfa", path, "3", str(k), str(args.n_init)])
    print(f"linfa-clustering 0.8 KMeans on {name}: {lin['seconds']:.3f} s native, inertia "
          f"{lin['inertia']:.6e}")

    # Whole analysis with automatic k on 100k sample customers (what the page waits for).
    sweep = run(["node", NODE_SCRIPT, pkg, "analyze", "100000"])
    print(f"Wasm (Node) Dataset.analyze, {sweep['customers']} customers, auto k over 2..10: "
          f"{sweep['analyze_seconds']:.2f} s (load {sweep['load_seconds']:.2f} s); chose k = {sweep['k']}; "
          f"sweep on {sweep['sweep_customers']}, silhouette on {sweep['silhouette_customers']}")
    # Whole pipeline, native CLI vs Wasm: customers.csv (with clusters) and report.json must be identical.
    sample = os.path.join(tmp, "sample.csv")
    subprocess.run([CLI, "sample", "--out", sample, "--customers", "20000"], check=True)
    subprocess.run([CLI, "segment", sample, "--out", os.path.join(tmp, "native")], check=True,
                   capture_output=True)
    run(["node", NODE_SCRIPT, pkg, "segment", sample, os.path.join(tmp, "wasm")])
    for f in ["customers.csv", "report.json"]:
        a = open(os.path.join(tmp, "native", f), "rb").read()
        b = open(os.path.join(tmp, "wasm", f), "rb").read()
        print(f"20000-customer sample, {f}: native CLI and Wasm byte-identical: {a == b}")
    worst = max(abs(r[4]) for r in rows)
    print(f"max |Δinertia| vs scikit-learn: {worst:.3f}%")


if __name__ == "__main__":
    sys.exit(main())
