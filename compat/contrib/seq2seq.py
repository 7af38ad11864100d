"""`tf.contrib.seq2seq`, as far as the course used it."""

from compat.seq2seq import sequence_loss

__all__ = ["sequence_loss"]
