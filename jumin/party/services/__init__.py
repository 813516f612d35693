"""Writes for the party app: 社情民意 (opinions), the organisation and its members (orgs), reception days and care
visits (reception), 双报到 service tasks (tasks)."""

from .opinions import *  # noqa: F403
from .orgs import *  # noqa: F403
from .reception import *  # noqa: F403
from .tasks import *  # noqa: F403
