"""On TensorFlow, `compat.optimizers.TF1Adam` (written in `keras.ops` for
every backend) trains every lab exactly as the kernel-based TF1Adam it
replaced did (`tests/reference/kernel_adam.py`): the same losses and final
weights, bit for bit, over `ITERATIONS` iterations (two calls of the
harness's train step) from v1's initial weights, in both dtypes."""

import keras
import numpy as np
import pytest

from labs.harness import keras_loop, registry, transfer
from labs.harness.run import build_keras_lab, recorder_for, tf1_initial_variables
from tests.reference import kernel_adam

if keras.backend.backend() != "tensorflow":
    pytest.skip("the kernel-based reference runs TensorFlow's ResourceApplyAdam "
                "(tests/backends holds the optimizer on JAX and PyTorch)",
                allow_module_level=True)

ITERATIONS = 12
TRAINING_LABS = [entry.lab_id for entry in registry.LABS
                 if entry.kind == "training"]


def _train(lab_id, dtype, make_optimizer):
    lab = build_keras_lab(registry.get(lab_id), dtype)
    transfer.plan(lab_id).to_keras(tf1_initial_variables(lab_id, dtype),
                                   lab.model)
    recorder = recorder_for(lab_id, dtype, ITERATIONS)
    keras_loop.run_training(lab, make_optimizer(lab), recorder)
    return recorder.losses, lab.model.get_weights()


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("lab_id", TRAINING_LABS)
def test_keras_ops_tf1adam_trains_every_lab_as_the_kernel_did(lab_id, dtype):
    losses, weights = _train(lab_id, dtype, keras_loop.tf1_adam)
    want_losses, want_weights = _train(
        lab_id, dtype, lambda lab: kernel_adam.KernelTF1Adam(
            learning_rate=lab.learning_rate, epsilon=lab.epsilon))
    np.testing.assert_array_equal(losses, want_losses)
    for got, want in zip(weights, want_weights):
        np.testing.assert_array_equal(got, want)
