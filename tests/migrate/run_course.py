"""Child process of the course run tests: migrated scripts, one after another, in one Python.

Importing TensorFlow costs about 15 s of CPU on a small machine, which would
dominate one child per lab, so the tests pay it once here: each script runs
as ``__main__`` (runpy) from its own folder, on a fresh default graph, with
its printed output captured. The child also checks the migrator's name
tables against ``import compat.tf1 as tf``, which it may import (the pytest
process must not: the drop-in switches TensorFlow to TF1 behaviour).

usage: python run_course.py SPEC.json RESULT.json
SPEC: {"scripts": [{"path": ..., "cwd": ...}, ...]}
RESULT: {"contract": [problems], "scripts": [{"stdout", "error", "variables"}, ...]}
"""

import contextlib
import functools
import importlib
import io
import json
import os
import runpy
import sys
import types


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


def run_script(tf, path, cwd):
    tf.reset_default_graph()
    captured = io.StringIO()
    error = None
    os.chdir(cwd)
    sys.argv = [path]
    try:
        with contextlib.redirect_stdout(captured):
            runpy.run_path(path, run_name="__main__")
    except SystemExit as exit_:
        if exit_.code not in (None, 0):
            error = f"SystemExit: {exit_.code}"
    except Exception as exception:
        error = f"{type(exception).__name__}: {exception}"
    variables = [variable.name for variable in tf.trainable_variables()]
    session = tf.get_default_session()
    if session is not None:  # an InteractiveSession holds the graph as default
        session.close()
    return {"stdout": captured.getvalue(), "error": error, "variables": variables}


def main(spec_path, result_path):
    with open(spec_path) as stream:
        spec = json.load(stream)
    import compat.tf1 as tf

    result = {
        "contract": check_tables(tf),
        "scripts": [run_script(tf, entry["path"], entry["cwd"]) for entry in spec["scripts"]],
    }
    with open(result_path, "w") as stream:
        json.dump(result, stream)


if __name__ == "__main__":
    main(*sys.argv[1:])
