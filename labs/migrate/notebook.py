"""A Jupyter notebook: its code cells migrate as one program, in order.

Notebooks are read and written with nbformat (version 4). IPython lines that
are not Python (``%magic``, ``!shell``) are set aside before parsing and put
back untouched; a cell that starts with a ``%%`` cell magic is left as it is
and reported. A migrated notebook loses its outputs and execution counts:
they came from the old code. ``run`` executes a notebook with nbclient on
this Python's own ipykernel, and returns it with fresh outputs.
"""

import io
import time
import tokenize

import nbformat
from jupyter_client.manager import KernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from labs.migrate import source
from labs.migrate.environment import ThisPythonKernels, run_environment
from labs.migrate.errors import MigrationError
from labs.migrate.migrated import Migrated
from labs.migrate.report import Change, Finding, Location, RunOutcome
from labs.migrate.rules import migrate_modules

_PYTHON3 = {"name": "python3", "display_name": "Python 3", "language": "python"}


def read(data):
    """Parse notebook bytes into a validated version-4 notebook, or raise MigrationError."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise MigrationError(
            f"not valid UTF-8 at byte {error.start} (a notebook is UTF-8 JSON)"
        ) from None
    try:
        notebook = nbformat.reads(text, as_version=4)
        nbformat.validate(notebook)
    except nbformat.ValidationError as error:
        raise MigrationError(f"not a valid Jupyter notebook: {error.message}") from None
    except Exception as error:  # nbformat raises JSON, version and key errors alike
        reason = " ".join(str(error).split())[:200] or type(error).__name__
        raise MigrationError(f"not a readable Jupyter notebook: {reason}") from None
    return notebook


def write(notebook):
    text = nbformat.writes(notebook)
    return (text if text.endswith("\n") else text + "\n").encode("utf-8")


def readable_text(data):
    """One text per code cell, headed by its number: what a diff of a notebook shows."""
    notebook = read(data)
    return "".join(
        f"# cell {number}\n{cell.source}\n"
        for number, cell in enumerate(notebook.cells, 1)
        if cell.cell_type == "code"
    )


def migrate(data):
    """Migrate notebook bytes; the result's ``data`` is ``data`` when nothing changed."""
    notebook = read(data)
    parts, skipped = [], []
    for number, cell in enumerate(notebook.cells, 1):
        if cell.cell_type != "code":
            continue
        if cell.source.lstrip().startswith("%%"):
            skipped.append(number)
            continue
        masked, restore = _set_aside_ipython(cell.source)
        parts.append((number, cell, restore, source.parse(masked, where=f"cell {number}, line", top_level_await=True)))
    outcome = migrate_modules([module for *_, module in parts], [number for number, *_ in parts])
    if not outcome.uses_tensorflow:
        return Migrated(data, [], [], uses_tensorflow=False)

    findings = outcome.findings + [
        Finding(
            Location(1, number),
            "the cell starts with a %% cell magic, so it is not Python and was not checked",
            "move any TensorFlow code out of the cell magic",
            blocking=False,
        )
        for number in skipped
    ]
    changed = False
    for (_, cell, restore, _), module in zip(parts, outcome.modules):
        new_source = restore(module.code)
        if new_source != cell.source:
            cell.source = new_source
            changed = True
    if not changed:
        return Migrated(data, [], findings, uses_tensorflow=True, kind=outcome.kind)
    changes = list(outcome.changes)
    stale = [cell for cell in notebook.cells if cell.cell_type == "code" and cell.outputs]
    if stale:
        changes.append(
            Change(Location(0), f"outputs of {len(stale)} cell(s)", "none", "they came from the old code")
        )
    for cell in notebook.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
    kernel = notebook.metadata.get("kernelspec", {}).get("name")
    if kernel != "python3":
        notebook.metadata["kernelspec"] = dict(_PYTHON3)
        changes.append(
            Change(Location(0), f"kernel {kernel}", "kernel python3", "the migrated code is Python 3")
        )
    return Migrated(write(notebook), changes, findings, uses_tensorflow=True, kind=outcome.kind)


def _set_aside_ipython(text):
    """Replace IPython-only lines by placeholder names; return (text, restore)."""
    lines = text.splitlines(keepends=True)
    saved = {}
    for index, line in enumerate(lines):
        stripped = line.lstrip()
        if not stripped.startswith(("%", "!")) or not _starts_statement("".join(lines[:index])):
            continue
        placeholder = f"__labs_migrate_ipython_{index}__"
        while placeholder in text:
            placeholder += "_"
        body = stripped.rstrip("\r\n")
        lines[index] = line[: len(line) - len(stripped)] + placeholder + stripped[len(body):]
        saved[placeholder] = body

    def restore(code):
        for placeholder, body in saved.items():
            code = code.replace(placeholder, body)
        return code

    return "".join(lines), restore


def _starts_statement(prefix):
    """True when the code after ``prefix`` begins a new statement (not inside brackets or a string)."""
    try:
        for _ in tokenize.generate_tokens(io.StringIO(prefix).readline):
            pass
    except tokenize.TokenError:
        return False
    except (IndentationError, SyntaxError):
        return True
    return True


def run(path, cwd, timeout):
    """Execute the notebook at ``path`` from ``cwd``; return (RunOutcome, executed bytes or None)."""
    notebook = read(path.read_bytes())
    manager = KernelManager(kernel_name="python3", kernel_spec_manager=ThisPythonKernels())
    client = NotebookClient(
        notebook,
        timeout=timeout,
        km=manager,
        resources={"metadata": {"path": str(cwd)}},
    )
    started = time.monotonic()
    try:
        client.execute(env=run_environment())
    except CellExecutionError as error:
        failed = next(
            (
                number
                for number, cell in enumerate(notebook.cells, 1)
                if any(output.get("output_type") == "error" for output in cell.get("outputs", []))
            ),
            None,
        )
        where = f" in cell {failed}" if failed else ""
        detail = f": {error.ename}{where}: {error.evalue}"
        return RunOutcome(False, detail, time.monotonic() - started), None
    except Exception as error:  # the kernel died, or a cell timed out
        detail = f": {type(error).__name__}: {' '.join(str(error).split())[:300]}"
        return RunOutcome(False, detail, time.monotonic() - started), None
    return RunOutcome(True, "", time.monotonic() - started), write(notebook)
