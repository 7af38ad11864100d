"""The weight initializers of ``tf.contrib.layers``: variance scaling and Xavier.

For a shape ``[..., fan_in, fan_out]`` (a vector: ``fan_in = fan_out = its
length``; a scalar: 1), the leading dimensions multiplying both fans:

    n = fan_in | fan_out | (fan_in + fan_out) / 2          (mode FAN_IN | FAN_OUT | FAN_AVG)
    uniform:  U(-sqrt(3 factor / n), sqrt(3 factor / n))
    normal:   truncated normal, mean 0, stddev sqrt(1.3 factor / n)

``variance_scaling_initializer`` defaults to He's (factor 2, FAN_IN, normal);
``xavier_initializer`` is factor 1, FAN_AVG, uniform by default. The random
ops are ``tf.compat.v1``'s with the given ``seed``, so a seeded graph draws
what TF1 drew.
"""

import math
import numbers

import tensorflow as tf

MODES = ("FAN_IN", "FAN_OUT", "FAN_AVG")


def _floating(dtype, argument):
    try:
        dtype = tf.as_dtype(dtype)
    except TypeError as error:
        raise TypeError(f"`{argument}` must be a TensorFlow dtype, but received {dtype!r}.") from error
    if not dtype.is_floating:
        raise TypeError(f"Cannot create initializer for non-floating point type: `{argument}` is {dtype.name}.")
    return dtype


def variance_scaling_initializer(factor=2.0, mode="FAN_IN", uniform=False, seed=None,
                                 dtype=tf.float32):
    """An initializer ``(shape, dtype, partition_info) -> tensor`` (see the module)."""
    if isinstance(factor, bool) or not isinstance(factor, numbers.Real) or factor < 0:
        raise ValueError(f"`factor` must be a non-negative number, but received {factor!r}.")
    if mode not in MODES:
        raise TypeError(f"Unknown `mode` {mode!r}: must be one of {list(MODES)}.")
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise TypeError(f"`seed` must be None or an integer, but received {seed!r}.")
    default_dtype = _floating(dtype, "dtype")

    def initializer(shape, dtype=default_dtype, partition_info=None):
        dtype = _floating(dtype, "dtype")
        if partition_info is not None:
            shape = partition_info.full_shape
        shape = tf.TensorShape(shape).as_list()
        if shape:
            fan_in = float(shape[-2]) if len(shape) > 1 else float(shape[-1])
            fan_out = float(shape[-1])
        else:
            fan_in = fan_out = 1.0
        for dim in shape[:-2]:
            fan_in *= float(dim)
            fan_out *= float(dim)
        n = {"FAN_IN": fan_in, "FAN_OUT": fan_out, "FAN_AVG": (fan_in + fan_out) / 2.0}[mode]
        if uniform:
            limit = math.sqrt(3.0 * factor / n)
            return tf.compat.v1.random_uniform(shape, -limit, limit, dtype, seed=seed)
        stddev = math.sqrt(1.3 * factor / n)
        return tf.compat.v1.truncated_normal(shape, 0.0, stddev, dtype, seed=seed)

    return initializer


def xavier_initializer(uniform=True, seed=None, dtype=tf.float32):
    """Glorot and Bengio's initializer: ``variance_scaling_initializer(1.0, "FAN_AVG", uniform)``."""
    return variance_scaling_initializer(factor=1.0, mode="FAN_AVG", uniform=uniform, seed=seed,
                                        dtype=dtype)


xavier_initializer_conv2d = xavier_initializer
