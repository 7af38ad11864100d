"""``Decoder`` and ``dynamic_decode`` of TF 1.x's ``tf.contrib.seq2seq``.

``dynamic_decode`` runs ``decoder.step`` in a ``while_loop`` from
``decoder.initialize()`` until every row is finished (or
``maximum_iterations`` steps), and returns ``(outputs, final_state,
sequence_lengths)``:

* ``outputs`` stacked over steps, ``[batch, time, ...]`` (``[time, batch, ...]``
  with ``output_time_major``), after ``decoder.finalize`` if it has one;
* a row's length is the step at which it finished, plus one (unless the
  decoder tracks its own finished rows and lengths, as beam search does);
* with ``impute_finished``, a finished row's outputs are zeros and its
  state is copied through unchanged, so the final state is the one at its end.

The loop runs in the variable scope ``scope`` or ``decoder``, whose
variables are cached per device inside the loop, as TF1 set it.
"""

import abc

import tensorflow as tf

from compat.seq2seq.helper import transpose_batch_time

v1 = tf.compat.v1


class Decoder(abc.ABC):
    """What ``dynamic_decode`` drives: ``batch_size``, ``output_size``,
    ``output_dtype``, ``initialize()``, ``step(time, inputs, state)`` and,
    optionally, ``finalize(outputs, final_state, sequence_lengths)``."""

    @property
    @abc.abstractmethod
    def batch_size(self):
        """The batch size of the inputs."""

    @property
    @abc.abstractmethod
    def output_size(self):
        """A (structure of) int or TensorShape: one row's output shape."""

    @property
    @abc.abstractmethod
    def output_dtype(self):
        """A (structure of) dtype matching ``output_size``."""

    @abc.abstractmethod
    def initialize(self, name=None):
        """``(finished, initial_inputs, initial_state)``."""

    @abc.abstractmethod
    def step(self, time, inputs, state, name=None):
        """``(outputs, next_state, next_inputs, finished)``."""

    @property
    def tracks_own_finished(self):
        """Whether ``step``'s ``finished`` already includes earlier finished rows."""
        return False

    def finalize(self, outputs, final_state, sequence_lengths):
        raise NotImplementedError


def check_output_layer(output_layer):
    """``output_layer`` if it is None or a layer with ``compute_output_shape`` (``tf.layers.Dense``)."""
    if output_layer is not None and not (callable(output_layer) and hasattr(output_layer, "compute_output_shape")):
        raise TypeError(
            f"`output_layer` must be a layer such as tf.layers.Dense, received: {type(output_layer).__name__}")
    return output_layer


def layer_output_size(cell, output_layer):
    """One row's output size of ``cell``, after ``output_layer`` (read from its
    ``compute_output_shape``) when there is one."""
    size = cell.output_size
    if output_layer is None:
        return size
    shapes = tf.nest.map_structure(lambda s: tf.TensorShape([None]).concatenate(s), size)
    return tf.nest.map_structure(lambda s: s[1:], output_layer.compute_output_shape(shapes))


def _zero_outputs(size, dtype, batch_size):
    def zeros(s, d):
        dims = tf.TensorShape(s).as_list()
        shape = tf.concat([tf.reshape(tf.cast(batch_size, tf.int32), [1]),
                           tf.constant(dims, dtype=tf.int32, shape=[len(dims)])], 0)
        return tf.zeros(shape, dtype=d)
    return tf.nest.map_structure(zeros, size, dtype)


def dynamic_decode(decoder, output_time_major=False, impute_finished=False, maximum_iterations=None,
                   parallel_iterations=32, swap_memory=False, scope=None):
    """Runs ``decoder`` to the end (see the module); returns ``(outputs, state, lengths)``."""
    if not isinstance(decoder, Decoder):
        raise TypeError(f"`decoder` must be a Decoder, but received {type(decoder).__name__}.")
    for value, argument in ((output_time_major, "output_time_major"), (impute_finished, "impute_finished")):
        if not isinstance(value, bool):
            raise TypeError(f"`{argument}` must be a bool, but received {value!r}.")
    with v1.variable_scope(scope, "decoder") as varscope:
        if varscope.caching_device is None:
            varscope.set_caching_device(lambda op: op.device)
        if maximum_iterations is not None:
            maximum_iterations = tf.convert_to_tensor(maximum_iterations, dtype=tf.int32, name="maximum_iterations")
            if maximum_iterations.shape.rank != 0:
                raise ValueError("maximum_iterations must be a scalar")
        initial_finished, initial_inputs, initial_state = decoder.initialize()
        zero_outputs = _zero_outputs(decoder.output_size, decoder.output_dtype, decoder.batch_size)
        if maximum_iterations is not None:
            initial_finished = tf.logical_or(initial_finished, 0 >= maximum_iterations)
        initial_lengths = tf.zeros_like(initial_finished, dtype=tf.int32)
        initial_time = tf.constant(0, dtype=tf.int32)
        static_batch = tf.get_static_value(tf.convert_to_tensor(decoder.batch_size))

        def element_shape(size):
            size = tf.TensorShape(size)
            return None if size.rank == 0 else tf.TensorShape([static_batch]).concatenate(size)

        initial_outputs_ta = tf.nest.map_structure(
            lambda size, dtype: tf.TensorArray(dtype=dtype, size=0, dynamic_size=True,
                                               element_shape=element_shape(size)),
            decoder.output_size, decoder.output_dtype)

        def condition(unused_time, unused_outputs_ta, unused_state, unused_inputs, finished, unused_lengths):
            return tf.logical_not(tf.reduce_all(finished))

        def body(time, outputs_ta, state, inputs, finished, lengths):
            next_outputs, decoder_state, next_inputs, decoder_finished = decoder.step(time, inputs, state)
            lengths_from_state = False
            if decoder.tracks_own_finished:
                next_finished = decoder_finished
                state_lengths = getattr(decoder_state, "lengths", None)
                if state_lengths is not None:
                    lengths_from_state = True
                    lengths = tf.cast(state_lengths, tf.int32)
            else:
                next_finished = tf.logical_or(decoder_finished, finished)
            if not lengths_from_state:
                lengths = v1.where(tf.logical_not(finished), tf.fill(tf.shape(lengths), time + 1), lengths)
            tf.nest.assert_same_structure(state, decoder_state)
            tf.nest.assert_same_structure(outputs_ta, next_outputs)
            tf.nest.assert_same_structure(inputs, next_inputs)
            if impute_finished:
                emit = tf.nest.map_structure(lambda out, zero: v1.where(finished, zero, out),
                                             next_outputs, zero_outputs)

                def copy_through(new, current):
                    if isinstance(current, tf.TensorArray):
                        return new
                    new.set_shape(current.shape)
                    return new if new.shape.rank == 0 else v1.where(finished, current, new)

                next_state = tf.nest.map_structure(copy_through, decoder_state, state)
            else:
                emit, next_state = next_outputs, decoder_state
            outputs_ta = tf.nest.map_structure(lambda ta, out: ta.write(time, out), outputs_ta, emit)
            return time + 1, outputs_ta, next_state, next_inputs, next_finished, lengths

        result = v1.while_loop(
            condition, body,
            loop_vars=(initial_time, initial_outputs_ta, initial_state, initial_inputs, initial_finished,
                       initial_lengths),
            parallel_iterations=parallel_iterations, maximum_iterations=maximum_iterations,
            swap_memory=swap_memory)
        final_outputs = tf.nest.map_structure(lambda ta: ta.stack(), result[1])
        final_state, final_lengths = result[2], result[5]
        try:
            final_outputs, final_state = decoder.finalize(final_outputs, final_state, final_lengths)
        except NotImplementedError:
            pass
        if not output_time_major:
            final_outputs = tf.nest.map_structure(transpose_batch_time, final_outputs)
    return final_outputs, final_state, final_lengths
