"""`labs.harness.batches`: the fixed minibatch order both forms train on."""

import numpy as np
import pytest

from labs.harness import batches


def test_full_batch_has_no_schedule():
    assert batches.schedule(None, 1000, 50) is None


def test_every_epoch_visits_every_sample_once_in_a_new_order():
    rows = batches.schedule(25, 100, 12)  # 3 epochs of 4 batches
    assert rows.shape == (12, 25) and rows.dtype == np.int32
    epochs = rows.reshape(3, 100)
    for epoch in epochs:
        assert sorted(epoch) == list(range(100))
    assert not np.array_equal(epochs[0], epochs[1])
    assert not np.array_equal(epochs[0], np.arange(100))


def test_a_short_schedule_begins_the_long_one():
    long = batches.schedule(10, 100, 95)
    for iterations in (1, 5, 10, 11, 37):
        np.testing.assert_array_equal(
            batches.schedule(10, 100, iterations), long[:iterations])


def test_the_schedule_is_seeded():
    np.testing.assert_array_equal(batches.schedule(50, 1000, 40),
                                  batches.schedule(50, 1000, 40))


@pytest.mark.parametrize("batch_size", [0, -5, 3, 1001, 2.0, True, "10"])
def test_batch_size_must_divide_the_samples(batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        batches.schedule(batch_size, 1000, 10)
