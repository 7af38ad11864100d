"""Shared fixtures and the hypothesis profiles. TensorFlow's C++ log noise is
silenced before it loads.

Hypothesis: tests that build a TensorFlow graph per example take their number
of examples from the profile, ``HYPOTHESIS_PROFILE=default`` (what a test run
can afford; every run draws new examples) or ``thorough`` (many more, for a
change to the cells or before a release); cheap tests set their own. What
every run must see is pinned instead: ``@example`` cases, and the fixed
configurations of tests/compat/fresh_process.py.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# As `labs` sets it (labs/__init__.py), before a compat test starts TensorFlow
# in this process ahead of the first lab; the suite's children inherit it.
os.environ.setdefault("TF_NUM_INTEROP_THREADS", "1")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

for _profile, _examples in (("default", 6), ("thorough", 200)):
    settings.register_profile(
        _profile, max_examples=_examples, deadline=None, suppress_health_check=[HealthCheck.too_slow]
    )
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture
def graph():
    """A fresh ``tf.Graph`` installed as the default graph for the test."""
    import tensorflow as tf

    fresh = tf.Graph()
    with fresh.as_default():
        yield fresh
