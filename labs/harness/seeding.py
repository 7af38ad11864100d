"""The course's seed, 777, for both forms.

* v1: `tf.set_random_seed(777)` on the lab's own `tf.Graph`, as every
  original lab did first. Each random op then gets the op seed pair
  (777, k) with k counted per graph, so a graph built twice starts from the
  same weights in any process (TF 2.15 and 2.21 give identical values; TF 1.x
  counted differently, so the course's printed numbers are not reproducible).
* v2: `keras.utils.set_random_seed(777)` (Python, numpy and backend seeds)
  right before the model is built.

Neither depends on PYTHONHASHSEED; the labs' vocabularies have a fixed order
for the same reason.
"""

SEED = 777


def seed_graph(graph):
    """Sets the graph-level seed of `graph` (a `tf.Graph`)."""
    import tensorflow as tf

    with graph.as_default():
        tf.compat.v1.set_random_seed(SEED)


def seed_keras():
    """Seeds Python, numpy and the Keras backend before a model is built."""
    import keras

    keras.utils.set_random_seed(SEED)
