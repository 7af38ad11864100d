"""Fixtures: the genuine legacy ``rnn_cell`` module (or a skip) and compat's.

``tf.compat.v1.nn.rnn_cell`` is a lazy alias of the Keras-2 legacy cells: TF
2.15 serves them from its bundled Keras 2; TF 2.16+ serves them only from
tf-keras, and only when ``TF_USE_LEGACY_KERAS=1`` was set before TensorFlow was
imported. That variable changes ``tf.keras`` for the whole process, so it is
never set here: the ``legacy`` tox env sets it for a process that runs only
this directory.
"""

import importlib
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

GENUINE_REQUIREMENT = (
    "genuine legacy cells need TF 2.15, or tf-keras with TF_USE_LEGACY_KERAS=1"
)


def load_genuine_rnn_cell():
    """Return ``(module, None)``, or ``(None, reason)`` if it is unavailable."""
    try:
        # The lazy loader resolves (and fails) on first attribute access.
        implementation = tf.compat.v1.nn.rnn_cell.BasicLSTMCell.__module__
    except (AttributeError, ImportError) as error:
        return None, f"{GENUINE_REQUIREMENT}; TF {tf.__version__} says: {error}"
    if not implementation.endswith(".layers.rnn.legacy_cells"):
        return None, f"{GENUINE_REQUIREMENT}; found {implementation} instead"
    return tf.compat.v1.nn.rnn_cell, None


@pytest.fixture(scope="session")
def genuine():
    """The genuine ``tf.compat.v1.nn.rnn_cell`` module, or skip."""
    module, reason = load_genuine_rnn_cell()
    if module is None:
        pytest.skip(reason)
    return module


@pytest.fixture(scope="session")
def compat_cells(genuine):
    """``compat.rnn_cell``; depends on ``genuine`` so it skips where that does."""
    return importlib.import_module("compat.rnn_cell")

