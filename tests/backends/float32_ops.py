"""Which ops of a model's forward and backward pass compute in float32, on
Keras's current backend (JAX or PyTorch): the guard of
`compat.keras_float64`.

JAX: the jaxpr of `value_and_grad` of the loss, walked into every nested
jaxpr (scans, loops, conditionals, custom derivatives). PyTorch: every aten
op dispatched while the loss and its gradients are computed.
"""

import keras
import numpy as np


def float32_ops(model, loss_fn, x, y):
    """Names of the ops that produce a float32 value, in order, with repeats."""
    backend = keras.backend.backend()
    if backend == "jax":
        return _jax_float32_ops(model, loss_fn, x, y)
    if backend == "torch":
        return _torch_float32_ops(model, loss_fn, x, y)
    raise ValueError(f"float32_ops inspects the jax and torch backends, not "
                     f"{backend!r}.")


def _jax_float32_ops(model, loss_fn, x, y):
    import jax
    from jax import numpy as jnp

    def loss(trainable, non_trainable):
        logits, _ = model.stateless_call(trainable, non_trainable,
                                         jnp.asarray(x), training=True)
        return loss_fn(jnp.asarray(y), logits)

    closed = jax.make_jaxpr(jax.value_and_grad(loss))(
        [v.value for v in model.trainable_variables],
        [v.value for v in model.non_trainable_variables])
    found = []
    _walk_jaxpr(closed.jaxpr, found)
    return found


def _walk_jaxpr(jaxpr, found):
    for equation in jaxpr.eqns:
        if any(getattr(getattr(v, "aval", None), "dtype", None) == np.float32
               for v in equation.outvars):
            found.append(equation.primitive.name)
        for value in equation.params.values():
            for inner in value if isinstance(value, (list, tuple)) else [value]:
                inner = getattr(inner, "jaxpr", inner)  # ClosedJaxpr -> Jaxpr
                if hasattr(inner, "eqns"):
                    _walk_jaxpr(inner, found)


def _torch_float32_ops(model, loss_fn, x, y):
    import torch
    from torch.utils._python_dispatch import TorchDispatchMode
    from torch.utils._pytree import tree_leaves

    found = []

    class Float32Log(TorchDispatchMode):
        def __torch_dispatch__(self, func, types, args=(), kwargs=None):
            out = func(*args, **(kwargs or {}))
            if any(isinstance(t, torch.Tensor) and t.dtype == torch.float32
                   for t in tree_leaves(out)):
                found.append(str(func))
            return out

    inputs = keras.ops.convert_to_tensor(x)
    targets = keras.ops.convert_to_tensor(y)
    with Float32Log():
        loss = loss_fn(targets, model(inputs, training=True))
        loss.backward()
    model.zero_grad()
    return found
