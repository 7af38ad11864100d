"""``import compat.tf1 as tf``: the one-line drop-in that runs TF1 course scripts.

An old lab script runs on TensorFlow 2.15-2.21 with only its imports changed::

    import tensorflow as tf                  ->  import compat.tf1 as tf
    from tensorflow.contrib import rnn       ->  from compat.tf1.contrib import rnn

``tf.<name>`` is ``tf.compat.v1.<name>`` (placeholders, ``Session``,
``InteractiveSession``, ``variable_scope``, ``train.AdamOptimizer``, ...),
looked up when used, so nothing of ``tf.compat.v1`` is missed, except for the
namespaces TensorFlow 2 removed or broke, which compat serves:

* ``tf.contrib.rnn``, ``tf.contrib.seq2seq``, ``tf.contrib.legacy_seq2seq``,
  ``tf.contrib.layers``: ``compat.contrib``'s.
* ``tf.examples.tutorials.mnist.input_data``: ``compat.examples``' MNIST reader.
* ``tf.nn``: all of ``tf.compat.v1.nn``, with ``tf.nn.rnn_cell`` =
  ``compat.rnn_cell``.
* ``tf.keras``: the real ``tf.keras``, except ``tf.keras.layers.SimpleRNNCell``,
  ``LSTMCell`` and ``GRUCell``, which are TF 1.13's cells
  (``compat.keras_legacy_cells``) so that ``tf.nn.dynamic_rnn`` runs them.
* ``tf.layers``: all of ``tf.compat.v1.layers``, with ``tf.layers.dense``
  served by compat (TF1 names ``dense/kernel``, ``dense/bias``), which Keras 3
  no longer provides.

Importing this module switches the whole process to TF1 behaviour with
``tf.compat.v1.disable_v2_behavior()`` (graph mode, v1 control flow, v1
variables), as the scripts assume; it does so only while TF2 behaviour is
still on, so a second import or a script that already switched changes
nothing. No other module of compat touches global TensorFlow state.
"""

import tensorflow as _tf


def _use_tf1_behaviour():
    if _tf.__internal__.tf2.enabled() or _tf.executing_eagerly():
        _tf.compat.v1.disable_v2_behavior()


_use_tf1_behaviour()

# Imported here, before any look-up, so that ``tf.nn`` and friends are these
# modules and not the ``tf.compat.v1`` names the delegation would return.
from compat import examples as examples  # noqa: E402
from compat.tf1 import contrib as contrib, keras as keras, layers as layers, nn as nn  # noqa: E402
from compat.tf1._delegation import delegate_to as _delegate_to  # noqa: E402

__version__ = _tf.__version__

__getattr__, __dir__ = _delegate_to(__name__, lambda: _tf.compat.v1)
