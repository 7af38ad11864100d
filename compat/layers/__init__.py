"""Layers, initializers and regularizers of `tf.contrib.layers`."""

import functools

from compat.layers.embed_sequence import embed_sequence
from compat.layers.fully_connected import fully_connected
from compat.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from compat.layers.regularizers import apply_regularization, l2_regularizer

# TF1: `linear` is `fully_connected` without an activation (and its scope name).
linear = functools.partial(fully_connected, activation_fn=None)

__all__ = [
    "apply_regularization",
    "embed_sequence",
    "fully_connected",
    "l2_regularizer",
    "linear",
    "variance_scaling_initializer",
    "xavier_initializer",
    "xavier_initializer_conv2d",
]
