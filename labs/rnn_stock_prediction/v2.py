"""Lab 12-5, stock price prediction, in Keras 3.

The same model as `labs.rnn_stock_prediction.v1`:

    x (505, 7, 5) -> LSTM(10, activation="tanh") (505, 10) -> Dense(1)
      -> y_pred (505, 1)

| TF1 (v1)                                              | Keras 3 (here)          |
|-------------------------------------------------------|-------------------------|
| `BasicLSTMCell(10, activation=tf.tanh)` + `dynamic_rnn`, `outputs[:, -1]` | `LSTM(10, activation="tanh")` (returns the last output) |
| `fully_connected(outputs[:, -1], 1, activation_fn=None)` | `Dense(1)`          |
| `reduce_sum(square(Y_pred - Y))`                      | `ops.sum(ops.square(y_pred - y))` |
| `tf.train.AdamOptimizer(0.01)`, 500 iterations        | `Adam(0.01, epsilon=1e-8)` |
| RMSE graph on `sess.run(Y_pred, {X: testX})`          | `RootMeanSquaredError` on `model.predict_on_batch(test_x)` |

The loss is the course's sum of squares, not the mean, written with
`keras.ops` so that it computes in the model's dtype on every Keras 3
(`MeanSquaredError(reduction="sum")` is the same number but computes in
float32 unless given `dtype=`, which Keras 3.3 does not accept). An `LSTM` without
`return_sequences` returns exactly the last step's output that v1 sliced out.
Gate order, forget bias, `unroll=True` and Adam: see `labs.hello_rnn.v2`.

Run it: `python -m labs.rnn_stock_prediction.v2 [--dtype float64] [--plot out.png]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402

from labs.harness.spec import Evaluation, KerasLab  # noqa: E402
from labs.rnn_stock_prediction import data  # noqa: E402


def build_model(dtype="float32"):
    """The model: 7 days in, the next day's (scaled) close out."""
    x = keras.Input(shape=(data.SEQ_LENGTH, data.DATA_DIM), dtype=dtype,
                    name="x")
    last_output = keras.layers.LSTM(
        data.HIDDEN_DIM, activation="tanh", unroll=True, dtype=dtype,
        name="lstm")(x)
    y_pred = keras.layers.Dense(
        data.OUTPUT_DIM, dtype=dtype, name="dense")(last_output)
    return keras.Model(x, y_pred, name="rnn_stock_prediction")


def build(dtype="float32"):
    """The model, its loss and optimizer, the data and the test step."""
    train_x, train_y, test_x, test_y = data.dataset(dtype)

    def evaluate(model):
        """The test step: predict the test windows, then their RMSE."""
        # predict_on_batch, not predict: predict's data adapter casts float
        # arrays to keras.config.floatx() (float32), which would round the
        # float64 lab's test inputs.
        test_predict = model.predict_on_batch(test_x)
        rmse = keras.metrics.RootMeanSquaredError(dtype=dtype)
        rmse.update_state(test_y, test_predict)
        return Evaluation(
            metrics={"test_rmse": keras.ops.convert_to_numpy(rmse.result())},
            arrays={"test_predictions": test_predict})

    return KerasLab(
        model=build_model(dtype),
        loss=lambda y, y_pred: keras.ops.sum(keras.ops.square(y_pred - y)),
        optimizer=keras.optimizers.Adam(
            learning_rate=data.LEARNING_RATE, epsilon=1e-8),
        learning_rate=data.LEARNING_RATE,
        x=train_x, y=train_y,
        layers={"x": "x", "last_output": "lstm", "y_pred": "dense"},
        evaluate=evaluate)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)
