"""``LSTMBlockCell``: contrib's fused LSTM cell, with ``LSTMCell``'s variable names.

With ``[i, ci, f, o] = [x, h] @ kernel + bias`` (the gate order of ``LSTMCell``):

    i  = sigmoid(i + w_i_diag * c)          f = sigmoid(f + forget_bias + w_f_diag * c)
    c' = clip(tanh(ci) * i + c * f, cell_clip)
    o  = sigmoid(o + w_o_diag * c')          h' = tanh(c') * o

(the ``w_*_diag`` terms only with ``use_peephole``; no clip unless
``cell_clip``). Variables ``kernel`` ``[depth + num_units, 4 num_units]``,
``bias`` (zeros), then the three diagonals, in the scope ``lstm_cell``, so a
checkpoint of either cell restores into the other. TF1 ran the
``LSTMBlockCell`` kernel, which TensorFlow 2 still ships
(``tf.raw_ops.LSTMBlockCell``) but without a gradient; here the same math
runs as ordinary ops, and tests/compat hold it to that kernel. The kernel
took float32 and float16 only; the ops here also run float64.
"""

import tensorflow as tf

from compat.rnn_cell.base import check_num_units, check_number, check_optional_clip
from compat.rnn_cell.layer_rnn_cell import LayerRNNCell
from compat.rnn_cell.state import LSTMStateTuple


class LSTMBlockCell(LayerRNNCell):
    """The fused-kernel LSTM of ``tf.contrib.rnn`` (see the module).

    Args:
      num_units: int, the number of units.
      forget_bias: added to the forget gate's pre-activation.
      cell_clip: None, or a positive number clipping the cell state.
      use_peephole: whether to add the diagonal peephole connections.
      dtype, reuse: see ``RNNCell``; name: default ``"lstm_cell"``.
    """

    def __init__(self, num_units, forget_bias=1.0, cell_clip=None, use_peephole=False, dtype=None,
                 reuse=None, name="lstm_cell"):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._forget_bias = check_number(forget_bias, "forget_bias")
        self._cell_clip = check_optional_clip(cell_clip, "cell_clip")
        if not isinstance(use_peephole, bool):
            raise TypeError(f"`use_peephole` must be a bool, but received {use_peephole!r}.")
        self._use_peephole = use_peephole

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = tf.compat.dimension_value(inputs_shape[1])
        self._kernel = self.add_variable("kernel", [depth + self._num_units, 4 * self._num_units])
        self._bias = self.add_variable("bias", [4 * self._num_units],
                                       initializer=tf.compat.v1.constant_initializer(0.0))
        if self._use_peephole:
            self._w_i_diag = self.add_variable("w_i_diag", [self._num_units])
            self._w_f_diag = self.add_variable("w_f_diag", [self._num_units])
            self._w_o_diag = self.add_variable("w_o_diag", [self._num_units])

    def call(self, inputs, state):
        if not isinstance(state, tuple) or len(state) != 2:
            raise ValueError(f"`state` of LSTMBlockCell must be an LSTMStateTuple (c, h), but received {state!r}.")
        c_prev, h_prev = state
        gates = tf.nn.bias_add(tf.matmul(tf.concat([inputs, h_prev], 1), self._kernel), self._bias)
        i, ci, f, o = tf.split(gates, 4, axis=1)
        f = f + self._forget_bias
        if self._use_peephole:
            i = tf.sigmoid(c_prev * self._w_i_diag + i)
            f = tf.sigmoid(c_prev * self._w_f_diag + f)
        else:
            i, f = tf.sigmoid(i), tf.sigmoid(f)
        c = tf.tanh(ci) * i + c_prev * f
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        o = tf.sigmoid(c * self._w_o_diag + o) if self._use_peephole else tf.sigmoid(o)
        h = tf.tanh(c) * o
        return h, LSTMStateTuple(c, h)
