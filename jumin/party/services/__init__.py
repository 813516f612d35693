"""Writes for the party app: 社情民意 (opinions), the organisation and its members (orgs), reception days and care
visits (reception)."""

from .opinions import *  # noqa: F403
from .orgs import *  # noqa: F403
from .reception import *  # noqa: F403
