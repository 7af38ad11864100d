"""Legacy habits: reported with a fix, never edited; Python 2 syntax named clearly."""

import pytest

from labs.migrate import script
from labs.migrate.errors import MigrationError
from tests.migrate.conftest import advice, blocking, migrate_text

HEADER = "import tensorflow as tf\nsess = tf.Session()\n"


def findings_of(body):
    migrated = migrate_text(HEADER + body)
    assert migrated.text == "import compat.tf1 as tf\nsess = tf.Session()\n" + body
    return migrated


def test_list_of_set_vocabulary_is_advice_with_sorted_as_the_fix():
    migrated = findings_of("idx2char = list(set(sample))  # index -> char\nchars = tuple(set(s))\n")
    first, second = advice(migrated)
    assert (first.location.line, second.location.line) == (3, 4)
    assert "PYTHONHASHSEED" in first.message
    assert first.suggestion == "`sorted(set(sample))`" and second.suggestion == "`sorted(set(s))`"
    assert blocking(migrated) == []


def test_ordered_vocabularies_are_not_flagged():
    migrated = findings_of("a = sorted(set(s))\nb = sorted(list(set(s)))\nc = list(sorted(set(s)))\n")
    assert migrated.findings == []


@pytest.mark.parametrize(
    "comparison, fix",
    [("j is 0", "`j == 0` instead of `is`"), ("name is not 'x'", "`name != 'x'` instead of `is not`")],
)
def test_identity_with_a_literal_is_advice(comparison, fix):
    [finding] = advice(findings_of(f"if {comparison}:\n    pass\n"))
    assert finding.suggestion == fix and not finding.blocking


def test_identity_with_none_is_fine():
    assert findings_of("if j is None or j is not True:\n    pass\n").findings == []


def test_python2_builtins_are_not_converted_unless_defined():
    migrated = findings_of("for i in xrange(3):\n    s = raw_input()\nd.iteritems()\n")
    assert [(f.location.line, f.suggestion) for f in blocking(migrated)] == [
        (3, "`range`"),
        (4, "`input`"),
        (5, "`.items()`"),
    ]
    defined = findings_of("def xrange(n):\n    return range(n)\nfor i in xrange(3):\n    pass\n")
    assert defined.findings == []


@pytest.mark.parametrize(
    "line, named",
    [
        ("print x", "the Python 2 print statement; write print(...)"),
        ('print "loss:", l', "the Python 2 print statement; write print(...)"),
        ("except ValueError, e:", "'except X, name:' is Python 2"),
        ('exec "x = 1"', "the Python 2 exec statement"),
    ],
)
def test_python2_syntax_is_named_with_its_line(line, named):
    body = "try:\n    pass\n" + line + "\n    pass\n" if line.startswith("except") else line + "\n"
    with pytest.raises(MigrationError) as error:
        script.migrate((HEADER + body).encode())
    message = str(error.value)
    number = (HEADER + body).splitlines().index(line) + 1
    assert message.startswith(f"line {number}: Python 2 syntax: ")
    assert named in message


def test_print_to_a_file_python2_style_parses_but_is_not_converted():
    [finding] = blocking(findings_of("print >>sys.stderr, 'loss', l\n"))
    assert finding.location.line == 3 and finding.suggestion == "`print(..., file=sys.stderr)`"


def test_other_syntax_errors_name_their_line():
    with pytest.raises(MigrationError, match=r"^line 3: syntax error, not valid Python 3: 'x = \(1,'"):
        script.migrate((HEADER + "x = (1,\n").encode())
