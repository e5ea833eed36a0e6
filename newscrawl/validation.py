"""How newscrawl's three inputs are validated: the shared vocabulary, pydantic models, one-line errors.

What it is for
    The spider arguments (newscrawl/params.py), the portal registry (newscrawl/registry.py) and the
    schedule file (newscrawl/ops/schedule/config.py) are each a pydantic model built on `Input`:
    unknown and missing keys are refused before any value is looked at, every value is checked by
    a validator that raises one of the errors below, and `one_line` turns pydantic's
    ``ValidationError`` into the single line a user reads, phrased by that input's `Wording` and
    prefixed with where the mistake is (the file, the entry). The vocabulary the inputs share
    (time zones, render modes) is defined here once.

What it must never do
    Read a file, know the fields of any one input, or print more than one line per mistake.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, NoReturn

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator
from pydantic_core import PydanticCustomError

if TYPE_CHECKING:
    from collections.abc import Callable, Collection

    Loc = tuple[int | str, ...]

# Indonesia's three time zones, as portals.toml and the `timezone` argument name them.
TIMEZONES: tuple[str, ...] = ("WIB", "WITA", "WIT")
# How a registered portal is fetched (portals.toml ``render``): plain HTTP, or through the browser.
PORTAL_RENDER_MODES: tuple[str, ...] = ("http", "js")
# The spider's ``render`` argument: one of the portal render modes forced on every page of the crawl,
# or "auto" (each portal's own mode, and its family's rules for pages that need the browser).
CRAWL_RENDER_MODES: tuple[str, ...] = ("auto", *PORTAL_RENDER_MODES)

# The kinds of mistake `Input` and `choice` report; anything else is a `fail` message, said as given.
_UNKNOWN, _MISSING, _TABLE, _CHOICE, _SAID = "unknown_key", "missing_key", "not_a_table", "choice", "newscrawl"


@dataclass(frozen=True, slots=True)
class Wording:
    """How one input phrases the mistakes every input can make (each input keeps its own words).

    Templates are ``str.format`` strings. ``unknown`` may use {key}, {allowed} (the keys in the
    order the model lists them), {known} (sorted) and {hint} ("did you mean 'x'?", else "known:
    ..."); ``missing`` may use {key}; ``choice`` {field}, {value} and {allowed}.
    """

    unknown: str
    choice: str
    missing: str = "missing key {key!r}"
    table: str = "expected a table"


def fail(message: str, *, at: Loc | None = None, within: str = "") -> NoReturn:
    """Refuse a value with `message` (one line).

    `at` is the place when a check of several entries finds it; `within` names the part of the
    place the message is about (e.g. a sub-table: ``group 'x' args: expected a table``).
    """
    raise PydanticCustomError(_SAID, "{message}", {"message": message, "at": at, "within": within})


def choice(value: object, allowed: tuple[str, ...]) -> str:
    """`value` if it is one of `allowed`; else refused, naming what is allowed."""
    if not isinstance(value, str) or value not in allowed:
        raise PydanticCustomError(_CHOICE, "{value} is not one of: {allowed}", {"value": value, "allowed": allowed})
    return value


def did_you_mean(value: str, known: Collection[str], n: int = 1) -> list[str]:
    """The names in `known` closest to `value` (a typo's likely meaning), best first."""
    return difflib.get_close_matches(value, known, n=n)


class Input(BaseModel):
    """A validated input: frozen, every key known, checked in the order the fields are declared.

    Before any value is checked, an entry that is not a table, an unknown key (the first in sorted
    order) or a missing required key is refused, so that mistake is the one reported.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The keys in the order messages list them, when that is not the order they are checked in.
    listed_keys: ClassVar[tuple[str, ...]] = ()

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Refuse a model whose listed keys are not exactly its keys (a field added to one list only)."""
        super().__pydantic_init_subclass__(**kwargs)
        if cls.listed_keys and sorted(cls.listed_keys) != sorted(cls._keys()):
            raise TypeError(f"{cls.__name__}.listed_keys must list every key of the model once")

    @classmethod
    def _keys(cls) -> tuple[str, ...]:
        return tuple(cls.model_fields)

    @model_validator(mode="before")
    @classmethod
    def _known_keys(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            raise PydanticCustomError(_TABLE, "expected a table", {})
        keys = cls._keys()
        unknown = sorted(str(key) for key in data if key not in keys)
        if unknown:
            allowed = cls.listed_keys or keys
            raise PydanticCustomError(_UNKNOWN, "unknown key {key}", {"key": unknown[0], "allowed": allowed})
        for key, field in cls.model_fields.items():
            if field.is_required() and key not in data:
                raise PydanticCustomError(_MISSING, "missing key {key}", {"key": key})
        return data


def one_line(error: ValidationError, wording: Wording, where: Callable[[Loc], str]) -> str:
    """The first mistake in `error` as one line: ``<where>: <what is wrong>``.

    `where` names the place of the mistake's location (``("group", 2, "args")``), e.g. the file and
    the entry; "" for no prefix. Pydantic lists mistakes in the order the fields are declared.
    """
    first = error.errors(include_url=False)[0]
    kind, ctx, loc = first["type"], first.get("ctx") or {}, tuple(first["loc"])
    if kind == _SAID:
        loc = ctx["at"] if ctx["at"] is not None else loc
        message = str(ctx["message"])
    elif kind == _UNKNOWN:
        key, allowed = str(ctx["key"]), tuple(ctx["allowed"])
        close = did_you_mean(key, allowed)
        known = ", ".join(sorted(allowed))
        hint = f"did you mean {close[0]!r}?" if close else f"known: {known}"
        message = wording.unknown.format(key=key, allowed=", ".join(allowed), known=known, hint=hint)
    elif kind == _MISSING:
        message = wording.missing.format(key=ctx["key"])
    elif kind == _TABLE:
        message = wording.table
    elif kind == _CHOICE:
        message = wording.choice.format(field=loc[-1], value=ctx["value"], allowed=", ".join(ctx["allowed"]))
    else:  # a check of pydantic's own that no validator of ours pre-empted
        message = f"{loc[-1]}: {first['msg']}" if loc else first["msg"]
    within = str(ctx["within"]) if kind == _SAID else ""
    place = " ".join(part for part in (where(loc), within) if part)
    return f"{place}: {message}" if place else message
