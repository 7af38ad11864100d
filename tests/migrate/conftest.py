"""Helpers for the migrator's tests: migrate a snippet, call the CLI in-process."""

import os
import pathlib

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import pytest  # noqa: E402

FIXTURES = pathlib.Path(__file__).parent / "fixtures"
COURSE_SCRIPTS = ("hello_rnn", "char_seq_rnn", "rnn_long_char", "rnn_stock_prediction")


def migrate_text(text):
    """Migrate Python source text; returns the ``Migrated`` with ``text`` set to the new source."""
    from labs.migrate import script

    migrated = script.migrate(text.encode("utf-8"))
    migrated.text = migrated.data.decode("utf-8")
    return migrated


def blocking(migrated):
    return [finding for finding in migrated.findings if finding.blocking]


def advice(migrated):
    return [finding for finding in migrated.findings if not finding.blocking]


@pytest.fixture
def cli(capfd):
    """``cli(*argv)`` runs ``python -m labs migrate`` in-process: (status, stdout, stderr).

    Captured at the file-descriptor level, so the output of ``--run`` children counts.
    """
    from labs.migrate.cli import main

    def invoke(*argv):
        status = main([str(arg) for arg in argv])
        captured = capfd.readouterr()
        return status, captured.out, captured.err

    return invoke
