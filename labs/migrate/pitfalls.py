"""Legacy habits that still parse, reported with the fix to make by hand.

* ``list(set(text))`` vocabularies: a set's order follows string hashes,
  which change with PYTHONHASHSEED, so indices, losses and predictions differ
  from run to run. Fix: ``sorted(set(text))``. Advice: the script runs.
* ``x is 0``: identity with a literal (Python 2 habit; SyntaxWarning, and
  true only by accident of interning). Fix: ``x == 0``. Advice.
* Python 2 builtins (``xrange``, ``raw_input``, ...) that the file does not
  define, and Python 2 dict methods (``iteritems``, ``has_key``, ...): a
  NameError or AttributeError when reached. Not converted.

* ``print >>f, x``: still parses (a shift inside a tuple) but is the Python 2
  print statement, a TypeError when run. Not converted.

The Python 2 ``print x`` statement is a syntax error; ``source.parse`` names it.
"""

import libcst

from labs.migrate.names import bound_names
from labs.migrate.report import Finding

PYTHON2_BUILTINS = {
    "xrange": "range",
    "raw_input": "input",
    "unicode": "str",
    "basestring": "str",
    "long": "int",
    "unichr": "chr",
    "reduce": "functools.reduce (from functools import reduce)",
    "execfile": "exec(open(path).read())",
    "cmp": "(a > b) - (a < b)",
    "file": "open",
}

PYTHON2_METHODS = {
    "iteritems": "items()",
    "iterkeys": "keys()",
    "itervalues": "values()",
    "has_key": "`key in mapping`",
}

_LITERALS = (
    libcst.Integer,
    libcst.Float,
    libcst.Imaginary,
    libcst.SimpleString,
    libcst.ConcatenatedString,
    libcst.FormattedString,
)


def legacy_habits(program):
    """Return the findings for ``program``; these rules never edit."""
    defined = set()
    for module in program.modules:
        defined |= bound_names(module)
    finder = _Finder(program, defined)
    program.visit(finder)
    return finder.findings


class _Finder(libcst.CSTVisitor):
    def __init__(self, program, defined):
        super().__init__()
        self.program = program
        self.defined = defined
        self.findings = []
        self._sorted_arguments = set()

    def _add(self, node, message, suggestion, blocking):
        self.findings.append(Finding(self.program.location(node), message, suggestion, blocking))

    def visit_Call(self, node):
        func = node.func
        if isinstance(func, libcst.Name) and func.value == "sorted" and node.args:
            self._sorted_arguments.add(node.args[0].value)
        if (
            isinstance(func, libcst.Name)
            and func.value in ("list", "tuple")
            and len(node.args) == 1
            and node not in self._sorted_arguments
        ):
            inner = node.args[0].value
            if (
                isinstance(inner, libcst.Call)
                and isinstance(inner.func, libcst.Name)
                and inner.func.value == "set"
                and len(inner.args) == 1
                and not inner.args[0].star
            ):
                argument = self.program.code(inner.args[0].value)
                self._add(
                    node,
                    f"`{self.program.code(node)}` orders items by string hash, which changes "
                    "with PYTHONHASHSEED: indices, losses and predictions differ from run to run",
                    f"`sorted(set({argument}))`",
                    blocking=False,
                )
        if isinstance(func, libcst.Attribute) and func.attr.value in PYTHON2_METHODS:
            self._add(
                node,
                f"`.{func.attr.value}()` is a Python 2 dict method (AttributeError in Python 3)",
                f"`.{PYTHON2_METHODS[func.attr.value]}`"
                if func.attr.value != "has_key"
                else PYTHON2_METHODS["has_key"],
                blocking=True,
            )

    def visit_BinaryOperation(self, node):
        if (
            isinstance(node.operator, libcst.RightShift)
            and isinstance(node.left, libcst.Name)
            and node.left.value == "print"
        ):
            self._add(
                node,
                "`print >>file, ...` is the Python 2 print statement (a TypeError in Python 3)",
                f"`print(..., file={self.program.code(node.right)})`",
                blocking=True,
            )

    def visit_Comparison(self, node):
        left = node.left
        for target in node.comparisons:
            operator = target.operator
            if isinstance(operator, (libcst.Is, libcst.IsNot)) and (
                isinstance(left, _LITERALS) or isinstance(target.comparator, _LITERALS)
            ):
                replacement = "==" if isinstance(operator, libcst.Is) else "!="
                spelled = "is" if isinstance(operator, libcst.Is) else "is not"
                self._add(
                    node,
                    f"`{self.program.code(node)}` compares identity with a literal "
                    "(a SyntaxWarning; true or false by accident of interning)",
                    f"`{self.program.code(left)} {replacement} "
                    f"{self.program.code(target.comparator)}` instead of `{spelled}`",
                    blocking=False,
                )
            left = target.comparator

    def visit_Attribute(self, node):
        node.value.visit(self)
        return False

    def visit_Arg(self, node):
        node.value.visit(self)
        return False

    def visit_Name(self, node):
        if node.value in PYTHON2_BUILTINS and node.value not in self.defined:
            self._add(
                node,
                f"`{node.value}` is a Python 2 builtin (NameError in Python 3)",
                f"`{PYTHON2_BUILTINS[node.value]}`",
                blocking=True,
            )
