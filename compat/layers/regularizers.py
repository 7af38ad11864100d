"""``l2_regularizer`` and ``apply_regularization`` of ``tf.contrib.layers``.

    l2_regularizer(scale)(w) = scale * sum(w ** 2) / 2          (``tf.nn.l2_loss``)
    apply_regularization(r, weights) = sum of r(w) over weights

``scale`` 0 gives a regularizer that returns None (no penalty).
``apply_regularization`` reads the ``WEIGHTS`` collection when no list is
given, counts a None penalty as 0, and adds the sum to
``REGULARIZATION_LOSSES``, as TF1 did.
"""

import numbers

import tensorflow as tf

v1 = tf.compat.v1


def l2_regularizer(scale, scope=None):
    """Returns ``w -> scale * tf.nn.l2_loss(w)`` (a scalar), or ``w -> None`` for ``scale`` 0."""
    if isinstance(scale, numbers.Integral):
        raise ValueError(f"`scale` cannot be an integer: {scale!r}.")
    if isinstance(scale, numbers.Real):
        if scale < 0.0:
            raise ValueError(f"Setting a scale less than 0 on a regularizer: {scale}.")
        if scale == 0.0:
            return lambda _: None

    def l2(weights):
        with tf.name_scope(scope or "l2_regularizer") as name:
            my_scale = tf.convert_to_tensor(scale, dtype=weights.dtype.base_dtype, name="scale")
            return tf.multiply(my_scale, tf.nn.l2_loss(weights), name=name)

    return l2


def apply_regularization(regularizer, weights_list=None):
    """The summed penalty of ``regularizer`` over ``weights_list`` (default: the ``WEIGHTS`` collection)."""
    if not callable(regularizer):
        raise TypeError(f"`regularizer` must be callable, but received {regularizer!r}.")
    if not weights_list:
        weights_list = v1.get_collection(v1.GraphKeys.WEIGHTS)
    if not weights_list:
        raise ValueError("No weights to regularize: pass `weights_list` (e.g. tf.trainable_variables()).")
    with tf.name_scope("get_regularization_penalty") as scope:
        penalties = [regularizer(weights) for weights in weights_list]
        penalties = [tf.constant(0.0) if penalty is None else penalty for penalty in penalties]
        for penalty in penalties:
            if penalty.shape.rank != 0:
                raise ValueError(
                    "`regularizer` must return a scalar Tensor instead of a Tensor with rank "
                    f"{penalty.shape.rank}."
                )
        summed = tf.add_n(penalties, name=scope)
        v1.add_to_collection(v1.GraphKeys.REGULARIZATION_LOSSES, summed)
        return summed
