"""Lab 12-8 data and hyperparameters: 7 digits -> 7 letters (the course's
Keras lab "klab-12-5-seq2seq").

Each sample is 7 random digits; its target is, position by position, the
letter with the same index ("0123" -> "abcd"):

    digit = "0123456789", alpha = "abcdefghij"
    "3141592" -> "dbebfjc"

The vocabulary is the 20 symbols **digits first, then letters** (index 0-9
the digits, 10-19 the letters), so a digit's target is its index + 10. The
original wrote `char_set = list(set(digit + alpha))`, whose order changed
with PYTHONHASHSEED.

Random draws: the original called `np.random.choice(10, 7)` on numpy's
unseeded global generator, 1000 times for the training set, then 10 times
for its test. Here one `numpy.random.RandomState(777)` (the course's seed)
makes the same calls in the same order: `TRAIN_SAMPLES` training samples,
then the held-out set, `TEST_SAMPLES` draws that are kept only if they are
neither a training sample nor an earlier held-out sample (a draw repeats a
given sample with probability 1e-7, so the check almost never rejects one;
with seed 777 it rejects `REJECTED_TEST_DRAWS`).

Inputs are one-hot over the 20 symbols, (N, 7, 20), as in the original.
Targets are the letters' indices, (N, 7); the original one-hot encoded them
too and used categorical cross-entropy, which is the same loss as the sparse
cross-entropy of their indices.

Training. The original ran `fit(dataX, dataY, epochs=1000)`: Keras's
batches of 32 (31 of 32 and one of 8), shuffled every epoch, Adam at its
default 0.001, 32 000 updates. Here: batches of `BATCH_SIZE` 100 in the fixed,
seeded order of `labs.harness.batches` (the same rows for v1 and v2; 100
divides 1000, so every step has one shape), Adam at 0.01, `ITERATIONS` 1000
(100 epochs). Chosen by measurement (TF 2.21, CPU, float32):

* A step on 100 samples does a tenth of the arithmetic of a full-batch
  step and learns about as much: at 0.01 the full batch decoded the
  training set after 1150 steps, batches of 100 after 1200 (99.5%) to
  1700 (100%).
* The model memorises its 1000 samples and does not generalise to fresh
  ones: the held-out accuracy per character rises to its plateau, 0.63 to
  0.65, by iteration 900 and stays there up to 2500 iterations, while the
  training set goes from 0.95 (iteration 1000) to 1.0 (1700). The same
  plateau, 0.57 to 0.67, was measured with the original's batches of 32 at
  0.001 (after 6000 of its 32 000 updates) and at 0.005 (7000), batches of 50
  and full batch at 0.01 (3000 and 1500). 1000 iterations is where the
  held-out accuracy has reached it; more training only memorises.
* So no training length decodes fresh samples at 99% with the original's
  1000 samples. The same model and training do with more data: with 20 000
  training samples the held-out accuracy is 0.95 after 2000 iterations and
  0.99 (0.986 to 0.991) from 4000 on.

What the model learns. After its 1000 iterations (the TF1 form's golden
run, float32) it spells per character 0.94 of its 1000 training samples and
0.65 of the 200 held-out ones; whole sequences 0.68 against 0.05. It has
memorised its samples. The encoder must pack seven digits into 32 numbers,
and 1000 of the 10 000 000 possible inputs do not force the rule "each digit
becomes its own letter" on it: a code that tells those 1000 apart lowers the
loss as well. On a fresh sample that code still recovers the first digit
(0.94 of the time) and the last ones better than the middle ones (about
0.5), which averages to about 0.65 per character, and all seven letters come
out right about one time in twenty. More samples, not more training, teach
the rule (above).
"""

import numpy as np

DIGITS = "0123456789"
LETTERS = "abcdefghij"
IDX2CHAR = tuple(DIGITS + LETTERS)  # the course's char_set, in a fixed order
CHAR_DIC = {c: i for i, c in enumerate(IDX2CHAR)}

SEQ_LENGTH = 7  # time steps
DATA_DIM = len(IDX2CHAR)  # one-hot size
NUM_CLASSES = len(IDX2CHAR)
HIDDEN_SIZE = 32  # both LSTMs
TRAIN_SAMPLES = 1000
TEST_SAMPLES = 200
SEED = 777


def _draw():
    rng = np.random.RandomState(SEED)
    train = np.array([rng.choice(10, SEQ_LENGTH)
                      for _ in range(TRAIN_SAMPLES)])
    seen = {tuple(row) for row in train}
    test, rejected = [], 0
    while len(test) < TEST_SAMPLES:
        pick = rng.choice(10, SEQ_LENGTH)
        if tuple(pick) in seen:
            rejected += 1
            continue
        seen.add(tuple(pick))
        test.append(pick)
    return train, np.array(test), rejected


TRAIN_DIGITS, TEST_DIGITS, REJECTED_TEST_DRAWS = _draw()  # digits 0-9


def encode(digits):
    """Digit arrays -> (indices of the digits, indices of their letters)."""
    x = np.array([[CHAR_DIC[DIGITS[c]] for c in row] for row in digits],
                 dtype=np.int32)
    y = np.array([[CHAR_DIC[LETTERS[c]] for c in row] for row in digits],
                 dtype=np.int32)
    return x, y


TRAIN_X, TRAIN_Y = encode(TRAIN_DIGITS)  # (1000, 7) each
TEST_X, TEST_Y = encode(TEST_DIGITS)  # (TEST_SAMPLES, 7) each


def one_hot(indices, dtype="float32"):
    """(N, 7) symbol indices -> (N, 7, 20) one-hot in `dtype`."""
    return np.eye(DATA_DIM, dtype=dtype)[indices]


def dataset(dtype="float32"):
    """`(train_x, train_y, test_x, test_y)`: one-hot inputs in `dtype`,
    int32 target indices."""
    return (one_hot(TRAIN_X, dtype), TRAIN_Y, one_hot(TEST_X, dtype), TEST_Y)


def text(indices):
    """One sample's symbol indices as a string, e.g. "dbebfjc"."""
    return "".join(IDX2CHAR[i] for i in indices)


def prediction_text(indices):
    """The first sample of a (N, 7) prediction, e.g. "dbebfjc"."""
    return text(np.asarray(indices)[0])


def examples(result, count=10):
    """The first `count` held-out samples as the original printed its test:
    "3141592  ->  dbebfjc  true:  dbebfjc" (`result`: the lab's `LabResult`
    or its test step's `Evaluation`, whose "test_predictions" array it
    reads)."""
    predicted = result.arrays["test_predictions"]
    return [f"{text(x)}  ->  {text(p)}  true:  {text(y)}"
            for x, p, y in zip(TEST_X[:count], predicted[:count],
                               TEST_Y[:count])]

# Training: Adam on minibatches in the fixed order of labs.harness.batches
# (see the module docstring for why these numbers).
LEARNING_RATE = 0.01
BATCH_SIZE = 100
ITERATIONS = 1000  # 100 epochs
