"""Keras 2 optimizer arguments -> Keras 3, keeping the learning rate Keras 2 used.

* ``lr=`` -> ``learning_rate=`` (Keras 3 rejects ``lr``). Keras 2.11 to 2.15
  (TF 2.11-2.15) accepted ``lr=`` on their new optimizers and ignored it: the
  optimizer trained at its default rate (``Adam(lr=0.1).learning_rate`` is
  0.001 on TF 2.15; keras-team/keras#17338). Every such call is reported, so
  an instructor knows that outputs recorded on those versions came from the
  default rate, while the migrated script (like Keras <= 2.10) uses the
  written one.
* ``decay=d`` (Keras 1/2 legacy optimizers: ``lr_t = lr / (1 + d * t)``, t
  the number of steps taken; Keras 3 warns and ignores it) ->
  ``learning_rate=schedules.InverseTimeDecay(lr, decay_steps=1, decay_rate=d)``,
  which computes ``lr / (1 + d * t / 1)`` from the same step count. A literal
  zero decay is simply dropped.
* ``keras.optimizers.legacy.X`` -> ``keras.optimizers.X`` (Keras 3 raises on
  ``legacy``), the arguments converted as above.

The learning rate may be given by keyword or as the first positional
argument (its place in every Keras); without one, the Keras 3 default is
written out when a schedule needs it. Further positional arguments are left
where Keras 2.2 and Keras 3 agree on their meaning and reported otherwise
(Keras 2.2's ``SGD(lr, momentum, decay, nesterov)`` has ``decay`` where Keras
3 has ``nesterov``).
"""

import importlib
import inspect

import libcst

from labs.migrate.keras_context import keyword, positional, without
from labs.migrate.program import Edit
from labs.migrate.report import Finding

OPTIMIZERS = ("SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam", "Ftrl")

# Positional parameters of Keras 2.2.4's optimizers (keras/optimizers.py), the
# last standalone Keras whose signatures differ from tf.keras and Keras 3.
KERAS_2_2_POSITIONAL = {
    "SGD": ("lr", "momentum", "decay", "nesterov"),
    "RMSprop": ("lr", "rho", "epsilon", "decay"),
    "Adagrad": ("lr", "epsilon", "decay"),
    "Adadelta": ("lr", "rho", "epsilon", "decay"),
    "Adam": ("lr", "beta_1", "beta_2", "epsilon", "decay", "amsgrad"),
    "Adamax": ("lr", "beta_1", "beta_2", "epsilon", "decay"),
    "Nadam": ("lr", "beta_1", "beta_2", "epsilon", "schedule_decay"),
}

_REASON_LR = "Keras 3 names it learning_rate"
_REASON_DECAY = "Keras 2's decay, lr / (1 + decay * iterations), as a Keras 3 schedule"


def keras3_parameters(name):
    """The Keras 3 optimizer's positional parameter names, and its default learning rate."""
    optimizers = importlib.import_module("keras.optimizers")
    parameters = list(inspect.signature(getattr(optimizers, name).__init__).parameters.values())[1:]
    names = tuple(p.name for p in parameters if p.kind is p.POSITIONAL_OR_KEYWORD)
    default = next(p.default for p in parameters if p.name == "learning_rate")
    return names, default


def optimizer_calls(context):
    """Return ``(edits, findings)`` for every Keras optimizer constructed in the program."""
    finder = _Calls(context)
    context.program.visit(finder)
    return finder.edits, finder.findings


class _Calls(libcst.CSTVisitor):
    def __init__(self, context):
        super().__init__()
        self.context = context
        self.edits = []
        self.findings = []

    def visit_Call(self, node):
        name = self.context.keras_name(node.func)
        if name is None or len(name) < 3 or name[-1] not in OPTIMIZERS:
            return
        legacy = name[1:-1] == ("optimizers", "legacy")
        if name[1:-1] != ("optimizers",) and not legacy:
            return
        self.convert(node, name[-1], legacy)

    def convert(self, call, optimizer, legacy):
        func = call.func
        if legacy:
            if not isinstance(func, libcst.Attribute) or not isinstance(func.value, libcst.Attribute):
                return  # imported by name from the legacy module: its import is renamed
            func = func.with_changes(value=func.value.value)
        new = call.with_changes(func=func)
        lr = keyword(call, "lr")
        decay = keyword(call, "decay")
        changed = legacy
        if lr is not None:
            if not legacy and decay is None:  # with decay, Keras 2.11-2.15 raised instead
                self.findings.append(self.ignored_lr(call, optimizer, lr))
            new = _replace_arg(new, lr, lr.with_changes(keyword=libcst.Name("learning_rate")))
            changed = True
        self.positional_meaning(call, optimizer)
        if decay is not None:
            new = self.decay_schedule(call, new, optimizer, decay)
            changed = True
        if changed:
            reason = _REASON_DECAY if decay is not None else _REASON_LR
            if legacy and lr is None and decay is None:
                reason = "Keras 3 has no legacy optimizers; the current ones take the same arguments"
            self.edits.append(Edit(call, new, reason))

    def ignored_lr(self, call, optimizer, lr):
        _, default = keras3_parameters(optimizer)
        written = self.context.program.code(lr.value)
        return Finding(
            self.context.program.location(call),
            f"`{optimizer}(lr={written})`: TF 2.11-2.15 (Keras 2.11-2.15) accepted `lr=` and ignored "
            f"it, training at the default learning rate {default}; outputs recorded with those "
            f"versions came from {default}, not `{written}`. Keras <= 2.10 and the migrated code use `{written}`",
            f"keep `learning_rate={written}` as the author wrote it; to reproduce outputs recorded on "
            f"TF 2.11-2.15, use `learning_rate={default}`",
            blocking=False,
        )

    def positional_meaning(self, call, optimizer):
        old = KERAS_2_2_POSITIONAL.get(optimizer)
        if old is None or self.context.names.full_name(call.func)[0] != "keras":
            return  # tf.keras's positions are Keras 3's
        new, _ = keras3_parameters(optimizer)
        for index, arg in enumerate(positional(call)[1:], 1):
            before = old[index] if index < len(old) else None
            after = new[index] if index < len(new) else None
            if before != after:
                code = self.context.program.code(arg.value)
                self.findings.append(
                    Finding(
                        self.context.program.location(call),
                        f"positional argument {index + 1} of `{optimizer}` (`{code}`) was `{before}` in "
                        f"Keras 2.2 and is `{after}` in Keras 3",
                        f"pass it by keyword, `{before}={code}` as Keras 2.2 meant it (a `decay` is "
                        "then migrated to a schedule)",
                        blocking=True,
                    )
                )

    def decay_schedule(self, call, new, optimizer, decay):
        program = self.context.program
        rate = decay.value
        if isinstance(rate, (libcst.Integer, libcst.Float)) and float(rate.value) == 0.0:
            current = next(arg for arg in new.args if arg.value is decay.value)
            return without(new, [current])
        args = list(new.args)
        learning = next(
            (arg for arg in args if arg.keyword is not None and arg.keyword.value == "learning_rate"),
            None,
        )
        if learning is None and positional(new):
            learning = positional(new)[0]
        if learning is None:
            initial = repr(keras3_parameters(optimizer)[1])
        else:
            initial = program.code(learning.value)
        schedules = self.context.reference(call.func, ("keras", "optimizers"), ("schedules", "InverseTimeDecay"))
        if schedules is None:
            schedules = "keras.optimizers.schedules.InverseTimeDecay"
            self.findings.append(
                Finding(
                    program.location(call),
                    f"`{optimizer}` is reached by a name this migrator cannot extend, so the "
                    "decay schedule is written with `keras.optimizers.schedules`",
                    "make sure `keras` is imported (`import keras`)",
                    blocking=True,
                )
            )
        value = libcst.parse_expression(
            f"{schedules}({initial}, decay_steps=1, decay_rate={program.code(rate)})"
        )
        current_decay = next(arg for arg in args if arg.value is decay.value)
        if learning is None:
            args.insert(0, libcst.Arg(value=value, keyword=libcst.Name("learning_rate"),
                                      equal=libcst.AssignEqual(whitespace_before=libcst.SimpleWhitespace(""),
                                                               whitespace_after=libcst.SimpleWhitespace("")),
                                      comma=libcst.Comma(whitespace_after=libcst.SimpleWhitespace(" "))))
        else:
            current = next(arg for arg in args if arg.value is learning.value)
            args[args.index(current)] = current.with_changes(value=value)
        return without(new.with_changes(args=args), [current_decay])


def _replace_arg(call, old, replacement):
    return call.with_changes(args=[replacement if arg is old else arg for arg in call.args])
