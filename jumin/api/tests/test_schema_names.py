"""Two apps' schemas with one class name would share one OpenAPI component, and one app's responses would be
documented with the other's fields: every API schema name is unique across the apps."""

import collections
import importlib

from django.apps import apps
from ninja import Schema


def test_every_api_schema_has_its_own_name():
    names = collections.defaultdict(set)
    for config in apps.get_app_configs():
        if not config.name.startswith("jumin."):
            continue
        try:
            module = importlib.import_module(f"{config.name}.api")
        except ModuleNotFoundError:
            continue
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, Schema) and value.__module__ == module.__name__:
                names[value.__name__].add(module.__name__)
    clashes = {name: sorted(mods) for name, mods in names.items() if len(mods) > 1}
    assert not clashes, clashes
