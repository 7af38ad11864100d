"""``LSTMStateTuple``: the ``(c, h)`` state of the TF1 LSTM cells.

``c`` is the memory cell and ``h`` the output (``m`` in ``LSTMCell``), in that
order, as ``tf.nn.rnn_cell.LSTMStateTuple`` had them. ``dtype`` is the common
dtype of both tensors.
"""

import collections


class LSTMStateTuple(collections.namedtuple("LSTMStateTuple", ("c", "h"))):
    """Tuple ``(c, h)`` used for the LSTM cells' ``state_size`` and state."""

    __slots__ = ()

    @property
    def dtype(self):
        c, h = self
        if c.dtype != h.dtype:
            raise TypeError(
                f"Inconsistent dtypes for internal state: {c.dtype} vs {h.dtype}"
            )
        return c.dtype
