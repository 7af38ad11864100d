"""docs/tf1-names.md is what the code serves, and every name it says is served runs as TF1's.

The page is generated (``python -m labs.migrate.tf1_names``); this test fails
when a name is served or dropped without regenerating it.
"""

import pathlib

from labs.migrate import namespaces, tf1_names

PAGE = pathlib.Path(__file__).resolve().parents[2] / "docs" / "tf1-names.md"


def test_the_page_matches_the_code():
    assert tf1_names.main(["--check", str(PAGE)]) == 0, (
        "docs/tf1-names.md is stale: run python -m labs.migrate.tf1_names --output docs/tf1-names.md")


def test_served_and_unserved_follow_resolution():
    for namespace, names in tf1_names.TF115_EXPORTS.items():
        for name in names:
            missing = namespaces.resolve(("tensorflow", *namespace, name), namespaces.TF1)
            assert (tf1_names.served_by(namespace, name) is None) == (missing is not None), (namespace, name)


def test_the_course_and_tutorial_names_are_served():
    needed = {
        ("nn", "rnn_cell"): ("BasicLSTMCell", "DropoutWrapper", "MultiRNNCell"),
        ("contrib", "rnn"): ("BasicLSTMCell", "DropoutWrapper", "static_rnn", "OutputProjectionWrapper"),
        ("contrib", "seq2seq"): ("sequence_loss",),
        ("contrib", "legacy_seq2seq"): ("rnn_decoder", "sequence_loss_by_example", "model_with_buckets"),
        ("contrib", "layers"): ("fully_connected", "linear", "xavier_initializer"),
        ("examples", "tutorials", "mnist", "input_data"): ("read_data_sets",),
    }
    for namespace, names in needed.items():
        for name in names:
            assert tf1_names.served_by(namespace, name), (namespace, name)
