"""Executes lab notebooks in fresh kernels and writes what the tests read.

    python -m tests.lesson.run_notebooks OUTPUT_DIR LAB [LAB ...]

For each LAB, in order: the notebook the generator writes now, executed with
nbclient from OUTPUT_DIR, as `notebook_file(LAB)`, and how it went as
`execution_file(LAB)` (JSON: `labs.lesson.execute.Execution`'s fields). The
LAB `BROKEN` is a notebook with one broken cell, whose execution must fail
naming that cell. Each file is complete before it appears (tests/background.py).
The printed losses are compared with the suite's shared runs
(tests/lab_runs.py), not with runs trained again here.
"""

import dataclasses
import json
import os
import sys
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

BROKEN = "broken"
BROKEN_CELL = "raise ValueError('broken on purpose')"


def notebook_file(lab_id):
    return f"{lab_id}.ipynb"


def execution_file(lab_id):
    return f"{lab_id}.execution.json"


def broken_notebook():
    """Two cells that run, then one that raises, then one never reached."""
    from nbformat import v4

    return v4.new_notebook(cells=[
        v4.new_code_cell("x = 1"), v4.new_markdown_cell("text"),
        v4.new_code_cell(f"{BROKEN_CELL}\nx = 2"),
        v4.new_code_cell("x = 3")],
        metadata={"kernelspec": {"name": "python3", "language": "python",
                                 "display_name": "Python 3"}})


def main(directory, lab_ids):
    import nbformat

    from labs.lesson import notebook
    from labs.lesson.execute import execute
    from tests.background import write_file

    directory = Path(directory)
    for lab_id in lab_ids:
        built = broken_notebook() if lab_id == BROKEN else notebook.build(lab_id)
        execution = execute(built, directory)
        write_file(directory / notebook_file(lab_id), nbformat.writes(built))
        write_file(directory / execution_file(lab_id),
                   json.dumps(dataclasses.asdict(execution)))
        print(f"{lab_id}: {execution.describe()}", flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
