"""``MultiRNNCell``: TF1 cells stacked in depth.

Layer ``k`` runs inside ``variable_scope("cell_<k>")`` of the stack's own scope
(``.../multi_rnn_cell/cell_0/basic_lstm_cell/kernel``, ...); its input is the
output of layer ``k - 1`` (layer 0 reads the stack's inputs). The stack's
output is the last layer's output; its state is the tuple of the layers'
states, or their concatenation along axis 1 when ``state_is_tuple=False``
(allowed only if no layer has a tuple state).
"""

import tensorflow as tf

from compat.rnn_cell.base import RNNCell, check_cell


class MultiRNNCell(RNNCell):
    """RNN cell composed sequentially of several cells.

    Args:
      cells: non-empty list or tuple of cells, applied in this order. Passing
        one cell object several times shares its weights between those layers
        (and so requires the same input depth for each of them).
      state_is_tuple: if True, states are tuples with one entry per cell; if
        False, the cells' (non-tuple) states are concatenated along axis 1.
    """

    def __init__(self, cells, state_is_tuple=True):
        super().__init__()
        if not isinstance(cells, (list, tuple)):
            raise TypeError(f"`cells` must be a list or tuple of RNN cells, but received {cells!r}.")
        if not cells:
            raise ValueError("`cells` must contain at least one cell for MultiRNNCell.")
        for index, cell in enumerate(cells):
            check_cell(cell, f"cells[{index}]")
        self._cells = tuple(cells)
        self._state_is_tuple = bool(state_is_tuple)
        if not self._state_is_tuple:
            nested = [c.state_size for c in self._cells if tf.nest.is_nested(c.state_size)]
            if nested:
                raise ValueError(
                    "`state_is_tuple=False` needs cells whose states are single "
                    "tensors, but some cells return tuples of states (e.g. "
                    "BasicLSTMCell(state_is_tuple=True)). State sizes are: "
                    f"{[c.state_size for c in self._cells]}."
                )

    @property
    def cells(self):
        return self._cells

    @property
    def state_size(self):
        if self._state_is_tuple:
            return tuple(cell.state_size for cell in self._cells)
        return sum(cell.state_size for cell in self._cells)

    @property
    def output_size(self):
        return self._cells[-1].output_size

    @property
    def variables(self):
        unique = {}
        for cell in self._cells:
            for variable in getattr(cell, "variables", []):
                unique.setdefault(id(variable), variable)
        return list(unique.values())

    trainable_variables = weights = trainable_weights = variables

    def zero_state(self, batch_size, dtype):
        if not self._state_is_tuple:
            return super().zero_state(batch_size, dtype)
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            return tuple(cell.zero_state(batch_size, dtype) for cell in self._cells)

    def call(self, inputs, state):
        if self._state_is_tuple and not (
            isinstance(state, (list, tuple)) and len(state) == len(self._cells)
        ):
            raise ValueError(
                f"`state` must be a tuple of {len(self._cells)} states (one per "
                f"cell), but received: {state!r}."
            )
        layer_input = inputs
        new_states = []
        offset = 0
        for index, cell in enumerate(self._cells):
            with tf.compat.v1.variable_scope(f"cell_{index}"):
                if self._state_is_tuple:
                    cell_state = state[index]
                else:
                    cell_state = tf.slice(state, [0, offset], [-1, cell.state_size])
                    offset += cell.state_size
                layer_input, new_state = cell(layer_input, cell_state)
                new_states.append(new_state)
        if self._state_is_tuple:
            return layer_input, tuple(new_states)
        return layer_input, tf.concat(new_states, 1)
