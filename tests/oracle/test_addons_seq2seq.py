"""compat's beam search against TensorFlow Addons 0.23, the TF2 port of TF 1.15's ``contrib.seq2seq``.

The ``addons`` tox env (TF 2.15, Keras 2, tensorflow-addons 0.23) runs this
file; elsewhere it skips. The same inputs go through both: one beam search
step (``_beam_search_step``: log-softmax, the finished beams' mask, the length
and coverage penalties, ``top_k`` over beams x tokens, the gathered states),
``gather_tree`` and ``tile_batch``; ids must be equal and numbers within
1e-12 (float64) or 1e-6 (float32). Addons kept TF 1.15's math here (its
``output_all_scores`` option is new, and left off).
"""

import numpy as np
import pytest
import tensorflow as tf

tfa_beam = pytest.importorskip(
    "tensorflow_addons.seq2seq.beam_search_decoder",
    reason="needs tensorflow-addons (the addons tox env: TF 2.15 + tensorflow-addons 0.23)")
tfa_attention = pytest.importorskip("tensorflow_addons.seq2seq.attention_wrapper")

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


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("length_penalty, coverage_penalty", [(0.0, 0.0), (0.7, 0.0), (0.6, 0.4)])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_one_beam_search_step_is_the_addons_step(dtype, length_penalty, coverage_penalty, seed):
    if coverage_penalty and dtype == np.float64:
        pytest.skip("the coverage penalty is computed in float32 in TF 1.15 and Addons alike")
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
