"""``python -m rt2gaps``."""

from rt2gaps.cli import leave, main

leave(main())
