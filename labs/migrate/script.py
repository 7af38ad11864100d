"""A ``.py`` file: migrate its bytes, run it with this Python."""

import subprocess
import sys
import time

from labs.migrate import source
from labs.migrate.environment import run_environment
from labs.migrate.migrated import Migrated
from labs.migrate.report import RunOutcome
from labs.migrate.rules import migrate_modules


def migrate(data):
    """Migrate Python source bytes; the result's ``data`` is ``data`` when nothing changed."""
    text, encoding = source.decode(data)
    outcome = migrate_modules([source.parse(text)])
    new_text = outcome.modules[0].code
    new_data = data if new_text == text else source.encode(new_text, encoding)
    return Migrated(new_data, outcome.changes, outcome.findings, outcome.uses_tensorflow, outcome.kind)


def readable_text(data):
    return source.decode(data)[0]


def run(path, cwd, timeout):
    """Run the script at ``path`` with this Python from ``cwd``; return (RunOutcome, None).

    The script's output goes straight to this process's stdout and stderr.
    """
    started = time.monotonic()
    try:
        completed = subprocess.run(
            [sys.executable, str(path)], cwd=cwd, env=run_environment(), timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return RunOutcome(False, f": timed out after {timeout} s", time.monotonic() - started), None
    detail = "" if completed.returncode == 0 else f": exit status {completed.returncode}"
    return RunOutcome(completed.returncode == 0, detail, time.monotonic() - started), None
