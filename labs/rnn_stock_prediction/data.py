"""Lab 12-5 data and hyperparameters: daily stock prices, 7-day windows.

`data/data-02-stock_daily.csv` (shipped with this package) holds one trading
day per row: Open, High, Low, Volume, Close, newest first, after two comment
lines. As in the course:

1. reverse the rows into chronological order;
2. split: the first 70% of the days train, the test set starts
   `SEQ_LENGTH` days before the split so that its first window is complete;
3. min-max scale the train and the test set separately, per column, with
   1e-7 added to the denominator (`min_max_scaler`);
4. cut windows: 7 consecutive days (all 5 columns) -> the next day's Close.

Scaling the test set with its own minimum and maximum (not the training
set's) is what the course did; it peeks at the test data, and is kept so the
numbers are the course's.
"""

import importlib.resources

import numpy as np

CSV_NAME = "data-02-stock_daily.csv"

# train Parameters
SEQ_LENGTH = 7
DATA_DIM = 5
HIDDEN_DIM = 10
OUTPUT_DIM = 1
LEARNING_RATE = 0.01
ITERATIONS = 500
TRAIN_FRACTION = 0.7


def min_max_scaler(data):
    """Scales every column of `data` to [0, 1)."""
    numerator = data - np.min(data, 0)
    denominator = np.max(data, 0) - np.min(data, 0)
    # noise term prevents the zero division
    return numerator / (denominator + 1e-7)


def build_dataset(time_series, seq_length):
    """Windows of `seq_length` rows -> the next row's last column (Close)."""
    data_x, data_y = [], []
    for i in range(0, len(time_series) - seq_length):
        _x = time_series[i:i + seq_length, :]
        _y = time_series[i + seq_length, [-1]]  # Next close price
        data_x.append(_x)
        data_y.append(_y)
    return np.array(data_x), np.array(data_y)


def load_prices():
    """The CSV as a float64 array, rows in chronological order."""
    path = importlib.resources.files(__package__) / "data" / CSV_NAME
    with path.open("r") as csv:
        xy = np.loadtxt(csv, delimiter=",")
    return xy[::-1]  # reverse order (chronically ordered)


def _split():
    xy = load_prices()
    train_size = int(len(xy) * TRAIN_FRACTION)
    train_set = xy[0:train_size]
    # Index from [train_size - seq_length] to utilize past sequence
    test_set = xy[train_size - SEQ_LENGTH:]
    train_x, train_y = build_dataset(min_max_scaler(train_set), SEQ_LENGTH)
    test_x, test_y = build_dataset(min_max_scaler(test_set), SEQ_LENGTH)
    return train_x, train_y, test_x, test_y


TRAIN_X, TRAIN_Y, TEST_X, TEST_Y = _split()  # float64, as np.loadtxt reads


def dataset(dtype="float32"):
    """`(train_x, train_y, test_x, test_y)` in `dtype`.

    The course fed float64 arrays to float32 placeholders, which rounds them;
    rounding here gives both forms the very same numbers.
    """
    return tuple(array.astype(dtype)
                 for array in (TRAIN_X, TRAIN_Y, TEST_X, TEST_Y))


def plot(result, path):
    """Saves the course's figure, test truth vs prediction, to `path`.

    `result` is the lab's `LabResult` (its "test_predictions" array). Uses
    `matplotlib.figure.Figure` directly, so pyplot's global state (and a
    notebook's backend) are left alone.
    """
    from matplotlib.figure import Figure

    figure = Figure()
    axes = figure.subplots()
    axes.plot(TEST_Y, label="truth")
    axes.plot(result.arrays["test_predictions"], label="prediction")
    axes.set_xlabel("Time Period")
    axes.set_ylabel("Stock Price")
    axes.legend()
    figure.savefig(path)
