"""`tf.contrib.legacy_seq2seq`: the models of ``compat.legacy_seq2seq``."""

from compat.legacy_seq2seq import *  # noqa: F403
from compat.legacy_seq2seq import __all__  # noqa: F401
