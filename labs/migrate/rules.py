"""The migration of one program: the rules, applied in two stages.

1. ``transform.migrate_tensorflow``: imports onto the drop-in, plus the
   TensorFlow names nothing serves.
2. On the result, ``cell_reuse.fresh_cells_per_layer`` and
   ``pitfalls.legacy_habits``, so that code they copy is already migrated.

Neither stage adds or removes lines before the code it edits, so every
location reported is a line of the input.
"""

import dataclasses

from labs.migrate.cell_reuse import fresh_cells_per_layer
from labs.migrate.pitfalls import legacy_habits
from labs.migrate.program import Program
from labs.migrate.report import Change
from labs.migrate.transform import migrate_tensorflow


@dataclasses.dataclass
class Outcome:
    modules: list
    changes: list
    findings: list
    uses_tensorflow: bool


def migrate_modules(modules, cells=None):
    """Migrate parsed parts (one module, or a notebook's code cells in order)."""
    program = Program(modules, cells)
    tensorflow = migrate_tensorflow(program)
    if not tensorflow.uses_tensorflow:
        return Outcome(list(modules), [], [], uses_tensorflow=False)
    changes = _describe(program, tensorflow.edits)
    program = Program(program.apply(tensorflow.edits), cells)
    edits, findings = fresh_cells_per_layer(program)
    changes += _describe(program, edits)
    findings = tensorflow.findings + findings + legacy_habits(program)
    return Outcome(program.apply(edits), changes, findings, uses_tensorflow=True)


def _describe(program, edits):
    return [
        Change(
            program.location(edit.node),
            _one_line(program.code(edit.node)),
            _one_line(program.code(edit.replacement)),
            edit.reason,
        )
        for edit in edits
    ]


def _one_line(code):
    return " ".join(code.split())
