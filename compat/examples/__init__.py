"""``tensorflow.examples``: what TF1's tutorials imported from it (the MNIST reader)."""

from compat.examples import tutorials as tutorials
