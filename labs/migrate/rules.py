"""The migration of one program: classify it, then apply the rules of its kind in stages.

``classify.classify`` tells TF1 graph code from TF2/Keras code (see there).

TF1 (and MIXED, which is also reported):

1. ``transform.tf1_edits``: imports onto the drop-in, and
   ``numpy_aliases`` (``np.bool`` -> ``bool``); the TensorFlow names nothing
   serves are reported.
2. On the result, ``cell_reuse.fresh_cells_per_layer`` and
   ``pitfalls.legacy_habits``, so that code they copy is already migrated.

KERAS (TF2 and Keras code never goes onto the drop-in), Keras 2 -> Keras 3:

1. ``keras_api.moved_imports``, then ``keras_optimizers.optimizer_calls``,
   then ``keras_api.model_methods``, then ``numpy_aliases``, each on the result of the one before
   (an edit never contains another's).
2. Names that still do not exist are reported, and ``pitfalls.legacy_habits``.
3. ``keras_inputs.input_layers`` and ``keras_api.plot_model_statements``,
   the only rules that add lines, last.

Before the last stage no rule adds or removes lines, so every location
reported is a line of the input.
"""

import dataclasses

import libcst

from labs.migrate import classify
from labs.migrate.cell_reuse import fresh_cells_per_layer
from labs.migrate.keras_api import model_methods, moved_imports, plot_model_statements
from labs.migrate.keras_context import KerasContext
from labs.migrate.keras_inputs import input_layers
from labs.migrate.keras_optimizers import optimizer_calls
from labs.migrate.numpy_aliases import numpy_alias_edits, numpy_aliases
from labs.migrate.pitfalls import legacy_habits
from labs.migrate.program import Program
from labs.migrate.report import Change
from labs.migrate.transform import collect, tf1_edits, unresolved_findings


@dataclasses.dataclass
class Outcome:
    modules: list
    changes: list
    findings: list
    uses_tensorflow: bool
    kind: str = None  # classify.TF1, KERAS or MIXED; None without TensorFlow or Keras


def migrate_modules(modules, cells=None):
    """Migrate parsed parts (one module, or a notebook's code cells in order)."""
    program = Program(modules, cells)
    names = collect(program)
    if not names.uses_tensorflow:
        return Outcome(list(modules), [], [], uses_tensorflow=False)
    classification = classify.classify(names)
    if classification.kind == classify.KERAS:
        return _keras(program, cells)
    aliases = numpy_alias_edits(names)
    edits = tf1_edits(names) + aliases
    findings = unresolved_findings(program, names, is_tf1=True, handled={edit.node for edit in aliases})
    if classification.kind == classify.MIXED:
        findings.append(classify.mixed_finding(program, classification))
    changes = _describe(program, edits)
    program = Program(program.apply(edits), cells)
    edits, reuse = fresh_cells_per_layer(program)
    changes += _describe(program, edits)
    findings = findings + reuse + legacy_habits(program)
    return Outcome(program.apply(edits), changes, findings, True, classification.kind)


def _keras(program, cells):
    changes, findings = [], []

    def stage(program, *rules):
        context = KerasContext(program, collect(program))
        edits = []
        for rule in rules:
            result = rule(context)
            rule_edits, rule_findings = result if isinstance(result, tuple) else (result, [])
            edits += rule_edits
            findings.extend(rule_findings)
        edits += context.import_edits("the name Keras 3 needs, from the module already imported")
        changes.extend(_describe(program, edits))
        return Program(program.apply(edits), cells) if edits else program

    for rule in (moved_imports, optimizer_calls, model_methods, numpy_aliases):
        program = stage(program, rule)
    findings += unresolved_findings(program, collect(program), is_tf1=False)
    findings += legacy_habits(program)
    program = stage(program, input_layers, plot_model_statements)
    return Outcome(program.modules, changes, findings, True, classify.KERAS)


def _describe(program, edits):
    return [
        Change(
            program.location(edit.node),
            _one_line(program.code(_without_comments_above(edit.node))),
            _one_line(program.code(_without_comments_above(edit.replacement))),
            edit.reason,
        )
        for edit in edits
    ]


def _without_comments_above(node):
    """A statement as the report shows it: without the comment lines above it, which stay."""
    if isinstance(node, libcst.FlattenSentinel):
        return libcst.FlattenSentinel([_without_comments_above(part) for part in node.nodes])
    if hasattr(node, "leading_lines") and node.leading_lines:
        return node.with_changes(leading_lines=[])
    return node


def _one_line(code):
    return " ".join(code.split())
