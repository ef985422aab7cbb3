"""`python -m negotiation`: the same as the `negotiation` command."""

import sys

from negotiation.cli import main

sys.exit(main())
