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


def skip_unless_the_pages_keras():
    """The page and the name-by-name check run where the page's Keras is installed
    (tf221): elsewhere they would repeat 758 migrations that the fixture test covers."""
    import keras

    made_with = re.search(r"^Against Keras (\S+)\.$", PAGE.read_text(), flags=re.MULTILINE).group(1)
    if made_with != keras.__version__:
        pytest.skip(f"docs/keras2-names.md was made with Keras {made_with}; this is {keras.__version__}")


def test_the_page_matches_the_code_for_its_keras():
    skip_unless_the_pages_keras()
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
    skip_unless_the_pages_keras()
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


def keras_names_used(text):
    """Every Keras dotted name a program imports or uses, rooted at ``keras``."""
    import libcst

    from labs.migrate import namespaces
    from labs.migrate.program import Program
    from labs.migrate.transform import collect

    names = collect(Program([libcst.parse_module(text)]))
    used = {namespaces.keras_names(entry.imported) for entry in names.imports}
    used |= {namespaces.keras_names(full) for _, full, _ in names.uses}
    return sorted(".".join(name) for name in used if name is not None and len(name) > 1)


def test_every_keras_name_the_fixtures_use_is_classified_as_migrate_treats_it():
    """A Keras 2 name in the course's Keras material is same or rewritten by the
    table, or migrate reports it there; none is passed through unclassified."""
    from tests.migrate import keras_course

    checked = 0
    for relative in keras_course.scripts():
        text = (keras_course.FIXTURES / relative).read_text(encoding="utf-8")
        migrated = migrate_text(text)
        for dotted in keras_names_used(text):
            kind, _ = keras2_names.classify(dotted)
            checked += 1
            if kind == "reported":
                assert any(dotted.split(".")[-1] in finding.message for finding in migrated.findings), (
                    relative, dotted)
            else:
                assert kind in ("same", "rewritten"), (relative, dotted, kind)
    assert checked > 50
