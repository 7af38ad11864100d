"""The one exception the migrator raises for input it cannot take."""


class MigrationError(Exception):
    """A file could not be migrated at all; ``str(error)`` says why and what to do.

    Raised before any output is written, so a failing file never leaves a
    partial result behind.
    """
