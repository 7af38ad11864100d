"""Lab 12-7 data and hyperparameters: a word-level RNN language model.

Seed 002 (chapter 4, "RNNLM") trains a language model on three Korean
sentences and makes it write them again from their first words. The text is
the seed's triple-quoted string, each sentence followed by a blank line:

    경마장에 있는 말이 뛰고 있다   (the horse at the racecourse is running)
    그의 말이 법이다             (his word is law)
    가는 말이 고와야 오는 말이 곱다 (kind words given, kind words returned)

1. Keras 2's `Tokenizer().fit_on_texts([TEXT])` (`compat.keras2_text`, the
   Keras 2.15 behaviour Keras 3 removed) numbers the 11 words by count, ties
   in order of first appearance; 0 is never a word (padding):

       {'말이': 1, '경마장에': 2, '있는': 3, '뛰고': 4, '있다': 5, '그의': 6,
        '법이다': 7, '가는': 8, '고와야': 9, '오는': 10, '곱다': 11}

   so VOCAB_SIZE = len(word_index) + 1 = 12.
2. Every prefix of at least two words of each encoded line is a sample
   (3 + 1 + 4 ... : 4 + 2 + 5 = 11 samples), pre-padded with 0 to the longest,
   MAX_LEN = 6 words. X is every column but the last (11, 5), y the last
   word (11,), as class indices (the seed one-hot encoded y for
   `categorical_crossentropy`; indices with a sparse loss are the same
   numbers, see `labs.rnn_language_model.v2`).
3. `sentence_generation(predict, word, n)`: the seed's loop, n times: encode
   the text so far, pre-pad it to MAX_LEN - 1, append the argmax word.
   GENERATIONS are the seed's three calls; its printed results are the three
   sentences.

The seed's hyperparameters are Keras 2 defaults: `Adam()` (learning rate
0.001, epsilon 1e-7) and 200 epochs of `fit` at its default batch size 32,
i.e. one full batch of 11 samples, one update, per epoch.
"""

import functools

import numpy as np

from compat.keras2_text import Tokenizer

TEXT = """경마장에 있는 말이 뛰고 있다\n
그의 말이 법이다\n
가는 말이 고와야 오는 말이 곱다\n"""

TOKENIZER = Tokenizer()
TOKENIZER.fit_on_texts([TEXT])
WORD_INDEX = dict(TOKENIZER.word_index)

# index -> word; index 0 is the padding, which the Tokenizer never assigns
IDX2WORD = ("<pad>",) + tuple(
    sorted(WORD_INDEX, key=WORD_INDEX.__getitem__))

LINES = tuple(line for line in TEXT.split("\n") if line)
GENERATIONS = (("경마장에", 4), ("그의", 2), ("가는", 5))  # (first word, n)

# train Parameters
VOCAB_SIZE = len(WORD_INDEX) + 1  # 12, 0 is padding
MAX_LEN = 6  # the longest sample: 6 words
EMBEDDING_DIM = 10
HIDDEN_SIZE = 32
LEARNING_RATE = 0.001
EPSILON = 1e-7  # Keras 2's Adam default (TF1 AdamOptimizer's was 1e-8)
# The seed's 200 epochs suffice: measured (TF 2.21), every next word is right,
# hence the three sentences regenerate, from iteration 161 on (v1, float32),
# 181 (v1, float64; TF1's initialisers draw other numbers per dtype) and
# 111 / 127 (v2 from Keras's initialisers with stock Adam).
ITERATIONS = 200


def encoded_lines():
    """Each line of TEXT as its word indices."""
    return [TOKENIZER.texts_to_sequences([line])[0] for line in LINES]


def prefix_samples():
    """Every prefix of 2 or more words of every line, in text order."""
    return [encoded[:i + 1] for encoded in encoded_lines()
            for i in range(1, len(encoded))]


def pad(sequences, maxlen):
    """`sequences` pre-padded (and pre-truncated) with 0 to `maxlen`, int32."""
    from keras.utils import pad_sequences  # imports TensorFlow: only when used

    return pad_sequences(sequences, maxlen=maxlen, padding="pre").astype(
        np.int32)


@functools.lru_cache(maxsize=None)
def _training_data():
    sequences = pad(prefix_samples(), MAX_LEN)
    x, y = sequences[:, :-1], sequences[:, -1]
    for array in (x, y):
        array.setflags(write=False)
    return x, y


def training_data():
    """`(x, y)`: x int32 (11, 5) padded prefixes, y int32 (11,) next words."""
    return _training_data()


def word_of(index):
    """The word of a vocabulary index ("<pad>" for 0)."""
    return IDX2WORD[int(index)]


def prediction_text(indices):
    """The three sentences as the model continues their true prefixes.

    `indices` (11,) are the predicted next words of the 11 samples; each line
    is its first word followed by the predictions for its prefixes, so it
    reads as its sentence exactly when every next word is right. Lines are
    joined by " / ".
    """
    indices = np.asarray(indices).reshape(-1)
    lines, start = [], 0
    for encoded in encoded_lines():
        count = len(encoded) - 1
        words = [word_of(encoded[0])] + [
            word_of(index) for index in indices[start:start + count]]
        lines.append(" ".join(words))
        start += count
    return " / ".join(lines)


def sentence_generation(predict, current_word, n):
    """The seed's generation loop: `current_word` followed by `n` words.

    Args:
      predict: `predict(encoded) -> logits` (or probabilities), encoded an
        int32 (1, MAX_LEN - 1) array: the model.
      current_word: the first word(s).
      n: number of words to generate.

    Returns:
      `(sentence, indices)`: the text and the n generated word indices.
      An index 0 (padding, never a word) reads "<pad>"; the seed's lookup
      loop (`for word, index in t.word_index.items(): if index == result:
      break`) would have printed the last word of the vocabulary instead.
    """
    if not isinstance(n, int) or isinstance(n, bool) or n < 1:
        raise ValueError(f"n must be an int >= 1, got {n!r}.")
    indices = []
    for _ in range(n):
        encoded = TOKENIZER.texts_to_sequences([current_word])[0]
        encoded = pad([encoded], MAX_LEN - 1)
        result = int(np.argmax(predict(encoded), axis=-1)[0])
        current_word = current_word + " " + word_of(result)
        indices.append(result)
    return current_word, indices


def generate_all(predict):
    """The seed's three generations: `(sentences, indices)`; indices int64
    (3, MAX_LEN), each row the first word and the generated ones, then 0
    (padding) up to MAX_LEN."""
    sentences = []
    indices = np.zeros((len(GENERATIONS), MAX_LEN), dtype=np.int64)
    for row, (word, n) in enumerate(GENERATIONS):
        sentence, generated = sentence_generation(predict, word, n)
        sentences.append(sentence)
        indices[row, :n + 1] = [WORD_INDEX[word]] + generated
    return tuple(sentences), indices
