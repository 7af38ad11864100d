"""``MultiRNNCell([cell] * n)``: one cell object repeated for every layer.

Scripts written for TF 1.0 built stacks this way, and TF 1.0 gave each layer
its own weights anyway. From TF 1.1 on, as in every TF 2 and in compat, a
cell object owns one set of weights: the layers share it, and the graph fails
to build as soon as layer 0's input depth differs from the cell's width
(later layers see the cell's output instead). Where the repeated cell's
constructor is visible and can be evaluated again with the same meaning, the
list becomes one fresh cell per layer, which is what the author ran::

    cell = rnn.BasicLSTMCell(5)                         (unchanged)
    cell = rnn.MultiRNNCell([cell] * 3)
        -> cell = rnn.MultiRNNCell([rnn.BasicLSTMCell(5) for _ in range(3)])

"Visible" means ``name = Constructor(...)`` earlier in the same scope, on
every path to the use (a notebook's cells count as one scope, in order), with
no rebinding of that name or of any name the constructor reads in between.
"Same meaning" means its arguments are literals, names, dotted names,
operators on those, or nested cell constructors: nothing that could have a
side effect or a different value the second time. Otherwise the stack is
reported. A constructor is a call whose name ends in ``Cell`` or ``Wrapper``.
"""

import libcst

from labs.migrate.names import bound_names, read_names
from labs.migrate.program import Edit
from labs.migrate.report import Finding
from labs.migrate.transform import dotted

_REASON = "one fresh cell per layer, as TF 1.0 built them"
_PLACEHOLDERS = ("_", "_layer", "_layer_index")


def fresh_cells_per_layer(program):
    """Return ``(edits, findings)`` for every MultiRNNCell that repeats one cell."""
    walker = _Walker(program)
    walker.block(program.body, _Known(), in_class=False)
    return walker.edits, walker.findings


def _callee_name(call):
    names = dotted(call.func)
    return names[-1] if names else None


def is_cell_constructor(node):
    if not isinstance(node, libcst.Call):
        return False
    name = _callee_name(node)
    return name is not None and name.endswith(("Cell", "Wrapper"))


def is_repeatable(node):
    """True when evaluating ``node`` again gives an equal, independent value."""
    if isinstance(node, (libcst.Name, libcst.Integer, libcst.Float, libcst.Imaginary, libcst.SimpleString)):
        return True
    if isinstance(node, libcst.Attribute):
        return dotted(node) is not None
    if isinstance(node, libcst.ConcatenatedString):
        return is_repeatable(node.left) and is_repeatable(node.right)
    if isinstance(node, libcst.UnaryOperation):
        return is_repeatable(node.expression)
    if isinstance(node, (libcst.BinaryOperation, libcst.BooleanOperation)):
        return is_repeatable(node.left) and is_repeatable(node.right)
    if isinstance(node, libcst.Comparison):
        return is_repeatable(node.left) and all(is_repeatable(t.comparator) for t in node.comparisons)
    if isinstance(node, (libcst.Tuple, libcst.List)):
        return all(isinstance(e, libcst.Element) and is_repeatable(e.value) for e in node.elements)
    if isinstance(node, libcst.Call):
        return is_cell_constructor(node) and all(
            not arg.star and is_repeatable(arg.value) for arg in node.args
        )
    return False


class _Known:
    """Cell constructors whose names still mean them at the current statement."""

    def __init__(self, constructors=None):
        self.constructors = dict(constructors or {})

    def copy(self):
        return _Known(self.constructors)

    def forget(self, names):
        if "*" in names:
            self.constructors.clear()
        self.constructors = {
            name: call
            for name, call in self.constructors.items()
            if name not in names and not (read_names(call) & names)
        }


class _Walker:
    def __init__(self, program):
        self.program = program
        self.edits = []
        self.findings = []

    def block(self, statements, known, in_class):
        for statement in statements:
            self.statement(statement, known, in_class)

    def statement(self, node, known, in_class):
        if isinstance(node, libcst.SimpleStatementLine):
            for small in node.body:
                self.inspect(small, known, in_class)
                self.bind(small, known)
        elif isinstance(node, (libcst.FunctionDef, libcst.ClassDef)):
            for decorator in node.decorators:
                self.inspect(decorator, known, in_class)
            if isinstance(node, libcst.FunctionDef):
                self.inspect(node.params, known, in_class)
            self.block(node.body.body, _Known(), in_class=isinstance(node, libcst.ClassDef))
            known.forget({node.name.value})
        elif isinstance(node, libcst.With):
            for item in node.items:
                self.inspect(item.item, known, in_class)
                known.forget(bound_names(item))
            self.block(node.body.body, known, in_class)
        elif isinstance(node, (libcst.For, libcst.While)):
            self.inspect(node.iter if isinstance(node, libcst.For) else node.test, known, in_class)
            inside = known.copy()
            inside.forget(bound_names(node))
            self.block(node.body.body, inside, in_class)
            if node.orelse is not None:
                self.block(node.orelse.body.body, inside.copy(), in_class)
            known.forget(bound_names(node))
        elif isinstance(node, libcst.If):
            self.inspect(node.test, known, in_class)
            self.block(node.body.body, known.copy(), in_class)
            if node.orelse is not None:
                self.statement_or_block(node.orelse, known.copy(), in_class)
            known.forget(bound_names(node))
        elif isinstance(node, libcst.Try):
            self.block(node.body.body, known.copy(), in_class)
            after_body = known.copy()
            after_body.forget(bound_names(node))
            for handler in node.handlers:
                self.block(handler.body.body, after_body.copy(), in_class)
            for part in (node.orelse, node.finalbody):
                if part is not None:
                    self.block(part.body.body, after_body.copy(), in_class)
            known.forget(bound_names(node))
        else:  # match, try*, async forms: nothing is known inside
            self.inspect(node, _Known(), in_class)
            known.forget(bound_names(node))

    def statement_or_block(self, node, known, in_class):
        if isinstance(node, libcst.If):  # elif
            self.statement(node, known, in_class)
        else:
            self.block(node.body.body, known, in_class)

    def bind(self, small, known):
        known.forget(bound_names(small))
        if (
            isinstance(small, libcst.Assign)
            and len(small.targets) == 1
            and isinstance(small.targets[0].target, libcst.Name)
            and is_cell_constructor(small.value)
            and is_repeatable(small.value)
        ):
            name = small.targets[0].target.value
            if name not in read_names(small.value):
                known.constructors[name] = small.value

    def inspect(self, node, known, in_class):
        finder = _StackFinder()
        node.visit(finder)
        for call, cells in finder.stacks:
            self.stack(call, cells, known, in_class)

    def stack(self, call, cells, known, in_class):
        repeated = _repeated_cell(cells)
        if repeated is None:
            return
        element, layers, replace = repeated
        layers = layers if isinstance(layers, int) else self.program.code(layers)
        if isinstance(element, libcst.Name):
            constructor = known.constructors.get(element.value)
        else:
            constructor = element if is_cell_constructor(element) and is_repeatable(element) else None
        if constructor is not None and not in_class:
            placeholder = next(p for p in _PLACEHOLDERS if p not in read_names(constructor))
            code = self.program.code(constructor)
            if replace is cells:
                new = libcst.parse_expression(f"[{code} for {placeholder} in range({layers})]")
            else:  # the element of `[cell for _ in range(n)]`
                new = libcst.parse_expression(f"({code})").with_changes(lpar=[], rpar=[])
            self.edits.append(Edit(replace, new, _REASON))
            return
        shown = self.program.code(element)
        reason = (
            "inside a class body a comprehension cannot see the class's names"
            if constructor is not None
            else f"no visible, repeatable `{shown} = ...Cell(...)` before it in this scope"
        )
        self.findings.append(
            Finding(
                self.program.location(call),
                f"MultiRNNCell repeats one cell object `{shown}` for all {layers} layers; TF 1.0 "
                "gave each layer its own weights, TF 1.1+ and TF 2 share them and fail when the "
                f"input depth differs from the cell size ({reason})",
                f"build one cell per layer: `MultiRNNCell([<cell constructor> for _ in range({layers})])`",
                blocking=True,
            )
        )


def _repeated_cell(cells):
    """Match ``[x] * n``, ``n * [x]``, ``[x, x, ...]``, ``[x for _ in range(n)]``.

    Returns ``(x, layers, node to replace)``, where ``layers`` is the
    expression counting the layers (an int for a literal list), or None.
    """
    if isinstance(cells, libcst.BinaryOperation) and isinstance(cells.operator, libcst.Multiply):
        for single, count in ((cells.left, cells.right), (cells.right, cells.left)):
            if (
                isinstance(single, (libcst.List, libcst.Tuple))
                and len(single.elements) == 1
                and isinstance(single.elements[0], libcst.Element)
            ):
                return single.elements[0].value, count, cells
        return None
    if isinstance(cells, (libcst.List, libcst.Tuple)) and len(cells.elements) >= 2:
        values = [e.value for e in cells.elements if isinstance(e, libcst.Element)]
        if len(values) == len(cells.elements) and all(isinstance(v, libcst.Name) for v in values):
            if len({v.value for v in values}) == 1:
                return values[0], len(values), cells
        return None
    # A comprehension evaluates its element per layer: only a bare name repeats.
    if isinstance(cells, (libcst.ListComp, libcst.GeneratorExp)) and cells.for_in.inner_for_in is None:
        loop = cells.for_in
        if (
            isinstance(cells.elt, libcst.Name)
            and isinstance(loop.iter, libcst.Call)
            and dotted(loop.iter.func) == ("range",)
            and len(loop.iter.args) == 1
            and not loop.ifs
            and cells.elt.value not in bound_names(loop.target)
        ):
            return cells.elt, loop.iter.args[0].value, cells.elt
    return None


class _StackFinder(libcst.CSTVisitor):
    """Every ``...MultiRNNCell(cells, ...)`` call, with its cells argument."""

    def __init__(self):
        super().__init__()
        self.stacks = []

    def visit_Call(self, node):
        if _callee_name(node) != "MultiRNNCell":
            return
        for index, arg in enumerate(node.args):
            if (arg.keyword is None and index == 0 and not arg.star) or (
                arg.keyword is not None and arg.keyword.value == "cells"
            ):
                self.stacks.append((node, arg.value))
                return
