"""Keras 2's input arguments on layers -> ``keras.Input`` first in the model.

Keras 2 let the first layer of a ``Sequential`` declare the model's input:
``batch_input_shape=B`` (batch included), ``input_shape=S`` with an optional
``batch_size=n`` (``(n,) + S``), on recurrent layers ``input_length=L`` and
``input_dim=D`` (``(L, D)``, either may be None), on ``Embedding``
``input_length=L`` (``(L,)``; its ``input_dim`` is the vocabulary size), on
any other layer ``input_dim=D`` (``(D,)``). ``batch_input_shape`` wins over
``input_shape``, which wins over the others, as in Keras 2. On any later
layer, and on a cell inside ``RNN`` (measured on Keras 2.15: the model stays
unbuilt until it sees data), Keras 2 ignored them.

Keras 3 rejects all of these except ``input_shape`` on a layer (a warning).
So each is removed, and when the layer (or the ``RNN`` wrapping the cell) is
the first of a ``Sequential`` the same input goes first into the model::

    model.add(SimpleRNN(3, input_length=2, input_dim=10))
        -> model.add(keras.Input(shape=(2, 10)))
           model.add(SimpleRNN(3))
    Sequential([Embedding(12, 10, input_length=5), ...])
        -> Sequential([keras.Input(shape=(5,)), Embedding(12, 10), ...])

The model then has the same shapes as under Keras 2. Where the layer's place
is not visible (built in a function, added through a variable), the arguments
are removed and the ``keras.Input`` to add is reported.
"""

import dataclasses

import libcst

from labs.migrate.keras_context import keyword, without
from labs.migrate.program import Edit
from labs.migrate.report import Finding

INPUT_ARGUMENTS = ("batch_input_shape", "input_shape", "batch_size", "input_dim", "input_length")
RECURRENT = ("SimpleRNN", "LSTM", "GRU", "RNN", "CuDNNLSTM", "CuDNNGRU")
_SEQUENTIAL = (("keras", "Sequential"), ("keras", "models", "Sequential"))
_FIRST = "Keras 2 took the model's input from its first layer; Keras 3 takes a keras.Input"
_LATER = "Keras 2 ignored it on any layer but a model's first"
_CELL = "Keras 2 ignored a cell's input_shape (the RNN reads its input)"


@dataclasses.dataclass
class _Layer:
    call: libcst.Call
    dropped: list  # the Args to remove
    argument: str = None  # "shape" or "batch_shape"; None: no input declared
    value: str = None  # its code


def input_layers(context):
    """Return ``(edits, findings)``: input arguments removed, ``keras.Input`` added."""
    rule = _Rule(context)
    return rule.run()


class _Rule:
    def __init__(self, context):
        self.context = context
        self.program = context.program
        self.layers = {}  # Call -> _Layer
        self.cells = {}  # name bound to a cell with input_shape -> _Layer
        self.edits = []
        self.findings = []
        self.covered = set()
        self.later = set()  # layer calls added after a model's first layer

    def run(self):
        finder = _CallFinder()
        self.program.visit(finder)
        for call in finder.calls:
            layer = self.declared_input(call)
            if layer is not None:
                self.layers[call] = layer
        if not self.layers:
            return [], []
        for assign in finder.assigns:
            layer = self.layers.get(assign.value)
            if layer is not None and self.is_cell(assign.value) and isinstance(assign.targets[0].target, libcst.Name):
                self.cells[assign.targets[0].target.value] = layer
        for block in [self.program.body] + finder.blocks:  # a notebook's cells are one block
            self.block(block)
        for call, layer in self.layers.items():
            if call in self.covered:
                continue
            self.edits.append(Edit(call, without(call, layer.dropped), _CELL if self.is_cell(call) else _LATER))
            if layer.argument is not None and not self.is_cell(call) and call not in self.later:
                reference = self.input_reference(call) or "keras.Input"
                self.findings.append(
                    Finding(
                        self.program.location(call),
                        f"`{_head(self.program, call)}` declared the model's input, which Keras 2 used "
                        "only on a Sequential's first layer; where this layer goes is not visible here",
                        f"if it is the first layer of a Sequential, add `{reference}({layer.argument}="
                        f"{layer.value})` before it",
                        blocking=False,
                    )
                )
        return self.edits, self.findings

    def keras_layer(self, call):
        name = self.context.keras_name(call.func)
        if name is None or len(name) != 3 or name[1] != "layers":
            return None
        return name[2]

    def is_cell(self, call):
        name = self.keras_layer(call)
        return name is not None and name.endswith("Cell")

    def declared_input(self, call):
        name = self.keras_layer(call)
        if name is None:
            return None
        given = {arg.keyword.value: arg for arg in call.args if arg.keyword is not None}
        if name == "Embedding":
            given.pop("input_dim", None)
        present = [given[key] for key in INPUT_ARGUMENTS if key in given]
        if not present:
            return None
        if name.endswith("Cell"):
            shape = given.get("input_shape")
            if shape is None:
                return None
            return _Layer(call, [shape], "shape", self.program.code(shape.value))
        if list(given) == ["input_shape"] or set(given) & set(INPUT_ARGUMENTS) == {"input_shape"}:
            return None  # Keras 3 still takes input_shape on a layer
        code = self.program.code
        batch = given.get("batch_size")
        if "batch_input_shape" in given:
            return _Layer(call, present, "batch_shape", code(given["batch_input_shape"].value))
        if "input_shape" in given:
            shape = given["input_shape"].value
        elif name in RECURRENT and ("input_length" in given or "input_dim" in given):
            length, dim = (code(given[k].value) if k in given else "None" for k in ("input_length", "input_dim"))
            shape = f"({length}, {dim})"
        elif name == "Embedding" and "input_length" in given:
            shape = f"({code(given['input_length'].value)},)"
        elif "input_dim" in given:
            shape = f"({code(given['input_dim'].value)},)"
        else:
            return _Layer(call, present)  # a lone batch_size or input_length declared nothing
        if batch is None:
            return _Layer(call, present, "shape", shape if isinstance(shape, str) else code(shape))
        if isinstance(shape, (libcst.Tuple, libcst.List)):
            elements = ", ".join(code(element.value) for element in shape.elements)
        else:
            elements = "*" + (shape if isinstance(shape, str) else code(shape))
        if isinstance(shape, str):
            elements = shape[1:-1].rstrip(",")
        return _Layer(call, present, "batch_shape", f"({code(batch.value)}, {elements})")

    def input_reference(self, call):
        return self.context.reference(call.func, ("keras",), ("Input",)) or self.context.reference(
            call.func, ("keras", "layers"), ("Input",)
        )

    def first_layer(self, call):
        """The input a first layer ``call`` declares: its own, or its cell's; and the calls to tidy."""
        layer = self.layers.get(call)
        if layer is not None and layer.argument is not None:
            return layer
        if self.keras_layer(call) in ("RNN",):
            cell = keyword(call, "cell") or (call.args[0] if call.args and call.args[0].keyword is None else None)
            if cell is not None:
                if isinstance(cell.value, libcst.Name) and cell.value.value in self.cells:
                    return self.cells[cell.value.value]
                if cell.value in self.layers:
                    return self.layers[cell.value]
        return layer

    def block(self, statements):
        fresh = {}  # receiver code -> True until its first add
        for statement in statements:
            if not isinstance(statement, libcst.SimpleStatementLine) or len(statement.body) != 1:
                continue
            small = statement.body[0]
            if isinstance(small, libcst.Assign) and len(small.targets) == 1 and isinstance(small.value, libcst.Call):
                receiver = self.program.code(small.targets[0].target)
                fresh.pop(receiver, None)
                if self.context.keras_name(small.value.func) in _SEQUENTIAL:
                    self.sequential_list(small.value)
                    if not small.value.args:
                        fresh[receiver] = True
                continue
            if not (isinstance(small, libcst.Expr) and isinstance(small.value, libcst.Call)):
                continue
            call = small.value
            if not (isinstance(call.func, libcst.Attribute) and call.func.attr.value == "add" and call.args):
                continue
            receiver = self.program.code(call.func.value)
            if receiver not in fresh:
                continue
            layer_call = call.args[0].value
            if not fresh[receiver]:
                self.later.add(layer_call)
                continue
            fresh[receiver] = False
            if isinstance(layer_call, libcst.Call):
                self.first_add(statement, call, layer_call, receiver)

    def sequential_list(self, sequential):
        if not sequential.args or not isinstance(sequential.args[0].value, libcst.List):
            return
        elements = sequential.args[0].value.elements
        for element in elements[1:]:
            if element.value in self.layers:
                self.later.add(element.value)
        first = elements[0].value if elements else None
        if not isinstance(first, libcst.Call):
            return
        layer = self.first_layer(first)
        if layer is None or layer.argument is None:
            return
        reference = self.input_reference(first)
        if reference is None:
            return
        new_first = self.tidy(first)
        listed = sequential.args[0].value
        comma = elements[0].comma
        if not isinstance(comma, libcst.Comma):
            comma = libcst.Comma(whitespace_after=libcst.SimpleWhitespace(" "))
        entry = libcst.Element(
            value=libcst.parse_expression(f"{reference}({layer.argument}={layer.value})"), comma=comma
        )
        later = [element.with_changes(value=self.tidy(element.value)) for element in elements[1:]]
        new_list = listed.with_changes(elements=[entry, elements[0].with_changes(value=new_first), *later])
        self.edits.append(Edit(listed, new_list, _FIRST))
        self.cover(listed)

    def first_add(self, statement, add_call, layer_call, receiver):
        layer = self.first_layer(layer_call)
        if layer is None or layer.argument is None:
            return
        reference = self.input_reference(layer_call)
        if reference is None:
            return
        new_input = libcst.parse_statement(f"{receiver}.add({reference}({layer.argument}={layer.value}))\n")
        new_input = new_input.with_changes(leading_lines=statement.leading_lines)
        tidied = statement.visit(_Tidy(self))
        tidied = tidied.with_changes(leading_lines=[])
        self.edits.append(Edit(statement, libcst.FlattenSentinel([new_input, tidied]), _FIRST))
        self.cover(statement)

    def tidy(self, node):
        return node.visit(_Tidy(self))

    def cover(self, node):
        finder = _CallFinder()
        node.visit(finder)
        self.covered.update(finder.calls)


class _Tidy(libcst.CSTTransformer):
    """Removes the input arguments of every layer call it meets."""

    def __init__(self, rule):
        super().__init__()
        self.rule = rule

    def leave_Call(self, original, updated):
        layer = self.rule.layers.get(original)
        if layer is None:
            return updated
        dropped = [arg for arg, old in zip(updated.args, original.args) if old in layer.dropped]
        return without(updated, dropped)


class _CallFinder(libcst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.calls = []
        self.assigns = []
        self.blocks = []

    def visit_IndentedBlock(self, node):
        self.blocks.append(node.body)

    def visit_Call(self, node):
        self.calls.append(node)

    def visit_Assign(self, node):
        if len(node.targets) == 1 and isinstance(node.value, libcst.Call):
            self.assigns.append(node)


def _head(program, call):
    return " ".join(program.code(call).split())[:80]
