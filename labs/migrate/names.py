"""Which names a piece of code binds, and which it reads.

Both are over-approximations on purpose: the rules that use them only rewrite
code when nothing could have changed what a name means, so counting a name
bound in a nested function as bound errs on the safe side.
"""

import libcst


def bound_names(node):
    """Every name ``node`` assigns, imports, defines, deletes or declares global."""
    binder = _Binder()
    node.visit(binder)
    return binder.names


def read_names(node):
    """Every plain name ``node`` mentions, other than attribute and keyword names."""
    reader = _Reader()
    node.visit(reader)
    return reader.names


class _Reader(libcst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.names = set()

    def visit_Name(self, node):
        self.names.add(node.value)

    def visit_Attribute(self, node):
        node.value.visit(self)
        return False

    def visit_Arg(self, node):
        node.value.visit(self)
        return False


class _Binder(libcst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.names = set()

    def _target(self, target):
        if isinstance(target, libcst.Name):
            self.names.add(target.value)
        elif isinstance(target, (libcst.Tuple, libcst.List)):
            for element in target.elements:
                self._target(element.value)
        elif isinstance(target, libcst.StarredElement):
            self._target(target.value)

    def visit_AssignTarget(self, node):
        self._target(node.target)

    def visit_AnnAssign(self, node):
        self._target(node.target)

    def visit_AugAssign(self, node):
        self._target(node.target)

    def visit_For(self, node):
        self._target(node.target)

    def visit_CompFor(self, node):
        self._target(node.target)

    def visit_WithItem(self, node):
        if node.asname is not None:
            self._target(node.asname.name)

    def visit_ExceptHandler(self, node):
        if node.name is not None:
            self._target(node.name.name)

    def visit_NamedExpr(self, node):
        self._target(node.target)

    def visit_Del(self, node):
        self._target(node.target)

    def visit_FunctionDef(self, node):
        self.names.add(node.name.value)

    def visit_ClassDef(self, node):
        self.names.add(node.name.value)

    def visit_Param(self, node):
        self.names.add(node.name.value)

    def visit_Global(self, node):
        self.names.update(item.name.value for item in node.names)

    def visit_Nonlocal(self, node):
        self.names.update(item.name.value for item in node.names)

    def visit_MatchAs(self, node):
        if node.name is not None:
            self.names.add(node.name.value)

    def visit_MatchStar(self, node):
        if node.name is not None:
            self.names.add(node.name.value)

    def visit_Import(self, node):
        for alias in node.names:
            if alias.asname is not None:
                self._target(alias.asname.name)
            else:
                name = alias.name
                while isinstance(name, libcst.Attribute):
                    name = name.value
                self.names.add(name.value)

    def visit_ImportFrom(self, node):
        if isinstance(node.names, libcst.ImportStar):
            self.names.add("*")
            return
        for alias in node.names:
            self._target(alias.asname.name if alias.asname is not None else alias.name)
