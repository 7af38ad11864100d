"""Layers, initializers and regularizers of `tf.contrib.layers`."""

from compat.layers.embed_sequence import embed_sequence
from compat.layers.fully_connected import fully_connected, linear
from compat.layers.initializers import (
    variance_scaling_initializer,
    xavier_initializer,
    xavier_initializer_conv2d,
)
from compat.layers.regularizers import apply_regularization, l2_regularizer

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
