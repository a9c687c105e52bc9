"""`python -m sipdocs`."""

from sipdocs.cli import main

main()
