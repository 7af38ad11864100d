"""``compat.seq2seq``'s decoders, helpers and attention against numpy and TF1's names.

The dynamic decoding of TF 1.x's NMT tutorial (an encoder ``dynamic_rnn``, an
``AttentionWrapper`` around an LSTM with Bahdanau or Luong attention, a
``TrainingHelper`` or ``GreedyEmbeddingHelper``, ``BasicDecoder`` with a
``Dense`` projection, ``dynamic_decode``) is held to the numpy references of
tests/reference/numpy_seq2seq.py with random variable values, and its
variable names to those TF 1.15's ``contrib/seq2seq`` makes
(``decoder/memory_layer/kernel``, ``.../bahdanau_attention/query_layer/kernel``,
``attention_v``, ``attention_layer/kernel``).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from compat.contrib import rnn, seq2seq  # noqa: E402
from compat.layers.dense import Dense  # noqa: E402
from tests.compat.test_legacy_seq2seq import run_with_random_variables  # noqa: E402
from tests.compat.test_rnn_cells import graph_for_random_values  # noqa: E402
from tests.reference import numpy_rnn as ref  # noqa: E402
from tests.reference import numpy_seq2seq as ref_seq2seq  # noqa: E402

v1 = tf.compat.v1
SOURCE = np.array([[3, 4, 5, 6], [6, 7, 0, 0], [8, 3, 9, 0]], np.int32)
SOURCE_LENGTHS = np.array([4, 2, 3], np.int32)
TARGET = np.array([[1, 5, 4, 3, 2], [1, 7, 6, 2, 0], [1, 9, 2, 0, 0]], np.int32)
TARGET_LENGTHS = np.array([5, 4, 3], np.int32)


def lstm(values, prefix):
    return ref.LSTM(values[prefix + "/kernel"], values[prefix + "/bias"])


def build_nmt(mechanism_kind, helper_kind, impute_finished=False, output_attention=True, parts=None):
    """The NMT graph; ``parts`` (a dict), if given, receives the embedding, the
    attention cell, its initial state and the projection for further decoders."""
    embedding = v1.get_variable("embedding", [10, 6], dtype=tf.float64)
    encoder_outputs, encoder_state = v1.nn.dynamic_rnn(
        rnn.LSTMCell(5), tf.nn.embedding_lookup(embedding, SOURCE), sequence_length=SOURCE_LENGTHS,
        dtype=tf.float64, scope="encoder")
    with v1.variable_scope("decoder") as decoder_scope:
        if mechanism_kind == "bahdanau":
            mechanism = seq2seq.BahdanauAttention(4, encoder_outputs, memory_sequence_length=SOURCE_LENGTHS,
                                                  normalize=True, dtype=tf.float64)
        else:
            mechanism = seq2seq.LuongAttention(5, encoder_outputs, memory_sequence_length=SOURCE_LENGTHS,
                                               scale=True, dtype=tf.float64)
        cell = seq2seq.AttentionWrapper(rnn.LSTMCell(5), mechanism, attention_layer_size=3, alignment_history=True,
                                        output_attention=output_attention, name="attention")
        initial = cell.zero_state(3, tf.float64).clone(cell_state=encoder_state)
        if helper_kind == "training":
            helper = seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, TARGET), TARGET_LENGTHS)
        else:
            helper = seq2seq.GreedyEmbeddingHelper(embedding, tf.fill([3], 1), 2)
        projection = Dense(10, use_bias=False, name="output_projection")
        decoder = seq2seq.BasicDecoder(cell, helper, initial, output_layer=projection)
        if parts is not None:
            parts.update(embedding=embedding, cell=cell, initial=initial, projection=projection)
        outputs, state, lengths = seq2seq.dynamic_decode(
            decoder, impute_finished=impute_finished, maximum_iterations=6, scope=decoder_scope)
    return outputs, state, lengths


def reference_decode(values, mechanism_kind, greedy, output_attention=True):
    embedding = values["embedding"]
    _, encoder_state = ref.dynamic_rnn(lstm(values, "encoder/lstm_cell"), embedding[SOURCE], SOURCE_LENGTHS)
    encoder_outputs, _ = ref.dynamic_rnn(lstm(values, "encoder/lstm_cell"), embedding[SOURCE], SOURCE_LENGTHS)
    keys = encoder_outputs @ values["decoder/memory_layer/kernel"]
    if mechanism_kind == "bahdanau":
        scope = "decoder/attention/bahdanau_attention/"

        def score(keys_, output):
            return ref_seq2seq.bahdanau_scores(keys_, output @ values[scope + "query_layer/kernel"],
                                               values[scope + "attention_v"], values[scope + "attention_g"],
                                               values[scope + "attention_b"])
    else:
        def score(keys_, output):
            return ref_seq2seq.luong_scores(keys_, output, values["decoder/attention/luong_attention/attention_g"])
    cell = lstm(values, "decoder/attention/lstm_cell")
    attention_kernel = values["decoder/attention/attention_layer/kernel"]
    output_kernel = values["decoder/output_projection/kernel"]
    if not greedy:
        steps = [embedding[TARGET[:, t]] for t in range(TARGET.shape[1])]
        return ref_seq2seq.attention_decode(cell, steps, encoder_state, encoder_outputs, SOURCE_LENGTHS, keys,
                                            score, attention_kernel, output_kernel, output_attention)
    logits, ids = [], np.ones(3, int)
    attention, state = np.zeros((3, 3)), encoder_state
    finished = np.zeros(3, bool)
    for _ in range(6):
        if finished.all():
            break
        output, state = cell(np.concatenate([embedding[ids], attention], 1), state)
        alignments = ref_seq2seq.masked_softmax(score(keys, output), SOURCE_LENGTHS)
        context = (alignments[:, :, None] * encoder_outputs).sum(1)
        attention = np.concatenate([output, context], 1) @ attention_kernel
        logits.append(attention @ output_kernel)
        ids = logits[-1].argmax(1)
        finished |= ids == 2
    return logits, None, state


@pytest.mark.parametrize("mechanism_kind", ["bahdanau", "luong"])
def test_attention_nmt_under_teacher_forcing_matches_reference(mechanism_kind):
    with graph_for_random_values():
        outputs, state, lengths = build_nmt(mechanism_kind, "training")
        fetched, values = run_with_random_variables(
            (outputs.rnn_output, lengths, state.alignment_history.stack()), 7)
    got, got_lengths, history = fetched
    np.testing.assert_array_equal(got_lengths, TARGET_LENGTHS)
    want, want_alignments, _ = reference_decode(values, mechanism_kind, greedy=False)
    np.testing.assert_allclose(got, np.stack(want, 1), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(history, np.stack(want_alignments), rtol=1e-12, atol=1e-12)
    assert (history[:, 1, 2:] == 0).all()  # row 1's memory is 2 steps long: no attention past it


def test_the_nmt_variables_carry_tf1_names():
    with graph_for_random_values():
        build_nmt("bahdanau", "training")
        names = [v.name for v in v1.global_variables()]
    assert names == [
        "embedding:0", "encoder/lstm_cell/kernel:0", "encoder/lstm_cell/bias:0",
        "decoder/memory_layer/kernel:0",
        "decoder/attention/lstm_cell/kernel:0", "decoder/attention/lstm_cell/bias:0",
        "decoder/attention/bahdanau_attention/query_layer/kernel:0",
        "decoder/attention/bahdanau_attention/attention_v:0",
        "decoder/attention/bahdanau_attention/attention_g:0",
        "decoder/attention/bahdanau_attention/attention_b:0",
        "decoder/attention/attention_layer/kernel:0",
        "decoder/output_projection/kernel:0",
    ]


@pytest.mark.parametrize("impute_finished", [False, True])
def test_greedy_decoding_matches_reference_and_stops_at_the_end_token(impute_finished):
    with graph_for_random_values():
        outputs, state, lengths = build_nmt("luong", "greedy", impute_finished=impute_finished)
        (got, ids, got_lengths), values = run_with_random_variables(
            (outputs.rnn_output, outputs.sample_id, lengths), 11)
    want, _, _ = reference_decode(values, "luong", greedy=True)
    steps = len(want)
    assert got.shape[1] == steps
    want = np.stack(want, 1)
    want_ids = want.argmax(2)
    ended = np.cumsum(np.cumsum(want_ids == 2, 1), 1) > 1  # steps after a row's first end token
    if impute_finished:
        want = np.where(ended[:, :, None], 0.0, want)
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(got_lengths, np.where((want_ids == 2).any(1), (want_ids == 2).argmax(1) + 1, steps))


def test_output_attention_false_emits_the_cell_output():
    with graph_for_random_values():
        outputs, _, _ = build_nmt("bahdanau", "training", output_attention=False)
        got, values = run_with_random_variables(outputs.rnn_output, 3)
    want, _, _ = reference_decode(values, "bahdanau", greedy=False, output_attention=False)
    np.testing.assert_allclose(got, np.stack(want, 1), rtol=1e-12, atol=1e-12)


def test_scheduled_sampling_with_probability_zero_is_teacher_forcing():
    with graph_for_random_values():
        embedding = v1.get_variable("embedding", [10, 4], dtype=tf.float64)
        results = []
        for index, helper in enumerate([
                seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, TARGET), TARGET_LENGTHS),
                seq2seq.ScheduledEmbeddingTrainingHelper(tf.nn.embedding_lookup(embedding, TARGET), TARGET_LENGTHS,
                                                         embedding, 0.0, seed=1, scheduling_seed=2)]):
            with v1.variable_scope(f"d{index}"):
                cell = rnn.GRUCell(4)
                decoder = seq2seq.BasicDecoder(cell, helper, cell.zero_state(3, tf.float64))
                results.append(seq2seq.dynamic_decode(decoder)[0])
        (plain, scheduled), values = run_with_random_variables(results, 4)
    assert (scheduled.sample_id == -1).all()
    # both GRUs got their own random values: compare with the reference of each instead
    for prefix, decoded in (("d0", plain), ("d1", scheduled)):
        gru = ref.GRU(*(values[f"{prefix}/decoder/gru_cell/{name}"] for name in
                        ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")))
        want, _ = ref.dynamic_rnn(gru, values["embedding"][TARGET], TARGET_LENGTHS)
        mask = np.arange(5)[None, :] < TARGET_LENGTHS[:, None]
        np.testing.assert_allclose(decoded.rnn_output[mask], want[mask], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make, error, message", [
    (lambda: seq2seq.TrainingHelper(tf.zeros([2, 3, 4]), [[3, 3]]), ValueError,
     "Expected sequence_length to be a vector"),
    (lambda: seq2seq.GreedyEmbeddingHelper(tf.zeros([5, 3]), [[1]], 2), ValueError, "start_tokens must be a vector"),
    (lambda: seq2seq.GreedyEmbeddingHelper(tf.zeros([5, 3]), [1], [2]), ValueError, "end_token must be a scalar"),
    (lambda: seq2seq.BasicDecoder(rnn.GRUCell(2), "helper", tf.zeros([1, 2])), TypeError, "`helper` must be a Helper"),
    (lambda: seq2seq.dynamic_decode("decoder"), TypeError, "`decoder` must be a Decoder"),
    (lambda: seq2seq.AttentionWrapper(rnn.GRUCell(2), "mechanism"), TypeError,
     r"attention_mechanism\[0\] must be an AttentionMechanism"),
    (lambda: seq2seq.BahdanauAttention(0, tf.zeros([1, 2, 3])), ValueError, "`num_units` must be a positive integer"),
    (lambda: seq2seq.LuongAttention(3, tf.zeros([1, 2])), ValueError, r"`memory` must be \[batch, max_time, depth\]"),
    (lambda: seq2seq.AttentionWrapper(rnn.GRUCell(2), seq2seq.LuongAttention(3, tf.zeros([1, 2, 3])),
                                      attention_layer_size=[2, 3]), ValueError,
     "attention_layer_size must contain exactly one integer per attention_mechanism"),
], ids=["sequence_length", "start_tokens", "end_token", "helper", "decoder", "mechanism", "num_units", "memory",
        "attention_layer_size"])
def test_bad_arguments_are_named(make, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        make()



def test_beam_search_of_width_one_is_greedy_decoding():
    """With one beam and no penalties, beam search follows the argmax path (an
    invariant of the algorithm; the step itself is held to TF Addons in
    tests/oracle/test_addons_seq2seq.py)."""
    parts = {}
    with graph_for_random_values():
        outputs, _, _ = build_nmt("luong", "greedy", parts=parts)
        beam = seq2seq.BeamSearchDecoder(parts["cell"], parts["embedding"], tf.fill([3], 1), 2, parts["initial"], 1,
                                         output_layer=parts["projection"])
        with v1.variable_scope("decoder", reuse=True):
            beam_outputs, beam_state, _ = seq2seq.dynamic_decode(beam, maximum_iterations=6)
        (greedy_ids, beam_ids, lengths), _ = run_with_random_variables(
            (outputs.sample_id, beam_outputs.predicted_ids, beam_state.lengths), 11)
    steps = greedy_ids.shape[1]
    np.testing.assert_array_equal(beam_ids[:, :steps, 0], greedy_ids)
    assert (lengths[:, 0] <= steps).all()


def test_beam_search_over_tiled_attention_reorders_the_alignment_history():
    with graph_for_random_values():
        embedding = v1.get_variable("embedding", [10, 6], dtype=tf.float64)
        memory = tf.constant(np.random.default_rng(0).normal(size=(3, 4, 5)))
        beams = 2
        mechanism = seq2seq.BahdanauAttention(4, seq2seq.tile_batch(memory, beams),
                                              memory_sequence_length=seq2seq.tile_batch(SOURCE_LENGTHS, beams),
                                              dtype=tf.float64)
        cell = seq2seq.AttentionWrapper(rnn.GRUCell(5), mechanism, attention_layer_size=3, alignment_history=True)
        decoder = seq2seq.BeamSearchDecoder(cell, embedding, tf.fill([3], 1), 2,
                                            cell.zero_state(3 * beams, tf.float64), beams,
                                            output_layer=Dense(10, use_bias=False), length_penalty_weight=0.5)
        outputs, state, _ = seq2seq.dynamic_decode(decoder, maximum_iterations=5)
        history = state.cell_state.alignment_history
        (ids, parents, history), _ = run_with_random_variables(
            (outputs.predicted_ids, outputs.beam_search_decoder_output.parent_ids, history), 5)
    assert ids.shape[0] == 3 and ids.shape[2] == beams
    assert history.shape[1:] == (3 * beams, 4)
    np.testing.assert_allclose(history.sum(-1), 1.0, rtol=1e-12)  # reordered, still distributions
    assert (parents >= 0).all() and (parents < beams).all()


def test_output_time_major_and_initial_cell_state():
    """``dynamic_decode(output_time_major=True)`` returns ``[time, batch, ...]``; an
    ``AttentionWrapper`` given ``initial_cell_state`` starts from it in ``zero_state``."""
    with graph_for_random_values():
        embedding = v1.get_variable("embedding", [10, 4], dtype=tf.float64)
        memory = tf.constant(np.random.default_rng(1).normal(size=(3, 4, 5)))
        start = tf.constant(np.random.default_rng(2).normal(size=(3, 5)))
        decoded = {}
        for index, (time_major, given) in enumerate([(False, None), (True, start)]):
            with v1.variable_scope(f"d{index}"):
                mechanism = seq2seq.LuongAttention(5, memory, dtype=tf.float64)
                cell = seq2seq.AttentionWrapper(rnn.GRUCell(5), mechanism, initial_cell_state=given)
                initial = cell.zero_state(3, tf.float64)
                if given is None:
                    initial = initial.clone(cell_state=start)
                helper = seq2seq.TrainingHelper(tf.nn.embedding_lookup(embedding, TARGET), TARGET_LENGTHS)
                outputs, _, _ = seq2seq.dynamic_decode(seq2seq.BasicDecoder(cell, helper, initial),
                                                       output_time_major=time_major)
                decoded[time_major] = outputs.rnn_output
        values = {}
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            for name in ("gru_cell/gates/kernel", "gru_cell/gates/bias", "gru_cell/candidate/kernel",
                         "gru_cell/candidate/bias", "memory_layer/kernel"):
                [first] = [v for v in v1.global_variables() if v.name.startswith("d0/") and name in v.name]
                [second] = [v for v in v1.global_variables() if v.name.startswith("d1/") and name in v.name]
                values[name] = np.random.default_rng(len(name)).normal(size=first.shape.as_list())
                first.load(values[name], session)
                second.load(values[name], session)
            batch_major, time_major = session.run((decoded[False], decoded[True]))
    assert batch_major.shape == (3, 5, 5) and time_major.shape == (5, 3, 5)
    np.testing.assert_array_equal(time_major, batch_major.transpose(1, 0, 2))


def test_sample_embedding_helper_draws_seeded_ids_from_the_softmax():
    """A near-zero temperature samples the argmax; the draws follow the softmax."""
    logits = np.array([[0.0, 3.0, 1.0], [2.0, 0.0, 1.0]])
    with tf.Graph().as_default():
        v1.set_random_seed(5)
        cold = seq2seq.SampleEmbeddingHelper(tf.eye(3), [0, 0], 2, softmax_temperature=1e-3, seed=1)
        warm = seq2seq.SampleEmbeddingHelper(tf.eye(3), [0, 0], 2, seed=7)
        cold_ids = cold.sample(0, tf.constant(logits), None)
        warm_ids = warm.sample(0, tf.constant(logits), None)
        with v1.Session() as session:
            got_cold = session.run(cold_ids)
            got_warm = np.array([session.run(warm_ids) for _ in range(300)])  # a new draw every run
    np.testing.assert_array_equal(got_cold, [1, 0])
    assert set(np.unique(got_warm)) == {0, 1, 2}
    for row, row_logits in enumerate(logits):
        probabilities = np.exp(row_logits) / np.exp(row_logits).sum()
        frequencies = np.bincount(got_warm[:, row], minlength=3) / len(got_warm)
        np.testing.assert_allclose(frequencies, probabilities, atol=0.08)
