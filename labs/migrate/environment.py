"""The environment a migrated file runs in: this Python, with compat importable.

A migrated script imports ``compat``; the child process finds it through
PYTHONPATH even when it runs from the script's own folder. Matplotlib gets a
non-interactive backend (the stock lab calls ``plt.show()``) and TensorFlow's
C++ log noise is turned down, unless the caller chose otherwise. A notebook
runs on ipykernel in this very Python (``ThisPythonKernels``).
"""

import importlib.util
import os
import pathlib
import sys

from jupyter_client.kernelspec import KernelSpec, KernelSpecManager

from labs.migrate.errors import MigrationError


def compat_root():
    """The folder that holds the ``compat`` package, found without importing it."""
    spec = importlib.util.find_spec("compat")
    if spec is None or not spec.submodule_search_locations:
        raise MigrationError("the compat package is not importable; install this project first")
    return str(pathlib.Path(list(spec.submodule_search_locations)[0]).parent)


def run_environment():
    env = dict(os.environ)
    paths = [compat_root()] + [p for p in env.get("PYTHONPATH", "").split(os.pathsep) if p]
    env["PYTHONPATH"] = os.pathsep.join(dict.fromkeys(paths))
    env.setdefault("MPLBACKEND", "Agg")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    return env


class ThisPythonKernels(KernelSpecManager):
    """Every kernel name means ipykernel on the interpreter running this code."""

    def get_kernel_spec(self, kernel_name):
        return KernelSpec(
            argv=[sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"],
            display_name="Python 3",
            language="python",
        )
