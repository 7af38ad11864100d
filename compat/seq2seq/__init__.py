"""``tf.contrib.seq2seq`` of TF 1.x: ``sequence_loss``, the helpers, ``BasicDecoder``,
``dynamic_decode``, the Bahdanau and Luong attention mechanisms, ``AttentionWrapper``
and ``BeamSearchDecoder`` (with ``tile_batch`` and ``gather_tree``).

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
from compat.seq2seq.beam_search import (
    BeamSearchDecoder,
    BeamSearchDecoderOutput,
    BeamSearchDecoderState,
    FinalBeamSearchDecoderOutput,
    gather_tree,
    tile_batch,
)
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
    "BeamSearchDecoder",
    "BeamSearchDecoderOutput",
    "BeamSearchDecoderState",
    "CustomHelper",
    "Decoder",
    "FinalBeamSearchDecoderOutput",
    "GreedyEmbeddingHelper",
    "Helper",
    "LuongAttention",
    "SampleEmbeddingHelper",
    "ScheduledEmbeddingTrainingHelper",
    "TrainingHelper",
    "dynamic_decode",
    "gather_tree",
    "hardmax",
    "sequence_loss",
    "tile_batch",
]
