"""Checkpoints move between genuine-cell and compat-cell graphs by name.

A graph of genuine cells is initialised (its own random values), saved with a
default ``tf.compat.v1.train.Saver``, and restored by a default ``Saver`` into
the compat graph built from the same case: no mapping table. Both graphs must
then give the same outputs and final states. The other direction is checked
too.
"""

import pytest
import tensorflow as tf

from .graph_builder import (
    Case,
    assert_results_close,
    build,
    cell,
    multi,
    random_inputs,
)

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning"),
    pytest.mark.filterwarnings("ignore:The initializer .* is unseeded:UserWarning"),
]

v1 = tf.compat.v1

CASES = {
    "multi-mixed-bidirectional": Case(
        multi(cell("BasicLSTMCell", 4), cell("GRUCell", 3), cell("BasicRNNCell", 2)),
        driver="bidirectional", sequence_length=(4, 2, 0),
    ),
    "lstm-everything-dynamic-float64": Case(
        cell("LSTMCell", 5, use_peepholes=True, cell_clip=0.8, num_proj=3,
             proj_clip=0.5, forget_bias=0.5),
        dtype="float64", sequence_length=(3, 4, 1),
    ),
    "multi-not_tuple-static": Case(
        multi(cell("GRUCell", 3), cell("BasicLSTMCell", 4, state_is_tuple=False),
              state_is_tuple=False),
        driver="static", sequence_length=(1, 4, 2),
    ),
    "lstm-sharded-float64": Case(
        cell("LSTMCell", 4, num_proj=3, num_unit_shards=2, num_proj_shards=2),
        dtype="float64",
    ),
    "basic_lstm-named-static_bidirectional": Case(
        cell("BasicLSTMCell", 3, name="lab_lstm"), driver="static_bidirectional",
    ),
}


def _save(built, path):
    with built.graph.as_default(), v1.Session() as session:
        session.run(v1.variables_initializer(built.variables))
        v1.train.Saver().save(session, path)


def _restore_and_run(built, path, inputs):
    with built.graph.as_default(), v1.Session() as session:
        v1.train.Saver().restore(session, path)
        return session.run(built.fetches, {built.inputs: inputs})


@pytest.mark.parametrize("direction", ["genuine_to_compat", "compat_to_genuine"])
@pytest.mark.parametrize("case_id", list(CASES))
def test_checkpoint_restores_by_name(genuine, compat_cells, tmp_path, case_id, direction):
    case = CASES[case_id]
    writer_module, reader_module = (genuine, compat_cells)
    if direction == "compat_to_genuine":
        writer_module, reader_module = reader_module, writer_module
    writer, reader = build(writer_module, case), build(reader_module, case)
    path = str(tmp_path / "model.ckpt")
    _save(writer, path)
    # The reader's own checkpoint has the same keys (partitioned variables are
    # stored whole) and shapes: nothing is left uninitialised or unused.
    _save(reader, str(tmp_path / "reader.ckpt"))
    assert tf.train.list_variables(str(tmp_path / "reader.ckpt")) == tf.train.list_variables(path)

    inputs = random_inputs(case, seed=1)
    assert_results_close(
        _restore_and_run(writer, path, inputs),
        _restore_and_run(reader, path, inputs),
        case.dtype,
    )
