"""What the Keras 2 -> 3 rules share: which calls are Keras, and how to name Keras things.

A call is Keras when its callee, followed through the program's imports,
is a name under ``keras`` or ``tensorflow.keras`` (both read as ``keras``):
``tf.keras.optimizers.Adam``, ``keras.layers.LSTM``, ``layers.LSTM`` after
``from keras import layers``, ``LSTM`` after ``from keras.layers import LSTM``.

A rule that needs another Keras name (``keras.Input``, the optimizers'
``schedules``) writes it the way the program already reaches the callee:
``tf.keras.layers.LSTM`` -> ``tf.keras.Input``, ``layers.LSTM`` ->
``layers.Input``; a callee imported by name gets the new name added to its
own import statement (``from keras.layers import LSTM, Input``), so no line is
added. The statement is the one in effect where the callee is used: the
last import binding its name before it (in a notebook, in an earlier or the
same cell), never a later re-import, which would leave the new name undefined
when the cell using it runs.
"""

import libcst

from labs.migrate import namespaces
from labs.migrate.names import bound_names
from labs.migrate.program import Edit
from labs.migrate.transform import dotted


class KerasContext:
    def __init__(self, program, names):
        self.program = program
        self.names = names
        self.bound = set()
        for module in program.modules:
            self.bound |= bound_names(module)
        self._added = {}  # import statement -> names to add, in order
        self._renamed = {}  # import statement -> new module (dotted tuple)
        self._statements_of = {}  # bound name -> its import entries, in program order
        for entry in sorted(names.imports, key=lambda entry: program.order(entry.statement)):
            self._statements_of.setdefault(entry.bound, []).append(entry)

    def keras_name(self, node):
        """The ``keras.``-rooted dotted name a callee stands for, or None."""
        full = self.names.full_name(node)
        return namespaces.keras_names(full) if full is not None else None

    def reference(self, callee, module, target):
        """Code naming ``module + target`` (both dotted tuples, ``module`` under keras)
        the way ``callee`` is reached, adding it to an import when needed."""
        written = dotted(callee)
        full = self.names.full_name(callee)
        keras = namespaces.keras_names(full)
        shift = len(full) - len(keras)  # 1 for tensorflow.keras
        for prefix in (("keras",), tuple(module)):
            length = len(prefix) + shift - (len(full) - len(written))
            if keras[: len(prefix)] == prefix and 1 <= length <= len(written):
                rest = tuple(module[len(prefix):]) + tuple(target)
                return ".".join(written[:length] + rest)
        entry = self._import_in_effect(written[0], callee)
        if entry is None or not isinstance(entry.statement, libcst.ImportFrom):
            return None
        if namespaces.keras_names(entry.imported[:-1]) != tuple(module) or len(target) < 1:
            return None
        name = target[0]
        if name in self._added.get(entry.statement, []):
            return ".".join(target)
        earlier = [statement for statement, names in self._added.items()
                   if name in names and self.program.order(statement) <= self.program.order(callee)]
        if earlier:  # added to an import that runs before this use (a re-import brought the callee)
            return ".".join(target)
        if name in self.bound:
            return None
        self._added.setdefault(entry.statement, []).append(name)
        self.bound.add(name)
        return ".".join(target)

    def _import_in_effect(self, name, use):
        """The import entry binding ``name`` that ``use`` sees: the last one before it,
        else (an import placed after its use) the first."""
        entries = self._statements_of.get(name)
        if not entries:
            return None
        where = self.program.order(use)
        before = [entry for entry in entries if self.program.order(entry.statement) <= where]
        return before[-1] if before else entries[0]

    def rename_module(self, statement, module):
        self._renamed[statement] = tuple(module)

    def import_edits(self, reason):
        """One edit per import statement that gained names or a new module."""
        edits = []
        for statement in dict.fromkeys(list(self._renamed) + list(self._added)):
            new = statement
            if statement in self._renamed:
                new = new.with_changes(module=libcst.parse_expression(".".join(self._renamed[statement])))
            added = [n for n in self._added.get(statement, []) if n not in _imported(statement)]
            if added:
                aliases = list(new.names)
                last = aliases[-1]
                if last.comma is libcst.MaybeSentinel.DEFAULT or isinstance(last.comma, libcst.MaybeSentinel):
                    aliases[-1] = last.with_changes(comma=libcst.Comma(whitespace_after=libcst.SimpleWhitespace(" ")))
                    trailing = libcst.MaybeSentinel.DEFAULT
                else:
                    trailing = last.comma
                for index, name in enumerate(added):
                    comma = trailing if index == len(added) - 1 else libcst.Comma(
                        whitespace_after=libcst.SimpleWhitespace(" "))
                    aliases.append(libcst.ImportAlias(name=libcst.Name(name), comma=comma))
                new = new.with_changes(names=aliases)
            edits.append(Edit(statement, new, reason))
        self._added.clear()
        self._renamed.clear()
        return edits


def _imported(statement):
    if isinstance(statement.names, libcst.ImportStar):
        return set()
    return {alias.name.value for alias in statement.names if isinstance(alias.name, libcst.Name)}


def keyword(call, name):
    """The argument of ``call`` passed as keyword ``name``, or None."""
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def positional(call):
    return [arg for arg in call.args if arg.keyword is None and not arg.star]


def without(call, dropped):
    """``call`` without the arguments in ``dropped``, the last comma tidied (kept,
    as a trailing comma, where a comment follows it, so no comment is lost)."""
    args = [arg for arg in call.args if arg not in dropped]
    if args and call.args[-1] not in dropped:
        return call.with_changes(args=args)
    if args and "#" not in _code(args[-1].comma):
        args[-1] = args[-1].with_changes(comma=libcst.MaybeSentinel.DEFAULT)
    return call.with_changes(args=args)


def _code(node):
    return "" if isinstance(node, libcst.MaybeSentinel) else libcst.Module([]).code_for_node(node)
