"""The package version (one place: the CLI, the manifest and ``searchlib.__version__``)."""

__version__ = "0.1.0"
