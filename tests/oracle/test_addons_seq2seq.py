"""compat's contrib.seq2seq against TensorFlow Addons 0.23, the TF2 port of TF 1.15's.

The ``legacy215`` tox env (TF 2.15, Keras 2, tensorflow-addons 0.23) runs this
file; elsewhere it skips. The same inputs and weights go through both: one
beam search step (``_beam_search_step``: log-softmax, the finished beams'
mask, the length and coverage penalties, ``top_k`` over beams x tokens, the
gathered states), ``gather_tree``, ``tile_batch``, the Bahdanau (plain and
normalized) and Luong (plain and scaled) mechanisms over masked memory, and
three steps of an ``AttentionWrapper`` with an attention layer and alignment
history, a whole beam search decoding, and contrib's ``NASCell``; ids must be
equal and numbers (and, for the attention and the cell, the gradients with
respect to the inputs, memory and state) within 1e-12 (float64) or 1e-6 (float32). Addons kept TF
1.15's math in all of these; its Keras-style API differs
(``output_all_scores``, Keras cells), and only the math is compared. Addons'
``LayerNormLSTMCell`` is not TF1's ``LayerNormBasicLSTMCell`` (it normalizes
the input and recurrent products separately), so that cell is held to a numpy
reference of TF1's math instead (tests/compat/test_contrib_cells.py).
"""

import numpy as np
import pytest
import tensorflow as tf

ADDONS_MISSING = "needs tensorflow-addons 0.23, installed in the legacy215 tox env only (it requires TF <= 2.15)"
tfa = pytest.importorskip("tensorflow_addons", reason=ADDONS_MISSING)
tfa_beam = pytest.importorskip("tensorflow_addons.seq2seq.beam_search_decoder", reason=ADDONS_MISSING)
tfa_attention = pytest.importorskip("tensorflow_addons.seq2seq.attention_wrapper", reason=ADDONS_MISSING)

from compat.seq2seq import attention_wrapper, beam_search  # noqa: E402

v1 = tf.compat.v1
BATCH, BEAM, VOCAB, END = 3, 4, 7, 2


def random_step_inputs(rng, dtype, finished_rate=0.3):
    logits = rng.normal(size=(BATCH, BEAM, VOCAB)).astype(dtype)
    log_probs = np.log(rng.dirichlet(np.ones(BEAM), size=BATCH)).astype(dtype)
    finished = rng.random((BATCH, BEAM)) < finished_rate
    lengths = rng.integers(1, 6, size=(BATCH, BEAM)).astype(np.int64)
    cell_state = rng.normal(size=(BATCH, BEAM, 5)).astype(dtype)
    alignments = rng.dirichlet(np.ones(6), size=(BATCH, BEAM)).astype(dtype)
    accumulated = rng.uniform(0, 2, size=(BATCH, BEAM, 6)).astype(dtype)
    return logits, log_probs, finished, lengths, cell_state, alignments, accumulated


def run(fetches):
    with v1.Session() as session:
        return session.run(fetches)


# The coverage penalty runs in float32 only, in TF 1.15 and Addons alike (it casts
# `finished` to float32), so it is compared in float32 only.
STEP_CASES = [(dtype, 0.0, 0.0) for dtype in (np.float64, np.float32)] + [
    (dtype, 0.7, 0.0) for dtype in (np.float64, np.float32)] + [(np.float32, 0.6, 0.4)]


@pytest.mark.parametrize("dtype, length_penalty, coverage_penalty", STEP_CASES)
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_beam_search_step_is_the_addons_step(dtype, length_penalty, coverage_penalty, seed):
    logits, log_probs, finished, lengths, cell_state, alignments, accumulated = random_step_inputs(
        np.random.default_rng(seed), dtype)
    results = []
    with tf.Graph().as_default():
        for module, state_class in ((tfa_beam, tfa_attention.AttentionWrapperState),
                                    (beam_search, attention_wrapper.AttentionWrapperState)):
            fields = dict(cell_state=tf.constant(cell_state), attention=tf.zeros([BATCH, BEAM, 1], dtype),
                          alignments=tf.constant(alignments), alignment_history=(),
                          attention_state=tf.constant(alignments))
            if "time" in state_class._fields:
                fields["time"] = tf.constant(0)
            next_cell_state = state_class(**fields) if coverage_penalty else tf.constant(cell_state)
            state = module.BeamSearchDecoderState(
                cell_state=next_cell_state, log_probs=tf.constant(log_probs), finished=tf.constant(finished),
                lengths=tf.constant(lengths),
                accumulated_attention_probs=tf.constant(accumulated) if coverage_penalty else ())
            arguments = dict(logits=tf.constant(logits), next_cell_state=next_cell_state, beam_state=state,
                             batch_size=tf.constant(BATCH), beam_width=BEAM, end_token=END,
                             length_penalty_weight=length_penalty, coverage_penalty_weight=coverage_penalty)
            if module is tfa_beam:
                output, next_state = module._beam_search_step(time=0, output_all_scores=False, **arguments)
            else:
                output, next_state = module._beam_search_step(**arguments)
            cell = next_state.cell_state.cell_state if coverage_penalty else next_state.cell_state
            results.append(run((output.scores, output.predicted_ids, output.parent_ids, next_state.log_probs,
                                next_state.finished, next_state.lengths, cell,
                                next_state.accumulated_attention_probs)))
    genuine, ours = results
    tolerance = 1e-12 if dtype == np.float64 else 1e-6
    for index, (want, got) in enumerate(zip(genuine, ours)):
        if isinstance(want, tuple):
            assert got == want
        elif np.issubdtype(np.asarray(want).dtype, np.floating):
            np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance, err_msg=f"field {index}")
        else:
            np.testing.assert_array_equal(got, want, err_msg=f"field {index}")


@pytest.mark.parametrize("seed", range(5))
def test_gather_tree_is_the_addons_gather_tree(seed):
    rng = np.random.default_rng(seed)
    max_time = rng.integers(1, 7)
    step_ids = rng.integers(0, 5, size=(max_time, BATCH, BEAM)).astype(np.int32)
    parent_ids = rng.integers(0, BEAM, size=(max_time, BATCH, BEAM)).astype(np.int32)
    lengths = rng.integers(0, max_time + 2, size=BATCH).astype(np.int32)
    with tf.Graph().as_default():
        want = run(tfa_beam.gather_tree(step_ids, parent_ids, lengths, END))
        got = run(beam_search.gather_tree(step_ids, parent_ids, lengths, END))
    np.testing.assert_array_equal(got, want)


def test_tile_batch_is_the_addons_tile_batch():
    value = np.arange(24.0).reshape(2, 3, 4)
    with tf.Graph().as_default():
        want = run(tfa_beam.tile_batch((tf.constant(value), tf.constant([5, 6])), 3))
        got = run(beam_search.tile_batch((tf.constant(value), tf.constant([5, 6])), 3))
    for g, w in zip(got, want):
        np.testing.assert_array_equal(g, w)


MEMORY = np.random.default_rng(7).normal(size=(BATCH, 5, 4))
MEMORY_LENGTHS = np.array([5, 2, 4], np.int32)


def assign_all(session, pairs):
    """Loads numpy values into variables, ``pairs`` of (variable, value)."""
    for variable, value in pairs:
        variable.load(value, session)


def mechanism_pairs(genuine, ours, rng):
    """(genuine variable, value), (compat variable, value) for every weight of two mechanisms."""
    pairs = []
    names = {"memory_layer": genuine.memory_layer.kernel}
    if getattr(genuine, "query_layer", None) is not None:
        names["query_layer"] = genuine.query_layer.kernel
    for attribute in ("attention_v", "attention_g", "attention_b"):
        if getattr(genuine, attribute, None) is not None:
            names[attribute] = getattr(genuine, attribute)
    for name, variable in names.items():
        value = rng.normal(size=variable.shape.as_list()) if variable.shape.rank else rng.uniform(0.5, 1.5)
        [mine] = [v for v in v1.global_variables() if "compat_scope" in v.name
                  and (v.name.endswith(f"/{name}/kernel:0") or v.name.endswith(f"/{name}:0"))]
        pairs += [(variable, value), (mine, value)]
    return pairs


MECHANISMS = {
    "bahdanau": dict(kind="BahdanauAttention", options={"normalize": False}),
    "bahdanau-normalized": dict(kind="BahdanauAttention", options={"normalize": True}),
    "luong": dict(kind="LuongAttention", options={"scale": False}),
    "luong-scaled": dict(kind="LuongAttention", options={"scale": True}),
}


@pytest.mark.parametrize("mechanism_id", list(MECHANISMS))
def test_attention_mechanisms_are_the_addons_ones(mechanism_id):
    from compat import seq2seq

    spec = MECHANISMS[mechanism_id]
    rng = np.random.default_rng(3)
    query = rng.normal(size=(BATCH, 4))
    with tf.Graph().as_default():
        memory, query = tf.constant(MEMORY), tf.constant(query)
        genuine = getattr(tfa.seq2seq, spec["kind"])(
            4, memory=memory, memory_sequence_length=tf.constant(MEMORY_LENGTHS),
            dtype=tf.float64, **spec["options"])
        want = genuine([query, tf.zeros([BATCH, 5], tf.float64)])[0]
        with v1.variable_scope("compat_scope"):
            ours = getattr(seq2seq, spec["kind"])(4, memory, memory_sequence_length=MEMORY_LENGTHS,
                                                  dtype=tf.float64, **spec["options"])
            got = ours(query, tf.zeros([BATCH, 5], tf.float64))[0]
        weights = tf.constant(np.random.default_rng(4).normal(size=(BATCH, 5)))
        want_gradients = tf.gradients(tf.reduce_sum(want * weights), [query, memory])
        got_gradients = tf.gradients(tf.reduce_sum(got * weights), [query, memory])
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            assign_all(session, mechanism_pairs(genuine, ours, rng))
            want, got, want_gradients, got_gradients = session.run((want, got, want_gradients, got_gradients))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    for got_gradient, want_gradient in zip(got_gradients, want_gradients):
        np.testing.assert_allclose(got_gradient, want_gradient, rtol=1e-12, atol=1e-12)
    assert (got[1, 2:] == 0).all()


def _unroll_attention(wrapper, state, steps, memory):
    """`wrapper` over `steps` from `state`: the outputs, the stacked alignment
    history, and the gradients of the outputs' squares with respect to the
    steps and the memory."""
    outputs = []
    for step in steps:
        output, state = wrapper(step, state)
        outputs.append(output)
    gradients = tf.gradients(tf.add_n([tf.reduce_sum(o ** 2) for o in outputs]),
                             steps + [memory])
    return outputs, state.alignment_history.stack(), gradients


@pytest.mark.parametrize("output_attention", [True, False])
def test_three_attention_wrapper_steps_are_the_addons_ones(output_attention):
    """An RNN cell with Luong attention, an attention layer and alignment history,
    three steps: Keras's SimpleRNNCell in Addons' wrapper, TF1's BasicRNNCell in
    compat's (its kernel is Keras's kernel and recurrent kernel stacked)."""
    from compat import rnn_cell, seq2seq

    rng = np.random.default_rng(5)
    inputs = rng.normal(size=(3, BATCH, 2))
    with tf.Graph().as_default():
        memory = tf.constant(MEMORY)
        steps = [tf.constant(step) for step in inputs]
        mechanism = tfa.seq2seq.LuongAttention(4, memory=memory,
                                               memory_sequence_length=tf.constant(MEMORY_LENGTHS),
                                               dtype=tf.float64)
        keras_cell = tf.keras.layers.SimpleRNNCell(4, dtype=tf.float64)
        genuine = tfa.seq2seq.AttentionWrapper(keras_cell, mechanism, attention_layer_size=3,
                                               alignment_history=True, output_attention=output_attention,
                                               dtype=tf.float64)
        want, want_history, want_gradients = _unroll_attention(
            genuine, genuine.get_initial_state(batch_size=BATCH, dtype=tf.float64), steps, memory)
        with v1.variable_scope("compat_scope"):
            ours_mechanism = seq2seq.LuongAttention(4, memory, memory_sequence_length=MEMORY_LENGTHS,
                                                    dtype=tf.float64)
            ours = seq2seq.AttentionWrapper(rnn_cell.BasicRNNCell(4), ours_mechanism, attention_layer_size=3,
                                            alignment_history=True, output_attention=output_attention)
            got, got_history, got_gradients = _unroll_attention(
                ours, ours.zero_state(BATCH, tf.float64), steps, memory)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            kernel = rng.normal(size=(5, 4)) * 0.5
            recurrent = rng.normal(size=(4, 4)) * 0.5
            bias = rng.normal(size=4) * 0.1
            attention_kernel = rng.normal(size=(8, 3))
            memory_kernel = rng.normal(size=(4, 4))
            mine = {v.name: v for v in v1.global_variables() if v.name.startswith("compat_scope/")}
            assign_all(session, [
                (keras_cell.kernel, kernel), (keras_cell.recurrent_kernel, recurrent), (keras_cell.bias, bias),
                (mine["compat_scope/attention_wrapper/basic_rnn_cell/kernel:0"], np.vstack([kernel, recurrent])),
                (mine["compat_scope/attention_wrapper/basic_rnn_cell/bias:0"], bias),
                (genuine._attention_layers[0].kernel, attention_kernel),
                (mine["compat_scope/attention_wrapper/attention_layer/kernel:0"], attention_kernel),
                (mechanism.memory_layer.kernel, memory_kernel),
                (mine["compat_scope/memory_layer/kernel:0"], memory_kernel),
            ])
            (want, want_history, want_gradients), (got, got_history, got_gradients) = session.run(
                ((want, want_history, want_gradients), (got, got_history, got_gradients)))
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_history, want_history, rtol=1e-12, atol=1e-12)
    for got_gradient, want_gradient in zip(got_gradients, want_gradients):
        np.testing.assert_allclose(got_gradient, want_gradient, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("length_penalty", [0.0, 0.8])
def test_beam_search_decoding_is_the_addons_decoding(length_penalty):
    """A whole beam search: Keras's SimpleRNNCell under Addons' decoder, TF1's
    BasicRNNCell under compat's, the same weights, embedding and start state."""
    from compat import rnn_cell, seq2seq
    from compat.layers.dense import Dense

    rng = np.random.default_rng(9)
    vocab, units, beams, end = 6, 5, 3, 2
    embedding = rng.normal(size=(vocab, 4))
    with tf.Graph().as_default():
        initial = seq2seq.tile_batch(tf.constant(rng.normal(size=(BATCH, units))), beams)
        keras_cell = tf.keras.layers.SimpleRNNCell(units, dtype=tf.float64)
        keras_projection = tf.keras.layers.Dense(vocab, use_bias=False, dtype=tf.float64)
        genuine = tfa.seq2seq.BeamSearchDecoder(keras_cell, beams, output_layer=keras_projection,
                                                length_penalty_weight=length_penalty, maximum_iterations=7,
                                                dtype=tf.float64)
        want_outputs, want_state, _ = genuine(tf.constant(embedding), start_tokens=tf.fill([BATCH], 1),
                                              end_token=end, initial_state=initial)
        with v1.variable_scope("compat_scope"):
            cell = rnn_cell.BasicRNNCell(units)
            projection = Dense(vocab, use_bias=False)
            ours = seq2seq.BeamSearchDecoder(cell, tf.constant(embedding), tf.fill([BATCH], 1), end, initial, beams,
                                             output_layer=projection, length_penalty_weight=length_penalty)
            got_outputs, got_state, _ = seq2seq.dynamic_decode(ours, maximum_iterations=7)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            kernel, recurrent = rng.normal(size=(4, units)), rng.normal(size=(units, units))
            bias, projection_kernel = rng.normal(size=units) * 0.1, rng.normal(size=(units, vocab)) * 2
            mine = {v.name: v for v in v1.global_variables() if v.name.startswith("compat_scope/")}
            assign_all(session, [
                (keras_cell.kernel, kernel), (keras_cell.recurrent_kernel, recurrent), (keras_cell.bias, bias),
                (keras_projection.kernel, projection_kernel),
                (mine["compat_scope/decoder/basic_rnn_cell/kernel:0"], np.vstack([kernel, recurrent])),
                (mine["compat_scope/decoder/basic_rnn_cell/bias:0"], bias),
                (mine["compat_scope/decoder/dense/kernel:0"], projection_kernel),
            ])
            want, got = session.run((
                (want_outputs.predicted_ids, want_outputs.beam_search_decoder_output.scores,
                 want_outputs.beam_search_decoder_output.parent_ids, want_state.lengths, want_state.log_probs),
                (got_outputs.predicted_ids, got_outputs.beam_search_decoder_output.scores,
                 got_outputs.beam_search_decoder_output.parent_ids, got_state.lengths, got_state.log_probs)))
    for index, (w, g) in enumerate(zip(want, got)):
        if np.issubdtype(w.dtype, np.floating):
            np.testing.assert_allclose(g, w, rtol=1e-12, atol=1e-12, err_msg=f"field {index}")
        else:
            np.testing.assert_array_equal(g, w, err_msg=f"field {index}")


@pytest.mark.parametrize("options", [{}, {"num_proj": 3, "use_bias": True}], ids=["plain", "proj-bias"])
def test_nas_cell_is_the_addons_nas_cell(options):
    """Addons' NASCell kept TF1's math (Keras's state is a list [c, h], TF1's an LSTMStateTuple)."""
    from compat.contrib import rnn

    rng = np.random.default_rng(2)
    units = 4
    out = options.get("num_proj", units)
    x, c, h = rng.normal(size=(BATCH, 3)), rng.normal(size=(BATCH, units)), rng.normal(size=(BATCH, out))
    with tf.Graph().as_default():
        x, c, h = tf.constant(x), tf.constant(c), tf.constant(h)
        genuine = tfa.rnn.NASCell(units, projection=options.get("num_proj"), use_bias=options.get("use_bias", False),
                                  dtype=tf.float64)
        want = genuine(x, [c, h])
        with v1.variable_scope("compat_scope"):
            ours = rnn.NASCell(units, **options)
            got = ours(x, rnn.LSTMStateTuple(c, h))
        want = (want, tf.gradients(tf.reduce_sum(want[0] ** 2) + tf.reduce_sum(want[1][0] ** 2), [x, c, h]))
        got = (got, tf.gradients(tf.reduce_sum(got[0] ** 2) + tf.reduce_sum(got[1][0] ** 2), [x, c, h]))
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            pairs = []
            for name in ("recurrent_kernel", "kernel", "bias", "projection_weights"):
                variable = getattr(genuine, name, None)
                if variable is None:
                    continue
                value = rng.normal(size=variable.shape.as_list())
                pairs += [(variable, value), (getattr(ours, name), value)]
            assign_all(session, pairs)
            ((want_output, want_state), want_gradients), ((got_output, got_state), got_gradients) = session.run(
                (want, got))
    np.testing.assert_allclose(got_output, want_output, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_state.c, want_state[0], rtol=1e-12, atol=1e-12)
    for got_gradient, want_gradient in zip(got_gradients, want_gradients):
        np.testing.assert_allclose(got_gradient, want_gradient, rtol=1e-12, atol=1e-12)
