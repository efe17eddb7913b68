"""Settings split by environment: ``base`` (development defaults), ``test`` and ``production``."""
