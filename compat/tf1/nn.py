"""``tf.nn`` of the drop-in: all of ``tf.compat.v1.nn``, and ``rnn_cell`` from compat.

``dynamic_rnn``, ``bidirectional_dynamic_rnn``, ``static_rnn``, ``softmax``, ...
are ``tf.compat.v1.nn``'s own; ``rnn_cell`` (which TensorFlow 2 no longer
serves with Keras 3) is ``compat.rnn_cell``.
"""

import tensorflow as tf

from compat import rnn_cell as rnn_cell
from compat.tf1._delegation import delegate_to

__getattr__, __dir__ = delegate_to(__name__, lambda: tf.compat.v1.nn)
