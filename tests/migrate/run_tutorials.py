"""Child process of the tutorial tests: TF1 tutorial-style scripts migrated with the CLI, then run.

The scripts (tests/migrate/fixtures/tutorials) use what TF1 tutorials
borrowed beyond the course: ``DropoutWrapper``, ``legacy_seq2seq`` (a
char-rnn sampled through a ``loop_function``, a bucketed attention seq2seq),
``contrib.seq2seq``'s NMT stack (an attention NMT toy decoded by beam search) and the MNIST tutorial reader (on a small IDX set in ``MNIST_data/``). As
for the course (``run_course.py``), the folder is migrated as a user would,
then every script runs as ``__main__`` in this one interpreter under
``import compat.tf1 as tf``, its printed output captured.

usage: python -m tests.migrate.run_tutorials FOLDER OUTPUT_FOLDER
Writes OUTPUT_FOLDER/migrated and, last, OUTPUT_FOLDER/result.json:
{"migration": {"status", "stdout", "stderr"}, "scripts": {name: {"stdout", "error", "variables"}}}.
"""

import json
import pathlib
import sys

from tests.background import write_file
from tests.migrate.run_course import migrate, run_script

RESULT = "result.json"
SCRIPTS = ("char_rnn", "mnist_rnn", "bucketed_seq2seq", "attention_nmt")


def main(folder, output):
    folder, output = pathlib.Path(folder).resolve(), pathlib.Path(output).resolve()
    migrated = output / "migrated"
    result = {"migration": migrate(folder, migrated)}
    if result["migration"]["status"] == 0:
        import compat.tf1 as tf

        result["scripts"] = {name: run_script(tf, migrated / f"{name}.py", folder) for name in SCRIPTS}
    write_file(output / RESULT, json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
