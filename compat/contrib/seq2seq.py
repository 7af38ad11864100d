"""`tf.contrib.seq2seq`: ``compat.seq2seq``'s decoders, helpers, attention and loss."""

from compat.seq2seq import *  # noqa: F403
from compat.seq2seq import __all__  # noqa: F401
