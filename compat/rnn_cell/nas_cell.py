"""``NASCell``: the recurrent cell found by Neural Architecture Search (Zoph and Le, arXiv:1611.01578).

With ``m = h @ recurrent_kernel (+ bias)`` and ``x = inputs @ kernel``, each
split into 8 parts ``m_k``, ``x_k``:

    a0 = sigmoid(x0 + m0)  a1 = relu(x1 + m1)  a2 = sigmoid(x2 + m2)  a3 = relu(x3 * m3)
    a4 = tanh(x4 + m4)     a5 = sigmoid(x5 + m5)  a6 = tanh(x6 + m6)  a7 = sigmoid(x7 + m7)
    b0 = tanh(tanh(a0 * a1) + c)   b1 = tanh(a2 + a3)   b2 = tanh(a4 * a5)   b3 = sigmoid(a6 + a7)
    c' = b0 * b1                   h' = tanh(c' * tanh(b2 + b3))  (@ projection_weights with num_proj)

Variables in ``nas_cell/``, in TF1's order: ``recurrent_kernel``
``[num_proj or num_units, 8 num_units]``, ``kernel`` ``[depth, 8 num_units]``,
``bias`` (zeros, with ``use_bias``), ``projection_weights``.
"""

import tensorflow as tf

from compat.rnn_cell.base import check_num_units
from compat.rnn_cell.layer_rnn_cell import LayerRNNCell
from compat.rnn_cell.state import LSTMStateTuple

NAS_BASE = 8


class NASCell(LayerRNNCell):
    """The NAS recurrent cell (see the module).

    Args:
      num_units: int, the number of units.
      num_proj: None, or the output size of a projection.
      use_bias: whether ``m`` gets a bias.
      reuse: see ``RNNCell``.
    """

    def __init__(self, num_units, num_proj=None, use_bias=False, reuse=None, name=None, dtype=None):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._num_proj = None if num_proj is None else check_num_units(num_proj, "num_proj")
        if not isinstance(use_bias, bool):
            raise TypeError(f"`use_bias` must be a bool, but received {use_bias!r}.")
        self._use_bias = use_bias

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_proj or self._num_units)

    @property
    def output_size(self):
        return self._num_proj or self._num_units

    def build(self, inputs_shape):
        depth = tf.compat.dimension_value(inputs_shape[1])
        width = NAS_BASE * self._num_units
        self.recurrent_kernel = self.add_variable("recurrent_kernel", [self._num_proj or self._num_units, width])
        self.kernel = self.add_variable("kernel", [depth, width])
        if self._use_bias:
            self.bias = self.add_variable("bias", [width], initializer=tf.compat.v1.zeros_initializer())
        if self._num_proj is not None:
            self.projection_weights = self.add_variable("projection_weights", [self._num_units, self._num_proj])

    def call(self, inputs, state):
        c_prev, m_prev = state
        m_matrix = tf.matmul(m_prev, self.recurrent_kernel)
        inputs_matrix = tf.matmul(inputs, self.kernel)
        if self._use_bias:
            m_matrix = tf.nn.bias_add(m_matrix, self.bias)
        m = tf.split(m_matrix, NAS_BASE, axis=1)
        x = tf.split(inputs_matrix, NAS_BASE, axis=1)
        a0 = tf.sigmoid(x[0] + m[0])
        a1 = tf.nn.relu(x[1] + m[1])
        a2 = tf.sigmoid(x[2] + m[2])
        a3 = tf.nn.relu(x[3] * m[3])
        a4 = tf.tanh(x[4] + m[4])
        a5 = tf.sigmoid(x[5] + m[5])
        a6 = tf.tanh(x[6] + m[6])
        a7 = tf.sigmoid(x[7] + m[7])
        b0 = tf.tanh(tf.tanh(a0 * a1) + c_prev)
        b1 = tf.tanh(a2 + a3)
        b2 = tf.tanh(a4 * a5)
        b3 = tf.sigmoid(a6 + a7)
        new_c = b0 * b1
        new_m = tf.tanh(new_c * tf.tanh(b2 + b3))
        if self._num_proj is not None:
            new_m = tf.matmul(new_m, self.projection_weights)
        return new_m, LSTMStateTuple(new_c, new_m)
