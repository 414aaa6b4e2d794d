"""Load and validate data/*.yaml into one tidy frame, a catalog, countries and events.

Every error names the file, line and field and says what is wrong and what is allowed; all
errors of all files are reported together (`DataErrors`). Nothing is half-loaded: a bundle is
built only from files that are all valid.
"""

from __future__ import annotations

import typing
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from indicators.data import yamlio
from indicators.data.catalog import Catalog, CatalogEntry
from indicators.data.countries import Countries, build_countries, country_reference
from indicators.data.schema import (
    CountriesFile,
    DatasetHeader,
    Event,
    EventsFile,
    check_values,
    shown,
)

DATA_DIR = Path(__file__).resolve().parents[1] / "data"
COUNTRIES_FILE = "countries.yaml"
EVENTS_FILE = "events.yaml"
FRAME_COLUMNS = ["indicator", "iso3", "year", "value", "std_error"]


@dataclass(frozen=True)
class DataError:
    file: str
    line: int | None
    field: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.field}: {self.message}"


class DataErrors(Exception):
    def __init__(self, errors: list[DataError]):
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))


@dataclass(frozen=True)
class Bundle:
    frame: pd.DataFrame
    catalog: Catalog
    countries: Countries
    events: tuple[Event, ...]
    files: tuple[Path, ...]


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def read_document(path: Path) -> tuple[object, str, list[DataError]]:
    """Read one YAML file safely. Returns (value, text, errors); value is None on fatal errors."""
    name = _display(path)
    try:
        size = path.stat().st_size
    except OSError as exc:
        return None, "", [DataError(name, None, "(file)", f"cannot read file: {exc.strerror}")]
    if size > yamlio.MAX_BYTES:
        limit = yamlio.MAX_BYTES // (1024 * 1024)
        msg = f"file is {size / 1e6:.1f} MB; the limit is {limit} MiB"
        return None, "", [DataError(name, None, "(file)", msg)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", [DataError(name, None, "(file)", f"cannot read file: {exc.strerror}")]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.end].hex(" ")
        msg = f"not UTF-8 text: {exc.reason} (bytes {bad}); save the file as UTF-8"
        return None, "", [DataError(name, line, "(file)", msg)]
    try:
        value, problems = yamlio.parse(text)
    except yamlio.YamlSyntaxError as exc:
        return None, text, [DataError(name, exc.line, "(syntax)", exc.message)]
    errors = [DataError(name, p.line, p.field, p.message) for p in problems]
    if not isinstance(value, dict):
        errors.append(DataError(name, 1, "(top level)", "the file must be a YAML mapping"))
        return None, text, errors
    return value, text, errors


def _unwrap(annotation):
    """Strip Optional[...] and Annotated[...] down to the underlying type."""
    while typing.get_origin(annotation) in (typing.Union, typing.Annotated) or (
        type(annotation).__name__ == "UnionType"
    ):
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    return annotation


def _allowed_fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """Field names allowed at `loc` inside `model` (for 'unknown field' messages)."""
    annotation: object = model
    for part in loc:
        annotation = _unwrap(annotation)
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            field = annotation.model_fields.get(str(part))
            if field is None:
                return []
            annotation = field.annotation
        elif typing.get_origin(annotation) is dict:
            annotation = typing.get_args(annotation)[1]
        elif typing.get_origin(annotation) in (list, tuple):
            annotation = typing.get_args(annotation)[0]
        else:
            return []
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return list(annotation.model_fields)
    return []


def _pydantic_errors(exc: ValidationError, model: type[BaseModel]):
    for err in exc.errors():
        loc = tuple(err["loc"])
        kind = err["type"]
        if kind == "missing":
            yield loc, f"required field {loc[-1]!r} is missing"
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            yield loc, f"unknown field {loc[-1]!r}{hint}"
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            yield loc, f"{message} (got {shown(err.get('input'))})"


def _located(name: str, text: str, items) -> list[DataError]:
    items = list(items)
    lines = yamlio.locate(text, {loc for loc, _ in items})
    return [DataError(name, lines.get(loc), yamlio.path_text(loc), msg) for loc, msg in items]


def _validate(model: type[BaseModel], value: dict, name: str, text: str):
    try:
        return model.model_validate(value), []
    except ValidationError as exc:
        return None, _located(name, text, _pydantic_errors(exc, model))


def _cross_checks(header: DatasetHeader, known_codes):
    for ind_id, ind in header.indicators.items():
        base = ("indicators", ind_id)
        refs = [(("release",), ind.release)]
        refs += [(("release_by_country", k), v) for k, v in ind.release_by_country.items()]
        refs += [(("release_by_year", k), v) for k, v in ind.release_by_year.items()]
        for sub, rel in refs:
            if rel not in header.releases:
                allowed = ", ".join(header.releases)
                yield (*base, *sub), f"unknown release {rel!r}; this file defines: {allowed}"
        for code in ind.release_by_country:
            if code not in known_codes:
                yield (*base, "release_by_country", code), f"unknown country code {code!r}"
        if ind.kind != "rank" and ind.out_of:
            yield (*base, "out_of"), "out_of is only allowed on indicators of kind: rank"
    if header.time_unit == "edition" and not header.edition_prefix:
        yield ("edition_prefix",), "required when time_unit is edition"


def _frame_rows(data: dict, header: DatasetHeader, columns: dict[str, list]):
    ind_col, iso_col, year_col = columns["indicator"], columns["iso3"], columns["year"]
    val_col, se_col = columns["value"], columns["std_error"]
    nan = float("nan")
    for iso3, block in data.items():
        for ind_id, series in block.items():
            with_se = header.indicators[ind_id].has_std_error
            n = len(series)
            ind_col.extend([ind_id] * n)
            iso_col.extend([iso3] * n)
            year_col.extend(series)
            if with_se:
                val_col.extend(v["value"] for v in series.values())
                se_col.extend(v["se"] for v in series.values())
            else:
                val_col.extend(series.values())
                se_col.extend([nan] * n)


def _make_frame(columns: dict[str, list]) -> pd.DataFrame:
    frame = pd.DataFrame(
        {
            "indicator": pd.Categorical(columns["indicator"]),
            "iso3": pd.Categorical(columns["iso3"]),
            "year": pd.array(columns["year"], dtype="int16"),
            "value": pd.array(columns["value"], dtype="float64"),
            "std_error": pd.array(columns["std_error"], dtype="float64"),
        }
    )
    return frame.sort_values(["indicator", "iso3", "year"], ignore_index=True)


def _empty_columns() -> dict[str, list]:
    return {c: [] for c in FRAME_COLUMNS}


def _read_spec(path: Path, model: type[BaseModel]):
    """(validated model or None, file text, errors) for a file described wholly by `model`."""
    value, text, errors = read_document(path)
    if value is None:
        return None, text, errors
    spec, more = _validate(model, value, _display(path), text)
    return spec, text, errors + more


def load_countries(path: Path) -> tuple[Countries | None, list[DataError]]:
    spec, text, errors = _read_spec(path, CountriesFile)
    if spec is None:
        return None, errors
    known = country_reference().codes | set(spec.aggregates)
    bad = []
    for gid, group in spec.groups.items():
        for i, code in enumerate(group.members):
            if code not in known:
                bad.append((("groups", gid, "members", i), f"unknown country code {code!r}"))
    if spec.default_group not in spec.groups:
        bad.append((("default_group",), f"unknown group; defined: {', '.join(spec.groups)}"))
    if spec.default_focus not in known:
        bad.append((("default_focus",), f"unknown country code {spec.default_focus!r}"))
    errors += _located(_display(path), text, bad)
    return (None if errors else build_countries(spec)), errors


def load_events(path: Path, known_codes) -> tuple[tuple[Event, ...] | None, list[DataError]]:
    spec, text, errors = _read_spec(path, EventsFile)
    if spec is None:
        return None, errors
    bad = [
        (("events", i, "country"), f"unknown country code {e.country!r}")
        for i, e in enumerate(spec.events)
        if e.country != "ALL" and e.country not in known_codes
    ]
    errors += _located(_display(path), text, bad)
    return (None if errors else tuple(spec.events)), errors


def load_dataset(path: Path, known_codes, columns: dict[str, list] | None = None):
    """Validate one dataset file. Returns (header, errors); appends rows to `columns`."""
    value, text, errors = read_document(path)
    if value is None:
        return None, errors
    name = _display(path)
    data = value.pop("data", None)
    header, more = _validate(DatasetHeader, value, name, text)
    errors += more
    if header is None:
        return None, errors
    if data is None:
        errors += _located(name, text, [((), "required field 'data' is missing")])
        return None, errors
    problems = list(_cross_checks(header, known_codes))
    problems += check_values(data, header, known_codes)
    errors += _located(name, text, problems)
    if errors:
        return None, errors
    if columns is not None:
        _frame_rows(data, header, columns)
    return header, errors


def _check_event_datasets(path: Path, events, known: set[str]) -> list[DataError]:
    bad = [
        (
            ("events", i, "datasets", j),
            f"unknown dataset {d!r}; defined: {', '.join(sorted(known))}",
        )
        for i, event in enumerate(events)
        for j, d in enumerate(event.datasets)
        if d not in known
    ]
    return _located(_display(path), path.read_text(encoding="utf-8"), bad) if bad else []


def dataset_files(data_dir: Path) -> list[Path]:
    skip = {COUNTRIES_FILE, EVENTS_FILE}
    return sorted(p for p in data_dir.glob("*.yaml") if p.name not in skip)


def load_bundle(data_dir: Path = DATA_DIR) -> Bundle:
    """Load every file in data_dir; raises DataErrors listing all problems of all files."""
    data_dir = Path(data_dir)
    countries, errors = load_countries(data_dir / COUNTRIES_FILE)
    known = countries.known_codes if countries else country_reference().codes
    events, more = load_events(data_dir / EVENTS_FILE, known)
    errors += more
    columns = _empty_columns()
    catalog = Catalog()
    files = [data_dir / COUNTRIES_FILE, data_dir / EVENTS_FILE]
    for path in dataset_files(data_dir):
        files.append(path)
        header, more = load_dataset(path, known, columns)
        errors += more
        if header is None:
            continue
        twice = [
            (("indicators", ind_id), f"already defined in {catalog[ind_id].file}")
            for ind_id in header.indicators
            if ind_id in catalog
        ]
        if twice:
            errors += _located(_display(path), path.read_text(encoding="utf-8"), twice)
        for ind_id, meta in header.indicators.items():
            if ind_id in catalog:
                continue
            catalog[ind_id] = CatalogEntry(
                id=ind_id,
                dataset=header.dataset,
                dataset_title=header.title,
                file=_display(path),
                meta=meta,
                origin=header.origin,
                releases=header.releases,
                time_unit=header.time_unit,
                edition_prefix=header.edition_prefix,
            )
    if events:
        errors += _check_event_datasets(
            data_dir / EVENTS_FILE, events, {e.dataset for e in catalog.values()}
        )
    if errors:
        raise DataErrors(errors)
    return Bundle(
        frame=_make_frame(columns),
        catalog=catalog,
        countries=countries,
        events=events,
        files=tuple(files),
    )


def validate_files(paths: list[Path], data_dir: Path = DATA_DIR) -> list[DataError]:
    """Validate the given files (any mix of datasets, countries.yaml, events.yaml)."""
    countries, errors = load_countries(Path(data_dir) / COUNTRIES_FILE)
    known = countries.known_codes if countries else country_reference().codes
    errors = []
    for path in paths:
        path = Path(path)
        if path.name == COUNTRIES_FILE:
            errors += load_countries(path)[1]
        elif path.name == EVENTS_FILE:
            errors += load_events(path, known)[1]
        else:
            errors += load_dataset(path, known)[1]
    return errors
