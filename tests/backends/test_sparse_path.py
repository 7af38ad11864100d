"""12-7's embedding on TF1's sparse Adam path, on every backend.

TF1 read 12-7's embedding with `embedding_lookup`, so its Adam took the
sparse path (`compat.optimizers`); JAX and PyTorch hand the optimizer a
dense gradient. Here the genuine TF1 graph trains 12-7 for `STEPS`
iterations and hands over each iteration's embedding gradient
(`IndexedSlices`); the optimizer the harness builds for 12-7's Keras form
(`keras_loop.tf1_adam`) applies the same gradients, densified (duplicates
summed in order, as TF1 did), on this process's backend, eagerly, and must
give the embedding TF1 gave, bit for bit. The dense formula's rounding
differs from the sparse one's, so this fails if the embedding goes through
the dense path.

PyTorch's `sqrt` on the CPU is not correctly rounded (measured with torch
2.13: 1 ulp off IEEE's square root for 0.7% of 100,000 random float32 and
0.8% of float64 values, on every ATEN_CPU_CAPABILITY), so there the
embedding is held within `TORCH_ULPS` of TF1's instead: that checks the
step, not which path it took, which TensorFlow and JAX check.
"""

import keras
import numpy as np
import pytest
import tensorflow as tf
from tensorflow.core.protobuf import rewriter_config_pb2

from labs.harness import keras_loop, registry, session_loop
from labs.harness.run import build_keras_lab

STEPS = 15
LAB = "12-7"
TORCH_ULPS = 8
# Grappler off: its rewrites (oneDNN's fused element-wise kernels among them)
# round differently from the ops one at a time, which is how the optimizer
# runs here, eagerly, on every backend.
OP_BY_OP = tf.compat.v1.ConfigProto(
    graph_options=tf.compat.v1.GraphOptions(
        rewrite_options=rewriter_config_pb2.RewriterConfig(
            disable_meta_optimizer=True)))


def _tf1_embedding_steps(dtype):
    """Every iteration's (gradient values, indices) and the embedding after
    its update, from the genuine TF1 graph of 12-7."""
    graph, lab, init_op = session_loop.build_graph(
        registry.get(LAB).module("v1").build, dtype)
    with graph.as_default():
        embedding = next(v for v in tf.compat.v1.trainable_variables()
                         if v.op.name == "embedding")
        gradient = tf.gradients(lab.loss, embedding)[0]
        assert isinstance(gradient, tf.IndexedSlices)
        with tf.compat.v1.Session(graph=graph, config=OP_BY_OP) as session:
            session.run(init_op)
            initial = session.run(embedding)
            steps = []
            for _ in range(STEPS):
                values, indices = session.run(
                    [gradient.values, gradient.indices], lab.feed)
                session.run(lab.train_op, lab.feed)
                steps.append((values, indices, session.run(embedding)))
    return initial, steps


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_the_embedding_follows_tf1s_sparse_adam(dtype):
    initial, steps = _tf1_embedding_steps(dtype)
    lab = build_keras_lab(registry.get(LAB), dtype)
    optimizer = keras_loop.tf1_adam(lab)
    variables = lab.model.trainable_variables
    table = lab.model.get_layer("embedding").embeddings
    table.assign(initial)
    optimizer.build(variables)
    for step, (values, indices, expected) in enumerate(steps, start=1):
        dense = np.zeros_like(initial)
        np.add.at(dense, indices, values)
        gradients = [dense if v is table else np.zeros(v.shape, dtype)
                     for v in variables]
        optimizer.apply([keras.ops.convert_to_tensor(g) for g in gradients],
                        variables)
        got = keras.ops.convert_to_numpy(table)
        if keras.backend.backend() == "torch":
            np.testing.assert_array_max_ulp(got, expected, maxulp=TORCH_ULPS)
            continue
        assert np.array_equal(got, expected), (
            f"step {step} on {keras.backend.backend()}: the embedding is "
            f"{np.max(np.abs(got - expected)):.3g} off TF1's sparse Adam")
