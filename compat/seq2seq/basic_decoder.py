"""``BasicDecoder``: one cell step, an optional output layer, then the helper's sampling.

    (y, s') = cell(inputs, s);  y = output_layer(y) if given
    ids = helper.sample(t, y, s');  (finished, next inputs, s'') = helper.next_inputs(t, y, s', ids)

Each step emits ``BasicDecoderOutput(rnn_output=y, sample_id=ids)``.
"""

import collections

import tensorflow as tf

from compat.rnn_cell.base import check_cell
from compat.seq2seq.decoder import Decoder, check_output_layer, layer_output_size
from compat.seq2seq.helper import Helper


class BasicDecoderOutput(collections.namedtuple("BasicDecoderOutput", ("rnn_output", "sample_id"))):
    pass


class BasicDecoder(Decoder):
    """Decodes with ``cell`` from ``initial_state``, sampling through ``helper``.

    Args:
      cell: an RNN cell.
      helper: a ``Helper``.
      initial_state: the cell's initial state (e.g. the encoder's final state).
      output_layer: None, or a layer (``tf.layers.Dense``) applied to the
        cell's outputs before sampling; it must have ``compute_output_shape``.
    """

    def __init__(self, cell, helper, initial_state, output_layer=None):
        self._cell = check_cell(cell)
        if not isinstance(helper, Helper):
            raise TypeError(f"`helper` must be a Helper, received: {type(helper).__name__}")
        self._helper = helper
        self._initial_state = initial_state
        self._output_layer = check_output_layer(output_layer)

    @property
    def batch_size(self):
        return self._helper.batch_size

    def _rnn_output_size(self):
        return layer_output_size(self._cell, self._output_layer)

    @property
    def output_size(self):
        return BasicDecoderOutput(rnn_output=self._rnn_output_size(), sample_id=self._helper.sample_ids_shape)

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_state)[0].dtype
        return BasicDecoderOutput(tf.nest.map_structure(lambda _: dtype, self._rnn_output_size()),
                                  self._helper.sample_ids_dtype)

    def initialize(self, name=None):
        return self._helper.initialize() + (self._initial_state,)

    def step(self, time, inputs, state, name=None):
        with tf.name_scope(name or "BasicDecoderStep"):
            cell_outputs, cell_state = self._cell(inputs, state)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            sample_ids = self._helper.sample(time=time, outputs=cell_outputs, state=cell_state)
            finished, next_inputs, next_state = self._helper.next_inputs(
                time=time, outputs=cell_outputs, state=cell_state, sample_ids=sample_ids)
        return BasicDecoderOutput(cell_outputs, sample_ids), next_state, next_inputs, finished
