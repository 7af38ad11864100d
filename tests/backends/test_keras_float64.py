"""float64 stays float64 on JAX and PyTorch (`compat.keras_float64`), and
the guard that says when Keras no longer needs the shim (keras#23704)."""

import os
import subprocess
import sys
import textwrap

import keras
import pytest

from labs.harness import registry

if keras.backend.backend() == "tensorflow":
    pytest.skip("the shim is for Keras's JAX and PyTorch backends (tox envs "
                "jax, torch); TensorFlow keeps float64 itself",
                allow_module_level=True)

TRAINING_LABS = [entry.lab_id for entry in registry.LABS
                 if entry.kind == "training"]


@pytest.mark.parametrize("lab_id", TRAINING_LABS)
def test_a_float64_lab_computes_no_op_in_float32(lab_id):
    from labs.harness.run import build_keras_lab
    from tests.backends.float32_ops import float32_ops

    lab = build_keras_lab(registry.get(lab_id), "float64")  # keeps float64
    found = float32_ops(lab.model, lab.loss, lab.x, lab.y)
    assert not found, (f"lab {lab_id}'s float64 model computes "
                       f"{len(found)} ops in float32 on "
                       f"{keras.backend.backend()}, e.g. {found[:5]}")


def test_keras_still_down_casts_float64_without_the_shim():
    """Fails the day Keras keeps float64 itself: then `compat.keras_float64`
    can go (and the README's backends section says which Keras needs it)."""
    script = textwrap.dedent("""
        import keras
        from compat.keras_float64 import keras_down_casts_float64
        from tests.backends.float32_ops import float32_ops

        inputs = keras.Input((3,), dtype="float64")
        outputs = keras.layers.Dense(2, activation="tanh", dtype="float64")(inputs)
        model = keras.Model(inputs, outputs)
        found = float32_ops(model, lambda y, p: keras.ops.mean((y - p) ** 2),
                            [[1.0, 2.0, 3.0]], [[0.5, -0.5]])
        print(keras_down_casts_float64(), len(found))
    """)
    # A fresh interpreter: this one has the shim on. JAX's 64-bit mode on,
    # as the harness runs it: the down-cast is Keras's, not JAX's.
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True,
        env=dict(os.environ, JAX_ENABLE_X64="1"), check=False)
    assert result.returncode == 0, result.stderr[-3000:]
    down_casts, float32_count = result.stdout.split()[-2:]
    assert down_casts == "True" and int(float32_count) > 0, (
        f"Keras {keras.__version__} on {keras.backend.backend()} keeps float64 "
        f"without compat.keras_float64 (keras-team/keras#23704 fixed): the "
        f"shim is no longer needed from this version on")
