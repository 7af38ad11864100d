"""Variable names, scope capture and reuse: TF1's rules (LEGACY_SEMANTICS §1.6b, §1.7).

The expected names are TF1's, as a checkpoint written by the genuine cells
stores them; tests/oracle/ compares the same cases against the genuine cells.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from compat.contrib import rnn  # noqa: E402

v1 = tf.compat.v1


def names():
    return [v.name for v in v1.global_variables()]


def sequences(depth=3, batch=2, time=4, seed=0):
    values = np.random.default_rng(seed).uniform(-1, 1, (batch, time, depth))
    return tf.constant(values, tf.float32)


def initialized_run(fetches):
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        return session.run(fetches)


# -- names -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make_cell, expected",
    [
        (lambda: rnn.BasicRNNCell(5), ["rnn/basic_rnn_cell/kernel:0", "rnn/basic_rnn_cell/bias:0"]),
        (lambda: rnn.BasicLSTMCell(5), ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]),
        (lambda: rnn.LSTMCell(5), ["rnn/lstm_cell/kernel:0", "rnn/lstm_cell/bias:0"]),
        (
            lambda: rnn.LSTMCell(5, use_peepholes=True, num_proj=3),
            [
                "rnn/lstm_cell/kernel:0",
                "rnn/lstm_cell/bias:0",
                "rnn/lstm_cell/w_f_diag:0",
                "rnn/lstm_cell/w_i_diag:0",
                "rnn/lstm_cell/w_o_diag:0",
                "rnn/lstm_cell/projection/kernel:0",
            ],
        ),
        (
            lambda: rnn.LSTMCell(5, num_proj=3, num_unit_shards=2, num_proj_shards=2),
            [
                "rnn/lstm_cell/kernel/part_0:0",
                "rnn/lstm_cell/kernel/part_1:0",
                "rnn/lstm_cell/bias:0",
                "rnn/lstm_cell/projection/kernel/part_0:0",
                "rnn/lstm_cell/projection/kernel/part_1:0",
            ],
        ),
        (
            lambda: rnn.GRUCell(5),
            [
                "rnn/gru_cell/gates/kernel:0",
                "rnn/gru_cell/gates/bias:0",
                "rnn/gru_cell/candidate/kernel:0",
                "rnn/gru_cell/candidate/bias:0",
            ],
        ),
        (
            lambda: rnn.MultiRNNCell([rnn.BasicLSTMCell(5), rnn.GRUCell(6)]),
            [
                "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
                "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
                "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
                "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
                "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
                "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
            ],
        ),
        (lambda: rnn.GRUCell(5, name="my_gru"), [
            "rnn/my_gru/gates/kernel:0",
            "rnn/my_gru/gates/bias:0",
            "rnn/my_gru/candidate/kernel:0",
            "rnn/my_gru/candidate/bias:0",
        ]),
    ],
)
def test_dynamic_rnn_variable_names_are_tf1s(graph, make_cell, expected):
    v1.nn.dynamic_rnn(make_cell(), sequences(depth=4), dtype=tf.float32)
    assert names() == expected


def test_variable_shapes_follow_the_fused_kernel_layout(graph):
    v1.nn.dynamic_rnn(
        rnn.MultiRNNCell([rnn.BasicLSTMCell(5), rnn.LSTMCell(6, use_peepholes=True, num_proj=2), rnn.GRUCell(3)]),
        sequences(depth=4),
        dtype=tf.float32,
    )
    shapes = {v.name: v.shape.as_list() for v in v1.global_variables()}
    assert shapes == {
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0": [4 + 5, 20],
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0": [20],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/kernel:0": [5 + 2, 24],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/bias:0": [24],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/w_f_diag:0": [6],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/w_i_diag:0": [6],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/w_o_diag:0": [6],
        "rnn/multi_rnn_cell/cell_1/lstm_cell/projection/kernel:0": [6, 2],
        "rnn/multi_rnn_cell/cell_2/gru_cell/gates/kernel:0": [2 + 3, 6],
        "rnn/multi_rnn_cell/cell_2/gru_cell/gates/bias:0": [6],
        "rnn/multi_rnn_cell/cell_2/gru_cell/candidate/kernel:0": [2 + 3, 3],
        "rnn/multi_rnn_cell/cell_2/gru_cell/candidate/bias:0": [3],
    }


def test_bidirectional_rnn_names(graph):
    v1.nn.bidirectional_dynamic_rnn(
        rnn.BasicLSTMCell(4), rnn.BasicLSTMCell(4), sequences(), sequence_length=[2, 3], dtype=tf.float32
    )
    assert names() == [
        "bidirectional_rnn/fw/basic_lstm_cell/kernel:0",
        "bidirectional_rnn/fw/basic_lstm_cell/bias:0",
        "bidirectional_rnn/bw/basic_lstm_cell/kernel:0",
        "bidirectional_rnn/bw/basic_lstm_cell/bias:0",
    ]


def test_static_rnn_names_and_one_set_of_weights_for_all_steps(graph):
    rnn.static_rnn(rnn.MultiRNNCell([rnn.BasicLSTMCell(4), rnn.GRUCell(3)]), tf.unstack(sequences(), axis=1), dtype=tf.float32)
    assert names() == [
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "rnn/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
        "rnn/multi_rnn_cell/cell_1/gru_cell/gates/kernel:0",
        "rnn/multi_rnn_cell/cell_1/gru_cell/gates/bias:0",
        "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/kernel:0",
        "rnn/multi_rnn_cell/cell_1/gru_cell/candidate/bias:0",
    ]


def test_stack_bidirectional_rnn_names(graph):
    rnn.stack_bidirectional_dynamic_rnn(
        [rnn.GRUCell(3), rnn.BasicLSTMCell(2)], [rnn.GRUCell(3), rnn.BasicLSTMCell(2)], sequences(), dtype=tf.float32
    )
    assert names() == [
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/gru_cell/gates/kernel:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/gru_cell/gates/bias:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/gru_cell/candidate/kernel:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/fw/gru_cell/candidate/bias:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/gru_cell/gates/kernel:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/gru_cell/gates/bias:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/gru_cell/candidate/kernel:0",
        "stack_bidirectional_rnn/cell_0/bidirectional_rnn/bw/gru_cell/candidate/bias:0",
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/basic_lstm_cell/kernel:0",
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/fw/basic_lstm_cell/bias:0",
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/basic_lstm_cell/kernel:0",
        "stack_bidirectional_rnn/cell_1/bidirectional_rnn/bw/basic_lstm_cell/bias:0",
    ]
    shapes = [v.shape.as_list() for v in v1.global_variables()]
    assert shapes[0] == [3 + 3, 6] and shapes[8] == [3 + 3 + 2, 8]


def test_scope_property_reports_the_captured_scope(graph):
    stack = rnn.MultiRNNCell([rnn.BasicLSTMCell(2), rnn.BasicLSTMCell(2)])
    with v1.variable_scope("model"):
        v1.nn.dynamic_rnn(stack, sequences(), dtype=tf.float32, scope="encoder")
    assert stack.scope_name == "model/encoder/multi_rnn_cell"
    assert [cell.scope_name for cell in stack.cells] == [
        "model/encoder/multi_rnn_cell/cell_0/basic_lstm_cell",
        "model/encoder/multi_rnn_cell/cell_1/basic_lstm_cell",
    ]
    assert [v.name for v in stack.variables] == names()


# -- scope capture and reuse (§1.7) ------------------------------------------------------


def test_one_cell_under_two_dynamic_rnn_scopes_keeps_its_first_scope(graph):
    cell = rnn.BasicLSTMCell(5)
    inputs = sequences()
    enc, _ = v1.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, scope="enc")
    dec, _ = v1.nn.dynamic_rnn(cell, inputs, dtype=tf.float32, scope="dec")
    assert names() == ["enc/basic_lstm_cell/kernel:0", "enc/basic_lstm_cell/bias:0"]
    enc_value, dec_value = initialized_run((enc, dec))
    np.testing.assert_array_equal(enc_value, dec_value)


def test_two_new_cells_in_one_scope_get_uniquified_names(graph):
    first, second = rnn.BasicLSTMCell(5), rnn.BasicLSTMCell(5)
    state = first.zero_state(2, tf.float32)
    first(tf.ones([2, 3]), state)
    second(tf.ones([2, 3]), state)
    assert names() == [
        "basic_lstm_cell/kernel:0",
        "basic_lstm_cell/bias:0",
        "basic_lstm_cell_1/kernel:0",
        "basic_lstm_cell_1/bias:0",
    ]


def test_two_new_multi_rnn_cells_called_directly_in_one_scope_collide_as_in_tf1(graph):
    """TF1's plain RNNCell re-enters the caller's scope, restarting its name counter."""
    first, second = rnn.MultiRNNCell([rnn.BasicLSTMCell(3)]), rnn.MultiRNNCell([rnn.BasicLSTMCell(3)])
    state = first.zero_state(2, tf.float32)
    first(tf.ones([2, 3]), state)
    with pytest.raises(ValueError, match="Variable multi_rnn_cell/cell_0/basic_lstm_cell/kernel already exists"):
        second(tf.ones([2, 3]), state)


def test_two_new_multi_rnn_cells_under_auto_reuse_share_as_in_tf1(graph):
    with v1.variable_scope("z", reuse=v1.AUTO_REUSE):
        first, second = rnn.MultiRNNCell([rnn.BasicLSTMCell(3)]), rnn.MultiRNNCell([rnn.GRUCell(3)])
        first(tf.ones([2, 3]), first.zero_state(2, tf.float32))
        second(tf.ones([2, 3]), second.zero_state(2, tf.float32))
    assert names() == [
        "z/multi_rnn_cell/cell_0/basic_lstm_cell/kernel:0",
        "z/multi_rnn_cell/cell_0/basic_lstm_cell/bias:0",
        "z/multi_rnn_cell/cell_0/gru_cell/gates/kernel:0",
        "z/multi_rnn_cell/cell_0/gru_cell/gates/bias:0",
        "z/multi_rnn_cell/cell_0/gru_cell/candidate/kernel:0",
        "z/multi_rnn_cell/cell_0/gru_cell/candidate/bias:0",
    ]


def test_a_cell_called_under_a_new_scope_keeps_its_variables_and_counter_restarts_per_scope(graph):
    cell = rnn.BasicLSTMCell(3)
    state = cell.zero_state(2, tf.float32)
    with v1.variable_scope("a"):
        cell(tf.ones([2, 3]), state)
    with v1.variable_scope("b"):
        cell(tf.ones([2, 3]), state)
    rnn.BasicLSTMCell(3)(tf.ones([2, 3]), state)
    with v1.variable_scope("a"):
        rnn.BasicLSTMCell(3)(tf.ones([2, 3]), state)
    assert names() == [
        "a/basic_lstm_cell/kernel:0",
        "a/basic_lstm_cell/bias:0",
        "basic_lstm_cell/kernel:0",
        "basic_lstm_cell/bias:0",
        "a/basic_lstm_cell_1/kernel:0",
        "a/basic_lstm_cell_1/bias:0",
    ]


def test_two_default_scoped_dynamic_rnns_with_new_cells_collide(graph):
    v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5), sequences(), dtype=tf.float32)
    with pytest.raises(ValueError, match="Variable rnn/basic_lstm_cell/kernel already exists, disallowed"):
        v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5), sequences(), dtype=tf.float32)


@pytest.mark.parametrize("outer", ["", "model"])
def test_new_cell_under_reuse_true_shares_the_variables(graph, outer):
    def build(reuse):
        with v1.variable_scope(outer or v1.get_variable_scope(), reuse=reuse):
            return v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5), sequences(), dtype=tf.float32)[0]

    first, second = build(None), build(True)
    prefix = f"{outer}/" if outer else ""
    assert names() == [f"{prefix}rnn/basic_lstm_cell/kernel:0", f"{prefix}rnn/basic_lstm_cell/bias:0"]
    first_value, second_value = initialized_run((first, second))
    np.testing.assert_array_equal(first_value, second_value)


def test_reuse_true_without_existing_variables_fails(graph):
    with v1.variable_scope("r", reuse=True):
        with pytest.raises(ValueError, match="Variable r/rnn/basic_lstm_cell/kernel does not exist"):
            v1.nn.dynamic_rnn(rnn.BasicLSTMCell(2), sequences(), dtype=tf.float32)


def test_constructor_reuse_true_shares_by_name(graph):
    v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5), sequences(), dtype=tf.float32)
    v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5, reuse=True), sequences(), dtype=tf.float32)
    assert names() == ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]


def test_constructor_reuse_true_does_not_create(graph):
    with pytest.raises(ValueError, match="Variable rnn/basic_lstm_cell/kernel does not exist"):
        v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5, reuse=True), sequences(), dtype=tf.float32)


def test_constructor_auto_reuse_creates_then_shares(graph):
    for _ in range(2):
        v1.nn.dynamic_rnn(rnn.BasicLSTMCell(5, reuse=v1.AUTO_REUSE), sequences(), dtype=tf.float32)
    assert names() == ["rnn/basic_lstm_cell/kernel:0", "rnn/basic_lstm_cell/bias:0"]


def test_same_name_in_the_same_scope_needs_reuse(graph):
    v1.nn.dynamic_rnn(rnn.BasicLSTMCell(3, name="shared"), sequences(), dtype=tf.float32, scope="s")
    with pytest.raises(ValueError, match="Variable s/shared/kernel already exists"):
        v1.nn.dynamic_rnn(rnn.BasicLSTMCell(3, name="shared"), sequences(), dtype=tf.float32, scope="s")


def test_scope_argument_is_used_on_the_first_call_only(graph):
    cell = rnn.BasicRNNCell(5)
    state = cell.zero_state(2, tf.float32)
    cell(tf.ones([2, 3]), state, scope="foo")
    cell(tf.ones([2, 3]), state, scope="bar")
    assert names() == ["foo/kernel:0", "foo/bias:0"]


def test_multi_rnn_cell_scope_argument_replaces_its_default_name(graph):
    stack = rnn.MultiRNNCell([rnn.BasicLSTMCell(3), rnn.BasicLSTMCell(3)])
    state = stack.zero_state(2, tf.float32)
    stack(tf.ones([2, 3]), state, scope="stack")
    with v1.variable_scope("other"):
        stack(tf.ones([2, 3]), state)
    assert names() == [
        "stack/cell_0/basic_lstm_cell/kernel:0",
        "stack/cell_0/basic_lstm_cell/bias:0",
        "stack/cell_1/basic_lstm_cell/kernel:0",
        "stack/cell_1/basic_lstm_cell/bias:0",
    ]


def test_dtype_argument_sets_the_variable_dtype(graph):
    cell = rnn.BasicLSTMCell(3, dtype=tf.float64)
    v1.nn.dynamic_rnn(cell, tf.ones([2, 4, 3], tf.float64), dtype=tf.float64)
    assert cell.dtype == tf.float64
    assert {v.dtype.base_dtype for v in v1.global_variables()} == {tf.float64}


def test_dtype_defaults_to_the_first_inputs(graph):
    cell = rnn.GRUCell(3)
    assert cell.dtype is None
    v1.nn.dynamic_rnn(cell, tf.ones([2, 4, 3], tf.float64), dtype=tf.float64)
    assert cell.dtype == tf.float64
    assert {v.dtype.base_dtype for v in cell.variables} == {tf.float64}


def test_cells_work_with_a_checkpoint_restored_by_name(graph, tmp_path):
    """Saver round trip: a second graph with fresh cells restores every variable."""
    inputs = np.random.default_rng(3).uniform(-1, 1, (2, 4, 3)).astype(np.float32)

    def build():
        stack = rnn.MultiRNNCell([rnn.LSTMCell(4, use_peepholes=True, num_proj=2), rnn.GRUCell(3)])
        return v1.nn.dynamic_rnn(stack, inputs, sequence_length=[4, 2], dtype=tf.float32)[0]

    outputs = build()
    with v1.Session() as session:
        session.run(v1.global_variables_initializer())
        expected = session.run(outputs)
        path = v1.train.Saver().save(session, str(tmp_path / "model"))
    with tf.Graph().as_default():
        v1.set_random_seed(123)
        restored = build()
        with v1.Session() as session:
            v1.train.Saver().restore(session, path)
            np.testing.assert_array_equal(session.run(restored), expected)
