"""``tf.contrib.layers``' initializers, regularizers, ``linear`` and ``embed_sequence``.

Held to the math in TF 1.15's ``contrib/layers`` docstrings (stated in the
modules of ``compat.layers``), and where TensorFlow 2 still has the same op
(Glorot uniform), to it bit for bit.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import math  # noqa: E402

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from compat.contrib import layers  # noqa: E402

v1 = tf.compat.v1


def evaluate(build):
    with tf.Graph().as_default():
        v1.set_random_seed(4)
        fetches = build()
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            return session.run(fetches)


def test_xavier_uniform_is_glorot_uniform_bit_for_bit():
    ours = evaluate(lambda: layers.xavier_initializer(seed=3)([30, 20]))
    core = evaluate(lambda: v1.glorot_uniform_initializer(seed=3)([30, 20]))
    np.testing.assert_array_equal(ours, core)


@pytest.mark.parametrize("mode, n", [("FAN_IN", 3 * 40), ("FAN_OUT", 3 * 50), ("FAN_AVG", 3 * 45)])
@pytest.mark.parametrize("uniform", [True, False])
def test_variance_scaling_bounds_follow_the_fans(mode, n, uniform):
    """Shape [3, 40, 50]: the leading 3 multiplies both fans."""
    factor = 2.0
    values = evaluate(lambda: layers.variance_scaling_initializer(factor, mode, uniform, seed=1)(
        [3, 40, 50], dtype=tf.float64))
    if uniform:
        limit = math.sqrt(3.0 * factor / n)
        assert np.abs(values).max() <= limit
        assert np.abs(values).max() > 0.99 * limit
        assert values.std() == pytest.approx(math.sqrt(factor / n), rel=0.03)
    else:
        stddev = math.sqrt(1.3 * factor / n)
        assert np.abs(values).max() <= 2 * stddev  # truncated at two standard deviations
        # a normal truncated at 2 sigma has 0.8796 sigma: factor / n, as the docstring promises
        assert values.std() == pytest.approx(math.sqrt(factor / n), rel=0.03)


def test_variance_scaling_rejects_bad_arguments():
    with pytest.raises(TypeError, match="Unknown `mode` 'fan_in'"):
        layers.variance_scaling_initializer(mode="fan_in")
    with pytest.raises(TypeError, match="non-floating point type: `dtype` is int32"):
        layers.xavier_initializer(dtype=tf.int32)
    with pytest.raises(ValueError, match="`factor` must be a non-negative number"):
        layers.variance_scaling_initializer(factor=-1.0)
    with pytest.raises(TypeError, match="`seed` must be None or an integer"):
        layers.xavier_initializer(seed="1")


def test_l2_regularizer_and_apply_regularization():
    weights = [np.arange(6.0).reshape(2, 3), np.array([1.0, -2.0])]

    def build():
        variables = [v1.get_variable(f"w{i}", initializer=w) for i, w in enumerate(weights)]
        penalty = layers.apply_regularization(layers.l2_regularizer(0.5), variables)
        assert v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES) == [penalty]
        return penalty

    assert evaluate(build) == pytest.approx(0.5 * sum((w ** 2).sum() / 2 for w in weights))
    assert layers.l2_regularizer(0.0)(tf.ones([2])) is None
    with pytest.raises(ValueError, match="`scale` cannot be an integer"):
        layers.l2_regularizer(1)
    with pytest.raises(ValueError, match="less than 0"):
        layers.l2_regularizer(-0.1)
    with tf.Graph().as_default(), pytest.raises(ValueError, match="No weights to regularize"):
        layers.apply_regularization(layers.l2_regularizer(0.1))


def test_linear_is_fully_connected_without_activation():
    inputs = np.array([[-3.0, 1.0], [2.0, -5.0]])

    def build():
        outputs = layers.linear(tf.constant(inputs), 3, weights_initializer=v1.ones_initializer())
        assert [v.name for v in v1.global_variables()] == ["fully_connected/weights:0",
                                                          "fully_connected/biases:0"]
        return outputs

    np.testing.assert_array_equal(evaluate(build), inputs.sum(1, keepdims=True).repeat(3, 1))


@pytest.mark.parametrize("unique", [False, True])
def test_embed_sequence_looks_ids_up_and_reuses_its_variable(unique):
    ids = np.array([[1, 3, 1], [0, 3, 2]])
    table = np.arange(12.0).reshape(4, 3)

    def build():
        embedded = layers.embed_sequence(tf.constant(ids), 4, 3, unique=unique,
                                         initializer=v1.constant_initializer(table))
        again = layers.embed_sequence(tf.constant(ids[:, :1]), scope="EmbedSequence", reuse=True)
        assert [v.name for v in v1.global_variables()] == ["EmbedSequence/embeddings:0"]
        assert v1.get_collection(v1.GraphKeys.MODEL_VARIABLES)[0].name == "EmbedSequence/embeddings:0"
        assert embedded.shape.as_list() == [2, 3, 3]
        return embedded, again

    embedded, again = evaluate(build)
    np.testing.assert_array_equal(embedded, table[ids])
    np.testing.assert_array_equal(again, table[ids[:, :1]])


def test_embed_sequence_checks_its_arguments():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Must specify vocab size and embedding dimension"):
            layers.embed_sequence(tf.constant([[1]]), vocab_size=4)
        with pytest.raises(TypeError, match="`ids` must be int32 or int64"):
            layers.embed_sequence(tf.constant([[1.0]]), 4, 2)
