"""compat's cells against the genuine TF1 cells: variable scoping and reuse.

Each scenario (LEGACY_SEMANTICS §1.7 and its neighbours) runs in a fresh graph
once with the genuine ``rnn_cell`` module and once with ``compat.rnn_cell``;
the outcome is either the list of created variables or the error raised, and
the two outcomes must be identical.
"""

import dataclasses

import pytest
import tensorflow as tf

from .graph_builder import cell, multi

pytestmark = pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning")

v1 = tf.compat.v1

BATCH, TIME, DEPTH = 2, 4, 3

# Units equal the input depth so that one cell object may serve two layers.
CELLS = {
    "basic_rnn": cell("BasicRNNCell", DEPTH),
    "basic_lstm": cell("BasicLSTMCell", DEPTH),
    "lstm": cell("LSTMCell", DEPTH, use_peepholes=True, num_proj=DEPTH),
    "gru": cell("GRUCell", DEPTH),
    "multi": multi(cell("BasicLSTMCell", DEPTH), cell("GRUCell", DEPTH)),
}
SINGLE_CELLS = [cell_id for cell_id in CELLS if cell_id != "multi"]


def _with_options(spec, **options):
    merged = dict(spec.options, **options)
    return dataclasses.replace(spec, options=tuple(sorted(merged.items())))


def _inputs():
    return v1.placeholder(tf.float32, [BATCH, TIME, DEPTH], name="inputs")


def _step(rnn_cell, inputs, **kwargs):
    """Calls the cell directly on the first time step."""
    return rnn_cell(inputs[:, 0], rnn_cell.zero_state(BATCH, tf.float32), **kwargs)


def _dynamic(rnn_cell, inputs, **kwargs):
    return v1.nn.dynamic_rnn(rnn_cell, inputs, dtype=tf.float32, **kwargs)


# -- scenarios: (module, spec) -> None; they build into the default graph ----

def same_object_under_two_dynamic_rnn_scopes(module, spec):
    inputs, rnn_cell = _inputs(), spec.make(module)
    _dynamic(rnn_cell, inputs, scope="enc")
    _dynamic(rnn_cell, inputs, scope="dec")


def same_object_called_directly_in_two_scopes(module, spec):
    inputs, rnn_cell = _inputs(), spec.make(module)
    with v1.variable_scope("first"):
        _step(rnn_cell, inputs)
    with v1.variable_scope("second"):
        _step(rnn_cell, inputs)


def two_new_cells_called_directly_in_one_scope(module, spec):
    inputs = _inputs()
    with v1.variable_scope("shared"):
        _step(spec.make(module), inputs)
        _step(spec.make(module), inputs)


def cell_then_stack_then_cell_in_one_scope(module, spec):
    """A MultiRNNCell between two new cells: the genuine stack re-enters the
    enclosing scope, which must not disturb its siblings' numbering."""
    inputs = _inputs()
    with v1.variable_scope("shared"):
        _step(spec.make(module), inputs)
        _step(multi(cell("GRUCell", DEPTH)).make(module), inputs)
        _step(spec.make(module), inputs)


def two_new_named_cells_in_one_scope(module, spec):
    inputs = _inputs()
    named = _with_options(spec, name="twin")
    with v1.variable_scope("shared"):
        _step(named.make(module), inputs)
        _step(named.make(module), inputs)


def two_new_cells_under_the_default_dynamic_rnn_scope(module, spec):
    inputs = _inputs()
    _dynamic(spec.make(module), inputs)
    _dynamic(spec.make(module), inputs)


def new_cell_under_reuse_true_shares(module, spec):
    inputs = _inputs()
    with v1.variable_scope("model"):
        _dynamic(spec.make(module), inputs)
    with v1.variable_scope("model", reuse=True):
        _dynamic(spec.make(module), inputs)


def new_cells_under_auto_reuse_share(module, spec):
    inputs = _inputs()
    with v1.variable_scope("model", reuse=v1.AUTO_REUSE):
        _dynamic(spec.make(module), inputs)
        _dynamic(spec.make(module), inputs)


def reuse_true_without_variables(module, spec):
    inputs = _inputs()
    with v1.variable_scope("model", reuse=True):
        _dynamic(spec.make(module), inputs)


def explicit_scope_argument_then_none(module, spec):
    inputs, rnn_cell = _inputs(), spec.make(module)
    _step(rnn_cell, inputs, scope="custom")
    _step(rnn_cell, inputs)


def reuse_constructor_argument_shares(module, spec):
    inputs = _inputs()
    _dynamic(spec.make(module), inputs, scope="model")
    _dynamic(_with_options(spec, reuse=True).make(module), inputs, scope="model")


def same_object_twice_in_multi_rnn_cell(module, spec):
    rnn_cell = spec.make(module)
    _dynamic(module.MultiRNNCell([rnn_cell, rnn_cell]), _inputs())


def same_object_twice_in_multi_rnn_cell_with_other_depth(module, spec):
    """Lab 12-0's ``MultiRNNCell([cell] * 3)`` with input depth != num_units."""
    rnn_cell = spec.make(module)
    inputs = v1.placeholder(tf.float32, [BATCH, TIME, DEPTH + 2])
    _dynamic(module.MultiRNNCell([rnn_cell, rnn_cell]), inputs)


SCENARIOS = [
    (same_object_under_two_dynamic_rnn_scopes, list(CELLS)),
    (same_object_called_directly_in_two_scopes, list(CELLS)),
    (two_new_cells_called_directly_in_one_scope, list(CELLS)),
    (cell_then_stack_then_cell_in_one_scope, list(CELLS)),
    (two_new_named_cells_in_one_scope, SINGLE_CELLS),
    (two_new_cells_under_the_default_dynamic_rnn_scope, list(CELLS)),
    (new_cell_under_reuse_true_shares, list(CELLS)),
    (new_cells_under_auto_reuse_share, list(CELLS)),
    (reuse_true_without_variables, list(CELLS)),
    (explicit_scope_argument_then_none, list(CELLS)),
    (reuse_constructor_argument_shares, SINGLE_CELLS),
    (same_object_twice_in_multi_rnn_cell, SINGLE_CELLS),
]


def outcome(scenario, module, spec):
    """``("variables", [(name, shape)])`` or ``("raises", type, message)``."""
    graph = tf.Graph()
    with graph.as_default():
        try:
            scenario(module, spec)
        except Exception as error:  # noqa: BLE001 - the error is the outcome
            return ("raises", type(error).__name__, _message(error))
        return ("variables", [
            (v.name, tuple(v.shape.as_list()))
            for v in graph.get_collection(v1.GraphKeys.GLOBAL_VARIABLES)
        ])


def _message(error):
    # get_variable appends the traceback of the first definition, which
    # differs between any two callers.
    return str(error).split("Originally defined at:")[0].strip()


@pytest.mark.parametrize(
    "scenario, cell_id",
    [
        pytest.param(scenario, cell_id, id=f"{scenario.__name__}-{cell_id}")
        for scenario, cell_ids in SCENARIOS
        for cell_id in cell_ids
    ],
)
def test_scenario_gives_identical_variables_or_error(
        genuine, compat_cells, scenario, cell_id):
    expected = outcome(scenario, genuine, CELLS[cell_id])
    assert outcome(scenario, compat_cells, CELLS[cell_id]) == expected


@pytest.mark.parametrize("cell_id", SINGLE_CELLS)
def test_shared_cell_with_mismatched_depth_fails_alike(genuine, compat_cells, cell_id):
    """Both refuse; compat explains with its own message, so only the type is
    compared."""
    scenario = same_object_twice_in_multi_rnn_cell_with_other_depth
    expected = outcome(scenario, genuine, CELLS[cell_id])
    actual = outcome(scenario, compat_cells, CELLS[cell_id])
    assert expected[0] == "raises", expected
    assert actual[:2] == expected[:2]
