"""Layers of `tf.contrib.layers` that the course used."""

from compat.layers.fully_connected import fully_connected

__all__ = ["fully_connected"]
