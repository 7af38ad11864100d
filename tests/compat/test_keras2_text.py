"""`compat.keras2_text` on its own (no tf-keras needed): seed 002's language
model preprocessing gives what Keras 2 gave, and bad input is refused.

The comparison with Keras 2 itself on generated texts is
tests/oracle/test_keras2_text.py.
"""

import collections
import subprocess
import sys

import numpy as np
import pytest

from compat.keras2_text import (
    Tokenizer,
    hashing_trick,
    one_hot,
    text_to_word_sequence,
    tokenizer_from_json,
)

# Seed 002's RNN language model (wikidocs' Korean tutorial): one string, a
# sentence per line, fitted as a single text.
SEED_002_TEXT = """경마장에 있는 말이 뛰고 있다\n그의 말이 법이다\n가는 말이 고와야 오는 말이 곱다\n"""
SEED_002_SENTENCES = SEED_002_TEXT.split("\n")[:3]

# Historical figure: Keras 2.15's `Tokenizer().fit_on_texts(...)` on those
# sentences, as recorded in ../shared/KERAS2.md (measured on TF 2.15 / Keras 2.15).
KERAS_2_15_WORD_INDEX = {
    "말이": 1, "경마장에": 2, "있는": 3, "뛰고": 4, "있다": 5, "그의": 6,
    "법이다": 7, "가는": 8, "고와야": 9, "오는": 10, "곱다": 11,
}


@pytest.fixture
def seed_tokenizer():
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts([SEED_002_TEXT])
    return tokenizer


@pytest.mark.parametrize("texts", [[SEED_002_TEXT], SEED_002_SENTENCES], ids=["one_text", "three_texts"])
def test_seed_002_word_index_is_keras_2_15s(texts):
    tokenizer = Tokenizer()
    tokenizer.fit_on_texts(texts)
    assert list(tokenizer.word_index.items()) == list(KERAS_2_15_WORD_INDEX.items())
    assert tokenizer.index_word == {i: w for w, i in KERAS_2_15_WORD_INDEX.items()}
    assert tokenizer.document_count == len(texts)


def test_seed_002_counts_follow_first_appearance(seed_tokenizer):
    words = SEED_002_TEXT.split()
    assert list(seed_tokenizer.word_counts.items()) == list(collections.Counter(words).items())
    assert dict(seed_tokenizer.word_docs) == {word: 1 for word in words}


def test_seed_002_training_prefixes(seed_tokenizer):
    """The tutorial's training set: every prefix (length >= 2) of every line."""
    vocab_size = len(seed_tokenizer.word_index) + 1
    assert vocab_size == 12
    sequences = []
    for line in SEED_002_TEXT.split("\n"):
        encoded = seed_tokenizer.texts_to_sequences([line])[0]
        assert encoded == [KERAS_2_15_WORD_INDEX[word] for word in line.split()]
        sequences.extend(encoded[: i + 1] for i in range(1, len(encoded)))
    assert len(sequences) == sum(len(line.split()) - 1 for line in SEED_002_SENTENCES)
    assert 0 not in {index for sequence in sequences for index in sequence}  # 0 is padding
    assert max(len(sequence) for sequence in sequences) == 6


def test_seed_002_generation_decodes_indices(seed_tokenizer):
    """sentence_generation looks the predicted index up in word_index: the
    sequences decode back to the sentences."""
    sequences = seed_tokenizer.texts_to_sequences(SEED_002_SENTENCES)
    assert seed_tokenizer.sequences_to_texts(sequences) == SEED_002_SENTENCES


def test_seed_002_json_round_trip(seed_tokenizer):
    loaded = tokenizer_from_json(seed_tokenizer.to_json(ensure_ascii=False))
    assert list(loaded.word_index.items()) == list(KERAS_2_15_WORD_INDEX.items())
    assert loaded.texts_to_sequences(SEED_002_SENTENCES) == seed_tokenizer.texts_to_sequences(
        SEED_002_SENTENCES)
    assert loaded.get_config() == seed_tokenizer.get_config()


def test_seed_002_matrix_modes(seed_tokenizer):
    line = SEED_002_SENTENCES[2]  # 가는 말이 고와야 오는 말이 곱다: 말이 twice
    words = line.split()
    counts = collections.Counter(KERAS_2_15_WORD_INDEX[w] for w in words)
    columns = len(KERAS_2_15_WORD_INDEX) + 1
    expected = {mode: np.zeros((1, columns)) for mode in ("binary", "count", "freq", "tfidf")}
    for index, count in counts.items():
        expected["binary"][0, index] = 1
        expected["count"][0, index] = count
        expected["freq"][0, index] = count / len(words)
        # one document fitted, every word in it: idf = ln(1 + 1 / 2)
        expected["tfidf"][0, index] = (1 + np.log(count)) * np.log(1 + 1 / 2)
    for mode, matrix in expected.items():
        np.testing.assert_allclose(seed_tokenizer.texts_to_matrix([line], mode=mode), matrix,
                                   rtol=1e-15, err_msg=mode)


def test_oov_token_takes_index_1_and_stands_for_unknown_words():
    tokenizer = Tokenizer(oov_token="<OOV>")
    tokenizer.fit_on_texts(SEED_002_SENTENCES)
    assert tokenizer.word_index == {"<OOV>": 1, **{w: i + 1 for w, i in KERAS_2_15_WORD_INDEX.items()}}
    assert tokenizer.texts_to_sequences(["그의 말이 빠르다"]) == [[7, 2, 1]]
    plain = Tokenizer()
    plain.fit_on_texts(SEED_002_SENTENCES)
    assert plain.texts_to_sequences(["그의 말이 빠르다"]) == [[6, 1]]


def test_num_words_keeps_indices_below_it():
    tokenizer = Tokenizer(num_words=4)
    tokenizer.fit_on_texts(SEED_002_SENTENCES)
    assert tokenizer.word_index == KERAS_2_15_WORD_INDEX  # the index keeps every word
    assert tokenizer.texts_to_sequences(SEED_002_SENTENCES) == [[2, 3, 1], [1], [1, 1]]
    assert tokenizer.texts_to_matrix(SEED_002_SENTENCES).shape == (3, 4)


def test_freq_with_num_words_below_the_vocabulary():
    """Keras 2.15's `sequences_to_matrix` writes c / len(seq) for mode "freq"
    (keras/preprocessing/text.py). Through `texts_to_matrix` the sequence has
    already lost the words at or above `num_words`, so L counts the kept words
    only; given as a sequence, an index at or above `num_words` is skipped
    but still counts in L; with an OOV token the dropped words become index
    1 and count as it."""
    tokenizer = Tokenizer(num_words=4)
    tokenizer.fit_on_texts(SEED_002_SENTENCES)
    kept = tokenizer.texts_to_sequences(SEED_002_SENTENCES)  # [[2, 3, 1], [1], [1, 1]]
    expected = np.zeros((3, 4))
    for row, sequence in enumerate(kept):
        for index, count in collections.Counter(sequence).items():
            expected[row, index] = count / len(sequence)
    assert len(SEED_002_SENTENCES[0].split()) > len(kept[0])  # words were dropped
    np.testing.assert_array_equal(tokenizer.texts_to_matrix(SEED_002_SENTENCES, mode="freq"), expected)
    np.testing.assert_array_equal(tokenizer.sequences_to_matrix([[1, 5, 5, 2]], mode="freq"),
                                  [[0, 1 / 4, 1 / 4, 0]])
    with_oov = Tokenizer(num_words=4, oov_token="<OOV>")
    with_oov.fit_on_texts(SEED_002_SENTENCES)
    line = SEED_002_SENTENCES[0]
    sequence = with_oov.texts_to_sequences([line])[0]
    assert len(sequence) == len(line.split()) and 1 in sequence
    row = np.zeros(4)
    for index, count in collections.Counter(sequence).items():
        row[index] = count / len(sequence)
    np.testing.assert_array_equal(with_oov.texts_to_matrix([line], mode="freq"), [row])


def test_default_filters_and_lower():
    assert text_to_word_sequence("Hello, World!\t말이\n'quoted' a--b") == [
        "hello", "world", "말이", "'quoted'", "a", "b"]
    assert text_to_word_sequence("A.B", filters="", lower=False) == ["A.B"]
    assert text_to_word_sequence("a-b c", split="-") == ["a", "b c"]
    # split=None, which Keras 2 accepted: filtered characters vanish, whitespace splits
    assert text_to_word_sequence("a.b c\td  e", split=None) == ["ab", "cd", "e"]


def test_char_level_keeps_spaces_and_punctuation():
    tokenizer = Tokenizer(char_level=True)
    tokenizer.fit_on_texts(["말이 말!"])
    assert list(tokenizer.word_index) == ["말", "이", " ", "!"]


def test_hashing():
    assert hashing_trick("a b a", 2) == [1, 1, 1]
    md5 = hashing_trick("말이 뛰고 말이", 100, hash_function="md5")
    assert md5[0] == md5[2] and all(1 <= i <= 99 for i in md5)
    assert one_hot("a b a", 10) == hashing_trick("a b a", 10, hash_function=hash)


def test_loaded_tokenizer_can_be_fitted_further(seed_tokenizer):
    """Keras 2 raised KeyError here (its loaded word_docs was a plain dict)."""
    loaded = tokenizer_from_json(seed_tokenizer.to_json())
    loaded.fit_on_texts(["말이 새로"])
    seed_tokenizer.fit_on_texts(["말이 새로"])
    assert loaded.get_config() == seed_tokenizer.get_config()


def test_imports_neither_tensorflow_nor_keras():
    code = ("import sys, compat.keras2_text; "
            "print(sorted(m for m in ('tensorflow', 'keras', 'tf_keras') if m in sys.modules))")
    output = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert output.stdout.strip() == "[]"


@pytest.mark.parametrize("call, message", [
    (lambda: Tokenizer(num_words=-1), "`num_words`"),
    (lambda: Tokenizer(num_words=2.5), "`num_words`"),
    (lambda: Tokenizer(filters=None), "`filters`"),
    (lambda: Tokenizer(filters=["ab"]), "`filters`"),
    (lambda: Tokenizer(split=""), "`split`"),
    (lambda: Tokenizer(lower="yes"), "`lower`"),
    (lambda: Tokenizer(char_level=None), "`char_level`"),
    (lambda: Tokenizer(oov_token=0), "`oov_token`"),
    (lambda: Tokenizer(analyzer="split"), "`analyzer`"),
    (lambda: Tokenizer(document_count=-1), "`document_count`"),
    (lambda: Tokenizer(nb_wordz=3), "Unrecognized keyword"),
    (lambda: Tokenizer().fit_on_texts(["ok", None]), r"texts\[1\]"),
    (lambda: Tokenizer().fit_on_texts([["ok", 3]]), r"texts\[0\]"),
    (lambda: Tokenizer(oov_token="?").texts_to_sequences(["a"]), "fit_on_texts"),
    (lambda: Tokenizer().sequences_to_matrix([[1]]), "`num_words`"),
    (lambda: Tokenizer(num_words=3).sequences_to_matrix([[1]], mode="tfidf"), "Fit the Tokenizer"),
    (lambda: Tokenizer(num_words=3).sequences_to_matrix([], mode="bogus"), "`mode`"),
    (lambda: Tokenizer(num_words=3).sequences_to_matrix([[-1]]), r"sequences\[0\]"),
    (lambda: Tokenizer(num_words=3).sequences_to_matrix([[1.0]]), r"sequences\[0\]"),
    (lambda: text_to_word_sequence(b"bytes"), "`input_text`"),
    (lambda: hashing_trick("a", 1), "`n`"),
    (lambda: hashing_trick("a", 5, hash_function="sha1"), "`hash_function`"),
    (lambda: tokenizer_from_json('{"config": {}}'), "`json_string`"),
    (lambda: tokenizer_from_json(None), "`json_string`"),
])
def test_bad_input_is_refused_naming_it(call, message):
    with pytest.raises((TypeError, ValueError), match=message):
        call()


def test_nb_words_is_keras_1s_num_words():
    with pytest.warns(UserWarning, match="renamed `num_words`"):
        assert Tokenizer(nb_words=5).num_words == 5
