"""Cells around another cell: ``WrappingCell`` and ``CellWrapper``.

A ``WrappingCell`` holds a wrapped cell whose ``state_size``, ``output_size``
(unless the wrapper changes it) and ``zero_state`` (under
``<Wrapper>ZeroState``) it takes over; its variables are its own, then the
wrapped cell's. The contrib ``EmbeddingWrapper`` and the projection wrappers
are such cells with a scope of their own (``embedding_wrapper/...``).

``CellWrapper`` is the base of TF1's ``DropoutWrapper``, ``ResidualWrapper``
and ``DeviceWrapper``, which own no variables and open no variable scope:
each call goes straight to the wrapped cell's ``__call__`` (with the caller's
``scope``), so wrapping a cell leaves its variable names, and hence its
checkpoints, unchanged (``rnn/basic_lstm_cell/kernel`` with or without
dropout).
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_cell


class WrappingCell(RNNCell):
    """A cell around ``cell`` (see the module); ``reuse`` as for ``RNNCell``."""

    def __init__(self, cell, reuse=None):
        super().__init__(reuse=reuse)
        self._cell = check_cell(cell)

    @property
    def wrapped_cell(self):
        return self._cell

    cell = wrapped_cell

    @property
    def state_size(self):
        return self._cell.state_size

    @property
    def output_size(self):
        return self._cell.output_size

    @property
    def variables(self):
        return list(self._variables) + list(getattr(self._cell, "variables", []))

    trainable_variables = weights = trainable_weights = variables

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)


class CellWrapper(WrappingCell):
    """Base of the wrappers that forward every call to ``cell``.

    Subclasses override ``wrap_call(inputs, state, call)``, where
    ``call(inputs, state)`` runs the wrapped cell, and return
    ``(output, new_state)``.
    """

    def __init__(self, cell):
        super().__init__(cell)

    @property
    def scope_name(self):
        return self._cell.scope_name

    def wrap_call(self, inputs, state, call):
        return call(inputs, state)

    def __call__(self, inputs, state, scope=None):
        return self.wrap_call(inputs, state, lambda x, s: self._cell(x, s, scope=scope))

    def _describe(self):
        return f"wrapping {self._cell!r}"
