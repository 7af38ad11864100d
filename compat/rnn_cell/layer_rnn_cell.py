"""``LayerRNNCell``: the base TF1 offered for writing your own cell with variables.

A subclass defines ``state_size``, ``output_size``, ``build(inputs_shape)``
(``inputs_shape`` is the ``TensorShape`` ``[batch, depth]`` of the first
inputs) creating its variables with ``self.add_variable(name, shape=...)``
(``add_weight`` is the same), and ``call(inputs, state)``. As for TF1's
built-in cells, the variables live in the cell's own scope, the snake-cased
class name (``my_cell/kernel``) uniquified among siblings, and every later
call reuses them.
"""

from compat.rnn_cell.base import RNNCell


class LayerRNNCell(RNNCell):
    """Base class for user cells that create their variables in ``build``."""

    _layer_like = True

    def _build_argument(self, inputs, input_depth):
        return inputs.shape

    def add_weight(self, name, shape, **options):
        return self.add_variable(name, shape, **options)
