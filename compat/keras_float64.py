"""float64 that stays float64 on every Keras 3 backend.

Keras 3's type promotion (`keras.backend.result_type`) ends by mapping 64-bit
types to 32-bit ones on every backend but TensorFlow: the table
`BIT64_TO_BIT32_DTYPE` in `keras/src/backend/common/dtypes.py`, "to be
aligned with JAX's default behavior" (keras-team/keras#23704, open). A
float64 model then still returns float64, but some ops inside run in
float32: `ops.tanh` on JAX, `ops.matmul` on PyTorch. Measured on the labs
(Keras 3.15.1): v2 on JAX or PyTorch 3e-7 to 1e-6 from v1 in float64; with
the table's float64 entry kept float64, 3e-14.

`keep_float64()` sets that one entry to float64 (the TensorFlow backend's
value for the TensorFlow backend in Keras 3.15; Keras 3.3.3 maps it to
float32 on TensorFlow too, where the labs' ops keep float64 all the same; the
TensorFlow backend is left exactly as it is) and, on JAX, turns on JAX's 64-bit mode (without it JAX makes float64
arrays float32). Nothing else of the promotion changes: float32 meets
float32 as before; float64 meets float32 as float64, as on TensorFlow.
Idempotent; a no-op on TensorFlow and wherever Keras no longer down-casts. `keras_down_casts_float64()` tells whether the Keras installed
still needs it (tests/compat/test_keras_float64.py fails the day it does
not, so the shim can go).
"""

from compat.environment import require_keras

require_keras()

import keras  # noqa: E402

__all__ = ["keep_float64", "keras_down_casts_float64"]


def _promotion_table():
    from keras.src.backend.common import dtypes

    return dtypes.BIT64_TO_BIT32_DTYPE


def keras_down_casts_float64():
    """Whether this Keras, on this backend, promotes float64 to float32."""
    return _promotion_table().get("float64", "float64") != "float64"


def keep_float64():
    """Keep float64 computations in float64 on Keras's current backend."""
    backend = keras.backend.backend()
    if backend == "tensorflow":
        return
    if backend == "jax":
        import jax

        jax.config.update("jax_enable_x64", True)
    table = _promotion_table()
    if table.get("float64", "float64") != "float64":
        table["float64"] = "float64"
