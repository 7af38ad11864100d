"""Lab 12-0 rnn_basics: the TF1 notebook (v1) and its Keras 3 form (v2).

v2 runs on the variables v1 created, so every section must agree to rounding;
both are also checked against the numpy reference of `dynamic_rnn` and
against what `sequence_length` promises (zeros past the length, final state
at the last valid step), which v2 only gets from its explicit mask and
`zero_output_for_mask=True`.
"""

import numpy as np
import pytest
import tensorflow as tf

from labs.rnn_basics import data, v1, v2
from tests.reference import numpy_rnn

TOLERANCE = {"float32": 1e-6, "float64": 1e-12}

RNN_SECTIONS = tuple(v2.RNN_SECTIONS)


@pytest.fixture(scope="module", params=["float32", "float64"])
def runs(request):
    """(dtype, v1 results, TF1 variables, v2 results on those variables)."""
    dtype = request.param
    v1_results, variables = v1.run_sections(dtype, return_variables=True)
    v2_results = v2.run_sections(dtype, tf1_variables=variables)
    return dtype, v1_results, variables, v2_results


@pytest.fixture(scope="module")
def keras_initialised():
    """v2 on its own Keras initialisation (float32)."""
    return v2.run_sections("float32")


def _forms(runs, keras_initialised):
    _, v1_results, _, v2_results = runs
    return {"v1": v1_results, "v2": v2_results,
            "v2 (Keras init)": keras_initialised}


def _lengths(section, batch_size, steps):
    if section in data.SEQUENCE_LENGTHS:
        return data.sequence_length(section)
    return np.full(batch_size, steps)


def test_every_section_agrees_between_v1_and_v2(runs):
    dtype, v1_results, _, v2_results = runs
    assert list(v1_results) == list(data.SECTIONS)
    assert list(v2_results) == list(data.SECTIONS)
    for section in data.SECTIONS:
        assert sorted(v2_results[section]) == sorted(v1_results[section]), section
        for name, expected in v1_results[section].items():
            np.testing.assert_allclose(
                v2_results[section][name], expected, rtol=TOLERANCE[dtype],
                atol=TOLERANCE[dtype], err_msg=f"{section}/{name} ({dtype})")


def _expected_shapes():
    """Shapes each section must print, derived from its inputs and sizes."""
    hidden, generated = data.HELLO_HIDDEN_SIZE, data.GENERATED_HIDDEN_SIZE

    def rnn_shapes(x, units, state_names):
        batch_size, steps, _ = x.shape
        return {"outputs": (batch_size, steps, units),
                **{name: (batch_size, units) for name in state_names}}

    letter_h = data.one_hot_words(["h"])
    hello = data.one_hot_words(["hello"])
    words = data.one_hot_words(data.THREE_WORDS)
    numbers = data.generated_data()
    lstm_state = ("state_c", "state_h")
    stacked_state = tuple(f"state_{k}_{part}" for k in range(data.NUM_STACKED_LAYERS)
                          for part in "ch")
    batch_size, steps, _ = numbers.shape
    return {
        "one_cell": rnn_shapes(letter_h, hidden, ["state"]),
        "two_sequences": rnn_shapes(hello, hidden, ["state"]),
        "3_batches": rnn_shapes(words, hidden, lstm_state),
        "3_batches_dynamic_length": rnn_shapes(words, hidden, lstm_state),
        "initial_state": rnn_shapes(words, hidden, lstm_state),
        "generated_data": rnn_shapes(numbers, generated, lstm_state),
        "MultiRNNCell": rnn_shapes(numbers, generated, stacked_state),
        "dynamic_rnn": rnn_shapes(numbers, generated, lstm_state),
        "bi-directional": {
            **{f"outputs_{side}": (batch_size, steps, generated) for side in ("fw", "bw")},
            **{f"state_{side}_{part}": (batch_size, generated)
               for side in ("fw", "bw") for part in "ch"}},
        "flatten_based_softmax": {
            "outputs": (batch_size, steps, data.SOFTMAX_NUM_CLASSES)},
        "sequence_loss": {name: () for name in data.SEQUENCE_LOSS_LOGITS},
    }


def test_shapes_and_dtypes_follow_the_data(runs):
    dtype, v1_results, _, v2_results = runs
    expected = _expected_shapes()
    # The notebook's headline shapes, as the lecture slides state them.
    assert expected["one_cell"]["outputs"] == (1, 1, 2)
    assert expected["two_sequences"]["outputs"] == (1, 5, 2)
    assert expected["3_batches"]["outputs"] == (3, 5, 2)
    assert expected["generated_data"]["outputs"] == (3, 5, 5)
    for form, results in (("v1", v1_results), ("v2", v2_results)):
        shapes = {section: {name: value.shape for name, value in arrays.items()}
                  for section, arrays in results.items()}
        assert shapes == expected, form
        for section, arrays in results.items():
            for name, value in arrays.items():
                assert value.dtype == dtype, (form, section, name)


def _masked_outputs(results):
    """(label, outputs, lengths) for every output computed with lengths."""
    for section in ("3_batches_dynamic_length", "dynamic_rnn"):
        yield section, results[section]["outputs"], data.sequence_length(section)
    for side in ("fw", "bw"):
        yield (f"bi-directional/{side}", results["bi-directional"][f"outputs_{side}"],
               data.sequence_length("bi-directional"))


def test_outputs_are_zero_past_sequence_length(runs, keras_initialised):
    for form, results in _forms(runs, keras_initialised).items():
        for label, outputs, lengths in _masked_outputs(results):
            for row, length in enumerate(lengths):
                assert np.all(outputs[row, length:] == 0), (form, label, row)
                assert np.all(outputs[row, :length] != 0), (form, label, row)


def test_final_state_is_the_output_at_the_last_valid_step(runs, keras_initialised):
    final_h = {"one_cell": "state", "two_sequences": "state",
               "MultiRNNCell": f"state_{data.NUM_STACKED_LAYERS - 1}_h"}
    for form, results in _forms(runs, keras_initialised).items():
        for section in RNN_SECTIONS:
            arrays = results[section]
            if section == "bi-directional":
                lengths = data.sequence_length(section)
                last_fw = arrays["outputs_fw"][np.arange(len(lengths)), lengths - 1]
                np.testing.assert_array_equal(arrays["state_fw_h"], last_fw,
                                              err_msg=form)
                # The backward cell reads each row's valid steps in reverse.
                np.testing.assert_array_equal(arrays["state_bw_h"],
                                              arrays["outputs_bw"][:, 0], err_msg=form)
                continue
            outputs = arrays["outputs"]
            lengths = _lengths(section, *outputs.shape[:2])
            last = outputs[np.arange(len(lengths)), lengths - 1]
            np.testing.assert_array_equal(
                arrays[final_h.get(section, "state_h")], last,
                err_msg=f"{form} {section}")


def _reference_cell(variables, scope):
    kernel, bias = variables[f"{scope}/kernel"], variables[f"{scope}/bias"]
    if scope.endswith("basic_rnn_cell"):
        return numpy_rnn.BasicRNN(kernel, bias)
    return numpy_rnn.LSTM(kernel, bias, forget_bias=1.0)


def _lstm_names(state, prefix="state"):
    c, h = state
    return {f"{prefix}_c": c, f"{prefix}_h": h}


def _numpy_sections(variables):
    """Every RNN section recomputed in numpy from the TF1 variables."""
    words = data.one_hot_words(data.THREE_WORDS, "float64")
    numbers = data.generated_data("float64")
    expected = {}
    for section, x in (("one_cell", data.one_hot_words(["h"], "float64")),
                       ("two_sequences", data.one_hot_words(["hello"], "float64"))):
        cell = _reference_cell(variables, f"{section}/rnn/basic_rnn_cell")
        outputs, state = numpy_rnn.dynamic_rnn(cell, x)
        expected[section] = {"outputs": outputs, "state": state}
    for section, x, cell_name in (
            ("3_batches", words, "basic_lstm_cell"),
            ("3_batches_dynamic_length", words, "basic_lstm_cell"),
            ("initial_state", words, "basic_lstm_cell"),
            ("generated_data", numbers, "lstm_cell"),
            ("dynamic_rnn", numbers, "lstm_cell")):
        cell = _reference_cell(variables, f"{section}/rnn/{cell_name}")
        lengths = data.SEQUENCE_LENGTHS.get(section)
        outputs, state = numpy_rnn.dynamic_rnn(cell, x, sequence_length=lengths)
        expected[section] = {"outputs": outputs, **_lstm_names(state)}
    stack = numpy_rnn.MultiRNN([
        _reference_cell(variables, f"MultiRNNCell/rnn/multi_rnn_cell/cell_{k}/lstm_cell")
        for k in range(data.NUM_STACKED_LAYERS)])
    outputs, states = numpy_rnn.dynamic_rnn(stack, numbers)
    expected["MultiRNNCell"] = {"outputs": outputs}
    for k, state in enumerate(states):
        expected["MultiRNNCell"].update(_lstm_names(state, f"state_{k}"))
    (out_fw, out_bw), (state_fw, state_bw) = numpy_rnn.bidirectional_dynamic_rnn(
        *(_reference_cell(variables, f"bi-directional/bidirectional_rnn/{side}/lstm_cell")
          for side in ("fw", "bw")),
        numbers, sequence_length=data.SEQUENCE_LENGTHS["bi-directional"])
    expected["bi-directional"] = {"outputs_fw": out_fw, "outputs_bw": out_bw,
                                  **_lstm_names(state_fw, "state_fw"),
                                  **_lstm_names(state_bw, "state_bw")}
    return expected


@pytest.mark.parametrize("runs", ["float64"], indirect=True)
def test_rnn_sections_match_the_numpy_reference(runs):
    _, v1_results, variables, v2_results = runs
    for section, arrays in _numpy_sections(variables).items():
        for form, results in (("v1", v1_results), ("v2", v2_results)):
            assert sorted(results[section]) == sorted(arrays), (form, section)
            for name, expected in arrays.items():
                np.testing.assert_allclose(
                    results[section][name], expected, rtol=1e-12, atol=1e-12,
                    err_msg=f"{form} {section}/{name}")


def _numpy_sequence_loss(logits, targets, weights):
    """Σ w·ce / Σ w with ce the softmax cross-entropy, in float64."""
    logits = logits.astype(np.float64)
    shifted = logits - logits.max(axis=-1, keepdims=True)
    log_softmax = shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))
    cross_entropy = -np.take_along_axis(log_softmax, targets[..., None], -1)[..., 0]
    return (cross_entropy * weights).sum() / weights.sum()


def test_sequence_loss_examples_match_numpy_cross_entropy(runs):
    dtype, v1_results, _, v2_results = runs
    for name in data.SEQUENCE_LOSS_LOGITS:
        expected = _numpy_sequence_loss(*data.sequence_loss_example(name, "float64"))
        for form, results in (("v1", v1_results), ("v2", v2_results)):
            np.testing.assert_allclose(
                results["sequence_loss"][name], expected, rtol=TOLERANCE[dtype],
                atol=0, err_msg=f"{form} {name}")


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_v2_sequence_loss_divides_by_the_sum_of_weights(dtype):
    rng = np.random.default_rng(0)
    logits = rng.normal(size=(4, 6, 3)).astype(dtype)
    targets = rng.integers(0, 3, size=(4, 6)).astype("int32")
    weights = rng.uniform(0.0, 2.0, size=(4, 6)).astype(dtype)
    weights[0] = 0.0
    loss = v2.sequence_loss(logits, targets, weights)
    np.testing.assert_allclose(
        np.asarray(loss), _numpy_sequence_loss(logits, targets, weights),
        rtol=TOLERANCE[dtype], atol=0)


def test_flatten_based_softmax_matches_numpy(runs):
    _, v1_results, _, v2_results = runs
    x = data.generated_data("float64")
    weights = data.softmax_weights("float64")
    # Every (batch, step) row of x times the weights, done one row at a time.
    expected = np.einsum("btd,dc->btc", x, weights)
    for form, results in (("v1", v1_results), ("v2", v2_results)):
        # Integer-valued products below 2**24: exact in float32 too.
        np.testing.assert_array_equal(
            results["flatten_based_softmax"]["outputs"], expected, err_msg=form)


def test_the_notebooks_shared_cell_multi_rnn_line_fails_clearly():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match=(
                r"built for inputs of depth 3 but is now called with inputs of "
                r"depth 5.*one cell per layer")):
            v1.shared_cell_stack("float32")


@pytest.mark.parametrize("run_sections", [v1.run_sections, v2.run_sections],
                         ids=["v1", "v2"])
def test_run_sections_rejects_a_non_float_dtype(run_sections):
    with pytest.raises(ValueError, match="dtype"):
        run_sections("int32")


def test_v2_refuses_variables_of_an_unknown_section():
    variables = {"not_a_section/rnn/basic_rnn_cell/kernel": np.zeros((6, 2), "float32")}
    with pytest.raises(ValueError, match=r"`tf1_variables`.*\['not_a_section'\]"):
        v2.run_sections("float32", tf1_variables=variables)
