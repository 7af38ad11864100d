"""Inputs and sizes of the RNN-basics notebook (lab 12-0), shared by v1 and v2.

The notebook feeds hand-made arrays to single RNN calls and prints what comes
out, so its "data" is a handful of constants:

* four one-hot letters, in the fixed order ``h e l o``
  (h = [1, 0, 0, 0], e = [0, 1, 0, 0], l = [0, 0, 1, 0], o = [0, 0, 0, 1]);
* the words ``hello``, ``eolll`` and ``lleel`` spelled with them
  (batch 3, 5 steps, depth 4);
* ``generated_data``: ``arange(45)`` shaped (batch 3, 5 steps, depth 3);
* per-row valid lengths for the sections that pass ``sequence_length``;
* the weight matrix of the flatten-based softmax, ``arange(15)`` as (3, 5);
* the toy logits of the ``sequence_loss`` examples (batch 1, 3 steps,
  2 classes, every target 1, every weight 1).

Every array is built on demand in the requested float dtype, so the float32
and float64 runs of a lab see the same numbers.
"""

import numpy as np

SEED = 777

LETTERS = "helo"

# The notebook's sections, in order, under the variable-scope names it used.
# The last two sections had no scope in the notebook; they are named here.
SECTIONS = (
    "one_cell",
    "two_sequences",
    "3_batches",
    "3_batches_dynamic_length",
    "initial_state",
    "generated_data",
    "MultiRNNCell",
    "dynamic_rnn",
    "bi-directional",
    "flatten_based_softmax",
    "sequence_loss",
)

HELLO_HIDDEN_SIZE = 2  # one_cell ... initial_state
GENERATED_HIDDEN_SIZE = 5  # generated_data ... bi-directional
NUM_STACKED_LAYERS = 3  # MultiRNNCell

THREE_WORDS = ("hello", "eolll", "lleel")

SEQUENCE_LENGTHS = {
    "3_batches_dynamic_length": (5, 3, 4),
    "dynamic_rnn": (1, 3, 2),
    "bi-directional": (2, 3, 1),
}

# Flatten-based softmax: rows of depth 3 times a (3, 5) weight matrix.
SOFTMAX_INPUT_DEPTH = 3
SOFTMAX_NUM_CLASSES = 5

# sequence_loss examples.  The notebook printed "Loss4" from prediction3 by a
# typo (``sequence_loss(prediction3, ...)`` twice); loss4 here uses the
# prediction4 it defined, [[0, 1], [1, 0], [0, 1]].
SEQUENCE_LOSS_TARGETS = ((1, 1, 1),)
SEQUENCE_LOSS_WEIGHTS = ((1.0, 1.0, 1.0),)
SEQUENCE_LOSS_LOGITS = {
    "loss": (((0.2, 0.7), (0.6, 0.2), (0.2, 0.9)),),
    "loss1": (((0.3, 0.7), (0.3, 0.7), (0.3, 0.7)),),
    "loss2": (((0.1, 0.9), (0.1, 0.9), (0.1, 0.9)),),
    "loss3": (((1.0, 0.0), (1.0, 0.0), (1.0, 0.0)),),
    "loss4": (((0.0, 1.0), (1.0, 0.0), (0.0, 1.0)),),
}


def one_hot_words(words, dtype="float32"):
    """Returns the words as one-hot rows, shape (len(words), word length, 4).

    Args:
      words: equally long strings over the letters ``h e l o``.
      dtype: float dtype of the result.
    """
    if isinstance(words, str) or not words:
        raise ValueError(
            f"`words` must be a non-empty sequence of strings, got {words!r}")
    lengths = {len(word) for word in words}
    if len(lengths) != 1:
        raise ValueError(f"`words` must all have the same length, got {words!r}")
    unknown = set("".join(words)) - set(LETTERS)
    if unknown:
        raise ValueError(
            f"`words` may only use the letters {LETTERS!r}, got {sorted(unknown)}")
    indices = np.array([[LETTERS.index(c) for c in word] for word in words])
    return np.eye(len(LETTERS), dtype=dtype)[indices]


def generated_data(dtype="float32"):
    """Returns ``arange(45)`` as (batch 3, 5 steps, depth 3)."""
    return np.arange(45, dtype=dtype).reshape(3, 5, 3)


def sequence_length(section):
    """Returns the valid length of every row of `section`, as int32 (batch,)."""
    if section not in SEQUENCE_LENGTHS:
        raise ValueError(
            f"`section` must be one of {sorted(SEQUENCE_LENGTHS)}, got {section!r}")
    return np.array(SEQUENCE_LENGTHS[section], dtype="int32")


def softmax_weights(dtype="float32"):
    """Returns the flatten-based softmax weights ``arange(15)`` as (3, 5)."""
    return np.arange(
        SOFTMAX_INPUT_DEPTH * SOFTMAX_NUM_CLASSES, dtype=dtype).reshape(
            SOFTMAX_INPUT_DEPTH, SOFTMAX_NUM_CLASSES)


def sequence_loss_example(name, dtype="float32"):
    """Returns ``(logits, targets, weights)`` of one sequence_loss example.

    Args:
      name: a key of `SEQUENCE_LOSS_LOGITS` ("loss", "loss1" ... "loss4").
      dtype: float dtype of the logits and weights; targets are int32.
    """
    if name not in SEQUENCE_LOSS_LOGITS:
        raise ValueError(
            f"`name` must be one of {sorted(SEQUENCE_LOSS_LOGITS)}, got {name!r}")
    return (np.array(SEQUENCE_LOSS_LOGITS[name], dtype=dtype),
            np.array(SEQUENCE_LOSS_TARGETS, dtype="int32"),
            np.array(SEQUENCE_LOSS_WEIGHTS, dtype=dtype))
