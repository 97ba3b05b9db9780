"""``python -m gametheory`` runs the command line."""

from .cli import run

run()
