"""The course's Keras material, migrated, runs on TensorFlow 2.21 with Keras 3 and shows what it did on Keras 2.

The two Keras children (``run_keras.py``, started after collection) migrate
what ``keras_course.write`` builds (every fixture as a script, and as a
notebook) with the CLI, one runs the scripts in its interpreter, the other
the notebooks in one nbclient kernel. These tests read what they left.

What the same scripts printed on Keras 2 is ``fixtures/keras/keras2_facts.json``,
written by ``python -m tests.migrate.keras2_facts`` on TF 2.15 as shipped
(Keras 2.15), the unmigrated scripts run with the same seed. Scripts that
stopped on Keras 2.15 are recorded with their error: ``np_utils`` and
``predict_classes`` were already gone there, and the idioms script's
``SGD(decay=)`` raised (Keras 2.11+); they date from Keras <= 2.5.
"""

import difflib
import json
import re

import nbformat
import pytest

from tests.migrate import keras_course, run_keras

FACTS = keras_course.FIXTURES / "keras2_facts.json"
SENTENCE = (
    "if you want to build a ship, don't drum up people together to "
    "collect wood and don't assign them tasks and work, but rather "
    "teach them to long for the endless immensity of the sea."
)
SEED_SENTENCES = ["경마장에 있는 말이 뛰고 있다", "그의 말이 법이다", "가는 말이 고와야 오는 말이 곱다"]


@pytest.fixture(scope="module")
def course(keras_scripts_child, keras_notebooks_child):
    """Both children's results in one: "migrations" (one per child),
    "scripts", "tf1_mode", "notebooks", and "migrated", their folders."""
    course = {"migrations": [], "migrated": []}
    for child in (keras_scripts_child, keras_notebooks_child):
        result = json.loads(child.wait_for(run_keras.RESULT).read_text())
        migration = result.pop("migration")
        assert migration["status"] == 0, migration["stdout"] + migration["stderr"]
        assert child.wait() == 0, child.log()[-3000:]
        course["migrations"].append(migration)
        course["migrated"].append(child.directory / "migrated")
        course.update(result)
    return course


@pytest.fixture(scope="module")
def keras2():
    return json.loads(FACTS.read_text(encoding="utf-8"))["scripts"]


def run(course, relative):
    outcome = course["scripts"][relative]
    if outcome["error"] and "No module named 'sklearn'" in outcome["error"]:
        pytest.skip("scikit-learn is not installed (the test extra has it)")
    assert outcome["error"] is None, outcome["error"]
    return outcome["stdout"]


def fit_losses(stdout):
    """The training losses Keras printed, in order (not the validation losses)."""
    return [float(value) for value in re.findall(r"(?<!val_)loss: ([0-9.]+(?:e-?\d+)?)", stdout)]


def assert_loss_falls(values, by=2.0):
    assert len(values) >= 2, values
    assert values[-1] < values[0] / by, f"loss went from {values[0]} to {values[-1]}"


def test_the_keras_material_migrates_completely_and_never_into_tf1_mode(course):
    for migration in course["migrations"]:
        report = migration["stdout"]
        assert "0 construct(s) not converted" in report and "0 failed" in report
    assert not course["tf1_mode"]
    assert not [path for migrated in course["migrated"] for path in migrated.rglob("*.*")
                if "compat.tf1" in path.read_text(encoding="utf-8")]


def test_tf_keras_hello_rnn_learns_ihello_where_keras_2_15_ignored_its_learning_rate(course, keras2):
    stdout = run(course, "tf2/tf2_12_1_hello_rnn.py")
    assert_loss_falls(fit_losses(stdout))
    assert stdout.rstrip().endswith("Prediction str:  ihello")
    # Keras 2.15 trained it at 0.001, not 0.1 (keras-team/keras#17338): no "ihello" after 50 epochs.
    assert keras2["tf2/tf2_12_1_hello_rnn.py"]["error"] is None
    assert keras2["tf2/tf2_12_1_hello_rnn.py"]["printed"][-1] != "\tPrediction str:  ihello"


def test_tf_keras_char_seq_rnn_learns_the_sample(course):
    stdout = run(course, "tf2/tf2_12_2_char_seq_rnn.py")
    assert_loss_falls(fit_losses(stdout))
    assert stdout.rstrip().endswith("if you want you")


def test_tf_keras_long_char_spells_the_sentence(course):
    stdout = run(course, "tf2/tf2_12_4_rnn_long_char.py")
    assert_loss_falls(fit_losses(stdout))
    spelled = stdout.rstrip().splitlines()[-1]
    assert difflib.SequenceMatcher(None, spelled, SENTENCE[1:]).ratio() > 0.8, spelled


def test_tf_keras_stock_prediction_learns_from_the_csv(course, keras2):
    stdout = run(course, "tf2/tf2_12_5_rnn_stock_prediction.py")
    assert_loss_falls(fit_losses(stdout))
    [rmse] = re.findall(r"^RMSE: (\S+)$", stdout, flags=re.MULTILINE)
    assert 0 < float(rmse) < 1  # on min-max scaled prices
    # Keras 2.15 ran the unmigrated script to an RMSE of the same kind.
    facts = keras2["tf2/tf2_12_5_rnn_stock_prediction.py"]
    assert facts["error"] is None
    [rmse_keras_2] = [line for line in facts["printed"] if line.startswith("RMSE: ")]
    assert 0 < float(rmse_keras_2.split()[1]) < 1


@pytest.mark.parametrize("relative", ["keras2/klab_12_1_hello_rnn.py", "keras2/klab_12_5_seq2seq.py"])
def test_standalone_keras_2_scripts_run_learn_and_say_why_no_picture_was_written(course, relative):
    import importlib.util

    stdout = run(course, relative)
    # RMSprop and Adam at Keras' default 0.001, for 100 and 30 epochs: the loss falls, slowly
    assert_loss_falls(fit_losses(stdout), by=1.05)
    if importlib.util.find_spec("pydot") is None:
        assert "no picture written: You must install pydot" in stdout


def test_standalone_keras_2_stock_model_with_scaler_and_dropout_learns(course, keras2):
    stdout = run(course, "keras2/klab_12_5_stock_prediction.py")
    [(first, last)] = re.findall(r"^loss: (\S+) -> (\S+)$", stdout, flags=re.MULTILINE)
    assert float(last) < float(first) / 2
    # and so it did, unmigrated, on Keras 2.15
    facts = keras2["keras2/klab_12_5_stock_prediction.py"]
    assert facts["error"] is None
    [(first, last)] = [re.match(r"loss: (\S+) -> (\S+)$", line).groups()
                       for line in facts["printed"] if re.match(r"loss: \S+ -> \S+$", line)]
    assert float(last) < float(first) / 2


def test_keras_1_idioms_learn_with_the_decayed_sgd_and_predict_classes(course):
    stdout = run(course, "keras2/keras1_idioms.py")
    [(first, last)] = re.findall(r"^loss: (\S+) -> (\S+)$", stdout, flags=re.MULTILINE)
    assert float(last) < float(first) / 2
    [predicted] = re.findall(r"^predicted: (.*)$", stdout, flags=re.MULTILINE)
    [expected] = re.findall(r"^expected:  (.*)$", stdout, flags=re.MULTILINE)
    assert difflib.SequenceMatcher(None, predicted, expected).ratio() > 0.8, (predicted, expected)


def test_keras_2_4_text_generation_runs_at_the_learning_rate_it_asked_for(course):
    """get_file from a local origin, `from keras.layers import recurrent`, `np.int`/`np.bool`
    arrays, `Embedding(input_length)`, `validation_data` as a list, `save_weights("*.h5")`
    then `load_weights`, `model.save("*.h5")` then `load_model`, and a re-import before a
    second model: all migrated, and the
    compiled optimizer reports the `lr=0.01` the Keras 2 code asked for."""
    stdout = run(course, "keras2/k24_text_generation.py")
    [(first, last)] = re.findall(r"^loss: (\S+) -> (\S+)$", stdout, flags=re.MULTILINE)
    assert float(last) < float(first) / 2
    [rate] = re.findall(r"^learning rate: (\S+)$", stdout, flags=re.MULTILINE)
    assert float(rate) == pytest.approx(0.01)  # RMSprop(lr=0.01), not Keras's default 0.001
    assert "probe output shape: (None, 4)" in stdout
    assert "corpus length: 592" in stdout
    assert "restored model agrees: True" in stdout  # model.save / load_model, compiled with a string loss


def test_seed_002_shape_tour_prints_every_shape_keras_2_printed(course, keras2):
    stdout = run(course, "seed002/seed002_shapes.py")
    facts = keras2["seed002/seed002_shapes.py"]
    assert facts["error"] is None
    assert stdout.splitlines() == facts["printed"]


@pytest.mark.parametrize(
    "relative",
    ["seed002/seed002_rnn_language_model.py", "seed002/seed002_rnn_language_model_predict_classes.py"],
)
def test_seed_002_language_model_regenerates_the_seeds_sentences(course, keras2, relative):
    stdout = run(course, relative)
    lines = stdout.rstrip().splitlines()
    assert lines[-3:] == SEED_SENTENCES
    facts = keras2["seed002/seed002_rnn_language_model.py"]
    assert facts["printed"][-3:] == SEED_SENTENCES  # Keras 2.15, written with predict + argmax
    assert lines[1] == facts["printed"][1]  # the Tokenizer's word_index, as Keras 2 printed it


@pytest.mark.notebook_kernels
@pytest.mark.parametrize("relative", [str(path.with_suffix(".ipynb")) for path in keras_course.scripts()])
def test_every_notebook_runs_with_nbclient(course, relative):
    outcome = course["notebooks"][relative]
    if outcome["error"] and "No module named 'sklearn'" in outcome["error"]:
        pytest.skip("scikit-learn is not installed (the test extra has it)")
    assert outcome["error"] is None, outcome["error"]
    executed = nbformat.read(course["migrated"][1] / relative, as_version=4)
    code = [cell for cell in executed.cells if cell.cell_type == "code"]
    assert all(cell.execution_count is not None for cell in code)
    assert not [o for cell in code for o in cell.outputs if o.output_type == "error"]
