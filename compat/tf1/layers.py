"""``tf.layers`` of the drop-in: all of ``tf.compat.v1.layers``, with ``dense`` and
``Dense`` from ``compat.layers.dense`` (with Keras 3, ``tf.compat.v1.layers``'
own raise "not available")."""

import tensorflow as tf

from compat.layers.dense import Dense as Dense
from compat.layers.dense import dense as dense
from compat.tf1._delegation import delegate_to

__getattr__, __dir__ = delegate_to(__name__, lambda: tf.compat.v1.layers)
