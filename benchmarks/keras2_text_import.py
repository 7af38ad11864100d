"""What Keras 2's text utilities cost to import beside Keras 3.

    python -m benchmarks.keras2_text_import [--rounds 5]

Needs tf-keras (the `legacy` env); run it without TF_USE_LEGACY_KERAS, so
that `keras` is Keras 3 as in the course's migrated scripts.

Each round starts two fresh interpreters, in alternating order, that import
`tensorflow` and `keras` (Keras 3) first, as a Keras 3 script has, and then
time one more import with `time.perf_counter`:
`tf_keras.preprocessing.text` (the thin re-export `compat.keras2_text` could
have been) and `compat.keras2_text` (its own code). Prints the median of
each over the rounds and their ratio.
"""

import argparse
import os
import statistics
import subprocess
import sys

CANDIDATES = {
    "tf_keras.preprocessing.text": "tf_keras.preprocessing.text",
    "compat.keras2_text": "compat.keras2_text",
}

CHILD = """
import time, tensorflow, keras
assert keras.__version__.split(".")[0] == "3", keras.__version__
start = time.perf_counter()
import {module}
print(time.perf_counter() - start)
"""


def time_import(module):
    environment = dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2")
    environment.pop("TF_USE_LEGACY_KERAS", None)
    completed = subprocess.run([sys.executable, "-c", CHILD.format(module=module)],
                               capture_output=True, text=True, env=environment)
    if completed.returncode:
        sys.exit(f"importing {module} failed:\n{completed.stderr[-2000:]}")
    return float(completed.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    rounds = parser.parse_args(argv).rounds
    if rounds < 1:
        parser.error("--rounds must be >= 1")
    times = {name: [] for name in CANDIDATES}
    names = list(CANDIDATES)
    for round_number in range(rounds):
        for name in names if round_number % 2 == 0 else reversed(names):
            times[name].append(time_import(CANDIDATES[name]))
        print(f"round {round_number + 1}/{rounds}: "
              + ", ".join(f"{name} {times[name][-1]:.3f} s" for name in names), flush=True)
    medians = {name: statistics.median(values) for name, values in times.items()}
    for name in names:
        print(f"{name:30s} median {medians[name]:.4f} s after tensorflow + keras")
    ratio = medians["tf_keras.preprocessing.text"] / medians["compat.keras2_text"]
    print(f"ratio tf_keras / compat: {ratio:.0f}x")


if __name__ == "__main__":
    main()
