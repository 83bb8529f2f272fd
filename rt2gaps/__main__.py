"""``python -m rt2gaps``."""

import sys

from rt2gaps.cli import main

sys.exit(main())
