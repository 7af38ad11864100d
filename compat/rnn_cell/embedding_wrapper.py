"""``EmbeddingWrapper``: a TF1 cell that reads symbol ids through an embedding.

    (y, s') = cell(embedding[ids], s)

``ids`` is an int tensor ``[batch]`` or ``[batch, 1]``. Like the projection
wrappers it was a TF1 cell of its own: each call runs in its scope
(``embedding_wrapper``), which holds ``embedding`` ``[embedding_classes,
embedding_size]`` (on the CPU, of the state's dtype) and, below it, the
wrapped cell's scope (``rnn/embedding_wrapper/gru_cell/...``). Its initializer
is ``initializer``, else the scope's, else uniform on [-sqrt(3), sqrt(3))
(variance 1).
"""

import math

import tensorflow as tf

from compat.rnn_cell.base import check_num_units, get_initializer
from compat.rnn_cell.wrapper import WrappingCell


class EmbeddingWrapper(WrappingCell):
    """Embeds the ids fed to ``cell``.

    Args:
      cell: the RNN cell to wrap.
      embedding_classes: positive int, how many symbols are embedded.
      embedding_size: positive int, the size of each symbol's vector.
      initializer: v1 initializer of the embedding, or None (see the module).
      reuse: see ``RNNCell``.
    """

    def __init__(self, cell, embedding_classes, embedding_size, initializer=None, reuse=None):
        super().__init__(cell, reuse=reuse)
        self._embedding_classes = check_num_units(embedding_classes, "embedding_classes")
        self._embedding_size = check_num_units(embedding_size, "embedding_size")
        self._initializer = get_initializer(initializer, "initializer")

    def __call__(self, inputs, state, scope=None):
        if self._dtype is None:
            self._dtype = tf.as_dtype(tf.nest.flatten(state)[0].dtype)
        return super().__call__(inputs, state, scope=scope)

    def _check_inputs(self, inputs, state):
        if not inputs.dtype.is_integer:
            raise ValueError(
                f"`inputs` of EmbeddingWrapper {self._describe()} must be integer "
                f"symbol ids, but received dtype {inputs.dtype.name}."
            )
        if inputs.shape.rank not in (None, 1, 2) or (inputs.shape.rank == 2 and tf.compat.dimension_value(inputs.shape[1]) not in (None, 1)):
            raise ValueError(
                f"`inputs` of EmbeddingWrapper {self._describe()} must be ids of shape "
                f"[batch] or [batch, 1], but received shape {inputs.shape}."
            )
        return 1

    def call(self, inputs, state):
        with tf.compat.v1.device("/cpu:0"):
            initializer = (self._initializer or tf.compat.v1.get_variable_scope().initializer
                           or tf.compat.v1.random_uniform_initializer(-math.sqrt(3), math.sqrt(3)))
            embedding = self.add_variable(
                "embedding", [self._embedding_classes, self._embedding_size], initializer=initializer)
            embedded = tf.nn.embedding_lookup(embedding, tf.reshape(inputs, [-1]))
            return self._cell(embedded, state)
