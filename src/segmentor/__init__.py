"""segmentor: predict the customer segment (A, B, C, D) of new prospects."""

__version__ = "0.4.0"
