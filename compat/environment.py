"""The TensorFlow and Keras this project runs on, checked before either loads.

Supported: TensorFlow 2.15-2.21 and Keras 3.3 or newer (`KERAS_FLOOR`), the
Keras that came out with TensorFlow 2.16; on TensorFlow 2.15, which ships
Keras 2, Keras 3 is installed over it. Below the floor the labs' Keras code
and `compat.optimizers.TF1Adam` need what older releases lack, and the
suite is not run there (measured, and what breaks, in README "Supported
versions").

`require_keras()` is the one check, called on import by `compat.optimizers`,
`compat.losses` and `labs` (so `python -m labs ...` and every lab module):
in an environment below the floor they raise `UnsupportedEnvironment` at
once, naming the installed and the needed version, instead of failing later
inside Keras. It also checks that the library of Keras's configured backend
is installed (`configured_backend()`: `KERAS_BACKEND`, else the `backend` of
`keras.json` in `KERAS_HOME` or `~/.keras`, else "tensorflow", the order
Keras reads them in): TensorFlow, JAX or PyTorch. `require_tensorflow()` is
the part the TF1 cells (and every v1 lab) need; they run on Keras 2 too.
Both read the installed distributions' metadata and import
neither TensorFlow nor Keras, so the check costs milliseconds and TensorFlow's
logging can still be configured after it.

Several TensorFlow distributions (`tensorflow`, `tensorflow-cpu`, ...) install
the same `tensorflow/` folder; two of different versions in one environment
overwrite each other's files and `import tensorflow` dies with an undefined
symbol. That too is named here, with the fix.
"""

import importlib.metadata
import importlib.util
import json
import os
import re

__all__ = ["BACKENDS", "KERAS_FLOOR", "UnsupportedEnvironment",
           "configured_backend", "require_backend", "require_keras",
           "require_tensorflow", "tensorflow_version"]

KERAS_FLOOR = (3, 3)

# Every distribution that installs the `tensorflow` package.
TENSORFLOW_DISTRIBUTIONS = ("tensorflow", "tensorflow-cpu", "tensorflow-intel",
                            "tensorflow-macos", "tensorflow-gpu", "tf-nightly",
                            "tf-nightly-cpu")
KERAS_DISTRIBUTIONS = ("keras", "keras-nightly")

# Keras 3's backends this project runs on; each is also the name of the
# module it needs.
BACKENDS = ("tensorflow", "jax", "torch")

_PROJECT = "lab12-rnn-compat"


class UnsupportedEnvironment(ImportError):
    """The installed TensorFlow or Keras cannot run this project."""


def tensorflow_version():
    """The installed TensorFlow's version (from metadata), or None."""
    installed = _installed(TENSORFLOW_DISTRIBUTIONS)
    return installed[0][1] if installed else None


def require_tensorflow():
    """Raise `UnsupportedEnvironment` unless one TensorFlow version is installed."""
    installed = _installed(TENSORFLOW_DISTRIBUTIONS)
    # One version under several names is fine: on Windows `tensorflow` is a
    # wrapper that installs `tensorflow-intel` of its own version.
    if len({version for _, version in installed}) > 1:
        listed = " and ".join(f"{name} {version}" for name, version in installed)
        raise UnsupportedEnvironment(
            f"{_PROJECT}: this environment has two TensorFlow distributions, "
            f"{listed}, installed into the same `tensorflow` folder, which "
            f"breaks `import tensorflow`. Uninstall all of them and install "
            f"one: pip uninstall -y {' '.join(name for name, _ in installed)} "
            f"&& pip install {installed[0][0]}")
    if not installed and importlib.util.find_spec("tensorflow") is None:
        raise UnsupportedEnvironment(
            f"{_PROJECT} needs TensorFlow 2.15-2.21 and this environment has "
            f"none. Install the project with its `tf` extra "
            f"(pip install \"{_PROJECT}[tf]\", or pip install -e \".[tf]\" in "
            f"a checkout) or a TensorFlow of your own (e.g. tensorflow-cpu).")


def configured_backend():
    """The backend Keras will load, read the way Keras reads it, without
    importing Keras: `KERAS_BACKEND`, else `keras.json`, else "tensorflow"."""
    backend = os.environ.get("KERAS_BACKEND")
    if backend:
        return backend
    home = os.environ.get("KERAS_HOME") or os.path.join(
        os.path.expanduser("~"), ".keras")
    try:
        with open(os.path.join(home, "keras.json"), encoding="utf-8") as file:
            backend = json.load(file).get("backend")
    except (OSError, ValueError, AttributeError):
        backend = None
    return backend or "tensorflow"


def require_backend(backend):
    """Raise `UnsupportedEnvironment` unless `backend`'s library is installed
    (TensorFlow: also the one-version check of `require_tensorflow`)."""
    if backend not in BACKENDS:
        raise UnsupportedEnvironment(
            f"{_PROJECT} runs Keras on the backends {list(BACKENDS)}; "
            f"Keras is configured for {backend!r} (KERAS_BACKEND or "
            f"keras.json).")
    if backend == "tensorflow":
        require_tensorflow()
    elif importlib.util.find_spec(backend) is None:
        cpu_build = (" first PyTorch's CPU build on a machine without a GPU, "
                     "or pip takes the CUDA one of about 3 GB;"
                     if backend == "torch" else "")
        raise UnsupportedEnvironment(
            f"Keras's {backend!r} backend (chosen by KERAS_BACKEND, "
            f"keras.json or --backend) needs {backend}, and this "
            f"environment has none. Install it (pip install "
            f"\"{_PROJECT}[{backend}]\";{cpu_build} docs/backends.md) or "
            f"choose another backend.")


def require_keras():
    """Raise `UnsupportedEnvironment` unless Keras >= the floor and its
    configured backend's library are installed."""
    require_backend(configured_backend())
    installed = _installed(KERAS_DISTRIBUTIONS)
    if not installed:
        if importlib.util.find_spec("keras") is not None:
            return  # a Keras without metadata (a source checkout): trusted
        version = "none"
    else:
        version = installed[0][1]
        if _release(version) >= KERAS_FLOOR:
            return
    floor = ".".join(map(str, KERAS_FLOOR))
    raise UnsupportedEnvironment(
        f"{_PROJECT} needs Keras {floor} or newer; this environment has Keras "
        f"{version}. Upgrade it: pip install \"keras>={floor}\" (TensorFlow "
        f"2.15 ships Keras 2; pip install \"keras~={floor}.0\" puts Keras "
        f"{floor} over it, as the tf215 tox env does).")


def _installed(distributions):
    """`(name, version)` of each of `distributions` that is installed."""
    found = []
    for name in distributions:
        try:
            found.append((name, importlib.metadata.version(name)))
        except importlib.metadata.PackageNotFoundError:
            pass
    return found


def _release(version):
    """(major, minor) of a version string; (0, 0) when it has none."""
    match = re.match(r"(\d+)\.(\d+)", version)
    return (int(match[1]), int(match[2])) if match else (0, 0)
