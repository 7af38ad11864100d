"""TF1's MNIST tutorial reader: ``input_data.read_data_sets`` and its ``DataSet``.

    mnist = input_data.read_data_sets("MNIST_data/", one_hot=True)
    batch_xs, batch_ys = mnist.train.next_batch(100)

Where the images come from: the four IDX files TF1 downloaded
(``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
``t10k-images-idx3-ubyte.gz``, ``t10k-labels-idx1-ubyte.gz``) if all are in
``train_dir`` (course repositories ship an ``MNIST_data/`` folder), else
Keras's MNIST (``keras.datasets.mnist``: its cached ``mnist.npz``, or a
download to Keras's cache), which holds the same images in the same order.
Nothing is ever written into ``train_dir``; ``source_url`` is accepted and
unused.

What the data sets hold, as in TF1: the first ``validation_size`` training
images are ``validation``, the rest ``train``; images are ``[n, 784]`` (or
``[n, 28, 28, 1]`` without ``reshape``) floats in [0, 1] (or the raw bytes
with ``dtype=uint8``); labels are ints, or float one-hot rows. ``next_batch``
walks the set in an order shuffled once per epoch (a short last batch is
topped up from the next epoch) with NumPy's global generator, which the
``DataSet`` seeds as TF1 did: with ``seed`` if given, else with the graph's
seed (``tf.compat.v1.set_random_seed``), else from the system. So a script
that seeded its graph draws the batches it drew under TF1.
"""

import collections
import gzip
import os
import zlib

import numpy as np

FILES = {
    "train_images": "train-images-idx3-ubyte.gz",
    "train_labels": "train-labels-idx1-ubyte.gz",
    "test_images": "t10k-images-idx3-ubyte.gz",
    "test_labels": "t10k-labels-idx1-ubyte.gz",
}
IMAGES_MAGIC, LABELS_MAGIC = 2051, 2049
DEFAULT_SOURCE_URL = "https://storage.googleapis.com/cvdf-datasets/mnist/"

Datasets = collections.namedtuple("Datasets", ["train", "validation", "test"])


class MnistFileError(ValueError):
    """An MNIST file is truncated, corrupt or not what its name says."""


def _read_idx(path, magic, dimensions):
    """The array stored in the gzipped IDX file ``path``."""
    try:
        with gzip.open(path, "rb") as stream:
            data = stream.read()
    except (OSError, EOFError, zlib.error) as error:
        raise MnistFileError(f"{path}: not a readable gzip file ({error}); delete it or fetch it again.") from error
    header_size = 4 * (1 + dimensions)
    if len(data) < header_size:
        raise MnistFileError(f"{path}: truncated: {len(data)} bytes, fewer than its {header_size}-byte header.")
    header = np.frombuffer(data[:header_size], dtype=">u4")
    if header[0] != magic:
        raise MnistFileError(f"{path}: invalid magic number {header[0]} in MNIST file (expected {magic}).")
    shape = tuple(int(size) for size in header[1:])
    expected = int(np.prod(shape))
    if len(data) - header_size < expected:
        raise MnistFileError(
            f"{path}: truncated: its header promises {expected} bytes of data for shape {shape}, "
            f"but it holds {len(data) - header_size}."
        )
    return np.frombuffer(data[header_size:header_size + expected], dtype=np.uint8).reshape(shape)


def dense_to_one_hot(labels_dense, num_classes):
    """Float one-hot rows ``[n, num_classes]`` of integer labels ``[n]``."""
    one_hot = np.zeros((labels_dense.shape[0], num_classes))
    one_hot[np.arange(labels_dense.shape[0]), labels_dense.ravel()] = 1
    return one_hot


def _numpy_dtype(dtype):
    dtype = np.dtype(getattr(dtype, "as_numpy_dtype", dtype))
    if dtype not in (np.uint8, np.float32):
        raise TypeError(f"Invalid image dtype {dtype!r}, expected uint8 or float32.")
    return dtype


def _numpy_seed(seed):
    """TF1's choice: ``seed`` if given, else the graph's seed, else None (the system's)."""
    import tensorflow as tf

    graph_seed, op_seed = tf.compat.v1.get_seed(seed)
    return graph_seed if seed is None else op_seed


class DataSet:
    """One split: ``images``, ``labels``, ``num_examples``, ``epochs_completed``, ``next_batch``.

    Args:
      images: uint8 ``[n, rows, columns, 1]``; labels: ``[n]`` or ``[n, classes]``.
      fake_data: a stand-in of 10000 examples that ``next_batch(n, fake_data=True)``
        fills with ones (one_hot says how its labels look).
      one_hot: the fake labels' form; real labels come as given.
      dtype: ``float32`` (images scaled to [0, 1]) or ``uint8`` (as stored).
      reshape: flatten each image to ``rows * columns``.
      seed: seeds NumPy's global generator, which shuffles (see the module).
    """

    def __init__(self, images, labels, fake_data=False, one_hot=False, dtype=np.float32, reshape=True,
                 seed=None):
        np.random.seed(_numpy_seed(seed))
        dtype = _numpy_dtype(dtype)
        if fake_data:
            self._num_examples = 10000
            self.one_hot = one_hot
        else:
            images, labels = np.asarray(images), np.asarray(labels)
            if images.shape[0] != labels.shape[0]:
                raise ValueError(f"images.shape: {images.shape} labels.shape: {labels.shape}: one label per image.")
            self._num_examples = images.shape[0]
            if reshape:
                if images.ndim != 4 or images.shape[3] != 1:
                    raise ValueError(f"`images` must be [n, rows, columns, 1] to reshape, but are {images.shape}.")
                images = images.reshape(images.shape[0], images.shape[1] * images.shape[2])
            if dtype == np.float32:
                images = np.multiply(images.astype(np.float32), 1.0 / 255.0)
        self._images = images
        self._labels = labels
        self._epochs_completed = 0
        self._index_in_epoch = 0

    @property
    def images(self):
        return self._images

    @property
    def labels(self):
        return self._labels

    @property
    def num_examples(self):
        return self._num_examples

    @property
    def epochs_completed(self):
        return self._epochs_completed

    def next_batch(self, batch_size, fake_data=False, shuffle=True):
        """The next ``batch_size`` examples: ``(images, labels)``."""
        if isinstance(batch_size, bool) or not isinstance(batch_size, (int, np.integer)) or batch_size < 1:
            raise ValueError(f"`batch_size` must be a positive integer, but received {batch_size!r}.")
        if fake_data:
            fake_image = [1] * 784
            fake_label = [1] + [0] * 9 if self.one_hot else 0
            return [fake_image] * batch_size, [fake_label] * batch_size
        start = self._index_in_epoch
        if self._epochs_completed == 0 and start == 0 and shuffle:
            self._shuffle()
        if start + batch_size <= self._num_examples:
            self._index_in_epoch += batch_size
            return self._images[start:self._index_in_epoch], self._labels[start:self._index_in_epoch]
        self._epochs_completed += 1
        images_rest = self._images[start:self._num_examples]
        labels_rest = self._labels[start:self._num_examples]
        if shuffle:
            self._shuffle()
        self._index_in_epoch = batch_size - (self._num_examples - start)
        end = self._index_in_epoch
        return (np.concatenate((images_rest, self._images[:end]), axis=0),
                np.concatenate((labels_rest, self._labels[:end]), axis=0))

    def _shuffle(self):
        order = np.arange(self._num_examples)
        np.random.shuffle(order)
        self._images = self._images[order]
        self._labels = self._labels[order]


def _from_folder(train_dir):
    """The four arrays from ``train_dir``, or None if any file is missing there."""
    paths = {key: os.path.join(train_dir, name) for key, name in FILES.items()}
    if not all(os.path.isfile(path) for path in paths.values()):
        return None
    arrays = {}
    for key, path in paths.items():
        print("Extracting", path)
        if key.endswith("images"):
            arrays[key] = _read_idx(path, IMAGES_MAGIC, 3)[..., None]
        else:
            arrays[key] = _read_idx(path, LABELS_MAGIC, 1)
    return arrays


def _from_keras(train_dir):
    """The four arrays from ``keras.datasets.mnist``; one clear error if it cannot have them."""
    try:
        import keras

        (train_images, train_labels), (test_images, test_labels) = keras.datasets.mnist.load_data()
    except Exception as error:  # no cache and no network, or no Keras
        names = ", ".join(FILES.values())
        raise FileNotFoundError(
            f"MNIST is neither in {os.path.abspath(train_dir)!r} (looked for {names}) nor in "
            f"Keras's cache, and Keras could not download it: {type(error).__name__}: {error}. "
            "Put the four files into that folder, or run once with network access."
        ) from error
    print(f"Extracting MNIST from Keras's cache (no {FILES['train_images']} in {train_dir})")
    return {"train_images": train_images[..., None], "train_labels": train_labels,
            "test_images": test_images[..., None], "test_labels": test_labels}


def read_data_sets(train_dir, fake_data=False, one_hot=False, dtype=np.float32, reshape=True,
                   validation_size=5000, seed=None, source_url=DEFAULT_SOURCE_URL):
    """``Datasets(train, validation, test)`` of MNIST (see the module).

    Args:
      train_dir: the folder with the four IDX ``.gz`` files (read only).
      fake_data: three stand-in sets instead (nothing is read).
      one_hot: labels as float one-hot rows.
      dtype: ``float32`` (images in [0, 1]) or ``uint8``.
      reshape: images as ``[n, 784]`` rather than ``[n, 28, 28, 1]``.
      validation_size: how many of the 60000 training images form ``validation``.
      seed: the shuffling seed (see the module).
      source_url: accepted for TF1 compatibility; nothing is downloaded from it.
    """
    if not isinstance(train_dir, (str, os.PathLike)):
        raise TypeError(f"`train_dir` must be a folder path, but received {train_dir!r}.")
    _numpy_dtype(dtype)
    if fake_data:
        def fake():
            return DataSet([], [], fake_data=True, one_hot=one_hot, dtype=dtype, seed=seed)
        return Datasets(train=fake(), validation=fake(), test=fake())
    arrays = _from_folder(train_dir) or _from_keras(train_dir)
    train_images, train_labels = arrays["train_images"], arrays["train_labels"]
    test_labels = arrays["test_labels"]
    if one_hot:
        train_labels = dense_to_one_hot(train_labels, 10)
        test_labels = dense_to_one_hot(test_labels, 10)
    if (isinstance(validation_size, bool) or not isinstance(validation_size, (int, np.integer))
            or not 0 <= validation_size <= len(train_images)):
        raise ValueError(
            f"Validation size should be between 0 and {len(train_images)}. Received: {validation_size!r}."
        )
    options = dict(dtype=dtype, reshape=reshape, seed=seed)
    train = DataSet(train_images[validation_size:], train_labels[validation_size:], **options)
    validation = DataSet(train_images[:validation_size], train_labels[:validation_size], **options)
    test = DataSet(arrays["test_images"], test_labels, **options)
    return Datasets(train=train, validation=validation, test=test)
