"""Runs labs in a separate interpreter and writes each result as JSON.

    python -m tests.labs.worker OUTPUT_DIR RUN [RUN ...]

RUN is "<lab_id>:<impl>:<dtype>[:<iterations>]" with the run's own
initialisation and optimizer. Each result is written to
OUTPUT_DIR/<RUN with ':' as '_'>.json as soon as it is done (through a
temporary name, so a file that exists is complete), for conftest.py, which
uses such workers to run v1 beside the in-process v2 runs and to repeat runs
under other PYTHONHASHSEEDs.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def result_path(directory, run):
    return Path(directory) / (run.replace(":", "_") + ".json")


def parse(run):
    lab_id, impl, dtype, *rest = run.split(":")
    return lab_id, impl, dtype, (int(rest[0]) if rest else None)


def main(directory, runs):
    from labs.harness import run_lab

    for run in runs:
        lab_id, impl, dtype, iterations = parse(run)
        options = {} if iterations is None else {"iterations": iterations}
        result = run_lab(lab_id, impl, dtype, **options)
        path = result_path(directory, run)
        partial = path.with_suffix(".partial")
        partial.write_text(result.to_json())
        partial.rename(path)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
