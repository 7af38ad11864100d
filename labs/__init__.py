"""The course's Lab 12 RNN labs, each as a TF1 graph (v1) and in Keras 3 (v2)."""

from compat.environment import require_keras

# Before any lab, harness or CLI code: an environment below the Keras floor
# gets one clear message here, not a traceback from inside Keras.
require_keras()
