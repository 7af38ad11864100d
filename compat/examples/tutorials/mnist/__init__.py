"""``tensorflow.examples.tutorials.mnist``: ``input_data.read_data_sets``."""

from compat.examples.tutorials.mnist import input_data as input_data
