"""``LayerNormBasicLSTMCell``: contrib's LSTM with layer normalization and recurrent dropout.

With ``[i, j, f, o] = [x, h] @ kernel`` (``+ bias`` only without layer norm)
and ``LN_s(v) = gamma_s * (v - mean(v)) / sqrt(var(v) + 1e-12) + beta_s``
over each row (contrib's ``layer_norm``):

    i, j, f, o = LN_input(i), LN_transform(j), LN_forget(f), LN_output(o)
    g  = dropout(activation(j), dropout_keep_prob)          (Semeniuta et al.)
    c' = LN_state(c * sigmoid(f + forget_bias) + sigmoid(i) * g)
    h' = activation(c') * sigmoid(o)

Variables in ``layer_norm_basic_lstm_cell/``: ``kernel``, then (layer norm)
``input/gamma``, ``input/beta``, ``transform/...``, ``forget/...``,
``output/...``, ``state/...`` (gammas ``norm_gain``, betas ``norm_shift``), or
``bias`` without layer norm. TF1 made them in ``call``, as here.
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_num_units, check_number, get_activation
from compat.rnn_cell.state import LSTMStateTuple

LAYER_NORM_EPSILON = 1e-12  # contrib's layer_norm


class LayerNormBasicLSTMCell(RNNCell):
    """LSTM with layer normalization and recurrent dropout (see the module).

    Args:
      num_units: int, the number of units.
      forget_bias: added to the forget gate.
      input_size: deprecated and unused, as in TF1.
      activation: of the candidate and the output; default tanh.
      layer_norm: whether to normalize (else a ``bias`` is added).
      norm_gain, norm_shift: initial gamma and beta.
      dropout_keep_prob: number or scalar tensor; below 1 drops out ``g``.
      dropout_prob_seed: the dropout's seed.
      reuse: see ``RNNCell``.
    """

    def __init__(self, num_units, forget_bias=1.0, input_size=None, activation=None, layer_norm=True,
                 norm_gain=1.0, norm_shift=0.0, dropout_keep_prob=1.0, dropout_prob_seed=None, reuse=None):
        super().__init__(reuse=reuse)
        self._num_units = check_num_units(num_units)
        self._forget_bias = check_number(forget_bias, "forget_bias")
        self._activation = get_activation(activation)
        self._layer_norm = bool(layer_norm)
        self._norm_gain = check_number(norm_gain, "norm_gain")
        self._norm_shift = check_number(norm_shift, "norm_shift")
        if isinstance(dropout_keep_prob, (int, float)) and not isinstance(dropout_keep_prob, bool):
            if not 0 < dropout_keep_prob <= 1:
                raise ValueError(f"`dropout_keep_prob` must be in (0, 1], but received {dropout_keep_prob}.")
            dropout_keep_prob = float(dropout_keep_prob)
        elif not tf.is_tensor(dropout_keep_prob):
            raise TypeError(
                f"`dropout_keep_prob` must be a number or a scalar tensor, but received {dropout_keep_prob!r}.")
        self._keep_prob = dropout_keep_prob
        self._seed = dropout_prob_seed

    @property
    def state_size(self):
        return LSTMStateTuple(self._num_units, self._num_units)

    @property
    def output_size(self):
        return self._num_units

    def _norm(self, value, scope, dtype):
        shape = value.shape[-1:]
        with tf.compat.v1.variable_scope(scope):
            gamma = self.add_variable("gamma", shape, dtype=dtype,
                                      initializer=tf.compat.v1.constant_initializer(self._norm_gain))
            beta = self.add_variable("beta", shape, dtype=dtype,
                                     initializer=tf.compat.v1.constant_initializer(self._norm_shift))
        mean, variance = tf.nn.moments(value, [1], keepdims=True)
        return tf.nn.batch_normalization(value, mean, variance, offset=beta, scale=gamma,
                                         variance_epsilon=LAYER_NORM_EPSILON)

    def call(self, inputs, state):
        c, h = state
        args = tf.concat([inputs, h], 1)
        dtype = args.dtype
        kernel = self.add_variable(
            "kernel", [tf.compat.dimension_value(args.shape[-1]), 4 * self._num_units], dtype=dtype)
        gates = tf.matmul(args, kernel)
        if not self._layer_norm:
            gates = tf.nn.bias_add(gates, self.add_variable("bias", [4 * self._num_units], dtype=dtype))
        i, j, f, o = tf.split(gates, 4, axis=1)
        if self._layer_norm:
            i = self._norm(i, "input", dtype)
            j = self._norm(j, "transform", dtype)
            f = self._norm(f, "forget", dtype)
            o = self._norm(o, "output", dtype)
        g = self._activation(j)
        if not isinstance(self._keep_prob, float) or self._keep_prob < 1:
            g = tf.compat.v1.nn.dropout(g, keep_prob=self._keep_prob, seed=self._seed)
        new_c = c * tf.sigmoid(f + self._forget_bias) + tf.sigmoid(i) * g
        if self._layer_norm:
            new_c = self._norm(new_c, "state", dtype)
        new_h = self._activation(new_c) * tf.sigmoid(o)
        return new_h, LSTMStateTuple(new_c, new_h)
