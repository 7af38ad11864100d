"""`TF1Adam`: `tf.compat.v1.train.AdamOptimizer`, step for step, in Keras 3.

For a variable of dtype T, step t (t = 1, 2, ...) computes, in T:

    alpha_t = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
    m      += (g - m) * (1 - beta_1)
    v      += (g * g - v) * (1 - beta_2)
    var    -= m * alpha_t / (sqrt(v) + epsilon)

where every hyperparameter is first rounded to float32 (TF1 turned the Python
floats into float32 tensors) and then cast to T, and `beta_1_power`,
`beta_2_power` are float32 accumulators that start at float32(beta) and are
multiplied by float32(beta) after every step, once all variables are updated
(kept in float64 they alone drift 2.7e-5 from TF1). That is the arithmetic,
in that order, of the kernel TF1 ran (`ApplyAdam`), so on TensorFlow outside
XLA the result is bit-identical to TF1.

An embedding table read by `tf.nn.embedding_lookup` got its gradient as
`tf.IndexedSlices`, and TF1 took its sparse path, whose rounding differs:
duplicate indices are summed, then

    m = m * beta_1;  m[idx] += g * (1 - beta_1)
    v = v * beta_2;  v[idx] += (g * g) * (1 - beta_2)
    var -= alpha_t * m / (sqrt(v) + epsilon)

Rows not looked up get g = 0, and `m * beta_1 + 0 * (1 - beta_1)` is exactly
`m * beta_1`, so the whole step is the dense formula

    m = m * beta_1 + g * (1 - beta_1);  v = v * beta_2 + (g * g) * (1 - beta_2)

on the summed dense gradient, bit for bit. It is taken for the variables
named in `sparse_variables` (on JAX and PyTorch every gradient arrives dense)
and for every gradient that arrives as `tf.IndexedSlices` on TensorFlow.
Written in `keras.ops` only: one implementation for every Keras backend.

`keras.optimizers.Adam` is not this: it raises float32-rounded betas to the
power t in T but uses the exact `1 - beta` and epsilon, so in float64 its steps
differ from TF1's by about 7e-6 relative, and its default epsilon is 1e-7.
"""

import numbers

from compat.environment import require_keras

require_keras()

import keras  # noqa: E402
import numpy as np  # noqa: E402
from keras import ops  # noqa: E402

__all__ = ["TF1Adam"]


def _as_tf1_hyperparameter(value, dtype):
    """The Python float as TF1 saw it: a float32 tensor cast to `dtype`."""
    return ops.cast(ops.cast(value, "float32"), dtype)


@keras.saving.register_keras_serializable(package="compat")
class TF1Adam(keras.optimizers.Optimizer):
    """Keras 3 optimizer reproducing `tf.compat.v1.train.AdamOptimizer`.

    Args:
        learning_rate: float > 0, a `keras.optimizers.schedules.
            LearningRateSchedule`, or a callable returning the rate. Its value
            is rounded to float32 at every step, as TF1 did with a Python float.
        beta_1: float in [0, 1). Decay rate of the first moment (TF1 `beta1`).
        beta_2: float in [0, 1). Decay rate of the second moment (TF1 `beta2`).
        epsilon: float >= 0. "Epsilon hat", added to sqrt(v); TF1's default
            1e-8, not Keras's 1e-7.
        sparse_variables: the variables (or their `path`s) that TF1 read
            with an embedding lookup, whose steps take TF1's sparse path
            (module docstring); e.g. a `keras.layers.Embedding`'s
            `embeddings`. On TensorFlow a `tf.IndexedSlices` gradient takes
            it anyway; JAX and PyTorch need the list.
        name: optimizer name. Other keyword arguments (`clipnorm`,
            `weight_decay`, `use_ema`, ...) are Keras extensions passed to
            `keras.optimizers.Optimizer`; TF1 had none of them.
            `gradient_accumulation_steps` is refused: an accumulated update
            would not advance the beta powers the way TF1 did.
    """

    def __init__(
        self,
        learning_rate=0.001,
        beta_1=0.9,
        beta_2=0.999,
        epsilon=1e-8,
        sparse_variables=(),
        name="TF1Adam",
        **kwargs,
    ):
        if isinstance(learning_rate, numbers.Real) and not isinstance(
            learning_rate, bool
        ):
            if not np.isfinite(learning_rate) or learning_rate <= 0:
                raise ValueError(
                    "`learning_rate` must be a finite float > 0. "
                    f"Received: learning_rate={learning_rate!r}"
                )
            learning_rate = float(learning_rate)
        elif not callable(learning_rate):
            raise TypeError(
                "`learning_rate` must be a float, a LearningRateSchedule or a "
                f"callable. Received: learning_rate={learning_rate!r}"
            )
        for arg_name, value in (("beta_1", beta_1), ("beta_2", beta_2)):
            if not _is_real(value) or not 0.0 <= value < 1.0:
                raise ValueError(
                    f"`{arg_name}` must be a float in [0, 1). "
                    f"Received: {arg_name}={value!r}"
                )
        if not _is_real(epsilon) or not 0.0 <= epsilon < np.inf:
            raise ValueError(
                "`epsilon` must be a finite float >= 0. "
                f"Received: epsilon={epsilon!r}"
            )
        if kwargs.get("gradient_accumulation_steps"):
            raise ValueError(
                "`gradient_accumulation_steps` is not supported by TF1Adam: "
                "tf.compat.v1.train.AdamOptimizer has no gradient accumulation. "
                "Received: gradient_accumulation_steps="
                f"{kwargs['gradient_accumulation_steps']!r}"
            )
        if isinstance(sparse_variables, (str, bytes)) or not isinstance(
            sparse_variables, (list, tuple, set, frozenset)
        ):
            raise TypeError(
                "`sparse_variables` must be a list of variables or variable "
                f"paths. Received: sparse_variables={sparse_variables!r}"
            )
        sparse_paths = []
        for variable in sparse_variables:
            path = variable if isinstance(variable, str) else getattr(
                variable, "path", None)
            if not isinstance(path, str):
                raise TypeError(
                    "`sparse_variables` must hold Keras variables or their "
                    f"paths. Received an element {variable!r}"
                )
            sparse_paths.append(path)
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)
        self.sparse_variables = tuple(sparse_paths)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        unknown = set(self.sparse_variables) - {v.path for v in var_list}
        if unknown:
            raise ValueError(
                "`sparse_variables` names variables this optimizer does not "
                f"train: {sorted(unknown)}. Trained: "
                f"{[v.path for v in var_list]}"
            )
        # One (m, v) pair per variable, in that order, as Keras' own Adam
        # creates them (newer Keras' `add_optimizer_variables`, which Keras
        # 3.3 to 3.8 lack, does the same).
        self._momentums, self._velocities = [], []
        for variable in var_list:
            self._momentums.append(
                self.add_variable_from_reference(variable, name="m"))
            self._velocities.append(
                self.add_variable_from_reference(variable, name="v"))
        self._sparse = [v.path in self.sparse_variables for v in var_list]
        # float32 whatever the model dtype, as TF1's non-slot variables were.
        self._beta_1_power, self._beta_2_power = (
            self.add_variable(
                shape=(),
                initializer=keras.initializers.Constant(beta),
                dtype="float32",
                aggregation="only_first_replica",
                name=name,
            )
            for name, beta in (
                ("beta_1_power", self.beta_1),
                ("beta_2_power", self.beta_2),
            )
        )

    def apply(self, grads, trainable_variables=None):
        grads = list(grads)
        super().apply(grads, trainable_variables)
        if grads:
            # TF1's `_finish`: once per step, after every variable's update.
            for power, beta in (
                (self._beta_1_power, self.beta_1),
                (self._beta_2_power, self.beta_2),
            ):
                self.assign(power, ops.multiply(power, np.float32(beta)))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        gradient, sparse = _dense_gradient(gradient)
        sparse = sparse or self._sparse[index]
        gradient = ops.cast(gradient, dtype)
        beta_1_power = ops.cast(self._beta_1_power, dtype)
        beta_2_power = ops.cast(self._beta_2_power, dtype)
        lr = _as_tf1_hyperparameter(learning_rate, dtype)
        beta_1 = _as_tf1_hyperparameter(self.beta_1, dtype)
        beta_2 = _as_tf1_hyperparameter(self.beta_2, dtype)
        epsilon = _as_tf1_hyperparameter(self.epsilon, dtype)
        alpha = lr * ops.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        if sparse:
            self.assign(m, m * beta_1 + gradient * (1 - beta_1))
            self.assign(v, v * beta_2 + (gradient * gradient) * (1 - beta_2))
            self.assign_sub(variable, alpha * m / (ops.sqrt(v) + epsilon))
        else:
            self.assign_add(m, (gradient - m) * (1 - beta_1))
            self.assign_add(v, (ops.square(gradient) - v) * (1 - beta_2))
            self.assign_sub(variable, m * alpha / (ops.sqrt(v) + epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon,
             "sparse_variables": list(self.sparse_variables)}
        )
        return config


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _dense_gradient(gradient):
    """`(dense gradient, came as tf.IndexedSlices)`.

    Densifying sums duplicate indices in their order, as TF1's sparse path
    did (`unsorted_segment_sum`), so the sums are the same bits."""
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        if isinstance(gradient, tf.IndexedSlices):
            return tf.convert_to_tensor(gradient), True
    return gradient, False
