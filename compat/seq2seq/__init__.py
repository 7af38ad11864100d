"""Sequence-to-sequence helpers of `tf.contrib.seq2seq` that the course used."""

from compat.seq2seq.loss import sequence_loss

__all__ = ["sequence_loss"]
