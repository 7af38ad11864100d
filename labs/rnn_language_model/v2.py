"""Lab 12-7, RNN language model, in Keras 3: seed 002's model.

    x (11, 5) word indices -> Embedding(12, 10) (11, 5, 10)
      -> SimpleRNN(32) (11, 32) -> Dense(12) -> logits (11, 12)

The seed (Keras 2) wrote

    model.add(Embedding(vocab_size, 10, input_length=max_len - 1))
    model.add(SimpleRNN(32))
    model.add(Dense(vocab_size, activation='softmax'))
    model.compile(loss='categorical_crossentropy', optimizer='adam', ...)
    model.fit(X, y, epochs=200)        # y one-hot

| Keras 2 (seed)                          | Keras 3 (here)                       |
|-----------------------------------------|--------------------------------------|
| `Tokenizer` from `keras.preprocessing.text` (removed) | `compat.keras2_text.Tokenizer` (`data`) |
| `Embedding(12, 10, input_length=5)`     | `keras.Input(shape=(5,))`, `Embedding(12, 10)` |
| `Dense(12, activation='softmax')` + `categorical_crossentropy`, one-hot y | `Dense(12)` (logits) + mean of `sparse_categorical_crossentropy(y, logits, from_logits=True)`, y as indices |
| `optimizer='adam'`                      | `Adam(0.001)`: the same defaults, epsilon 1e-7 |
| `model.predict_classes(encoded)`        | `argmax` of `model.predict_on_batch(encoded)` |
| `fit(X, y, epochs=200)`, batch 32 > 11 samples | 200 full-batch steps |

The loss. Keras 2's categorical crossentropy on softmax probabilities is
written as `-sum(y * log(clip(p, 1e-7, 1 - 1e-7)))`, but inside `fit` it
never took that path: when its input is the output of a softmax (Keras 2.15's
`backend._get_logits`, and Keras 3's TensorFlow backend alike) it uses the
softmax's logits, `softmax_cross_entropy_with_logits`. Logits with the
sparse softmax cross-entropy are that very loss (y as indices instead of
one-hot), and what v1 computes. The clipped form would differ only where a
probability leaves [1e-7, 1 - 1e-7]; on this data it stays inside during the
whole run (tests/labs/test_rnn_language_model.py measures and checks both).

Initialisers are Keras's, as in the seed: Embedding uniform(-0.05, 0.05),
SimpleRNN kernel glorot uniform, recurrent kernel orthogonal, bias zeros.
`unroll=True` runs the 5 steps as one straight graph (as in the LSTM labs).

Run it: `python -m labs.rnn_language_model.v2 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.harness.spec import Evaluation, KerasLab  # noqa: E402
from labs.rnn_language_model import data  # noqa: E402


def build_model(dtype="float32"):
    """The model: 5 word indices in, logits of the next word out."""
    x = keras.Input(shape=(data.MAX_LEN - 1,), dtype="int32", name="x")
    embedded = keras.layers.Embedding(
        data.VOCAB_SIZE, data.EMBEDDING_DIM, dtype=dtype,
        name="embedding")(x)
    last_output = keras.layers.SimpleRNN(
        data.HIDDEN_SIZE, unroll=True, dtype=dtype,
        name="simple_rnn")(embedded)
    logits = keras.layers.Dense(
        data.VOCAB_SIZE, dtype=dtype, name="dense")(last_output)
    return keras.Model(x, logits, name="rnn_language_model")


def sentence_generation(model, current_word, n):
    """The seed's `sentence_generation(model, t, current_word, n)`."""
    return data.sentence_generation(model.predict_on_batch, current_word, n)


def build(dtype="float32"):
    """The model, its loss and optimizer, the data and the generation."""
    x, y = data.training_data()

    def evaluate(model):
        """The seed's three sentences, generated from their first words."""
        # predict_on_batch, not predict: predict's data adapter casts to
        # keras.config.floatx() and costs a new tf.function per call.
        _sentences, generated = data.generate_all(model.predict_on_batch)
        return Evaluation(arrays={"generated": generated})

    return KerasLab(
        model=build_model(dtype),
        loss=lambda y, logits: keras.ops.mean(
            keras.losses.sparse_categorical_crossentropy(y, logits, from_logits=True)),
        optimizer=keras.optimizers.Adam(
            learning_rate=data.LEARNING_RATE, epsilon=data.EPSILON),
        learning_rate=data.LEARNING_RATE,
        epsilon=data.EPSILON,
        x=x, y=y,
        layers={"embedded": "embedding", "last_output": "simple_rnn",
                "logits": "dense"},
        evaluate=evaluate)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)
