"""`compat.contrib.seq2seq.sequence_loss` against the numpy reference."""

import itertools
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from compat.contrib import seq2seq
from tests.reference import numpy_loss

v1 = tf.compat.v1

TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}
FLAG_NAMES = ("average_across_timesteps", "average_across_batch",
              "sum_over_timesteps", "sum_over_batch")
INVALID_FLAGS = tuple(
    flags for flags in itertools.product((False, True), repeat=4)
    if flags not in numpy_loss.VALID_FLAGS)


def run_sequence_losses(mode, logits, targets, weights, flag_sets):
    """sequence_loss with each of ``flag_sets`` (keyword dicts), evaluated
    eagerly, or in one v1 graph whose placeholders leave batch and time
    unknown."""
    if mode == "eager":
        return [seq2seq.sequence_loss(logits, targets, weights, **kwargs).numpy()
                for kwargs in flag_sets]
    with tf.Graph().as_default():
        feeds = {}
        tensors = []
        for value in (logits, targets, weights):
            shape = [None, None] + list(value.shape[2:])
            placeholder = v1.placeholder(tf.as_dtype(value.dtype), shape)
            feeds[placeholder] = value
            tensors.append(placeholder)
        losses = [seq2seq.sequence_loss(*tensors, **kwargs) for kwargs in flag_sets]
        with v1.Session() as session:
            return session.run(losses, feeds)


def run_sequence_loss(mode, logits, targets, weights, **kwargs):
    return run_sequence_losses(mode, logits, targets, weights, [kwargs])[0]


@st.composite
def loss_problems(draw):
    dtype = draw(st.sampled_from([np.float32, np.float64]))
    batch = draw(st.integers(1, 4))
    time = draw(st.integers(1, 5))
    num_classes = draw(st.integers(2, 6))
    logits = draw(hnp.arrays(
        dtype, (batch, time, num_classes),
        elements=st.floats(-4, 4, width=np.finfo(dtype).bits)))
    targets = draw(hnp.arrays(np.int32, (batch, time),
                              elements=st.integers(0, num_classes - 1)))
    weight_values = draw(st.sampled_from(["mask", "fractional"]))
    # Nonzero weights of at least 2^-10: TensorFlow's CPU kernels flush
    # subnormal numbers to zero, inputs and results alike, so a weight whose
    # product with a cross-entropy is subnormal counts as a zero weight there
    # and not in numpy (the TF 2.16 tox env drew 1.2e-38 x ln 2).
    elements = (st.sampled_from([0.0, 1.0]) if weight_values == "mask"
                else st.one_of(st.just(0.0), st.floats(2.0**-10, 2, width=32)))
    weights = draw(hnp.arrays(dtype, (batch, time), elements=elements))
    # Whole rows and columns of zeros: the divide_no_nan cases.
    weights[draw(hnp.arrays(bool, batch)), :] = 0
    weights[:, draw(hnp.arrays(bool, time))] = 0
    return logits, targets, weights


@pytest.mark.parametrize("mode", ["eager", "graph"])
@given(problem=loss_problems(), one_hot=st.booleans())  # examples: the profile's
def test_matches_numpy_reference_for_every_flag_combination(mode, problem, one_hot):
    logits, targets, weights = problem
    flag_sets = [dict(zip(FLAG_NAMES, flags)) for flags in numpy_loss.VALID_FLAGS]
    expected = [numpy_loss.sequence_loss(logits, targets, weights, **kwargs)
                for kwargs in flag_sets]
    if one_hot:
        targets = np.eye(logits.shape[-1], dtype=logits.dtype)[targets]

    actual = run_sequence_losses(mode, logits, targets, weights, flag_sets)

    tolerance = TOLERANCE[logits.dtype.type]
    for kwargs, got, want in zip(flag_sets, actual, expected, strict=True):
        assert got.dtype == logits.dtype, kwargs
        assert got.shape == want.shape, kwargs
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance,
                                   err_msg=str(kwargs))


@pytest.mark.parametrize("flags", numpy_loss.VALID_FLAGS)
def test_all_zero_weights_give_zero_not_nan(flags):
    logits = np.random.default_rng(0).normal(size=(3, 4, 5))
    targets = np.zeros((3, 4), np.int32)
    loss = run_sequence_loss("eager", logits, targets, np.zeros((3, 4)),
                             **dict(zip(FLAG_NAMES, flags)))
    np.testing.assert_array_equal(loss, np.zeros_like(loss))


def test_sum_over_divides_by_count_of_nonzero_weights_not_their_sum():
    logits = np.random.default_rng(1).normal(size=(2, 3, 4))
    targets = np.array([[0, 1, 2], [3, 2, 1]], np.int32)
    weights = np.array([[0.5, 0.5, 0.0], [2.0, 0.0, 0.0]])
    wce = numpy_loss.cross_entropy(logits, targets) * weights

    loss = run_sequence_loss("eager", logits, targets, weights,
                             average_across_timesteps=False,
                             average_across_batch=False,
                             sum_over_timesteps=True, sum_over_batch=True)

    np.testing.assert_allclose(loss, wce.sum() / 3, rtol=1e-12)


def test_softmax_loss_function_gets_flat_keyword_arguments():
    rng = np.random.default_rng(2)
    logits = rng.normal(size=(2, 3, 4))
    targets = rng.integers(0, 4, size=(2, 3)).astype(np.int32)
    weights = rng.uniform(size=(2, 3))
    seen = {}

    def doubled_cross_entropy(*, labels, logits):
        seen["labels"], seen["logits"] = labels.shape, logits.shape
        return 2 * tf.nn.sparse_softmax_cross_entropy_with_logits(
            labels=labels, logits=logits)

    loss = run_sequence_loss("eager", logits, targets, weights,
                             average_across_batch=False,
                             softmax_loss_function=doubled_cross_entropy)

    assert seen == {"labels": (6,), "logits": (6, 4)}
    np.testing.assert_allclose(
        loss, 2 * numpy_loss.sequence_loss(logits, targets, weights,
                                           average_across_batch=False),
        rtol=1e-12)


def test_accepts_python_weights_in_logits_dtype():
    logits = np.random.default_rng(3).normal(size=(1, 2, 3))
    loss = seq2seq.sequence_loss(logits, [[0, 2]], [[1, 0]])
    np.testing.assert_allclose(
        loss, numpy_loss.sequence_loss(logits, [[0, 2]], [[1, 0]]),
        rtol=1e-12)


@pytest.mark.parametrize("name, scope", [(None, "sequence_loss/"),
                                         ("decoder_loss", "decoder_loss/")])
def test_ops_live_in_the_name_scope(name, scope):
    with tf.Graph().as_default():
        loss = seq2seq.sequence_loss(tf.zeros([2, 3, 4]),
                                     tf.zeros([2, 3], tf.int32),
                                     tf.ones([2, 3]), name=name)
        assert loss.name.startswith(scope)
        assert loss.shape == ()


def test_gradient_flows_to_logits_in_a_v1_graph():
    with tf.Graph().as_default():
        logits = v1.get_variable("logits", initializer=tf.zeros([2, 3, 4]))
        loss = seq2seq.sequence_loss(logits, tf.zeros([2, 3], tf.int32),
                                     tf.ones([2, 3]))
        (gradient,) = tf.gradients(loss, [logits])
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            gradient = session.run(gradient)
    # d/dlogits of the mean cross-entropy at uniform logits: (1/C - onehot)/N.
    expected = np.full((2, 3, 4), 0.25 / 6)
    expected[..., 0] -= 1 / 6
    np.testing.assert_allclose(gradient, expected, rtol=1e-6)


# --- documented errors: each message names the offending argument ---------

LOGITS = np.zeros((2, 3, 4), np.float32)
TARGETS = np.zeros((2, 3), np.int32)
WEIGHTS = np.ones((2, 3), np.float32)


@pytest.mark.parametrize("flags", INVALID_FLAGS)
def test_conflicting_flags_raise_naming_them(flags):
    kwargs = dict(zip(FLAG_NAMES, flags))
    with pytest.raises(ValueError) as error:
        seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, **kwargs)
    named = [flag for flag in FLAG_NAMES if flag in str(error.value)]
    assert len(named) == 2 and all(kwargs[flag] for flag in named)


@pytest.mark.parametrize("flags", [
    # TF 1.15 silently ignored the sum_over_* flag in these two; we raise.
    dict(average_across_timesteps=True, average_across_batch=False,
         sum_over_batch=True),
    dict(average_across_timesteps=False, average_across_batch=True,
         sum_over_timesteps=True),
])
def test_ambiguous_order_combinations_raise(flags):
    with pytest.raises(ValueError, match="ambiguous order"):
        seq2seq.sequence_loss(LOGITS, TARGETS, WEIGHTS, **flags)


@pytest.mark.parametrize("error, argument, logits, targets, weights", [
    (ValueError, "Logits", LOGITS[0], TARGETS, WEIGHTS),
    (ValueError, "Targets", LOGITS, TARGETS[0], WEIGHTS),
    (ValueError, "Targets", LOGITS, LOGITS[..., None], WEIGHTS),
    (ValueError, "Weights", LOGITS, TARGETS, WEIGHTS[0]),
    (TypeError, "logits", LOGITS.astype(np.int32), TARGETS, WEIGHTS),
    (TypeError, "targets", LOGITS, TARGETS.astype(np.float32), WEIGHTS),
    (TypeError, "targets", LOGITS, np.zeros((2, 3, 4), np.float64), WEIGHTS),
    (TypeError, "weights", LOGITS, TARGETS, WEIGHTS.astype(np.float64)),
    (TypeError, "weights", LOGITS, TARGETS, WEIGHTS.astype(bool)),
    (ValueError, "targets", LOGITS, TARGETS[:, :2], WEIGHTS),
    (ValueError, "targets", LOGITS, np.zeros((2, 3, 5), np.float32), WEIGHTS),
    (ValueError, "weights", LOGITS, TARGETS, WEIGHTS[:1]),
    (ValueError, "weights", LOGITS, TARGETS, WEIGHTS.T),
])
def test_invalid_inputs_raise_naming_the_argument(error, argument, logits,
                                                  targets, weights):
    with pytest.raises(error, match=rf"\b{argument}\b"):
        seq2seq.sequence_loss(tf.constant(logits), tf.constant(targets),
                              tf.constant(weights))
