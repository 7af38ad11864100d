"""``MultiRNNCell([cell] * n)``: fresh cells where the constructor is visible, else a report."""

import pytest

from tests.migrate.conftest import blocking, migrate_text

HEADER = "import tensorflow as tf\nfrom tensorflow.contrib import rnn\n"
MIGRATED_HEADER = "import compat.tf1 as tf\nfrom compat.tf1.contrib import rnn\n"


def migrate_body(body):
    migrated = migrate_text(HEADER + body)
    assert migrated.text.startswith(MIGRATED_HEADER)
    return migrated, migrated.text[len(MIGRATED_HEADER) :]


@pytest.mark.parametrize(
    "stack, fresh",
    [
        ("[cell] * 3", "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"),
        ("3 * [cell]", "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"),
        ("[cell, cell, cell]", "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"),
        ("(cell,) * layers", "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(layers)]"),
        ("[cell for _ in range(3)]", "[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"),
        ("cells=[cell] * 3", "cells=[rnn.BasicLSTMCell(num_units=5, state_is_tuple=True) for _ in range(3)]"),
    ],
)
def test_repeated_cell_becomes_one_fresh_cell_per_layer(stack, fresh):
    body = (
        "layers = 3\n"
        "with tf.variable_scope('MultiRNNCell') as scope:\n"
        "    cell = rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)\n"
        f"    cell = rnn.MultiRNNCell({stack}, state_is_tuple=True) # 3 layers\n"
    )
    migrated, text = migrate_body(body)
    assert text == body.replace(stack, fresh)
    [change] = [c for c in migrated.changes if c.location.line == 6]
    assert "fresh cell per layer" in change.reason
    assert blocking(migrated) == []


def test_inline_constructor_repeated_by_multiplication():
    _, text = migrate_body("stack = tf.contrib.rnn.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4)] * 2)\n")
    assert text == "stack = tf.contrib.rnn.MultiRNNCell([tf.nn.rnn_cell.GRUCell(4) for _ in range(2)])\n"


def test_fresh_cells_already_are_left_alone():
    body = (
        "stack = rnn.MultiRNNCell([rnn.BasicLSTMCell(5) for _ in range(3)])\n"
        "other = rnn.MultiRNNCell([rnn.BasicLSTMCell(5), rnn.BasicLSTMCell(5)])\n"
        "cells = [a, b]\n"
        "third = rnn.MultiRNNCell(cells)\n"
    )
    migrated, text = migrate_body(body)
    assert text == body and blocking(migrated) == []


def test_nested_cell_constructors_count_as_repeatable():
    body = (
        "cell = rnn.DropoutWrapper(rnn.BasicLSTMCell(hidden), output_keep_prob=0.5)\n"
        "stack = rnn.MultiRNNCell([cell] * 2)\n"
    )
    _, text = migrate_body(body)
    assert "[rnn.DropoutWrapper(rnn.BasicLSTMCell(hidden), output_keep_prob=0.5) for _ in range(2)]" in text


def test_constructor_in_an_earlier_notebook_cell_counts_so_scope_follows_the_cells():
    from tests.migrate.test_notebook import migrate_cells

    migrated, sources = migrate_cells(
        [HEADER + "cell = rnn.BasicLSTMCell(5)", "stack = rnn.MultiRNNCell([cell] * 2)"]
    )
    assert sources[1] == "stack = rnn.MultiRNNCell([rnn.BasicLSTMCell(5) for _ in range(2)])"
    assert blocking(migrated) == []


def test_placeholder_avoids_a_name_the_constructor_reads():
    _, text = migrate_body("cell = rnn.BasicLSTMCell(_)\nstack = rnn.MultiRNNCell([cell] * 2)\n")
    assert "[rnn.BasicLSTMCell(_) for _layer in range(2)]" in text


@pytest.mark.parametrize(
    "body, why",
    [
        ("stack = rnn.MultiRNNCell([cell] * 2)\n", "not built here"),
        ("def build(cell):\n    return rnn.MultiRNNCell([cell] * 2)\n", "a parameter"),
        (
            "cell = rnn.BasicLSTMCell(size)\nsize = 7\nstack = rnn.MultiRNNCell([cell] * 2)\n",
            "an argument rebound in between",
        ),
        (
            "cell = rnn.BasicLSTMCell(sizes[0])\nstack = rnn.MultiRNNCell([cell] * 2)\n",
            "a subscript may change",
        ),
        (
            "cell = rnn.BasicLSTMCell(next_size())\nstack = rnn.MultiRNNCell([cell] * 2)\n",
            "a call with possible side effects",
        ),
        (
            "if deep:\n    cell = rnn.BasicLSTMCell(5)\nstack = rnn.MultiRNNCell([cell] * 2)\n",
            "built on one branch only",
        ),
        (
            "cell = rnn.BasicLSTMCell(5)\nif deep:\n    cell = make_cell()\nstack = rnn.MultiRNNCell([cell] * 2)\n",
            "rebound on one branch",
        ),
        (
            "cell = rnn.BasicLSTMCell(5)\nfor step in range(2):\n    stack = rnn.MultiRNNCell([cell] * 2)\n"
            "    cell = make()\n",
            "rebound later in the loop",
        ),
        (
            "class Model:\n    cell = rnn.BasicLSTMCell(5)\n    stack = rnn.MultiRNNCell([cell] * 2)\n",
            "a class body",
        ),
        (
            "cell = rnn.BasicLSTMCell(5)\nfrom helpers import *\nstack = rnn.MultiRNNCell([cell] * 2)\n",
            "a star import may rebind anything",
        ),
    ],
)
def test_stack_without_a_safely_repeatable_constructor_is_reported(body, why):
    migrated, text = migrate_body(body)
    assert text == body, why
    [finding] = blocking(migrated)
    assert "MultiRNNCell repeats one cell object `cell` for all 2 layers" in finding.message
    assert finding.suggestion.startswith("build one cell per layer")
    assert finding.location.line == 2 + next(
        number for number, line in enumerate(body.splitlines(), 1) if "MultiRNNCell" in line
    )


def test_constructor_inside_the_function_that_stacks_it():
    body = (
        "def build(size):\n"
        "    cell = rnn.BasicLSTMCell(size)\n"
        "    return rnn.MultiRNNCell([cell] * 2)\n"
    )
    migrated, text = migrate_body(body)
    assert text == body.replace("[cell] * 2", "[rnn.BasicLSTMCell(size) for _ in range(2)]")
    assert blocking(migrated) == []


def test_constructor_before_a_loop_that_does_not_rebind_it():
    body = (
        "cell = rnn.BasicLSTMCell(5)\n"
        "for step in range(2):\n"
        "    stack = rnn.MultiRNNCell([cell] * 2)\n"
    )
    _, text = migrate_body(body)
    assert "[rnn.BasicLSTMCell(5) for _ in range(2)]" in text
