"""`python -m roa2web ...` is the same as `roa2web ...`."""

import sys

from roa2web.cli.main import main

sys.exit(main())
