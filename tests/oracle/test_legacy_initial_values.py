"""Same graph seed, same graph: genuine and compat initial values are bit-identical.

The graphs are built in a subprocess (see ``seeded_initial_values``) because
``disable_v2_behavior()`` changes the whole process for good.
"""

import os
import pathlib
import subprocess
import sys

import numpy as np
import pytest

import compat

from .seeded_initial_values import CASES


def _python_path():
    """The directories that make this package and ``compat`` importable."""
    package_root = pathlib.Path(__file__).resolve().parents[len(__package__.split("."))]
    compat_root = pathlib.Path(compat.__file__).resolve().parents[1]
    inherited = os.environ.get("PYTHONPATH", "")
    return os.pathsep.join([str(package_root), str(compat_root)] + [inherited] * bool(inherited))


@pytest.fixture(scope="module")
def seeded_values(genuine, tmp_path_factory):
    out_path = tmp_path_factory.mktemp("seeded") / "initial_values.npz"
    env = dict(os.environ, PYTHONPATH=_python_path())
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    completed = subprocess.run(
        [sys.executable, "-m", f"{__package__}.seeded_initial_values", str(out_path)],
        cwd=out_path.parent, env=env, capture_output=True, text=True, timeout=900,
    )
    assert completed.returncode == 0, completed.stderr[-5000:]
    with np.load(out_path) as archive:
        values = {}
        for key in archive.files:
            case_id, side, name = key.split("|")
            values.setdefault(case_id, {}).setdefault(side, {})[name] = archive[key]
    return values


@pytest.mark.parametrize("case_id", list(CASES))
def test_initial_values_are_bit_identical(seeded_values, case_id):
    expected = seeded_values[case_id]["genuine"]
    actual = seeded_values[case_id]["compat"]
    assert list(actual) == list(expected)
    for name, value in expected.items():
        assert actual[name].dtype == value.dtype, name
        np.testing.assert_array_equal(actual[name], value, err_msg=name)


def test_seeded_kernel_is_glorot_uniform_noise(seeded_values):
    """Guards the test above against comparing zeros or constants only."""
    kernel = seeded_values["basic_lstm"]["genuine"]["rnn/basic_lstm_cell/kernel:0"]
    assert np.unique(kernel).size == kernel.size
    limit = np.sqrt(6.0 / sum(kernel.shape))  # v1 glorot uniform
    assert 0.8 * limit < np.max(np.abs(kernel)) <= limit
