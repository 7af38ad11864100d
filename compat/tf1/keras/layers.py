"""``tf.keras.layers`` of the drop-in: the real one, with TF 1.13's RNN cells.

``SimpleRNNCell``, ``LSTMCell`` and ``GRUCell`` are ``compat.keras_legacy_cells``'
(TF 1.13 defaults and variable names, runnable by ``tf.nn.dynamic_rnn``);
every other name is the installed ``tf.keras.layers``'.
"""

import tensorflow as tf

from compat.keras_legacy_cells import GRUCell as GRUCell
from compat.keras_legacy_cells import LSTMCell as LSTMCell
from compat.keras_legacy_cells import SimpleRNNCell as SimpleRNNCell
from compat.tf1._delegation import delegate_to

__getattr__, __dir__ = delegate_to(__name__, lambda: tf.keras.layers)
