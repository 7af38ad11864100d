"""``BahdanauAttention`` and ``LuongAttention`` of TF 1.x's ``tf.contrib.seq2seq``.

Built over ``memory`` ``[batch, max_time, depth]`` (rows past
``memory_sequence_length`` zeroed): ``values`` is that memory, ``keys`` its
projection by ``memory_layer`` (``Dense(num_units, use_bias=False)``, made where
the mechanism is constructed). Called with a query ``q`` (the cell output) and
the previous alignments, it returns ``(alignments, next_state)``, both
``probability_fn(masked score)`` (softmax by default; scores past a row's
length are ``score_mask_value``, default -inf):

    Bahdanau:  score_j = v . tanh(keys_j + query_layer(q))
               normalized: v -> g v / |v| and + b inside the tanh
               (``attention_v``, ``attention_g`` = sqrt(1 / num_units), ``attention_b`` = 0)
    Luong:     score_j = q . keys_j   (scaled by ``attention_g`` = 1 with ``scale``)

Each call runs in a new ``bahdanau_attention`` / ``luong_attention`` scope,
as in TF1; ``query_layer`` keeps the scope of its first call.
"""

import math

import numpy as np
import tensorflow as tf

from compat.layers.dense import Dense
from compat.rnn_cell.base import check_num_units

v1 = tf.compat.v1


def _mask_rows_past_length(memory, memory_sequence_length):
    if memory_sequence_length is None:
        return memory
    mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(memory)[1], dtype=memory.dtype)
    return memory * tf.expand_dims(mask, 2)


def _mask_score(score, memory_sequence_length, score_mask_value):
    if memory_sequence_length is None:
        return score
    mask = tf.sequence_mask(memory_sequence_length, maxlen=tf.shape(score)[1])
    return v1.where(mask, score, score_mask_value * tf.ones_like(score))


class AttentionMechanism:
    """The base of the mechanisms (see the module)."""

    def __init__(self, memory, query_layer, memory_layer, memory_sequence_length, probability_fn,
                 score_mask_value, name):
        if probability_fn is not None and not callable(probability_fn):
            raise TypeError(f"`probability_fn` must be callable, but received {probability_fn!r}.")
        self._query_layer = query_layer
        self._memory_layer = memory_layer
        self.dtype = memory_layer.dtype
        probability_fn = probability_fn or (lambda score, _: tf.nn.softmax(score))
        with tf.name_scope(name):
            memory = tf.nest.map_structure(lambda m: tf.convert_to_tensor(m, name="memory"), memory)
            if memory.shape.rank != 3 or tf.compat.dimension_value(memory.shape[2]) is None:
                raise ValueError(
                    f"`memory` must be [batch, max_time, depth] with depth known, but has shape {memory.shape}.")
            if memory_sequence_length is not None:
                memory_sequence_length = tf.convert_to_tensor(memory_sequence_length, name="memory_sequence_length")
                if memory_sequence_length.shape.rank not in (None, 1):
                    raise ValueError("`memory_sequence_length` must be a vector [batch], but has shape "
                                     f"{memory_sequence_length.shape}.")
            if score_mask_value is None:
                score_mask_value = tf.as_dtype(memory.dtype).as_numpy_dtype(-np.inf)
            self._values = _mask_rows_past_length(memory, memory_sequence_length)
            self._keys = self._memory_layer(self._values) if self._memory_layer else self._values
            self._probability_fn = lambda score, previous: probability_fn(
                _mask_score(score, memory_sequence_length, score_mask_value), previous)
            self._batch_size = (tf.compat.dimension_value(self._keys.shape[0]) or tf.shape(self._keys)[0])
            self._alignments_size = (tf.compat.dimension_value(self._keys.shape[1]) or tf.shape(self._keys)[1])

    @property
    def memory_layer(self):
        return self._memory_layer

    @property
    def query_layer(self):
        return self._query_layer

    @property
    def values(self):
        return self._values

    @property
    def keys(self):
        return self._keys

    @property
    def batch_size(self):
        return self._batch_size

    @property
    def alignments_size(self):
        return self._alignments_size

    @property
    def state_size(self):
        return self._alignments_size

    def initial_alignments(self, batch_size, dtype):
        """Zeros ``[batch_size, max_time]``."""
        return tf.zeros(tf.stack([batch_size, self._alignments_size]), dtype=dtype)

    def initial_state(self, batch_size, dtype):
        return self.initial_alignments(batch_size, dtype)


class BahdanauAttention(AttentionMechanism):
    """Additive attention (Bahdanau et al., arXiv:1409.0473); ``normalize``: Salimans and Kingma's weight norm."""

    def __init__(self, num_units, memory, memory_sequence_length=None, normalize=False, probability_fn=None,
                 score_mask_value=None, dtype=None, name="BahdanauAttention"):
        num_units = check_num_units(num_units)
        dtype = dtype or tf.float32
        super().__init__(
            memory=memory,
            query_layer=Dense(num_units, name="query_layer", use_bias=False, dtype=dtype),
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory_sequence_length=memory_sequence_length, probability_fn=probability_fn,
            score_mask_value=score_mask_value, name=name)
        self._num_units = num_units
        self._normalize = bool(normalize)

    def __call__(self, query, state):
        with v1.variable_scope(None, "bahdanau_attention", [query]):
            processed_query = self.query_layer(query) if self.query_layer else query
            dtype = processed_query.dtype
            num_units = tf.compat.dimension_value(self._keys.shape[2]) or tf.shape(self._keys)[2]
            processed_query = tf.expand_dims(processed_query, 1)
            v = v1.get_variable("attention_v", [num_units], dtype=dtype)
            if self._normalize:
                g = v1.get_variable("attention_g", dtype=dtype, shape=(),
                                    initializer=v1.constant_initializer(math.sqrt(1.0 / num_units)))
                b = v1.get_variable("attention_b", [num_units], dtype=dtype, initializer=v1.zeros_initializer())
                normed_v = g * v * tf.math.rsqrt(tf.reduce_sum(tf.square(v)))
                score = tf.reduce_sum(normed_v * tf.tanh(self._keys + processed_query + b), [2])
            else:
                score = tf.reduce_sum(v * tf.tanh(self._keys + processed_query), [2])
            alignments = self._probability_fn(score, state)
        return alignments, alignments


class LuongAttention(AttentionMechanism):
    """Multiplicative attention (Luong et al., arXiv:1508.04025); ``scale`` adds a learned scalar."""

    def __init__(self, num_units, memory, memory_sequence_length=None, scale=False, probability_fn=None,
                 score_mask_value=None, dtype=None, name="LuongAttention"):
        num_units = check_num_units(num_units)
        dtype = dtype or tf.float32
        super().__init__(
            memory=memory, query_layer=None,
            memory_layer=Dense(num_units, name="memory_layer", use_bias=False, dtype=dtype),
            memory_sequence_length=memory_sequence_length, probability_fn=probability_fn,
            score_mask_value=score_mask_value, name=name)
        self._num_units = num_units
        self._scale = bool(scale)

    def __call__(self, query, state):
        with v1.variable_scope(None, "luong_attention", [query]):
            depth = tf.compat.dimension_value(query.shape[-1])
            key_units = tf.compat.dimension_value(self._keys.shape[-1])
            if depth != key_units:
                raise ValueError(
                    "Incompatible or unknown inner dimensions between query and keys.  Query "
                    f"({query}) has units: {depth}.  Keys ({self._keys}) have units: {key_units}.  "
                    "Perhaps you need to set num_units to the keys' dimension "
                    f"({key_units})?")
            score = tf.squeeze(tf.matmul(tf.expand_dims(query, 1), self._keys, transpose_b=True), [1])
            if self._scale:
                g = v1.get_variable("attention_g", dtype=query.dtype, shape=(), initializer=v1.ones_initializer())
                score = g * score
            alignments = self._probability_fn(score, state)
        return alignments, alignments


def hardmax(logits, name=None):
    """One-hot of the argmax of ``logits`` along the last axis, in their dtype."""
    with tf.name_scope(name or "Hardmax"):
        logits = tf.convert_to_tensor(logits, name="logits")
        depth = tf.compat.dimension_value(logits.shape[-1]) or tf.shape(logits)[-1]
        return tf.one_hot(tf.argmax(logits, -1), depth, dtype=logits.dtype)
