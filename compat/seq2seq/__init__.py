"""``tf.contrib.seq2seq`` of TF 1.x: ``sequence_loss``, the helpers, ``BasicDecoder``,
``dynamic_decode``, the Bahdanau and Luong attention mechanisms and ``AttentionWrapper``.

Importing it changes no global TensorFlow state; build in graph mode.
"""

from compat.seq2seq.attention_mechanism import (
    AttentionMechanism,
    BahdanauAttention,
    LuongAttention,
    hardmax,
)
from compat.seq2seq.attention_wrapper import AttentionWrapper, AttentionWrapperState
from compat.seq2seq.basic_decoder import BasicDecoder, BasicDecoderOutput
from compat.seq2seq.decoder import Decoder, dynamic_decode
from compat.seq2seq.helper import (
    CustomHelper,
    GreedyEmbeddingHelper,
    Helper,
    SampleEmbeddingHelper,
    ScheduledEmbeddingTrainingHelper,
    TrainingHelper,
)
from compat.seq2seq.loss import sequence_loss

__all__ = [
    "AttentionMechanism",
    "AttentionWrapper",
    "AttentionWrapperState",
    "BahdanauAttention",
    "BasicDecoder",
    "BasicDecoderOutput",
    "CustomHelper",
    "Decoder",
    "GreedyEmbeddingHelper",
    "Helper",
    "LuongAttention",
    "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper",
    "TrainingHelper",
    "dynamic_decode",
    "hardmax",
    "sequence_loss",
]
