#!/usr/bin/env python3
"""Coverage of `kaisim calibrate`: does a central 90% posterior interval contain the truth 90% of
the time?

Draws TRUTHS parameter vectors from the prior of a 4-parameter calibration of the reference
scenario's stage-1 evaluation, simulates one replicate of each truth with a seed of its own (its
stage-1 score table is the "observed" data), calibrates against it, and counts per parameter how
often the 5-95% posterior interval contains the truth, with a Wilson 95% interval for that share.
A well-calibrated sampler covers about 0.9 (less when the ABC tolerance stays wide: the posterior
is then wider than the exact one, and coverage above 0.9 is the expected direction).

    scripts/calibration-coverage.py [--truths 50] [--kaisim build/kaisim] [--threads 2]

Standard library only. Not a test: it runs for minutes (each truth is one calibration).
"""
import argparse
import csv
import json
import math
import os
import random
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SCENARIO = os.path.join(ROOT, "scenarios", "k-ai-2025.yaml")
# Stage 1 of the reference scenario scored on the fraction of items correct, as the stage-1
# calibration of the real programme does (scenarios/calibration/stage1-raw-benchmarks.yaml).
RAW_OVERLAY = """stages:
  - id: stage1
    components:
      - {id: bench_national, normalisation: raw}
      - {id: bench_common, normalisation: raw}
"""

# name, path, low, high (uniform priors, as in scenarios/calibration/k-ai-stage1.yaml)
PARAMETERS = [
    ("experts_offset", "stages[stage1].components[experts].reference_offset", -8.0, 0.0),
    ("experts_ability_weight", "stages[stage1].components[experts].ability_weight", 0.1, 2.0),
    ("users_offset", "stages[stage1].components[users].reference_offset", -6.0, 2.0),
    ("common_difficulty", "benchmarks[common].difficulty_mean", -2.0, 3.0),
]
GROUPS = {  # statistic name -> components summed (None: the total)
    "total": None,
    "bench": ["bench_national", "bench_common", "bench_chosen"],
    "experts": ["experts"],
    "users": ["users"],
}


def kaisim(binary, *args):
    r = subprocess.run([binary, *args], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       text=True)
    if r.returncode != 0:
        sys.exit("calibration-coverage: kaisim %s failed: %s" % (" ".join(args), r.stderr.strip()))


def observed_statistics(stages_csv):
    """Best and mean of each group over the teams evaluated at stage 1."""
    with open(stages_csv, encoding="utf-8-sig", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["stage"] == "stage1"]
    stats = []
    for name, comps in GROUPS.items():
        values = [float(r["score"]) if comps is None else sum(float(r[c]) for c in comps) for r in rows]
        stats.append((name + "_best", "best", comps, max(values)))
        stats.append((name + "_mean", "mean", comps, sum(values) / len(values)))
    return stats


def wilson(k, n, z=1.959963984540054):
    p = k / n
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z / (1 + z * z / n) * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    return max(0.0, centre - half), min(1.0, centre + half)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--truths", type=int, default=50)
    ap.add_argument("--kaisim", default=os.path.join(ROOT, "build", "kaisim"))
    ap.add_argument("--threads", default="2")
    ap.add_argument("--seed", type=int, default=2026)
    a = ap.parse_args()
    rng = random.Random(a.seed)
    covered = [0] * len(PARAMETERS)
    with tempfile.TemporaryDirectory(prefix="kaisim-coverage-") as work:
        raw = os.path.join(work, "stage1-raw.yaml")
        with open(raw, "w", encoding="utf-8") as f:
            f.write(RAW_OVERLAY)
        for t in range(a.truths):
            truth = [rng.uniform(lo, hi) for _, _, lo, hi in PARAMETERS]
            sets = []
            for (name, path, _, _), x in zip(PARAMETERS, truth):
                sets += ["--set", "%s=%r" % (path, x)]
            run_dir = os.path.join(work, "truth%d" % t)
            kaisim(a.kaisim, "run", SCENARIO, "--overlay", raw, "--seed", str(1000 + t), *sets,
                   "--quiet", "--out", run_dir)
            obs = os.path.join(work, "obs%d.yaml" % t)
            with open(obs, "w", encoding="utf-8") as f:
                f.write("stage: stage1\nstatistics:\n")
                for name, kind, comps, value in observed_statistics(os.path.join(run_dir, "stages.csv")):
                    c = "" if comps is None else ", components: [%s]" % ", ".join(comps)
                    f.write("  - {name: %s, statistic: %s%s, value: %r}\n" % (name, kind, c, value))
            cal = os.path.join(work, "cal%d.yaml" % t)
            with open(cal, "w", encoding="utf-8") as f:
                f.write("calibration:\n  name: coverage %d\n  scenario: %s\n  overlays: [%s]\n"
                        "  observations: %s\nparameters:\n" % (t, SCENARIO, raw, obs))
                for name, path, lo, hi in PARAMETERS:
                    f.write("  - {name: %s, path: \"%s\", dist: uniform, low: %r, high: %r}\n"
                            % (name, path, lo, hi))
                f.write("abc: {particles: 100, replicates: 4, alpha: 0.5, min_acceptance: 0.02, "
                        "generations: 5, seed: %d}\n" % (77 + t))
            out = os.path.join(work, "post%d" % t)
            kaisim(a.kaisim, "calibrate", cal, "--threads", a.threads, "--quiet", "--out", out)
            post = json.load(open(os.path.join(out, "calibration.json"), encoding="utf-8"))["parameters"]
            for i, (name, _, _, _) in enumerate(PARAMETERS):
                covered[i] += post[name]["q05"] <= truth[i] <= post[name]["q95"]
            print("truth %d/%d done" % (t + 1, a.truths), file=sys.stderr)
    print("parameter                  covered  share   95% interval (target 0.90)")
    for (name, _, _, _), k in zip(PARAMETERS, covered):
        lo, hi = wilson(k, a.truths)
        print("%-26s %3d/%-3d  %.2f   [%.2f, %.2f]" % (name, k, a.truths, k / a.truths, lo, hi))
    return 0


if __name__ == "__main__":
    sys.exit(main())
