"""``tf.keras`` of the drop-in: the real ``tf.keras``, except three cells of ``layers``.

Only ``layers.SimpleRNNCell``, ``layers.LSTMCell`` and ``layers.GRUCell`` are
replaced (by ``compat.keras_legacy_cells``, which ``dynamic_rnn`` can run);
every other name is the installed ``tf.keras``'s.
"""

import tensorflow as tf

from compat.tf1._delegation import delegate_to
from compat.tf1.keras import layers as layers

__getattr__, __dir__ = delegate_to(__name__, lambda: tf.keras)
