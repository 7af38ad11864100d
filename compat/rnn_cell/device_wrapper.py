"""``DeviceWrapper``: a TF1 cell placed on one device.

Every call of the wrapped cell, and its ``zero_state``, runs under
``tf.device(device)``; the numbers are the cell's own.
"""

import tensorflow as tf

from compat.rnn_cell.wrapper import CellWrapper


class DeviceWrapper(CellWrapper):
    """Runs ``cell`` on ``device``.

    Args:
      cell: the RNN cell to wrap.
      device: a device string such as ``"/cpu:0"``, or a device function, as
        ``tf.device`` takes it.
    """

    def __init__(self, cell, device):
        super().__init__(cell)
        if not (isinstance(device, str) or callable(device)):
            raise TypeError(
                f"`device` must be a device string such as '/cpu:0' or a device function, "
                f"but received {device!r}."
            )
        self._device = device

    def zero_state(self, batch_size, dtype):
        with tf.name_scope(type(self).__name__ + "ZeroState"), tf.compat.v1.device(self._device):
            return self._cell.zero_state(batch_size, dtype)

    def wrap_call(self, inputs, state, call):
        with tf.compat.v1.device(self._device):
            return call(inputs, state)
