"""Lab 12-7, the RNN language model: its data as Keras 2 made it, the seed's
sentences written again by both forms, the two loss forms, the embedding's
sparse gradient, and the run's (absent) chaos."""

import numpy as np
import pytest

from labs.harness import registry, run_lab, session_loop
from labs.harness.recording import Recorder
from labs.harness.run import build_keras_lab, tf1_initial_variables
from labs.rnn_language_model import data
from tests.lab_runs import AGREEMENT

LAB = "12-7"
# Seed 002, chapter 4: the text and what `sentence_generation` printed.
SEED_SENTENCES = ("경마장에 있는 말이 뛰고 있다", "그의 말이 법이다",
                  "가는 말이 고와야 오는 말이 곱다")
# KERAS2.md, measured with Keras 2.15's Tokenizer on the seed's text.
KERAS_2_WORD_INDEX = {
    '말이': 1, '경마장에': 2, '있는': 3, '뛰고': 4, '있다': 5, '그의': 6,
    '법이다': 7, '가는': 8, '고와야': 9, '오는': 10, '곱다': 11}
KERAS_2_EPSILON = 1e-7  # backend.epsilon(), the clip of categorical_crossentropy


def test_word_index_is_keras_2s():
    assert data.WORD_INDEX == KERAS_2_WORD_INDEX
    assert data.VOCAB_SIZE == len(KERAS_2_WORD_INDEX) + 1
    assert data.LINES == SEED_SENTENCES


def test_samples_are_every_prefix_pre_padded():
    x, y = data.training_data()
    expected = [line.split()[:end] for line in SEED_SENTENCES
                for end in range(2, len(line.split()) + 1)]
    assert x.shape == (len(expected), max(map(len, expected)) - 1) == (11, 5)
    assert y.shape == (11,) and x.dtype == y.dtype == np.int32
    for row, label, words in zip(x, y, expected):
        padding = x.shape[1] - (len(words) - 1)
        assert (row[:padding] == 0).all()  # "pre": zeros first
        assert [data.IDX2WORD[i] for i in row[padding:]] == words[:-1]
        assert data.IDX2WORD[label] == words[-1]


def test_sentence_generation_feeds_the_text_so_far_pre_padded():
    seen = []

    def predict(encoded):  # always "말이", then whatever follows
        seen.append(encoded.tolist())
        logits = np.zeros((1, data.VOCAB_SIZE))
        logits[0, data.WORD_INDEX["말이"]] = 1.0
        return logits

    sentence, indices = data.sentence_generation(predict, "가는", 6)
    assert sentence == "가는" + " 말이" * 6 and indices == [1] * 6
    eight = data.WORD_INDEX["가는"]
    # pre-padded to 5, and truncated at the front once longer (pad_sequences)
    assert seen[0] == [[0, 0, 0, 0, eight]]
    assert seen[4] == [[eight, 1, 1, 1, 1]] and seen[5] == [[1] * 5]
    with pytest.raises(ValueError, match="n must be"):
        data.sentence_generation(predict, "가는", 0)


@pytest.mark.parametrize("dtype", ("float32", "float64"))
def test_both_forms_regenerate_the_seed_sentences(lab_runs, dtype):
    """From each sentence's first word, in 200 iterations, both forms; the
    recorded text (each prefix continued) reads the same."""
    runs = [lab_runs(LAB, "v1", dtype), lab_runs(LAB, "v2", dtype, **AGREEMENT)]
    if dtype == "float32":  # the idiomatic v2: Keras's initialisers and Adam
        runs.append(lab_runs(LAB, "v2", dtype))
    for result in runs:
        generated = [" ".join(data.IDX2WORD[i] for i in row if i)
                     for row in result.arrays["generated"]]
        assert tuple(generated) == SEED_SENTENCES, result.impl
        assert result.final_record.text == " / ".join(SEED_SENTENCES)


class LogitsRecorder(Recorder):
    """A Recorder that also keeps every iteration's logits."""

    def __init__(self, iterations, dtype):
        super().__init__(iterations, range(iterations), dtype)
        self.logits = []

    def observe(self, iteration, loss, outputs=None):
        self.logits.append(np.asarray(outputs, dtype=np.float64))
        super().observe(iteration, loss, outputs)


def keras_2_clipped_crossentropy(logits, labels):
    """Keras 2.15 `backend.categorical_crossentropy` on probabilities: mean
    of -sum(y log(clip(p / sum p, eps, 1 - eps)))."""
    shifted = logits - logits.max(-1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(-1, keepdims=True)
    p = np.clip(p / p.sum(-1, keepdims=True), KERAS_2_EPSILON,
                1 - KERAS_2_EPSILON)
    one_hot = np.eye(logits.shape[-1])[labels]
    return float(np.mean(-(one_hot * np.log(p)).sum(-1)))


def test_logits_loss_and_keras_2_clipped_probabilities_agree():
    """v1's loss (sparse softmax cross-entropy of logits, v2's too) against
    Keras 2's clipped categorical crossentropy of the softmax, at every
    iteration: the clip never binds on this data (measured: every
    probability stays inside [1e-7, 1 - 1e-7] for all 200 iterations), so
    the two agree to rounding. On saturated logits they would not."""
    dtype = "float64"
    recorder = LogitsRecorder(data.ITERATIONS, dtype)
    session_loop.train(registry.get(LAB).module("v1").build, dtype, recorder)
    _, labels = data.training_data()
    clipped = np.array([keras_2_clipped_crossentropy(logits, labels)
                        for logits in recorder.logits])
    np.testing.assert_allclose(clipped, recorder.losses, rtol=1e-12)
    logits = np.stack(recorder.logits)
    shifted = logits - logits.max(-1, keepdims=True)
    p = np.exp(shifted) / np.exp(shifted).sum(-1, keepdims=True)
    target = p[:, np.arange(len(labels)), labels]
    print(f"12-7 probabilities over the run: min {p.min():.3g}, max "
          f"{p.max():.6f}; of the targets min {target.min():.3g}")
    assert KERAS_2_EPSILON < p.min() and p.max() < 1 - KERAS_2_EPSILON
    # The comparison can fail: where the clip binds (a confidently wrong
    # model: the trained logits negated and sharpened), the forms part.
    saturated = -100 * recorder.logits[-1]
    exact = float(np.mean(
        np.log(np.exp(saturated - saturated.max(-1, keepdims=True)).sum(-1))
        + saturated.max(-1) - saturated[np.arange(len(labels)), labels]))
    assert abs(keras_2_clipped_crossentropy(saturated, labels) - exact) > 1


def test_embedding_gradient_is_sparse_in_both_forms(monkeypatch):
    """v1's embedding gradient is an IndexedSlices (TF1 Adam's sparse path);
    v2's reaches TF1Adam as one too, and the harness names the embedding as
    TF1Adam's sparse variable (tests/backends/test_sparse_path.py holds the
    step itself to TF1's)."""
    import tensorflow as tf

    from compat.optimizers import TF1Adam

    graph, lab, _ = session_loop.build_graph(
        registry.get(LAB).module("v1").build, "float64")
    with graph.as_default():
        gradients = {variable.op.name: gradient for gradient, variable
                     in lab.optimizer.compute_gradients(lab.loss)}
    assert isinstance(gradients["embedding"], tf.IndexedSlices)
    assert not isinstance(gradients["rnn/basic_rnn_cell/kernel"],
                          tf.IndexedSlices)

    steps = []
    update_step = TF1Adam.update_step

    def spy(self, gradient, variable, learning_rate):
        index = self._get_variable_index(variable)
        steps.append((type(gradient).__name__,
                      self._trainable_variables[index].path,
                      self._sparse[index]))
        return update_step(self, gradient, variable, learning_rate)

    monkeypatch.setattr(TF1Adam, "update_step", spy)
    run_lab(LAB, "v2", "float64", iterations=2, **AGREEMENT)
    # The step is traced once: one update_step per variable.
    assert [(kind, path) for kind, path, _ in steps
            if kind == "IndexedSlices"] == [("IndexedSlices",
                                             "embedding/embeddings")]
    # Declared too, for the backends whose gradients arrive dense.
    assert [path for _, path, sparse in steps if sparse] == [
        "embedding/embeddings"]


def test_no_chaos_within_the_run(lab_runs):
    """v1 against v1 with its initial weights off by 1e-14 (relative), as
    for 12-4: the two stay within 1e-12 for all 200 iterations (measured
    worst 7.7e-15, TF 2.21), so the horizon is the whole run."""
    dtype = "float64"
    reference = lab_runs(LAB, "v1", dtype).losses
    rng = np.random.default_rng(0)
    perturbed = {
        name: value * (1 + 1e-14 * rng.standard_normal(value.shape))
        for name, value in tf1_initial_variables(LAB, dtype).items()
        if not name.endswith(("/Adam", "/Adam_1", "_power"))}
    recorder = Recorder(len(reference), (), dtype)
    session_loop.train(registry.get(LAB).module("v1").build, dtype, recorder,
                       initial_values=perturbed)
    deviation = np.abs(recorder.losses - reference) / reference
    assert 0 < deviation.max() < 1e-12


def test_v2_model_is_the_seeds():
    lab = build_keras_lab(registry.get(LAB), "float32")
    layers = {layer.name: layer for layer in lab.model.layers}
    assert layers["embedding"].input_dim == data.VOCAB_SIZE == 12
    assert layers["embedding"].output_dim == 10
    assert layers["simple_rnn"].units == 32
    assert layers["dense"].units == 12
    assert (lab.learning_rate, lab.epsilon) == (0.001, KERAS_2_EPSILON)
    assert lab.optimizer.epsilon == KERAS_2_EPSILON
