"""TensorFlow 1 -> ``compat``: the import rewrite, and names nothing serves.

A file is a TF1 script when one of its TensorFlow names (an import, or a
dotted use such as ``tf.contrib.rnn.BasicLSTMCell``) does not resolve on the
installed TensorFlow 2. Such a file gets its TensorFlow imports pointed at the
drop-in, which serves every TF1 name the course used::

    import tensorflow as tf              ->  import compat.tf1 as tf
    from tensorflow.contrib import rnn   ->  from compat.tf1.contrib import rnn
    tf.compat.v1.nn.dynamic_rnn          ->  tf.nn.dynamic_rnn

``tf.contrib.rnn.*``, ``tf.contrib.seq2seq.sequence_loss``,
``tf.contrib.legacy_seq2seq.*``, ``tf.contrib.layers.*`` (the served part),
``tf.nn.rnn_cell.*``, ``tf.layers.dense``/``Dense``, the MNIST tutorial reader
(``tensorflow.examples.tutorials.mnist.input_data``), the Keras cells inside
``dynamic_rnn``, ``InteractiveSession`` and ``.eval()`` then run unchanged. Every TensorFlow (and NumPy) name is then resolved as the
migrated file will see it; one that still does not exist is reported, with a
replacement where one is known. Files whose TensorFlow names all resolve
already run and are left alone.
"""

import dataclasses

import libcst

from labs.migrate import keras_removed, namespaces
from labs.migrate.program import Edit
from labs.migrate.report import Finding

_REASON = "the drop-in serves the TF1 names on TensorFlow 2"

# Known replacements for names that no longer exist, keyed by the dotted name
# (normalised to start at `tensorflow`) up to the first missing part.
REPLACEMENTS = {
    ("tensorflow", "mul"): "tf.multiply",
    ("tensorflow", "sub"): "tf.subtract",
    ("tensorflow", "neg"): "tf.negative",
    ("tensorflow", "pack"): "tf.stack",
    ("tensorflow", "unpack"): "tf.unstack",
    ("tensorflow", "select"): "tf.where",
    ("tensorflow", "scalar_summary"): "tf.summary.scalar",
    ("tensorflow", "histogram_summary"): "tf.summary.histogram",
    ("tensorflow", "merge_all_summaries"): "tf.summary.merge_all",
    ("tensorflow", "train", "SummaryWriter"): "tf.summary.FileWriter",
    ("numpy", "float"): "float",
    ("numpy", "int"): "int",
    ("numpy", "bool"): "bool",
    ("numpy", "object"): "object",
    ("numpy", "str"): "str",
    ("numpy", "complex"): "complex",
}


@dataclasses.dataclass(frozen=True)
class _Import:
    """One imported name: ``import a.b as x`` / ``from a.b import c as x``."""

    statement: libcst.CSTNode  # the Import or ImportFrom
    alias: libcst.ImportAlias
    imported: tuple  # the full dotted name that must exist
    bound: str  # the local name it binds
    bound_to: tuple  # the dotted name that local name stands for


def dotted(node):
    """``a.b.c`` as ("a", "b", "c") for a Name/Attribute chain, else None."""
    parts = []
    while isinstance(node, libcst.Attribute):
        parts.append(node.attr.value)
        node = node.value
    if not isinstance(node, libcst.Name):
        return None
    parts.append(node.value)
    return tuple(reversed(parts))


def _expression(names):
    return libcst.parse_expression(".".join(names))


@dataclasses.dataclass
class Names:
    """A program's imports of checked packages, and its dotted uses of them.

    ``uses`` holds ``(node, full dotted name, dotted name as written)``;
    ``assigned`` the full names the program sets itself (``tf.model = ...``,
    legal on a module), which exist once it runs and are never checked.
    """

    imports: list
    uses: list
    assigned: set

    @property
    def uses_tensorflow(self):
        return any(_is_tensorflow(entry.imported) or entry.imported[0] == "keras" for entry in self.imports)

    @property
    def bindings(self):
        return {entry.bound: entry.bound_to for entry in self.imports}

    def full_name(self, node):
        """The dotted name a Name/Attribute chain stands for through the imports, or None."""
        names = dotted(node)
        bindings = self.bindings
        if names is None or names[0] not in bindings:
            return None
        return bindings[names[0]] + names[1:]

    def is_assigned(self, full):
        return any(tuple(full[: len(target)]) == target for target in self.assigned)


def collect(program):
    """The ``Names`` of ``program``."""
    collector = _Collector()
    program.visit(collector)
    imports = [entry for entry in collector.imports if entry.imported[0] in namespaces.CHECKED_ROOTS]
    bindings = {entry.bound: entry.bound_to for entry in imports}
    uses = [
        (node, bindings[names[0]] + names[1:], names)
        for node, names in collector.chains
        if names[0] in bindings
    ]
    assigned = {
        bindings[names[0]] + names[1:] for names in collector.assigned if names[0] in bindings
    }
    return Names(imports, uses, assigned)


class _Collector(libcst.CSTVisitor):
    def __init__(self):
        super().__init__()
        self.imports = []
        self.chains = []  # (Attribute node, dotted names)
        self.assigned = []  # dotted names of attribute targets

    def visit_AssignTarget(self, node):
        names = dotted(node.target) if isinstance(node.target, libcst.Attribute) else None
        if names is not None:
            self.assigned.append(names)

    def visit_Import(self, node):
        for alias in node.names:
            names = dotted(alias.name)
            if alias.asname is not None:
                bound, bound_to = alias.asname.name.value, names
            else:
                bound, bound_to = names[0], names[:1]
            self.imports.append(_Import(node, alias, names, bound, bound_to))
        return False

    def visit_ImportFrom(self, node):
        if node.relative or isinstance(node.names, libcst.ImportStar):
            return False
        module = dotted(node.module)
        for alias in node.names:
            name = alias.name.value
            bound = alias.asname.name.value if alias.asname is not None else name
            self.imports.append(_Import(node, alias, module + (name,), bound, module + (name,)))
        return False

    def visit_Attribute(self, node):
        names = dotted(node)
        if names is None:
            return True
        self.chains.append((node, names))
        return False


def _is_tensorflow(names):
    return names[:1] == ("tensorflow",) or names[:1] == ("compat",)


def tf1_edits(names):
    """The edits that move a TF1 program onto the drop-in: its imports, and ``tf.compat.v1.`` dropped."""
    return _import_edits(names.imports) + _compat_v1_edits(names.uses)


def unresolved_findings(program, names, is_tf1, handled=frozenset()):
    """A blocking finding for every checked name that will not exist when the migrated file runs.

    Names are seen under the drop-in for a TF1 program, else as installed;
    nodes in ``handled`` (rewritten by another rule) are skipped.
    """
    findings = []
    for entry in names.imports:
        if entry.alias in handled or entry.statement in handled:
            continue
        view = _view_of_import(entry, is_tf1)
        unresolved = namespaces.resolve(entry.imported, view)
        if unresolved is not None:
            findings.append(_unresolved(program, entry.alias, entry.imported, entry.imported, unresolved, view))
    view = namespaces.TF1 if is_tf1 else namespaces.TF2
    for node, full, written in names.uses:
        if node in handled or names.is_assigned(full):
            continue
        unresolved = namespaces.resolve(full, view)
        bound_length = len(full) - len(written) + 1
        if unresolved is not None and unresolved.index >= bound_length:
            findings.append(_unresolved(program, node, full, written, unresolved, view, bound_length))
    return findings


def _view_of_import(entry, is_tf1):
    module = entry.imported[:-1] if isinstance(entry.statement, libcst.ImportFrom) else entry.imported
    if is_tf1 and (_drop_in_module(module) or _drop_in_module(entry.imported)):
        return namespaces.TF1
    return namespaces.TF2


def _drop_in_module(names):
    target = namespaces.DROP_IN_MODULES.get(tuple(names))
    return tuple(target.split(".")) if target else None


def _import_edits(imports):
    """Point every TensorFlow import that the drop-in stands for at compat."""
    edits = []
    for statement in dict.fromkeys(entry.statement for entry in imports):
        if isinstance(statement, libcst.Import):
            new_aliases = [_import_alias(alias) for alias in statement.names]
            if any(new is not old for new, old in zip(new_aliases, statement.names)):
                edits.append(Edit(statement, statement.with_changes(names=new_aliases), _REASON))
        else:
            new = _import_from(statement)
            if new is not None:
                edits.append(Edit(statement, new, _REASON))
    return edits


def _import_from(statement):
    """``from tensorflow.X import y``: point the module, or else each name, at compat."""
    module = dotted(statement.module)
    target = _drop_in_module(module)
    if target is not None:
        return statement.with_changes(module=_expression(target))
    # `from tensorflow.compat import v1 as tf` -> `from compat import tf1 as tf`
    targets = [_drop_in_module(module + (alias.name.value,)) for alias in statement.names]
    if not targets or None in targets or len({t[:-1] for t in targets}) != 1:
        return None
    aliases = [
        alias.with_changes(
            name=libcst.Name(target[-1]),
            asname=alias.asname or libcst.AsName(name=libcst.Name(alias.name.value)),
        )
        for alias, target in zip(statement.names, targets)
    ]
    return statement.with_changes(module=_expression(targets[0][:-1]), names=aliases)


def _import_alias(alias):
    names = dotted(alias.name)
    if names[0] != "tensorflow":
        return alias
    if alias.asname is not None:
        target = _drop_in_module(names)
        return alias if target is None else alias.with_changes(name=_expression(target))
    # `import tensorflow[.x.y]` binds `tensorflow`; the drop-in serves all of it.
    if _drop_in_module(names) is None and len(names) > 1:
        return alias
    return alias.with_changes(
        name=_expression(namespaces.DROP_IN), asname=libcst.AsName(name=libcst.Name("tensorflow"))
    )


def _compat_v1_edits(uses):
    """``tf.compat.v1.x`` -> ``tf.x``: under the drop-in, ``tf`` is v1 already."""
    edits = []
    for node, full, written in uses:
        if full[:1] != ("tensorflow",) or full[1:3] != ("compat", "v1") or len(written) != len(full):
            continue
        inner = node
        for _ in range(len(written) - 3):
            inner = inner.value
        edits.append(Edit(inner, inner.value.value, "tf is tf.compat.v1 under the drop-in"))
    return edits


def _unresolved(program, node, full, written, unresolved, view, bound_length=None):
    """A blocking finding for a dotted name whose part ``unresolved.index`` is missing."""
    if bound_length is None:
        text = ".".join(full[: unresolved.index + 1])
    else:
        text = ".".join(written[: unresolved.index - bound_length + 2])
    normalised = namespaces.tf1_names(full) or full
    shift = len(full) - len(normalised)
    key = normalised[: unresolved.index - shift + 1]
    if namespaces.tf1_names(full) is not None and view == namespaces.TF1:
        where = "under `import compat.tf1 as tf`"
    else:
        where = f"in the installed {full[0]}"
    message = f"`{text}` does not exist {where} ({unresolved.reason})"
    suggestion = REPLACEMENTS.get(key)
    keras = namespaces.keras_names(full)
    if suggestion is None and keras is not None:
        suggestion = keras_removed.replacement(keras[: unresolved.index - (len(full) - len(keras)) + 1])
    if suggestion is None:
        package = "Keras" if keras is not None else "TensorFlow"
        version = namespaces.version_of("keras" if keras is not None else "tensorflow")
        suggestion = f"replace `{text}` by hand with its {package} {version} equivalent"
    else:
        suggestion = f"use {suggestion}"
    return Finding(program.location(node), message, suggestion, blocking=True)
