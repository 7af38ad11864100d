"""Lab 12-1y, yeonjee RNN, as the slides wrote it: lab 12-1's TF1 graph.

The slides copied lab 12-1 line for line and changed only the data: a
`BasicLSTMCell(5)` reads the one-hot letters of "yeonje" and a linear
`fully_connected` layer predicts "eonjee"; `sequence_loss`, Adam 0.1, 50
full-batch iterations. So this lab is `labs.hello_rnn.v1.build` run on
`labs.yeonjee_rnn.data` (see there for the graph, line by line).

The slides printed "0 loss: 1.60616 prediction: [[1 1 1 1 1 1]]" (the
prediction after the first update), then [[1 1 3 4 1 1]] from iteration 5 and
[[1 2 3 4 1 1]], i.e. "eonjee", from iteration 11. (Their "Prediction str"
lines lag behind and have 7 letters; the slide's string code was not shown.)
They trained on a mistyped one-hot matrix (see `labs.yeonjee_rnn.data`) under
TF 1.x seeding, so those numbers are not reproducible; the port trains on the
one-hot of `x_data`.

Run it: `python -m labs.yeonjee_rnn.v1 [--dtype float64]`.
"""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

from labs.hello_rnn import v1 as hello_rnn  # noqa: E402
from labs.yeonjee_rnn import data  # noqa: E402


def build(dtype="float32"):
    """Builds the lab's graph in the current default graph."""
    return hello_rnn.build(dtype, data)


if __name__ == "__main__":
    from labs.harness import run_module

    run_module(__name__)
