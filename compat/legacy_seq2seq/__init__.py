"""``tf.contrib.legacy_seq2seq`` on ``tf.compat.v1``: the seq2seq models of TF1's
translate tutorial and char-rnn, on lists with one tensor per step.

Importing it changes no global TensorFlow state; build in graph mode.
"""

from compat.legacy_seq2seq.attention import (
    attention_decoder,
    embedding_attention_decoder,
    embedding_attention_seq2seq,
)
from compat.legacy_seq2seq.buckets import model_with_buckets
from compat.legacy_seq2seq.decoders import (
    basic_rnn_seq2seq,
    embedding_rnn_decoder,
    embedding_rnn_seq2seq,
    rnn_decoder,
    tied_rnn_seq2seq,
)
from compat.legacy_seq2seq.loss import sequence_loss, sequence_loss_by_example

__all__ = [
    "attention_decoder",
    "basic_rnn_seq2seq",
    "embedding_attention_decoder",
    "embedding_attention_seq2seq",
    "embedding_rnn_decoder",
    "embedding_rnn_seq2seq",
    "model_with_buckets",
    "rnn_decoder",
    "sequence_loss",
    "sequence_loss_by_example",
    "tied_rnn_seq2seq",
]
