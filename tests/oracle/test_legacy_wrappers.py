"""compat's cell wrappers against the genuine TF1 ones: names, masks, outputs, gradients.

``DropoutWrapper``, ``ResidualWrapper`` and ``DeviceWrapper`` of
``tf.compat.v1.nn.rnn_cell`` (tf-keras's legacy cells, or TF 2.15's) and of
``compat.rnn_cell`` wrap the same cells in two graphs with the same seeds;
variables are loaded with the same values. Outputs, final states and the
gradients of ``sum(outputs ** 2)`` with respect to the inputs and every
variable must agree within 1e-6 (float32) or 1e-12 (float64): with dropout
that holds only if both draw the same masks, so the seed derivation and the
state filter are checked by the numbers. The dynamic drivers run one
iteration at a time (``parallel_iterations=1``): with TF's default of 32 a
seeded dropout inside ``dynamic_rnn`` draws its per-step masks in whatever
order the iterations happen to run, for the genuine wrapper as for compat's
(TF1 did the same).
"""

import numpy as np
import pytest

from .graph_builder import Case, build, cell, multi, random_inputs, run, wrap
from .test_legacy_cells import compare

pytestmark = [
    pytest.mark.filterwarnings("ignore:.*is deprecated:UserWarning"),
    pytest.mark.filterwarnings("ignore:The initializer .* is unseeded:UserWarning"),
]

LSTM, GRU = cell("BasicLSTMCell", 4), cell("GRUCell", 3)

# Every constructor option at least once; probabilities well below 1 so that
# a wrong mask cannot hide.
WRAPPED = {
    "dropout-input": wrap("DropoutWrapper", LSTM, input_keep_prob=0.5, seed=7),
    "dropout-output": wrap("DropoutWrapper", GRU, output_keep_prob=0.6, seed=11),
    "dropout-state-lstm": wrap("DropoutWrapper", LSTM, state_keep_prob=0.5, seed=3),
    "dropout-state-not_tuple": wrap(
        "DropoutWrapper", cell("BasicLSTMCell", 3, state_is_tuple=False), state_keep_prob=0.5, seed=3),
    "dropout-all": wrap(
        "DropoutWrapper", cell("LSTMCell", 4, num_proj=2), input_keep_prob=0.7,
        output_keep_prob=0.6, state_keep_prob=0.5, seed=5),
    "dropout-filter-everything": wrap(
        "DropoutWrapper", LSTM, state_keep_prob=0.5, seed=9,
        dropout_state_filter_visitor="everything"),
    "dropout-filter-nothing": wrap(
        "DropoutWrapper", LSTM, state_keep_prob=0.5, seed=9, dropout_state_filter_visitor="nothing"),
    "dropout-multi-state": wrap(
        "DropoutWrapper", multi(LSTM, GRU), state_keep_prob=0.6, output_keep_prob=0.7, seed=13),
    "dropout-variational": wrap(
        "DropoutWrapper", LSTM, input_keep_prob=0.6, output_keep_prob=0.7, state_keep_prob=0.5,
        variational_recurrent=True, input_size=3, dtype="float64", seed=17),
    "dropout-variational-multi": wrap(
        "DropoutWrapper", multi(GRU, LSTM), output_keep_prob=0.5, state_keep_prob=0.5,
        variational_recurrent=True, dtype="float64", seed=19),
    "dropout-unseeded": wrap("DropoutWrapper", GRU, output_keep_prob=1.0),
    "dropout-inside-multi": multi(
        wrap("DropoutWrapper", cell("BasicLSTMCell", 3), output_keep_prob=0.5, seed=1),
        wrap("DropoutWrapper", cell("BasicLSTMCell", 3), output_keep_prob=0.5, seed=2)),
    "residual": wrap("ResidualWrapper", cell("GRUCell", 3)),
    "residual-lstm-in-multi": multi(cell("BasicRNNCell", 3), wrap("ResidualWrapper", cell("LSTMCell", 3))),
    "device": wrap("DeviceWrapper", cell("LSTMCell", 4, use_peepholes=True), device="/cpu:0"),
    "all-three": wrap("DeviceWrapper", wrap("ResidualWrapper", wrap(
        "DropoutWrapper", cell("GRUCell", 3), input_keep_prob=0.8, output_keep_prob=0.8, seed=23)),
        device="/cpu:0"),
}


@pytest.mark.parametrize("driver", ["dynamic", "static"])
@pytest.mark.parametrize("wrapped_id", list(WRAPPED))
def test_every_wrapper_option(genuine, compat_cells, wrapped_id, driver):
    compare(genuine, compat_cells, Case(
        WRAPPED[wrapped_id], driver=driver, dtype="float64", sequence_length=(4, 2, 0),
        graph_seed=1234, gradients=True, parallel_iterations=1))


FLOAT32_WRAPPED = {
    "dropout-all": WRAPPED["dropout-all"],
    "dropout-variational": wrap(
        "DropoutWrapper", LSTM, input_keep_prob=0.6, output_keep_prob=0.7, state_keep_prob=0.5,
        variational_recurrent=True, input_size=3, dtype="float32", seed=17),
    "residual": WRAPPED["residual"],
}


@pytest.mark.parametrize("wrapped_id", list(FLOAT32_WRAPPED))
def test_float32_and_bidirectional(genuine, compat_cells, wrapped_id):
    compare(genuine, compat_cells, Case(
        FLOAT32_WRAPPED[wrapped_id], driver="bidirectional", graph_seed=99, gradients=True,
        parallel_iterations=1))


def test_dropout_in_the_compared_graphs_drops_and_depends_on_the_seed(compat_cells):
    """Guards the comparisons above: their dropout changes the numbers, and
    another seed changes them again (so matching numbers mean matching masks)."""
    plain = _initialised_outputs(compat_cells, GRU)
    dropped = _initialised_outputs(compat_cells, WRAPPED["dropout-output"])
    reseeded = _initialised_outputs(
        compat_cells, wrap("DropoutWrapper", GRU, output_keep_prob=0.6, seed=12))
    assert not np.allclose(plain, dropped)
    assert not np.allclose(dropped, reseeded)
    zeros = dropped == 0
    assert zeros.any()
    np.testing.assert_allclose(dropped[~zeros], plain[~zeros] / 0.6, rtol=1e-6)


def _initialised_outputs(module, spec):
    """Outputs with every variable at 0.1, so that wrapped and plain cells compare."""
    case = Case(spec, dtype="float64", graph_seed=1234)
    built = build(module, case)
    values = {variable.name: np.full(variable.shape.as_list(), 0.1) for variable in built.variables}
    return run(built, random_inputs(case, 0), values)["outputs"]
