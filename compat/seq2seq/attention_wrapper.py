"""``AttentionWrapper``: a TF1 cell that reads the memory through attention at every step.

For each attention mechanism ``m`` (several give their reads concatenated),
with the previous attention ``a`` (zeros at first):

    (y, s') = cell(cell_input_fn(x, a), s)                 default: concat([x, a], -1)
    alpha   = m(y, previous alignments)                     [batch, max_time]
    context = sum_j alpha_j values_j
    a'      = attention_layer(concat([y, context]))  with attention_layer_size
              (``Dense(size, use_bias=False)``, scope ``attention_layer``), else context
    output  = a' (output_attention, the default: Luong's) or y (Bahdanau's)

The state is an ``AttentionWrapperState`` (``cell_state``, ``attention``,
``time``, ``alignments``, ``alignment_history``, ``attention_state``; ``clone``
replaces fields, e.g. ``zero_state(...).clone(cell_state=encoder_state)``).
``alignment_history=True`` keeps every step's alignments in a TensorArray.
The wrapper is a cell with its own scope (``attention_wrapper``, or ``name``),
holding the wrapped cell's scope and the attention layers, as in TF1.
"""

import collections

import tensorflow as tf

from compat.layers.dense import Dense
from compat.rnn_cell.base import RNNCell, check_cell
from compat.seq2seq.attention_mechanism import AttentionMechanism


class AttentionWrapperState(collections.namedtuple(
        "AttentionWrapperState",
        ("cell_state", "attention", "time", "alignments", "alignment_history", "attention_state"))):
    """The state of an ``AttentionWrapper`` (see the module)."""

    def clone(self, **kwargs):
        """A copy with the given fields replaced; tensors keep their static shapes."""

        def with_same_shape(old, new):
            if isinstance(old, tf.Tensor) and isinstance(new, tf.Tensor):
                new = tf.identity(new)
                new.set_shape(old.shape)
            return new

        replaced = super()._replace(**kwargs)
        if "cell_state" in kwargs:
            replaced = replaced._replace(cell_state=tf.nest.map_structure(
                with_same_shape, self.cell_state, replaced.cell_state))
        return replaced


def _zeros(size, batch_size, dtype):
    return tf.zeros(tf.stack([batch_size, size]), dtype=dtype)


class AttentionWrapper(RNNCell):
    """Wraps ``cell`` with attention (see the module).

    Args:
      cell: the RNN cell.
      attention_mechanism: an ``AttentionMechanism`` or a list of them.
      attention_layer_size: None, an int, or one int per mechanism.
      alignment_history: keep every step's alignments.
      cell_input_fn: ``(inputs, attention) -> cell inputs``; default concat.
      output_attention: output the attention (True) or the cell output.
      initial_cell_state: the cell state ``zero_state`` starts from.
      name: the wrapper's scope; default ``attention_wrapper``.
      attention_layer: not served (TF 1.15's newer option); use attention_layer_size.
    """

    def __init__(self, cell, attention_mechanism, attention_layer_size=None, alignment_history=False,
                 cell_input_fn=None, output_attention=True, initial_cell_state=None, name=None,
                 attention_layer=None):
        super().__init__(name=name)
        self._cell = check_cell(cell)
        if attention_layer is not None:
            raise NotImplementedError("`attention_layer` is not served; pass attention_layer_size instead.")
        self._is_multi = isinstance(attention_mechanism, (list, tuple))
        mechanisms = tuple(attention_mechanism) if self._is_multi else (attention_mechanism,)
        for index, mechanism in enumerate(mechanisms):
            if not isinstance(mechanism, AttentionMechanism):
                raise TypeError(
                    f"attention_mechanism[{index}] must be an AttentionMechanism (BahdanauAttention, "
                    f"LuongAttention), saw type: {type(mechanism).__name__}")
        if not mechanisms:
            raise ValueError("`attention_mechanism` must not be an empty list.")
        if cell_input_fn is None:
            cell_input_fn = lambda inputs, attention: tf.concat([inputs, attention], -1)  # noqa: E731
        elif not callable(cell_input_fn):
            raise TypeError(f"cell_input_fn must be callable, saw type: {type(cell_input_fn).__name__}")
        if attention_layer_size is not None:
            sizes = tuple(attention_layer_size) if isinstance(attention_layer_size, (list, tuple)) \
                else (attention_layer_size,)
            if len(sizes) != len(mechanisms):
                raise ValueError(
                    "If provided, attention_layer_size must contain exactly one integer per "
                    f"attention_mechanism, saw: {len(sizes)} vs {len(mechanisms)}")
            self._attention_layers = tuple(
                Dense(size, name="attention_layer", use_bias=False, dtype=mechanism.dtype)
                for size, mechanism in zip(sizes, mechanisms))
            self._attention_layer_size = sum(sizes)
        else:
            self._attention_layers = None
            self._attention_layer_size = sum(
                tf.compat.dimension_value(mechanism.values.shape[-1]) for mechanism in mechanisms)
        self._mechanisms = mechanisms
        self._cell_input_fn = cell_input_fn
        self._output_attention = bool(output_attention)
        self._alignment_history = bool(alignment_history)
        self._initial_cell_state = initial_cell_state

    def _item_or_tuple(self, values):
        values = tuple(values)
        return values if self._is_multi else values[0]

    @property
    def output_size(self):
        return self._attention_layer_size if self._output_attention else self._cell.output_size

    @property
    def state_size(self):
        return AttentionWrapperState(
            cell_state=self._cell.state_size,
            time=tf.TensorShape([]),
            attention=self._attention_layer_size,
            alignments=self._item_or_tuple(m.alignments_size for m in self._mechanisms),
            attention_state=self._item_or_tuple(m.state_size for m in self._mechanisms),
            alignment_history=self._item_or_tuple(
                m.alignments_size if self._alignment_history else () for m in self._mechanisms))

    def zero_state(self, batch_size, dtype):
        """The initial ``AttentionWrapperState``: the cell's zero (or initial) state, zero attention."""
        with tf.name_scope(type(self).__name__ + "ZeroState"):
            if self._initial_cell_state is not None:
                cell_state = self._initial_cell_state
            else:
                cell_state = self._cell.zero_state(batch_size, dtype)
            initial_alignments = [m.initial_alignments(batch_size, dtype) for m in self._mechanisms]
            return AttentionWrapperState(
                cell_state=cell_state,
                time=tf.zeros([], dtype=tf.int32),
                attention=_zeros(self._attention_layer_size, batch_size, dtype),
                alignments=self._item_or_tuple(initial_alignments),
                attention_state=self._item_or_tuple(m.initial_state(batch_size, dtype) for m in self._mechanisms),
                alignment_history=self._item_or_tuple(
                    tf.TensorArray(dtype, size=0, dynamic_size=True, element_shape=alignment.shape)
                    if self._alignment_history else () for alignment in initial_alignments))

    def _check_inputs(self, inputs, state):
        if not isinstance(state, AttentionWrapperState):
            raise TypeError(
                "Expected state to be instance of AttentionWrapperState. Received type "
                f"{type(state).__name__} instead.")
        if inputs.shape.rank != 2:
            raise ValueError(f"`inputs` of AttentionWrapper must have rank 2, but have shape {inputs.shape}.")
        return tf.compat.dimension_value(inputs.shape[1])

    def call(self, inputs, state):
        cell_inputs = self._cell_input_fn(inputs, state.attention)
        cell_output, next_cell_state = self._cell(cell_inputs, state.cell_state)
        previous_states = state.attention_state if self._is_multi else [state.attention_state]
        previous_histories = state.alignment_history if self._is_multi else [state.alignment_history]
        attentions, alignments_list, attention_states, histories = [], [], [], []
        for index, mechanism in enumerate(self._mechanisms):
            alignments, next_attention_state = mechanism(cell_output, state=previous_states[index])
            context = tf.squeeze(tf.matmul(tf.expand_dims(alignments, 1), mechanism.values), [1])
            if self._attention_layers is not None:
                attention = self._attention_layers[index](tf.concat([cell_output, context], 1))
            else:
                attention = context
            history = (previous_histories[index].write(state.time, alignments)
                       if self._alignment_history else ())
            attentions.append(attention)
            alignments_list.append(alignments)
            attention_states.append(next_attention_state)
            histories.append(history)
        attention = tf.concat(attentions, 1)
        next_state = AttentionWrapperState(
            time=state.time + 1, cell_state=next_cell_state, attention=attention,
            attention_state=self._item_or_tuple(attention_states),
            alignments=self._item_or_tuple(alignments_list),
            alignment_history=self._item_or_tuple(histories))
        return (attention if self._output_attention else cell_output), next_state
