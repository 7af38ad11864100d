"""Inputs, sizes and the numpy weights of seed 002's Keras shape tour (lab 12-6).

Source: seed 002 (Korean lecture notes on RNNs), chapter 3 "Keras 기반 구현"
and the numpy forward pass of chapter 1; the sections and shapes are listed in
LABS.md, 12-6.

* ``TRAIN_X``: the seed's one hand-written batch, (batch 1, 4 steps, 5
  features), which sections 1-4 feed to SimpleRNN(3) and LSTM(3).
* Sections 5-8 only built models and printed ``model.summary()``, so they had
  no data. To compare values, each of them reads a seeded batch of
  ``BATCH_SIZE`` uniform [0, 1) sequences (the distribution the seed's numpy
  section drew from): section k draws from ``default_rng([SEED, k])``.
* Section 9, the numpy RNN: ``inputs`` (10, 4), then ``Wx`` (8, 4), ``Wh``
  (8, 8) and ``b`` (8,), drawn uniformly in [0, 1) in the seed's order. The
  seed drew them unseeded (its printed values cannot be reproduced); here
  they come from ``default_rng([SEED, 9])``.

Every array is drawn in float64 and then cast, so the float32 and float64
runs see the same numbers (rounded in float32).
"""

import numpy as np

SEED = 777

TRAIN_X = (((0.1, 4.2, 1.5, 1.1, 2.8),
            (1.0, 3.1, 2.5, 0.7, 1.1),
            (0.3, 2.1, 1.5, 2.1, 0.1),
            (2.2, 1.4, 0.5, 0.9, 1.1)),)

UNITS = 3  # SimpleRNN(3), LSTM(3): sections 1-5

# Section 5: SimpleRNN(3, input_shape=(2, 10)), batch_input_shape=(8, 2, 10).
MODEL_INPUT_SHAPE = (2, 10)
BATCH_SIZE = 8

# Sections 6, 7 and 9 use the numpy section's sizes.
TIMESTEPS = 10  # time steps; in NLP usually the sentence length
INPUT_DIM = 4  # input size; in NLP usually the word-vector size
HIDDEN_SIZE = 8  # hidden-state size, the memory cell's capacity
NUM_STACKED_LAYERS = 2  # sections 6 and 7

# Section 8: TimeDistributed(Dense(8), input_shape=(10, 16)).
TIME_DISTRIBUTED_INPUT_SHAPE = (10, 16)
TIME_DISTRIBUTED_UNITS = 8

# Result sections, in the order of LABS.md (1 ... 9). Sections with several
# models name each model's arrays "<model>/<name>".
SECTIONS = (
    "simple_rnn",
    "return_sequences",
    "return_state",
    "lstm",
    "sequential",
    "deep",
    "bidirectional",
    "time_distributed",
    "numpy_rnn",
)

# Section number in LABS.md of the sections that draw random inputs.
_DRAWS = {"sequential": 5, "deep": 6, "bidirectional": 7,
          "time_distributed": 8, "numpy_rnn": 9}

_INPUT_SHAPES = {
    "sequential": MODEL_INPUT_SHAPE,
    "deep": (TIMESTEPS, INPUT_DIM),
    "bidirectional": (TIMESTEPS, INPUT_DIM),
    "time_distributed": TIME_DISTRIBUTED_INPUT_SHAPE,
}


def train_x(dtype="float32"):
    """The seed's ``train_X``, (1, 4, 5)."""
    return np.array(TRAIN_X, dtype=dtype)


def _generator(section):
    return np.random.default_rng([SEED, _DRAWS[section]])


def model_inputs(section, dtype="float32"):
    """The seeded batch a model section reads, (BATCH_SIZE,) + its input shape.

    Args:
      section: "sequential", "deep", "bidirectional" or "time_distributed".
      dtype: float dtype of the result.
    """
    if section not in _INPUT_SHAPES:
        raise ValueError(f"`section` must be one of {sorted(_INPUT_SHAPES)}, "
                         f"got {section!r}")
    draw = _generator(section).random((BATCH_SIZE,) + _INPUT_SHAPES[section])
    return draw.astype(dtype)


def numpy_rnn_draws(dtype="float64"):
    """Section 9's ``inputs`` (10, 4), ``Wx`` (8, 4), ``Wh`` (8, 8), ``b`` (8,).

    Drawn in the seed's order: inputs first, then the weights.
    """
    rng = _generator("numpy_rnn")
    inputs = rng.random((TIMESTEPS, INPUT_DIM))
    wx = rng.random((HIDDEN_SIZE, INPUT_DIM))
    wh = rng.random((HIDDEN_SIZE, HIDDEN_SIZE))
    b = rng.random((HIDDEN_SIZE,))
    return tuple(array.astype(dtype) for array in (inputs, wx, wh, b))
