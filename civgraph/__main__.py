"""``python -m civgraph`` runs the command line."""

import sys

from civgraph.cli import main

sys.exit(main())
