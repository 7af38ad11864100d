"""`tf.contrib.layers`, as far as the course used it."""

from compat.layers import fully_connected

__all__ = ["fully_connected"]
