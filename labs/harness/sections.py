"""Running a "sections" lab (12-0, 12-6): many small RNN calls, no training.

* v1 (`run_graph_sections`): every section builds its ops inside
  `tf.variable_scope("<section>")` of one fresh `tf.Graph` with graph seed
  777; one `Session` initialises every variable and runs every section. The
  variables come back by full TF1 name, e.g.
  "3_batches/rnn/basic_lstm_cell/kernel".
* v2 (`run_keras_sections`): every section is a small Keras model with the
  inputs it reads, built after `keras.utils.set_random_seed(777)`. Given v1's
  variables, each section's `compat.weights.TransferPlan` (written with names
  relative to the section's scope) loads them into its model first, so both
  forms compute with the same weights.

Both return `{section: {name: numpy array}}`.
"""

from labs.harness import seeding
from labs.harness.spec import check_dtype


def build_graph_sections(builders, dtype):
    """Builds every section in the current default graph, each inside
    `tf.variable_scope("<section>")`; returns `{section: {name: tensor}}`."""
    import tensorflow as tf

    tensors = {}
    for name, build in builders.items():
        with tf.compat.v1.variable_scope(name):
            tensors[name] = build(dtype)
    return tensors


def run_graph_sections(builders, dtype, return_variables=False):
    """Runs `{section: build(dtype) -> {name: tensor}}` in one fresh graph.

    Args:
      builders: section name -> function building that section's ops in the
        current default graph and returning its tensors by name.
      dtype: "float32" or "float64".
      return_variables: also return every variable's value, by TF1 name.

    Returns:
      `{section: {name: array}}`, and with `return_variables` the pair
      `(that, {variable name: array})`.
    """
    import tensorflow as tf

    dtype = check_dtype(dtype)
    graph = tf.Graph()
    seeding.seed_graph(graph)
    with graph.as_default():
        tensors = build_graph_sections(builders, dtype)
        variables = {variable.op.name: variable
                     for variable in tf.compat.v1.global_variables()}
        with tf.compat.v1.Session(graph=graph) as session:
            session.run(tf.compat.v1.global_variables_initializer())
            results, values = session.run((tensors, variables))
    return (results, values) if return_variables else results


def variables_by_section(tf1_variables, sections):
    """`{"3_batches/rnn/x": a}` -> `{"3_batches": {"rnn/x": a}}`.

    Raises ValueError naming `tf1_variables` if a variable belongs to none of
    `sections`.
    """
    by_section = {}
    for name, value in tf1_variables.items():
        section, _, name_in_section = name.partition("/")
        by_section.setdefault(section, {})[name_in_section] = value
    unknown = sorted(set(by_section) - set(sections))
    if unknown:
        raise ValueError(
            f"`tf1_variables` hold variables of unknown sections {unknown}; "
            f"the sections with variables are {list(sections)}.")
    return by_section


def run_keras_sections(builders, plans, dtype, tf1_variables=None):
    """Runs `{section: build(dtype) -> (model, inputs)}`, each `model(inputs)`.

    Args:
      builders: section name -> function returning a Keras model whose
        outputs are a dict of named tensors, and the inputs to call it on.
      plans: section name -> `compat.weights.TransferPlan` from the section's
        TF1 variables (names relative to its scope) to its model.
      dtype: "float32" or "float64".
      tf1_variables: optional `{TF1 variable name: array}` from
        `run_graph_sections(..., return_variables=True)`; without it every
        model keeps its own initialisation.
    """
    from keras import ops

    from compat.keras_float64 import keep_float64

    keep_float64()
    dtype = check_dtype(dtype)
    by_section = (None if tf1_variables is None
                  else variables_by_section(tf1_variables, plans))
    seeding.seed_keras()
    results = {}
    for name, build in builders.items():
        model, inputs = build(dtype)
        if by_section is not None:
            plans[name].to_keras(by_section.get(name, {}), model)
        results[name] = {key: ops.convert_to_numpy(value)
                         for key, value in model(inputs).items()}
    return results
