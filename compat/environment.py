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
inside Keras. `require_tensorflow()` is the part the TF1 cells need (they run
on Keras 2 too). Both read the installed distributions' metadata and import
neither TensorFlow nor Keras, so the check costs milliseconds and TensorFlow's
logging can still be configured after it.

Several TensorFlow distributions (`tensorflow`, `tensorflow-cpu`, ...) install
the same `tensorflow/` folder; two of different versions in one environment
overwrite each other's files and `import tensorflow` dies with an undefined
symbol. That too is named here, with the fix.
"""

import importlib.metadata
import importlib.util
import re

__all__ = ["KERAS_FLOOR", "UnsupportedEnvironment", "require_keras",
           "require_tensorflow"]

KERAS_FLOOR = (3, 3)

# Every distribution that installs the `tensorflow` package.
TENSORFLOW_DISTRIBUTIONS = ("tensorflow", "tensorflow-cpu", "tensorflow-intel",
                            "tensorflow-macos", "tensorflow-gpu", "tf-nightly",
                            "tf-nightly-cpu")
KERAS_DISTRIBUTIONS = ("keras", "keras-nightly")

_PROJECT = "lab12-rnn-compat"


class UnsupportedEnvironment(ImportError):
    """The installed TensorFlow or Keras cannot run this project."""


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


def require_keras():
    """Raise `UnsupportedEnvironment` unless TensorFlow and Keras >= the floor are installed."""
    require_tensorflow()
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
