"""The sampling helpers of TF 1.x's ``tf.contrib.seq2seq``: what a ``BasicDecoder`` reads next.

A helper answers three questions at every decoding step ``t``:

    initialize()                          -> (finished, first inputs)
    sample(t, outputs, state)             -> sample_ids
    next_inputs(t, outputs, state, ids)   -> (finished, next inputs, state)

* ``TrainingHelper``: teacher forcing; step ``t + 1`` reads ``inputs[:, t + 1]``;
  a row is finished once ``t + 1 >= sequence_length``; ``sample_ids`` are the
  argmax of the outputs.
* ``GreedyEmbeddingHelper``: starts from ``embedding(start_tokens)``, feeds
  ``embedding(argmax(outputs))``; a row is finished when it emits ``end_token``.
* ``SampleEmbeddingHelper``: as greedy, but draws the id from
  ``softmax(outputs / softmax_temperature)`` (``tf.random.categorical`` with ``seed``).
* ``ScheduledEmbeddingTrainingHelper``: teacher forcing, except that with
  probability ``sampling_probability`` (one draw per row and step, seeded by
  ``scheduling_seed``) a row reads ``embedding(sampled id)`` instead; its
  ``sample_ids`` are -1 where it did not sample.
* ``CustomHelper``: the three functions given.

When every row is finished the next inputs are zeros (training helpers) or
the start inputs (embedding helpers), as TF1 did, so the loop never reads past
the end of its inputs.
"""

import abc

import tensorflow as tf

v1 = tf.compat.v1


def transpose_batch_time(value):
    """``[batch, time, ...]`` <-> ``[time, batch, ...]``."""
    rank = value.shape.rank
    if rank is not None and rank < 2:
        return value
    return tf.transpose(value, [1, 0] + list(range(2, rank)))


def _unstack_ta(value):
    return tf.TensorArray(dtype=value.dtype, size=tf.shape(value)[0],
                          element_shape=value.shape[1:]).unstack(value)


def embedding_fn(embedding, argument="embedding"):
    if callable(embedding):
        return embedding
    params = tf.convert_to_tensor(embedding, name="embedding")
    if params.shape.rank != 2:
        raise ValueError(f"`{argument}` must be a callable or a [vocabulary, depth] matrix, but has shape {params.shape}.")
    return lambda ids: tf.nn.embedding_lookup(params, ids)


def start_and_end_tokens(start_tokens, end_token):
    """``(start_tokens, end_token)`` as int32 tensors: a vector ``[batch]`` and a scalar."""
    start_tokens = tf.convert_to_tensor(start_tokens, dtype=tf.int32, name="start_tokens")
    end_token = tf.convert_to_tensor(end_token, dtype=tf.int32, name="end_token")
    if start_tokens.shape.rank != 1:
        raise ValueError("start_tokens must be a vector")
    if end_token.shape.rank != 0:
        raise ValueError("end_token must be a scalar")
    return start_tokens, end_token


def _categorical_sample(logits, seed):
    """One id per row from ``softmax(logits)``: TF1's ``Categorical(logits).sample(seed=seed)``."""
    draws = v1.multinomial(logits, 1, seed=seed, output_dtype=tf.int32)
    return tf.reshape(draws, [-1])


class Helper(abc.ABC):
    """The interface ``BasicDecoder`` samples through (see the module)."""

    @property
    @abc.abstractmethod
    def batch_size(self):
        """Scalar int32 tensor (or int): the rows ``sample`` returns."""

    @property
    def sample_ids_shape(self):
        """Shape of one row's sample id: ``[]``."""
        return tf.TensorShape([])

    @property
    def sample_ids_dtype(self):
        return tf.int32

    @abc.abstractmethod
    def initialize(self, name=None):
        """``(initial_finished, initial_inputs)``."""

    @abc.abstractmethod
    def sample(self, time, outputs, state, name=None):
        """``sample_ids``."""

    @abc.abstractmethod
    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        """``(finished, next_inputs, next_state)``."""


class CustomHelper(Helper):
    """A helper from three callables: ``initialize_fn() -> (finished, inputs)``,
    ``sample_fn(time, outputs, state) -> ids`` and
    ``next_inputs_fn(time, outputs, state, sample_ids) -> (finished, inputs, state)``."""

    def __init__(self, initialize_fn, sample_fn, next_inputs_fn, sample_ids_shape=None,
                 sample_ids_dtype=None):
        for value, argument in ((initialize_fn, "initialize_fn"), (sample_fn, "sample_fn"),
                                (next_inputs_fn, "next_inputs_fn")):
            if not callable(value):
                raise TypeError(f"`{argument}` must be callable, but received {value!r}.")
        self._initialize_fn, self._sample_fn, self._next_inputs_fn = initialize_fn, sample_fn, next_inputs_fn
        self._batch_size = None
        self._sample_ids_shape = tf.TensorShape(sample_ids_shape or [])
        self._sample_ids_dtype = tf.as_dtype(sample_ids_dtype or tf.int32)

    @property
    def batch_size(self):
        if self._batch_size is None:
            raise ValueError("batch_size accessed before initialize was called")
        return self._batch_size

    @property
    def sample_ids_shape(self):
        return self._sample_ids_shape

    @property
    def sample_ids_dtype(self):
        return self._sample_ids_dtype

    def initialize(self, name=None):
        with tf.name_scope(name or "CustomHelperInitialize"):
            finished, next_inputs = self._initialize_fn()
            if self._batch_size is None:
                self._batch_size = tf.size(finished)
        return finished, next_inputs

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name or "CustomHelperSample"):
            return self._sample_fn(time=time, outputs=outputs, state=state)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name or "CustomHelperNextInputs"):
            return self._next_inputs_fn(time=time, outputs=outputs, state=state, sample_ids=sample_ids)


class TrainingHelper(Helper):
    """Teacher forcing: reads ``inputs`` (``[batch, time, ...]``, or time-major)
    up to each row's ``sequence_length`` (an int vector)."""

    def __init__(self, inputs, sequence_length, time_major=False, name=None):
        if not isinstance(time_major, bool):
            raise TypeError(f"`time_major` must be a bool, but received {time_major!r}.")
        with tf.name_scope(name or "TrainingHelper"):
            inputs = tf.nest.map_structure(lambda value: tf.convert_to_tensor(value, name="inputs"), inputs)
            for value in tf.nest.flatten(inputs):
                if value.shape.rank is not None and value.shape.rank < 2:
                    raise ValueError(f"`inputs` must be [batch, time, ...], but has shape {value.shape}.")
            if not time_major:
                inputs = tf.nest.map_structure(transpose_batch_time, inputs)
            self._input_tas = tf.nest.map_structure(_unstack_ta, inputs)
            self._sequence_length = tf.convert_to_tensor(sequence_length, name="sequence_length")
            if self._sequence_length.shape.rank != 1:
                raise ValueError(
                    f"Expected sequence_length to be a vector, but received shape: {self._sequence_length.shape}")
            if not self._sequence_length.dtype.is_integer:
                raise TypeError(f"`sequence_length` must be integers, but has dtype {self._sequence_length.dtype.name}.")
            self._zero_inputs = tf.nest.map_structure(lambda value: tf.zeros_like(value[0, :]), inputs)
            self._batch_size = tf.size(sequence_length)

    @property
    def inputs(self):
        return self._input_tas

    @property
    def sequence_length(self):
        return self._sequence_length

    @property
    def batch_size(self):
        return self._batch_size

    def initialize(self, name=None):
        with tf.name_scope(name or "TrainingHelperInitialize"):
            finished = tf.equal(0, self._sequence_length)
            next_inputs = v1.cond(tf.reduce_all(finished), lambda: self._zero_inputs,
                                  lambda: tf.nest.map_structure(lambda ta: ta.read(0), self._input_tas))
            return finished, next_inputs

    def sample(self, time, outputs, name=None, **unused_kwargs):
        with tf.name_scope(name or "TrainingHelperSample"):
            return tf.cast(tf.argmax(outputs, axis=-1), tf.int32)

    def next_inputs(self, time, outputs, state, name=None, **unused_kwargs):
        with tf.name_scope(name or "TrainingHelperNextInputs"):
            next_time = time + 1
            finished = next_time >= self._sequence_length
            next_inputs = v1.cond(tf.reduce_all(finished), lambda: self._zero_inputs,
                                  lambda: tf.nest.map_structure(lambda ta: ta.read(next_time), self._input_tas))
            return finished, next_inputs, state


class ScheduledEmbeddingTrainingHelper(TrainingHelper):
    """``TrainingHelper`` with scheduled sampling (see the module).

    Args: those of ``TrainingHelper``, and ``embedding`` (a callable on ids
    or an embedding matrix), ``sampling_probability`` (scalar or per-row
    vector), ``seed`` (the id draw), ``scheduling_seed`` (whether to sample).
    """

    def __init__(self, inputs, sequence_length, embedding, sampling_probability, time_major=False,
                 seed=None, scheduling_seed=None, name=None):
        with tf.name_scope(name or "ScheduledEmbeddingSamplingWrapper"):
            self._embedding_fn = embedding_fn(embedding)
            self._sampling_probability = tf.convert_to_tensor(sampling_probability, name="sampling_probability")
            if self._sampling_probability.shape.rank not in (0, 1):
                raise ValueError("sampling_probability must be either a scalar or a vector. "
                                 f"saw shape: {self._sampling_probability.shape}")
            self._seed, self._scheduling_seed = seed, scheduling_seed
            super().__init__(inputs=inputs, sequence_length=sequence_length, time_major=time_major, name=name)

    def sample(self, time, outputs, state, name=None):
        with tf.name_scope(name or "ScheduledEmbeddingTrainingHelperSample"):
            select_noise = v1.random_uniform([self.batch_size], seed=self._scheduling_seed,
                                             dtype=self._sampling_probability.dtype)
            select_sample = self._sampling_probability > select_noise
            return v1.where(select_sample, _categorical_sample(outputs, self._seed),
                            tf.fill([self.batch_size], -1))

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        with tf.name_scope(name or "ScheduledEmbeddingTrainingHelperNextInputs"):
            finished, base_next_inputs, state = super().next_inputs(
                time=time, outputs=outputs, state=state, sample_ids=sample_ids, name=name)

            def maybe_sample():
                where_sampling = tf.cast(v1.where(sample_ids > -1), tf.int32)
                where_not_sampling = tf.cast(v1.where(sample_ids <= -1), tf.int32)
                sampled = self._embedding_fn(tf.gather_nd(sample_ids, where_sampling))
                not_sampled = tf.gather_nd(base_next_inputs, where_not_sampling)
                shape = tf.shape(base_next_inputs)
                return (tf.scatter_nd(where_sampling, sampled, shape)
                        + tf.scatter_nd(where_not_sampling, not_sampled, shape))

            next_inputs = v1.cond(tf.reduce_all(finished), lambda: base_next_inputs, maybe_sample)
            return finished, next_inputs, state


class GreedyEmbeddingHelper(Helper):
    """Greedy decoding: feeds ``embedding(argmax(outputs))``.

    Args:
      embedding: a callable on ids, or the ``[vocabulary, depth]`` matrix.
      start_tokens: int vector ``[batch]``, the first step's ids.
      end_token: int scalar; a row that emits it is finished.
    """

    def __init__(self, embedding, start_tokens, end_token):
        self._embedding_fn = embedding_fn(embedding)
        self._start_tokens, self._end_token = start_and_end_tokens(start_tokens, end_token)
        self._batch_size = tf.size(self._start_tokens)
        self._start_inputs = self._embedding_fn(self._start_tokens)

    @property
    def batch_size(self):
        return self._batch_size

    def initialize(self, name=None):
        finished = tf.tile([False], [self._batch_size])
        return finished, self._start_inputs

    def sample(self, time, outputs, state, name=None):
        if not tf.is_tensor(outputs):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        return tf.argmax(outputs, axis=-1, output_type=tf.int32)

    def next_inputs(self, time, outputs, state, sample_ids, name=None):
        finished = tf.equal(sample_ids, self._end_token)
        next_inputs = v1.cond(tf.reduce_all(finished), lambda: self._start_inputs,
                              lambda: self._embedding_fn(sample_ids))
        return finished, next_inputs, state


class SampleEmbeddingHelper(GreedyEmbeddingHelper):
    """As ``GreedyEmbeddingHelper``, but the id is drawn from
    ``softmax(outputs / softmax_temperature)`` with ``seed``."""

    def __init__(self, embedding, start_tokens, end_token, softmax_temperature=None, seed=None):
        super().__init__(embedding, start_tokens, end_token)
        self._softmax_temperature = softmax_temperature
        self._seed = seed

    def sample(self, time, outputs, state, name=None):
        if not tf.is_tensor(outputs):
            raise TypeError(f"Expected outputs to be a single Tensor, got: {type(outputs)}")
        logits = outputs if self._softmax_temperature is None else outputs / self._softmax_temperature
        return _categorical_sample(logits, self._seed)
