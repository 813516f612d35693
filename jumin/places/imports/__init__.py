"""房屋导入: the places of one community from Excel — service stations, grids, compounds, buildings, units and
dwellings, with floor area, owners and kind — in the manner of the roster import (people.roster): a template,
a dry run with a per-row report, a real run in one transaction, and a re-import that changes nothing.

Unlike the roster, a file with any bad row writes nothing: places are the skeleton everything else hangs on, and
half a building list is worse than none. A building the file puts in another grid than the one on record is a
grid move: the dry run lists it with the households it takes along, and the real run makes it only when asked to
(`confirm_moves`), moving the households' and residents' grid and leaving an audit event per building."""

from .columns import MAX_BYTES, MAX_ROWS, REQUIRED_COLUMNS, SHEET_NAME, TEMPLATE_COLUMNS, PlacesReport
from .importer import places_import
from .template import places_template

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "REQUIRED_COLUMNS",
    "SHEET_NAME",
    "TEMPLATE_COLUMNS",
    "PlacesReport",
    "places_import",
    "places_template",
]
