import time

from indicators.dashboard.packs import PackJobs


def wait(jobs, key):
    for _ in range(200):
        status = jobs.status(key)
        if status["finished"]:
            return status
        time.sleep(0.01)
    raise AssertionError("job did not finish")


def test_job_reports_progress_then_result_once():
    seen = []

    def build(bundle, state, base, progress):
        for i in range(3):
            progress(i + 1, 3, f"chart {i + 1}")
            seen.append(i)
        return b"zip-bytes"

    jobs = PackJobs(build=build, filename=lambda b, s: "pack.zip")
    key = jobs.start(None, None, "http://x")
    status = wait(jobs, key)
    assert status == {
        "done": 3,
        "total": 3,
        "message": "Ready",
        "finished": True,
        "error": None,
        "filename": "pack.zip",
    }
    assert jobs.take(key) == b"zip-bytes"
    assert jobs.take(key) is None and jobs.status(key) is None


def test_job_failure_is_reported_not_raised():
    def build(bundle, state, base, progress):
        raise RuntimeError("No Chromium or Chrome was found")

    jobs = PackJobs(build=build, filename=lambda b, s: "pack.zip")
    status = wait(jobs, jobs.start(None, None, "http://x"))
    assert "No Chromium" in status["error"]
