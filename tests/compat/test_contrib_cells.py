"""contrib's own cells and ``stack_bidirectional_rnn``: TF1's names, math and kernels.

``LSTMBlockCell`` and ``GRUBlockCellV2`` are held to the fused kernels TF1 ran,
which TensorFlow 2 still ships as ``tf.raw_ops.LSTMBlockCell`` and
``GRUBlockCell`` (forward only: TF 2 registers no gradient for them);
``LayerNormBasicLSTMCell`` and ``NASCell`` to numpy references written from
TF 1.15's math (tests/reference/numpy_rnn.py). Variable names and order are
TF 1.15's (``contrib/rnn/python/ops/{lstm_ops,gru_ops,rnn_cell}.py``).
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np  # noqa: E402
import pytest  # noqa: E402
import tensorflow as tf  # noqa: E402

from compat.contrib import rnn  # noqa: E402
from tests.compat.test_legacy_seq2seq import run_with_random_variables  # noqa: E402
from tests.compat.test_rnn_cells import graph_for_random_values  # noqa: E402
from tests.reference import numpy_rnn as ref  # noqa: E402

v1 = tf.compat.v1
TOLERANCE = {tf.float32: 1e-6, tf.float64: 1e-12}


def one_step(cell, dtype, depth=3, batch=2, seed=0):
    """``cell`` on one random step from a random state; returns (output, state, inputs, state_in, values)."""
    rng = np.random.default_rng(seed)
    inputs = rng.normal(size=(batch, depth)).astype(dtype.as_numpy_dtype)
    state_in = tf.nest.map_structure(
        lambda size: rng.normal(size=(batch, size)).astype(dtype.as_numpy_dtype), cell.state_size)
    output, state = cell(tf.constant(inputs), tf.nest.map_structure(tf.constant, state_in))
    (got_output, got_state), values = run_with_random_variables((output, state), seed)
    return got_output, got_state, inputs, state_in, values


# The fused kernels take float32 (and half) only, as in TF1.
@pytest.mark.parametrize("dtype", [tf.float32])
@pytest.mark.parametrize("options", [{}, {"use_peephole": True}, {"cell_clip": 0.3, "forget_bias": 0.5}],
                         ids=["plain", "peephole", "clip"])
def test_lstm_block_cell_is_the_fused_kernel(dtype, options):
    with graph_for_random_values():
        cell = rnn.LSTMBlockCell(4, **options)
        output, state, x, (c, h), values = one_step(cell, dtype)
        names = list(values)
        zeros = np.zeros(4, dtype.as_numpy_dtype)
        diag = [values.get(f"lstm_cell/w_{gate}_diag", zeros) for gate in "ifo"]
        fused = tf.raw_ops.LSTMBlockCell(
            x=x, cs_prev=c, h_prev=h, w=values["lstm_cell/kernel"], wci=diag[0], wcf=diag[1], wco=diag[2],
            b=values["lstm_cell/bias"], forget_bias=options.get("forget_bias", 1.0),
            cell_clip=options.get("cell_clip", -1.0), use_peephole=bool(options.get("use_peephole")))
        with v1.Session() as session:
            _, want_c, _, _, _, _, want_h = session.run(fused)
    assert names == ["lstm_cell/kernel", "lstm_cell/bias"] + (
        ["lstm_cell/w_i_diag", "lstm_cell/w_f_diag", "lstm_cell/w_o_diag"] if options.get("use_peephole") else [])
    tolerance = TOLERANCE[dtype]
    np.testing.assert_allclose(output, want_h, rtol=tolerance, atol=tolerance)
    np.testing.assert_allclose(state.c, want_c, rtol=tolerance, atol=tolerance)
    if "cell_clip" in options:
        assert np.abs(state.c).max() == pytest.approx(0.3)


@pytest.mark.parametrize("dtype", [tf.float32])
def test_gru_block_cell_v2_is_the_fused_kernel_with_gru_cell_names(dtype):
    with graph_for_random_values():
        output, state, x, h, values = one_step(rnn.GRUBlockCellV2(4), dtype)
        fused = tf.raw_ops.GRUBlockCell(x=x, h_prev=h, w_ru=values["gru_cell/gates/kernel"],
                                        w_c=values["gru_cell/candidate/kernel"],
                                        b_ru=values["gru_cell/gates/bias"], b_c=values["gru_cell/candidate/bias"])
        with v1.Session() as session:
            want = session.run(fused)[3]
    assert list(values) == [f"gru_cell/{name}" for name in
                            ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")]
    np.testing.assert_allclose(output, want, rtol=TOLERANCE[dtype], atol=TOLERANCE[dtype])
    np.testing.assert_array_equal(output, state)


NORMS = ("input", "transform", "forget", "output", "state")


@pytest.mark.parametrize("layer_norm", [True, False])
def test_layer_norm_basic_lstm_cell_matches_reference(layer_norm):
    with graph_for_random_values():
        cell = rnn.LayerNormBasicLSTMCell(4, forget_bias=0.5, layer_norm=layer_norm)
        output, state, x, state_in, values = one_step(cell, tf.float64)
    prefix = "layer_norm_basic_lstm_cell/"
    expected_names = [prefix + "kernel"] + (
        [f"{prefix}{norm}/{part}" for norm in NORMS for part in ("gamma", "beta")] if layer_norm
        else [prefix + "bias"])
    assert list(values) == expected_names
    norms = {norm: (values[f"{prefix}{norm}/gamma"], values[f"{prefix}{norm}/beta"]) for norm in NORMS} \
        if layer_norm else None
    reference = ref.LayerNormLSTM(values[prefix + "kernel"], norms, values.get(prefix + "bias"), forget_bias=0.5)
    want, (want_c, _) = reference(x, state_in)
    np.testing.assert_allclose(output, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(state.c, want_c, rtol=1e-12, atol=1e-12)


def test_layer_norm_cell_recurrent_dropout_drops_the_candidate():
    with tf.Graph().as_default():
        outputs = []
        for keep in (1.0, 0.5):
            cell = rnn.LayerNormBasicLSTMCell(8, dropout_keep_prob=keep, dropout_prob_seed=3)
            out, _ = v1.nn.dynamic_rnn(cell, tf.ones([4, 3, 2]), dtype=tf.float32, scope=f"keep{keep}")
            outputs.append(out)
        with v1.Session() as session:
            session.run(v1.global_variables_initializer())
            full, dropped = session.run(outputs)
    assert not np.allclose(full, dropped)
    with pytest.raises(ValueError, match="`dropout_keep_prob` must be in"):
        rnn.LayerNormBasicLSTMCell(4, dropout_keep_prob=0.0)


@pytest.mark.parametrize("options", [{}, {"num_proj": 3, "use_bias": True}], ids=["plain", "proj-bias"])
def test_nas_cell_matches_reference(options):
    with graph_for_random_values():
        cell = rnn.NASCell(4, **options)
        output, state, x, state_in, values = one_step(cell, tf.float64)
    names = ["nas_cell/recurrent_kernel", "nas_cell/kernel"] + (
        ["nas_cell/bias", "nas_cell/projection_weights"] if options else [])
    assert list(values) == names
    reference = ref.NAS(values["nas_cell/recurrent_kernel"], values["nas_cell/kernel"],
                        values.get("nas_cell/bias"), values.get("nas_cell/projection_weights"))
    want, (want_c, _) = reference(x, state_in)
    np.testing.assert_allclose(output, want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(state.c, want_c, rtol=1e-12, atol=1e-12)


def test_stack_bidirectional_rnn_names_and_numbers():
    rng = np.random.default_rng(4)
    inputs = rng.normal(size=(2, 3, 3))
    with graph_for_random_values():
        cells_fw = [rnn.GRUCell(2), rnn.GRUCell(3)]
        cells_bw = [rnn.GRUCell(2), rnn.GRUCell(3)]
        outputs, states_fw, states_bw = rnn.stack_bidirectional_rnn(
            cells_fw, cells_bw, tf.unstack(tf.constant(inputs), axis=1), dtype=tf.float64)
        (got, got_fw, got_bw), values = run_with_random_variables((outputs, states_fw, states_bw), 2)
    parts = ("gates/kernel", "gates/bias", "candidate/kernel", "candidate/bias")
    assert list(values) == [f"stack_bidirectional_rnn/cell_{layer}/{direction}/gru_cell/{part}"
                            for layer in (0, 1) for direction in ("fw", "bw") for part in parts]

    def gru(layer, direction):
        return ref.GRU(*(values[f"stack_bidirectional_rnn/cell_{layer}/{direction}/gru_cell/{p}"] for p in parts))

    want, want_fw, want_bw = ref.stack_bidirectional_dynamic_rnn(
        [gru(0, "fw"), gru(1, "fw")], [gru(0, "bw"), gru(1, "bw")], inputs)
    np.testing.assert_allclose(np.stack(got, 1), want, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_fw[1], want_fw[1], rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(got_bw[0], want_bw[0], rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("make, error, message", [
    (lambda: rnn.LSTMBlockCell(0), ValueError, "`num_units` must be a positive integer"),
    (lambda: rnn.LSTMBlockCell(3, cell_clip=-1.0), ValueError, "`cell_clip` must be None or a positive"),
    (lambda: rnn.LSTMBlockCell(3, use_peephole="yes"), TypeError, "`use_peephole` must be a bool"),
    (lambda: rnn.GRUBlockCellV2(), ValueError, "`num_units` must be given"),
    (lambda: rnn.NASCell(3, num_proj=0), ValueError, "`num_proj` must be a positive integer"),
    (lambda: rnn.NASCell(3, use_bias=1), TypeError, "`use_bias` must be a bool"),
    (lambda: rnn.LayerNormBasicLSTMCell(3, norm_gain="1"), TypeError, "`norm_gain` must be a number"),
    (lambda: rnn.stack_bidirectional_rnn([rnn.GRUCell(2)], [rnn.GRUCell(2)], tf.zeros([1, 2, 2])),
     TypeError, "`inputs` must be a non-empty list"),
], ids=["num_units", "cell_clip", "use_peephole", "gru-num_units", "num_proj", "use_bias", "norm_gain",
        "stack-inputs"])
def test_bad_arguments_are_named(make, error, message):
    with tf.Graph().as_default(), pytest.raises(error, match=message):
        make()
