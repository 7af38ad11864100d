"""The reference for `compat.optimizers.TF1Adam` on TensorFlow: the
project's earlier TF1Adam step, which ran TF1's own kernel
(`ResourceApplyAdam`) for dense gradients and TF1's sparse path in TensorFlow
ops. tests/labs/test_tf1_adam_labs.py holds today's `keras.ops` TF1Adam to it,
bit for bit, on every lab.

`KernelTF1Adam` takes its arguments and their checks from the optimizer
under test (they are not what is compared) and keeps its own state and step:
the slots, the float32 beta powers (`build`, `apply`) and the update
(`update_step`), so that a change to the tested optimizer's state or
arithmetic shows against an independent copy. Its math, for a variable of
dtype T at step t, in T, every hyperparameter rounded to float32 first:

    alpha_t = lr * sqrt(1 - beta_2_power) / (1 - beta_1_power)
    m      += (g - m) * (1 - beta_1)
    v      += (g * g - v) * (1 - beta_2)
    var    -= m * alpha_t / (sqrt(v) + epsilon)

and for an `IndexedSlices` gradient, duplicate indices summed:

    m = m * beta_1;  m[idx] += g * (1 - beta_1)
    v = v * beta_2;  v[idx] += (g * g) * (1 - beta_2)
    var -= alpha_t * m / (sqrt(v) + epsilon)
"""

import keras
import tensorflow as tf

from compat import optimizers

__all__ = ["KernelTF1Adam"]


def _as_tf1_hyperparameter(value, dtype):
    """The Python float as TF1 saw it: a float32 tensor cast to `dtype`."""
    return tf.cast(tf.cast(value, tf.float32), dtype)


class KernelTF1Adam(optimizers.TF1Adam):
    """`optimizers.TF1Adam`'s arguments; TF1's kernel for the step."""

    def build(self, var_list):
        if self.built:
            return
        keras.optimizers.Optimizer.build(self, var_list)
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
        keras.optimizers.Optimizer.apply(self, grads, trainable_variables)
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


def _plain(variable):
    """The `tf.Variable` behind a Keras variable (or the variable itself)."""
    return variable.value if isinstance(variable, keras.Variable) else variable


def _handle(variable):
    return _plain(variable).handle
