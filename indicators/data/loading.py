"""Load and validate data/*.yaml into one tidy frame, a catalog, countries and events.

Every error names the file, line and field and says what is wrong and what is allowed; all
errors of all files are reported together (`DataErrors`). Nothing is half-loaded: a bundle is
built only from files that are all valid.

The files the dashboard needs are declared in `MANIFEST`: one that is missing is an error, never
a valid edit. Every file ends with its coverage declaration (see indicators/data/coverage.py):
a file that loses values, or is cut short, is refused. A data file must be a regular file inside
its folder (a symbolic link out of it is refused). Messages never repeat text from a file.
"""

from __future__ import annotations

import os
import stat
import typing
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from pydantic import BaseModel, ValidationError

from indicators.data import coverage, yamlio
from indicators.data.catalog import Catalog, CatalogEntry
from indicators.data.countries import Countries, build_countries, country_reference
from indicators.data.schema import (
    CountriesCoverage,
    CountriesFile,
    DatasetCoverage,
    DatasetHeader,
    Event,
    EventsCoverage,
    EventsFile,
    check_values,
    named,
    names,
    shown,
)

DATA_DIR = Path(__file__).resolve().parents[2] / "data"
COUNTRIES_FILE = "countries.yaml"
EVENTS_FILE = "events.yaml"
FRAME_COLUMNS = ["indicator", "iso3", "year", "value", "std_error"]


@dataclass(frozen=True)
class Required:
    """A data file the dashboard cannot run without: its dataset id and the indicators its
    charts read (the file may define more)."""

    file: str
    dataset: str
    indicators: tuple[str, ...] = ()


_WGI = tuple(
    f"wgi_{dim}_{kind}"
    for dim in ("va", "pv", "ge", "rq", "rl", "cc")
    for kind in ("percentile", "estimate")
)
MANIFEST: tuple[Required, ...] = (
    Required(COUNTRIES_FILE, "countries"),
    Required(EVENTS_FILE, "events"),
    Required("cpi.yaml", "cpi", ("cpi_score", "cpi_rank", "cpi_score_legacy", "cpi_rank_legacy")),
    Required("doing_business.yaml", "doing_business", ("db_rank", "db_score")),
    Required(
        "economy.yaml",
        "economy",
        (
            "fdi_net_inflows_usd",
            "fdi_net_inflows_pct_gdp",
            "gdp_growth",
            "manufacturing_va_pct_gdp",
            "manufactures_exports_pct",
        ),
    ),
    Required("wgi.yaml", "wgi", _WGI),
)


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


def show_path(path: Path) -> str:
    """A path as errors name it: relative to the working folder when inside it."""
    return _display(Path(path))


def _display(path: Path) -> str:
    # The folders are resolved, not the file: a symbolic link is named, never its target.
    try:
        folder = Path(os.path.realpath(path.parent))
        return str((folder / path.name).relative_to(Path.cwd()))
    except (OSError, ValueError):
        return str(path)


_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)  # a FIFO named *.yaml must not block the loader
    | getattr(os, "O_CLOEXEC", 0)
)


def read_bytes(path: Path, root: Path | None = None) -> tuple[bytes | None, list[DataError]]:
    """The bytes of one data file, or None and an error. The file must resolve to a regular file
    inside `root` (default: the folder that holds it): a symbolic link out of it is refused, and
    the target is never named. Files over `yamlio.MAX_BYTES` are refused before being read."""
    path = Path(path)
    name = _display(path)

    def fail(message: str):
        return None, [DataError(name, None, "(file)", message)]

    root = Path(root) if root is not None else path.parent
    try:
        real = Path(os.path.realpath(path))
        inside = real.is_relative_to(Path(os.path.realpath(root)))
    except (OSError, ValueError):
        return fail("cannot read file: its path cannot be resolved")
    if not inside:
        return fail(
            "is a symbolic link to a file outside the data folder; data files must be regular "
            "files inside it"
        )
    try:
        fd = os.open(real, _OPEN_FLAGS)
    except FileNotFoundError:
        return fail("cannot read file: the file is missing")
    except OSError as exc:
        return fail(f"cannot read file: {exc.strerror}")
    info = os.fstat(fd)
    limit = yamlio.MAX_BYTES
    problem = None
    if stat.S_ISDIR(info.st_mode):
        problem = "cannot read file: it is a folder"
    elif not stat.S_ISREG(info.st_mode):
        problem = "cannot read file: not a regular file"
    elif info.st_size > limit:
        problem = _too_big(info.st_size)
    if problem is not None:
        os.close(fd)
        return fail(problem)
    with os.fdopen(fd, "rb") as handle:
        try:  # read(n) allocates n bytes up front: ask for the size stat gave, plus one
            raw = handle.read(info.st_size + 1)
            if len(raw) > info.st_size:  # the file grew since: read on, up to the limit
                raw += handle.read(limit + 1 - len(raw))
        except OSError as exc:
            return fail(f"cannot read file: {exc.strerror}")
    if len(raw) > limit:  # grew while being read
        return fail(_too_big(len(raw)))
    return raw, []


def _too_big(size: int) -> str:
    return f"file is {size / 1e6:.1f} MB; the limit is {yamlio.MAX_BYTES // (1024 * 1024)} MiB"


def parse_document(name: str, raw: bytes) -> tuple[object, str, list[DataError]]:
    """Decode and parse one file's bytes. Returns (value, text, errors); value is None on fatal
    errors, and a dict otherwise."""
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        bad = raw[exc.start : exc.end].hex(" ")  # at most 4 bytes, in hex: never markup
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


def read_document(path: Path, root: Path | None = None) -> tuple[object, str, list[DataError]]:
    """Read one YAML file safely. Returns (value, text, errors); value is None on fatal errors."""
    raw, errors = read_bytes(path, root)
    if raw is None:
        return None, "", errors
    return parse_document(_display(Path(path)), raw)


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
        if kind == "missing":  # a field of the schema: always a plain name
            yield loc, f"required field {named(loc[-1])} is missing"
        elif kind == "extra_forbidden":
            allowed = _allowed_fields(model, loc[:-1])
            hint = f"; allowed: {', '.join(allowed)}" if allowed else ""
            label = named(loc[-1])
            label = "" if label == yamlio.UNNAMED_KEY else f" {label}"
            yield loc, f"unknown field{label}{hint}"
        else:
            message = err["msg"]
            if message.startswith("Value error, "):
                message = message.removeprefix("Value error, ")
            got = err.get("input")
            yield loc, message if isinstance(got, dict) else f"{message} (got {shown(got)})"


def _located(name: str, text: str, items) -> list[DataError]:
    """DataErrors of (path, message) or (path, message, field) items: each at the line of its
    path (or of its nearest parent that exists); the field is the path unless given."""
    items = [item if len(item) == 3 else (*item, None) for item in items]
    if not items:
        return []
    lines = yamlio.locate(text, {loc for loc, _, _ in items})
    return [
        DataError(name, lines.get(loc), field or yamlio.path_text(loc), msg)
        for loc, msg, field in items
    ]


def _last_line(text: str) -> int:
    return max(1, text.count("\n") + (0 if text.endswith("\n") else 1))


_NO_COVERAGE = (
    "missing: every data file ends with its coverage declaration, so this one may have been cut "
    "short here; if it is complete, write the declaration with "
    "`python -m indicators validate --write-coverage FILE`"
)


def _take_coverage(top: dict, name: str, text: str, model: type[BaseModel]):
    """Pop `coverage` out of a file's top-level mapping and validate it with `model`.
    Returns (validated model or None, errors). It must be there, and be the last entry."""
    keys = list(top)
    if coverage.KEY not in top:
        return None, [DataError(name, _last_line(text), coverage.KEY, _NO_COVERAGE)]
    raw = top.pop(coverage.KEY)
    errors = []
    if keys[-1] != coverage.KEY:
        after = keys[keys.index(coverage.KEY) + 1]
        errors += _located(
            name,
            text,
            [
                (
                    (after,),
                    "comes after coverage, which must be the last entry of the file (so that a "
                    "file cut short is noticed); move coverage to the end",
                )
            ],
        )
    spec, more = _validate(model, {coverage.KEY: raw}, name, text)
    return spec, errors + more


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
                allowed = names(header.releases)
                yield (*base, *sub), f"unknown release {named(rel)}; this file defines: {allowed}"
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


def _countries(name: str, text: str, value: dict, counted: bool = True):
    """(Countries or None, errors, known codes or None) of a parsed countries.yaml; the known
    codes (ISO3 and aggregates) are given whenever the groups and aggregates could be read, so
    that one error here does not make every aggregate in the datasets an error too."""
    top = dict(value)
    if counted:
        declared, errors = _take_coverage(top, name, text, CountriesCoverage)
    else:
        declared, errors = None, []
        top.pop(coverage.KEY, None)
    spec, more = _validate(CountriesFile, top, name, text)
    errors += more
    if spec is None:
        return None, errors, None
    known = country_reference().codes | set(spec.aggregates)
    bad = []
    for gid, group in spec.groups.items():
        for i, code in enumerate(group.members):
            if code not in known:
                bad.append((("groups", gid, "members", i), f"unknown country code {code!r}"))
    if spec.default_group not in spec.groups:
        bad.append((("default_group",), f"unknown group; defined: {names(spec.groups)}"))
    if spec.default_focus not in known:
        bad.append((("default_focus",), f"unknown country code {spec.default_focus!r}"))
    if declared is not None:
        for what, found in (("groups", len(spec.groups)), ("aggregates", len(spec.aggregates))):
            want = getattr(declared.coverage, what)
            if found != want:
                bad.append(((coverage.KEY, what), _count_message(what, want, found)))
    errors += _located(name, text, bad)
    return (None if errors else build_countries(spec)), errors, known


def _count_message(what: str, declared: int, found: int) -> str:
    return (
        f"{declared} {what} declared, {found} found: a file that loses entries is refused; "
        f"restore them, or declare {found} if the change is intended"
    )


def _events(name: str, text: str, value: dict, known_codes, counted: bool = True):
    """(events or None, errors) of a parsed events.yaml."""
    top = dict(value)
    if counted:
        declared, errors = _take_coverage(top, name, text, EventsCoverage)
    else:
        declared, errors = None, []
        top.pop(coverage.KEY, None)
    spec, more = _validate(EventsFile, top, name, text)
    errors += more
    if spec is None:
        return None, errors
    bad = [
        (("events", i, "country"), f"unknown country code {e.country!r}")
        for i, e in enumerate(spec.events)
        if e.country != "ALL" and e.country not in known_codes
    ]
    if declared is not None and declared.coverage.events != len(spec.events):
        message = _count_message("events", declared.coverage.events, len(spec.events))
        bad.append(((coverage.KEY, "events"), message))
    errors += _located(name, text, bad)
    return (None if errors else tuple(spec.events)), errors


def _dataset(
    name: str,
    text: str,
    value: dict,
    known_codes,
    required: Required | None = None,
    counted: bool = True,
):
    """(header or None, data block, errors) of a parsed dataset file."""
    top = dict(value)
    if counted:
        declared, errors = _take_coverage(top, name, text, DatasetCoverage)
    else:
        declared, errors = None, []
        top.pop(coverage.KEY, None)
    data = top.pop("data", None)
    header, more = _validate(DatasetHeader, top, name, text)
    errors += more
    if header is None:
        return None, data, errors
    if data is None:
        errors += _located(name, text, [((), "required field 'data' is missing")])
        return None, data, errors
    problems = list(_cross_checks(header, known_codes))
    if required is not None:
        problems += _required_checks(header, required)
    problems += check_values(data, header, known_codes)
    if declared is not None:
        problems += coverage.check_dataset(data, declared.coverage, header.indicators)
    errors += _located(name, text, problems)
    return (None if errors else header), data, errors


def _required_checks(header: DatasetHeader, required: Required):
    if header.dataset != required.dataset:
        yield ("dataset",), f"must be {required.dataset}: the dashboard reads this file as it"
    lost = [i for i in required.indicators if i not in header.indicators]
    if lost:
        yield (
            ("indicators",),
            f"missing {names(lost)}: the dashboard's charts need them; restore them",
        )


def _parsed(path: Path, root: Path | None = None):
    """(name, text, value or None, errors) of one file."""
    name = _display(path)
    raw, errors = read_bytes(path, root)
    if raw is None:
        return name, "", None, errors
    value, text, errors = parse_document(name, raw)
    return name, text, value, errors


def load_countries(path: Path) -> tuple[Countries | None, list[DataError]]:
    name, text, value, errors = _parsed(path)
    if value is None:
        return None, errors
    countries, more, _ = _countries(name, text, value)
    return countries, errors + more


def load_events(path: Path, known_codes) -> tuple[tuple[Event, ...] | None, list[DataError]]:
    name, text, value, errors = _parsed(path)
    if value is None:
        return None, errors
    events, more = _events(name, text, value, known_codes)
    return events, errors + more


def load_dataset(
    path: Path,
    known_codes,
    columns: dict[str, list] | None = None,
    required: Required | None = None,
):
    """Validate one dataset file. Returns (header, errors); appends rows to `columns`."""
    header, _, errors = _load_dataset(path, known_codes, columns, required)
    return header, errors


def _load_dataset(path, known_codes, columns=None, required=None, root=None):
    name, text, value, errors = _parsed(path, root)
    if value is None:
        return None, text, errors
    header, data, more = _dataset(name, text, value, known_codes, required)
    errors += more
    if errors:
        return None, text, errors
    if columns is not None:
        _frame_rows(data, header, columns)
    return header, text, errors


def check_content(
    path: Path, raw: bytes, known=None, required: Required | None = None
) -> tuple[object, list[DataError]]:
    """Validate `raw` as the content of the data file at `path` (which is not read), parsing it
    once: returns (parsed value or None, errors). For tests that try many versions of a file."""
    path = Path(path)
    name = _display(path)
    value, text, errors = parse_document(name, raw)
    if value is None:
        return None, errors
    if known is None:
        known = known_codes(path.parent)
    if path.name == COUNTRIES_FILE:
        errors += _countries(name, text, value)[1]
    elif path.name == EVENTS_FILE:
        errors += _events(name, text, value, known)[1]
    else:
        errors += _dataset(name, text, value, known, required)[2]
    return value, errors


def _check_event_datasets(path: Path, events, known: set[str]) -> list[DataError]:
    bad = [
        (
            ("events", i, "datasets", j),
            f"unknown dataset {named(d)}; defined: {names(sorted(known))}",
        )
        for i, event in enumerate(events)
        for j, d in enumerate(event.datasets)
        if d not in known
    ]
    if not bad:
        return []
    _, text, _, _ = _parsed(path)
    return _located(_display(path), text, bad)


def dataset_files(data_dir: Path, manifest: tuple[Required, ...] = MANIFEST) -> list[Path]:
    """The dataset files of a bundle: those of the manifest (present or not) and any other
    *.yaml file in `data_dir` but countries.yaml and events.yaml."""
    skip = {COUNTRIES_FILE, EVENTS_FILE}
    names_ = {p.name for p in Path(data_dir).glob("*.yaml")}
    names_ |= {r.file for r in manifest}
    return [Path(data_dir) / n for n in sorted(names_ - skip)]


def _missing(data_dir: Path, manifest: tuple[Required, ...]) -> dict[str, DataError]:
    out = {}
    for required in manifest:
        path = data_dir / required.file
        if not os.path.lexists(path):
            out[required.file] = DataError(
                _display(path),
                None,
                "(file)",
                f"missing: the dashboard needs this file (dataset {required.dataset}); restore "
                "it. The last valid data stay in use until it is back",
            )
    return out


def load_bundle(data_dir: Path = DATA_DIR, manifest: tuple[Required, ...] = MANIFEST) -> Bundle:
    """Load every file in data_dir; raises DataErrors listing all problems of all files.

    Every file of `manifest` must be there; any other *.yaml file is loaded as a dataset too."""
    data_dir = Path(data_dir)
    root = Path(os.path.realpath(data_dir))
    required = {r.file: r for r in manifest}
    missing = _missing(data_dir, manifest)
    errors = list(missing.values())
    countries, known = None, None
    if COUNTRIES_FILE not in missing:
        name, text, value, more = _parsed(data_dir / COUNTRIES_FILE, root)
        errors += more
        if value is not None:
            countries, more, known = _countries(name, text, value)
            errors += more
    known = countries.known_codes if countries else known or country_reference().codes
    events = None
    if EVENTS_FILE not in missing:
        name, text, value, more = _parsed(data_dir / EVENTS_FILE, root)
        errors += more
        if value is not None:
            events, more = _events(name, text, value, known)
            errors += more
    columns = _empty_columns()
    catalog = Catalog()
    files = [data_dir / COUNTRIES_FILE, data_dir / EVENTS_FILE]
    for path in dataset_files(data_dir, manifest):
        if path.name in missing:
            continue
        files.append(path)
        header, text, more = _load_dataset(path, known, columns, required.get(path.name), root)
        errors += more
        if header is None:
            continue
        twice = [
            (("indicators", ind_id), f"already defined in {catalog[ind_id].file}")
            for ind_id in header.indicators
            if ind_id in catalog
        ]
        if twice:
            errors += _located(_display(path), text, twice)
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


def _required_for(path: Path, data_dir: Path, manifest=MANIFEST) -> Required | None:
    """The manifest entry of `path` when it is a file of `data_dir`'s bundle."""
    try:
        same = Path(os.path.realpath(path.parent)) == Path(os.path.realpath(data_dir))
    except (OSError, ValueError):
        return None
    return {r.file: r for r in manifest}.get(path.name) if same else None


def known_codes(data_dir: Path = DATA_DIR) -> frozenset[str]:
    """The country codes data files may use: ISO3 codes and the aggregates of countries.yaml
    (when it can be read; ISO3 codes only otherwise)."""
    name, text, value, _ = _parsed(Path(data_dir) / COUNTRIES_FILE)
    known = _countries(name, text, value)[2] if value is not None else None
    return frozenset(known or country_reference().codes)


def validate_files(paths: list[Path], data_dir: Path = DATA_DIR) -> list[DataError]:
    """Validate the given files (any mix of datasets, countries.yaml, events.yaml)."""
    known = known_codes(data_dir)
    errors = []
    for path in paths:
        path = Path(path)
        if path.name == COUNTRIES_FILE:
            errors += load_countries(path)[1]
        elif path.name == EVENTS_FILE:
            errors += load_events(path, known)[1]
        else:
            errors += load_dataset(path, known, required=_required_for(path, data_dir))[1]
    return errors


def write_coverage(path: Path, known=None) -> str:
    """Write the coverage declaration of the data file at `path` from its content, replacing the
    one there (or adding it as the file's last entry); every other line is kept. The rest of the
    file must validate: raises DataErrors, writing nothing, when it does not. The file is
    replaced atomically. Returns a one-line summary that says what the new declaration expects
    and how that differs from the old one (a loss of values shows there)."""
    path = Path(path)
    name, text, value, errors = _parsed(path)
    if value is None:
        raise DataErrors(errors)
    if known is None:
        known = known_codes(path.parent)
    old = value.get(coverage.KEY)
    if path.name in (COUNTRIES_FILE, EVENTS_FILE):
        if path.name == COUNTRIES_FILE:
            countries, more, _ = _countries(name, text, value, counted=False)
            if countries is not None:  # as written in the file (countries adds group oecd)
                counts = {
                    "groups": len(value["groups"]),
                    "aggregates": len(value.get("aggregates") or {}),
                }
        else:
            events, more = _events(name, text, value, known, counted=False)
            if events is not None:
                counts = {"events": len(events)}
        if errors or more:
            raise DataErrors(errors + more)
        block = coverage.render_counts(counts)
        before = ", ".join(f"{k} {old[k]}" for k in counts if isinstance(old, dict) and k in old)
        now = ", ".join(f"{k} {v}" for k, v in counts.items())
        summary = f"{name}: coverage {now}" + (f" (was: {before})" if before else "")
    else:
        header, data, more = _dataset(name, text, value, known, counted=False)
        if errors or more:
            raise DataErrors(errors + more)
        specs = coverage.derive(data, header.indicators)
        block = coverage.render(specs)
        cells = coverage.count_derived(specs)
        summary = f"{name}: coverage of {len(specs)} indicators, {cells} values"
        try:
            previous = DatasetCoverage.model_validate({coverage.KEY: old}).coverage
            was = coverage.count_declared(previous)
        except (ValidationError, KeyError):
            was = None
        if was is not None and was != cells:
            change = f"{was - cells} fewer" if was > cells else f"{cells - was} more"
            summary += f" ({change} than the old declaration)"
    new_text = coverage.replace_block(text, block)
    _, check = check_content(path, new_text.encode("utf-8"), known)
    if check:  # never write a declaration that does not validate
        raise DataErrors(check)
    if new_text != text:
        real = Path(os.path.realpath(path))
        temporary = real.with_name(f".{real.name}.coverage-tmp")
        temporary.write_text(new_text, encoding="utf-8")
        os.replace(temporary, real)
    return summary
