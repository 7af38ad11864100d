"""``tf.contrib`` of the drop-in: the ``rnn``, ``seq2seq`` and ``layers`` of compat.

``from compat.tf1.contrib import rnn`` replaces ``from tensorflow.contrib
import rnn``. The rest of ``tf.contrib`` was removed with TensorFlow 1 and is
not served.
"""

from compat.contrib import layers, rnn, seq2seq

__all__ = ["layers", "rnn", "seq2seq"]
