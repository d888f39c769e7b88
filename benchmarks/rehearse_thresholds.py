"""The rehearsal's thresholds, measured: each question's score and time with 3 seeds on a real stack.

    python benchmarks/rehearse_thresholds.py --python /path/to/exam-venv/bin/python [--seeds 1 2 3] [--question N]

Runs `tfenvcheck rehearse --python P --seed S --json` (full size) once per seed, as a user would, and
prints a Markdown table: per question, the score of each seed, the worst of them, the threshold in
tfenvcheck/rehearse/questions.py and its margin, and the question's wall time (both processes) per
seed. A threshold is set below the worst healthy score (above it, for an MAE) with a margin, so that
a healthy stack passes whatever the seed and a broken one (a model that learns nothing) does not.
Also prints `uptime` before and after: other work on the machine slows the times, not the scores.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys


def rehearse(tool: str, python: str, seed: int, questions: list[int]) -> dict:
    chosen = [item for number in questions for item in ("--question", str(number))]
    done = subprocess.run(
        [tool, "rehearse", "--python", python, "--seed", str(seed), "--json", *chosen], capture_output=True, text=True
    )
    if done.returncode not in (0, 1):
        raise SystemExit("tfenvcheck rehearse --seed {} failed: {}".format(seed, done.stderr[-2000:]))
    return json.loads(done.stdout)


def uptime() -> str:
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", required=True, help="a target interpreter with a healthy TensorFlow")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--question", type=int, action="append", default=[], help="only question N (repeatable)")
    args = parser.parse_args()
    tool = shutil.which("tfenvcheck") or sys.exit("tfenvcheck is not on PATH (pip install -e .)")
    print("before:", uptime())
    runs = [rehearse(tool, args.python, seed, args.question) for seed in args.seeds]
    print("after: ", uptime())
    target = runs[0]["fingerprint"]["target"]
    print(
        "\n{} (Python {}, TensorFlow {}, Keras {}); CPU: {}\n".format(
            target["python"],
            target["python_version"],
            target["tensorflow"],
            target["keras"],
            runs[0]["fingerprint"]["host"]["cpu"],
        )
    )
    seeds = " | ".join("seed {}".format(s) for s in args.seeds)
    print(
        "| question | metric | {} | worst | threshold | margin | {} |".format(
            seeds, seeds.replace("seed", "time, seed")
        )
    )
    print("|---" * (5 + 2 * len(args.seeds)) + "|")
    for index, question in enumerate(runs[0]["questions"]):
        outcomes = [run["questions"][index] for run in runs]
        scores = [q["score"] for q in outcomes]
        if any(score is None for score in scores):
            print("| {} | failed: {} |".format(question["id"], next(q["error"] for q in outcomes if q["error"])))
            continue
        worst = max(scores) if question["metric"] == "mae" else min(scores)
        margin = question["threshold"] - worst if question["metric"] == "mae" else worst - question["threshold"]
        print(
            "| {} {} | {} | {} | {:.3f} | {} | {:.3f} | {} |".format(
                question["number"],
                question["id"],
                question["metric"],
                " | ".join("{:.3f}".format(s) for s in scores),
                worst,
                question["threshold"],
                margin,
                " | ".join("{:.0f} s".format(q["seconds"]) for q in outcomes),
            )
        )
    totals = [sum(q["seconds"] for q in run["questions"]) for run in runs]
    print("\nWhole rehearsal per seed: {}".format(", ".join("{:.0f} s".format(t) for t in totals)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
