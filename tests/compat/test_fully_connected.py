"""`compat.contrib.layers.fully_connected`: math, TF1 names, seeds, errors."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import tensorflow as tf
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from compat.contrib import layers
from tests.reference import numpy_loss

v1 = tf.compat.v1

TOLERANCE = {np.float32: 1e-6, np.float64: 1e-12}
DEFAULT = object()  # "leave the argument out"
ACTIVATIONS = {  # name: (activation_fn, numpy activation)
    "default": (DEFAULT, numpy_loss.relu),
    "linear": (None, None),
    "tanh": (tf.tanh, np.tanh),
}


def global_variable_names():
    return [variable.op.name for variable in v1.global_variables()]


def run_layer(inputs, num_outputs, seed=0, **kwargs):
    """Builds one layer in a fresh v1 graph; returns (output, {name: value})."""
    kwargs = {key: value for key, value in kwargs.items()
              if value is not DEFAULT}
    with tf.Graph().as_default():
        v1.set_random_seed(seed)
        outputs = layers.fully_connected(tf.constant(inputs), num_outputs,
                                         **kwargs)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            outputs, variables = session.run(
                (outputs, {v.op.name: v for v in v1.global_variables()}))
    return outputs, variables


@given(dtype=st.sampled_from([np.float32, np.float64]),  # examples: the profile's
       leading_shape=st.lists(st.integers(1, 4), min_size=1, max_size=2),
       num_inputs=st.integers(1, 5),
       num_outputs=st.integers(1, 5),
       random_biases=st.booleans(),
       data=st.data())
def test_matches_numpy_reference_for_every_activation(
        dtype, leading_shape, num_inputs, num_outputs, random_biases, data):
    inputs = data.draw(hnp.arrays(
        dtype, leading_shape + [num_inputs],
        elements=st.floats(-3, 3, width=np.finfo(dtype).bits)))
    biases = ({"biases_initializer": v1.random_normal_initializer()}
              if random_biases else {})
    with tf.Graph().as_default():  # one layer per activation, one run
        outputs = {}
        for name, (activation_fn, _) in ACTIVATIONS.items():
            activation = ({} if activation_fn is DEFAULT
                          else {"activation_fn": activation_fn})
            outputs[name] = layers.fully_connected(
                tf.constant(inputs), num_outputs, scope=name, **biases,
                **activation)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            outputs, variables = session.run(
                (outputs, {v.op.name: v for v in v1.global_variables()}))

    for name, (_, numpy_activation) in ACTIVATIONS.items():
        expected = numpy_loss.fully_connected(
            inputs, variables[f"{name}/weights"], variables[f"{name}/biases"],
            activation=numpy_activation)
        assert outputs[name].dtype == dtype
        assert outputs[name].shape == tuple(leading_shape) + (num_outputs,)
        np.testing.assert_allclose(outputs[name], expected, rtol=TOLERANCE[dtype],
                                   atol=TOLERANCE[dtype], err_msg=name)


def test_default_activation_is_relu():
    inputs = np.random.default_rng(0).normal(size=(8, 6))
    outputs, variables = run_layer(inputs, 7)
    pre_activation = inputs @ variables["fully_connected/weights"]
    assert (pre_activation < 0).any()
    np.testing.assert_allclose(outputs, np.maximum(pre_activation, 0),
                               rtol=1e-12, atol=1e-12)


def test_default_initializers_are_glorot_uniform_and_zeros():
    fan_in, fan_out = 300, 200
    _, variables = run_layer(np.zeros((1, fan_in)), fan_out)
    weights = variables["fully_connected/weights"]
    limit = np.sqrt(6 / (fan_in + fan_out))
    assert np.abs(weights).max() <= limit
    # Uniform on [-limit, limit]: variance limit**2 / 3; 60000 draws.
    np.testing.assert_allclose(weights.var(), limit**2 / 3, rtol=0.03)
    assert np.abs(weights).max() > 0.99 * limit
    np.testing.assert_array_equal(variables["fully_connected/biases"],
                                  np.zeros(fan_out))


def test_higher_rank_inputs_are_contracted_not_flattened():
    with tf.Graph().as_default():
        inputs = v1.placeholder(tf.float32, [None, None, 3])
        outputs = layers.fully_connected(inputs, 5)
        assert outputs.shape.as_list() == [None, None, 5]
        assert v1.global_variables()[0].shape == (3, 5)


# --- names, scopes, reuse, collections -------------------------------------

def test_variable_names_follow_tf1():
    with tf.Graph().as_default():
        inputs = tf.zeros([2, 3])
        layers.fully_connected(inputs, 4)
        layers.fully_connected(inputs, 4)
        with v1.variable_scope("out"):
            layers.fully_connected(inputs, 4)
        layers.fully_connected(inputs, 4, scope="named")
        assert global_variable_names() == [
            "fully_connected/weights", "fully_connected/biases",
            "fully_connected_1/weights", "fully_connected_1/biases",
            "out/fully_connected/weights", "out/fully_connected/biases",
            "named/weights", "named/biases"]


def test_weights_are_created_before_biases():
    with tf.Graph().as_default():
        layers.fully_connected(tf.zeros([2, 3]), 4)
        assert [v.op.name for v in v1.global_variables()] == [
            "fully_connected/weights", "fully_connected/biases"]


def test_reuse_with_scope_shares_variables():
    with tf.Graph().as_default():
        inputs = tf.random.normal([2, 3])
        first = layers.fully_connected(inputs, 4, scope="shared")
        second = layers.fully_connected(inputs, 4, scope="shared", reuse=True)
        assert global_variable_names() == ["shared/weights", "shared/biases"]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            first, second = session.run((first, second))
        np.testing.assert_array_equal(first, second)


def test_reuse_true_without_scope_raises_the_tf1_message():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="reuse=True cannot be used "
                                             "without a name_or_scope"):
            layers.fully_connected(tf.zeros([2, 3]), 4, reuse=True)


def test_reentering_a_named_scope_without_reuse_raises():
    with tf.Graph().as_default():
        inputs = tf.zeros([2, 3])
        with v1.variable_scope("out"):
            layers.fully_connected(inputs, 4)
        with v1.variable_scope("out"):
            with pytest.raises(ValueError, match="out/fully_connected/weights "
                                                 "already exists"):
                layers.fully_connected(inputs, 4)
        with v1.variable_scope("out", reuse=True):
            layers.fully_connected(inputs, 4)
        assert len(v1.global_variables()) == 2


def test_collections():
    with tf.Graph().as_default():
        inputs = tf.zeros([2, 3])
        outputs = layers.fully_connected(
            inputs, 4, scope="fc", outputs_collections=["outputs"],
            variables_collections={"weights": ["kernels"]})
        layers.fully_connected(inputs, 4, scope="frozen", trainable=False,
                               variables_collections=["extra"])

        def names(key):
            return [v.op.name for v in v1.get_collection(key)]

        everything = ["fc/weights", "fc/biases",
                      "frozen/weights", "frozen/biases"]
        assert names(v1.GraphKeys.GLOBAL_VARIABLES) == everything
        assert names(v1.GraphKeys.MODEL_VARIABLES) == everything
        assert names(v1.GraphKeys.TRAINABLE_VARIABLES) == everything[:2]
        assert names("kernels") == ["fc/weights"]
        assert names("extra") == ["frozen/weights", "frozen/biases"]
        assert v1.get_collection("outputs") == [outputs]
        assert outputs.aliases == ["fc"]


def test_no_biases_without_initializer_or_with_normalizer():
    inputs = np.random.default_rng(1).normal(size=(4, 3))
    outputs, variables = run_layer(inputs, 2, biases_initializer=None,
                                   activation_fn=None)
    assert sorted(variables) == ["fully_connected/weights"]
    np.testing.assert_allclose(
        outputs, inputs @ variables["fully_connected/weights"], rtol=1e-12)

    def scale(x, factor):
        return x * factor

    outputs, variables = run_layer(inputs, 2, normalizer_fn=scale,
                                   normalizer_params={"factor": -3.0})
    assert sorted(variables) == ["fully_connected/weights"]
    np.testing.assert_allclose(
        outputs,
        np.maximum(-3.0 * (inputs @ variables["fully_connected/weights"]), 0),
        rtol=1e-12)


def test_regularizers_add_regularization_losses():
    with tf.Graph().as_default():
        layers.fully_connected(
            tf.zeros([2, 3]), 4,
            weights_regularizer=lambda w: tf.reduce_sum(tf.square(w)),
            biases_initializer=v1.ones_initializer(),
            biases_regularizer=lambda b: 0.5 * tf.reduce_sum(b))
        losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        weights = v1.global_variables()[0]
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            losses, weights = session.run((losses, weights))
    np.testing.assert_allclose(losses, [np.square(weights).sum(), 2.0],
                               rtol=1e-6)


# --- initial values: the same numbers as the genuine Dense under a seed -----

def legacy_dense():
    """`tf.compat.v1.layers.Dense`, which genuine contrib fully_connected
    wrapped; absent on Keras 3 (TF >= 2.16 without tf-keras)."""
    try:
        return tf.compat.v1.layers.Dense
    except (AttributeError, ImportError):
        return None


@pytest.mark.skipif(
    legacy_dense() is None,
    reason="tf.compat.v1.layers.Dense is not available with Keras 3 "
           "(TF >= 2.16 without tf-keras); runs on TF 2.15 or with "
           "TF_USE_LEGACY_KERAS=1 and tf-keras")
@pytest.mark.parametrize("dtype", [tf.float32, tf.float64])
@pytest.mark.parametrize("input_shape", [[2, 3], [2, 4, 3]])
def test_initial_values_and_outputs_equal_legacy_dense(dtype, input_shape):
    """Genuine contrib built `Dense(name=scope)` with a Xavier (= v1 Glorot
    uniform) kernel and zero bias, kernel created first."""

    def build(layer):
        with tf.Graph().as_default():
            v1.set_random_seed(777)
            inputs = tf.random.normal(input_shape, dtype=dtype)
            hidden = layer(inputs, 5, tf.nn.relu, "fully_connected")
            with v1.variable_scope("out"):
                outputs = layer(hidden, 2, None, "fully_connected")
            with v1.Session() as session:
                session.run(v1.global_variables_initializer())
                return session.run((v1.global_variables(), outputs))

    def genuine(inputs, units, activation, name):
        return legacy_dense()(
            units, activation=activation,
            kernel_initializer=v1.glorot_uniform_initializer(),
            bias_initializer=v1.zeros_initializer(), name=name)(inputs)

    def ours(inputs, units, activation, name):
        return layers.fully_connected(inputs, units, activation_fn=activation)

    (genuine_variables, genuine_outputs) = build(genuine)
    (our_variables, our_outputs) = build(ours)
    assert len(our_variables) == len(genuine_variables) == 4
    for ours_value, genuine_value in zip(our_variables, genuine_variables):
        np.testing.assert_array_equal(ours_value, genuine_value)
    np.testing.assert_array_equal(our_outputs, genuine_outputs)


# --- documented errors: each message names the offending argument ---------

@pytest.mark.parametrize("num_outputs", [4.0, np.int64(4), "4", True, None])
def test_num_outputs_must_be_a_python_int(num_outputs):
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="num_outputs"):
            layers.fully_connected(tf.zeros([2, 3]), num_outputs)


@pytest.mark.parametrize("error, inputs", [
    (ValueError, lambda: tf.zeros([3])),
    (ValueError, lambda: v1.placeholder(tf.float32, [2, None])),
    (ValueError, lambda: v1.placeholder(tf.float32, None)),
    (TypeError, lambda: tf.zeros([2, 3], tf.int32)),
])
def test_invalid_inputs_raise_naming_inputs(error, inputs):
    with tf.Graph().as_default():
        with pytest.raises(error, match=r"\binputs\b"):
            layers.fully_connected(inputs(), 4)


# --- in TF1 behaviour, as the course scripts run (in the fresh process) -----

def test_graph_built_in_tf1_behaviour(fresh_process):
    built = fresh_process["fully_connected_and_sequence_loss"]
    assert built["names"] == ["fully_connected/weights",
                              "fully_connected/biases"]
    assert built["variable_classes"] == ["RefVariable", "RefVariable"]
    expected_logits = numpy_loss.fully_connected(
        np.array(built["inputs"]), built["weights"], built["biases"])
    np.testing.assert_allclose(built["logits"], expected_logits, rtol=1e-12,
                               atol=1e-12)
    np.testing.assert_allclose(
        built["loss"],
        numpy_loss.sequence_loss(expected_logits, built["targets"],
                                 np.ones((2, 2))),
        rtol=1e-12)
