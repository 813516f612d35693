"""Reads for the party app; every read that depends on who asks goes through one of these."""

from .opinions import *  # noqa: F403
from .orgs import *  # noqa: F403
from .reception import *  # noqa: F403
from .tasks import *  # noqa: F403
