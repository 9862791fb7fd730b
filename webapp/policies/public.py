"""What other domains may use of the policy settings: an estate's value of a setting (catalogue.py)."""

from .rules import policies, policy

__all__ = ["policies", "policy"]
