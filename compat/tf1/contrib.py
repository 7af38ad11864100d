"""``tf.contrib`` of the drop-in: the ``rnn``, ``seq2seq``, ``legacy_seq2seq`` and ``layers`` of compat.

``from compat.tf1.contrib import rnn`` replaces ``from tensorflow.contrib
import rnn``. The rest of ``tf.contrib`` was removed with TensorFlow 1 and is
not served.
"""

from compat.contrib import layers, legacy_seq2seq, rnn, seq2seq

__all__ = ["layers", "legacy_seq2seq", "rnn", "seq2seq"]
