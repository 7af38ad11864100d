"""`compat.losses.SequenceLoss` (Keras 3) against the numpy reference,
`compat.seq2seq.sequence_loss` and stock Keras losses."""

import os

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import numpy as np
import pytest
import keras

if not keras.__version__.startswith("3."):
    pytest.skip(f"compat.losses needs Keras 3 (keras.ops); found Keras "
                f"{keras.__version__}, as shipped with TF 2.15",
                allow_module_level=True)

from hypothesis import given
from hypothesis import strategies as st

from compat.losses import SequenceLoss
from compat.seq2seq import sequence_loss
from tests.compat.test_sequence_loss import (FLAG_NAMES, INVALID_FLAGS,
                                             TOLERANCE, loss_problems)
from tests.reference import numpy_loss

ADDONS_CLASS_DEFAULTS = dict(average_across_timesteps=False,
                             average_across_batch=False,
                             sum_over_timesteps=True, sum_over_batch=True)


def random_problem(seed, batch=3, time=5, num_classes=6, dtype=np.float32):
    rng = np.random.default_rng(seed)
    logits = rng.normal(size=(batch, time, num_classes)).astype(dtype)
    targets = rng.integers(0, num_classes, size=(batch, time)).astype(np.int32)
    lengths = rng.integers(0, time + 1, size=batch)
    lengths[0] = time  # at least one full row and, usually, some padding
    mask = (np.arange(time) < lengths[:, None]).astype(dtype)
    return logits, targets, mask


def test_defaults_are_the_addons_class_defaults():
    config = SequenceLoss().get_config()
    assert {name: config[name] for name in FLAG_NAMES} == ADDONS_CLASS_DEFAULTS


@given(problem=loss_problems(), one_hot=st.booleans())  # examples: the profile's
def test_matches_numpy_reference_for_every_flag_combination(problem, one_hot):
    logits, targets, weights = problem
    flag_sets = [dict(zip(FLAG_NAMES, flags)) for flags in numpy_loss.VALID_FLAGS]
    expected = [numpy_loss.sequence_loss(logits, targets, weights, **kwargs)
                for kwargs in flag_sets]
    if one_hot:
        targets = np.eye(logits.shape[-1], dtype=logits.dtype)[targets]
    tolerance = TOLERANCE[logits.dtype.type]
    for kwargs, want in zip(flag_sets, expected):
        loss = SequenceLoss(**kwargs, dtype=logits.dtype.name)
        got = keras.ops.convert_to_numpy(loss(targets, logits, weights))
        assert got.dtype == logits.dtype, kwargs
        assert got.shape == want.shape, kwargs
        np.testing.assert_allclose(got, want, rtol=tolerance, atol=tolerance,
                                   err_msg=str(kwargs))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("seed", range(3))
def test_all_ones_equals_sparse_categorical_crossentropy_and_sequence_loss(
        seed, dtype):
    logits, targets, mask = random_problem(seed, dtype=dtype)
    ones = np.ones_like(mask)

    ours = SequenceLoss(dtype=dtype.__name__)
    # The loss function computes in the logits' dtype on every Keras 3; the
    # class in floatx (float32) unless given `dtype=`, which Keras 3.3 lacks.
    stock_function = keras.ops.mean(keras.losses.sparse_categorical_crossentropy(
        targets, logits, from_logits=True))
    values = [ours(targets, logits, ones), ours(targets, logits),
              stock_function, sequence_loss(logits, targets, ones)]
    if dtype is np.float32:
        values.append(keras.losses.SparseCategoricalCrossentropy(
            from_logits=True)(targets, logits))

    tolerance = TOLERANCE[dtype]
    expected = numpy_loss.sequence_loss(logits, targets, ones)
    for value in values:
        np.testing.assert_allclose(keras.ops.convert_to_numpy(value),
                                   expected, rtol=tolerance, atol=tolerance)


@pytest.mark.parametrize("seed", range(3))
def test_mask_as_sample_weight_equals_sequence_loss(seed):
    logits, targets, mask = random_problem(seed, dtype=np.float64)
    assert 0 < mask.sum() < mask.size
    masked_mean = numpy_loss.sequence_loss(logits, targets, mask)

    ours = SequenceLoss(dtype="float64")(targets, logits, mask)
    function = sequence_loss(logits, targets, mask)

    np.testing.assert_allclose(ours, masked_mean, rtol=1e-12)
    np.testing.assert_allclose(function, masked_mean, rtol=1e-12)


def _keras_has_reduction(reduction):
    try:
        keras.losses.Loss(reduction=reduction)
    except ValueError:
        return False
    return True


def _stock(reduction, targets, logits, mask):
    """The stock class, in float32 (Keras 3.3's loss classes take no dtype)."""
    return keras.losses.SparseCategoricalCrossentropy(
        from_logits=True, reduction=reduction)(targets, logits, mask)


@pytest.mark.parametrize("seed", range(3))
def test_stock_keras_sample_weight_divides_by_all_elements(seed):
    """Measured on Keras 3.3 to 3.15: with `sample_weight`, the default
    "sum_over_batch_size" reduction divides Σ wce by B*T, padding included."""
    logits, targets, mask = random_problem(seed, dtype=np.float32)
    wce = numpy_loss.cross_entropy(logits, targets) * mask

    stock = _stock("sum_over_batch_size", targets, logits, mask)
    np.testing.assert_allclose(stock, wce.sum() / mask.size, rtol=1e-5)
    assert not np.isclose(stock, SequenceLoss()(targets, logits, mask))


@pytest.mark.skipif(
    not _keras_has_reduction("mean_with_sample_weight"),
    reason=f"Keras {keras.__version__} has no reduction "
           f"'mean_with_sample_weight' (3.8 has it, 3.6 not)")
@pytest.mark.parametrize("seed", range(3))
def test_stock_keras_mean_with_sample_weight_divides_by_the_weights(seed):
    """"mean_with_sample_weight" divides by Σ w like `sequence_loss`."""
    logits, targets, mask = random_problem(seed, dtype=np.float32)
    np.testing.assert_allclose(
        _stock("mean_with_sample_weight", targets, logits, mask),
        numpy_loss.sequence_loss(logits, targets, mask), rtol=1e-5)


def masked_logits_model(num_classes, vocabulary=7):
    tokens = keras.Input(shape=(None,), dtype="int32")
    embedded = keras.layers.Embedding(vocabulary, 4, mask_zero=True)(tokens)
    logits = keras.layers.Dense(num_classes)(embedded)
    return keras.Model(tokens, logits)


def test_keras_mask_on_y_pred_acts_as_zero_weights():
    _, targets, mask = random_problem(0)
    tokens = (mask * np.arange(1, 1 + mask.size).reshape(mask.shape) % 6
              + mask).astype(np.int32)  # 0 exactly where padded
    model = masked_logits_model(num_classes=6)
    logits = model(tokens)
    assert logits._keras_mask is not None
    expected = numpy_loss.sequence_loss(keras.ops.convert_to_numpy(logits),
                                        targets, mask)

    ours = SequenceLoss()(targets, logits)
    # Stock Keras also averages over valid steps when the mask comes as a
    # Keras mask rather than as sample_weight.
    stock = keras.losses.SparseCategoricalCrossentropy(from_logits=True)(
        targets, logits)

    np.testing.assert_allclose(ours, expected, rtol=1e-6)
    np.testing.assert_allclose(stock, expected, rtol=1e-6)
    # A Keras mask and sample_weight multiply.
    half = np.where(np.arange(mask.shape[1]) % 2, 0.5, 1.0) * np.ones_like(mask)
    np.testing.assert_allclose(
        SequenceLoss(average_across_timesteps=True, average_across_batch=True,
                     sum_over_timesteps=False, sum_over_batch=False)(
            targets, logits, half),
        numpy_loss.sequence_loss(keras.ops.convert_to_numpy(logits), targets,
                                 half * mask),
        rtol=1e-6)


def test_model_evaluate_with_temporal_sample_weight():
    _, targets, mask = random_problem(1)
    tokens = np.random.default_rng(1).integers(1, 7, size=mask.shape)
    model = masked_logits_model(num_classes=6)
    model.compile(loss=SequenceLoss())
    logits = keras.ops.convert_to_numpy(model(tokens))

    loss = model.evaluate(tokens, targets, sample_weight=mask,
                          batch_size=len(tokens), verbose=0)

    np.testing.assert_allclose(
        loss, numpy_loss.sequence_loss(logits, targets, mask), rtol=1e-5)


def test_serialization_round_trip():
    loss = SequenceLoss(average_across_timesteps=True,
                        average_across_batch=False,
                        sum_over_timesteps=False, sum_over_batch=False,
                        name="per_sequence", dtype="float64")
    restored = keras.losses.deserialize(keras.losses.serialize(loss))
    assert isinstance(restored, SequenceLoss)
    assert restored.get_config() == loss.get_config()


# --- documented errors: each message names the offending argument ---------

@pytest.mark.parametrize("flags", INVALID_FLAGS)
def test_conflicting_flags_raise_at_construction(flags):
    kwargs = dict(zip(FLAG_NAMES, flags))
    with pytest.raises(ValueError) as error:
        SequenceLoss(**kwargs)
    named = [flag for flag in FLAG_NAMES if flag in str(error.value)]
    assert len(named) == 2 and all(kwargs[flag] for flag in named)


LOGITS = np.zeros((2, 3, 4), np.float32)
TARGETS = np.zeros((2, 3), np.int32)
WEIGHTS = np.ones((2, 3), np.float32)


@pytest.mark.parametrize("argument, y_true, y_pred, sample_weight", [
    ("y_pred", TARGETS, LOGITS[0], WEIGHTS),
    ("y_true", TARGETS[0], LOGITS, WEIGHTS),
    ("y_true", LOGITS[..., None], LOGITS, WEIGHTS),
    ("sample_weight", TARGETS, LOGITS, WEIGHTS[0]),
    ("y_true", TARGETS[:, :2], LOGITS, WEIGHTS),
    ("y_true", np.zeros((2, 3, 5), np.float32), LOGITS, WEIGHTS),
    ("sample_weight", TARGETS, LOGITS, WEIGHTS[:1]),
    ("sample_weight", TARGETS, LOGITS, WEIGHTS.T),
])
def test_invalid_inputs_raise_naming_the_argument(argument, y_true, y_pred,
                                                  sample_weight):
    with pytest.raises(ValueError, match=rf"^{argument}\b"):
        SequenceLoss()(y_true, y_pred, sample_weight)
