"""``InputProjectionWrapper`` and ``OutputProjectionWrapper``: a TF1 cell with an affine
map (``compat.rnn_cell.linear``) before or after it.

    input projection:   (y, s') = cell(act(linear(x, num_proj)), s)
    output projection:  (y, s') = cell(x, s);  output = act(linear(y, output_size))

``act`` is the identity unless ``activation`` is given. Unlike the dropout
wrappers these were TF1 cells of their own: each call runs in the wrapper's
scope (``input_projection_wrapper``, ``output_projection_wrapper``), which
holds the map's ``kernel`` and ``bias`` and, below it, the wrapped cell's
scope (``rnn/output_projection_wrapper/gru_cell/...``). The input projection
creates its variables before the cell's, the output projection after.
"""

from compat.rnn_cell.base import check_num_units
from compat.rnn_cell.linear import linear
from compat.rnn_cell.wrapper import WrappingCell


def _check_activation(activation):
    if activation is not None and not callable(activation):
        raise TypeError(f"`activation` must be None or callable, but received {activation!r}.")
    return activation


class _ProjectionWrapper(WrappingCell):
    def __init__(self, cell, size, size_argument, activation, reuse):
        super().__init__(cell, reuse=reuse)
        self._size = check_num_units(size, size_argument)
        self._activation = _check_activation(activation)

    def _project(self, value):
        projected = linear(value, self._size, True, get_variable=self.add_variable)
        return self._activation(projected) if self._activation else projected


class InputProjectionWrapper(_ProjectionWrapper):
    """Projects the inputs to ``num_proj`` before ``cell`` reads them.

    Args:
      cell: the RNN cell to wrap.
      num_proj: positive int, the depth the inputs are projected to.
      activation: optional callable applied to the projection.
      input_size: deprecated and unused, as in TF1.
      reuse: see ``RNNCell``.
    """

    def __init__(self, cell, num_proj, activation=None, input_size=None, reuse=None):
        super().__init__(cell, num_proj, "num_proj", activation, reuse)

    def call(self, inputs, state):
        return self._cell(self._project(inputs), state)


class OutputProjectionWrapper(_ProjectionWrapper):
    """Projects the outputs of ``cell`` to ``output_size``.

    Args:
      cell: the RNN cell to wrap.
      output_size: positive int, the depth of the projected outputs.
      activation: optional callable applied to the projection.
      reuse: see ``RNNCell``.
    """

    def __init__(self, cell, output_size, activation=None, reuse=None):
        super().__init__(cell, output_size, "output_size", activation, reuse)

    @property
    def output_size(self):
        return self._size

    def call(self, inputs, state):
        output, new_state = self._cell(inputs, state)
        return self._project(output), new_state
