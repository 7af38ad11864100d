"""TF1's MNIST reader: a tiny IDX set written by the test, TF1's splits, batches and seeding.

The expected batch order is stated from TF1's algorithm (NumPy's global
generator seeded by the DataSet, one shuffle of the whole set before the
first batch and at every epoch's end, a short batch topped up from the next
epoch), replayed here with a ``RandomState`` of the same seed.
"""

import os

import numpy as np
import pytest

from compat.examples.tutorials.mnist import input_data
from tests.mnist_idx import write_idx

TRAIN, TEST, ROWS = 12, 4, 3


@pytest.fixture
def mnist_folder(tmp_path):
    """``MNIST_data/`` with 12 training and 4 test images of 3x3 pixels; image i is all i."""
    folder = tmp_path / "MNIST_data"
    folder.mkdir()
    train = np.arange(TRAIN)[:, None, None] * np.ones((TRAIN, ROWS, ROWS))
    test = 100 + np.arange(TEST)[:, None, None] * np.ones((TEST, ROWS, ROWS))
    write_idx(folder / input_data.FILES["train_images"], 2051, train)
    write_idx(folder / input_data.FILES["train_labels"], 2049, np.arange(TRAIN) % 10)
    write_idx(folder / input_data.FILES["test_images"], 2051, test)
    write_idx(folder / input_data.FILES["test_labels"], 2049, np.arange(TEST))
    return folder


def listing(folder):
    return sorted((path.name, path.stat().st_size, path.stat().st_mtime_ns) for path in folder.iterdir())


def test_splits_scaling_and_one_hot_as_tf1(mnist_folder, capsys):
    before = listing(mnist_folder)
    data = input_data.read_data_sets(str(mnist_folder), one_hot=True, validation_size=2, seed=5)
    assert listing(mnist_folder) == before  # read only
    assert "Extracting" in capsys.readouterr().out
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (10, 2, 4)
    assert data.train.images.shape == (10, ROWS * ROWS) and data.train.images.dtype == np.float32
    np.testing.assert_array_equal(data.validation.images[:, 0], np.float32(np.arange(2) * (1.0 / 255.0)))
    np.testing.assert_array_equal(data.validation.labels, np.eye(10)[[0, 1]])
    raw = input_data.read_data_sets(str(mnist_folder), dtype="uint8", reshape=False, validation_size=0)
    assert raw.train.images.shape == (TRAIN, ROWS, ROWS, 1) and raw.train.images.dtype == np.uint8
    np.testing.assert_array_equal(raw.test.labels, np.arange(TEST))


@pytest.mark.parametrize("seed", [0, 777])
def test_next_batch_shuffles_each_epoch_as_tf1(mnist_folder, seed):
    data = input_data.read_data_sets(str(mnist_folder), validation_size=2, seed=seed)
    train = data.train  # rows 2..11 of the file
    rng = np.random.RandomState(seed)
    rows = np.arange(2, TRAIN)
    first = np.arange(10)
    rng.shuffle(first)
    order = rows[first]
    taken = []
    for _ in range(3):  # 3 batches of 4 from 10 examples: the third crosses into epoch 2
        images, labels = train.next_batch(4)
        taken.append(np.round(images[:, 0] * 255).astype(int))
        np.testing.assert_array_equal(labels, taken[-1] % 10)
    second = np.arange(10)
    rng.shuffle(second)
    order_after = order[second]
    np.testing.assert_array_equal(np.concatenate(taken), np.concatenate([order, order_after[:2]]))
    assert train.epochs_completed == 1


def test_the_graph_seed_seeds_the_shuffle_when_no_seed_is_given(mnist_folder):
    import tensorflow as tf

    batches = []
    for _ in range(2):
        with tf.Graph().as_default():
            tf.compat.v1.set_random_seed(777)
            data = input_data.read_data_sets(str(mnist_folder), validation_size=0)
            batches.append(data.train.next_batch(5)[1])
    np.testing.assert_array_equal(*batches)
    rng = np.random.RandomState(777)
    expected = np.arange(TRAIN)
    rng.shuffle(expected)
    np.testing.assert_array_equal(batches[0], expected[:5] % 10)


def test_fake_data(tmp_path):
    data = input_data.read_data_sets(str(tmp_path / "nothing"), fake_data=True, one_hot=True)
    images, labels = data.train.next_batch(3, fake_data=True)
    assert len(images) == 3 and len(images[0]) == 784 and labels[0] == [1] + [0] * 9
    assert data.train.num_examples == 10000
    assert not (tmp_path / "nothing").exists()


def test_without_files_it_reads_keras_mnist(tmp_path, monkeypatch):
    import keras

    train = np.zeros((6, 28, 28), np.uint8)
    test = np.ones((2, 28, 28), np.uint8)
    monkeypatch.setattr(keras.datasets.mnist, "load_data",
                        lambda: ((train, np.arange(6)), (test, np.arange(2))))
    data = input_data.read_data_sets(str(tmp_path / "MNIST_data"), validation_size=1)
    assert (data.train.num_examples, data.validation.num_examples, data.test.num_examples) == (5, 1, 2)
    assert data.test.images.shape == (2, 784)
    assert not (tmp_path / "MNIST_data").exists()


def test_offline_without_files_one_error_names_the_folder_and_files(tmp_path, monkeypatch):
    import keras

    def offline():
        raise OSError("network unreachable")

    monkeypatch.setattr(keras.datasets.mnist, "load_data", offline)
    folder = tmp_path / "MNIST_data"
    with pytest.raises(FileNotFoundError) as failure:
        input_data.read_data_sets(str(folder))
    message = str(failure.value)
    assert os.path.abspath(folder) in message
    for name in input_data.FILES.values():
        assert name in message
    assert "network unreachable" in message
    assert not folder.exists()


@pytest.mark.parametrize("damage, message", [
    ("truncated", "truncated: its header promises"),
    ("not_gzip", "not a readable gzip file"),
    ("wrong_magic", "invalid magic number 2049"),
])
def test_a_damaged_file_is_named(mnist_folder, damage, message):
    path = mnist_folder / input_data.FILES["test_images"]
    if damage == "truncated":
        write_idx(path, 2051, np.zeros((TEST, ROWS, ROWS)), truncate=5)
    elif damage == "not_gzip":
        path.write_bytes(b"<html>404</html>")
    else:
        write_idx(path, 2049, np.zeros((TEST, ROWS, ROWS)))
    with pytest.raises(input_data.MnistFileError, match=message) as failure:
        input_data.read_data_sets(str(mnist_folder))
    assert str(path) in str(failure.value)


@pytest.mark.parametrize("options, error, message", [
    ({"validation_size": 13}, ValueError, "Validation size should be between 0 and 12. Received: 13"),
    ({"dtype": "float64"}, TypeError, "Invalid image dtype"),
])
def test_bad_arguments(mnist_folder, options, error, message):
    with pytest.raises(error, match=message):
        input_data.read_data_sets(str(mnist_folder), **options)
    with pytest.raises(TypeError, match="`train_dir` must be a folder path"):
        input_data.read_data_sets(None)
    data = input_data.read_data_sets(str(mnist_folder), validation_size=2)
    with pytest.raises(ValueError, match="`batch_size` must be a positive integer"):
        data.train.next_batch(0)
