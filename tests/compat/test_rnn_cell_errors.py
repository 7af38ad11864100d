"""Misuse gets a clear error naming the argument, and what dynamic_rnn does with
odd ``sequence_length`` values is pinned as it holds on the installed TF.

dynamic_rnn's own behaviour (read from ``tensorflow/python/ops/rnn.py``, the
same on TF 2.15 and 2.21):

* rank != 1: ``ValueError`` at graph construction;
* a static batch mismatch: ``ValueError`` from shape inference of the copy-
  through ``Select``; a mismatch known only at run time: the
  ``InvalidArgumentError`` of its shape assertion;
* negative lengths are not rejected: such rows act as length 0 (zero outputs,
  initial state), because a step is valid only when ``t < length``;
* lengths beyond the time axis are not rejected: the result equals running
  without ``sequence_length``;
* float lengths are cast to int32 (truncated).
* ``bidirectional_dynamic_rnn`` differs: its ``reverse_sequence`` rejects
  negative lengths and lengths beyond the time axis at run time.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from compat.contrib import rnn  # noqa: E402

v1 = tf.compat.v1

ALL_CELLS = [rnn.BasicRNNCell, rnn.BasicLSTMCell, rnn.LSTMCell, rnn.GRUCell]


def _state(cell, batch=2, dtype=tf.float32):
    return cell.zero_state(batch, dtype)


# -- constructor arguments -------------------------------------------------------


@pytest.mark.parametrize("cell_class", ALL_CELLS)
@pytest.mark.parametrize("num_units", [0, -3])
def test_non_positive_num_units_is_rejected(cell_class, num_units):
    with pytest.raises(ValueError, match="`num_units` must be a positive integer"):
        cell_class(num_units)


@pytest.mark.parametrize("cell_class", ALL_CELLS)
@pytest.mark.parametrize("num_units", [2.0, "4", True, None])
def test_non_integer_num_units_is_rejected(cell_class, num_units):
    with pytest.raises(TypeError, match="`num_units` must be a positive integer"):
        cell_class(num_units)


def test_numpy_integer_num_units_is_accepted():
    assert rnn.BasicLSTMCell(np.int64(3)).output_size == 3


@pytest.mark.parametrize(
    "kwargs, error, argument",
    [
        ({"num_proj": 0}, ValueError, "num_proj"),
        ({"num_proj": 1.5}, TypeError, "num_proj"),
        ({"num_unit_shards": 0}, ValueError, "num_unit_shards"),
        ({"num_proj_shards": "2"}, TypeError, "num_proj_shards"),
        ({"cell_clip": -1.0}, ValueError, "cell_clip"),
        ({"cell_clip": "big"}, TypeError, "cell_clip"),
        ({"proj_clip": 0.0}, ValueError, "proj_clip"),
        ({"forget_bias": None}, TypeError, "forget_bias"),
        ({"initializer": "glorot_uniform"}, TypeError, "initializer"),
        ({"activation": "swishy"}, ValueError, "activation"),
        ({"dtype": tf.int32}, ValueError, "dtype"),
        ({"dtype": "no-such-dtype"}, TypeError, "dtype"),
        ({"reuse": "yes"}, ValueError, "reuse"),
        ({"name": ""}, TypeError, "name"),
    ],
)
def test_bad_lstm_cell_arguments_are_named(kwargs, error, argument):
    with pytest.raises(error, match=f"`{argument}`"):
        rnn.LSTMCell(4, **kwargs)


@pytest.mark.parametrize(
    "kwargs, argument",
    [({"kernel_initializer": 0.1}, "kernel_initializer"), ({"bias_initializer": "ones"}, "bias_initializer")],
)
def test_bad_gru_initializers_are_named(kwargs, argument):
    with pytest.raises(TypeError, match=f"`{argument}`"):
        rnn.GRUCell(4, **kwargs)


def test_basic_lstm_cell_rejects_non_numeric_forget_bias():
    with pytest.raises(TypeError, match="`forget_bias`"):
        rnn.BasicLSTMCell(4, forget_bias="1")


# -- MultiRNNCell ----------------------------------------------------------------


def test_multi_rnn_cell_rejects_empty_cells():
    with pytest.raises(ValueError, match="`cells` must contain at least one cell"):
        rnn.MultiRNNCell([])


def test_multi_rnn_cell_rejects_a_non_sequence():
    with pytest.raises(TypeError, match="`cells` must be a list or tuple"):
        rnn.MultiRNNCell(rnn.BasicLSTMCell(2))


@pytest.mark.parametrize("entry", [3, "lstm", tf.keras.layers.Dense(2)])
def test_multi_rnn_cell_names_a_non_cell_entry(entry):
    with pytest.raises(TypeError, match=r"`cells\[1\]` is not an RNN cell"):
        rnn.MultiRNNCell([rnn.GRUCell(2), entry])


def test_multi_rnn_cell_concatenated_state_rejects_tuple_state_cells():
    with pytest.raises(ValueError, match="`state_is_tuple=False`"):
        rnn.MultiRNNCell([rnn.GRUCell(2), rnn.BasicLSTMCell(2)], state_is_tuple=False)


def test_multi_rnn_cell_concatenated_state_accepts_concatenated_lstm_states():
    stack = rnn.MultiRNNCell([rnn.GRUCell(2), rnn.BasicLSTMCell(3, state_is_tuple=False)], state_is_tuple=False)
    assert stack.state_size == 2 + 6


def test_multi_rnn_cell_rejects_a_state_of_the_wrong_arity(graph):
    stack = rnn.MultiRNNCell([rnn.GRUCell(2), rnn.GRUCell(2)])
    with pytest.raises(ValueError, match="`state` must be a tuple of 2 states"):
        stack(tf.ones([2, 3]), tf.zeros([2, 2]))


# -- stack_bidirectional_dynamic_rnn -------------------------------------------------


@pytest.mark.parametrize(
    "kwargs, match",
    [
        ({"cells_fw": []}, "`cells_fw` must be a non-empty list"),
        ({"cells_bw": (rnn.GRUCell(2),)}, "`cells_bw` must be a non-empty list"),
        ({"cells_bw": [rnn.GRUCell(2), rnn.GRUCell(2)]}, "same number of layers, but have 1 and 2"),
        ({"initial_states_fw": [None, None]}, "`initial_states_fw` must be a list of states, one per layer"),
        ({"initial_states_bw": "zeros"}, "`initial_states_bw` must be a list"),
    ],
)
def test_stack_bidirectional_rnn_names_bad_arguments(graph, kwargs, match):
    arguments = {"cells_fw": [rnn.GRUCell(2)], "cells_bw": [rnn.GRUCell(2)], "inputs": tf.ones([2, 4, 3]),
                 "dtype": tf.float32}
    arguments.update(kwargs)
    with pytest.raises(ValueError, match=match):
        rnn.stack_bidirectional_dynamic_rnn(**arguments)


# -- the call ------------------------------------------------------------------


@pytest.mark.parametrize("cell_class", ALL_CELLS)
def test_integer_inputs_are_rejected_as_in_tf1(graph, cell_class):
    cell = cell_class(3)
    with pytest.raises(ValueError, match="RNN cell only supports floating point inputs.*`inputs` of dtype int32"):
        cell(tf.ones([2, 4], tf.int32), _state(cell))


def test_integer_state_is_rejected(graph):
    cell = rnn.GRUCell(3)
    with pytest.raises(ValueError, match="`state` of dtype int32"):
        cell(tf.ones([2, 4]), tf.zeros([2, 3], tf.int32))


def test_dynamic_rnn_with_integer_inputs_is_rejected(graph):
    with pytest.raises(ValueError, match="RNN cell only supports floating point inputs"):
        v1.nn.dynamic_rnn(rnn.BasicLSTMCell(3), np.ones([2, 4, 3], np.int32), dtype=tf.float32)


@pytest.mark.parametrize("cell_class", ALL_CELLS)
@pytest.mark.parametrize("shape", [[2, 4, 3], [4]])
def test_inputs_of_rank_other_than_2_are_rejected(graph, cell_class, shape):
    cell = cell_class(3)
    with pytest.raises(ValueError, match=r"`inputs` of .* must have rank 2"):
        cell(tf.ones(shape), _state(cell))


def test_inputs_of_unknown_rank_are_rejected(graph):
    cell = rnn.BasicRNNCell(3)
    with pytest.raises(ValueError, match="must have rank 2"):
        cell(v1.placeholder(tf.float32), _state(cell))


@pytest.mark.parametrize("cell_class", ALL_CELLS)
def test_unknown_static_input_depth_is_rejected(graph, cell_class):
    cell = cell_class(3)
    with pytest.raises(ValueError, match="depth .* of `inputs` .* must be known statically"):
        cell(v1.placeholder(tf.float32, [None, None]), _state(cell))


def test_inputs_not_matching_the_cell_dtype_are_rejected(graph):
    cell = rnn.BasicLSTMCell(3, dtype=tf.float64)
    with pytest.raises(ValueError, match="dtype float32, but the cell's variables are float64"):
        cell(tf.ones([2, 4], tf.float32), _state(cell))


def test_one_cell_object_at_two_input_depths_is_rejected_naming_cell_and_depths(graph):
    """The notebook's ``MultiRNNCell([cell] * 3)``: layer 0 sees depth 3, the others 5."""
    cell = rnn.LSTMCell(5)
    stack = rnn.MultiRNNCell([cell] * 3)
    inputs = tf.constant(np.arange(45, dtype=np.float32).reshape(3, 5, 3))
    with pytest.raises(ValueError) as error:
        v1.nn.dynamic_rnn(stack, inputs, dtype=tf.float32)
    message = str(error.value)
    assert "LSTMCell 'rnn/multi_rnn_cell/cell_0/lstm_cell'" in message
    assert "built for inputs of depth 3" in message
    assert "called with inputs of depth 5" in message


def test_one_cell_object_at_one_depth_shares_its_weights(graph):
    cell = rnn.BasicLSTMCell(3)
    stack = rnn.MultiRNNCell([cell] * 3)
    v1.nn.dynamic_rnn(stack, tf.ones([2, 4, 3]), dtype=tf.float32)
    assert [v.name for v in v1.global_variables()] == [
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
    ]


def test_direct_second_call_at_another_depth_is_rejected(graph):
    cell = rnn.GRUCell(2)
    cell(tf.ones([1, 4]), _state(cell, 1))
    with pytest.raises(ValueError, match="GRUCell 'gru_cell' was built for inputs of depth 4 .* depth 6"):
        cell(tf.ones([1, 6]), _state(cell, 1))


def test_scope_name_before_the_first_call_is_an_error():
    with pytest.raises(ValueError, match="has not been called yet"):
        rnn.GRUCell(2).scope_name  # noqa: B018 (the property access raises)


# -- graph mode is required; importing compat changes no global state ------------------


def test_importing_compat_changes_no_global_tensorflow_state(fresh_process):
    # In a process that had not imported compat: this one may be in TF1 behaviour.
    imported = fresh_process["import_compat_without_tf1"]
    assert "compat.rnn_cell" in imported["modules"] and "compat.contrib.rnn" in imported["modules"]
    assert imported["before"] == {
        "executing_eagerly": True, "tf2_enabled": True, "control_flow_v2": True, "resource_variables": True
    }
    assert imported["after"] == imported["before"]


def test_eager_call_raises_explaining_graph_mode(fresh_process):
    kind, message = fresh_process["eager_calls"]["eager"]
    assert kind == "RuntimeError"
    assert "BasicLSTMCell 'basic_lstm_cell' was called in eager mode" in message
    assert "tf.Graph().as_default()" in message
    assert fresh_process["eager_calls"]["cell_built"] is False


def test_call_inside_tf_function_from_eager_raises_explaining_graph_mode(fresh_process):
    kind, message = fresh_process["eager_calls"]["function"]
    assert kind == "RuntimeError"
    assert "GRUCell 'gru_cell' was called in eager mode" in message


# -- dynamic_rnn and sequence_length, as they hold -----------------------------------


def _run(fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(fetches)


def test_sequence_length_of_rank_2_is_rejected_by_dynamic_rnn(graph):
    with pytest.raises(ValueError, match="sequence_length must be a vector of length batch_size"):
        v1.nn.dynamic_rnn(rnn.GRUCell(2), tf.ones([2, 4, 3]), sequence_length=[[1, 2]], dtype=tf.float32)


def test_static_batch_mismatch_of_sequence_length_fails_shape_inference(graph):
    with pytest.raises(ValueError, match="Dimension 0 in both shapes must be equal, but are 3 and 2"):
        v1.nn.dynamic_rnn(rnn.GRUCell(2), tf.ones([2, 4, 3]), sequence_length=[1, 2, 3], dtype=tf.float32)


def test_run_time_batch_mismatch_of_sequence_length_fails_the_shape_assertion(graph):
    lengths = v1.placeholder(tf.int32, [None])
    outputs, _ = v1.nn.dynamic_rnn(rnn.GRUCell(2), tf.ones([2, 4, 3]), sequence_length=lengths, dtype=tf.float32)
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        with pytest.raises(tf.errors.InvalidArgumentError, match="Expected shape for Tensor rnn/sequence_length"):
            session.run(outputs, {lengths: [1, 2, 3]})


def _dynamic_rnn_twice(graph_lengths, inputs, make_cell=lambda: rnn.BasicLSTMCell(3)):
    """Runs dynamic_rnn with each entry of ``graph_lengths`` on the same weights."""
    results = []
    cell = make_cell()
    for index, lengths in enumerate(graph_lengths):
        results.append(
            v1.nn.dynamic_rnn(cell, inputs, sequence_length=lengths, dtype=tf.float64, scope=f"run_{index}")
        )
    return _run(results)


def test_lengths_beyond_the_time_axis_equal_running_without_sequence_length(graph):
    inputs = tf.constant(np.random.default_rng(0).uniform(-1, 1, (3, 4, 2)))
    (out_long, state_long), (out_full, state_full) = _dynamic_rnn_twice([[5, 9, 4], None], inputs)
    np.testing.assert_array_equal(out_long, out_full)
    np.testing.assert_array_equal(state_long.c, state_full.c)
    np.testing.assert_array_equal(state_long.h, state_full.h)


def test_negative_lengths_act_as_zero_length(graph):
    inputs = tf.constant(np.random.default_rng(1).uniform(-1, 1, (2, 4, 2)))
    (out_neg, state_neg), (out_zero, state_zero) = _dynamic_rnn_twice([[-2, 3], [0, 3]], inputs)
    np.testing.assert_array_equal(out_neg, out_zero)
    np.testing.assert_array_equal(state_neg.h, state_zero.h)
    assert np.all(out_neg[0] == 0.0) and np.all(state_neg.c[0] == 0.0) and np.all(state_neg.h[0] == 0.0)


def test_float_lengths_are_truncated_to_int32(graph):
    inputs = tf.constant(np.random.default_rng(2).uniform(-1, 1, (2, 4, 2)))
    (out_float, _), (out_int, _) = _dynamic_rnn_twice([[1.7, 3.99], [1, 3]], inputs)
    np.testing.assert_array_equal(out_float, out_int)


@pytest.mark.parametrize("lengths, message", [([5, 2], r"seq_lens\(0\) > input.dims\(1\)"), ([-1, 2], r"seq_lens\(0\) < 0")])
def test_bidirectional_rnn_rejects_lengths_outside_the_time_axis_at_run_time(graph, lengths, message):
    outputs, _ = v1.nn.bidirectional_dynamic_rnn(
        rnn.GRUCell(2), rnn.GRUCell(2), tf.ones([2, 4, 3]), sequence_length=lengths, dtype=tf.float32
    )
    with pytest.raises(tf.errors.InvalidArgumentError, match=message):
        _run(outputs)


def test_dynamic_rnn_without_dtype_or_initial_state_is_rejected(graph):
    with pytest.raises(ValueError, match="argument `dtype` must be specified"):
        v1.nn.dynamic_rnn(rnn.GRUCell(2), tf.ones([2, 4, 3]))


def test_dynamic_rnn_with_unknown_input_depth_is_rejected(graph):
    inputs = v1.placeholder(tf.float32, [None, None, None])
    with pytest.raises(ValueError, match="Input size \\(depth of inputs\\) must be accessible"):
        v1.nn.dynamic_rnn(rnn.GRUCell(2), inputs, dtype=tf.float32)
