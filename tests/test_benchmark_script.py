import importlib.util
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "benchmark.py"


def test_load_benchmark_runs_and_prints_both_figures(capsys):
    spec = importlib.util.spec_from_file_location("benchmark", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.main(countries=5, years=3, indicators=2, repeat=1)
    out = capsys.readouterr().out
    assert "bundled data:" in out
    assert "synthetic 5 countries x 3 years x 2 indicators: 30 values" in out
