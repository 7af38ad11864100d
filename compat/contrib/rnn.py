"""``tf.contrib.rnn``: the TF1 cells, wrappers and RNN drivers.

The cells and the wrappers ``tf.nn.rnn_cell`` also had are ``compat.rnn_cell``'s,
with the contrib-only ``EmbeddingWrapper``, ``InputProjectionWrapper`` and
``OutputProjectionWrapper`` beside them; ``static_rnn`` and
``static_bidirectional_rnn`` are ``tf.compat.v1.nn``'s, re-exported.
``stack_bidirectional_dynamic_rnn`` and ``stack_bidirectional_rnn``
(contrib-only in TF1) are rebuilt here from ``tf.compat.v1.nn``'s
bidirectional drivers: layer ``k`` reads the concatenation ``[out_fw, out_bw]``
of layer ``k - 1`` (layer 0 reads ``inputs``) and runs in
``<scope>/cell_<k>/bidirectional_rnn/{fw,bw}/`` (dynamic) or
``<scope>/cell_<k>/{fw,bw}/`` (static, which TF1 gave the layer's scope).
The contrib cells ``LayerNormBasicLSTMCell``, ``LSTMBlockCell``,
``GRUBlockCellV2`` and ``NASCell`` are compat's, one module each.
"""

import tensorflow as tf

from compat.rnn_cell import (
    BasicLSTMCell,
    BasicRNNCell,
    DeviceWrapper,
    DropoutWrapper,
    GRUCell,
    LayerRNNCell,
    LSTMCell,
    LSTMStateTuple,
    MultiRNNCell,
    ResidualWrapper,
    RNNCell,
)
from compat.rnn_cell.embedding_wrapper import EmbeddingWrapper
from compat.rnn_cell.gru_block_cell import GRUBlockCellV2
from compat.rnn_cell.layer_norm_basic_lstm_cell import LayerNormBasicLSTMCell
from compat.rnn_cell.lstm_block_cell import LSTMBlockCell
from compat.rnn_cell.nas_cell import NASCell
from compat.rnn_cell.projection_wrappers import InputProjectionWrapper, OutputProjectionWrapper

static_rnn = tf.compat.v1.nn.static_rnn
static_bidirectional_rnn = tf.compat.v1.nn.static_bidirectional_rnn


def _check_layers(cells, initial_states, direction, depth=None):
    if not isinstance(cells, list) or not cells:
        raise ValueError(f"`cells_{direction}` must be a non-empty list of RNN cells (one per layer).")
    if depth is not None and len(cells) != depth:
        raise ValueError(
            f"`cells_fw` and `cells_bw` must have the same number of layers, but have {depth} and {len(cells)}."
        )
    if initial_states is not None and (not isinstance(initial_states, list) or len(initial_states) != len(cells)):
        raise ValueError(f"`initial_states_{direction}` must be a list of states, one per layer.")


def _stack(cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw, scope, run_layer):
    """Layer ``k`` = ``run_layer(cell_fw, cell_bw, layer_inputs, state_fw, state_bw, cell_scope)``
    -> ``(outputs, final_fw, final_bw)`` in ``<scope>/cell_<k>``; returns the last
    outputs and each direction's final states, a tuple per direction."""
    _check_layers(cells_fw, initial_states_fw, "fw")
    _check_layers(cells_bw, initial_states_bw, "bw", depth=len(cells_fw))
    states_fw, states_bw = [], []
    layer_inputs = inputs
    with tf.compat.v1.variable_scope(scope or "stack_bidirectional_rnn"):
        for index, (cell_fw, cell_bw) in enumerate(zip(cells_fw, cells_bw)):
            with tf.compat.v1.variable_scope(f"cell_{index}") as cell_scope:
                layer_inputs, state_fw, state_bw = run_layer(
                    cell_fw, cell_bw, layer_inputs,
                    initial_states_fw[index] if initial_states_fw else None,
                    initial_states_bw[index] if initial_states_bw else None,
                    cell_scope)
            states_fw.append(state_fw)
            states_bw.append(state_bw)
    return layer_inputs, tuple(states_fw), tuple(states_bw)


def stack_bidirectional_dynamic_rnn(
    cells_fw,
    cells_bw,
    inputs,
    initial_states_fw=None,
    initial_states_bw=None,
    dtype=None,
    sequence_length=None,
    parallel_iterations=None,
    time_major=False,
    scope=None,
    swap_memory=False,
):
    """Stacked bidirectional RNN, as ``tf.contrib.rnn.stack_bidirectional_dynamic_rnn``.

    Returns ``(outputs, states_fw, states_bw)``: the last layer's concatenated
    outputs ``[batch, time, out_fw + out_bw]`` (time-major if ``time_major``),
    and tuples with each layer's final forward and backward states.
    """

    def run_layer(cell_fw, cell_bw, layer_inputs, state_fw, state_bw, unused_scope):
        outputs, (final_fw, final_bw) = tf.compat.v1.nn.bidirectional_dynamic_rnn(
            cell_fw, cell_bw, layer_inputs, initial_state_fw=state_fw, initial_state_bw=state_bw,
            sequence_length=sequence_length, parallel_iterations=parallel_iterations, dtype=dtype,
            swap_memory=swap_memory, time_major=time_major)
        return tf.concat(outputs, 2), final_fw, final_bw

    return _stack(cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw, scope, run_layer)


def stack_bidirectional_rnn(cells_fw, cells_bw, inputs, initial_states_fw=None, initial_states_bw=None,
                            dtype=None, sequence_length=None, scope=None):
    """Stacked bidirectional ``static_rnn``, as ``tf.contrib.rnn.stack_bidirectional_rnn``.

    ``inputs`` is a list of ``[batch, depth]`` tensors, one per step. Returns
    ``(outputs, states_fw, states_bw)``: the last layer's list of
    ``[batch, out_fw + out_bw]`` outputs, and each layer's final states.
    """
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise TypeError("`inputs` must be a non-empty list of tensors, one per time step.")

    def run_layer(cell_fw, cell_bw, layer_inputs, state_fw, state_bw, cell_scope):
        return tf.compat.v1.nn.static_bidirectional_rnn(
            cell_fw, cell_bw, layer_inputs, initial_state_fw=state_fw, initial_state_bw=state_bw,
            sequence_length=sequence_length, dtype=dtype, scope=cell_scope)

    return _stack(cells_fw, cells_bw, inputs, initial_states_fw, initial_states_bw, scope, run_layer)


__all__ = [
    "BasicLSTMCell",
    "BasicRNNCell",
    "DeviceWrapper",
    "DropoutWrapper",
    "EmbeddingWrapper",
    "GRUBlockCellV2",
    "GRUCell",
    "InputProjectionWrapper",
    "LSTMBlockCell",
    "LSTMCell",
    "LSTMStateTuple",
    "LayerNormBasicLSTMCell",
    "LayerRNNCell",
    "MultiRNNCell",
    "NASCell",
    "OutputProjectionWrapper",
    "RNNCell",
    "ResidualWrapper",
    "stack_bidirectional_dynamic_rnn",
    "stack_bidirectional_rnn",
    "static_bidirectional_rnn",
    "static_rnn",
]
