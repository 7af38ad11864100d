"""The reference for `compat.optimizers.TF1Adam` on TensorFlow: the
project's earlier TF1Adam, which ran TF1's own kernel (`ResourceApplyAdam`)
for dense gradients and TF1's sparse path in TensorFlow ops.
tests/labs/test_tf1_adam_labs.py holds today's `keras.ops` TF1Adam to it,
bit for bit, on every lab. What follows is that optimizer's documentation.

`TF1Adam`: `tf.compat.v1.train.AdamOptimizer`, step for step, in Keras 3.

For a variable of dtype T, step t (t = 1, 2, ...) computes, in T:

    alpha_t = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
    m      += (g - m) * (1 - beta_1)
    v      += (g * g - v) * (1 - beta_2)
    var    -= m * alpha_t / (sqrt(v) + epsilon)

where every hyperparameter is first rounded to float32 (TF1 turned the Python
floats into float32 tensors) and then cast to T, and `beta_1_power`,
`beta_2_power` are float32 accumulators that start at float32(beta) and are
multiplied by float32(beta) after every step, once all variables are updated.
Dense gradients go through the very kernel TF1 used (`ResourceApplyAdam`), so
the result is bit-identical to TF1 outside XLA. A sparse gradient
(`tf.IndexedSlices`, e.g. from an embedding lookup) follows TF1's sparse path:
duplicate indices are summed, then

    m = m * beta_1;  m[idx] += g * (1 - beta_1)
    v = v * beta_2;  v[idx] += (g * g) * (1 - beta_2)
    var -= alpha_t * m / (sqrt(v) + epsilon)

`keras.optimizers.Adam` is not this: it raises float32-rounded betas to the
power t in T but uses the exact `1 - beta` and epsilon, so in float64 its steps
differ from TF1's by about 7e-6 relative, and its default epsilon is 1e-7.
"""

import numbers

from compat.environment import require_keras

require_keras()

import keras  # noqa: E402
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

__all__ = ["TF1Adam"]


def _as_tf1_hyperparameter(value, dtype):
    """The Python float as TF1 saw it: a float32 tensor cast to `dtype`."""
    return tf.cast(tf.cast(value, tf.float32), dtype)


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
        super().__init__(learning_rate=learning_rate, name=name, **kwargs)
        self.beta_1 = float(beta_1)
        self.beta_2 = float(beta_2)
        self.epsilon = float(epsilon)

    def build(self, var_list):
        if self.built:
            return
        super().build(var_list)
        # One (m, v) pair per variable, in that order, as Keras' own Adam
        # creates them (newer Keras' `add_optimizer_variables`, which Keras
        # 3.3 to 3.8 lack, does the same).
        self._momentums, self._velocities = [], []
        for variable in var_list:
            self._momentums.append(
                self.add_variable_from_reference(variable, name="m"))
            self._velocities.append(
                self.add_variable_from_reference(variable, name="v"))
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
                power.assign(power * tf.constant(beta, tf.float32))

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        index = self._get_variable_index(variable)
        m = self._momentums[index]
        v = self._velocities[index]
        beta_1_power = tf.cast(self._beta_1_power.value, dtype)
        beta_2_power = tf.cast(self._beta_2_power.value, dtype)
        lr = _as_tf1_hyperparameter(learning_rate, dtype)
        beta_1 = _as_tf1_hyperparameter(self.beta_1, dtype)
        beta_2 = _as_tf1_hyperparameter(self.beta_2, dtype)
        epsilon = _as_tf1_hyperparameter(self.epsilon, dtype)
        if isinstance(gradient, tf.IndexedSlices):
            self._sparse_update(
                gradient, variable, m.value, v.value,
                beta_1_power, beta_2_power, lr, beta_1, beta_2, epsilon,
            )
            return
        tf.raw_ops.ResourceApplyAdam(
            var=_handle(variable),
            m=_handle(m),
            v=_handle(v),
            beta1_power=beta_1_power,
            beta2_power=beta_2_power,
            lr=lr,
            beta1=beta_1,
            beta2=beta_2,
            epsilon=epsilon,
            grad=tf.cast(gradient, dtype),
        )

    @staticmethod
    def _sparse_update(
        gradient, variable, m, v,
        beta_1_power, beta_2_power, lr, beta_1, beta_2, epsilon,
    ):
        """TF1 `AdamOptimizer._apply_sparse_shared`, same operation order."""
        dtype = variable.dtype
        indices, positions = tf.unique(gradient.indices)
        values = tf.math.unsorted_segment_sum(
            tf.cast(gradient.values, dtype), positions, tf.shape(indices)[0]
        )
        alpha = lr * tf.sqrt(1 - beta_2_power) / (1 - beta_1_power)
        m.assign(m * beta_1)
        m.scatter_add(tf.IndexedSlices(values * (1 - beta_1), indices))
        v.assign(v * beta_2)
        v.scatter_add(tf.IndexedSlices((values * values) * (1 - beta_2), indices))
        _plain(variable).assign_sub(alpha * m / (tf.sqrt(v) + epsilon))

    def get_config(self):
        config = super().get_config()
        config.update(
            {"beta_1": self.beta_1, "beta_2": self.beta_2, "epsilon": self.epsilon}
        )
        return config


def _is_real(value):
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _plain(variable):
    """The `tf.Variable` behind a Keras variable (or the variable itself)."""
    return variable.value if isinstance(variable, keras.Variable) else variable


def _handle(variable):
    return _plain(variable).handle
