"""``BasicLSTMCell``: the TF1 baseline LSTM (no peepholes, clipping or projection).

With ``[i, j, f, o] = split([x, h] @ kernel + bias, 4, axis=1)`` (input gate,
candidate, forget gate, output gate, in that column order):

    c' = c * sigmoid(f + forget_bias) + sigmoid(i) * activation(j)
    h' = activation(c') * sigmoid(o)              output = h'

The state is ``LSTMStateTuple(c, h)``, or ``concat([c, h], 1)`` when
``state_is_tuple=False``. Variables: ``kernel``
``[input_depth + num_units, 4 * num_units]`` (scope initializer or glorot
uniform) and ``bias`` ``[4 * num_units]`` (zeros: ``forget_bias`` is added at
run time, not stored).
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_num_units, check_number, get_activation
from compat.rnn_cell.state import LSTMStateTuple


class BasicLSTMCell(RNNCell):
    """Basic LSTM recurrent network cell.

    Args:
      num_units: int, the number of units in the LSTM cell.
      forget_bias: float added to the forget gate's pre-activation; set it to
        0.0 when restoring a CudnnLSTM-trained checkpoint.
      state_is_tuple: if True, states are ``LSTMStateTuple(c, h)``; if False,
        ``concat([c, h], 1)``.
      activation: nonlinearity of the candidate and of the output; default
        ``tf.tanh``.
      reuse, name, dtype: see ``RNNCell``.
    """

    _layer_like = True

    def __init__(
        self,
        num_units,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=None,
        reuse=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._forget_bias = check_number(forget_bias, "forget_bias")
        self._state_is_tuple = bool(state_is_tuple)
        self._activation = get_activation(activation)

    @property
    def state_size(self):
        if self._state_is_tuple:
            return LSTMStateTuple(self._num_units, self._num_units)
        return 2 * self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, input_depth):
        self._kernel = self.add_variable(
            "kernel", [input_depth + self._num_units, 4 * self._num_units]
        )
        self._bias = self.add_variable(
            "bias", [4 * self._num_units], initializer=tf.compat.v1.zeros_initializer()
        )

    def call(self, inputs, state):
        if self._state_is_tuple:
            c, h = state
        else:
            c, h = tf.split(state, num_or_size_splits=2, axis=1)
        gate_inputs = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h], 1), self._kernel), self._bias)
        i, j, f, o = tf.split(gate_inputs, num_or_size_splits=4, axis=1)
        forget_bias = tf.constant(self._forget_bias, dtype=f.dtype)
        new_c = c * tf.sigmoid(f + forget_bias) + tf.sigmoid(i) * self._activation(j)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        if self._state_is_tuple:
            return new_h, LSTMStateTuple(new_c, new_h)
        return new_h, tf.concat([new_c, new_h], 1)
