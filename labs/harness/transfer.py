"""Weight transfer plans: which TF1 variable scope of each lab's v1 graph feeds
which layer of its v2 model (`compat.weights.TransferPlan`).

    plan("12-4").to_keras(read_tf1_variables(session), model)   # v1 -> v2
    write_tf1_variables(session, plan("12-4").to_tf1(model))     # v2 -> v1

Every trainable TF1 variable is consumed by exactly one link; Adam's slots
and beta powers are ignored on purpose (the optimizers start fresh in both
forms). The mappings themselves (gate order, forget bias, split kernels) are
`compat.weights`'.

Lab 12-3 creates its softmax layer with bare `get_variable("softmax_w")` and
`get_variable("softmax_b")` instead of a `fully_connected` scope; its plan
presents them under the names a "dense" link reads (`softmax/weights`,
`softmax/biases`); lab 12-7's bare `get_variable("embedding")` likewise
under the name an "embedding" link reads (`embedding/embeddings`).
"""

from compat.weights import Link, TransferPlan

# TF1 AdamOptimizer state: slots "<var>/Adam", "<var>/Adam_1", "beta1_power"...
OPTIMIZER_STATE = (r"/Adam(_1)?$", r"^beta[12]_power$")


class RenamedPlan:
    """A `TransferPlan` over variables that live under other TF1 names.

    Args:
      plan: the `TransferPlan`, written with the names its links read.
      tf1_names: {name the plan reads: the variable's real TF1 name}.
    """

    def __init__(self, plan, tf1_names):
        self.plan = plan
        self.tf1_names = dict(tf1_names)

    def to_keras(self, variables, model):
        real_to_plan = {real: name for name, real in self.tf1_names.items()}
        self.plan.to_keras(
            {real_to_plan.get(name, name): value
             for name, value in variables.items()}, model)

    def to_tf1(self, model):
        return {self.tf1_names.get(name, name): value
                for name, value in self.plan.to_tf1(model).items()}


def _plan(*links):
    return TransferPlan(links, ignore=OPTIMIZER_STATE)


def _one_lstm_and_dense():
    return _plan(Link("rnn/basic_lstm_cell", "lstm", kind="basic_lstm"),
                 Link("fully_connected", "dense", kind="dense"))


def _softmax_only():
    return RenamedPlan(
        _plan(Link("softmax", "softmax", kind="dense")),
        {"softmax/weights": "softmax_w", "softmax/biases": "softmax_b"})


def _two_stacked_lstms_and_dense():
    return _plan(
        Link("rnn/multi_rnn_cell/cell_0/basic_lstm_cell", "lstm_0",
             kind="basic_lstm"),
        Link("rnn/multi_rnn_cell/cell_1/basic_lstm_cell", "lstm_1",
             kind="basic_lstm"),
        Link("fully_connected", "dense", kind="dense"))


def _embedding_simple_rnn_and_dense():
    return RenamedPlan(
        _plan(Link("embedding", "embedding", kind="embedding"),
              Link("rnn/basic_rnn_cell", "simple_rnn", kind="basic_rnn"),
              Link("fully_connected", "dense", kind="dense")),
        {"embedding/embeddings": "embedding"})


def _encoder_decoder_and_dense():
    return _plan(
        Link("encoder/rnn/basic_lstm_cell", "encoder", kind="basic_lstm"),
        Link("decoder/rnn/basic_lstm_cell", "decoder", kind="basic_lstm"),
        Link("fully_connected", "dense", kind="dense"))


_PLANS = {
    "12-1": _one_lstm_and_dense,
    "12-1y": _one_lstm_and_dense,
    "12-2": _one_lstm_and_dense,
    "12-3": _softmax_only,
    "12-4": _two_stacked_lstms_and_dense,
    "12-5": _one_lstm_and_dense,
    "12-7": _embedding_simple_rnn_and_dense,
    "12-8": _encoder_decoder_and_dense,
}


def plan(lab_id):
    """The transfer plan of a training lab."""
    try:
        return _PLANS[lab_id]()
    except KeyError:
        raise ValueError(f"lab_id must be one of {sorted(_PLANS)}, got "
                         f"{lab_id!r}.") from None
