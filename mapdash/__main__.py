"""``python -m mapdash`` runs the command line."""

from .cli import main

main()
