"""Lab 12-1 data and hyperparameters: teach "hihell" -> "ihello".

The vocabulary is written out by hand, as in the course, in the order the
letters first appear in "hihello": h, i, e, l, o. The input is the word
without its last letter, one-hot encoded; the target is the word without its
first letter, so at every step the model must predict the next letter.

    index:   0  1  2  3  4
    letter:  h  i  e  l  o

    x "hihell" = [0, 1, 0, 2, 3, 3]   -> one-hot (1, 6, 5)
    y "ihello" = [1, 0, 2, 3, 3, 4]
"""

import numpy as np

IDX2CHAR = ("h", "i", "e", "l", "o")

X_DATA = np.array([[0, 1, 0, 2, 3, 3]], dtype=np.int32)  # hihell
Y_DATA = np.array([[1, 0, 2, 3, 3, 4]], dtype=np.int32)  # ihello

NUM_CLASSES = 5
INPUT_DIM = 5  # one-hot size
HIDDEN_SIZE = 5  # output from the LSTM: 5 to directly predict one-hot
BATCH_SIZE = 1  # one sentence
SEQUENCE_LENGTH = 6  # |ihello| == 6
LEARNING_RATE = 0.1
ITERATIONS = 50


def x_one_hot(dtype="float32"):
    """X_DATA one-hot encoded, (1, 6, 5), as the course typed it out."""
    return np.eye(INPUT_DIM, dtype=dtype)[X_DATA]


def prediction_text(indices):
    """The predicted letters of a (1, 6) index array, e.g. "ihello"."""
    return "".join(IDX2CHAR[c] for c in np.squeeze(indices, axis=0))
