"""``BeamSearchDecoder``, ``tile_batch`` and ``gather_tree`` of TF 1.x's ``tf.contrib.seq2seq``.

At every step each of the ``beam_width`` beams of a batch row extends by every
token; with ``log p`` the beam's accumulated log-probability plus the token's
``log_softmax`` (a finished beam can only extend by ``end_token``, at no
cost, and keeps its length), candidates are ranked by

    score = log p / ((5 + length) / 6) ** length_penalty_weight        (Wu et al. 2016)
            + coverage_penalty_weight * sum_j log(min(attention_j, 1))  (finished beams; attention
              summed over the steps, TF1's form; needs an AttentionWrapper state)

and the ``beam_width`` best (``top_k`` over beams x tokens) become the next
beams: their token ids, the beams they came from (``parent_ids``), their
``log p``, lengths, finished flags, and the cell states gathered from their
parents. Decoding starts from ``start_tokens`` with only beam 0 alive
(the others at ``-inf``) and stops when every beam is finished.
``finalize`` follows ``parent_ids`` back from the end (``gather_tree``) to
give each beam's whole sequence, ``end_token`` after its first end, and
reorders ``TensorArray`` parts of the cell state (``alignment_history``)
the same way.

The cell runs on ``[batch * beam_width, ...]``: an ``AttentionWrapper``'s
memory and the encoder state must be tiled with ``tile_batch`` (each row
repeated ``beam_width`` times, not ``tf.tile``), and its ``zero_state`` made
for ``batch * beam_width`` rows.
"""

import collections

import numpy as np
import tensorflow as tf

from compat.rnn_cell.base import check_cell, check_num_units
from compat.seq2seq.attention_wrapper import AttentionWrapperState
from compat.seq2seq.decoder import Decoder, check_output_layer, layer_output_size
from compat.seq2seq.helper import embedding_fn, start_and_end_tokens

v1 = tf.compat.v1


class BeamSearchDecoderState(collections.namedtuple(
        "BeamSearchDecoderState", ("cell_state", "log_probs", "finished", "lengths", "accumulated_attention_probs"))):
    pass


class BeamSearchDecoderOutput(collections.namedtuple("BeamSearchDecoderOutput",
                                                     ("scores", "predicted_ids", "parent_ids"))):
    pass


class FinalBeamSearchDecoderOutput(collections.namedtuple("FinalBeamDecoderOutput",
                                                          ["predicted_ids", "beam_search_decoder_output"])):
    """``predicted_ids`` ``[batch, time, beam_width]`` (time-major with
    ``output_time_major``), best beam first; the raw per-step output beside it."""


def _tile_one(value, multiplier):
    value = tf.convert_to_tensor(value, name="t")
    if value.shape.rank is None or value.shape.rank < 1:
        raise ValueError(f"t must have statically known rank >= 1, but has shape {value.shape}")
    shape = tf.shape(value)
    tiling = [1] * (value.shape.rank + 1)
    tiling[1] = multiplier
    tiled = tf.tile(tf.expand_dims(value, 1), tiling)
    tiled = tf.reshape(tiled, tf.concat(([shape[0] * multiplier], shape[1:]), 0))
    batch = tf.compat.dimension_value(value.shape[0])
    tiled.set_shape(tf.TensorShape([None if batch is None else batch * multiplier]).concatenate(value.shape[1:]))
    return tiled


def tile_batch(t, multiplier, name=None):
    """Repeats each batch row ``multiplier`` times in a row: ``[a, b] -> [a, a, b, b]``."""
    multiplier = check_num_units(multiplier, "multiplier")
    with tf.name_scope(name or "tile_batch"):
        return tf.nest.map_structure(lambda value: _tile_one(value, multiplier), t)


def gather_tree(step_ids, parent_ids, max_sequence_lengths, end_token):
    """Whole beams ``[max_time, batch, beam]`` from per-step ids and parent beams.

    Row ``b`` is followed back from step ``min(max_sequence_lengths[b], max_time) - 1``;
    steps past that, and after a beam's first ``end_token``, hold ``end_token``.
    A parent id outside ``[0, beam_width)`` fails at run time.
    """
    with tf.name_scope("gather_tree"):
        step_ids = tf.convert_to_tensor(step_ids, dtype=tf.int32, name="step_ids")
        parent_ids = tf.convert_to_tensor(parent_ids, dtype=tf.int32, name="parent_ids")
        max_sequence_lengths = tf.convert_to_tensor(max_sequence_lengths, dtype=tf.int32,
                                                    name="max_sequence_lengths")
        end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
        for value, argument, rank in ((step_ids, "step_ids", 3), (parent_ids, "parent_ids", 3),
                                      (max_sequence_lengths, "max_sequence_lengths", 1), (end_token, "end_token", 0)):
            if value.shape.rank not in (None, rank):
                raise ValueError(f"`{argument}` must have rank {rank}, but has shape {value.shape}.")
        shape = tf.shape(parent_ids)
        max_time, beam_width = shape[0], shape[2]
        lengths = tf.minimum(max_sequence_lengths, max_time)
        in_range = tf.expand_dims(tf.transpose(tf.sequence_mask(lengths, maxlen=max_time)), -1)
        end_tokens = tf.fill(shape, end_token)
        step_ids = v1.where(tf.broadcast_to(in_range, shape), step_ids, end_tokens)
        parent_ids = v1.where(tf.broadcast_to(in_range, shape), parent_ids, tf.zeros_like(parent_ids))
        check = tf.debugging.Assert(
            tf.reduce_all(tf.logical_and(parent_ids >= 0, parent_ids < beam_width)),
            ["All parent ids must be positive and less than beam_width"])
        with tf.control_dependencies([check]):
            reversed_ids = tf.reverse_sequence(step_ids, lengths, seq_axis=0, batch_axis=1)
            reversed_parents = tf.reverse_sequence(parent_ids, lengths, seq_axis=0, batch_axis=1)
        first = tf.TensorArray(tf.int32, size=max_time, element_shape=step_ids.shape[1:]).write(0, reversed_ids[0])

        def body(time, outputs, parent):
            ids = tf.gather(reversed_ids[time], parent, batch_dims=1)
            next_parent = tf.gather(reversed_parents[time], parent, batch_dims=1)
            return time + 1, outputs.write(time, ids), next_parent

        _, outputs, _ = v1.while_loop(lambda time, *_: time < max_time, body,
                                      (tf.constant(1), first, reversed_parents[0]))
        gathered = tf.reverse_sequence(outputs.stack(), lengths, seq_axis=0, batch_axis=1)
        before_end = tf.equal(tf.cumsum(tf.cast(tf.equal(gathered, end_token), tf.int32), axis=0), 0)
        result = v1.where(before_end, gathered, end_tokens)
        result.set_shape(step_ids.shape)
        return result


def _as_shape(size):
    """A state size as a TensorShape; a size known only at run time (an attention
    mechanism's ``max_time``) is an unknown dimension."""
    if tf.is_tensor(size):
        value = tf.get_static_value(size)
        return tf.TensorShape(None if value is None else [int(v) for v in np.atleast_1d(value)])
    return tf.TensorShape(size)


def _length_penalty(lengths, weight):
    weight = tf.convert_to_tensor(weight, name="penalty_factor")
    weight.set_shape(())
    if tf.get_static_value(weight) == 0:
        return 1.0
    return tf.math.divide((5.0 + tf.cast(lengths, tf.float32)) ** weight, (5.0 + 1.0) ** weight)


def _attention_probs(cell_state, coverage_penalty_weight):
    """The (averaged) alignments of the AttentionWrapper states in ``cell_state``, or None."""
    if tf.get_static_value(tf.convert_to_tensor(coverage_penalty_weight)) == 0.0:
        return None
    states = [cell_state] if isinstance(cell_state, AttentionWrapperState) else [
        state for state in cell_state if isinstance(state, AttentionWrapperState)] \
        if isinstance(cell_state, tuple) else []
    if not states:
        raise ValueError("coverage_penalty_weight must be 0.0 if no cell is attentional.")
    probs = []
    for state in states:
        alignments = state.alignments
        probs.append(tf.reduce_mean(alignments, 0) if isinstance(alignments, tuple) else alignments)
    return probs[0] if len(probs) == 1 else tf.reduce_mean(probs, 0)


def _gather_beams(indices, values, batch_size, range_size, gather_shape):
    """``values`` regathered along the beams by ``indices`` ``[batch, beam]`` (TF1's ``_tensor_gather_helper``)."""
    offsets = tf.expand_dims(tf.range(batch_size) * range_size, 1)
    flat = tf.gather(tf.reshape(values, gather_shape), tf.reshape(indices + offsets, [-1]))
    final_shape = tf.shape(values)[:1 + len(gather_shape)]
    static_batch = tf.get_static_value(batch_size)
    result = tf.reshape(flat, final_shape)
    result.set_shape(tf.TensorShape([static_batch]).concatenate(values.shape[1:1 + len(gather_shape)]))
    return result


def _mask_finished(log_probs, end_token, finished):
    vocab_size = tf.shape(log_probs)[2]
    finished_row = tf.one_hot(end_token, vocab_size, dtype=log_probs.dtype, on_value=tf.constant(0.0, log_probs.dtype),
                              off_value=log_probs.dtype.min)
    finished_probs = tf.tile(tf.reshape(finished_row, [1, 1, -1]), tf.concat([tf.shape(finished), [1]], 0))
    mask = tf.tile(tf.expand_dims(finished, 2), [1, 1, vocab_size])
    return v1.where(mask, finished_probs, log_probs)


def _beam_search_step(logits, next_cell_state, beam_state, batch_size, beam_width, end_token,
                      length_penalty_weight, coverage_penalty_weight):
    """One step of beam search (see the module): ``(BeamSearchDecoderOutput, BeamSearchDecoderState)``."""
    static_batch = tf.get_static_value(batch_size)
    previously_finished = beam_state.finished
    not_finished = tf.logical_not(previously_finished)
    step_log_probs = _mask_finished(tf.nn.log_softmax(logits), end_token, previously_finished)
    total_log_probs = tf.expand_dims(beam_state.log_probs, 2) + step_log_probs
    vocab_size = tf.compat.dimension_value(logits.shape[-1]) or tf.shape(logits)[-1]
    lengths_to_add = tf.one_hot(tf.fill([batch_size, beam_width], end_token), depth=vocab_size,
                                on_value=np.int64(0), off_value=np.int64(1), dtype=tf.int64)
    lengths_to_add *= tf.expand_dims(tf.cast(not_finished, tf.int64), 2)
    candidate_lengths = lengths_to_add + tf.expand_dims(beam_state.lengths, 2)
    accumulated = None
    attention = _attention_probs(next_cell_state, coverage_penalty_weight)
    if attention is not None:
        attention *= tf.expand_dims(tf.cast(not_finished, tf.float32), 2)
        accumulated = beam_state.accumulated_attention_probs + attention
    scores = total_log_probs / tf.cast(_length_penalty(candidate_lengths, length_penalty_weight),
                                       total_log_probs.dtype)
    if accumulated is not None:
        safe = v1.where(tf.equal(accumulated, 0.0), tf.ones_like(accumulated), accumulated)
        coverage = tf.reduce_sum(tf.math.log(tf.minimum(safe, 1.0)), 2) * tf.cast(previously_finished, tf.float32)
        scores += tf.expand_dims(coverage * coverage_penalty_weight, 2)
    next_scores, word_indices = tf.math.top_k(tf.reshape(scores, [batch_size, -1]), k=beam_width)
    next_scores.set_shape([static_batch, beam_width])
    word_indices.set_shape([static_batch, beam_width])
    next_log_probs = _gather_beams(word_indices, total_log_probs, batch_size, beam_width * vocab_size, [-1])
    next_word_ids = tf.cast(tf.math.floormod(word_indices, vocab_size), tf.int32)
    next_beam_ids = tf.cast(word_indices / vocab_size, tf.int32)
    parent_finished = _gather_beams(next_beam_ids, previously_finished, batch_size, beam_width, [-1])
    next_finished = tf.logical_or(parent_finished, tf.equal(next_word_ids, end_token))
    next_lengths = _gather_beams(next_beam_ids, beam_state.lengths, batch_size, beam_width, [-1])
    next_lengths += tf.cast(tf.logical_not(parent_finished), tf.int64)
    next_accumulated = ()
    if accumulated is not None:
        next_accumulated = _gather_beams(next_beam_ids, accumulated, batch_size, beam_width,
                                         [batch_size * beam_width, -1])

    def gather_state(value):
        if isinstance(value, tf.TensorArray) or value.shape.rank < 2:
            return value
        return _gather_beams(next_beam_ids, value, batch_size, beam_width, [batch_size * beam_width, -1])

    next_cell_state = tf.nest.map_structure(gather_state, next_cell_state)
    state = BeamSearchDecoderState(cell_state=next_cell_state, log_probs=next_log_probs, lengths=next_lengths,
                                   finished=next_finished, accumulated_attention_probs=next_accumulated)
    return BeamSearchDecoderOutput(scores=next_scores, predicted_ids=next_word_ids, parent_ids=next_beam_ids), state


class BeamSearchDecoder(Decoder):
    """Beam search over ``cell`` (see the module).

    Args:
      cell: an RNN cell (an ``AttentionWrapper`` over tiled memory, typically).
      embedding: a callable on ids, or the ``[vocabulary, depth]`` matrix.
      start_tokens: int vector ``[batch]``; end_token: int scalar.
      initial_state: the cell state for ``batch * beam_width`` rows.
      beam_width: positive int.
      output_layer: None or a layer (``tf.layers.Dense``) giving the logits.
      length_penalty_weight, coverage_penalty_weight: floats; 0 disables them.
      reorder_tensor_arrays: reorder TensorArray parts of the final cell
        state along the chosen beams.
    """

    def __init__(self, cell, embedding, start_tokens, end_token, initial_state, beam_width, output_layer=None,
                 length_penalty_weight=0.0, coverage_penalty_weight=0.0, reorder_tensor_arrays=True):
        self._cell = check_cell(cell)
        self._output_layer = check_output_layer(output_layer)
        self._reorder_tensor_arrays = bool(reorder_tensor_arrays)
        self._embedding_fn = embedding_fn(embedding)
        self._start_tokens, self._end_token = start_and_end_tokens(start_tokens, end_token)
        self._batch_size = tf.size(self._start_tokens)
        self._beam_width = check_num_units(beam_width, "beam_width")
        self._length_penalty_weight = length_penalty_weight
        self._coverage_penalty_weight = coverage_penalty_weight
        self._initial_cell_state = tf.nest.map_structure(self._maybe_split_batch_beams, initial_state,
                                                         self._cell.state_size)
        self._start_tokens = tf.tile(tf.expand_dims(self._start_tokens, 1), [1, self._beam_width])
        self._start_inputs = self._embedding_fn(self._start_tokens)
        self._finished = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32), depth=self._beam_width,
                                    on_value=False, off_value=True, dtype=tf.bool)

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def tracks_own_finished(self):
        """Beams are reordered every step, and their finished flags with them."""
        return True

    def _rnn_output_size(self):
        return layer_output_size(self._cell, self._output_layer)

    @property
    def output_size(self):
        beams = tf.TensorShape([self._beam_width])
        return BeamSearchDecoderOutput(scores=beams, predicted_ids=beams, parent_ids=beams)

    @property
    def output_dtype(self):
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        return BeamSearchDecoderOutput(scores=tf.nest.map_structure(lambda _: dtype, self._rnn_output_size()),
                                       predicted_ids=tf.int32, parent_ids=tf.int32)

    def initialize(self, name=None):
        dtype = tf.nest.flatten(self._initial_cell_state)[0].dtype
        log_probs = tf.one_hot(tf.zeros([self._batch_size], dtype=tf.int32), depth=self._beam_width,
                               on_value=tf.constant(0.0, dtype=dtype), off_value=tf.constant(-np.inf, dtype=dtype),
                               dtype=dtype)
        attention = _attention_probs(self._initial_cell_state, self._coverage_penalty_weight)
        state = BeamSearchDecoderState(
            cell_state=self._initial_cell_state, log_probs=log_probs, finished=self._finished,
            lengths=tf.zeros([self._batch_size, self._beam_width], dtype=tf.int64),
            accumulated_attention_probs=() if attention is None else attention)
        return self._finished, self._start_inputs, state

    def finalize(self, outputs, final_state, sequence_lengths):
        max_lengths = tf.cast(tf.reduce_max(final_state.lengths, axis=1), tf.int32)
        predicted_ids = gather_tree(outputs.predicted_ids, outputs.parent_ids, max_lengths, self._end_token)
        if self._reorder_tensor_arrays:
            final_state = final_state._replace(cell_state=tf.nest.map_structure(
                lambda value: self._sort_array_beams(value, outputs.parent_ids, final_state.lengths),
                final_state.cell_state))
        return FinalBeamSearchDecoderOutput(beam_search_decoder_output=outputs,
                                            predicted_ids=predicted_ids), final_state

    def _sort_array_beams(self, value, parent_ids, lengths):
        """A TensorArray of ``[batch * beam, ...]`` steps, stacked and reordered along the final beams."""
        if not isinstance(value, tf.TensorArray) or value.element_shape.rank is None \
                or value.element_shape.rank < 1:
            return value
        stacked = value.stack()
        max_time = tf.shape(parent_ids)[0]
        beam_ids = tf.tile(tf.reshape(tf.range(self._beam_width), [1, 1, -1]), [max_time, self._batch_size, 1])
        sorted_ids = gather_tree(beam_ids, parent_ids, tf.cast(tf.reduce_max(lengths, axis=1), tf.int32),
                                 self._beam_width + 1)
        in_bound = tf.transpose(tf.sequence_mask(lengths, maxlen=max_time), perm=[2, 0, 1])
        sorted_ids = v1.where(in_bound, sorted_ids, beam_ids)
        gather_from = tf.reshape(stacked, [max_time, self._batch_size, self._beam_width, -1])
        ordered = tf.gather(gather_from, sorted_ids, axis=2, batch_dims=2)
        return tf.reshape(ordered, tf.shape(stacked))

    def _split_batch_beams(self, value, size):
        size = _as_shape(size)
        reshaped = tf.reshape(value, tf.concat(([self._batch_size, self._beam_width], tf.shape(value)[1:]), 0))
        expected = tf.TensorShape([tf.get_static_value(self._batch_size), self._beam_width]).concatenate(size)
        if not reshaped.shape.is_compatible_with(expected):
            raise ValueError(
                "Unexpected behavior when reshaping between beam width and batch size. The reshaped tensor "
                f"has shape: {reshaped.shape}. We expected it to have shape (batch_size, beam_width, depth) "
                f"== {expected}. Perhaps you forgot to create a zero_state with "
                "batch_size=encoder_batch_size * beam_width?")
        reshaped.set_shape(expected)
        return reshaped

    def _merge_batch_beams(self, value, size):
        size = _as_shape(size)
        static_batch = tf.get_static_value(self._batch_size)
        merged = tf.reshape(value, tf.concat(([self._batch_size * self._beam_width], tf.shape(value)[2:]), 0))
        merged.set_shape(tf.TensorShape([None if static_batch is None else static_batch * self._beam_width])
                         .concatenate(size))
        return merged

    def _maybe_split_batch_beams(self, value, size):
        return self._maybe_reshape(value, size, self._split_batch_beams, rank=1)

    def _maybe_merge_batch_beams(self, value, size):
        return self._maybe_reshape(value, size, self._merge_batch_beams, rank=2)

    @staticmethod
    def _maybe_reshape(value, size, reshape, rank):
        """``reshape(value, size)`` for a tensor of at least ``rank``; TensorArrays and scalars pass."""
        if isinstance(value, tf.TensorArray):
            return value
        if value.shape.rank is None:
            raise ValueError(f"Expected tensor ({value}) to have known rank, but ndims == None.")
        return reshape(value, size) if value.shape.rank >= rank else value

    def step(self, time, inputs, state, name=None):
        with tf.name_scope(name or "BeamSearchDecoderStep"):
            inputs = tf.nest.map_structure(lambda value: self._merge_batch_beams(value, value.shape[2:]), inputs)
            cell_state = tf.nest.map_structure(self._maybe_merge_batch_beams, state.cell_state,
                                               self._cell.state_size)
            cell_outputs, next_cell_state = self._cell(inputs, cell_state)
            cell_outputs = tf.nest.map_structure(lambda value: self._split_batch_beams(value, value.shape[1:]),
                                                 cell_outputs)
            next_cell_state = tf.nest.map_structure(self._maybe_split_batch_beams, next_cell_state,
                                                    self._cell.state_size)
            if self._output_layer is not None:
                cell_outputs = self._output_layer(cell_outputs)
            output, next_state = _beam_search_step(
                cell_outputs, next_cell_state, state, self._batch_size, self._beam_width, self._end_token,
                self._length_penalty_weight, self._coverage_penalty_weight)
            next_inputs = v1.cond(tf.reduce_all(next_state.finished), lambda: self._start_inputs,
                                  lambda: self._embedding_fn(output.predicted_ids))
        return output, next_state, next_inputs, next_state.finished
