"""Keras 2's text utilities (`keras.preprocessing.text`), which Keras 3 removed.

`Tokenizer`, `text_to_word_sequence`, `one_hot`, `hashing_trick` and
`tokenizer_from_json` with the signatures and results of Keras 2.15
(`keras/src/preprocessing/text.py`, identical to tf-keras 2.21's), for code
such as the course's RNN language model (seed 002). Pure Python and numpy: it
imports neither TensorFlow nor Keras, so it serves Keras 3 on every supported
TensorFlow, and TF 2.15's Keras 2 too.

Why not re-export `tf_keras.preprocessing.text` (measured; see the README,
"Keras 2 text utilities"): `tf-keras` pins the TensorFlow minor and depends on
the `tensorflow` distribution, so on an env built on `tensorflow-cpu` it drags
the full `tensorflow` wheel in over the same files; and importing it costs
seconds beside Keras 3. The standalone `keras_preprocessing` package is
archived (last release 2020). The code below follows Keras 2.15's line by
line; the oracle tests (tests/oracle/test_keras2_text.py) compare it with
tf-keras and with TF 2.15's Keras on generated texts.

The rules, as Keras 2 applied them:

* Words (`text_to_word_sequence`): lowercase if `lower`, replace every
  character of `filters` by `split`, split on `split`, drop empty strings.
  With `char_level=True` (Tokenizer only) a text's characters are its tokens
  (lowercased if `lower`; `filters` and `split` are not applied); a text given
  as a list of strings is taken as its tokens (lowercased if `lower`). A
  custom `analyzer(text) -> tokens` replaces `text_to_word_sequence`.
* `fit_on_texts` counts, over all texts fitted so far, `word_counts[w]`
  (occurrences) and `word_docs[w]` (texts containing w), then numbers the
  words from 1 by descending count, ties in order of first appearance (a
  stable sort); `oov_token`, if given, takes index 1 and pushes the others
  up. Index 0 is never assigned (padding). `index_docs[i] = word_docs[w]`.
* `num_words=n` keeps the words with index < n (the n - 1 most frequent,
  counting the OOV token): `texts_to_sequences` drops the others, or maps
  them to the OOV index when `oov_token` is set; unknown words likewise.
  `word_index` always holds every word.
* `sequences_to_matrix(seqs, mode)` has one row per sequence and
  `num_words` columns (`len(word_index) + 1` without `num_words`); indices
  >= that are ignored. For index j occurring c times in a sequence of length
  L (L counts the ignored indices too), with D = `document_count` and
  df_j = `index_docs[j]`: binary 1; count c; freq c / L;
  tfidf (1 + ln c) * ln(1 + D / (1 + df_j)).
* `hashing_trick(text, n)` maps each word w to hash_function(w) % (n - 1) + 1;
  `hash_function=None` (and `one_hot`) use Python's `hash`, which changes
  with PYTHONHASHSEED; "md5" is stable.
* `to_json` / `tokenizer_from_json` round-trip the configuration and every
  count (the dictionaries are nested JSON strings, as Keras 2 wrote them), so
  Keras 2 tokenizer files load here and ours load in Keras 2.

Where this differs from Keras 2.15, on purpose:

* Bad arguments raise a `TypeError` / `ValueError` naming the argument, at
  the call, where Keras 2 failed later or returned garbage (an unknown `mode`
  was only noticed on a non-empty sequence; a negative index wrote into the
  last column; an unfitted tokenizer with `oov_token` returned `None`
  indices).
* A tokenizer loaded by `tokenizer_from_json` keeps `word_docs` and
  `index_docs` as `defaultdict(int)`, so it can be fitted further (Keras 2
  raised `KeyError` on the first new word).
* `sequences_to_matrix` also accepts numpy arrays as sequences.
"""

import collections
import hashlib
import json
import numbers
import warnings

import numpy as np

__all__ = [
    "Tokenizer",
    "hashing_trick",
    "one_hot",
    "text_to_word_sequence",
    "tokenizer_from_json",
]

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
MATRIX_MODES = ("binary", "count", "tfidf", "freq")


def _check_flag(value, name):
    # Keras 2 used these by truth value; 0 and 1 were accepted like bools.
    if not isinstance(value, (bool, numbers.Integral, np.bool_)):
        raise TypeError(f"`{name}` must be a bool, got {value!r}")


def _check_filters(filters):
    if isinstance(filters, str):
        return
    try:
        characters = list(filters)
    except TypeError:
        characters = None
    if characters is None or not all(isinstance(c, str) and len(c) == 1 for c in characters):
        raise TypeError(
            "`filters` must be a string of characters to filter out (or a list of "
            f"single characters), got {filters!r}"
        )


def _check_split(split):
    # None is what Keras 2 accepted besides a string: filtered characters are
    # deleted and the text is split on runs of whitespace (str.split(None)).
    if split is None:
        return
    if not isinstance(split, str) or not split:
        raise ValueError(f"`split` must be a non-empty string, got {split!r}")


def _check_text(text, name):
    if not isinstance(text, str):
        raise TypeError(f"`{name}` must be a string, got {type(text).__name__}: {text!r}")


def text_to_word_sequence(input_text, filters=DEFAULT_FILTERS, lower=True, split=" "):
    """Split a text into words: lowercase, filter, split, drop empties.

    Args:
        input_text: str.
        filters: characters to filter out (str, or list of single characters);
            each is replaced by `split`. Default: punctuation except `'`, tab
            and newline.
        lower: bool. Lowercase the text first.
        split: non-empty str, the word separator.

    Returns:
        list of str, the non-empty words in order.
    """
    _check_text(input_text, "input_text")
    _check_filters(filters)
    _check_flag(lower, "lower")
    _check_split(split)
    return _words(input_text, filters, lower, split)


def _words(input_text, filters, lower, split):
    if lower:
        input_text = input_text.lower()
    translate_map = str.maketrans({c: split for c in filters})
    input_text = input_text.translate(translate_map)
    return [word for word in input_text.split(split) if word]


def one_hot(input_text, n, filters=DEFAULT_FILTERS, lower=True, split=" ", analyzer=None):
    """`hashing_trick` with Python's `hash` (indices change with PYTHONHASHSEED).

    Returns:
        list of int in [1, n - 1], one per word (collisions possible).
    """
    return hashing_trick(
        input_text,
        n,
        hash_function=hash,
        filters=filters,
        lower=lower,
        split=split,
        analyzer=analyzer,
    )


def hashing_trick(
    text,
    n,
    hash_function=None,
    filters=DEFAULT_FILTERS,
    lower=True,
    split=" ",
    analyzer=None,
):
    """Map each word w of `text` to hash_function(w) % (n - 1) + 1.

    Args:
        text: str.
        n: int >= 2, the size of the hashing space (index 0 is never used).
        hash_function: None (Python's `hash`, salted per process unless
            PYTHONHASHSEED is set), "md5" (stable: the MD5 digest of the UTF-8
            word as an integer), or a callable str -> int.
        filters, lower, split: as in `text_to_word_sequence`.
        analyzer: None, or a callable text -> list of words used instead of
            `text_to_word_sequence`.

    Returns:
        list of int in [1, n - 1].
    """
    _check_text(text, "text")
    if isinstance(n, bool) or not isinstance(n, numbers.Integral) or n < 2:
        raise ValueError(f"`n` must be an integer >= 2 (index 0 is reserved), got {n!r}")
    if hash_function is None:
        hash_function = hash
    elif isinstance(hash_function, str) and hash_function == "md5":

        def hash_function(word):
            return int(hashlib.md5(word.encode()).hexdigest(), 16)

    elif not callable(hash_function):
        raise ValueError(
            f"`hash_function` must be None, 'md5' or a callable, got {hash_function!r}"
        )
    if analyzer is None:
        words = text_to_word_sequence(text, filters=filters, lower=lower, split=split)
    elif not callable(analyzer):
        raise TypeError(f"`analyzer` must be None or a callable, got {analyzer!r}")
    else:
        words = analyzer(text)
    return [hash_function(word) % (n - 1) + 1 for word in words]


class Tokenizer:
    """Keras 2's text tokenizer: word counts, a frequency-ordered index, and
    texts as index sequences or matrices (rules in the module docstring).

    Args:
        num_words: None, or int >= 0: only indices < num_words are used by
            `texts_to_sequences` and the matrices (0 means None, as in Keras 2).
        filters: characters removed from texts (see `text_to_word_sequence`).
        lower: bool. Lowercase texts.
        split: non-empty str, the word separator.
        char_level: bool. Every character is a token.
        oov_token: None or str. If given, it gets index 1 and stands for
            unknown (and beyond-`num_words`) words in `texts_to_sequences`.
        analyzer: None, or a callable text -> list of tokens replacing
            `text_to_word_sequence` (not saved by `to_json`).
        document_count: int >= 0, keyword only (used by `tokenizer_from_json`).
        nb_words: Keras 1's name of `num_words` (warns).

    Attributes (as in Keras 2): `word_counts` (OrderedDict word -> count,
    first-appearance order), `word_docs` (word -> number of texts),
    `word_index` (word -> index), `index_word` (index -> word), `index_docs`
    (index -> number of texts), `document_count`.
    """

    def __init__(
        self,
        num_words=None,
        filters=DEFAULT_FILTERS,
        lower=True,
        split=" ",
        char_level=False,
        oov_token=None,
        analyzer=None,
        **kwargs,
    ):
        if "nb_words" in kwargs:
            warnings.warn(
                "The `nb_words` argument in `Tokenizer` has been renamed `num_words`.",
                stacklevel=2,
            )
            num_words = kwargs.pop("nb_words")
        document_count = kwargs.pop("document_count", 0)
        if kwargs:
            raise TypeError("Unrecognized keyword arguments: " + str(kwargs))
        if num_words is not None and (
            isinstance(num_words, bool) or not isinstance(num_words, numbers.Integral) or num_words < 0
        ):
            raise ValueError(f"`num_words` must be None or an integer >= 0, got {num_words!r}")
        _check_filters(filters)
        _check_flag(lower, "lower")
        _check_split(split)
        _check_flag(char_level, "char_level")
        if oov_token is not None and not isinstance(oov_token, str):
            raise TypeError(f"`oov_token` must be None or a string, got {oov_token!r}")
        if analyzer is not None and not callable(analyzer):
            raise TypeError(f"`analyzer` must be None or a callable, got {analyzer!r}")
        if (
            isinstance(document_count, bool)
            or not isinstance(document_count, numbers.Integral)
            or document_count < 0
        ):
            raise ValueError(f"`document_count` must be an integer >= 0, got {document_count!r}")

        self.word_counts = collections.OrderedDict()
        self.word_docs = collections.defaultdict(int)
        self.filters = filters
        self.split = split
        self.lower = lower
        self.num_words = num_words
        self.document_count = document_count
        self.char_level = char_level
        self.oov_token = oov_token
        self.index_docs = collections.defaultdict(int)
        self.word_index = {}
        self.index_word = {}
        self.analyzer = analyzer

    def _tokens(self, text, position):
        """The tokens of one text (a str, or a list of str taken as tokens)."""
        if isinstance(text, list):
            if not all(isinstance(token, str) for token in text):
                raise TypeError(f"texts[{position}] is a list, so its items must be strings (tokens)")
            return [token.lower() for token in text] if self.lower else text
        if not isinstance(text, str):
            raise TypeError(
                f"texts[{position}] must be a string or a list of strings (tokens), "
                f"got {type(text).__name__}: {text!r}"
            )
        if self.char_level:
            return text.lower() if self.lower else text
        if self.analyzer is not None:
            return self.analyzer(text)
        return _words(text, self.filters, self.lower, self.split)

    def fit_on_texts(self, texts):
        """Count the words of `texts` (strs, or lists of tokens; any iterable)
        and renumber `word_index` over everything fitted so far."""
        for position, text in enumerate(texts):
            tokens = self._tokens(text, position)
            self.document_count += 1
            for word in tokens:
                if word in self.word_counts:
                    self.word_counts[word] += 1
                else:
                    self.word_counts[word] = 1
            # set() order (string hashes) decides word_docs' insertion order,
            # which to_json writes out: kept as Keras 2 had it.
            for word in set(tokens):
                self.word_docs[word] += 1

        by_count = list(self.word_counts.items())
        by_count.sort(key=lambda item: item[1], reverse=True)  # stable: ties keep first appearance
        vocabulary = [] if self.oov_token is None else [self.oov_token]
        vocabulary.extend(word for word, _ in by_count)
        # An oov_token that also occurs in the texts ends with its later index, as in Keras 2.
        self.word_index = dict(zip(vocabulary, range(1, len(vocabulary) + 1)))
        self.index_word = {index: word for word, index in self.word_index.items()}
        for word, docs in list(self.word_docs.items()):
            self.index_docs[self.word_index[word]] = docs

    def fit_on_sequences(self, sequences):
        """Count documents per index from index sequences (for
        `sequences_to_matrix` without `fit_on_texts`)."""
        sequences = list(sequences)
        self.document_count += len(sequences)
        for sequence in sequences:
            for index in set(sequence):
                self.index_docs[index] += 1

    def texts_to_sequences(self, texts):
        """List of index sequences, one per text (see `num_words`, `oov_token`)."""
        return list(self.texts_to_sequences_generator(texts))

    def texts_to_sequences_generator(self, texts):
        """Yield one index sequence per text."""
        num_words = self.num_words
        oov_token_index = self.word_index.get(self.oov_token)
        if self.oov_token is not None and oov_token_index is None:
            raise ValueError(
                f"oov_token {self.oov_token!r} has no index: call fit_on_texts before "
                "texts_to_sequences"
            )
        for position, text in enumerate(texts):
            sequence = []
            for word in self._tokens(text, position):
                index = self.word_index.get(word)
                if index is not None:
                    if num_words and index >= num_words:
                        if oov_token_index is not None:
                            sequence.append(oov_token_index)
                    else:
                        sequence.append(index)
                elif self.oov_token is not None:
                    sequence.append(oov_token_index)
            yield sequence

    def sequences_to_texts(self, sequences):
        """List of texts (words joined by a space), one per index sequence."""
        return list(self.sequences_to_texts_generator(sequences))

    def sequences_to_texts_generator(self, sequences):
        """Yield one text per index sequence; unknown and beyond-`num_words`
        indices are dropped, or become the OOV token when it is set."""
        num_words = self.num_words
        oov_token_index = self.word_index.get(self.oov_token)
        if self.oov_token is not None and self.index_word.get(oov_token_index) is None:
            raise ValueError(
                f"oov_token {self.oov_token!r} has no index: call fit_on_texts before "
                "sequences_to_texts"
            )
        for sequence in sequences:
            words = []
            for index in sequence:
                word = self.index_word.get(index)
                if word is not None:
                    if num_words and index >= num_words:
                        if oov_token_index is not None:
                            words.append(self.index_word[oov_token_index])
                    else:
                        words.append(word)
                elif self.oov_token is not None:
                    words.append(self.index_word[oov_token_index])
            yield " ".join(words)

    def texts_to_matrix(self, texts, mode="binary"):
        """`sequences_to_matrix(texts_to_sequences(texts), mode)`."""
        _check_mode(mode)
        return self.sequences_to_matrix(self.texts_to_sequences(texts), mode=mode)

    def sequences_to_matrix(self, sequences, mode="binary"):
        """float64 array (len(sequences), num_words), `mode` one of "binary",
        "count", "tfidf", "freq" (formulas in the module docstring)."""
        _check_mode(mode)
        if not self.num_words:
            if self.word_index:
                num_words = len(self.word_index) + 1
            else:
                raise ValueError(
                    "Specify a dimension (`num_words` argument), or fit on some text data first."
                )
        else:
            num_words = self.num_words

        if mode == "tfidf" and not self.document_count:
            raise ValueError("Fit the Tokenizer on some data before using tfidf mode.")

        sequences = list(sequences)
        x = np.zeros((len(sequences), num_words))
        for row, sequence in enumerate(sequences):
            if len(sequence) == 0:
                continue
            counts = collections.defaultdict(int)
            for index in sequence:
                if isinstance(index, (bool, np.bool_)) or not isinstance(index, numbers.Integral):
                    raise TypeError(f"sequences[{row}] holds {index!r}; indices must be integers")
                if index < 0:
                    raise ValueError(f"sequences[{row}] holds {index}; indices must be >= 0")
                if index >= num_words:
                    continue
                counts[index] += 1
            for index, count in list(counts.items()):
                if mode == "count":
                    x[row][index] = count
                elif mode == "freq":
                    x[row][index] = count / len(sequence)
                elif mode == "binary":
                    x[row][index] = 1
                else:  # tfidf, weighting scheme 2 of https://en.wikipedia.org/wiki/Tf%E2%80%93idf
                    tf = 1 + np.log(count)
                    idf = np.log(1 + self.document_count / (1 + self.index_docs.get(index, 0)))
                    x[row][index] = tf * idf
        return x

    def get_config(self):
        """The configuration and counts, the dictionaries as JSON strings."""
        return {
            "num_words": self.num_words,
            "filters": self.filters,
            "lower": self.lower,
            "split": self.split,
            "char_level": self.char_level,
            "oov_token": self.oov_token,
            "document_count": self.document_count,
            "word_counts": json.dumps(self.word_counts),
            "word_docs": json.dumps(self.word_docs),
            "index_docs": json.dumps(self.index_docs),
            "index_word": json.dumps(self.index_word),
            "word_index": json.dumps(self.word_index),
        }

    def to_json(self, **kwargs):
        """`{"class_name": "Tokenizer", "config": get_config()}` as JSON;
        `kwargs` go to `json.dumps`. Read back with `tokenizer_from_json`."""
        return json.dumps(
            {"class_name": self.__class__.__name__, "config": self.get_config()}, **kwargs
        )


def _check_mode(mode):
    if mode not in MATRIX_MODES:
        raise ValueError(f"`mode` must be one of {', '.join(MATRIX_MODES)}; got {mode!r}")


_SERIALIZED_COUNTS = ("word_counts", "word_docs", "index_docs", "index_word", "word_index")


def tokenizer_from_json(json_string):
    """A `Tokenizer` from `Tokenizer.to_json()` output (ours or Keras 2's)."""
    if not isinstance(json_string, (str, bytes, bytearray)):
        raise TypeError(f"`json_string` must be a JSON string, got {type(json_string).__name__}")
    tokenizer_config = json.loads(json_string)
    config = tokenizer_config.get("config") if isinstance(tokenizer_config, dict) else None
    if not isinstance(config, dict) or not all(key in config for key in _SERIALIZED_COUNTS):
        raise ValueError(
            "`json_string` is not a Tokenizer's JSON: expected an object with a "
            f"'config' holding {', '.join(_SERIALIZED_COUNTS)}"
        )
    config = dict(config)
    word_counts = json.loads(config.pop("word_counts"), object_pairs_hook=collections.OrderedDict)
    word_docs = json.loads(config.pop("word_docs"))
    # JSON object keys are strings: the integer indices are restored.
    index_docs = {int(k): v for k, v in json.loads(config.pop("index_docs")).items()}
    index_word = {int(k): v for k, v in json.loads(config.pop("index_word")).items()}
    word_index = json.loads(config.pop("word_index"))

    tokenizer = Tokenizer(**config)
    tokenizer.word_counts = word_counts
    tokenizer.word_docs = collections.defaultdict(int, word_docs)
    tokenizer.index_docs = collections.defaultdict(int, index_docs)
    tokenizer.word_index = word_index
    tokenizer.index_word = index_word
    return tokenizer
