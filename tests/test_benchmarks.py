import tempfile
from pathlib import Path

from benchmarks.__main__ import main
from benchmarks.common import percentile
from benchmarks.scaling import scaled_data_dir, synthetic_dataset
from indicators.data.loading import DATA_DIR, load_bundle


def test_percentile_is_nearest_rank():
    values = list(range(1, 101))
    assert percentile(values, 50) == 50
    assert percentile(values, 95) == 95
    assert percentile([7.0], 99) == 7.0


def test_synthetic_dataset_is_valid_and_has_the_requested_size(tmp_path):
    for name in ("countries.yaml", "events.yaml"):
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    # events may name bundled datasets: keep those files too
    for name in ("cpi.yaml", "wgi.yaml", "doing_business.yaml", "economy.yaml"):
        (tmp_path / name).write_bytes((DATA_DIR / name).read_bytes())
    n = synthetic_dataset(tmp_path / "synthetic_0.yaml", "synthetic_0", 5, 3, 2)
    bundle = load_bundle(tmp_path)
    assert n == 30
    assert (bundle.frame["indicator"].astype(str).str.startswith("synthetic_0_")).sum() == 30


def test_scaled_data_dir_multiplies_the_number_of_values():
    bundled = len(load_bundle(DATA_DIR).frame)
    with tempfile.TemporaryDirectory() as tmp:
        scaled_data_dir(Path(tmp), 3)
        values = len(load_bundle(Path(tmp)).frame)
    assert abs(values - 3 * bundled) < 7200  # rounded to whole synthetic indicators


def test_quick_load_section_prints_the_figure_and_target(capsys):
    assert main(["--quick", "--only", "load"]) == 0
    out = capsys.readouterr().out
    assert "load and validate the bundled data" in out
    assert "target < 0.5 s" in out


def test_callback_section_reports_floor_and_ratio(capsys):
    assert main(["--quick", "--only", "b"]) == 0
    out = capsys.readouterr().out
    assert "render_view /governance, repeat view" in out
    assert "json.dumps of the response" in out and "x floor" in out
