"""``LSTMCell``: the TF1 LSTM with optional peepholes, cell clipping and projection.

With ``[i, j, f, o] = split([x, m] @ kernel + bias, 4, axis=1)``:

    c' = sigmoid(f + forget_bias [+ w_f_diag * c]) * c
         + sigmoid(i [+ w_i_diag * c]) * activation(j)
    c' = clip(c', -cell_clip, cell_clip)                  if cell_clip
    m' = sigmoid(o [+ w_o_diag * c']) * activation(c')    (peephole on the new c)
    m' = m' @ projection_kernel                           if num_proj
    m' = clip(m', -proj_clip, proj_clip)                  if num_proj and proj_clip

Output = ``m'``; state = ``LSTMStateTuple(c', m')`` (sizes ``num_units`` and
``num_proj or num_units``), or their concatenation if ``state_is_tuple=False``.
Bracketed terms exist only with ``use_peepholes``.

Variables, in creation order: ``kernel`` ``[input_depth + P, 4 * num_units]``
with ``P = num_proj or num_units``; ``bias`` ``[4 * num_units]`` (zeros);
with peepholes ``w_f_diag``, ``w_i_diag``, ``w_o_diag`` ``[num_units]``; with
``num_proj`` ``projection/kernel`` ``[num_units, num_proj]``. All but the bias
use ``initializer`` (default: scope initializer, else glorot uniform).
``num_unit_shards`` / ``num_proj_shards`` split ``kernel`` / ``projection/kernel``
with ``fixed_size_partitioner``, as TF1 did (``kernel/part_0``, ...).
"""

import tensorflow as tf

from compat.rnn_cell.base import (
    RNNCell,
    check_num_units,
    check_number,
    check_optional_clip,
    get_activation,
    get_initializer,
)
from compat.rnn_cell.state import LSTMStateTuple


def _partitioner(shards, argument):
    if shards is None:
        return None
    return tf.compat.v1.fixed_size_partitioner(check_num_units(shards, argument))


class LSTMCell(RNNCell):
    """Long short-term memory cell (Gers et al., 1999; peepholes: Sak et al., 2014).

    Args:
      num_units: int, the number of units in the LSTM cell.
      use_peepholes: bool, add the diagonal peephole connections.
      cell_clip: optional positive float; the cell state is clipped to
        ``[-cell_clip, cell_clip]`` before the output gate.
      initializer: optional initializer of the kernels and peephole weights.
      num_proj: optional int; project the output to this size.
      proj_clip: optional positive float; clip the projected output to
        ``[-proj_clip, proj_clip]``. Ignored without ``num_proj``, as in TF1.
      num_unit_shards, num_proj_shards: optional ints; partition the kernel /
        projection kernel into this many shards (deprecated in TF1 already;
        prefer a scope partitioner).
      forget_bias: float added to the forget gate's pre-activation.
      state_is_tuple: if True, states are ``LSTMStateTuple(c, m)``; if False,
        ``concat([c, m], 1)``.
      activation: nonlinearity of the candidate and of the output; default
        ``tf.tanh``.
      reuse, name, dtype: see ``RNNCell``.
    """

    _layer_like = True

    def __init__(
        self,
        num_units,
        use_peepholes=False,
        cell_clip=None,
        initializer=None,
        num_proj=None,
        proj_clip=None,
        num_unit_shards=None,
        num_proj_shards=None,
        forget_bias=1.0,
        state_is_tuple=True,
        activation=None,
        reuse=None,
        name=None,
        dtype=None,
    ):
        super().__init__(name=name, dtype=dtype, reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._use_peepholes = bool(use_peepholes)
        self._cell_clip = check_optional_clip(cell_clip, "cell_clip")
        self._initializer = get_initializer(initializer, "initializer")
        self._num_proj = None if num_proj is None else check_num_units(num_proj, "num_proj")
        self._proj_clip = check_optional_clip(proj_clip, "proj_clip")
        self._kernel_partitioner = _partitioner(num_unit_shards, "num_unit_shards")
        self._proj_partitioner = _partitioner(num_proj_shards, "num_proj_shards")
        self._forget_bias = check_number(forget_bias, "forget_bias")
        self._state_is_tuple = bool(state_is_tuple)
        self._activation = get_activation(activation)

    @property
    def _m_size(self):
        return self._num_proj or self._num_units

    @property
    def state_size(self):
        if self._state_is_tuple:
            return LSTMStateTuple(self._num_units, self._m_size)
        return self._num_units + self._m_size

    @property
    def output_size(self):
        return self._m_size

    def build(self, input_depth):
        self._kernel = self.add_variable(
            "kernel",
            [input_depth + self._m_size, 4 * self._num_units],
            initializer=self._initializer,
            partitioner=self._kernel_partitioner,
        )
        self._bias = self.add_variable(
            "bias", [4 * self._num_units], initializer=tf.compat.v1.zeros_initializer()
        )
        if self._use_peepholes:
            self._w_f_diag = self.add_variable("w_f_diag", [self._num_units], initializer=self._initializer)
            self._w_i_diag = self.add_variable("w_i_diag", [self._num_units], initializer=self._initializer)
            self._w_o_diag = self.add_variable("w_o_diag", [self._num_units], initializer=self._initializer)
        if self._num_proj is not None:
            self._proj_kernel = self.add_variable(
                "projection/kernel",
                [self._num_units, self._num_proj],
                initializer=self._initializer,
                partitioner=self._proj_partitioner,
            )

    def call(self, inputs, state):
        if self._state_is_tuple:
            c_prev, m_prev = state
        else:
            c_prev = tf.slice(state, [0, 0], [-1, self._num_units])
            m_prev = tf.slice(state, [0, self._num_units], [-1, self._m_size])
        lstm_matrix = tf.nn.bias_add(tf.matmul(tf.concat([inputs, m_prev], 1), self._kernel), self._bias)
        i, j, f, o = tf.split(lstm_matrix, num_or_size_splits=4, axis=1)
        if self._use_peepholes:
            c = tf.sigmoid(f + self._forget_bias + self._w_f_diag * c_prev) * c_prev + tf.sigmoid(
                i + self._w_i_diag * c_prev
            ) * self._activation(j)
        else:
            c = tf.sigmoid(f + self._forget_bias) * c_prev + tf.sigmoid(i) * self._activation(j)
        if self._cell_clip is not None:
            c = tf.clip_by_value(c, -self._cell_clip, self._cell_clip)
        if self._use_peepholes:
            m = tf.sigmoid(o + self._w_o_diag * c) * self._activation(c)
        else:
            m = tf.sigmoid(o) * self._activation(c)
        if self._num_proj is not None:
            m = tf.matmul(m, self._proj_kernel)
            if self._proj_clip is not None:
                m = tf.clip_by_value(m, -self._proj_clip, self._proj_clip)
        if self._state_is_tuple:
            return m, LSTMStateTuple(c, m)
        return m, tf.concat([c, m], 1)
