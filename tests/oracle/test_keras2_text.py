"""`compat.keras2_text` against Keras 2's own `preprocessing.text`.

The oracle is `tf_keras.preprocessing.text` (the `legacy` env: TF 2.21 +
tf-keras) or, on TF 2.15 as shipped (`legacy215`), `keras.preprocessing.text`
of Keras 2.15; both are the same code. Every public function and Tokenizer
option is driven with the same hypothesis-generated texts in one process
(Python's `hash`, which `one_hot` and the order of `word_docs` depend on, is
the same for both), and the results must be equal: lists, dict contents and
their order, JSON strings, matrices bit for bit.

Texts mix Hangul syllables, Latin with case (including characters whose
lowercase is longer, like 'İ'), Greek, digits, the default filters'
punctuation, the apostrophe the filters keep, and assorted whitespace; they
repeat words from a small vocabulary so counts tie and differ, and include
empty texts. Options: `num_words`, `filters`, `lower`, `split`,
`char_level`, `oov_token` (also one that occurs in the texts), `analyzer`,
texts given as token lists.
"""

import importlib
import json

import numpy as np
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from compat import keras2_text as ours

EXAMPLES = settings(max_examples=150, deadline=None)

DEFAULT_FILTERS = '!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\t\n'
SEED_002_SENTENCES = ["경마장에 있는 말이 뛰고 있다", "그의 말이 법이다", "가는 말이 고와야 오는 말이 곱다"]


def load_keras2_text():
    """Keras 2's text module, or (None, reason)."""
    try:
        return importlib.import_module("tf_keras.preprocessing.text"), None
    except ImportError as tf_keras_error:
        try:
            import keras
        except ImportError:
            return None, f"needs tf-keras or Keras 2 (TF 2.15): {tf_keras_error}"
        if int(keras.__version__.split(".")[0]) >= 3:
            return None, (f"needs tf-keras or Keras 2 (TF 2.15); found Keras {keras.__version__} "
                          f"and {tf_keras_error}")
        return importlib.import_module("keras.preprocessing.text"), None


keras2, _REASON = load_keras2_text()
pytestmark = pytest.mark.skipif(keras2 is None, reason=str(_REASON))


# --- texts -----------------------------------------------------------------

HANGUL = st.integers(0xAC00, 0xD7A3).map(chr)
OTHER_LETTERS = st.sampled_from(list("abcXYZ012ÄöÉİßΣσςДд") + ["'"])
PUNCTUATION = st.sampled_from(list(DEFAULT_FILTERS))
WHITESPACE = st.sampled_from([" ", "\t", "\n", "\r", "\u3000", "\xa0"])

WORDS = st.text(st.one_of(HANGUL, HANGUL, OTHER_LETTERS), min_size=1, max_size=4)
SEPARATORS = st.one_of(WHITESPACE, PUNCTUATION, st.sampled_from(["  ", ", ", ". ", "! ", " - ", "말"]))


@st.composite
def corpus(draw, min_texts=0):
    """A list of texts built from a small vocabulary (ties and repeats), with
    free-form texts and empty ones mixed in."""
    vocabulary = draw(st.lists(WORDS, min_size=1, max_size=6))
    sentence = st.lists(
        st.tuples(st.sampled_from(vocabulary), SEPARATORS), max_size=8
    ).map(lambda pairs: "".join(word + separator for word, separator in pairs))
    free = st.text(st.one_of(HANGUL, OTHER_LETTERS, PUNCTUATION, WHITESPACE), max_size=20)
    return draw(st.lists(st.one_of(sentence, sentence, free, st.just("")),
                         min_size=min_texts, max_size=6))


OOV_TOKENS = st.one_of(st.none(), st.just("<OOV>"), WORDS)
FILTERS = st.one_of(st.just(DEFAULT_FILTERS), st.just(""),
                    st.text(st.one_of(PUNCTUATION, WHITESPACE, HANGUL), max_size=6))
SPLITS = st.sampled_from([" ", ",", "말", "--", "\n"])


@st.composite
def options(draw):
    """Tokenizer keyword arguments; only the non-default ones are passed."""
    kwargs = {}
    for name, strategy in (
        ("num_words", st.one_of(st.none(), st.integers(0, 12))),
        ("filters", FILTERS),
        ("lower", st.booleans()),
        ("split", SPLITS),
        ("char_level", st.booleans()),
        ("oov_token", OOV_TOKENS),
    ):
        if draw(st.booleans()):
            kwargs[name] = draw(strategy)
    return kwargs


def fitted_pair(kwargs, texts):
    pair = ours.Tokenizer(**kwargs), keras2.Tokenizer(**kwargs)
    for tokenizer in pair:
        tokenizer.fit_on_texts(texts)
    return pair


def assert_same_state(mine, theirs):
    """Every attribute Keras 2 code reads, with dict order."""
    for name in ("word_counts", "word_docs", "word_index", "index_word", "index_docs"):
        assert list(getattr(mine, name).items()) == list(getattr(theirs, name).items()), name
    for name in ("document_count", "num_words", "filters", "lower", "split", "char_level",
                 "oov_token"):
        assert getattr(mine, name) == getattr(theirs, name), name


# --- module functions ------------------------------------------------------

@EXAMPLES
@given(text=corpus(min_texts=1).map("\n".join), filters=FILTERS, lower=st.booleans(), split=SPLITS)
@example(text="Hello, World!\t말이\n'quoted' a--b", filters=DEFAULT_FILTERS, lower=True, split=" ")
def test_text_to_word_sequence(text, filters, lower, split):
    assert ours.text_to_word_sequence(text, filters, lower, split) == keras2.text_to_word_sequence(
        text, filters=filters, lower=lower, split=split)


@EXAMPLES
@given(text=corpus(min_texts=1).map(" ".join), n=st.integers(2, 50), lower=st.booleans(),
       hash_function=st.sampled_from([None, "md5", len]))
def test_hashing_trick_and_one_hot(text, n, lower, hash_function):
    assert ours.hashing_trick(text, n, hash_function=hash_function, lower=lower) == \
        keras2.hashing_trick(text, n, hash_function=hash_function, lower=lower)
    assert ours.one_hot(text, n, lower=lower) == keras2.one_hot(text, n, lower=lower)
    assert ours.one_hot(text, n, analyzer=str.split) == keras2.one_hot(text, n, analyzer=str.split)


# --- Tokenizer -------------------------------------------------------------

@EXAMPLES
@given(kwargs=options(), texts=corpus())
@example(kwargs={}, texts=SEED_002_SENTENCES)
@example(kwargs={"oov_token": "말이"}, texts=SEED_002_SENTENCES)
@example(kwargs={"char_level": True, "num_words": 4}, texts=SEED_002_SENTENCES + [""])
def test_fit_on_texts_state(kwargs, texts):
    assert_same_state(*fitted_pair(kwargs, texts))


@EXAMPLES
@given(kwargs=options(), first=corpus(), second=corpus())
def test_fit_twice_and_on_generators(kwargs, first, second):
    mine, theirs = ours.Tokenizer(**kwargs), keras2.Tokenizer(**kwargs)
    for tokenizer in (mine, theirs):
        tokenizer.fit_on_texts(first)
        tokenizer.fit_on_texts(text for text in second)
    assert_same_state(mine, theirs)


@EXAMPLES
@given(kwargs=options(), texts=corpus(), unseen=corpus())
@example(kwargs={"oov_token": "<OOV>", "num_words": 3}, texts=SEED_002_SENTENCES,
         unseen=["그의 말이 빠르다"])
def test_texts_to_sequences(kwargs, texts, unseen):
    mine, theirs = fitted_pair(kwargs, texts)
    everything = texts + unseen
    assert mine.texts_to_sequences(everything) == theirs.texts_to_sequences(everything)
    assert list(mine.texts_to_sequences_generator(iter(everything))) == list(
        theirs.texts_to_sequences_generator(iter(everything)))


@EXAMPLES
@given(kwargs=options(), texts=corpus(min_texts=1),
       lower=st.booleans(), data=st.data())
def test_token_lists_and_analyzer(kwargs, texts, lower, data):
    """Texts given as lists of tokens, and a custom analyzer."""
    kwargs = dict(kwargs, lower=lower)
    token_lists = [text.split() for text in texts]
    mine, theirs = fitted_pair(kwargs, token_lists)
    assert_same_state(mine, theirs)
    assert mine.texts_to_sequences(token_lists) == theirs.texts_to_sequences(token_lists)
    if not kwargs.get("char_level"):
        analyzed = dict(kwargs, analyzer=str.split)
        mine, theirs = fitted_pair(analyzed, texts)
        assert_same_state(mine, theirs)
        assert mine.texts_to_sequences(texts) == theirs.texts_to_sequences(texts)


@EXAMPLES
@given(kwargs=options(), texts=corpus(min_texts=1), data=st.data())
def test_sequences_to_texts(kwargs, texts, data):
    mine, theirs = fitted_pair(kwargs, texts)
    top = len(mine.word_index) + 3
    sequences = data.draw(st.lists(st.lists(st.integers(0, top), max_size=8), max_size=4))
    sequences.append(mine.texts_to_sequences(texts)[0])
    assert mine.sequences_to_texts(sequences) == theirs.sequences_to_texts(sequences)


@EXAMPLES
@given(kwargs=options(), texts=corpus(min_texts=1), unseen=corpus(),
       mode=st.sampled_from(["binary", "count", "tfidf", "freq"]))
@example(kwargs={}, texts=SEED_002_SENTENCES, unseen=["말이 말이 그의"], mode="tfidf")
def test_texts_to_matrix(kwargs, texts, unseen, mode):
    mine, theirs = fitted_pair(kwargs, texts)
    everything = texts + unseen
    try:
        expected = theirs.texts_to_matrix(everything, mode=mode)
    except ValueError as error:  # e.g. nothing fitted and no num_words
        with pytest.raises(ValueError, match=str(error)[:20]):
            mine.texts_to_matrix(everything, mode=mode)
        return
    np.testing.assert_array_equal(mine.texts_to_matrix(everything, mode=mode), expected)


@EXAMPLES
@given(num_words=st.integers(1, 12), data=st.data(),
       mode=st.sampled_from(["binary", "count", "tfidf", "freq"]))
def test_fit_on_sequences_and_sequences_to_matrix(num_words, data, mode):
    sequences = data.draw(st.lists(st.lists(st.integers(0, 15), max_size=10), min_size=1,
                                   max_size=5))
    mine, theirs = ours.Tokenizer(num_words=num_words), keras2.Tokenizer(num_words=num_words)
    for tokenizer in (mine, theirs):
        tokenizer.fit_on_sequences(sequences)
    assert dict(mine.index_docs) == dict(theirs.index_docs)
    assert mine.document_count == theirs.document_count
    np.testing.assert_array_equal(mine.sequences_to_matrix(sequences, mode=mode),
                                  theirs.sequences_to_matrix(sequences, mode=mode))


@EXAMPLES
@given(kwargs=options(), texts=corpus(), probe=corpus(min_texts=1))
@example(kwargs={"oov_token": "<OOV>"}, texts=SEED_002_SENTENCES, probe=["그의 말이 빠르다"])
def test_json_round_trip_both_ways(kwargs, texts, probe):
    mine, theirs = fitted_pair(kwargs, texts)
    assert mine.get_config() == theirs.get_config()
    assert mine.to_json() == theirs.to_json()
    assert mine.to_json(ensure_ascii=False, indent=1) == theirs.to_json(ensure_ascii=False, indent=1)

    mine_from_theirs = ours.tokenizer_from_json(theirs.to_json())
    theirs_from_mine = keras2.tokenizer_from_json(mine.to_json())
    theirs_from_theirs = keras2.tokenizer_from_json(theirs.to_json())
    assert_same_state(mine_from_theirs, theirs_from_theirs)
    assert_same_state(theirs_from_mine, theirs_from_theirs)
    assert mine_from_theirs.to_json() == theirs_from_theirs.to_json()
    assert mine_from_theirs.texts_to_sequences(probe) == theirs_from_theirs.texts_to_sequences(probe)
    config = json.loads(mine.to_json())
    assert config["class_name"] == "Tokenizer"


def test_legacy_keyword_and_unknown_keyword():
    with pytest.warns(UserWarning, match="renamed `num_words`"):
        mine = ours.Tokenizer(nb_words=7)
    with pytest.warns(UserWarning, match="renamed `num_words`"):
        theirs = keras2.Tokenizer(nb_words=7)
    assert mine.num_words == theirs.num_words == 7
    for module in (ours, keras2):
        with pytest.raises(TypeError, match="Unrecognized keyword arguments"):
            module.Tokenizer(num_word=7)
