"""`python -m indicators export`: one chart or the briefing pack, options as in the URL."""

from __future__ import annotations

import io
import zipfile

import pytest
from PIL import Image

import indicators.exports as exports_pkg
from indicators.cli import build_parser, export_params, main
from indicators.exports import files, start_server
from indicators.view.state import to_query


@pytest.fixture(scope="module")
def server():
    start_server()


def only_file(folder):
    written = list(folder.iterdir())
    assert len(written) == 1
    return written[0]


def test_csv_export_writes_the_plotted_rows_and_prints_the_path(tmp_path, capsys, bundle):
    args = ["export", "--chart", "cpi", "--format", "csv", "--from", "2012", "--out", str(tmp_path)]
    assert main(args) == 0
    path = only_file(tmp_path)
    assert path.name == "kaz-vs-central-asia-cpi-score-2012-2025.csv"
    assert capsys.readouterr().out.strip() == str(path)
    state = files.state_from_params(bundle, "corruption", [("from", "2012")]).state
    assert path.read_text(encoding="utf-8") == files.chart_csv(bundle, state, "cpi")


def test_cli_options_and_url_query_give_the_same_state(bundle):
    argv = [
        "export", "--chart", "fdi", "--out", "x", "--focus", "uzb", "--peers", "KGZ,TJK",
        "--peers", "KAZ", "--peer-mode", "aggregate", "--from", "2000", "--to", "2020",
        "--no-events", "--fdi-unit", "usd", "--highlight", "KGZ",
    ]  # fmt: skip
    args = build_parser().parse_args(argv)
    parsed = files.state_from_params(bundle, "economy", export_params(args))
    assert parsed.notices == ()
    state = parsed.state
    assert (state.focus, state.group, state.peers) == ("UZB", "custom", ("KGZ", "TJK", "KAZ"))
    assert (state.peer_mode, state.year_from, state.year_to) == ("aggregate", 2000, 2020)
    assert (state.events, state.fdi_unit, state.highlight) == (False, "usd", "KGZ")
    query = to_query(state).lstrip("?")
    url_state = files.state_from_params(
        bundle, "economy", [tuple(p.split("=")) for p in query.split("&")]
    ).state
    assert url_state == state


def test_png_export_with_preset_and_permalink(tmp_path, server):
    argv = [
        "export", "--chart", "wgi_cc", "--format", "png", "--preset", "square",
        "--focus", "UZB", "--group", "south_caucasus", "--wgi-mode", "gap",
        "--base-url", "https://indicators.example.org", "--out", str(tmp_path),
    ]  # fmt: skip
    assert main(argv) == 0
    path = only_file(tmp_path)
    assert path.name == "uzb-vs-south-caucasus-wgi-cc-gap-to-oecd-1996-2023-square.png"
    image = Image.open(path)
    assert image.size == (1080, 1080)
    assert image.text["URL"] == (
        "https://indicators.example.org/governance?focus=UZB&group=south_caucasus&wgi=gap"
    )


def test_pack_export(tmp_path, server, capsys):
    argv = ["export", "--pack", "--view", "corruption", "--out", str(tmp_path / "new")]
    assert main(argv) == 0
    path = only_file(tmp_path / "new")
    assert path.name == "kaz-vs-central-asia-corruption-1996-2025-briefing.zip"
    names = zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()
    assert any(n.endswith(".pptx") for n in names)
    assert capsys.readouterr().out.strip() == str(path)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--chart", "nope", "--format", "csv"], "unknown chart 'nope'"),
        (["--chart", "cpi", "--format", "csv", "--focus", "XXX"], "Unknown country 'XXX'"),
        (["--chart", "cpi", "--format", "csv", "--from", "1800"], "expected a year from"),
        (["--chart", "cpi", "--format", "csv", "--group", "nope"], "Unknown peer group"),
        (["--chart", "cpi", "--format", "csv", "--view", "governance"], "is on the 'corruption'"),
        (["--pack", "--view", "nowhere"], "unknown view 'nowhere'"),
        (["--pack", "--format", "png"], "--format applies to --chart only"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(tmp_path, capsys, extra, message):
    assert main(["export", *extra, "--out", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_chart_or_pack_is_required(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["export", "--out", str(tmp_path)])
    assert exit_info.value.code == 2
    assert "one of the arguments --chart --pack is required" in capsys.readouterr().err


def test_missing_browser_exits_3_with_the_install_message(tmp_path, capsys, monkeypatch):
    message = "Image export is unavailable: no Chromium or Chrome was found. Install it ..."
    monkeypatch.setattr(exports_pkg, "export_available", lambda: (False, message))
    for what in (["--chart", "cpi", "--format", "png"], ["--pack"]):
        assert main(["export", *what, "--out", str(tmp_path)]) == 3
        assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []
    # CSV needs no browser
    assert main(["export", "--chart", "cpi", "--format", "csv", "--out", str(tmp_path)]) == 0
