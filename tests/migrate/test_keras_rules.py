"""Keras 2 -> Keras 3: TF2/Keras code is never put into TF1 mode, and one test per rewrite rule.

Each rule is checked on the text it writes; where the text alone cannot show
that Keras 2's behaviour is kept (the decay schedule, the input shapes, the
plot_model guard), the migrated code is also run here on Keras 3.
"""

import pytest

from labs.migrate import classify, notebook, script
from tests.migrate import keras_course
from tests.migrate.conftest import advice, blocking, migrate_text

# The new user: a tf.keras hello-RNN that the TF1 migration used to break.
HELLO_TF_KERAS = """\
import tensorflow as tf
import numpy as np

tf.model = tf.keras.Sequential()
cell = tf.keras.layers.LSTMCell(units=5, input_shape=(6, 5))
tf.model.add(tf.keras.layers.RNN(cell=cell, return_sequences=True))
tf.model.compile(loss='categorical_crossentropy', optimizer=tf.keras.optimizers.Adam(lr=0.1))
"""


def changed_lines(migrated):
    return [(change.location.line, change.before, change.after) for change in migrated.changes]


# --- classification ---------------------------------------------------------------------------


def test_a_tf_keras_script_stays_on_tensorflow():
    migrated = migrate_text(HELLO_TF_KERAS)
    assert migrated.kind == classify.KERAS
    assert "compat.tf1" not in migrated.text
    assert migrated.text.startswith("import tensorflow as tf\n")
    assert blocking(migrated) == []  # `tf.model`, set by the script itself, is not missing


@pytest.mark.parametrize("relative", keras_course.scripts(), ids=str)
def test_no_fixture_is_switched_into_tf1_mode(relative):
    text = (keras_course.FIXTURES / relative).read_text(encoding="utf-8")
    migrated = migrate_text(text)
    assert migrated.kind == classify.KERAS
    assert "compat.tf1" not in migrated.text and "compat.contrib" not in migrated.text
    assert blocking(migrated) == [], [str(f) for f in blocking(migrated)]


@pytest.mark.parametrize("relative", keras_course.scripts(), ids=str)
def test_no_fixture_notebook_is_switched_into_tf1_mode(relative):
    text = (keras_course.FIXTURES / relative).read_text(encoding="utf-8")
    data = notebook.write(keras_course.as_notebook(text, relative.stem))
    migrated = notebook.migrate(data)
    assert migrated.kind == classify.KERAS
    assert b"compat.tf1" not in migrated.data
    assert notebook.migrate(migrated.data).data == migrated.data


def test_tf1_graph_code_with_keras_cells_is_still_tf1():
    text = (
        "import tensorflow as tf\n"
        "cell = tf.keras.layers.SimpleRNNCell(units=2)\n"
        "outputs, _ = tf.nn.dynamic_rnn(cell, x, dtype=tf.float32)\n"
        "sess = tf.Session()\n"
    )
    migrated = migrate_text(text)
    assert migrated.kind == classify.TF1
    assert migrated.text.startswith("import compat.tf1 as tf\n")


def test_a_file_mixing_tf1_graphs_and_keras_models_is_reported():
    text = (
        "import tensorflow as tf\n"
        "X = tf.placeholder(tf.float32, [None, 6, 5])\n"
        "model = tf.keras.Sequential()\n"
    )
    migrated = migrate_text(text)
    assert migrated.kind == classify.MIXED
    [finding] = blocking(migrated)
    assert finding.location.line == 3
    assert "mixes TF1 graph code (`tf.placeholder`, line 2) with TF2/Keras code (`tf.keras.Sequential`)" in finding.message
    assert "split it in two files" in finding.suggestion


def test_a_keras_only_file_uses_keras_and_a_plain_python_file_is_untouched():
    keras_only = migrate_text("import keras\nmodel = keras.Sequential()\n")
    assert keras_only.uses_tensorflow and keras_only.kind == classify.KERAS and keras_only.changes == []
    data = b"import numpy as np\nnb_epoch = 3\nmodel.fit_generator(g, 3)\n"
    plain = script.migrate(data)
    assert plain.data is data and not plain.uses_tensorflow and plain.kind is None


# --- optimizers --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "imports, call",
    [
        ("import tensorflow as tf", "tf.keras.optimizers.Adam({})"),
        ("import keras", "keras.optimizers.Adam({})"),
        ("from keras.optimizers import Adam", "Adam({})"),
        ("from tensorflow.keras import optimizers", "optimizers.Adam({})"),
        ("from tensorflow import keras", "keras.optimizers.Adam({})"),
    ],
)
def test_lr_becomes_learning_rate_on_any_import_path_and_the_ignored_lr_is_reported(imports, call):
    migrated = migrate_text(f"{imports}\nopt = {call.format('lr=0.1, beta_1=0.8')}\n")
    assert migrated.text == f"{imports}\nopt = {call.format('learning_rate=0.1, beta_1=0.8')}\n"
    [pitfall] = advice(migrated)
    assert pitfall.location.line == 2
    assert "TF 2.11-2.15" in pitfall.message and "default learning rate 0.001" in pitfall.message
    assert "learning_rate=0.001" in pitfall.suggestion


def test_a_positional_learning_rate_is_kept():
    text = "import keras\nopt = keras.optimizers.SGD(0.1, 0.9)\n"
    migrated = migrate_text(text)
    assert migrated.text == text and migrated.findings == []


def test_keras_2_2_positional_decay_is_reported_not_misread():
    migrated = migrate_text("import keras\nopt = keras.optimizers.SGD(0.1, 0.9, 1e-6, True)\n")
    found = [f.message for f in blocking(migrated)]
    assert any("`decay` in Keras 2.2 and is `nesterov` in Keras 3" in m for m in found)


def test_decay_becomes_the_inverse_time_schedule_keras_2_applied():
    text = (
        "from keras.optimizers import SGD\n"
        "sgd = SGD(lr=0.5, decay=1e-3, momentum=0.9, nesterov=True)\n"
    )
    migrated = migrate_text(text)
    assert migrated.text == (
        "from keras.optimizers import SGD, schedules\n"
        "sgd = SGD(learning_rate=schedules.InverseTimeDecay(0.5, decay_steps=1, decay_rate=1e-3), "
        "momentum=0.9, nesterov=True)\n"
    )
    assert advice(migrated) == []  # with decay, Keras 2.11-2.15 raised: nothing ran at the wrong rate
    namespace = {}
    exec(migrated.text, namespace)
    sgd = namespace["sgd"]
    for step in (0, 1, 10, 1000):
        sgd.iterations.assign(step)
        # Keras 1/2 legacy SGD: lr * 1 / (1 + decay * iterations)
        assert float(sgd.learning_rate) == pytest.approx(0.5 / (1 + 1e-3 * step), rel=1e-6)
    assert sgd.momentum == 0.9 and sgd.nesterov


def test_decay_without_a_learning_rate_uses_the_keras_default_and_zero_decay_is_dropped():
    migrated = migrate_text("import tensorflow as tf\na = tf.keras.optimizers.Adagrad(decay=0.01)\n"
                            "b = tf.keras.optimizers.RMSprop(lr=0.1, decay=0.0)\n")
    assert migrated.text == (
        "import tensorflow as tf\n"
        "a = tf.keras.optimizers.Adagrad(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay("
        "0.001, decay_steps=1, decay_rate=0.01))\n"
        "b = tf.keras.optimizers.RMSprop(learning_rate=0.1)\n"
    )


def test_legacy_optimizers_become_the_current_ones():
    migrated = migrate_text(
        "import tensorflow as tf\nfrom keras.optimizers.legacy import Adam\n"
        "a = tf.keras.optimizers.legacy.SGD(lr=0.1, decay=1e-4)\nb = Adam(0.01)\n"
    )
    assert migrated.text == (
        "import tensorflow as tf\nfrom keras.optimizers import Adam\n"
        "a = tf.keras.optimizers.SGD(learning_rate=tf.keras.optimizers.schedules.InverseTimeDecay("
        "0.1, decay_steps=1, decay_rate=1e-4))\nb = Adam(0.01)\n"
    )
    assert blocking(migrated) == []


# --- input arguments ---------------------------------------------------------------------------

SEQUENTIAL = "from keras.models import Sequential\nfrom keras.layers import SimpleRNN, Dense, Embedding\nmodel = Sequential()\n"


@pytest.mark.parametrize(
    "layer, declared",
    [
        ("SimpleRNN(3, input_length=2, input_dim=10)", ("SimpleRNN(3)", "shape=(2, 10)")),
        ("SimpleRNN(3, input_dim=10)", ("SimpleRNN(3)", "shape=(None, 10)")),
        ("SimpleRNN(3, batch_input_shape=(8, 2, 10))", ("SimpleRNN(3)", "batch_shape=(8, 2, 10)")),
        ("SimpleRNN(3, input_shape=(2, 10), batch_size=8)", ("SimpleRNN(3)", "batch_shape=(8, 2, 10)")),
        ("SimpleRNN(3, input_shape=shape, batch_size=8)", ("SimpleRNN(3)", "batch_shape=(8, *shape)")),
        ("Dense(4, input_dim=3)", ("Dense(4)", "shape=(3,)")),
        ("Embedding(12, 10, input_length=5)", ("Embedding(12, 10)", "shape=(5,)")),
        ("Embedding(input_dim=12, output_dim=10, input_length=5)",
         ("Embedding(input_dim=12, output_dim=10)", "shape=(5,)")),
    ],
)
def test_input_arguments_of_a_first_layer_become_a_keras_input(layer, declared):
    kept, argument = declared
    migrated = migrate_text(SEQUENTIAL + f"model.add({layer})  # first\nmodel.add(Dense(1))\n")
    assert migrated.text == (
        SEQUENTIAL.replace("Embedding\n", "Embedding, Input\n")
        + f"model.add(Input({argument}))\nmodel.add({kept})  # first\nmodel.add(Dense(1))\n"
    )


@pytest.mark.parametrize(
    "layer, shape",
    [
        ("SimpleRNN(3, input_length=2, input_dim=10)", (None, 3)),
        ("SimpleRNN(3, batch_input_shape=(8, 2, 10), return_sequences=True)", (8, 2, 3)),
        ("SimpleRNN(3, input_shape=(2, 10), batch_size=8)", (8, 3)),
        ("Embedding(12, 10, input_length=5)", (None, 5, 10)),
        ("Dense(4, input_dim=3)", (None, 4)),
    ],
)
def test_the_migrated_model_has_keras_2s_shapes(layer, shape):
    # Keras 2's output shapes of these first layers: its rule (batch_input_shape,
    # else (batch_size,) + input_shape, else (input_length, input_dim)) applied by hand.
    migrated = migrate_text(SEQUENTIAL + f"model.add({layer})\n")
    namespace = {}
    exec(migrated.text, namespace)
    assert namespace["model"].output_shape == shape


def test_a_cells_input_shape_goes_onto_the_input_before_the_wrapping_rnn():
    migrated = migrate_text(HELLO_TF_KERAS)
    assert migrated.text.splitlines()[3:7] == [
        "tf.model = tf.keras.Sequential()",
        "cell = tf.keras.layers.LSTMCell(units=5)",
        "tf.model.add(tf.keras.Input(shape=(6, 5)))",
        "tf.model.add(tf.keras.layers.RNN(cell=cell, return_sequences=True))",
    ]
    inline = migrate_text(
        "import keras\nm = keras.Sequential()\n"
        "m.add(keras.layers.RNN(keras.layers.GRUCell(4, input_shape=(3, 2))))\n"
    )
    assert inline.text.splitlines()[2:] == [
        "m.add(keras.Input(shape=(3, 2)))",
        "m.add(keras.layers.RNN(keras.layers.GRUCell(4)))",
    ]


def test_a_sequential_list_gets_its_input_first_and_later_layers_lose_theirs():
    migrated = migrate_text(
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([\n"
        "    tf.keras.layers.Embedding(12, 10, input_length=5),\n"
        "    tf.keras.layers.Dense(3, input_dim=10),\n"
        "])\n"
    )
    assert migrated.text == (
        "import tensorflow as tf\n"
        "model = tf.keras.Sequential([\n"
        "    tf.keras.Input(shape=(5,)),\n"
        "    tf.keras.layers.Embedding(12, 10),\n"
        "    tf.keras.layers.Dense(3),\n"
        "])\n"
    )


def test_where_the_layer_goes_is_not_visible_the_input_to_add_is_reported():
    migrated = migrate_text("import keras\nlayer = keras.layers.SimpleRNN(3, input_length=2, input_dim=10)\n")
    assert migrated.text == "import keras\nlayer = keras.layers.SimpleRNN(3)\n"
    [finding] = advice(migrated)
    assert finding.suggestion == "if it is the first layer of a Sequential, add `keras.Input(shape=(2, 10))` before it"


def test_input_shape_alone_on_a_layer_is_left_as_keras_3_still_takes_it():
    text = SEQUENTIAL + "model.add(SimpleRNN(3, input_shape=(2, 10)))\n"
    assert migrate_text(text).text == text


# --- moved and removed APIs --------------------------------------------------------------------


@pytest.mark.parametrize(
    "before, after",
    [
        ("from keras.utils import np_utils", "from keras import utils as np_utils"),
        ("from keras.utils.np_utils import to_categorical", "from keras.utils import to_categorical"),
        ("from keras.utils.vis_utils import plot_model", "from keras.utils import plot_model"),
        ("from keras.layers.recurrent import LSTM", "from keras.layers import LSTM"),
        ("from keras.layers.core import Dense, Activation", "from keras.layers import Dense, Activation"),
        ("from keras.preprocessing.text import Tokenizer", "from compat.keras2_text import Tokenizer"),
        ("from tensorflow.keras.preprocessing.text import Tokenizer, one_hot",
         "from compat.keras2_text import Tokenizer, one_hot"),
        ("from keras.preprocessing import text", "from compat import keras2_text as text"),
        ("from keras.utils.data_utils import get_file", "from keras.utils import get_file"),
        ("from tensorflow.keras.utils.data_utils import get_file", "from tensorflow.keras.utils import get_file"),
        ("from keras.utils.generic_utils import Progbar", "from keras.utils import Progbar"),
        ("from keras.layers import recurrent", "from keras import layers as recurrent"),
        ("from keras.layers import core as k_core", "from keras import layers as k_core"),
    ],
)
def test_moved_modules(before, after):
    migrated = migrate_text(f"import keras\n{before}\n")
    assert migrated.text == f"import keras\n{after}\n"
    assert blocking(migrated) == []


def test_recurrent_module_layers_are_keras_3_layers():
    migrated = migrate_text("from keras.layers import recurrent\nlayer = recurrent.LSTM(4)\n")
    assert migrated.text == "from keras import layers as recurrent\nlayer = recurrent.LSTM(4)\n"
    assert blocking(migrated) == []


def test_weights_files_get_keras_3_names_where_the_program_saves_them():
    text = (
        "import keras\nmodel = keras.Sequential()\n"
        "model.save_weights('w.h5')\nmodel.load_weights('w.h5')\n"
        "model.load_weights(\"keras2.h5\")\nmodel.save_weights(filepath=\"x.weights.h5\")\n"
        "model.save_weights(name)\n"
    )
    migrated = migrate_text(text)
    assert migrated.text == text.replace("'w.h5'", "'w.weights.h5'")
    assert [finding.location.line for finding in advice(migrated)] == [7]
    assert "`.weights.h5`" in advice(migrated)[0].message


@pytest.mark.parametrize("header", ["import keras\n", "import tensorflow as tf\nx = tf.placeholder(tf.float32)\n"],
                         ids=["keras", "tf1"])
def test_numpy_aliases_removed_in_1_24_become_the_builtins(header):
    text = header + ("import numpy as np\nmask = np.zeros(2, dtype=np.bool)\nn = np.int(2.5) + np.float(1)\n"
                     "s = np.str(1) + np.unicode(2)\nkept = np.bool_(1), np.float64(1)\n")
    migrated = migrate_text(text)
    assert blocking(migrated) == []
    body = migrated.text.split("import numpy as np\n")[1]
    assert body == ("mask = np.zeros(2, dtype=bool)\nn = int(2.5) + float(1)\n"
                    "s = str(1) + str(2)\nkept = np.bool_(1), np.float64(1)\n")


def test_whole_models_saved_as_h5_go_to_the_keras_format_and_are_loaded_from_it():
    text = (
        "import keras\nfrom keras.models import load_model\nimport numpy as np\nm = keras.Sequential()\n"
        "m.save('m.h5')\nn = load_model('m.h5')\nk = keras.models.load_model(\"k2.hdf5\")\n"
        "np.save('a.h5', [1])\n"
    )
    migrated = migrate_text(text)
    assert migrated.text == text.replace("'m.h5'", "'m.keras'")
    [note] = advice(migrated)
    assert note.location.line == 7 and "compile=False" in note.suggestion


def test_a_comment_after_a_migrated_optimizer_argument_is_kept():
    text = "from keras.optimizers import SGD\nb = SGD(\n    0.1,  # learning rate\n    decay=1e-3,\n)\n"
    migrated = migrate_text(text)
    assert "# learning rate" in migrated.text
    compile(migrated.text, "<migrated>", "exec")


def test_np_utils_in_a_dotted_name_is_dropped():
    migrated = migrate_text("import keras\ny = keras.utils.np_utils.to_categorical([1, 2], 3)\n")
    assert migrated.text == "import keras\ny = keras.utils.to_categorical([1, 2], 3)\n"


def test_plot_model_goes_on_without_pydot_and_says_why(capsys):
    text = "import keras\nmodel = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])\n" \
           "keras.utils.plot_model(model, to_file='model.png', show_shapes=True)  # the graph\n"
    migrated = migrate_text(text)
    assert migrated.text.endswith(
        "try:\n    keras.utils.plot_model(model, to_file='model.png', show_shapes=True)  # the graph\n"
        "except ImportError as error:  # pydot or graphviz is missing\n"
        '    print("no picture written:", error)\n'
    )
    pytest.importorskip("keras")
    import importlib.util

    if importlib.util.find_spec("pydot") is not None:
        pytest.skip("pydot is installed here, so plot_model does not raise")
    exec(migrated.text, {})
    assert "no picture written: You must install pydot" in capsys.readouterr().out


@pytest.mark.parametrize(
    "model, call, after",
    [
        ("m.add(keras.layers.Dense(5, activation='softmax'))", "m.predict_classes(x)",
         "m.predict(x, verbose=0).argmax(axis=-1)"),
        ("m.add(keras.layers.Dense(1, activation='sigmoid'))", "m.predict_classes(x, batch_size=8)",
         '(m.predict(x, batch_size=8, verbose=0) > 0.5).astype("int32")'),
        ("m.add(keras.layers.Dense(5))\nm.add(keras.layers.Activation('softmax'))", "m.predict_classes(x, verbose=1)",
         "m.predict(x, verbose=1).argmax(axis=-1)"),
        ("m.add(keras.layers.Dense(5))", "m.predict_proba(x)", "m.predict(x, verbose=0)"),
    ],
)
def test_predict_classes_and_predict_proba_do_what_keras_2_did(model, call, after):
    migrated = migrate_text(f"import keras\nm = keras.Sequential()\n{model}\ny = {call}\n")
    assert migrated.text.splitlines()[-1] == f"y = {after}"
    assert migrated.findings == []


def test_predict_classes_on_an_unseen_model_takes_the_argmax_and_says_so():
    migrated = migrate_text("import keras\nmodel = keras.models.load_model('m.keras')\ny = model.predict_classes(x)\n")
    assert migrated.text.splitlines()[-1] == "y = model.predict(x, verbose=0).argmax(axis=-1)"
    [finding] = advice(migrated)
    assert '(model.predict(x, verbose=0) > 0.5).astype("int32")' in finding.suggestion


def test_generator_methods_and_nb_epoch():
    migrated = migrate_text(
        "import keras\n"
        "model.fit_generator(gen, 10, 5, 2, workers=4, use_multiprocessing=True)\n"
        "model.evaluate_generator(gen, 3)\n"
        "p = model.predict_generator(gen, steps=3)\n"
        "model.fit(x, y, nb_epoch=7)\n"
        "model.fit_generator(gen, samples_per_epoch=320, nb_epoch=2)\n"
    )
    assert migrated.text.splitlines()[1:] == [
        "model.fit(gen, steps_per_epoch=10, epochs=5, verbose=2)",
        "model.evaluate(gen, steps=3, verbose=0)",
        "p = model.predict(gen, steps=3, verbose=0)",
        "model.fit(x, y, epochs=7)",
        "model.fit(gen, samples_per_epoch=320, epochs=2)",
    ]
    assert [f.location.line for f in advice(migrated)] == [2, 2]
    [keras_1] = blocking(migrated)
    assert keras_1.location.line == 6 and "steps_per_epoch=<samples per epoch> // <batch size>" in keras_1.suggestion


def test_dropped_backend_functions_are_reported_with_their_keras_3_equivalent():
    migrated = migrate_text(
        "import keras\nfrom keras import backend as K\n"
        "K.set_session(sess)\ny = K.square(x)\nK.set_value(opt.lr, 0.1)\n"
        "from keras.engine.topology import Layer\n"
    )
    found = {f.location.line: f for f in blocking(migrated)}
    assert sorted(found) == [3, 4, 5, 6]
    assert "no sessions" in found[3].suggestion
    assert "`keras.ops.square`" in found[4].suggestion
    assert "variable.assign(value)" in found[5].suggestion
    assert "keras.layers.Layer" in found[6].suggestion


# --- what the migration keeps ------------------------------------------------------------------


@pytest.mark.parametrize("relative", keras_course.scripts(), ids=str)
def test_migrating_a_fixture_twice_changes_nothing_more(relative):
    once = migrate_text((keras_course.FIXTURES / relative).read_text(encoding="utf-8"))
    twice = script.migrate(once.data)
    assert twice.data == once.data and twice.changes == []


def test_layout_and_comments_survive_byte_for_byte():
    text = (
        "import tensorflow  as tf   # tf.keras\r\n"
        "\r\n"
        "opt = tf.keras.optimizers.Adam(\r\n"
        "    lr=0.1,      # a comment on the argument\r\n"
        "\tbeta_1=0.8)\r\n"
        "model = tf.keras.Sequential()\r\n"
        "# the first layer\r\n"
        "model.add(tf.keras.layers.SimpleRNN(3, input_length=2,  input_dim=10))  # rnn\r\n"
    )
    migrated = migrate_text(text)
    assert migrated.text == (
        "import tensorflow  as tf   # tf.keras\r\n"
        "\r\n"
        "opt = tf.keras.optimizers.Adam(\r\n"
        "    learning_rate=0.1,      # a comment on the argument\r\n"
        "\tbeta_1=0.8)\r\n"
        "model = tf.keras.Sequential()\r\n"
        "# the first layer\r\n"
        "model.add(tf.keras.Input(shape=(2, 10)))\r\n"
        "model.add(tf.keras.layers.SimpleRNN(3))  # rnn\r\n"
    )
    assert [change.location.line for change in migrated.changes] == [3, 8]
