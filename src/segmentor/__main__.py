"""``python -m segmentor``: the same as the ``segmentor`` command."""

from segmentor.cli import main

main()
