"""reportbot: Chinese government work reports, answerable in a chat."""

__version__ = "0.1.0"
