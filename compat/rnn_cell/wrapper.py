"""``CellWrapper``: a TF1 cell that runs another cell and changes what goes in or out.

TF1's ``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper`` own no
variables and open no variable scope: each call goes straight to the wrapped
cell's ``__call__`` (with the caller's ``scope``), so wrapping a cell leaves
its variable names, and hence its checkpoints, unchanged
(``rnn/basic_lstm_cell/kernel`` with or without dropout). ``state_size``,
``output_size`` and ``zero_state`` are the wrapped cell's (``zero_state``
under ``<Wrapper>ZeroState``).
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_cell

class CellWrapper(RNNCell):
    """Base of the wrappers that forward every call to ``cell``.

    Subclasses override ``wrap_call(inputs, state, call)``, where
    ``call(inputs, state)`` runs the wrapped cell, and return
    ``(output, new_state)``.
    """

    def __init__(self, cell):
        super().__init__()
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
        return list(getattr(self._cell, "variables", []))

    trainable_variables = weights = trainable_weights = variables

    @property
    def scope_name(self):
        return self._cell.scope_name

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return self._cell.zero_state(batch_size, dtype)

    def wrap_call(self, inputs, state, call):
        return call(inputs, state)

    def __call__(self, inputs, state, scope=None):
        return self.wrap_call(inputs, state, lambda x, s: self._cell(x, s, scope=scope))

    def _describe(self):
        return f"wrapping {self._cell!r}"
