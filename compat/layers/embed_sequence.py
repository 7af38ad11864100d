"""``embed_sequence`` of ``tf.contrib.layers``: ids to embedding vectors.

    embed_sequence(ids)[..., :] = embeddings[ids[...]]

``embeddings`` ``[vocab_size, embed_dim]`` is ``<scope>/embeddings``
(``EmbedSequence`` uniquified by default), created with the scope's
initializer unless ``initializer`` is given, and added to
``MODEL_VARIABLES``. With ``reuse`` the sizes may be left out: the existing
variable is taken. ``unique=True`` looks each distinct id up once.
"""

import tensorflow as tf

v1 = tf.compat.v1


def embed_sequence(ids, vocab_size=None, embed_dim=None, unique=False, initializer=None,
                   regularizer=None, trainable=True, scope=None, reuse=None):
    """Returns ``[..., embed_dim]`` embeddings of the int ``ids``."""
    if not (reuse or (vocab_size and embed_dim)):
        raise ValueError(
            "Must specify vocab size and embedding dimension when not reusing. Got "
            f"vocab_size={vocab_size} and embed_dim={embed_dim}"
        )
    ids = tf.convert_to_tensor(ids)
    if not ids.dtype.is_integer:
        raise TypeError(f"`ids` must be int32 or int64 symbol ids, but have dtype {ids.dtype.name}.")
    with v1.variable_scope(scope, "EmbedSequence", [ids], reuse=reuse):
        shape = [vocab_size, embed_dim]
        if reuse and vocab_size is None or embed_dim is None:
            shape = None
        embeddings = v1.get_variable(
            "embeddings", shape=shape, initializer=initializer, regularizer=regularizer,
            trainable=trainable,
            collections=[v1.GraphKeys.GLOBAL_VARIABLES, v1.GraphKeys.MODEL_VARIABLES])
        if unique:
            flat = tf.reshape(ids, [-1])
            distinct, positions = tf.unique(flat)
            looked_up = tf.nn.embedding_lookup(embeddings, distinct)
            gathered = tf.gather(looked_up, positions)
            embedded = tf.reshape(gathered, tf.concat([tf.shape(ids), tf.shape(looked_up)[1:]], 0))
            embedded.set_shape(ids.shape.concatenate(looked_up.shape[1:]))
            return embedded
        return tf.nn.embedding_lookup(embeddings, ids)
