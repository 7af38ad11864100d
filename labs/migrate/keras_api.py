"""Keras 2 APIs that Keras 3 removed or moved, rewritten to what Keras 2 did.

Imports (the module is changed, the names stay)::

    from keras.utils import np_utils             -> from keras import utils as np_utils
    from keras.utils.np_utils import X           -> from keras.utils import X
    from keras.utils.vis_utils import plot_model -> from keras.utils import plot_model
    from keras.utils.data_utils import get_file  -> from keras.utils import get_file (generic_utils, layer_utils)
    from keras.layers.recurrent import LSTM      -> from keras.layers import LSTM   (core, ...)
    from keras.layers import recurrent           -> from keras import layers as recurrent
    from keras.optimizers.legacy import SGD      -> from keras.optimizers import SGD
    from keras.preprocessing.text import X       -> from compat.keras2_text import X

(``tensorflow.keras.`` spellings alike; ``keras.utils.np_utils.f`` in code
loses its ``np_utils``). ``compat.keras2_text`` is Keras 2.15's text
utilities, which Keras 3 removed (keras-team/keras#19517).

Weights and model files: Keras 3's ``save_weights`` takes only names ending
in ``.weights.h5``; a literal ``save_weights("w.h5")`` becomes
``"w.weights.h5"``, and ``load_weights`` of the same literal in the program
follows it (a ``load_weights("w.h5")`` of a file Keras 2 wrote stays: Keras 3
still reads it). A name that is not a literal is reported. A whole model
saved to a literal ``"m.h5"`` (or ``.hdf5``) goes to ``"m.keras"``, and
``load_model`` of the same literal follows: Keras 3 writes legacy HDF5 but
cannot load it back when the model was compiled with a loss or metric named
by a string (``loss="mse"``), which Keras 2 code did everywhere.

Model methods (Keras 2 ``Sequential``)::

    model.predict_classes(x)  -> model.predict(x, verbose=0).argmax(axis=-1)
                                 ((p > 0.5).astype("int32") when the model ends in one unit)
    model.predict_proba(x)    -> model.predict(x, verbose=0)
    model.fit_generator(g, s, e, ...) -> model.fit(g, steps_per_epoch=s, epochs=e, ...)
    evaluate_generator / predict_generator -> evaluate / predict (steps=..., verbose=0)
    fit(..., nb_epoch=n)      -> fit(..., epochs=n)

``predict_classes``, ``predict_proba``, ``evaluate_generator`` and
``predict_generator`` printed nothing by default (``verbose=0``; Keras 3's
``predict`` and ``evaluate`` show a progress bar), hence the added ``verbose=0``. ``predict_classes`` took the
argmax when the last axis had more than one unit and thresholded at 0.5
otherwise; which one applies is read from the model's last layer where it is
visible (a literal ``units`` of 1, or a sigmoid), else argmax is written and
the choice is reported. The generators' ``max_queue_size``, ``workers`` and
``use_multiprocessing`` (gone from ``fit`` in Keras 3, where a
``keras.utils.PyDataset`` carries them) are dropped and reported: they
changed speed, not results.

``plot_model(...)`` as a statement is wrapped so that, where pydot or the
graphviz program is missing (Keras 3 then raises ImportError in a script),
the script goes on and prints why no picture was written.
"""

import libcst

from labs.migrate import namespaces
from labs.migrate.keras_context import keyword, positional
from labs.migrate.program import Edit
from labs.migrate.report import Finding
from labs.migrate.transform import dotted

TEXT_MODULE = ("compat", "keras2_text")
LAYER_MODULES = (
    "core", "recurrent", "embeddings", "convolutional", "pooling", "normalization", "wrappers",
    "merge", "advanced_activations", "noise", "local", "convolutional_recurrent", "cudnn_recurrent",
)
MOVED_MODULES = {
    ("keras", "utils", "np_utils"): ("keras", "utils"),
    ("keras", "utils", "vis_utils"): ("keras", "utils"),
    ("keras", "utils", "data_utils"): ("keras", "utils"),
    ("keras", "utils", "generic_utils"): ("keras", "utils"),
    ("keras", "utils", "layer_utils"): ("keras", "utils"),
    ("keras", "optimizers", "legacy"): ("keras", "optimizers"),
    ("keras", "preprocessing", "text"): TEXT_MODULE,
    **{("keras", "layers", name): ("keras", "layers") for name in LAYER_MODULES},
}
_GENERATORS = {
    # Keras 2 method -> (Keras 3 method, its positional parameters after the data in Keras 2)
    "fit_generator": ("fit", ("steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data",
                              "validation_steps")),
    "evaluate_generator": ("evaluate", ("steps",)),
    "predict_generator": ("predict", ("steps",)),
}
_SPEED_ONLY = ("max_queue_size", "workers", "use_multiprocessing")
_KERAS_1 = {
    "samples_per_epoch": "steps_per_epoch=<samples per epoch> // <batch size>",
    "nb_val_samples": "validation_steps=<validation samples> // <batch size>",
}
_REASON_MOVED = "the module moved in Keras 3"


def moved_imports(context):
    """Edits for imports of moved modules and for ``np_utils``/``vis_utils`` in dotted names."""
    edits = []
    for entry in context.names.imports:
        statement = entry.statement
        if not isinstance(statement, libcst.ImportFrom):
            continue
        module = namespaces.keras_names(entry.imported[:-1])
        if module is None:
            continue
        moved_module = MOVED_MODULES.get(module + (entry.alias.name.value,))
        if moved_module is not None and len(statement.names) == 1:
            # `from keras.utils import np_utils`: the module itself, imported by name
            local = entry.alias.asname or libcst.AsName(name=libcst.Name(entry.alias.name.value))
            if moved_module == TEXT_MODULE:
                parent, reason = libcst.Name("compat"), _text_reason()
            else:
                written = dotted(statement.module)
                parent = libcst.parse_expression(".".join(written[: len(written) - len(module) + 1]
                                                          + moved_module[1:-1]))
                reason = f"Keras 3 has {'.'.join(module + (entry.alias.name.value,))}'s names in " \
                         f"{'.'.join(moved_module)}"
            new = statement.with_changes(
                module=parent, names=[libcst.ImportAlias(name=libcst.Name(moved_module[-1]), asname=local)])
            edits.append(Edit(statement, new, reason))
        elif module in MOVED_MODULES:
            target = MOVED_MODULES[module]
            if target != TEXT_MODULE:
                written = dotted(statement.module)
                target = written[: len(written) - len(module) + 1] + target[1:]
            context.rename_module(statement, target)
    edits += context.import_edits(_REASON_MOVED)
    for edit in edits:
        if edit.replacement.module is not None and dotted(edit.replacement.module) == TEXT_MODULE:
            edits[edits.index(edit)] = Edit(edit.node, edit.replacement, _text_reason())
    for node, full, written in context.names.uses:
        keras = namespaces.keras_names(full)
        if keras is None or len(keras) < 4 or keras[1:3] not in (("utils", "np_utils"), ("utils", "vis_utils")):
            continue
        index = len(written) - len(full) + (len(full) - len(keras)) + 2
        if index < 1:
            continue
        new = written[:index] + written[index + 1:]
        edits.append(Edit(node, libcst.parse_expression(".".join(new)), f"Keras 3 has {keras[-1]} in keras.utils"))
    return edits


def _string_literal(node):
    """The text of a plain string literal (not an f-string, not concatenated), else None."""
    if isinstance(node, libcst.SimpleString) and "f" not in node.prefix.lower():
        return node.evaluated_value if isinstance(node.evaluated_value, str) else None
    return None


def _with_file_name(call, argument, name):
    """``call`` with the string literal ``argument`` now holding ``name``, in its own quotes."""
    quote = argument.value.value[-1]
    prefix = argument.value.value[: argument.value.value.index(quote)]
    new_argument = argument.with_changes(value=libcst.SimpleString(f"{prefix}{quote}{name}{quote}"))
    return call.with_changes(args=[new_argument if arg is argument else arg for arg in call.args])


class _SavedFiles(libcst.CSTVisitor):
    def __init__(self, method):
        super().__init__()
        self.method = method
        self.names = set()

    def visit_Call(self, node):
        if isinstance(node.func, libcst.Attribute) and node.func.attr.value == self.method:
            given = positional(node)
            argument = given[0] if given else keyword(node, "filepath")
            name = _string_literal(argument.value) if argument is not None else None
            if name is not None:
                self.names.add(name)


def _saved_files(program, method):
    """The literal file names the program passes to ``<object>.<method>(...)``."""
    finder = _SavedFiles(method)
    program.visit(finder)
    return finder.names


def _text_reason():
    return "Keras 3 removed keras.preprocessing.text; compat.keras2_text is Keras 2.15's"


def model_methods(context):
    """Return ``(edits, findings)`` for the removed model methods and ``nb_epoch``."""
    finder = _MethodCalls(context)
    context.program.visit(finder)
    return finder.edits, finder.findings


class _MethodCalls(libcst.CSTVisitor):
    def __init__(self, context):
        super().__init__()
        self.context = context
        self.program = context.program
        self.edits = []
        self.findings = []
        self.last_layers = _last_layers(context)
        self.saved_weights = _saved_files(context.program, "save_weights")
        self.saved_models = _saved_files(context.program, "save")

    def visit_Call(self, node):
        if self.context.keras_name(node.func) in (("keras", "models", "load_model"),
                                                   ("keras", "saving", "load_model")):
            self.model_file(node, "load_model")
            return
        if not isinstance(node.func, libcst.Attribute) or self.context.names.full_name(node.func) is not None:
            return
        method = node.func.attr.value
        if method in ("save_weights", "load_weights"):
            self.weights_file(node, method)
        elif method == "save":
            self.model_file(node, method)
        elif method in _GENERATORS:
            self.generator(node, method)
        elif method in ("predict_classes", "predict_proba"):
            self.prediction(node, method)
        elif keyword(node, "nb_epoch") is not None:
            self.edits.append(Edit(node, _renamed_keyword(node, "nb_epoch", "epochs"), "Keras 2 renamed nb_epoch to epochs"))

    def weights_file(self, call, method):
        given = positional(call)
        argument = given[0] if given else keyword(call, "filepath")
        if argument is None:
            return
        name = _string_literal(argument.value)
        if name is None:
            if method == "save_weights":
                self.findings.append(Finding(
                    self.program.location(call),
                    "Keras 3's `save_weights` takes only file names ending in `.weights.h5`; this name is "
                    "not a literal, so it was left as it is",
                    "make the name end in `.weights.h5` (and load it by the same name)", blocking=False))
            return
        if name.endswith(".weights.h5") or not name.endswith(".h5"):
            return
        if method == "load_weights" and name not in self.saved_weights:
            return  # a file Keras 2 wrote: Keras 3 still reads .h5 weights
        new_name = name[: -len(".h5")] + ".weights.h5"
        self.edits.append(Edit(call, _with_file_name(call, argument, new_name),
                               "Keras 3 saves weights only to names ending in .weights.h5"
                                          if method == "save_weights" else
                                          "the weights this program saved, under their Keras 3 name"))

    def model_file(self, call, method):
        given = positional(call)
        argument = given[0] if given else keyword(call, "filepath")
        name = _string_literal(argument.value) if argument is not None else None
        if name is None or not name.endswith((".h5", ".hdf5")):
            return
        if method == "load_model" and name not in self.saved_models:
            self.findings.append(Finding(
                self.program.location(call),
                f"`load_model({name!r})` reads a Keras 2 HDF5 model; Keras 3 fails on it when the model was "
                "compiled with a loss or metric named by a string",
                "load it with `compile=False` and call `compile` again", blocking=False))
            return
        new_name = name[: name.rindex(".")] + ".keras"
        self.edits.append(Edit(call, _with_file_name(call, argument, new_name),
                               "Keras 3 loads back only its own .keras format reliably"
                               if method == "save" else "the model this program saved, under its Keras 3 name"))

    def generator(self, call, method):
        new_method, parameters = _GENERATORS[method]
        where = self.program.location(call)
        args = list(call.args)
        given = positional(call)
        new_args = []
        for arg in args:
            position = given.index(arg) if arg in given else None
            if position is not None and position >= 1:
                if position - 1 >= len(parameters):
                    self.findings.append(Finding(
                        where, f"positional argument {position + 1} of `{method}` has no safe place in `{new_method}`",
                        f"pass it by keyword as Keras 2's `{method}` named it", blocking=True))
                    new_args.append(arg)
                    continue
                arg = arg.with_changes(
                    keyword=libcst.Name(parameters[position - 1]),
                    equal=libcst.AssignEqual(whitespace_before=libcst.SimpleWhitespace(""),
                                             whitespace_after=libcst.SimpleWhitespace("")),
                )
            elif arg.keyword is not None and arg.keyword.value == "nb_epoch":
                arg = arg.with_changes(keyword=libcst.Name("epochs"))
            elif arg.keyword is not None and arg.keyword.value in _SPEED_ONLY:
                self.findings.append(Finding(
                    where, f"`{arg.keyword.value}=` is not an argument of Keras 3's `{new_method}`; it was "
                    "dropped (it set how batches were produced, not what was learned)",
                    "to load batches in parallel, wrap the data in a `keras.utils.PyDataset(workers=...)`",
                    blocking=False))
                continue
            elif arg.keyword is not None and arg.keyword.value in _KERAS_1:
                self.findings.append(Finding(
                    where, f"`{arg.keyword.value}=` (Keras 1) counted samples; Keras 3 counts steps",
                    f"write `{_KERAS_1[arg.keyword.value]}`", blocking=True))
            new_args.append(arg)
        if new_args and new_args[-1].comma is not libcst.MaybeSentinel.DEFAULT and args and args[-1] not in new_args:
            new_args[-1] = new_args[-1].with_changes(comma=libcst.MaybeSentinel.DEFAULT)
        new = call.with_changes(func=call.func.with_changes(attr=libcst.Name(new_method)), args=new_args)
        if new_method != "fit":  # Keras 2's evaluate_generator and predict_generator were quiet
            new = _quiet(new)
        self.edits.append(Edit(call, new, f"Keras 3's {new_method} takes generators"))

    def prediction(self, call, method):
        predict = call.with_changes(func=call.func.with_changes(attr=libcst.Name("predict")))
        if len(positional(call)) < 3:  # (x, batch_size, verbose)
            predict = _quiet(predict)
        code = self.program.code(predict)
        if method == "predict_proba":
            self.edits.append(Edit(call, predict, "Keras 2's predict_proba was predict"))
            return
        units = self.last_layers.get(self.program.code(call.func.value))
        if units == 1:
            new = libcst.parse_expression(f'({code} > 0.5).astype("int32")')
            reason = "Keras 2's predict_classes, for a model ending in one unit"
        else:
            new = libcst.parse_expression(f"{code}.argmax(axis=-1)")
            reason = "Keras 2's predict_classes: the most probable class"
            if units is None:
                self.findings.append(Finding(
                    self.program.location(call),
                    "`predict_classes` took the argmax only when the model's last axis had more than "
                    "one unit, and `(p > 0.5)` otherwise; the model's last layer is not visible here, "
                    "so the argmax was written",
                    f'if the model ends in one unit, use `({code} > 0.5).astype("int32")`',
                    blocking=False))
        self.edits.append(Edit(call, new, reason))


def _quiet(call):
    """``call`` with ``verbose=0`` added, unless it sets verbose itself."""
    if keyword(call, "verbose") is not None:
        return call
    args = list(call.args)
    if args and not isinstance(args[-1].comma, libcst.Comma):
        args[-1] = args[-1].with_changes(comma=libcst.Comma(whitespace_after=libcst.SimpleWhitespace(" ")))
    args.append(libcst.Arg(value=libcst.Integer("0"), keyword=libcst.Name("verbose"),
                           equal=libcst.AssignEqual(whitespace_before=libcst.SimpleWhitespace(""),
                                                    whitespace_after=libcst.SimpleWhitespace(""))))
    return call.with_changes(args=args)


def _renamed_keyword(call, old, new):
    return call.with_changes(args=[
        arg.with_changes(keyword=libcst.Name(new)) if arg.keyword is not None and arg.keyword.value == old else arg
        for arg in call.args
    ])


def _last_layers(context):
    """Receiver code -> 1 when its last ``.add``-ed layer ends in one unit (or a sigmoid), else "many"."""
    found = {}

    class Adds(libcst.CSTVisitor):
        def visit_Call(self, node):
            if isinstance(node.func, libcst.Attribute) and node.func.attr.value == "add" and node.args:
                layer = node.args[0].value
                receiver = context.program.code(node.func.value)
                found[receiver] = _units(context, layer)

    context.program.visit(Adds())
    return found


def _units(context, layer):
    while isinstance(layer, libcst.Call):
        name = context.keras_name(layer.func)
        if name is None:
            return None
        if name[-1] in ("TimeDistributed", "Bidirectional") and layer.args:
            layer = layer.args[0].value
            continue
        activation = keyword(layer, "activation")
        if name[-1] == "Activation" and layer.args:
            activation = layer.args[0]
        if activation is not None and isinstance(activation.value, libcst.SimpleString):
            if activation.value.evaluated_value == "sigmoid":
                return 1
            if activation.value.evaluated_value == "softmax" and name[-1] == "Activation":
                return "many"
        units = keyword(layer, "units") or (positional(layer)[0] if positional(layer) else None)
        if name[-1] == "Dense" and units is not None and isinstance(units.value, libcst.Integer):
            return 1 if units.value.evaluated_value == 1 else "many"
        if name[-1] == "Dense" and activation is not None and isinstance(activation.value, libcst.SimpleString):
            return "many" if activation.value.evaluated_value == "softmax" else None
        return None
    return None


def plot_model_statements(context):
    """Edits wrapping each ``plot_model(...)`` statement so a missing pydot/graphviz is said, not fatal."""
    edits = []

    class Statements(libcst.CSTVisitor):
        def visit_Try(self, node):
            # already guarded (a migrated file, or the author's own try)
            return not any(_catches_import_error(handler) for handler in node.handlers)

        def visit_SimpleStatementLine(self, node):
            if len(node.body) != 1 or not isinstance(node.body[0], libcst.Expr):
                return False
            call = node.body[0].value
            if not isinstance(call, libcst.Call):
                return False
            name = context.keras_name(call.func)
            if name not in (("keras", "utils", "plot_model"), ("keras", "utils", "vis_utils", "plot_model")):
                return False
            bare = node.with_changes(leading_lines=[])
            code = context.program.code(bare).rstrip("\n")
            wrapped = libcst.parse_statement(
                f"try:\n    {code}\nexcept ImportError as error:  # pydot or graphviz is missing\n"
                f'    print("no picture written:", error)\n'
            )
            edits.append(Edit(node, wrapped.with_changes(leading_lines=node.leading_lines),
                              "Keras 3's plot_model raises without pydot and graphviz; the script goes on"))
            return False

    context.program.visit(Statements())
    return edits


def _catches_import_error(handler):
    if handler.type is None:
        return True
    types = handler.type.elements if isinstance(handler.type, libcst.Tuple) else [libcst.Element(handler.type)]
    return any(dotted(element.value) in (("ImportError",), ("Exception",)) for element in types)
