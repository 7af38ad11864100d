"""Lab 12-5, stock price prediction, as the course wrote it: TF1 graph + Session.

Many-to-one: an LSTM reads 7 days of (Open, High, Low, Volume, Close), all
min-max scaled, and a linear layer on its last output predicts the next
day's Close (see `labs.rnn_stock_prediction.data` for the data pipeline).

    X (505, 7, 5) -> BasicLSTMCell(10, activation=tanh), dynamic_rnn
      -> outputs (505, 7, 10) -> outputs[:, -1] (505, 10)
      -> fully_connected(1, activation_fn=None) -> Y_pred (505, 1)

The loss is the *sum* of squared errors over the 505 training windows (not
their mean), minimised by Adam with learning rate 0.01 for 500 full-batch
iterations. The test step predicts the 220 test windows and reports

    RMSE = sqrt(mean((targets - predictions)^2))

computed, as in the course, by a small graph fed with the two arrays. The
original printed "[step: i] loss: l" every iteration, then "RMSE: r", and
plotted the test truth against the prediction
(`python -m labs.rnn_stock_prediction.v1 --plot out.png` saves that figure).

Differences from the original file, none of which changes the computation:
`tf.contrib` is `compat.contrib`; the graph is built by `build(dtype)` in the
harness's own `tf.Graph` (graph seed 777), which runs the Session loop and
then `evaluate`, the test step; `dtype` may be float64.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import tensorflow.compat.v1 as tf  # noqa: E402

from compat.contrib import layers, rnn  # noqa: E402
from labs.harness.spec import Evaluation, GraphLab  # noqa: E402
from labs.rnn_stock_prediction import data  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    trainX, trainY, testX, testY = data.dataset(dtype)

    # input place holders
    X = tf.placeholder(dtype, [None, data.SEQ_LENGTH, data.DATA_DIM])
    Y = tf.placeholder(dtype, [None, 1])

    # build a LSTM network
    cell = rnn.BasicLSTMCell(
        num_units=data.HIDDEN_DIM, state_is_tuple=True, activation=tf.tanh)
    outputs, _states = tf.nn.dynamic_rnn(cell, X, dtype=dtype)
    last_output = outputs[:, -1]  # We use the last cell's output
    Y_pred = layers.fully_connected(
        last_output, data.OUTPUT_DIM, activation_fn=None)

    # cost/loss
    loss = tf.reduce_sum(tf.square(Y_pred - Y))  # sum of the squares
    # optimizer
    optimizer = tf.train.AdamOptimizer(data.LEARNING_RATE)
    train = optimizer.minimize(loss)

    # RMSE
    targets = tf.placeholder(dtype, [None, 1])
    predictions = tf.placeholder(dtype, [None, 1])
    rmse = tf.sqrt(tf.reduce_mean(tf.square(targets - predictions)))

    def evaluate(sess):
        """The test step: predict the test windows, then their RMSE."""
        test_predict = sess.run(Y_pred, feed_dict={X: testX})
        rmse_val = sess.run(rmse, feed_dict={
            targets: testY, predictions: test_predict})
        return Evaluation(metrics={"test_rmse": rmse_val},
                          arrays={"test_predictions": test_predict})

    return GraphLab(
        feed={X: trainX, Y: trainY},
        loss=loss, train_op=train, optimizer=optimizer, outputs=Y_pred,
        tensors={"x": X, "rnn_outputs": outputs, "last_output": last_output,
                 "y_pred": Y_pred},
        evaluate=evaluate)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)
