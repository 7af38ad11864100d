"""TF1Adam against the genuine `tf.compat.v1.train.AdamOptimizer`."""

import functools
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

if int(keras.__version__.split(".")[0]) < 3:
    pytest.skip(
        f"TF1Adam is a Keras 3 optimizer; TensorFlow {tf.__version__} comes "
        f"with Keras {keras.__version__}",
        allow_module_level=True,
    )

from compat.optimizers import TF1Adam  # noqa: E402

SHAPES = [(7,), (16,), (5, 12), (3, 3, 3)]  # odd sizes and SIMD-packet multiples
STEPS = 25


def _problem(dtype, seed, steps=STEPS, shapes=SHAPES):
    """Initial values and per-step gradients spanning several magnitudes."""
    rng = np.random.default_rng(seed)
    initial = [rng.normal(size=shape).astype(dtype) for shape in shapes]
    gradients = [
        [
            (rng.normal(size=shape) * 10.0 ** rng.integers(-5, 3)).astype(dtype)
            for shape in shapes
        ]
        for _ in range(steps)
    ]
    return initial, gradients


def _tf1_trajectory(initial, gradients, use_resource=True, sparse=False, **hyper):
    """Variable values after every step of the genuine TF1 optimizer.

    With `sparse=True`, each step's gradients are `(values, indices)` pairs fed
    as `tf.IndexedSlices`, as an embedding lookup would produce.
    """
    with tf.Graph().as_default():
        variables = [
            tf.compat.v1.get_variable(
                f"var_{k}", initializer=value, use_resource=use_resource
            )
            for k, value in enumerate(initial)
        ]
        feeds, grads = [], []
        for value in initial:
            if sparse:
                values = tf.compat.v1.placeholder(value.dtype, (None,) + value.shape[1:])
                indices = tf.compat.v1.placeholder(tf.int32, (None,))
                feeds.append((values, indices))
                grads.append(tf.IndexedSlices(values, indices, tf.constant(value.shape)))
            else:
                feeds.append(tf.compat.v1.placeholder(value.dtype, value.shape))
                grads.append(feeds[-1])
        train = tf.compat.v1.train.AdamOptimizer(**hyper).apply_gradients(
            list(zip(grads, variables))
        )
        trajectory = []
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            for step_gradients in gradients:
                feed = {}
                for placeholder, gradient in zip(feeds, step_gradients):
                    if sparse:
                        feed.update(zip(placeholder, gradient))
                    else:
                        feed[placeholder] = gradient
                session.run(train, feed)
                trajectory.append(session.run(variables))
    return trajectory


def _keras_trajectory(optimizer, initial, gradients, jit_compile=False, sparse=False):
    variables = [keras.Variable(value, dtype=value.dtype) for value in initial]
    # Slots created eagerly, as Keras does before it compiles a train step
    # (created while tracing, they take most of this function's time).
    optimizer.build(variables)

    @tf.function(jit_compile=jit_compile)
    def step(grads):
        optimizer.apply(grads, variables)

    trajectory = []
    for step_gradients in gradients:
        if sparse:
            step_gradients = [
                tf.IndexedSlices(
                    tf.constant(values), tf.constant(indices), tf.constant(value.shape)
                )
                for (values, indices), value in zip(step_gradients, initial)
            ]
        step(step_gradients)
        trajectory.append([variable.numpy() for variable in variables])
    return trajectory


@functools.lru_cache(maxsize=None)  # one run serves both TF1 variable kinds
def _tf1adam_trajectory(dtype, seed):
    return _keras_trajectory(TF1Adam(), *_problem(dtype, seed))


@pytest.mark.parametrize("use_resource", [True, False], ids=["resource", "ref"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("seed", [0, 1])
def test_bit_identical_to_tf1(dtype, use_resource, seed):
    initial, gradients = _problem(dtype, seed)
    expected = _tf1_trajectory(initial, gradients, use_resource=use_resource)
    actual = _tf1adam_trajectory(dtype, seed)
    for step, (want, got) in enumerate(zip(expected, actual), start=1):
        for want_var, got_var in zip(want, got):
            assert got_var.dtype == want_var.dtype
            np.testing.assert_array_equal(got_var, want_var, err_msg=f"step {step}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_bit_identical_with_other_hyperparameters(dtype):
    hyper = dict(learning_rate=0.0123, beta_1=0.7, beta_2=0.95, epsilon=1e-3)
    initial, gradients = _problem(dtype, seed=2)
    expected = _tf1_trajectory(
        initial, gradients, learning_rate=0.0123, beta1=0.7, beta2=0.95, epsilon=1e-3
    )
    actual = _keras_trajectory(TF1Adam(**hyper), initial, gradients)
    for want, got in zip(expected, actual):
        for want_var, got_var in zip(want, got):
            np.testing.assert_array_equal(got_var, want_var)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_sparse_gradients_follow_tf1_sparse_path(dtype):
    shapes = [(6, 4), (9,)]
    initial, dense = _problem(dtype, seed=3, steps=12, shapes=shapes)
    rng = np.random.default_rng(4)
    gradients = []
    for step_dense in dense:
        step = []
        for value in step_dense:
            # Repeated indices: TF1 sums them before the update.
            indices = rng.integers(0, value.shape[0], size=5).astype(np.int32)
            step.append((value[indices], indices))
        gradients.append(step)
    expected = _tf1_trajectory(initial, gradients, sparse=True)
    actual = _keras_trajectory(TF1Adam(), initial, gradients, sparse=True)
    for want, got in zip(expected, actual):
        for want_var, got_var in zip(want, got):
            np.testing.assert_array_equal(got_var, want_var)


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_close_to_tf1_under_xla(dtype):
    # XLA compiles its own ApplyAdam, whose last bits may differ from the
    # CPU kernel's; the trajectory must stay within a few ulp.
    initial, gradients = _problem(dtype, seed=5)
    expected = _tf1_trajectory(initial, gradients)
    actual = _keras_trajectory(TF1Adam(), initial, gradients, jit_compile=True)
    for want, got in zip(expected, actual):
        for want_var, got_var in zip(want, got):
            np.testing.assert_array_max_ulp(got_var, want_var, maxulp=8)


def _tf1_regression_trajectory(dtype, features, targets, kernel, bias, steps):
    with tf.Graph().as_default():
        w = tf.compat.v1.get_variable("w", initializer=kernel)
        b = tf.compat.v1.get_variable("b", initializer=bias)
        prediction = tf.tanh(tf.matmul(tf.constant(features), w) + b)
        loss = tf.reduce_mean(tf.square(prediction - targets))
        train = tf.compat.v1.train.AdamOptimizer(learning_rate=0.05).minimize(loss)
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            for _ in range(steps):
                session.run(train)
            return session.run([w, b])


@pytest.mark.parametrize("jit_compile", [False, True], ids=["graph", "xla"])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_model_fit_tracks_tf1(dtype, jit_compile):
    """Integration: `model.fit` with TF1Adam follows TF1's training run."""
    rng = np.random.default_rng(6)
    features = rng.normal(size=(32, 5)).astype(dtype)
    targets = np.tanh(features @ rng.normal(size=(5, 3))).astype(dtype)
    kernel = rng.normal(size=(5, 3)).astype(dtype) * 0.3
    bias = np.zeros(3, dtype)
    steps = 30
    want_kernel, want_bias = _tf1_regression_trajectory(
        dtype, features, targets, kernel, bias, steps
    )

    floatx = keras.config.floatx()
    keras.config.set_floatx(dtype)  # fit's compiled loss is computed in floatx
    try:
        got_kernel, got_bias = _keras_regression_fit(
            features, targets, kernel, bias, steps, jit_compile
        )
    finally:
        keras.config.set_floatx(floatx)
    # The two frameworks round the loss gradient differently in the last bit,
    # so this is a tolerance check; bitwise equality is tested above.
    tolerance = 100 * np.finfo(dtype).eps
    if jit_compile:
        # On TF 2.16 and 2.17 (tox matrix, Keras 3.15) XLA's compiled fit step
        # lands 1.6e-7 relative from TF1 in float64: float32-level rounding in
        # XLA's loss and gradient, not in the optimizer, which stays within a
        # few ulp of TF1 under XLA there (test_close_to_tf1_under_xla).
        tolerance = max(tolerance, 1e-6)
    np.testing.assert_allclose(got_kernel, want_kernel, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(got_bias, want_bias, rtol=tolerance, atol=tolerance)


def _keras_regression_fit(features, targets, kernel, bias, steps, jit_compile):
    dtype = features.dtype
    model = keras.Sequential(
        [keras.Input((5,), dtype=dtype), keras.layers.Dense(3, "tanh", dtype=dtype)]
    )
    model.layers[0].set_weights([kernel, bias])
    model.compile(
        optimizer=TF1Adam(learning_rate=0.05),
        loss="mse",
        jit_compile=jit_compile,
    )
    # One epoch of `steps` batches, each the whole data set: the same steps
    # as `steps` epochs of one batch, without the per-epoch overhead.
    model.fit(
        np.tile(features, (steps, 1)), np.tile(targets, (steps, 1)),
        batch_size=len(features), epochs=1, shuffle=False, verbose=0,
    )
    return model.layers[0].get_weights()


def test_stock_keras_adam_differs_in_float64():
    """Why TF1Adam exists: Keras's Adam with TF1's epsilon is not TF1's Adam.

    Keras rounds the betas to float32 only inside the bias correction, so its
    step is off by the factor sqrt((1 - beta_2) / (1 - float32(beta_2))) in
    sqrt(v) against TF1's consistently rounded step.
    """
    initial, gradients = _problem("float64", seed=7, steps=1)
    start = initial
    expected = _tf1_trajectory(initial, gradients)[0]
    ours = _keras_trajectory(TF1Adam(), initial, gradients)[0]
    stock = _keras_trajectory(keras.optimizers.Adam(epsilon=1e-8), initial, gradients)[0]

    def relative_step_error(result):
        return max(
            np.max(np.abs((r - s) - (e - s)) / np.abs(e - s))
            for r, e, s in zip(result, expected, start)
        )

    beta_2 = 0.999
    predicted = abs(np.sqrt((1 - beta_2) / (1 - float(np.float32(beta_2)))) - 1)
    assert relative_step_error(ours) == 0.0
    assert relative_step_error(stock) > predicted / 2


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        (dict(learning_rate=0.0), "learning_rate"),
        (dict(learning_rate=-1e-3), "learning_rate"),
        (dict(learning_rate=float("nan")), "learning_rate"),
        (dict(learning_rate="fast"), "learning_rate"),
        (dict(beta_1=1.0), "beta_1"),
        (dict(beta_1=-0.1), "beta_1"),
        (dict(beta_2=1.5), "beta_2"),
        (dict(beta_2=None), "beta_2"),
        (dict(epsilon=-1e-8), "epsilon"),
        (dict(epsilon=float("inf")), "epsilon"),
        (dict(gradient_accumulation_steps=2), "gradient_accumulation_steps"),
    ],
)
def test_rejects_invalid_arguments(kwargs, argument):
    with pytest.raises((ValueError, TypeError), match=f"`{argument}`"):
        TF1Adam(**kwargs)


def test_accepts_boundary_values_and_integers():
    optimizer = TF1Adam(learning_rate=1, beta_1=0.0, beta_2=0, epsilon=0)
    assert optimizer.get_config()["learning_rate"] == 1.0
    assert (optimizer.beta_1, optimizer.beta_2, optimizer.epsilon) == (0.0, 0.0, 0.0)


def test_config_round_trip():
    optimizer = TF1Adam(
        learning_rate=0.02, beta_1=0.8, beta_2=0.99, epsilon=1e-6, clipnorm=1.0
    )
    config = optimizer.get_config()
    clone = TF1Adam.from_config(config)
    assert clone.get_config() == config
    revived = keras.optimizers.deserialize(keras.optimizers.serialize(optimizer))
    assert isinstance(revived, TF1Adam)
    assert revived.get_config() == config
