"""counterclaim: an annotation corpus and labelling toolkit for news about armed conflict."""

__version__ = "0.2.0"
