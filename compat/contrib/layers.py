"""`tf.contrib.layers`: the layers, initializers and regularizers of ``compat.layers``."""

from compat.layers import *  # noqa: F403
from compat.layers import __all__  # noqa: F401
