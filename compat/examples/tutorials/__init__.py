"""``tensorflow.examples.tutorials``."""

from compat.examples.tutorials import mnist as mnist
