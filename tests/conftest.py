"""Shared fixtures. TensorFlow's C++ log noise is silenced before it loads."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402


@pytest.fixture
def graph():
    """A fresh ``tf.Graph`` installed as the default graph for the test."""
    import tensorflow as tf

    fresh = tf.Graph()
    with fresh.as_default():
        yield fresh
