"""privacy-bot: cited answers about privacy policies and data-subject rights tickets."""

__version__ = "0.1.0"
