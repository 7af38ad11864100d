"""The plain RNN decoders and seq2seq models of TF1's ``tf.contrib.legacy_seq2seq``.

They work on unstacked sequences: a list with one ``[batch, depth]`` tensor
(or ``[batch]`` ids) per step, and run the cell step by step:

    rnn_decoder:   state_0 = initial_state
                   x_i = decoder_inputs[i], or loop_function(output_{i-1}, i) for i > 0
                   (output_i, state_{i+1}) = cell(x_i, state_i)

``loop_function`` feeds the model its own predictions (greedy decoding, or
scheduled sampling in training); built by ``extract_argmax_and_embed`` it is
``embedding[argmax(output @ W + b)]`` (``(W, b)`` = ``output_projection``).

    basic_rnn_seq2seq:      encoder = static_rnn(copy of cell), decoder = rnn_decoder(cell)
    tied_rnn_seq2seq:       the same cell object (one set of weights) for both
    embedding_rnn_decoder:  rnn_decoder on embedding[ids] (``embedding`` in its scope)
    embedding_rnn_seq2seq:  EmbeddingWrapper encoder; decoder cell wrapped in
                            OutputProjectionWrapper(num_decoder_symbols) unless
                            ``output_projection`` is given

Scopes and variable names are TF 1.15's (``basic_rnn_seq2seq/rnn/...``,
``basic_rnn_seq2seq/rnn_decoder/...``,
``embedding_rnn_seq2seq/rnn/embedding_wrapper/embedding``,
``embedding_rnn_seq2seq/embedding_rnn_decoder/embedding``, ...). A boolean
tensor ``feed_previous`` builds both decoders, the second reusing the
first's variables, and picks one with ``tf.cond``, as TF1 did.
"""

import copy

import tensorflow as tf

from compat.legacy_seq2seq.checks import (
    check_callable,
    check_output_projection,
    check_positive_int,
    check_step_list,
)
from compat.rnn_cell.base import check_cell
from compat.rnn_cell.embedding_wrapper import EmbeddingWrapper
from compat.rnn_cell.projection_wrappers import OutputProjectionWrapper

v1 = tf.compat.v1


def extract_argmax_and_embed(embedding, output_projection=None, update_embedding=True):
    """A ``loop_function(prev, i)`` that embeds the argmax symbol of ``prev``.

    With ``update_embedding=False`` no gradient reaches the embedding through
    the fed-back symbols.
    """

    def loop_function(prev, _):
        if output_projection is not None:
            prev = tf.compat.v1.nn.xw_plus_b(prev, output_projection[0], output_projection[1])
        embedded = tf.nn.embedding_lookup(embedding, tf.argmax(prev, 1))
        return embedded if update_embedding else tf.stop_gradient(embedded)

    return loop_function


def rnn_decoder(decoder_inputs, initial_state, cell, loop_function=None, scope=None):
    """Runs ``cell`` over ``decoder_inputs`` from ``initial_state``.

    Args:
      decoder_inputs: list of ``[batch, input_size]`` tensors, one per step.
      initial_state: the cell's state to start from.
      cell: the RNN cell.
      loop_function: None, or ``(prev_output, i) -> next_input``: then only
        ``decoder_inputs[0]`` is read (the GO symbol).
      scope: variable scope; default ``"rnn_decoder"``.

    Returns:
      ``(outputs, state)``: one ``[batch, output_size]`` tensor per step, and
      the final state.
    """
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs")
    check_cell(cell)
    check_callable(loop_function, "loop_function")
    with v1.variable_scope(scope or "rnn_decoder"):
        state = initial_state
        outputs = []
        prev = None
        for i, inp in enumerate(decoder_inputs):
            if loop_function is not None and prev is not None:
                with v1.variable_scope("loop_function", reuse=True):
                    inp = loop_function(prev, i)
            if i > 0:
                v1.get_variable_scope().reuse_variables()
            output, state = cell(inp, state)
            outputs.append(output)
            if loop_function is not None:
                prev = output
    return outputs, state


def basic_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, dtype=tf.float32, scope=None):
    """Encodes with a copy of ``cell``, decodes with ``cell`` from the encoder's final state.

    Returns ``(outputs, state)`` of the decoder (see ``rnn_decoder``).
    """
    encoder_inputs = check_step_list(encoder_inputs, "encoder_inputs", rank=(2,))
    check_cell(cell)
    with v1.variable_scope(scope or "basic_rnn_seq2seq"):
        encoder_cell = copy.deepcopy(cell)
        _, encoder_state = v1.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        return rnn_decoder(decoder_inputs, encoder_state, cell)


def tied_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, loop_function=None, dtype=tf.float32,
                     scope=None):
    """Encoder and decoder share ``cell`` and its weights (scope ``scope or "tied_rnn_seq2seq"``)."""
    encoder_inputs = check_step_list(encoder_inputs, "encoder_inputs")
    check_cell(cell)
    with v1.variable_scope("combined_tied_rnn_seq2seq"):
        scope = scope or "tied_rnn_seq2seq"
        _, encoder_state = v1.nn.static_rnn(cell, encoder_inputs, dtype=dtype, scope=scope)
        v1.get_variable_scope().reuse_variables()
        return rnn_decoder(decoder_inputs, encoder_state, cell, loop_function=loop_function,
                           scope=scope)


def embedding_rnn_decoder(decoder_inputs, initial_state, cell, num_symbols, embedding_size,
                          output_projection=None, feed_previous=False,
                          update_embedding_for_previous=True, scope=None):
    """``rnn_decoder`` on ``embedding[ids]``; ``feed_previous=True`` decodes greedily.

    Args:
      decoder_inputs: list of ``[batch]`` int tensors (symbol ids), one per step.
      initial_state, cell: as for ``rnn_decoder``.
      num_symbols, embedding_size: the ``embedding`` variable's shape.
      output_projection: None or ``(W, b)``, W ``[output_size, num_symbols]``:
        applied to an output before its argmax is fed back.
      feed_previous: if True, steps after the first read the embedded argmax
        of the previous output.
      update_embedding_for_previous: if False, no gradient flows into the
        embedding through fed-back symbols.
      scope: default ``"embedding_rnn_decoder"``.
    """
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs", rank=(1,))
    num_symbols = check_positive_int(num_symbols, "num_symbols")
    embedding_size = check_positive_int(embedding_size, "embedding_size")
    with v1.variable_scope(scope or "embedding_rnn_decoder") as scope:
        output_projection = check_output_projection(output_projection, num_symbols, scope.dtype)
        embedding = v1.get_variable("embedding", [num_symbols, embedding_size])
        loop_function = (extract_argmax_and_embed(embedding, output_projection,
                                                  update_embedding_for_previous)
                         if feed_previous else None)
        embedded = [tf.nn.embedding_lookup(embedding, ids) for ids in decoder_inputs]
        return rnn_decoder(embedded, initial_state, cell, loop_function=loop_function)


def decode_either_way(feed_previous, decode, steps, state_structure):
    """``decode(feed_previous)`` for a Python bool; for a boolean tensor both
    decoders (the second reusing the first's variables) and ``tf.cond``.

    ``decode(flag)`` returns ``(outputs, state)`` with ``steps`` outputs.
    """
    if isinstance(feed_previous, bool):
        return decode(feed_previous)
    feed_previous = tf.convert_to_tensor(feed_previous)
    if feed_previous.dtype != tf.bool or feed_previous.shape.rank not in (None, 0):
        raise TypeError(
            "`feed_previous` must be a Python bool or a scalar boolean tensor, but received "
            f"{feed_previous!r}."
        )

    def flat(flag):
        reuse = None if flag else True
        with v1.variable_scope(v1.get_variable_scope(), reuse=reuse):
            outputs, state = decode(flag)
            return list(outputs) + tf.nest.flatten(state)

    # Both branches are built here, outside tf.cond, so that their variables
    # are created in the graph itself; the cond only chooses between them.
    when_fed = flat(True)
    when_given = flat(False)
    chosen = v1.cond(feed_previous, lambda: when_fed, lambda: when_given)
    outputs, state_list = chosen[:steps], chosen[steps:]
    state = tf.nest.pack_sequence_as(state_structure, state_list)
    return outputs, state


def embedding_rnn_seq2seq(encoder_inputs, decoder_inputs, cell, num_encoder_symbols,
                          num_decoder_symbols, embedding_size, output_projection=None,
                          feed_previous=False, dtype=None, scope=None):
    """Embedding encoder, then ``embedding_rnn_decoder`` from its final state.

    Args:
      encoder_inputs, decoder_inputs: lists of ``[batch]`` int tensors.
      cell: the RNN cell (copied for the encoder).
      num_encoder_symbols, num_decoder_symbols, embedding_size: vocabulary
        sizes and embedding depth.
      output_projection: None (the decoder cell gets an
        ``OutputProjectionWrapper`` to ``num_decoder_symbols``) or ``(W, b)``.
      feed_previous: Python bool or scalar boolean tensor (see the module).
      dtype: dtype of the initial state; default the scope's (float32).
      scope: default ``"embedding_rnn_seq2seq"``.
    """
    encoder_inputs = check_step_list(encoder_inputs, "encoder_inputs", rank=(1, 2))
    decoder_inputs = check_step_list(decoder_inputs, "decoder_inputs", rank=(1,))
    check_cell(cell)
    num_encoder_symbols = check_positive_int(num_encoder_symbols, "num_encoder_symbols")
    num_decoder_symbols = check_positive_int(num_decoder_symbols, "num_decoder_symbols")
    with v1.variable_scope(scope or "embedding_rnn_seq2seq") as scope:
        if dtype is not None:
            scope.set_dtype(dtype)
        else:
            dtype = scope.dtype
        encoder_cell = EmbeddingWrapper(copy.deepcopy(cell), embedding_classes=num_encoder_symbols,
                                        embedding_size=embedding_size)
        _, encoder_state = v1.nn.static_rnn(encoder_cell, encoder_inputs, dtype=dtype)
        if output_projection is None:
            cell = OutputProjectionWrapper(cell, num_decoder_symbols)

        def decode(flag):
            return embedding_rnn_decoder(
                decoder_inputs, encoder_state, cell, num_decoder_symbols, embedding_size,
                output_projection=output_projection, feed_previous=flag,
                update_embedding_for_previous=isinstance(feed_previous, bool))

        return decode_either_way(feed_previous, decode, len(decoder_inputs), encoder_state)
