"""The attention decoder of TF1's ``tf.contrib.legacy_seq2seq`` (Vinyals et al., arXiv:1412.7449).

For encoder states ``h_j`` (``attention_states`` ``[batch, length, size]``),
each head ``a`` reads, for a query ``q`` (the cell state, flattened and
concatenated):

    s_j = v_a . tanh(W_a h_j + U_a q + b_a)      alpha = softmax(s)      d_a = sum_j alpha_j h_j

``W_a h_j`` is a 1x1 convolution with ``AttnW_<a>`` ``[1, 1, size, size]``,
``v_a`` is ``AttnV_<a>`` ``[size]``, ``U_a q + b_a`` the ``linear`` of scope
``Attention_<a>``. At step ``i``, with the previous reads ``d`` (zeros
first, or read from the initial state with ``initial_state_attention``):

    x = linear([input_i] + d, input_size)           (scope: the decoder's own)
    (cell_output, state) = cell(x, state)
    d = reads for query state
    output_i = linear([cell_output] + d, output_size)   (scope ``AttnOutputProjection``)

``embedding_attention_decoder`` reads ``embedding[ids]`` (its ``embedding``
variable); ``embedding_attention_seq2seq`` encodes with an
``EmbeddingWrapper`` around a copy of the cell (or ``encoder_cell``) and
attends over the encoder's outputs. Names and scopes are TF 1.15's.
"""

import copy

import tensorflow as tf

from compat.legacy_seq2seq.checks import (
    check_callable,
    check_output_projection,
    check_positive_int,
    check_step_list,
)
from compat.legacy_seq2seq.decoders import decode_either_way, extract_argmax_and_embed
from compat.rnn_cell.base import check_cell
from compat.rnn_cell.embedding_wrapper import EmbeddingWrapper
from compat.rnn_cell.linear import linear
from compat.rnn_cell.projection_wrappers import OutputProjectionWrapper

v1 = tf.compat.v1


def attention_decoder(decoder_inputs, initial_state, attention_states, cell, output_size=None,
                      num_heads=1, loop_function=None, dtype=None, scope=None,
                      initial_state_attention=False):
    """RNN decoder that reads ``attention_states`` at every step (see the module).

    Args:
      decoder_inputs: list of ``[batch, input_size]`` tensors, one per step.
      initial_state: the cell's state to start from.
      attention_states: ``[batch, length, size]``; ``size`` must be known.
      cell: the RNN cell.
      output_size: depth of the outputs; default ``cell.output_size``.
      num_heads: positive int, how many attention reads per step.
      loop_function: as for ``rnn_decoder``.
      dtype: dtype of the zero initial reads; default the scope's.
      scope: default ``"attention_decoder"``.
      initial_state_attention: if True, the first step's reads come from the
        initial state instead of zeros.

    Returns:
      ``(outputs, state)``: one ``[batch, output_size]`` tensor per step, and
      the final state.
    """
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs")
    check_cell(cell)
    check_callable(loop_function, "loop_function")
    num_heads = check_positive_int(num_heads, "num_heads")
    attention_states = tf.convert_to_tensor(attention_states)
    if attention_states.shape.rank != 3 or tf.compat.dimension_value(attention_states.shape[2]) is None:
        raise ValueError(
            "`attention_states` must be [batch, length, size] with size known, but has shape "
            f"{attention_states.shape}."
        )
    if output_size is None:
        output_size = cell.output_size
    output_size = check_positive_int(tf.compat.dimension_value(output_size), "output_size")

    with v1.variable_scope(scope or "attention_decoder", dtype=dtype) as scope:
        dtype = scope.dtype
        batch_size = tf.shape(decoder_inputs[0])[0]
        attention_length = tf.compat.dimension_value(attention_states.shape[1])
        if attention_length is None:
            attention_length = tf.shape(attention_states)[1]
        attention_size = tf.compat.dimension_value(attention_states.shape[2])
        hidden = tf.reshape(attention_states, [-1, attention_length, 1, attention_size])
        hidden_features, head_vectors = [], []
        for head in range(num_heads):
            kernel = v1.get_variable(f"AttnW_{head}", [1, 1, attention_size, attention_size])
            hidden_features.append(tf.nn.conv2d(hidden, kernel, [1, 1, 1, 1], "SAME"))
            head_vectors.append(v1.get_variable(f"AttnV_{head}", [attention_size]))

        def attention(query):
            if tf.nest.is_nested(query):
                query = tf.concat(tf.nest.flatten(query), 1)
            reads = []
            for head in range(num_heads):
                with v1.variable_scope(f"Attention_{head}"):
                    projected = linear(query, attention_size, True)
                    projected = tf.reshape(projected, [-1, 1, 1, attention_size])
                    scores = tf.reduce_sum(
                        head_vectors[head] * tf.tanh(hidden_features[head] + projected), [2, 3])
                    weights = tf.nn.softmax(scores)
                    read = tf.reduce_sum(
                        tf.reshape(weights, [-1, attention_length, 1, 1]) * hidden, [1, 2])
                    reads.append(tf.reshape(read, [-1, attention_size]))
            return reads

        state = initial_state
        outputs = []
        prev = None
        reads = [tf.zeros(tf.stack([batch_size, attention_size]), dtype=dtype)
                 for _ in range(num_heads)]
        for read in reads:
            read.set_shape([None, attention_size])
        if initial_state_attention:
            reads = attention(initial_state)
        for i, inp in enumerate(decoder_inputs):
            if i > 0:
                v1.get_variable_scope().reuse_variables()
            if loop_function is not None and prev is not None:
                with v1.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            input_size = tf.compat.dimension_value(inp.shape.with_rank(2)[1])
            if input_size is None:
                raise ValueError(f"The depth of decoder input {i} must be known, but it has shape {inp.shape}.")
            x = linear([inp] + reads, input_size, True)
            cell_output, state = cell(x, state)
            if i == 0 and initial_state_attention:
                with v1.variable_scope(v1.get_variable_scope(), reuse=True):
                    reads = attention(state)
            else:
                reads = attention(state)
            with v1.variable_scope("AttnOutputProjection"):
                output = linear([cell_output] + reads, output_size, True)
            if loop_function is not None:
                prev = output
            outputs.append(output)
    return outputs, state


def embedding_attention_decoder(decoder_inputs, initial_state, attention_states, cell, num_symbols,
                                embedding_size, num_heads=1, output_size=None,
                                output_projection=None, feed_previous=False,
                                update_embedding_for_previous=True, dtype=None, scope=None,
                                initial_state_attention=False):
    """``attention_decoder`` on ``embedding[ids]``; ``feed_previous=True`` decodes greedily.

    ``decoder_inputs`` are ``[batch]`` int tensors; the other arguments are
    those of ``attention_decoder`` and ``embedding_rnn_decoder``. Scope:
    ``"embedding_attention_decoder"``.
    """
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs", rank=(1,))
    num_symbols = check_positive_int(num_symbols, "num_symbols")
    embedding_size = check_positive_int(embedding_size, "embedding_size")
    if output_size is None:
        output_size = cell.output_size
    output_projection = check_output_projection(output_projection, num_symbols, dtype)
    with v1.variable_scope(scope or "embedding_attention_decoder", dtype=dtype):
        embedding = v1.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (extract_argmax_and_embed(embedding, output_projection,
                                                  update_embedding_for_previous)
                         if feed_previous else None)
        embedded = [tf.nn.embedding_lookup(embedding, ids) for ids in decoder_inputs]
        return attention_decoder(
            embedded, initial_state, attention_states, cell, output_size=output_size,
            num_heads=num_heads, loop_function=loop_function,
            initial_state_attention=initial_state_attention)


def embedding_attention_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                                num_decoder_symbols, embedding_size, encoder_cell=None,
                                num_heads=1, output_projection=None, feed_previous=False,
                                dtype=None, scope=None, initial_state_attention=False):
    """Embedding encoder, then ``embedding_attention_decoder`` over its outputs.

    ``encoder_cell`` (default a copy of ``cell``) encodes; without
    ``output_projection`` the decoder cell gets an ``OutputProjectionWrapper``
    to ``num_decoder_symbols`` and the outputs are that wide. ``feed_previous``
    is a Python bool or a scalar boolean tensor. Scope:
    ``"embedding_attention_seq2seq"``.
    """
    encoder_inputs = check_step_list(encoder_inputs, "encoder_inputs", rank=(1, 2))
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs", rank=(1,))
    check_cell(cell)
    if encoder_cell is not None:
        check_cell(encoder_cell, "encoder_cell")
    num_encoder_symbols = check_positive_int(num_encoder_symbols, "num_encoder_symbols")
    num_decoder_symbols = check_positive_int(num_decoder_symbols, "num_decoder_symbols")
    with v1.variable_scope(scope or "embedding_attention_seq2seq", dtype=dtype) as scope:
        dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(
            copy.deepcopy(cell) if encoder_cell is None else encoder_cell,
            embedding_classes=num_encoder_symbols, embedding_size=embedding_size)
        encoder_outputs, encoder_state = v1.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        top_states = [tf.reshape(output, [-1, 1, cell.output_size]) for output in encoder_outputs]
        attention_states = tf.concat(top_states, 1)
        output_size = None
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)
            output_size = num_decoder_symbols

        def decode(flag):
            return embedding_attention_decoder(
                decoder_inputs, encoder_state, attention_states, cell, num_decoder_symbols,
                embedding_size, num_heads=num_heads, output_size=output_size,
                output_projection=output_projection, feed_previous=flag,
                update_embedding_for_previous=isinstance(feed_previous, bool),
                initial_state_attention=initial_state_attention)

        return decode_either_way(feed_previous, decode, len(decoder_inputs), encoder_state)
