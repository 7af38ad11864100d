"""One lab as a teaching notebook, built from the lab's own files.

A training lab's notebook reads top to bottom like the course:

    the story        the lab's docstrings (package, data)
    the data         %%module labs.<lab>.data          the file, run as that module
    TF1              %%module labs.<lab>.v1             the graph, loss, optimizer
                     build_graph, train_session         the harness's Session loop
                     a Session trains it, printing "i loss: l Prediction: text"
    Keras 3          %%module labs.<lab>.v2             the model, loss, optimizer
                     model.summary(), loss, optimizer
                     compiled_train_steps, train_steps, run_training   the harness's loop
                     it trains, printing the same kind of lines
    both forms       `labs diff`'s run: v2 from v1's initial weights with TF1's
                     Adam, the agreement table (`diff.render`) and its plot

A section lab's (12-0, 12-6) shows its three modules, the TF1 and Keras
files folded (Jupyter's `source_hidden`: they run, but a reader meets each
section's functions where its arrays are), runs both forms once (Keras from
the TF1 variables), then per section the TF1 and the Keras code and the
arrays each printed, side by side.

Every code cell is cut from a module the harness runs (`labs.lesson.source`),
so a notebook cannot drift from the labs unnoticed: `code_cells(build(lab))`
is what the committed notebook must hold. The printed losses are the
harness's: the loops are the harness's functions and the seeds are set as
the harness sets them (`labs.harness.seeding`).
"""

import inspect

import nbformat
from nbformat import v4

from labs.harness import registry
from labs.lesson import source

KERNELSPEC = {"name": "python3", "display_name": "Python 3",
              "language": "python"}
REGENERATE = "python -m labs notebook --all --execute"


def filename(lab_id):
    """`12-1_hello_rnn.ipynb`: the lab id, then its package's name."""
    entry = registry.get(lab_id)
    return f"{lab_id}_{entry.package.rpartition('.')[2]}.ipynb"


def build(lab_id):
    """The notebook of `lab_id` (an `nbformat` v4 notebook, not executed)."""
    entry = registry.get(lab_id)
    cells = _introduction(entry)
    if entry.kind == "sections":
        cells += _sections_lesson(entry)
    else:
        cells += _training_lesson(entry)
    notebook = v4.new_notebook(cells=cells)
    notebook.metadata["kernelspec"] = dict(KERNELSPEC)
    notebook.metadata["language_info"] = {"name": "python"}
    nbformat.validate(notebook)
    return notebook


def code_cells(notebook):
    """The sources of a notebook's code cells, in order."""
    return [cell.source for cell in notebook.cells if cell.cell_type == "code"]


def _md(text):
    return v4.new_markdown_cell(text.strip("\n"))


def _code(text):
    return v4.new_code_cell(text.strip("\n"))


def _name(entry, module):
    return f"{entry.package}.{module}"


def _module_cells(entry, module):
    """`%%module` cells: the other labs' modules this one imports, then it."""
    name = _name(entry, module)
    cells = []
    for dependency in source.lab_dependencies(name):
        cells.append(_md(f"`{name}` builds on `{dependency}`, "
                         f"so that file comes first:"))
        cells.append(_code(source.module_cell(dependency)))
    cells.append(_code(source.module_cell(name)))
    return cells


def _introduction(entry):
    package_doc = source.docstring(entry.package).split("\n\n")[0]
    return [
        _md(f"""
# Lab {entry.lab_id}: {entry.title}

{package_doc}

This notebook is generated from the lab's files by
`python -m labs notebook {entry.lab_id}`; every code cell is a file of the
project or a function of its harness, as it is. A cell that starts with
`%%module NAME` runs its code as that module, so the harness and every cell
below use what you see: change a hyperparameter in the data cell, rerun it
and the cells after it, and the lab trains with the new value.
"""),
        _code(f"""
import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")  # TensorFlow's C++ log noise
import keras
import tensorflow as tf

tf.get_logger().setLevel("ERROR")  # the TF1 API's deprecation notices
%load_ext labs.lesson.kernel
print(f"TensorFlow {{tf.__version__}}, Keras {{keras.__version__}}")

LAB = "{entry.lab_id}"
DTYPE = "float32"  # "float64" runs every cell below in double precision
"""),
        _md(f"""
## The data

{source.docstring(_name(entry, "data"))}
"""),
        *_module_cells(entry, "data"),
    ]


def _training_lesson(entry):
    from labs.harness import keras_loop, session_loop, tensorflow_steps

    data_source = source.module_body(_name(entry, "data"))
    v1_source = source.module_body(_name(entry, "v1"))
    v2_source = source.module_body(_name(entry, "v2"))
    cells = [
        _md(f"""
## 1. TF1: the graph, as the course wrote it

{source.docstring(_name(entry, "v1"))}
"""),
        *_module_cells(entry, "v1"),
        _md("""
### The Session loop

The harness trains every TF1 lab with these two functions
(`labs/harness/session_loop.py`), and so does this notebook: a fresh
`tf.Graph` with the course's graph seed, 777, then one
`sess.run([loss, train])` per iteration. Each printed line is the loss of
that iteration's forward pass, *before* its update, and the prediction of
the same pass; the last line is the model after the last update.
"""),
        _code(source.function_cell(
            [session_loop.build_graph, session_loop.train_session])),
        _code(f"""
from labs.harness.run import print_progress, recorder_for

tf1_recorder = recorder_for(LAB, DTYPE, progress=print_progress)
graph, lab, init_op = build_graph(v1.build, DTYPE)
with graph.as_default(), tf.compat.v1.Session(graph=graph) as session:
    session.run(init_op)
    train_session(session, lab, tf1_recorder){_evaluation("session", v1_source, data_source)}
"""),
        _md(f"""
## 2. Keras 3: the model, its loss and optimizer

{source.docstring(_name(entry, "v2"))}
"""),
        *_module_cells(entry, "v2"),
        _code("""
from labs.harness.keras_loop import describe_loss, describe_optimizer
from labs.harness.seeding import seed_keras

seed_keras()  # keras.utils.set_random_seed(777), right before the model
lab = v2.build(DTYPE)
lab.model.summary()
print("loss:     ", describe_loss(lab.loss))
print("optimizer:", describe_optimizer(lab.optimizer))
"""),
        _md("""
### The training loop

The harness trains every Keras lab with these three functions
(`labs/harness/tensorflow_steps.py`, `labs/harness/keras_loop.py`), and so
does this notebook. One `tf.function` runs several iterations of
`GradientTape` + `optimizer.apply` and hands back each iteration's loss
computed before its update: what `sess.run([loss, train])` returned in TF1,
not the running mean `fit` would print. How many iterations one call runs
changes the speed only, never a number. (On Keras's JAX and PyTorch
backends the harness swaps in its `jax_steps` or `torch_steps` for the
first two.)
"""),
        _code(source.function_cell(
            [tensorflow_steps.compiled_train_steps,
             tensorflow_steps.train_steps, keras_loop.run_training])),
        _code(f"""
keras_recorder = recorder_for(LAB, DTYPE, progress=print_progress)
run_training(lab, lab.optimizer, keras_recorder){_evaluation("lab.model", v2_source, data_source)}
"""),
        _md("""
The Keras form starts from Keras's own initial weights and trains with
Keras's own Adam, so its numbers are close to the TF1 form's but not the
same. The next part makes them the same.
"""),
        *_comparison(entry, data_source, part=3),
    ]
    return cells


def _evaluation(argument, module_text, data_source):
    """The test step's lines, for labs whose build defines `evaluate`; then
    its test samples as the course printed them, if `data` has `examples`."""
    if "evaluate=" not in module_text:
        return ""
    indent = "    " if argument == "session" else ""
    lines = (f"\n{indent}evaluation = lab.evaluate({argument})\n"
             f"{indent}for name, value in evaluation.metrics.items():\n"
             f"{indent}    print(f\"{{name}}: {{value}}\")")
    if "\ndef examples(" in data_source:
        lines += (f"\n{indent}for line in data.examples(evaluation):\n"
                  f"{indent}    print(line)")
    return lines


def _comparison(entry, data_source, part):
    cells = [
        _md(f"""
## {part}. Both forms, step for step

What `python -m labs diff` runs: the TF1 form as above, and the Keras form
started from the TF1 graph's initial weights (mapped by the lab's transfer
plan, `compat.weights`) and trained with `compat.optimizers.TF1Adam`, which
takes TF1's Adam steps exactly. The table shows both losses, the golden run
recorded in `golden/`, their differences and the predictions, then one
verdict per check.
"""),
        _code("""
from labs.harness import diff

comparison = diff.diff_lab(LAB, DTYPE)
print(diff.render(comparison))
"""),
    ]
    if entry.kind == "training":
        cells.append(_code("""
import io

from IPython.display import Image

figure = io.BytesIO()
diff.plot([comparison], figure)
Image(figure.getvalue())
"""))
    if "\ndef plot(" in data_source:
        cells += [
            _md("The course's own figure, from the TF1 run above:"),
            _code("""
figure = io.BytesIO()
data.plot(comparison.v1, figure)
Image(figure.getvalue())
"""),
        ]
    return cells


def _sections_lesson(entry):
    v1 = entry.module("v1")
    v2 = entry.module("v2")
    cells = [
        _md(f"""
## 1. TF1: contrib cells in a graph

{source.docstring(_name(entry, "v1"))}

{_FOLDED}
"""),
        *_folded(_module_cells(entry, "v1")),
        _md(f"""
## 2. Keras 3

{source.docstring(_name(entry, "v2"))}

{_FOLDED}
"""),
        *_folded(_module_cells(entry, "v2")),
        _md("""
## 3. Both forms, section by section

The TF1 form builds every section in one graph (graph seed 777) and runs it
in one Session; the Keras form runs the same sections from the TF1
variables, so the two must print the same numbers. Below, for every
section: the TF1 function and the Keras one, quoted from the files above,
then the arrays each computed, side by side.
"""),
        _code("""
from labs.lesson.kernel import side_by_side

tf1_arrays, tf1_variables = v1.run_sections(DTYPE, return_variables=True)
keras_arrays = v2.run_sections(DTYPE, tf1_variables=tf1_variables)
"""),
    ]
    tf1_sections = getattr(v1, "SECTIONS", {})
    keras_sections = getattr(v2, "SECTIONS", {})
    if not _section_names(entry):
        # Sections known only once run: all of them, in one cell.
        cells.append(_code("""
for section in tf1_arrays:
    print(f"=== {section}")
    side_by_side(tf1_arrays[section], keras_arrays[section])
"""))
    for section in _section_names(entry):
        quotes = [(label, functions[section]) for label, functions in
                  (("TF1", tf1_sections), ("Keras 3", keras_sections))
                  if section in functions]
        summary = ""
        keras_function = keras_sections.get(section)
        if keras_function is not None and keras_function.__doc__:
            summary = inspect.cleandoc(keras_function.__doc__).split("\n\n")[0]
        cells.append(_md(f"### {section}\n\n{summary}\n\n"
                         + _quoted_code(quotes)))
        cells.append(_code(
            f"side_by_side(tf1_arrays[{section!r}], "
            f"keras_arrays[{section!r}])"))
    cells += _comparison(entry, "", part=4)
    return cells


_FOLDED = ("The whole file runs below, folded in Jupyter (click "
           "its left edge to unfold it); part 3 quotes each section's "
           "function beside the arrays it prints.")


def _folded(cells):
    """`cells` with their code folded in Jupyter (still run, still saved)."""
    for cell in cells:
        if cell.cell_type == "code":
            cell.metadata["jupyter"] = {"source_hidden": True}
    return cells


def _section_names(entry):
    """The sections, in the order the TF1 form runs them."""
    sections = getattr(entry.module("v1"), "SECTIONS", None)
    if sections is None:
        sections = getattr(entry.module("data"), "SECTIONS", ())
    return tuple(sections)


def _quoted_code(quotes):
    """The sections' functions, quoted as highlighted code blocks."""
    return "\n\n".join(
        f"{label}:\n\n```python\n{inspect.getsource(function).strip()}\n```"
        for label, function in quotes)
