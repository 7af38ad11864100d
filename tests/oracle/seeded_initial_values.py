"""Initial variable values of genuine and compat graphs under one graph seed.

Run as a script in its own process (``python -m <package>.seeded_initial_values
OUT.npz``): it calls ``tf.compat.v1.disable_v2_behavior()``, which cannot be
undone and would break eager tests sharing the process. Only then do the
genuine cells use the graph-seeded v1 initializers (LEGACY_SEMANTICS §0.2).
For every case in ``CASES`` it builds the genuine and the compat graph with
``set_random_seed(GRAPH_SEED)``, runs the initializers and stores the values
as ``<case>|<genuine|compat>|<variable name>`` in ``OUT.npz``.
"""

import os
import sys

from .graph_builder import Case, build, cell, initial_values, multi

GRAPH_SEED = 777

CASES = {
    "basic_rnn": Case(cell("BasicRNNCell", 5)),
    "basic_lstm": Case(cell("BasicLSTMCell", 5)),
    "basic_lstm-float64": Case(cell("BasicLSTMCell", 4), dtype="float64"),
    "lstm-peepholes-proj": Case(
        cell("LSTMCell", 5, use_peepholes=True, num_proj=3)),
    "lstm-initializer": Case(
        cell("LSTMCell", 4, use_peepholes=True, num_proj=2, initializer="uniform")),
    "lstm-sharded": Case(
        cell("LSTMCell", 5, num_proj=3, num_unit_shards=2, num_proj_shards=3)),
    "gru": Case(cell("GRUCell", 5)),
    "gru-initializers": Case(
        cell("GRUCell", 4, kernel_initializer="normal", bias_initializer="constant")),
    "multi-mixed": Case(
        multi(cell("BasicLSTMCell", 4), cell("GRUCell", 3),
              cell("LSTMCell", 3, use_peepholes=True, num_proj=2))),
    "bidirectional": Case(
        cell("BasicLSTMCell", 4), driver="bidirectional", sequence_length=(4, 2, 1)),
    "scope_initializer": Case(
        multi(cell("BasicRNNCell", 3), cell("LSTMCell", 4, use_peepholes=True)),
        scope_initializer="uniform"),
}


def main(out_path):
    import numpy as np
    import tensorflow as tf

    tf.compat.v1.disable_v2_behavior()
    import compat.rnn_cell

    modules = {"genuine": tf.compat.v1.nn.rnn_cell, "compat": compat.rnn_cell}
    arrays = {}
    for case_id, case in CASES.items():
        for side, module in modules.items():
            values = initial_values(build(module, case, graph_seed=GRAPH_SEED))
            for name, value in values.items():
                arrays[f"{case_id}|{side}|{name}"] = value
    np.savez(out_path, **arrays)


if __name__ == "__main__":
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    main(sys.argv[1])
