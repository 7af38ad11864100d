"""The course's Keras material as its users have it, and as notebooks.

``fixtures/keras`` holds scripts written in the style of each source (see
``../shared/KERAS2.md``): ``tf2/`` the ``tf.keras`` ports of labs 12-1, 12-2,
12-4 and 12-5; ``keras2/`` standalone Keras 2 scripts and a Keras 1/2 idioms
script; ``seed002/`` the lecture notes' shape tour and RNN language model. Each
is also written as a notebook beside it (its code in cells split at blank
lines, a markdown title first), so a folder holds both forms.

Epochs are those of the sources except where a run would cost seconds of CPU
in the test suite: 12-4 100 (as the port), 12-5 100 instead of 500, the
seq2seq 300 samples and 30 epochs instead of 1000 and 1000.
"""

import ast
import pathlib
import shutil

import nbformat

FIXTURES = pathlib.Path(__file__).parent / "fixtures" / "keras"
FOLDERS = ("tf2", "keras2", "seed002")
STOCK_CSV = "data-02-stock_daily.csv"
CORPUS = "corpus.txt"  # what keras2/k24_text_generation.py downloads with get_file, from a file:// origin
CORPUS_TEXT = "the quick brown fox jumps over the lazy dog. a stitch in time saves nine. " * 8


def scripts():
    """Every fixture script, as a path relative to ``FIXTURES``."""
    return sorted(path.relative_to(FIXTURES) for folder in FOLDERS for path in (FIXTURES / folder).glob("*.py"))


def as_notebook(text, title):
    """The script ``text`` as a notebook: a markdown title, then code cells split at blank lines."""
    cells, pending = [], ""
    for chunk in text.strip("\n").split("\n\n"):
        pending = f"{pending}\n\n{chunk}" if pending else chunk
        try:
            ast.parse(pending)
        except SyntaxError:
            continue  # a function or bracket spans the blank line
        if pending.strip():
            cells.append(nbformat.v4.new_code_cell(pending.strip("\n")))
        pending = ""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_markdown_cell(f"# {title}")] + cells
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


SUFFIXES = (".py", ".ipynb")


def write(folder, write_stock_csv, suffixes=SUFFIXES):
    """The fixtures (".py") and their notebooks (".ipynb"), as `suffixes`
    says, under ``folder``, the stock CSV where each script reads it."""
    unknown = set(suffixes) - set(SUFFIXES)
    if unknown or not suffixes:
        raise ValueError(f"suffixes: some of {SUFFIXES}, got {suffixes!r}")
    for relative in scripts():
        target = folder / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if ".py" in suffixes:
            shutil.copy(FIXTURES / relative, target)
        if ".ipynb" in suffixes:
            notebook = as_notebook((FIXTURES / relative).read_text(encoding="utf-8"), relative.stem)
            nbformat.write(notebook, target.with_suffix(".ipynb"))
    write_stock_csv(folder / STOCK_CSV)  # the tf.keras ports read ../data-02-stock_daily.csv
    shutil.copy(folder / STOCK_CSV, folder / "keras2" / STOCK_CSV)
    (folder / "keras2" / CORPUS).write_text(CORPUS_TEXT, encoding="utf-8")
    return folder
