"""``ResidualWrapper``: a TF1 cell whose output adds its input back.

    (y, s') = cell(x, s)        output = residual_fn(x, y), by default x + y

The default needs inputs and outputs of one structure and compatible shapes
(the wrapped cell's ``output_size`` equal to the input depth); the state is the
cell's, unchanged.
"""

import tensorflow as tf

from compat.rnn_cell.wrapper import CellWrapper


def add_inputs_to_outputs(inputs, outputs):
    """``inputs + outputs`` leaf by leaf, after checking structure and shapes."""
    try:
        tf.nest.assert_same_structure(inputs, outputs)
    except (TypeError, ValueError) as error:
        raise ValueError(
            f"ResidualWrapper needs the cell's inputs and outputs in one structure: {error}"
        ) from error

    def add(inputs_part, outputs_part):
        if not inputs_part.shape.is_compatible_with(outputs_part.shape):
            raise ValueError(
                "ResidualWrapper adds the cell's inputs to its outputs, so their "
                f"shapes must agree, but they are {inputs_part.shape} and "
                f"{outputs_part.shape}: give the cell output_size equal to the input depth."
            )
        return inputs_part + outputs_part

    return tf.nest.map_structure(add, inputs, outputs)


class ResidualWrapper(CellWrapper):
    """Adds the inputs of ``cell`` to its outputs.

    Args:
      cell: the RNN cell to wrap.
      residual_fn: ``(inputs, outputs) -> outputs``; default
        ``add_inputs_to_outputs``.
    """

    def __init__(self, cell, residual_fn=None):
        super().__init__(cell)
        if residual_fn is not None and not callable(residual_fn):
            raise TypeError(f"`residual_fn` must be None or callable, but received {residual_fn!r}.")
        self._residual_fn = residual_fn or add_inputs_to_outputs

    def wrap_call(self, inputs, state, call):
        outputs, new_state = call(inputs, state)
        return self._residual_fn(inputs, outputs), new_state
