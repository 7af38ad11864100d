"""``compat.legacy_seq2seq`` against numpy references and TF 1.15's variable names.

No genuine ``legacy_seq2seq`` runs on TensorFlow 2, so the decoders, the
attention decoder and the losses are held to tests/reference/numpy_seq2seq.py
with random variable values, and the variable names to those TF 1.15's
``contrib/legacy_seq2seq/python/ops/seq2seq.py`` creates (its scopes, the
``_linear`` helper's ``kernel``/``bias``, the contrib wrappers' scopes).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402
from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from compat.contrib import legacy_seq2seq as seq2seq  # noqa: E402
from compat.contrib import rnn  # noqa: E402
from tests.compat.test_rnn_cells import graph_for_random_values, randomize_variables  # noqa: E402
from tests.reference import numpy_rnn as ref  # noqa: E402
from tests.reference import numpy_seq2seq as ref_seq2seq  # noqa: E402

v1 = tf.compat.v1
GRU_NAMES = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")


def run_with_random_variables(fetches, seed, feed=None):
    """``(fetched, {variable name: value})`` from one run with random variable values."""
    variables = v1.global_variables()
    with v1.Session() as session:
        randomize_variables(session, np.random.default_rng(seed))
        fetched, values = session.run((fetches, [tf.convert_to_tensor(v) for v in variables]), feed)
    return fetched, {v.name.split(":")[0]: value for v, value in zip(variables, values)}


def numpy_gru(values, prefix):
    return ref.GRU(*(values[f"{prefix}/{name}"] for name in GRU_NAMES))


def assert_steps_close(got, want, tolerance=1e-12):
    assert len(got) == len(want)
    for step, (g, w) in enumerate(zip(got, want)):
        np.testing.assert_allclose(g, w, rtol=tolerance, atol=tolerance, err_msg=f"step {step}")


@given(batch=st.integers(1, 3), steps=st.integers(1, 4), symbols=st.integers(2, 6),
       units=st.integers(1, 4), seed=st.integers(0, 2**16))
def test_rnn_decoder_feeding_back_its_argmax_matches_reference(batch, steps, symbols, units, seed):
    rng = np.random.default_rng(seed)
    inputs = [rng.normal(size=(batch, 3)) for _ in range(steps)]
    initial = rng.normal(size=(batch, units))
    embedding = rng.normal(size=(symbols, 3))
    projection = (rng.normal(size=(units, symbols)), rng.normal(size=symbols))
    with graph_for_random_values():
        cell = rnn.GRUCell(units)
        outputs, state = seq2seq.rnn_decoder(
            [tf.constant(x) for x in inputs], tf.constant(initial), cell,
            loop_function=_argmax_and_embed(embedding, projection))
        (got, got_state), values = run_with_random_variables((outputs, state), seed)
    assert list(values) == [f"rnn_decoder/gru_cell/{name}" for name in GRU_NAMES]
    want, want_state = ref_seq2seq.rnn_decoder(
        numpy_gru(values, "rnn_decoder/gru_cell"), inputs, initial,
        ref_seq2seq.argmax_and_embed(embedding, projection))
    assert_steps_close(got, want)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-12, atol=1e-12)


def _argmax_and_embed(embedding, projection):
    def loop_function(prev, _):
        prev = tf.matmul(prev, projection[0]) + projection[1]
        return tf.nn.embedding_lookup(tf.constant(embedding), tf.argmax(prev, 1))
    return loop_function


ATTENTION_NAMES = [
    "embedding_attention_seq2seq/rnn/embedding_wrapper/embedding",
    *(f"embedding_attention_seq2seq/rnn/embedding_wrapper/gru_cell/{name}" for name in GRU_NAMES),
    "embedding_attention_seq2seq/embedding_attention_decoder/embedding",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnW_0",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnV_0",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnW_1",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnV_1",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/kernel",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/bias",
    *(f"embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/"
      f"output_projection_wrapper/gru_cell/{name}" for name in GRU_NAMES),
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/kernel",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/output_projection_wrapper/bias",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_0/kernel",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_0/bias",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_1/kernel",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/Attention_1/bias",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/kernel",
    "embedding_attention_seq2seq/embedding_attention_decoder/attention_decoder/AttnOutputProjection/bias",
]


def numpy_attention_seq2seq(values, encoder_ids, decoder_ids, feed_previous, initial_state_attention):
    """The reference of ``embedding_attention_seq2seq`` with a GRU, two heads, no output projection."""
    top = "embedding_attention_seq2seq"
    decoder = f"{top}/embedding_attention_decoder"
    attention = f"{decoder}/attention_decoder"
    encoder_cell = ref.Embedding(numpy_gru(values, f"{top}/rnn/embedding_wrapper/gru_cell"),
                                 values[f"{top}/rnn/embedding_wrapper/embedding"])
    encoder_outputs, encoder_state = ref.static_rnn(encoder_cell, [ids[:, None] for ids in encoder_ids])
    decoder_cell = ref.OutputProjection(
        numpy_gru(values, f"{attention}/output_projection_wrapper/gru_cell"),
        values[f"{attention}/output_projection_wrapper/kernel"],
        values[f"{attention}/output_projection_wrapper/bias"])
    heads = range(2)
    reader = ref_seq2seq.Attention(
        np.stack(encoder_outputs, 1),
        [values[f"{attention}/AttnW_{a}"][0, 0] for a in heads],
        [values[f"{attention}/AttnV_{a}"] for a in heads],
        [values[f"{attention}/Attention_{a}/kernel"] for a in heads],
        [values[f"{attention}/Attention_{a}/bias"] for a in heads])
    embedding = values[f"{decoder}/embedding"]
    return ref_seq2seq.attention_decoder(
        decoder_cell, [embedding[ids] for ids in decoder_ids], encoder_state, reader,
        (values[f"{attention}/kernel"], values[f"{attention}/bias"]),
        (values[f"{attention}/AttnOutputProjection/kernel"],
         values[f"{attention}/AttnOutputProjection/bias"]),
        loop_function=ref_seq2seq.argmax_and_embed(embedding) if feed_previous else None,
        initial_state_attention=initial_state_attention)


@pytest.mark.parametrize("feed_previous", [False, True])
@pytest.mark.parametrize("initial_state_attention", [False, True])
def test_embedding_attention_seq2seq_names_and_numbers(feed_previous, initial_state_attention):
    rng = np.random.default_rng(5)
    batch, symbols_in, symbols_out = 3, 7, 6
    encoder_ids = [rng.integers(0, symbols_in, batch).astype(np.int32) for _ in range(4)]
    decoder_ids = [rng.integers(0, symbols_out, batch).astype(np.int32) for _ in range(3)]
    with graph_for_random_values():
        outputs, state = seq2seq.embedding_attention_seq2seq(
            [tf.constant(ids) for ids in encoder_ids], [tf.constant(ids) for ids in decoder_ids],
            rnn.GRUCell(4), symbols_in, symbols_out, embedding_size=5, num_heads=2,
            feed_previous=feed_previous, dtype=tf.float64,
            initial_state_attention=initial_state_attention)
        assert [output.shape.as_list() for output in outputs] == [[batch, symbols_out]] * 3
        (got, got_state), values = run_with_random_variables((outputs, state), 11)
    expected = list(ATTENTION_NAMES)
    if initial_state_attention:  # the first reads come before the input map
        heads = [name for name in expected if "/Attention_" in name]
        expected = [name for name in expected if "/Attention_" not in name]
        at = expected.index(ATTENTION_NAMES[0].replace("rnn/embedding_wrapper/embedding",
                                                       "embedding_attention_decoder/attention_decoder/kernel"))
        expected[at:at] = heads
    assert list(values) == expected
    want, want_state = numpy_attention_seq2seq(values, encoder_ids, decoder_ids, feed_previous,
                                               initial_state_attention)
    assert_steps_close(got, want)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-12, atol=1e-12)


def test_feed_previous_tensor_chooses_between_both_decoders_sharing_weights():
    rng = np.random.default_rng(2)
    encoder_ids = [rng.integers(0, 5, 2).astype(np.int32) for _ in range(3)]
    decoder_ids = [rng.integers(0, 5, 2).astype(np.int32) for _ in range(3)]
    results = {}
    for mode in (False, True, "tensor"):
        with graph_for_random_values():
            flag = v1.placeholder(tf.bool, []) if mode == "tensor" else mode
            outputs, state = seq2seq.embedding_rnn_seq2seq(
                [tf.constant(ids) for ids in encoder_ids], [tf.constant(ids) for ids in decoder_ids],
                rnn.BasicLSTMCell(3), 5, 5, embedding_size=4, feed_previous=flag, dtype=tf.float64)
            names = [v.name for v in v1.global_variables()]
            if mode == "tensor":
                results[True] += (run_with_random_variables((outputs, state), 3, {flag: True}),)
                results[False] += (run_with_random_variables((outputs, state), 3, {flag: False}),)
                assert names == results["names"]
            else:
                results[mode] = (run_with_random_variables((outputs, state), 3),)
                results["names"] = names
    assert results["names"] == [
        "embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding:0",
        "embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_lstm_cell/kernel:0",
        "embedding_rnn_seq2seq/rnn/embedding_wrapper/basic_lstm_cell/bias:0",
        "embedding_rnn_seq2seq/embedding_rnn_decoder/embedding:0",
        "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/kernel:0",
        "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/basic_lstm_cell/bias:0",
        "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/kernel:0",
        "embedding_rnn_seq2seq/embedding_rnn_decoder/rnn_decoder/output_projection_wrapper/bias:0",
    ]
    for flag in (False, True):
        (fixed, _), (chosen, _) = results[flag]
        tf.nest.map_structure(lambda a, b: np.testing.assert_array_equal(a, b), fixed, chosen)
    assert not np.allclose(results[False][0][0][0][-1], results[True][0][0][0][-1])


@pytest.mark.parametrize("model, names", [
    ("basic", ["basic_rnn_seq2seq/rnn/basic_rnn_cell/kernel", "basic_rnn_seq2seq/rnn/basic_rnn_cell/bias",
               "basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/kernel",
               "basic_rnn_seq2seq/rnn_decoder/basic_rnn_cell/bias"]),
    ("tied", ["combined_tied_rnn_seq2seq/tied_rnn_seq2seq/basic_rnn_cell/kernel",
              "combined_tied_rnn_seq2seq/tied_rnn_seq2seq/basic_rnn_cell/bias"]),
])
def test_basic_and_tied_seq2seq_match_reference(model, names):
    rng = np.random.default_rng(8)
    encoder = [rng.normal(size=(2, 3)) for _ in range(4)]
    decoder = [rng.normal(size=(2, 3)) for _ in range(3)]
    with graph_for_random_values():
        build = seq2seq.basic_rnn_seq2seq if model == "basic" else seq2seq.tied_rnn_seq2seq
        outputs, state = build([tf.constant(x) for x in encoder], [tf.constant(x) for x in decoder],
                               rnn.BasicRNNCell(3), dtype=tf.float64)
        (got, got_state), values = run_with_random_variables((outputs, state), 4)
    assert list(values) == names
    encoder_cell = ref.BasicRNN(values[names[0]], values[names[1]])
    decoder_cell = ref.BasicRNN(values[names[-2]], values[names[-1]])
    _, encoder_state = ref.static_rnn(encoder_cell, encoder)
    want, want_state = ref_seq2seq.rnn_decoder(decoder_cell, decoder, encoder_state)
    assert_steps_close(got, want)
    np.testing.assert_allclose(got_state, want_state, rtol=1e-12, atol=1e-12)


@given(batch=st.integers(1, 4), steps=st.integers(1, 4), symbols=st.integers(2, 5),
       average_across_timesteps=st.booleans(), average_across_batch=st.booleans(),
       zero_rows=st.booleans(), seed=st.integers(0, 2**16))
def test_losses_match_reference(batch, steps, symbols, average_across_timesteps, average_across_batch,
                                zero_rows, seed):
    rng = np.random.default_rng(seed)
    logits = [rng.normal(size=(batch, symbols)) for _ in range(steps)]
    targets = [rng.integers(0, symbols, batch).astype(np.int32) for _ in range(steps)]
    weights = [rng.uniform(0, 1, batch) * (0 if zero_rows and t == 0 else 1) for t in range(steps)]
    if zero_rows:
        weights = [np.where(np.arange(batch) == 0, 0.0, w) for w in weights]  # a row of all-0 weights
    with tf.Graph().as_default():
        args = ([tf.constant(x) for x in logits], [tf.constant(x) for x in targets],
                [tf.constant(x) for x in weights])
        by_example = seq2seq.sequence_loss_by_example(
            *args, average_across_timesteps=average_across_timesteps)
        total = seq2seq.sequence_loss(*args, average_across_timesteps=average_across_timesteps,
                                      average_across_batch=average_across_batch)
        with v1.Session() as session:
            got_by_example, got_total = session.run((by_example, total))
    np.testing.assert_allclose(got_by_example, ref_seq2seq.sequence_loss_by_example(
        logits, targets, weights, average_across_timesteps), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_total, ref_seq2seq.sequence_loss(
        logits, targets, weights, average_across_timesteps, average_across_batch), rtol=1e-12, atol=1e-12)


def test_softmax_loss_function_is_called_with_keywords():
    calls = []

    def loss(labels, logits):
        calls.append((labels, logits))
        return tf.reduce_sum(logits, 1)

    with tf.Graph().as_default():
        value = seq2seq.sequence_loss_by_example(
            [tf.ones([2, 3])], [tf.zeros([2], tf.int32)], [tf.ones([2])],
            average_across_timesteps=False, softmax_loss_function=loss)
        with v1.Session() as session:
            np.testing.assert_allclose(session.run(value), [3.0, 3.0])
    assert len(calls) == 1


def test_model_with_buckets_shares_one_model_among_buckets():
    rng = np.random.default_rng(3)
    encoder_ids = [rng.integers(0, 6, 2).astype(np.int32) for _ in range(5)]
    decoder_ids = [rng.integers(0, 6, 2).astype(np.int32) for _ in range(4)]
    target_ids = decoder_ids[1:] + [np.zeros(2, np.int32)]
    with graph_for_random_values():
        cell = rnn.GRUCell(3)
        outputs, losses = seq2seq.model_with_buckets(
            [tf.constant(x) for x in encoder_ids], [tf.constant(x) for x in decoder_ids],
            [tf.constant(x) for x in target_ids], [tf.ones([2], tf.float64)] * 4, [(2, 2), (5, 4)],
            lambda x, y: seq2seq.embedding_rnn_seq2seq(x, y, cell, 6, 6, 4, dtype=tf.float64))
        names = [v.name for v in v1.global_variables()]
        (got_outputs, got_losses), _ = run_with_random_variables((outputs, losses), 6)
    assert len(names) == len(set(names)) == 12  # one model for both buckets: its 12 variables, not 24
    assert [len(bucket) for bucket in got_outputs] == [2, 4]
    for bucket_outputs, loss, size in zip(got_outputs, got_losses, (2, 4)):
        np.testing.assert_allclose(loss, ref_seq2seq.sequence_loss(
            bucket_outputs, target_ids[:size], [np.ones(2)] * size), rtol=1e-12)


# -- bad input ---------------------------------------------------------------

@pytest.mark.parametrize("call, error, message", [
    (lambda: seq2seq.rnn_decoder(tf.zeros([2, 3, 4]), None, rnn.GRUCell(2)), TypeError,
     "`decoder_inputs` must be a list of tensors, one per time step"),
    (lambda: seq2seq.rnn_decoder([], None, rnn.GRUCell(2)), ValueError, "`decoder_inputs` must hold at least one"),
    (lambda: seq2seq.rnn_decoder([tf.zeros([1, 2])], None, "cell"), TypeError, "`cell` is not an RNN cell"),
    (lambda: seq2seq.rnn_decoder([tf.zeros([1, 2])], None, rnn.GRUCell(2), loop_function=3), TypeError,
     "`loop_function` must be None or callable"),
    (lambda: seq2seq.attention_decoder([tf.zeros([1, 2])], tf.zeros([1, 2]), tf.zeros([1, 3]),
                                       rnn.GRUCell(2)), ValueError, "`attention_states` must be"),
    (lambda: seq2seq.attention_decoder([tf.zeros([1, 2])], tf.zeros([1, 2]), tf.zeros([1, 3, 2]),
                                       rnn.GRUCell(2), num_heads=0), ValueError,
     "`num_heads` must be a positive integer"),
    (lambda: seq2seq.embedding_rnn_decoder([tf.zeros([1], tf.int32)], tf.zeros([1, 2]), rnn.GRUCell(2),
                                           0, 3), ValueError, "`num_symbols` must be a positive integer"),
    (lambda: seq2seq.embedding_rnn_decoder([tf.zeros([1], tf.int32)], tf.zeros([1, 2]), rnn.GRUCell(2),
                                           4, 3, output_projection=(tf.zeros([2, 5]), tf.zeros([5]))),
     ValueError, r"`output_projection\[0\]` must have shape \[output_size, 4\]"),
    (lambda: seq2seq.embedding_rnn_decoder([tf.zeros([1], tf.int32)], tf.zeros([1, 2]), rnn.GRUCell(2),
                                           4, 3, output_projection=tf.zeros([2, 4])),
     TypeError, "`output_projection` must be None or a pair"),
    (lambda: seq2seq.embedding_rnn_seq2seq([tf.zeros([1], tf.int32)], [tf.zeros([1], tf.int32)],
                                           rnn.GRUCell(2), 3, 3, 2, feed_previous=tf.constant(1.0)),
     TypeError, "`feed_previous` must be a Python bool or a scalar boolean tensor"),
    (lambda: seq2seq.sequence_loss_by_example([tf.zeros([1, 2])] * 2, [tf.zeros([1], tf.int32)],
                                              [tf.ones([1])] * 2), ValueError,
     "Lengths of logits, weights, and targets must be the same 2, 2, 1"),
    (lambda: seq2seq.sequence_loss([tf.zeros([1, 2, 3])], [tf.zeros([1], tf.int32)], [tf.ones([1])]),
     ValueError, r"`logits\[0\]` must have rank 2"),
    (lambda: seq2seq.model_with_buckets([tf.zeros([1], tf.int32)], [tf.zeros([1], tf.int32)],
                                        [tf.zeros([1], tf.int32)], [tf.ones([1])], [(2, 1)],
                                        lambda x, y: None), ValueError,
     r"Length of encoder_inputs \(1\) must be at least that of last bucket \(2\)"),
    (lambda: seq2seq.model_with_buckets([], [], [], [], [(0, 1)], lambda x, y: None), ValueError,
     r"`buckets\[0\]` must be a pair of positive ints"),
    (lambda: seq2seq.model_with_buckets([], [], [], [], [(1, 1)], "model"), TypeError,
     "`seq2seq` must be callable"),
], ids=["inputs-not-list", "inputs-empty", "cell", "loop_function", "attention_states", "num_heads",
        "num_symbols", "output_projection-shape", "output_projection-type", "feed_previous",
        "loss-lengths", "logits-rank", "bucket-length", "bucket-pair", "seq2seq"])
def test_bad_input_is_named(call, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        call()
