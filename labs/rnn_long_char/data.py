"""Lab 12-4 data and hyperparameters: a long sentence in sliding windows.

The sentence is cut into every window of 10 characters; each window's target
is the same window shifted one character to the right:

    0   "if you wan" -> "f you want"
    1   "f you want" -> " you want "
    ...
    169 "of the sea" -> "f the sea."

180 characters give 170 (x, y) pairs, all trained as one batch.

The vocabulary is the sentence's characters in **order of first appearance**
(25 of them: "i", "f", " ", "y", "o", "u", "w", "a", "n", "t", ..., "."). The
course wrote `char_set = list(set(sentence))`, whose order changes with
PYTHONHASHSEED, so its printed losses were never reproducible.
"""

import numpy as np

SENTENCE = ("if you want to build a ship, don't drum up people together to "
            "collect wood and don't assign them tasks and work, but rather "
            "teach them to long for the endless immensity of the sea.")

IDX2CHAR = tuple(dict.fromkeys(SENTENCE))  # the course's char_set
CHAR_DIC = {w: i for i, w in enumerate(IDX2CHAR)}

DATA_DIM = len(IDX2CHAR)
HIDDEN_SIZE = len(IDX2CHAR)
NUM_CLASSES = len(IDX2CHAR)
SEQUENCE_LENGTH = 10  # Any arbitrary number
NUM_LAYERS = 2  # stacked LSTM cells
LEARNING_RATE = 0.1
ITERATIONS = 500


def _windows():
    data_x, data_y = [], []
    for i in range(0, len(SENTENCE) - SEQUENCE_LENGTH):
        x_str = SENTENCE[i:i + SEQUENCE_LENGTH]
        y_str = SENTENCE[i + 1: i + SEQUENCE_LENGTH + 1]
        data_x.append([CHAR_DIC[c] for c in x_str])  # x str to index
        data_y.append([CHAR_DIC[c] for c in y_str])  # y str to index
    return (np.array(data_x, dtype=np.int32), np.array(data_y, dtype=np.int32))


DATA_X, DATA_Y = _windows()
BATCH_SIZE = len(DATA_X)


def prediction_text(indices):
    """The sentence as the model predicts it, the way the course printed it.

    All of the first window's prediction, then the last character of every
    other window's: with a perfect model, the sentence from its 2nd character.
    """
    return "".join([IDX2CHAR[t] for t in indices[0]] +
                   [IDX2CHAR[window[-1]] for window in indices[1:]])
