"""The Keras 2.15 name table: docs/keras2-names.md is what the code computes, and
migrate does to every name what the table says it does.

The table's classes come from resolution against the installed Keras 3 and
from migrate's own rules (labs/migrate/keras2_names.py); these tests hold
migrate's behaviour to them name by name: a ``reported`` name used in a
program is reported, a ``rewritten`` one is rewritten, a ``same`` one is
left alone and not reported. The page records the Keras it was made with;
its drift check runs where that Keras is installed.
"""

import pathlib
import re

import pytest

from labs.migrate import keras2_names
from tests.migrate.conftest import blocking, migrate_text

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "keras2-names.md"
ROWS = keras2_names.table()
ENTRIES = [entry for entries in ROWS.values() for entry in entries]


def test_the_page_matches_the_code_for_its_keras():
    import keras

    made_with = re.search(r"^Against Keras (\S+)\.$", PAGE.read_text(), flags=re.MULTILINE).group(1)
    if made_with != keras.__version__:
        pytest.skip(f"docs/keras2-names.md was made with Keras {made_with}; this is {keras.__version__}")
    assert keras2_names.main(["--check", str(PAGE)]) == 0, (
        "docs/keras2-names.md is stale: run python -m labs.migrate.keras2_names --output docs/keras2-names.md")


def test_every_keras_2_15_name_is_classified():
    assert len(ENTRIES) == len(keras2_names.keras2_names()) > 700
    assert {kind for _, kind, _ in ENTRIES} <= set(keras2_names.CLASSES)


def use_of(dotted):
    """A program that uses ``dotted`` the way Keras 2 code reached it."""
    module, name = dotted.rsplit(".", 1)
    return f"from {module} import {name}\nvalue = {name}\n"


def test_migrate_does_what_the_table_says():
    wrong = []
    for dotted, kind, detail in ENTRIES:
        migrated = migrate_text(use_of(dotted))
        reported = [finding for finding in blocking(migrated) if dotted.split(".")[-1] in finding.message
                    or dotted.rsplit(".", 1)[0] in finding.message]
        if kind == "same" and (blocking(migrated) or migrated.changes):
            wrong.append((dotted, kind, "changed or reported"))
        elif kind == "rewritten" and (not migrated.changes or blocking(migrated)
                                      or detail.rsplit(".", 1)[0] not in migrated.text):
            wrong.append((dotted, kind, migrated.text))
        elif kind == "reported" and not reported:
            wrong.append((dotted, kind, "not reported"))
    assert wrong == []
