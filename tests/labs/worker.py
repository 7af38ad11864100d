"""Makes lab runs in an interpreter of its own and writes each result as JSON.

    python -m tests.labs.worker OUTPUT_DIR RUN [RUN ...]

RUN names a `run_lab` call: "<lab_id>:<impl>:<dtype>[:<option>=<value>,...]",
e.g. "12-4:v2:float64:initial_weights=v1,optimizer=tf1_adam" or
"12-1:v1:float32:iterations=5" (see `run_name`). Each result is written to
OUTPUT_DIR/`result_file(RUN)` as soon as it is done, complete before it
appears, for conftest.py, which runs such workers beside the tests and under
a PYTHONHASHSEED of its choosing.
"""

import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def run_name(lab_id, impl, dtype, options=None):
    """The RUN of `run_lab(lab_id, impl, dtype, **options)`."""
    name = f"{lab_id}:{impl}:{dtype}"
    if options:
        name += ":" + ",".join(f"{key}={value}"
                               for key, value in sorted(options.items()))
    return name


def parse(run):
    """(lab_id, impl, dtype, options) of a RUN."""
    lab_id, impl, dtype, *rest = run.split(":")
    options = {}
    for option in filter(None, ",".join(rest).split(",")):
        key, value = option.split("=")
        options[key] = int(value) if value.isdigit() else value
    return lab_id, impl, dtype, options


def result_file(run):
    return run.replace(":", "_").replace(",", "+") + ".json"


def main(directory, runs):
    from labs.harness import run_lab
    from tests.background import write_file

    for run in runs:
        lab_id, impl, dtype, options = parse(run)
        result = run_lab(lab_id, impl, dtype, **options)
        write_file(Path(directory) / result_file(run), result.to_json())


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
