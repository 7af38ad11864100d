"""Lab 12-2 data and hyperparameters: the sample " if you want you".

The vocabulary is built from the sample. The course wrote
`idx2char = list(set(sample))`, whose order depends on Python's string hash
and so changes from run to run (PYTHONHASHSEED): the same program started
from different initial conditions each time and its printed losses were never
reproducible. The port uses the **order of first appearance** instead,
`list(dict.fromkeys(sample))`, the same rule the hand-written vocabularies of
labs 12-1 and 12-1y follow:

    index:   0    1  2  3  4  5  6  7  8  9
    char:   ' '   i  f  y  o  u  w  a  n  t

x is the sample without its last character, y without its first (15 steps),
both as indices; the graph one-hot encodes x itself (`tf.one_hot`).
"""

import numpy as np

SAMPLE = " if you want you"
IDX2CHAR = tuple(dict.fromkeys(SAMPLE))  # index -> char, first appearance
CHAR2IDX = {c: i for i, c in enumerate(IDX2CHAR)}  # char -> index

# hyper parameters
DIC_SIZE = len(CHAR2IDX)  # RNN input size (one hot size)
HIDDEN_SIZE = len(CHAR2IDX)  # RNN output size
NUM_CLASSES = len(CHAR2IDX)  # final output size (RNN or softmax, etc.)
BATCH_SIZE = 1  # one sample data, one batch
SEQUENCE_LENGTH = len(SAMPLE) - 1  # number of lstm rollings (unit #)
LEARNING_RATE = 0.1
ITERATIONS = 50

SAMPLE_IDX = [CHAR2IDX[c] for c in SAMPLE]  # char to index
X_DATA = np.array([SAMPLE_IDX[:-1]], dtype=np.int32)  # X data sample (0 ~ n-1)
Y_DATA = np.array([SAMPLE_IDX[1:]], dtype=np.int32)  # Y label sample (1 ~ n)


def prediction_text(indices):
    """The predicted characters of a (1, 15) index array."""
    return "".join(IDX2CHAR[c] for c in np.squeeze(indices, axis=0))
