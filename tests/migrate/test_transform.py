"""TensorFlow imports onto the drop-in; unserved names reported; everything else kept."""

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from labs.migrate import script
from labs.migrate.errors import MigrationError
from tests.migrate.conftest import advice, blocking, migrate_text

HELLO = """\
# Lab 12 RNN
import tensorflow as tf   # the TF1 API
import numpy as np

X = tf.placeholder(tf.float32, [None, 6, 5])
cell = tf.contrib.rnn.BasicLSTMCell(num_units=5, state_is_tuple=True)
outputs, _states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)
"""


def test_tf1_script_gets_the_drop_in_import_and_nothing_else():
    migrated = migrate_text(HELLO)
    assert migrated.text == HELLO.replace(
        "import tensorflow as tf   # the TF1 API", "import compat.tf1 as tf   # the TF1 API"
    )
    [change] = migrated.changes
    assert (change.location.line, change.before, change.after) == (
        2,
        "import tensorflow as tf",
        "import compat.tf1 as tf",
    )
    assert migrated.findings == []


@pytest.mark.parametrize(
    "before, after",
    [
        ("from tensorflow.contrib import rnn", "from compat.tf1.contrib import rnn"),
        ("from tensorflow.contrib import rnn as r", "from compat.tf1.contrib import rnn as r"),
        ("from tensorflow.contrib.rnn import BasicLSTMCell", "from compat.contrib.rnn import BasicLSTMCell"),
        ("import tensorflow.contrib.rnn as rnn", "import compat.contrib.rnn as rnn"),
        ("from tensorflow import contrib", "from compat.tf1 import contrib"),
        ("import tensorflow.compat.v1 as tf", "import compat.tf1 as tf"),
        ("from tensorflow.compat import v1 as tf", "from compat import tf1 as tf"),
        ("from tensorflow.compat import v1", "from compat import tf1 as v1"),
        ("import tensorflow", "import compat.tf1 as tensorflow"),
        ("import tensorflow.contrib.rnn", "import compat.tf1 as tensorflow"),
        ("from tensorflow.keras.layers import SimpleRNNCell", "from compat.tf1.keras.layers import SimpleRNNCell"),
        ("from tensorflow.nn import rnn_cell", "from compat.tf1.nn import rnn_cell"),
        ("import numpy as np, tensorflow as tf", "import numpy as np, compat.tf1 as tf"),
    ],
)
def test_import_forms(before, after):
    # `tf.Session` does not exist on TF 2, which makes the file a TF1 script.
    text = f"{before}\nimport tensorflow as tf\nsess = tf.Session()\n"
    migrated = migrate_text(text)
    assert migrated.text.splitlines()[0] == after
    assert migrated.text.splitlines()[1:] == ["import compat.tf1 as tf", "sess = tf.Session()"]


def test_tf_compat_v1_prefix_is_dropped_under_the_drop_in():
    text = (
        "import tensorflow as tf\n"
        "cell = tf.compat.v1.nn.rnn_cell.BasicLSTMCell(5)\n"
        "v1 = tf.compat.v1\n"
    )
    migrated = migrate_text(text)
    assert migrated.text == (
        "import compat.tf1 as tf\ncell = tf.nn.rnn_cell.BasicLSTMCell(5)\nv1 = tf\n"
    )
    assert blocking(migrated) == []


def test_a_script_that_already_runs_on_tf2_is_left_alone():
    text = (
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.layers.SimpleRNN(3)])\n"
        "x = tf.compat.v1.placeholder(tf.float32)  # resolves on TF 2 as written\n"
    )
    migrated = migrate_text(text)
    assert migrated.data == text.encode()
    assert migrated.uses_tensorflow and migrated.changes == [] and migrated.findings == []


def test_a_file_without_tensorflow_is_untouched_even_with_legacy_habits():
    text = "import numpy as np\nvocab = list(set('hello'))\nif len(vocab) is 0:\n    pass\n"
    data = text.encode()
    migrated = script.migrate(data)
    assert migrated.data is data
    assert not migrated.uses_tensorflow and migrated.changes == [] and migrated.findings == []


def test_names_nothing_serves_are_reported_with_their_replacement():
    text = (
        "import tensorflow as tf\n"
        "import numpy as np\n"
        "x = tf.placeholder(tf.float32, [None, 3])\n"
        "y = tf.layers.dense(x, 2)\n"
        "w = tf.contrib.layers.optimize_loss\n"
        "s = tf.contrib.slim.conv2d\n"
        "z = tf.mul(x, x)\n"
        "n = np.float(3)\n"
    )
    migrated = migrate_text(text)
    found = {finding.location.line: finding for finding in blocking(migrated)}
    # line 4: the drop-in serves tf.layers.dense; line 8: np.float is rewritten to float
    assert sorted(found) == [5, 6, 7]
    assert "`tf.contrib.layers.optimize_loss`" in found[5].message
    assert "`tf.contrib.slim`" in found[6].message
    assert "tf.multiply" in found[7].suggestion
    assert "n = float(3)\n" in migrated.text


def test_served_names_are_not_reported():
    text = (
        "import tensorflow as tf\n"
        "from tensorflow.contrib import rnn\n"
        "sess = tf.InteractiveSession()\n"
        "cells = [rnn.BasicLSTMCell(5), tf.contrib.rnn.GRUCell(3), tf.nn.rnn_cell.LSTMCell(4)]\n"
        "keras_cell = tf.keras.layers.SimpleRNNCell(units=2)\n"
        "loss = tf.contrib.seq2seq.sequence_loss\n"
        "fc = tf.contrib.layers.fully_connected\n"
        "state = tf.nn.rnn_cell.LSTMStateTuple\n"
    )
    assert migrate_text(text).findings == []


def test_missing_tensorflow_module_import_is_reported_where_it_is():
    text = (
        "import tensorflow as tf\n"
        "from tensorflow.contrib.slim import nets\n"
        "sess = tf.Session()\n"
    )
    [finding] = blocking(migrate_text(text))
    assert finding.location.line == 2
    assert "`tensorflow.contrib`" in finding.message  # the import keeps pointing at TensorFlow


def test_the_mnist_tutorial_reader_and_legacy_seq2seq_imports_point_at_compat():
    text = (
        "import tensorflow as tf\n"
        "from tensorflow.examples.tutorials.mnist import input_data\n"
        "from tensorflow.contrib import legacy_seq2seq\n"
        "from tensorflow.contrib.legacy_seq2seq import rnn_decoder\n"
        "mnist = input_data.read_data_sets('MNIST_data/', one_hot=True)\n"
        "cell = tf.contrib.rnn.DropoutWrapper(tf.contrib.rnn.BasicLSTMCell(4), output_keep_prob=0.5)\n"
        "loss = tf.contrib.legacy_seq2seq.sequence_loss_by_example\n"
        "w = tf.contrib.layers.xavier_initializer()\n"
    )
    migrated = migrate_text(text)
    assert blocking(migrated) == []
    assert "from compat.examples.tutorials.mnist import input_data\n" in migrated.text
    assert "from compat.tf1.contrib import legacy_seq2seq\n" in migrated.text
    assert "from compat.contrib.legacy_seq2seq import rnn_decoder\n" in migrated.text


def test_already_migrated_file_is_unchanged():
    once = migrate_text(HELLO + "from tensorflow.contrib import rnn\n").text
    again = script.migrate(once.encode())
    assert again.data == once.encode() and again.changes == []


def test_layout_comments_and_line_endings_survive_byte_for_byte():
    text = (
        "#!/usr/bin/env python\r\n"
        "import tensorflow  as  tf  # two spaces, kept\r\n"
        "\r\n"
        "x = tf.placeholder(\r\n"
        "\ttf.float32,   # a tab-indented argument\r\n"
        "    [None, 3])\r\n"
        "y = tf.compat.v1.nn.relu( x )\r\n"
    )
    migrated = migrate_text(text)
    assert migrated.text == (
        text.replace("import tensorflow  as  tf", "import compat.tf1  as  tf").replace(
            "tf.compat.v1.nn.relu", "tf.nn.relu"
        )
    )


def test_declared_encoding_and_byte_order_mark_round_trip():
    latin = "# -*- coding: latin-1 -*-\nimport tensorflow as tf\nname = 'café'\nsess = tf.Session()\n"
    migrated = script.migrate(latin.encode("latin-1"))
    assert migrated.data == latin.replace("import tensorflow", "import compat.tf1").encode("latin-1")

    bom = codecs.BOM_UTF8 + "import tensorflow as tf\nsess = tf.Session()\n".encode()
    assert script.migrate(bom).data == codecs.BOM_UTF8 + b"import compat.tf1 as tf\nsess = tf.Session()\n"


def test_non_utf8_file_is_refused_with_the_place_of_the_bad_byte():
    with pytest.raises(MigrationError, match=r"not valid utf-8 text \(byte 0xe9 at line 2, column 12\)"):
        script.migrate(b"import tensorflow as tf\nname = 'caf\xe9'\n")


# Statements in the style of the course, for the property tests below.
_STATEMENTS = [
    "X = tf.placeholder(tf.int32, [None, 10])  # input",
    "cell = rnn.BasicLSTMCell(hidden_size, state_is_tuple=True)",
    "cell = rnn.MultiRNNCell([cell] * 2, state_is_tuple=True)",
    "cell = tf.contrib.rnn.BasicRNNCell(num_units=2)",
    "cells = tf.contrib.rnn.MultiRNNCell([cell, cell])",
    "outputs, _states = tf.nn.dynamic_rnn(cell, X, dtype=tf.float32)",
    "w = tf.compat.v1.get_variable('w', [3, 3])",
    "loss = tf.contrib.seq2seq.sequence_loss(logits=o, targets=Y, weights=w)",
    "char_set = list(set(sentence))",
    "if j is 0:\n    print(j)",
    "with tf.variable_scope('MultiRNNCell') as scope:\n    cell = rnn.BasicLSTMCell(num_units=5)\n"
    "    cell = rnn.MultiRNNCell([cell] * 3)",
    "for i in range(2):\n    hidden_size = i\n    cell = rnn.MultiRNNCell([cell] * 2)",
    "hidden_size = 7",
    "",
    "# a comment line",
    "sess = tf.InteractiveSession()\nprint(outputs.eval())",
    "z = tf.layers.dense(X, 3)",
]
_HEADERS = [
    "import tensorflow as tf\nfrom tensorflow.contrib import rnn\n",
    "import tensorflow as tf\nimport tensorflow.contrib.rnn as rnn\n",
    "import compat.tf1 as tf\nfrom compat.tf1.contrib import rnn\n",
    "import tensorflow.compat.v1 as tf\nfrom tensorflow.contrib import rnn\n",
]


@settings(max_examples=40, deadline=None)
@given(
    header=st.sampled_from(_HEADERS),
    body=st.lists(st.sampled_from(_STATEMENTS), min_size=1, max_size=10),
    newline=st.sampled_from(["\n", "\r\n"]),
)
def test_migration_is_idempotent_and_edits_only_the_reported_lines(header, body, newline):
    text = (header + "hidden_size = 5\n" + "\n".join(body) + "\n").replace("\n", newline)
    once = migrate_text(text)
    twice = script.migrate(once.data)
    assert twice.data == once.data and twice.changes == []

    old_lines = text.split(newline)
    new_lines = once.text.split(newline)
    assert len(new_lines) == len(old_lines)
    changed_lines = {change.location.line for change in once.changes}
    for number, (old, new) in enumerate(zip(old_lines, new_lines), 1):
        if number not in changed_lines:
            assert new == old, f"line {number} changed without a report"


def test_every_change_is_reported_on_its_line():
    migrated = migrate_text(
        "import tensorflow as tf\n"
        "from tensorflow.contrib import rnn\n"
        "cell = rnn.BasicLSTMCell(5)\n"
        "stack = rnn.MultiRNNCell([cell] * 2)\n"
        "v = tf.compat.v1.get_variable('v', [1])\n"
    )
    assert [change.location.line for change in migrated.changes] == [1, 2, 5, 4]
    assert advice(migrated) == [] and blocking(migrated) == []
