"""Lab 12-1y data and hyperparameters: teach "yeonje" -> "eonjee".

A variant of lab 12-1 from the course's lecture slides (seed 004): the same
model on the name "yeonjee". The vocabulary is written out by hand, in the
order the letters first appear: y, e, o, n, j.

    index:   0  1  2  3  4
    letter:  y  e  o  n  j

    x "yeonje" = [0, 1, 2, 3, 4, 1]   -> one-hot (1, 6, 5)
    y "eonjee" = [1, 2, 3, 4, 1, 1]

The slides also typed `x_one_hot` out by hand, and got it wrong: the rows
are written right to left (letter k has its 1 in column 4 - k) and the "j"
row, [1, 0, 0, 1, 0], has a second 1. In the usual left-to-right reading
they encode [4, 3, 2, 1, {0, 3}, 3], not `x_data`. The slides trained on that
matrix, so their printed losses belong to those garbled inputs. The port
builds the one-hot from `X_DATA` instead.
"""

import numpy as np

IDX2CHAR = ("y", "e", "o", "n", "j")

X_DATA = np.array([[0, 1, 2, 3, 4, 1]], dtype=np.int32)  # yeonje
Y_DATA = np.array([[1, 2, 3, 4, 1, 1]], dtype=np.int32)  # eonjee

NUM_CLASSES = 5
INPUT_DIM = 5  # one-hot size
HIDDEN_SIZE = 5  # output from the LSTM: 5 to directly predict one-hot
BATCH_SIZE = 1  # one word
SEQUENCE_LENGTH = 6  # |eonjee| == 6
LEARNING_RATE = 0.1
ITERATIONS = 50


def x_one_hot(dtype="float32"):
    """X_DATA one-hot encoded, (1, 6, 5)."""
    return np.eye(INPUT_DIM, dtype=dtype)[X_DATA]


def prediction_text(indices):
    """The predicted letters of a (1, 6) index array, e.g. "eonjee"."""
    return "".join(IDX2CHAR[c] for c in np.squeeze(indices, axis=0))
