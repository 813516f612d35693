"""What every API input schema shares: text without control characters (the check forms run too, see
jumin.core.text) and ids that fit the database's 64-bit integers."""

from typing import Annotated, Any, ClassVar

from ninja import Field, Schema
from pydantic import BaseModel, field_validator, model_validator
from pydantic_core import PydanticCustomError

from .params import MAX_DB_ID
from .text import CONTROL_MESSAGE, has_control_chars

DbId = Annotated[int, Field(ge=1, le=MAX_DB_ID)]


def _refuse_control_chars(value: Any, *, multiline: bool, field: str = "") -> None:
    if isinstance(value, str):
        if has_control_chars(value, multiline=multiline):
            raise PydanticCustomError("control_chars", "{field}" + CONTROL_MESSAGE, {"field": field})
    elif isinstance(value, dict):
        for item in value.values():
            _refuse_control_chars(item, multiline=multiline, field=field)
    elif isinstance(value, (list, tuple)):
        for item in value:
            _refuse_control_chars(item, multiline=multiline, field=field)


class CleanTextModel(BaseModel):
    """Refuses control characters in every string of the input, nested ones too; the fields named in
    `multiline_fields` keep line breaks and tabs. Extra fields (a kind's own, on CaseIn) are checked as
    multi-line text, the kind refuses what else it must."""

    multiline_fields: ClassVar[frozenset[str]] = frozenset()

    @field_validator("*", mode="after")
    @classmethod
    def _no_control_chars(cls, value, info):
        _refuse_control_chars(value, multiline=info.field_name in cls.multiline_fields)
        return value

    @model_validator(mode="before")
    @classmethod
    def _no_control_chars_in_extras(cls, data):
        if isinstance(data, dict):
            for key, value in data.items():
                if key not in cls.model_fields:
                    _refuse_control_chars(value, multiline=True, field=f"{key} ")
        return data


class InputSchema(Schema, CleanTextModel):
    """Base of the API's input schemas (bodies and filters)."""


def validated_field(type_, value, *, field: str):
    """Check one of a kind's own fields of POST /cases against its type, as ninja checks a schema: a wrong type is
    a 422 naming the field (other_parties.0.name), never a 500 further on."""
    from ninja.errors import ValidationError as NinjaValidationError
    from pydantic import TypeAdapter
    from pydantic import ValidationError as PydanticValidationError

    try:
        return TypeAdapter(type_).validate_python(value)
    except PydanticValidationError as exc:
        errors = [{**e, "loc": ("body", "payload", field, *e["loc"])} for e in exc.errors()]
        raise NinjaValidationError(errors) from exc


class RowOut(BaseModel):
    """Output of a hot API list whose rows the selector already shapes as dicts: plain pydantic, without ninja's
    Schema wrapping each row in an attribute getter (a fifth of the household list's serialising time)."""
