"""`compat.environment`: a Keras below the floor, no TensorFlow, or two
TensorFlows fail at once with one message, in a child interpreter that sees
stub distributions first on its path.

A stub Keras is an installed-distribution record (`keras-X.dist-info`) plus a
`keras` package that raises when imported: the check must come before any
import of Keras, so the stub's own error never shows when it works.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from compat.environment import KERAS_FLOOR

ROOT = Path(__file__).resolve().parents[2]
FLOOR = ".".join(map(str, KERAS_FLOOR))
STUB_IMPORTED = "stub Keras imported before the environment check"

ENTRY_POINTS = {
    "import compat.optimizers": ["-c", "import compat.optimizers"],
    "import compat.losses": ["-c", "import compat.losses"],
    "python -m labs list": ["-m", "labs", "list"],
    "python -m labs diff 12-1": ["-m", "labs", "diff", "12-1"],
    "python -m labs.hello_rnn.v2": ["-m", "labs.hello_rnn.v2"],
    "import labs.hello_rnn.v1": ["-c", "import labs.hello_rnn.v1"],
}
COMMAND_LINE = {"python -m labs list", "python -m labs diff 12-1",
                "python -m labs.hello_rnn.v2"}


def _distribution(site, name, version):
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir(parents=True)
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n")


def _stub_keras(site, version):
    _distribution(site, "keras", version)
    (site / "keras").mkdir()
    (site / "keras" / "__init__.py").write_text(
        f"raise ImportError({STUB_IMPORTED!r})\n")


def _run(args, site=None, isolated=False):
    paths = ([str(site)] if site else []) + [str(ROOT)]
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(paths)}
    command = [sys.executable] + (["-S"] if isolated else []) + args
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_keras_below_the_floor_fails_at_once(tmp_path, entry):
    _stub_keras(tmp_path, "3.2.1")
    result = _run(ENTRY_POINTS[entry], tmp_path)
    message = (f"lab12-rnn-compat needs Keras {FLOOR} or newer; this "
               f"environment has Keras 3.2.1.")
    assert result.returncode != 0
    assert message in result.stderr, result.stderr
    assert STUB_IMPORTED not in result.stderr
    if entry in COMMAND_LINE:
        # The command line says it in one line, without a traceback.
        assert result.returncode == 2
        assert result.stderr.startswith(f"error: {message}"), result.stderr
        assert "Traceback" not in result.stderr


def test_keras_2_of_tensorflow_2_15_is_named(tmp_path):
    _stub_keras(tmp_path, "2.15.0")
    result = _run(["-c", "import compat.optimizers"], tmp_path)
    assert "needs Keras 3.3 or newer; this environment has Keras 2.15.0" in result.stderr
    assert "TensorFlow 2.15 ships Keras 2" in result.stderr


def test_keras_at_the_floor_passes(tmp_path):
    _stub_keras(tmp_path, f"{FLOOR}.0")
    result = _run(["-c", "from compat.environment import require_keras; "
                         "require_keras(); print('passed')"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "passed\n"


@pytest.mark.parametrize("version, passes", [
    ("3.2.1", False), ("2.15.0", False), (f"{FLOOR}.0", True), ("3.10.0", True),
    ("3.15.1", True), ("4.0.0", True)])
def test_the_floor_compares_minors_as_numbers(monkeypatch, version, passes):
    """3.10 and 3.15 are above the floor 3.3, though "3.10" < "3.3" as text."""
    from compat import environment

    monkeypatch.setattr(environment, "require_tensorflow", lambda: None)
    monkeypatch.setattr(environment, "_installed", lambda distributions: [("keras", version)])
    if passes:
        environment.require_keras()
    else:
        with pytest.raises(environment.UnsupportedEnvironment, match=f"has Keras {version}"):
            environment.require_keras()


def test_two_tensorflow_versions_in_one_folder_are_named(tmp_path):
    _distribution(tmp_path, "tensorflow", "2.21.0")
    _distribution(tmp_path, "tensorflow-cpu", "2.19.1")
    result = _run(["-m", "labs", "list"], tmp_path)
    assert result.returncode == 2
    assert ("two TensorFlow distributions, tensorflow 2.21.0 and "
            "tensorflow-cpu 2.19.1") in result.stderr, result.stderr
    assert "pip uninstall -y tensorflow tensorflow-cpu" in result.stderr


def test_one_tensorflow_version_under_two_names_passes(tmp_path):
    # On Windows `tensorflow` installs `tensorflow-intel` of its own version.
    _distribution(tmp_path, "tensorflow", "2.19.1")
    _distribution(tmp_path, "tensorflow-intel", "2.19.1")
    result = _run(["-c", "from compat.environment import require_tensorflow; "
                         "require_tensorflow(); print('passed')"], tmp_path)
    assert result.returncode == 0, result.stderr


def test_no_tensorflow_names_the_tf_extra():
    # -S: no site-packages, so neither TensorFlow nor Keras is installed.
    result = _run(["-m", "labs", "list"], isolated=True)
    assert result.returncode == 2
    assert "needs TensorFlow 2.15-2.21 and this environment has none" in result.stderr
    assert 'pip install -e ".[tf]"' in result.stderr


def test_the_configured_backend_is_read_as_keras_reads_it(monkeypatch, tmp_path):
    from compat import environment

    monkeypatch.delenv("KERAS_BACKEND", raising=False)
    monkeypatch.setenv("KERAS_HOME", str(tmp_path))
    assert environment.configured_backend() == "tensorflow"  # no keras.json
    (tmp_path / "keras.json").write_text('{"backend": "jax"}')
    assert environment.configured_backend() == "jax"
    monkeypatch.setenv("KERAS_BACKEND", "torch")  # the variable wins
    assert environment.configured_backend() == "torch"
    (tmp_path / "keras.json").write_text("not json")
    monkeypatch.delenv("KERAS_BACKEND")
    assert environment.configured_backend() == "tensorflow"


def test_a_backend_without_its_library_is_named(monkeypatch):
    from compat import environment

    monkeypatch.setattr(environment.importlib.util, "find_spec", lambda name: None)
    with pytest.raises(environment.UnsupportedEnvironment,
                       match="'jax' backend .* needs jax, and this environment has none"):
        environment.require_backend("jax")
    with pytest.raises(environment.UnsupportedEnvironment, match="'mxnet'"):
        environment.require_backend("mxnet")
