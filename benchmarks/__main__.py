"""``python -m benchmarks [--quick] [--case NAME ...] [--list]``: see :mod:`benchmarks.run`."""

import sys

from .run import main

sys.exit(main())
