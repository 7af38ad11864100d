"""Child process of the course run tests: the course migrated with the CLI, then run.

The child migrates the course folder as a user would (``labs.migrate.cli``,
``--allow-partial``), puts ``[cell] * n`` back into copies of the long-char
lab and of the notebook's code up to its MultiRNNCell section (the teeth of
test_course_runs.py), and runs every script, one after another, in this one
Python. Importing TensorFlow costs about 15 s of CPU on a small machine,
which would dominate one child per lab, so it is paid once here, by the
migration (which resolves names against TensorFlow) and the runs alike.

Each script runs as ``__main__`` (runpy) from the course folder, on a fresh
default graph, with its printed output captured. The child also checks the
migrator's name tables against ``import compat.tf1 as tf``, which it may
import (the pytest process must not: the drop-in switches TensorFlow to TF1
behaviour).

usage: python -m tests.migrate.run_course COURSE_FOLDER OUTPUT_FOLDER
Writes OUTPUT_FOLDER/migrated, OUTPUT_FOLDER/variants and, last,
OUTPUT_FOLDER/result.json:
{"migration": {"status", "stdout", "stderr"}, "reverted": {variant: bool},
 "contract": [problems], "scripts": {name: {"stdout", "error", "variables"}}}
(only "migration" if the CLI failed).
"""

import contextlib
import functools
import importlib
import io
import json
import os
import pathlib
import runpy
import sys
import traceback
import types

from tests.background import write_file

RESULT = "result.json"
COURSE_SCRIPTS = ("hello_rnn", "char_seq_rnn", "rnn_long_char", "rnn_stock_prediction")
NOTEBOOK = "rnn_basics.ipynb"
LONG_CHAR_FRESH = "[rnn.BasicLSTMCell(hidden_size, state_is_tuple=True) for _ in range(2)]"
NOTEBOOK_FRESH = "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"


def migrate(source, migrated):
    """``python -m labs migrate SOURCE -o MIGRATED --allow-partial``, in this process."""
    from labs.migrate import cli

    out, err = io.StringIO(), io.StringIO()
    # --allow-partial: a construct left unconverted must show as a failed run,
    # not only in the report (test_the_course_migrates_completely checks the report).
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = cli.main([str(source), "-o", str(migrated), "--allow-partial"])
    return {"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}


def notebook_as_script(notebook, last_scope):
    """The notebook's code cells up to the ``last_scope`` section, as one script (magics dropped)."""
    from tests.migrate import course_notebook

    number, _ = course_notebook.section(notebook, last_scope)
    sources = [cell.source for cell in notebook.cells[:number] if cell.cell_type == "code"]
    lines = [line for source in sources for line in source.splitlines() if not line.startswith("%")]
    return "\n".join(lines) + "\n"


def revert(text, fresh, repeated):
    """``text`` with the migrator's fresh cells put back to one repeated cell."""
    return text.replace(fresh, repeated)


def write_variants(migrated, variants):
    """The reverted copies as {name: path}, and whether reverting changed each."""
    import nbformat

    variants.mkdir()
    long_char = (migrated / "rnn_long_char.py").read_text()
    cells = notebook_as_script(nbformat.read(migrated / NOTEBOOK, as_version=4), "MultiRNNCell")
    texts = {
        "long_char_shared": revert(long_char, LONG_CHAR_FRESH, "[cell] * 2"),
        "notebook_fresh": cells,
        "notebook_shared": revert(cells, NOTEBOOK_FRESH, "[cell] * 3"),
    }
    for name, text in texts.items():
        (variants / f"{name}.py").write_text(text)
    reverted = {
        "long_char": long_char != texts["long_char_shared"],
        "notebook": cells != texts["notebook_shared"],
    }
    return {name: variants / f"{name}.py" for name in texts}, reverted


def compat_names(namespace):
    """The public names of a module whose values come from compat (not its own imports)."""
    names = getattr(namespace, "__all__", None) or [n for n in dir(namespace) if not n.startswith("_")]
    values = {name: getattr(namespace, name) for name in names}
    return {
        name: value
        for name, value in values.items()
        if (getattr(value, "__module__", None) or getattr(value, "__name__", "")).startswith("compat")
    }


def same_namespace(served, target):
    """``served`` and ``target`` are one object, or modules serving the same compat names."""
    if served is target:
        return True
    if not (isinstance(served, types.ModuleType) and isinstance(target, types.ModuleType)):
        return False
    left, right = compat_names(served), compat_names(target)
    return left.keys() == right.keys() and all(left[name] is right[name] for name in left)


def check_tables(tf):
    """Problems where the migrator's tables disagree with what the drop-in serves."""
    from labs.migrate import namespaces

    problems = []
    for path, (module, attribute) in namespaces.OVERLAYS.items():
        served = functools.reduce(getattr, path, tf)
        target = importlib.import_module(module)
        target = getattr(target, attribute) if attribute else target
        if not same_namespace(served, target):
            problems.append(f"tf.{'.'.join(path)} is {served!r}, not {module}.{attribute or ''}")
    for tensorflow_module, module in namespaces.DROP_IN_MODULES.items():
        served = functools.reduce(getattr, namespaces.tf1_names(tensorflow_module)[1:], tf)
        if importlib.import_module(module) is not served:
            problems.append(f"{module} is not what the drop-in serves as {'.'.join(tensorflow_module)}")
    return problems


def run_as_main(path, cwd, traceback_chars=0):
    """Runs the script `path` as `__main__` from `cwd`: (its stdout, the
    error it ended with or None), the error followed by the last
    `traceback_chars` characters of its traceback."""
    captured = io.StringIO()
    error = None
    os.chdir(cwd)
    sys.argv = [str(path)]
    try:
        with contextlib.redirect_stdout(captured):
            runpy.run_path(str(path), run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            error = f"SystemExit: {exit_.code}"
    except Exception as exception:
        error = f"{type(exception).__name__}: {exception}"
        if traceback_chars:
            error += f"\n{traceback.format_exc()[-traceback_chars:]}"
    return captured.getvalue(), error


def run_script(tf, path, cwd):
    tf.reset_default_graph()
    stdout, error = run_as_main(path, cwd)
    variables = [variable.name for variable in tf.trainable_variables()]
    session = tf.get_default_session()
    if session is not None:  # an InteractiveSession holds the graph as default
        session.close()
    return {"stdout": stdout, "error": error, "variables": variables}


def main(course, output):
    course, output = pathlib.Path(course).resolve(), pathlib.Path(output).resolve()
    migrated = output / "migrated"
    result = {"migration": migrate(course, migrated)}
    if result["migration"]["status"] == 0:
        variants, result["reverted"] = write_variants(migrated, output / "variants")
        paths = {name: migrated / f"{name}.py" for name in COURSE_SCRIPTS} | variants

        # Only now: the migration ran, as from a shell, without TF1 behaviour.
        import compat.tf1 as tf

        result["contract"] = check_tables(tf)
        result["scripts"] = {name: run_script(tf, path, course) for name, path in paths.items()}
    write_file(output / RESULT, json.dumps(result))


if __name__ == "__main__":
    main(*sys.argv[1:])
