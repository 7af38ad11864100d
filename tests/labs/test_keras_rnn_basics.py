"""Lab 12-6 keras_rnn_basics: seed 002's Keras shape tour in TF1 (v1), Keras 3
(v2) and the seed's numpy forward pass (section 9, the third form).

v2 runs on the variables v1 created (through `compat.weights` plans), so every
section must agree to rounding. Every SimpleRNN section of both forms is also
recomputed by the seed's numpy loop `h_t = tanh(Wx x_t + Wh h_{t-1} + b)`, with
`Wx` and `Wh` cut out of v1's TF1 kernels here, by hand (input rows first):
a wrong kernel split on the way to Keras shows as v2 against numpy. Expected
shapes are the numbers LABS.md lists for 12-6, written out.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf

from labs.harness.sections import build_graph_sections
from labs.keras_rnn_basics import data, numpy_rnn, v1, v2
from tests.reference import numpy_rnn as reference

TOLERANCE = {"float32": 1e-6, "float64": 1e-12}

# Every array of every section and the shape seed 002 / LABS.md gives it.
SHAPES = {
    "simple_rnn": {"hidden_state": (1, 3)},
    "return_sequences": {"hidden_states": (1, 4, 3)},
    "return_state": {"hidden_states": (1, 4, 3), "last_state": (1, 3)},
    "lstm": {"return_state/hidden_state": (1, 3),
             "return_state/last_state": (1, 3),
             "return_state/last_cell_state": (1, 3),
             "return_sequences/hidden_states": (1, 4, 3),
             "return_sequences/last_hidden_state": (1, 3),
             "return_sequences/last_cell_state": (1, 3)},
    "sequential": {"input_shape/hidden_state": (8, 3),
                   "batch_input_shape/hidden_state": (8, 3),
                   "return_sequences/hidden_states": (8, 2, 3)},
    "deep": {"hidden_states": (8, 10, 8), "last_state_0": (8, 8),
             "last_state_1": (8, 8)},
    "bidirectional": {"hidden_states_0": (8, 10, 16),
                      "hidden_states": (8, 10, 16),
                      "last_state_fw": (8, 8), "last_state_bw": (8, 8)},
    "time_distributed": {"outputs": (8, 10, 8)},
    "numpy_rnn": {"total_hidden_states": (10, 8)},
}

# The models' shapes with the batch dimension as the seed's summaries show it.
MODEL_SHAPES = {
    ("sequential", "input_shape/hidden_state"): (None, 3),
    ("sequential", "batch_input_shape/hidden_state"): (8, 3),
    ("sequential", "return_sequences/hidden_states"): (8, 2, 3),
    ("deep", "hidden_states"): (None, 10, 8),
    ("bidirectional", "hidden_states"): (None, 10, 16),
    ("time_distributed", "outputs"): (None, 10, 8),
}


@pytest.fixture(scope="module", params=["float32", "float64"])
def runs(request):
    """(dtype, v1 results, TF1 variables, v2 results on those variables)."""
    dtype = request.param
    v1_results, variables = v1.run_sections(dtype, return_variables=True)
    v2_results = v2.run_sections(dtype, tf1_variables=variables)
    return dtype, v1_results, variables, v2_results


@pytest.fixture(scope="module")
def keras_initialised():
    """v2 on its own Keras initialisation, float64."""
    return v2.run_sections("float64")


def test_every_section_agrees_between_v1_and_v2(runs):
    dtype, v1_results, _, v2_results = runs
    assert list(v1_results) == list(v2_results) == list(data.SECTIONS)
    for section in data.SECTIONS:
        assert list(v2_results[section]) == list(v1_results[section]), section
        for name, expected in v1_results[section].items():
            np.testing.assert_allclose(
                v2_results[section][name], expected, rtol=TOLERANCE[dtype],
                atol=TOLERANCE[dtype], err_msg=f"{section}/{name} ({dtype})")


def test_every_shape_the_seed_teaches(runs, keras_initialised):
    dtype, v1_results, _, v2_results = runs
    forms = {"v1": v1_results, "v2": v2_results,
             "v2 (Keras init)": keras_initialised}
    for form, results in forms.items():
        shapes = {section: {name: array.shape for name, array in arrays.items()}
                  for section, arrays in results.items()}
        assert shapes == SHAPES, form
        for section, arrays in results.items():
            for name, array in arrays.items():
                assert array.dtype == (dtype if form != "v2 (Keras init)"
                                       else "float64"), (form, section, name)
    assert data.train_x().shape == (1, 4, 5)


def _v1_static_shapes():
    with tf.Graph().as_default():
        tensors = build_graph_sections(v1.SECTIONS, "float32")
    return {(section, name): tuple(tensors[section][name].shape.as_list())
            for section, name in MODEL_SHAPES}


def _v2_model_shapes():
    sequential = v2.sequential_models("float32")
    return {
        ("sequential", "input_shape/hidden_state"):
            sequential["input_shape"].output_shape,
        ("sequential", "batch_input_shape/hidden_state"):
            sequential["batch_input_shape"].output_shape,
        ("sequential", "return_sequences/hidden_states"):
            sequential["return_sequences"].output_shape,
        ("deep", "hidden_states"): v2.deep_model("float32").output_shape,
        ("bidirectional", "hidden_states"):
            v2.bidirectional_model("float32").output_shape,
        ("time_distributed", "outputs"):
            v2.time_distributed_model("float32").output_shape,
    }


def test_models_have_the_shapes_the_seeds_summaries_print():
    assert _v2_model_shapes() == MODEL_SHAPES
    assert _v1_static_shapes() == MODEL_SHAPES


def test_states_are_the_last_steps(runs, keras_initialised):
    """return_state's last state is the last step of the sequence; an LSTM's
    h is its last output and c something else; MultiRNNCell's and the
    bidirectional layers' final states are their last (backward: first)
    steps."""
    _, v1_results, _, v2_results = runs
    half = data.HIDDEN_SIZE
    for form, results in (("v1", v1_results), ("v2", v2_results),
                          ("v2 (Keras init)", keras_initialised)):
        section = results["return_state"]
        np.testing.assert_array_equal(section["last_state"],
                                      section["hidden_states"][:, -1], form)
        lstm = results["lstm"]
        np.testing.assert_array_equal(lstm["return_state/last_state"],
                                      lstm["return_state/hidden_state"], form)
        np.testing.assert_array_equal(
            lstm["return_sequences/last_hidden_state"],
            lstm["return_sequences/hidden_states"][:, -1], form)
        for model in ("return_state", "return_sequences"):
            assert np.all(lstm[f"{model}/last_cell_state"]
                          != lstm[f"{model}/hidden_state" if model == "return_state"
                                  else f"{model}/last_hidden_state"]), form
    deep, bidirectional = v1_results["deep"], v1_results["bidirectional"]
    np.testing.assert_array_equal(deep["last_state_1"],
                                  deep["hidden_states"][:, -1])
    np.testing.assert_array_equal(bidirectional["last_state_fw"],
                                  bidirectional["hidden_states"][:, -1, :half])
    np.testing.assert_array_equal(bidirectional["last_state_bw"],
                                  bidirectional["hidden_states"][:, 0, half:])


# --------------------------------------------------------------------------
# The third form: the seed's numpy forward pass


def _seed_weights(variables, scope):
    """`Wx`, `Wh`, `b` of a TF1 BasicRNNCell: its kernel multiplies [x, h],
    input rows first, from the right; the seed multiplies from the left."""
    kernel, b = variables[f"{scope}/kernel"], variables[f"{scope}/bias"]
    input_dim = kernel.shape[0] - b.shape[0]
    return kernel[:input_dim].T, kernel[input_dim:].T, b


def _forward(batch, weights):
    return np.stack([numpy_rnn.rnn_forward(x, *weights) for x in batch])


def _bidirectional(batch, weights_fw, weights_bw):
    """(forward, backward) sequences: the backward RNN reads the sequence
    reversed, its outputs are put back in input order."""
    return (_forward(batch, weights_fw),
            _forward(batch[:, ::-1], weights_bw)[:, ::-1])


def _numpy_sections(variables):
    """Every SimpleRNN section recomputed by the seed's loop, float64."""
    def weights(scope):
        return _seed_weights(variables, scope)

    train_x = data.train_x("float64")
    cell = "rnn/basic_rnn_cell"
    sequences = {section: _forward(train_x, weights(f"{section}/{cell}"))
                 for section in ("simple_rnn", "return_sequences", "return_state")}
    expected = {
        "simple_rnn": {"hidden_state": sequences["simple_rnn"][:, -1]},
        "return_sequences": {"hidden_states": sequences["return_sequences"]},
        "return_state": {"hidden_states": sequences["return_state"],
                         "last_state": sequences["return_state"][:, -1]}}
    batch = data.model_inputs("sequential", "float64")
    expected["sequential"] = {
        "input_shape/hidden_state":
            _forward(batch, weights(f"sequential/input_shape/{cell}"))[:, -1],
        "batch_input_shape/hidden_state":
            _forward(batch, weights(f"sequential/batch_input_shape/{cell}"))[:, -1],
        "return_sequences/hidden_states":
            _forward(batch, weights(f"sequential/return_sequences/{cell}"))}
    layer_input = data.model_inputs("deep", "float64")
    expected["deep"] = {}
    for k in range(data.NUM_STACKED_LAYERS):
        layer_input = _forward(layer_input, weights(
            f"deep/rnn/multi_rnn_cell/cell_{k}/basic_rnn_cell"))
        expected["deep"][f"last_state_{k}"] = layer_input[:, -1]
    expected["deep"]["hidden_states"] = layer_input
    layer_input = data.model_inputs("bidirectional", "float64")
    bidirectional = expected["bidirectional"] = {}
    for k in range(data.NUM_STACKED_LAYERS):
        scope = f"bidirectional/layer_{k}/bidirectional_rnn"
        forward, backward = _bidirectional(
            layer_input, weights(f"{scope}/fw/basic_rnn_cell"),
            weights(f"{scope}/bw/basic_rnn_cell"))
        layer_input = np.concatenate([forward, backward], axis=-1)
        bidirectional[f"hidden_states_{k}"] = layer_input
    bidirectional["hidden_states"] = bidirectional.pop(
        f"hidden_states_{data.NUM_STACKED_LAYERS - 1}")
    bidirectional["last_state_fw"] = forward[:, -1]
    bidirectional["last_state_bw"] = backward[:, 0]
    inputs = data.numpy_rnn_draws("float64")[0]
    expected["numpy_rnn"] = {"total_hidden_states": numpy_rnn.rnn_forward(
        inputs, *weights(f"numpy_rnn/{cell}"))}
    return expected


@pytest.mark.parametrize("runs", ["float64"], indirect=True)
def test_simple_rnn_sections_match_the_seeds_numpy_forward_pass(runs):
    _, v1_results, variables, v2_results = runs
    expected_sections = _numpy_sections(variables)
    assert sorted(expected_sections) == sorted(
        set(data.SECTIONS) - {"lstm", "time_distributed"})
    for section, arrays in expected_sections.items():
        for form, results in (("v1", v1_results), ("v2", v2_results)):
            assert sorted(arrays) == sorted(results[section]), (form, section)
            for name, expected in arrays.items():
                np.testing.assert_allclose(
                    results[section][name], expected, rtol=1e-12, atol=1e-12,
                    err_msg=f"{form} {section}/{name}")


@pytest.mark.parametrize("runs", ["float64"], indirect=True)
def test_section_9_runs_the_seeds_weights_in_every_form(runs, keras_initialised):
    """Section 9's arrays come from the seed's (seeded) draws: the TF1 kernel
    is [Wx.T; Wh.T], and Keras, even on its own initialisation, loads them."""
    _, v1_results, variables, v2_results = runs
    inputs, Wx, Wh, b = data.numpy_rnn_draws("float64")
    assert (inputs.shape, Wx.shape, Wh.shape, b.shape) == \
        ((10, 4), (8, 4), (8, 8), (8,))
    assert 0 <= min(a.min() for a in (inputs, Wx, Wh, b))
    assert max(a.max() for a in (inputs, Wx, Wh, b)) < 1
    np.testing.assert_array_equal(
        variables["numpy_rnn/rnn/basic_rnn_cell/kernel"],
        np.concatenate([Wx.T, Wh.T]))
    np.testing.assert_array_equal(variables["numpy_rnn/rnn/basic_rnn_cell/bias"], b)
    expected = numpy_rnn.run_section("float64")["total_hidden_states"]
    assert expected.shape == (10, 8)
    for form, results in (("v1", v1_results), ("v2", v2_results),
                          ("v2 (Keras init)", keras_initialised)):
        np.testing.assert_allclose(results["numpy_rnn"]["total_hidden_states"],
                                   expected, rtol=1e-12, atol=1e-12, err_msg=form)


@pytest.mark.parametrize("runs", ["float64"], indirect=True)
def test_lstm_and_dense_sections_match_the_numpy_reference(runs):
    """The sections the seed's loop does not cover, against
    tests/reference/numpy_rnn.py (TF1's LSTM) and a plain matmul."""
    _, v1_results, variables, v2_results = runs
    train_x = data.train_x("float64")
    expected = {}
    for model in ("return_state", "return_sequences"):
        scope = f"lstm/{model}/rnn/basic_lstm_cell"
        cell = reference.LSTM(variables[f"{scope}/kernel"],
                              variables[f"{scope}/bias"], forget_bias=1.0)
        outputs, (c, h) = reference.dynamic_rnn(cell, train_x)
        expected[f"{model}/last_cell_state"] = c
        if model == "return_state":
            expected.update({f"{model}/hidden_state": outputs[:, -1],
                             f"{model}/last_state": h})
        else:
            expected.update({f"{model}/hidden_states": outputs,
                             f"{model}/last_hidden_state": h})
    dense = "time_distributed/fully_connected"
    outputs = (data.model_inputs("time_distributed", "float64")
               @ variables[f"{dense}/weights"] + variables[f"{dense}/biases"])
    for form, results in (("v1", v1_results), ("v2", v2_results)):
        assert sorted(results["lstm"]) == sorted(expected), form
        for name, value in expected.items():
            np.testing.assert_allclose(results["lstm"][name], value, rtol=1e-12,
                                       atol=1e-12, err_msg=f"{form} lstm/{name}")
        np.testing.assert_allclose(results["time_distributed"]["outputs"], outputs,
                                   rtol=1e-12, atol=1e-12, err_msg=form)


def test_numpy_forward_is_the_recurrence_step_by_step():
    rng = np.random.default_rng(0)
    inputs, Wx, Wh, b = (rng.normal(size=shape) for shape in
                         ((3, 2), (4, 2), (4, 4), (4,)))
    states = numpy_rnn.rnn_forward(inputs, Wx, Wh, b)
    h = np.zeros(4)
    for t in range(3):
        h = np.tanh(Wx @ inputs[t] + Wh @ h + b)
        np.testing.assert_array_equal(states[t], h)


@pytest.mark.parametrize("arguments, message", [
    (dict(inputs=np.zeros(4)), "`inputs`"),
    (dict(b=np.zeros((8, 1))), "`b`"),
    (dict(Wx=np.zeros((8, 5))), "`Wx`"),
    (dict(Wh=np.zeros((8, 4))), "`Wh`"),
    (dict(Wh=np.zeros((8, 8), dtype=int)), "`Wh`"),
])
def test_numpy_forward_names_the_bad_argument(arguments, message):
    inputs, Wx, Wh, b = data.numpy_rnn_draws()
    given = dict(inputs=inputs, Wx=Wx, Wh=Wh, b=b)
    given.update(arguments)
    with pytest.raises((ValueError, TypeError), match=message):
        numpy_rnn.rnn_forward(**given)


# --------------------------------------------------------------------------
# Keras 2 -> Keras 3, and bad input


@pytest.mark.parametrize("arguments", [
    dict(input_length=2, input_dim=10),
    dict(batch_input_shape=(8, 2, 10)),
])
def test_the_seeds_keras2_input_arguments_are_refused_by_keras3(arguments):
    """Why v2 starts its models with keras.Input (KERAS2.md)."""
    with pytest.raises(ValueError, match="Unrecognized keyword arguments"):
        keras.layers.SimpleRNN(3, **arguments)


def test_model_inputs_names_the_bad_section():
    with pytest.raises(ValueError, match="`section`"):
        data.model_inputs("simple_rnn")


@pytest.mark.parametrize("run_sections", [v1.run_sections, v2.run_sections],
                         ids=["v1", "v2"])
def test_run_sections_rejects_a_non_float_dtype(run_sections):
    with pytest.raises(ValueError, match="dtype"):
        run_sections("int32")
