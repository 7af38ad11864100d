"""``GRUBlockCellV2``: contrib's fused GRU cell, with ``GRUCell``'s variable names.

    [r, u] = sigmoid([x, h] @ gates/kernel + gates/bias)
    c      = tanh([x, r * h] @ candidate/kernel + candidate/bias)
    h'     = u * h + (1 - u) * c                    output = new state = h'

Variables in the scope ``gru_cell`` (``gates/kernel``, ``gates/bias`` (ones),
``candidate/kernel``, ``candidate/bias`` (zeros)), as ``GRUCell`` names them,
so a checkpoint of either restores into the other. TF1 ran the
``GRUBlockCell`` kernel, which TensorFlow 2 ships without a gradient; here the
same math runs as ordinary ops, held to that kernel by tests/compat (in
float32: the kernel took float32 only; the ops here also run float64).
"""

import tensorflow as tf

from compat.rnn_cell.base import check_num_units
from compat.rnn_cell.layer_rnn_cell import LayerRNNCell


class GRUBlockCellV2(LayerRNNCell):
    """The fused-kernel GRU of ``tf.contrib.rnn`` (see the module).

    Args:
      num_units: int, the number of units.
      cell_size: deprecated alias of ``num_units`` (TF1 accepted either).
      reuse: see ``RNNCell``; name: default ``"gru_cell"``.
    """

    def __init__(self, num_units=None, cell_size=None, reuse=None, name="gru_cell"):
        super().__init__(name=name, reuse=reuse)
        if num_units is None and cell_size is None:
            raise ValueError("`num_units` must be given (or its deprecated alias `cell_size`).")
        self._num_units = check_num_units(cell_size if num_units is None else num_units)

    @property
    def state_size(self):
        return self._num_units

    @property
    def output_size(self):
        return self._num_units

    def build(self, inputs_shape):
        depth = tf.compat.dimension_value(inputs_shape[1]) + self._num_units
        units = self._num_units
        self._gate_kernel = self.add_variable("gates/kernel", [depth, 2 * units])
        self._gate_bias = self.add_variable("gates/bias", [2 * units],
                                            initializer=tf.compat.v1.constant_initializer(1.0))
        self._candidate_kernel = self.add_variable("candidate/kernel", [depth, units])
        self._candidate_bias = self.add_variable("candidate/bias", [units],
                                                 initializer=tf.compat.v1.constant_initializer(0.0))

    def call(self, inputs, state):
        gates = tf.sigmoid(tf.nn.bias_add(tf.matmul(tf.concat([inputs, state], 1), self._gate_kernel),
                                          self._gate_bias))
        r, u = tf.split(gates, 2, axis=1)
        candidate = tf.tanh(tf.nn.bias_add(
            tf.matmul(tf.concat([inputs, r * state], 1), self._candidate_kernel), self._candidate_bias))
        new_h = u * state + (1 - u) * candidate
        return new_h, new_h
