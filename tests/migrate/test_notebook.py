"""Notebooks: cells migrate as one program; magics and markdown kept; outputs cleared."""

import json

import nbformat
import pytest

from labs.migrate import notebook
from labs.migrate.errors import MigrationError
from tests.migrate import course_notebook


def build(sources, **metadata):
    nb = nbformat.v4.new_notebook(metadata=metadata)
    nb.cells = [nbformat.v4.new_markdown_cell("# title")]
    nb.cells += [nbformat.v4.new_code_cell(source) for source in sources]
    return nb


def migrate_cells(sources):
    """Migrate code cells given as sources; returns (Migrated, the new sources)."""
    migrated = notebook.migrate(notebook.write(build(sources)))
    cells = notebook.read(migrated.data).cells
    return migrated, [cell.source for cell in cells if cell.cell_type == "code"]


def test_course_notebook_migrates_section_by_section():
    original = course_notebook.build()
    migrated = notebook.migrate(notebook.write(original))
    result = notebook.read(migrated.data)

    changed = {
        number
        for number, (old, new) in enumerate(zip(original.cells, result.cells), 1)
        if old.source != new.source
    }
    multi_number, multi = course_notebook.section(result, "MultiRNNCell")
    assert changed == {2, multi_number}
    assert "import compat.tf1 as tf\n" in result.cells[1].source
    assert "from compat.tf1.contrib import rnn\n" in result.cells[1].source
    assert result.cells[1].source.endswith("%precision 4")
    assert (
        "rnn.MultiRNNCell([rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)], "
        "state_is_tuple=True) # 3 layers" in multi.source
    )
    assert [(c.location.cell, c.location.line) for c in migrated.changes if c.location.line] == [
        (2, 2),
        (2, 4),
        (multi_number, 4),
    ]
    assert all(cell.outputs == [] for cell in result.cells if cell.cell_type == "code")
    assert result.metadata.kernelspec.name == "python3"
    assert {c.before for c in migrated.changes if c.location.line == 0} == {
        "outputs of 1 cell(s)",
        "kernel python2",
    }
    assert result.cells[0] == original.cells[0]
    assert notebook.migrate(migrated.data).data == migrated.data


def test_ipython_lines_are_set_aside_and_restored_exactly():
    sources = [
        "%matplotlib inline\nimport tensorflow as tf\n!pip list | grep tensorflow\nsess = tf.Session()",
        "for i in range(2):\n    %time x = tf.constant(i)\ns = ('%d'\n     % 3)",
        "%%bash\necho tensorflow",
    ]
    migrated, new = migrate_cells(sources)
    assert new[0] == sources[0].replace("import tensorflow", "import compat.tf1")
    assert new[1:] == sources[1:]
    [skipped] = migrated.findings
    assert skipped.location.cell == 4 and "%% cell magic" in skipped.message


def test_notebook_without_tensorflow_is_untouched():
    data = notebook.write(build(["import numpy as np\nprint(list(set('ab')))"]))
    migrated = notebook.migrate(data)
    assert migrated.data is data and not migrated.uses_tensorflow


def test_syntax_error_names_the_cell():
    with pytest.raises(MigrationError, match=r"^cell 3, line 2: Python 2 syntax: the Python 2 print"):
        notebook.migrate(notebook.write(build(["import tensorflow as tf", "x = 1\nprint x"])))


@pytest.mark.parametrize(
    "data, reason",
    [
        (b'{"cells": [', "not a readable Jupyter notebook"),
        (b"\xff\xfe not json", "not valid UTF-8"),
        (json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {}}).encode(), "not a valid Jupyter"),
        (b"[]", "not a readable Jupyter notebook"),
    ],
)
def test_unreadable_notebooks_are_refused_clearly(data, reason):
    with pytest.raises(MigrationError, match=reason):
        notebook.migrate(data)


def run_cells(sources):
    """Runs code cells in order in one fresh namespace, as a kernel would."""
    namespace = {}
    for number, source in enumerate(sources, 1):
        try:
            exec(compile(source, f"<cell {number}>", "exec"), namespace)
        except Exception as error:  # noqa: BLE001 - the failing cell is the message
            raise AssertionError(f"cell {number} failed: {type(error).__name__}: {error}\n{source}") from error
    return namespace


@pytest.mark.parametrize("sources", [
    pytest.param([
        "from keras.models import Sequential\nfrom keras.layers import Embedding, Dense",
        "model = Sequential()\nmodel.add(Embedding(20, 4, input_length=5))\nmodel.add(Dense(1))",
        "from keras.layers import Embedding, Dropout\nlayer = Dropout(0.1)",
    ], id="re-imported-later"),
    pytest.param([
        "import numpy as np",
        "from keras.models import Sequential",
        "from keras.layers import Embedding as Emb, Dense",
        "model = Sequential()\nmodel.add(Emb(20, 4, input_length=5))",
        "from keras.layers import Embedding as Emb\nmodel.add(Dense(1))",
    ], id="aliased-and-spread"),
    pytest.param([
        "from tensorflow.keras import layers\nfrom tensorflow.keras.models import Sequential",
        "model = Sequential([layers.Embedding(20, 4, input_length=5), layers.Dense(1)])",
        "from tensorflow.keras import layers",
    ], id="module-import-re-imported"),
], )
def test_added_imports_land_where_the_cell_needing_them_runs(sources):
    """Keras 3 needs ``Input`` for ``input_length``: the name must be imported by
    a cell that runs before the one using it, never by a later re-import."""
    migrated, new_sources = migrate_cells(sources)
    assert not any(finding.blocking for finding in migrated.findings), migrated.findings
    namespace = run_cells(new_sources)
    assert namespace["model"].layers[0].name.startswith("embedding")
    assert any("Input" in source for source in new_sources)


def test_check_on_a_notebook_shows_the_added_import_in_its_cell(tmp_path, cli):
    source = tmp_path / "spread.ipynb"
    source.write_text(notebook.write(build([
        "from keras.models import Sequential\nfrom keras.layers import Embedding, Dense",
        "model = Sequential()\nmodel.add(Embedding(20, 4, input_length=5))",
        "from keras.layers import Embedding, Dropout",
    ])).decode("utf-8"))
    before = source.read_bytes()
    status, out, _ = cli(source, "--check")
    assert status == 0
    hunk = out[out.index("# cell 2"):out.index("# cell 3")]
    assert "+from keras.layers import Embedding, Dense, Input" in hunk
    assert "cell 2, line 2: `from keras.layers import Embedding, Dense` -> " in out
    assert "cell 4, line" not in out  # the later re-import is left alone
    assert source.read_bytes() == before
