"""``BasicRNNCell``: the plain (Elman) recurrent cell of TF1.

    h' = activation([x, h] @ kernel + bias)        output = new state = h'

Variables (in the cell's scope, e.g. ``rnn/basic_rnn_cell/``):
``kernel`` ``[input_depth + num_units, num_units]`` (scope initializer or
glorot uniform) and ``bias`` ``[num_units]`` (zeros).
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_num_units, get_activation


class BasicRNNCell(RNNCell):
    """The most basic RNN cell.

    Args:
      num_units: int, the number of units (the state and output size).
      activation: nonlinearity; default ``tf.tanh``.
      reuse, name, dtype: see ``RNNCell``.
    """

    _layer_like = True

    def __init__(self, num_units, activation=None, reuse=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._activation = get_activation(activation)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_depth):
        self._kernel = self.add_variable("kernel", [input_depth + self._num_units, self._num_units])
        self._bias = self.add_variable(
            "bias", [self._num_units], initializer=tf.compat.v1.zeros_initializer()
        )

    def call(self, inputs, state):
        gate_inputs = tf.matmul(tf.concat([inputs, state], 1), self._kernel)
        output = self._activation(tf.nn.bias_add(gate_inputs, self._bias))
        return output, output
