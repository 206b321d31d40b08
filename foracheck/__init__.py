"""foracheck: a calm pre-operative checklist for a foraminotomy."""

__version__ = "0.1.0"
