"""The unit a migration works on: one module, or a notebook's code cells in order.

A notebook's cells share one namespace, so rules see all parts at once (a cell
built in cell 3 is visible in cell 5). A rule returns ``Edit``s, each replacing
one node by another; ``Program.apply`` swaps exactly those nodes, by identity,
and libcst reprints everything else as it was, byte for byte.
"""

import dataclasses

import libcst
from libcst.metadata import MetadataWrapper, PositionProvider

from labs.migrate.report import Location


@dataclasses.dataclass(frozen=True)
class Edit:
    node: libcst.CSTNode
    replacement: libcst.CSTNode
    reason: str


class Program:
    """Parsed parts (``libcst.Module``s) plus where each of their nodes sits.

    ``cells`` gives each part's notebook cell number; leave it out for a plain
    module.
    """

    def __init__(self, modules, cells=None):
        self.modules = list(modules)
        if cells is not None and len(cells) != len(self.modules):
            raise ValueError(f"cells has {len(cells)} entries for {len(self.modules)} modules")
        self._cells = list(cells) if cells is not None else [None] * len(self.modules)
        self._where = {}
        for index, module in enumerate(self.modules):
            positions = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
            for node, code_range in positions.items():
                self._where[node] = (index, code_range.start.line)

    @property
    def body(self):
        """All top-level statements, in execution order across parts."""
        return [statement for module in self.modules for statement in module.body]

    def visit(self, visitor):
        for module in self.modules:
            module.visit(visitor)

    def order(self, node):
        """Where ``node`` runs in the program: ``(part, line)``, comparable across parts."""
        return self._where[node]

    def location(self, node):
        index, line = self._where[node]
        return Location(line=line, cell=self._cells[index])

    def code(self, node):
        """The source text of ``node``; for new nodes, as the first part would print it.

        A ``FlattenSentinel`` (one statement replaced by several) gives their texts joined.
        """
        if isinstance(node, libcst.FlattenSentinel):
            return "".join(self.code(part) for part in node.nodes)
        module = self.modules[self._where[node][0]] if node in self._where else self.modules[0]
        return module.code_for_node(node)

    def apply(self, edits):
        """Return the parts with every edit's node replaced; edits must not nest."""
        by_node = {edit.node: edit.replacement for edit in edits}
        if len(by_node) != len(edits):
            raise ValueError("two edits replace the same node")
        return [module.visit(_Replacer(by_node)) for module in self.modules]


class _Replacer(libcst.CSTTransformer):
    def __init__(self, replacements):
        super().__init__()
        self._replacements = replacements

    def on_leave(self, original_node, updated_node):
        if original_node not in self._replacements:
            return updated_node
        if not updated_node.deep_equals(original_node):
            raise ValueError(
                f"edits nest: a replaced {type(original_node).__name__} also has edited children"
            )
        return self._replacements[original_node]
