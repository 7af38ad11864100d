"""Lab 12-3 data and hyperparameters: lab 12-2's sample, 3000 iterations.

The data is lab 12-2's, unchanged: the sample " if you want you", its
vocabulary in order of first appearance (the course's `list(set(sample))`
changed order with PYTHONHASHSEED; see `labs.char_seq_rnn.data`), x = the
sample without its last character, y = without its first. Only the model
and the number of iterations differ.
"""

from labs.char_seq_rnn.data import (  # noqa: F401
    BATCH_SIZE,
    CHAR2IDX,
    DIC_SIZE,
    IDX2CHAR,
    LEARNING_RATE,
    NUM_CLASSES,
    SAMPLE,
    SAMPLE_IDX,
    SEQUENCE_LENGTH,
    X_DATA,
    Y_DATA,
    prediction_text,
)

RNN_HIDDEN_SIZE = len(CHAR2IDX)  # width of the softmax layer's input
ITERATIONS = 3000
