"""rt2gaps: treaty ratification gap analyser for migrants'-rights accountability."""

__version__ = "0.1.0"
