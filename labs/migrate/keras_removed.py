"""Keras 2 names that Keras 3 dropped, and what to write instead.

The migrator reports every Keras name that does not exist in the installed
Keras (``transform.unresolved_findings``); this table gives the fix for the
ones course code used. A dropped ``keras.backend`` function whose name
``keras.ops`` still has is pointed there (the backend's math moved to
``keras.ops`` in Keras 3); keys are dotted names rooted at ``keras``, up to
the first part that is missing.
"""

import importlib

REPLACEMENTS = {
    ("keras", "backend", "set_session"): "nothing: Keras 3 has no sessions; delete the call",
    ("keras", "backend", "get_session"): "nothing: Keras 3 has no sessions; run eagerly",
    ("keras", "backend", "tensorflow_backend"): "tf.config.list_physical_devices('GPU') for the GPUs",
    ("keras", "backend", "set_value"): "`variable.assign(value)`",
    ("keras", "backend", "get_value"): "`keras.ops.convert_to_numpy(variable)`",
    ("keras", "backend", "eval"): "`keras.ops.convert_to_numpy(x)`",
    ("keras", "backend", "batch_get_value"): "`[keras.ops.convert_to_numpy(v) for v in variables]`",
    ("keras", "backend", "int_shape"): "`tuple(x.shape)`",
    ("keras", "backend", "learning_phase"): "the `training` argument of the layer's `call`",
    ("keras", "backend", "set_learning_phase"): "the `training` argument of the layer's `call`",
    ("keras", "backend", "function"): "a `keras.Model(inputs, outputs)` called on the data",
    ("keras", "backend", "placeholder"): "`keras.Input(shape=...)`",
    ("keras", "engine"): "`keras.layers.Layer`, `keras.layers.InputSpec` or `keras.Model` (keras.engine was internal)",
    ("keras", "layers", "CuDNNLSTM"): "`keras.layers.LSTM` (it uses cuDNN by itself on a GPU)",
    ("keras", "layers", "CuDNNGRU"): "`keras.layers.GRU(..., reset_after=True)` (it uses cuDNN by itself)",
    ("keras", "layers", "Merge"): "`keras.layers.Concatenate`, `Add`, `Multiply` or `Dot`",
    ("keras", "layers", "merge"): "`keras.layers.concatenate`, `add`, `multiply` or `dot`",
    ("keras", "wrappers"): "`scikeras.wrappers.KerasClassifier` / `KerasRegressor` (the scikeras package)",
    ("keras", "preprocessing", "text"): "`compat.keras2_text` (Keras 2's Tokenizer, one_hot, ...)",
    ("keras", "utils", "np_utils"): "`keras.utils` (to_categorical, normalize)",
    ("keras", "utils", "vis_utils"): "`keras.utils.plot_model` (needs pydot and graphviz)",
    ("keras", "optimizers", "legacy"): "`keras.optimizers` (with `learning_rate=`; a `decay` becomes a schedule)",
}


def replacement(names):
    """What to write instead of the missing Keras name ``names``, or None."""
    names = tuple(names)
    if names in REPLACEMENTS:
        return REPLACEMENTS[names]
    if names[:2] == ("keras", "backend") and len(names) == 3:
        ops = importlib.import_module("keras.ops")
        if hasattr(ops, names[2]):
            return f"`keras.ops.{names[2]}` (Keras 3 moved the backend's math there)"
    return None
