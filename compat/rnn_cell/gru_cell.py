"""``GRUCell``: the TF1 gated recurrent unit (reset applied before the matmul).

    [r, u] = sigmoid([x, h] @ gates_kernel + gates_bias)     (r first, then u)
    c      = activation([x, r * h] @ candidate_kernel + candidate_bias)
    h'     = u * h + (1 - u) * c                             output = h'

This is Keras's ``GRU(reset_after=False)`` convention, not Keras 3's default.
Variables, in creation order: ``gates/kernel`` ``[input_depth + num_units,
2 * num_units]``, ``gates/bias`` ``[2 * num_units]`` (ones),
``candidate/kernel`` ``[input_depth + num_units, num_units]``,
``candidate/bias`` ``[num_units]`` (zeros). ``kernel_initializer`` defaults to
the scope initializer, else glorot uniform; ``bias_initializer``, if given,
replaces both bias constants.
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_num_units, get_activation, get_initializer


class GRUCell(RNNCell):
    """Gated Recurrent Unit cell (Cho et al., 2014).

    Args:
      num_units: int, the number of units in the GRU cell.
      activation: nonlinearity of the candidate; default ``tf.tanh``.
      reuse: see ``RNNCell``.
      kernel_initializer: optional initializer of both kernels.
      bias_initializer: optional initializer of both biases (default: gates
        1.0, candidate 0.0).
      name, dtype: see ``RNNCell``.
    """

    _layer_like = True

    def __init__(
        self,
        num_units,
        activation=None,
        reuse=None,
        kernel_initializer=None,
        bias_initializer=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._activation = get_activation(activation)
        self._kernel_initializer = get_initializer(kernel_initializer, "kernel_initializer")
        self._bias_initializer = get_initializer(bias_initializer, "bias_initializer")

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def _bias_or(self, constant):
        if self._bias_initializer is not None:
            return self._bias_initializer
        return tf.compat.v1.constant_initializer(constant)

    def build(self, input_depth):
        depth = input_depth + self._num_units
        self._gate_kernel = self.add_variable(
            "gates/kernel", [depth, 2 * self._num_units], initializer=self._kernel_initializer
        )
        self._gate_bias = self.add_variable("gates/bias", [2 * self._num_units], initializer=self._bias_or(1.0))
        self._candidate_kernel = self.add_variable(
            "candidate/kernel", [depth, self._num_units], initializer=self._kernel_initializer
        )
        self._candidate_bias = self.add_variable(
            "candidate/bias", [self._num_units], initializer=self._bias_or(0.0)
        )

    def call(self, inputs, state):
        gate_inputs = tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel), self._gate_bias)
        r, u = tf.split(tf.sigmoid(gate_inputs), num_or_size_splits=2, axis=1)
        candidate = tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, r * state], 1), self._candidate_kernel), self._candidate_bias
        )
        c = self._activation(candidate)
        new_h = u * state + (1 - u) * c
        return new_h, new_h
