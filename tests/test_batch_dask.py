"""sipdocs batch on a Dask cluster: a real LocalCluster of two worker processes."""

from __future__ import annotations

import os
import re
import signal
from pathlib import Path

import pytest
from typer.testing import CliRunner

from sipdocs.batch import CaseResult, Options, run_batch
from sipdocs.cli import app
from sipdocs.errors import RenderError
from tests.test_batch import copies, documents, manifest_hashes, slow_case, slow_layer

distributed = pytest.importorskip("distributed")

runner = CliRunner()


@pytest.fixture(scope="module")
def scheduler() -> object:
    """The address of a LocalCluster's scheduler: two worker processes, one thread each."""
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
    ) as cluster:
        yield cluster.scheduler_address


def test_dask_makes_the_same_files_as_the_local_pool_and_stops_a_case_past_its_limit(
    tmp_path: Path, scheduler: str
) -> None:
    cases = tmp_path / "cases"
    copies(cases, 2)
    slow = slow_case(cases)
    layers = slow_layer(tmp_path)
    out = tmp_path / "dask"
    arguments = ["batch", str(cases), "-o", str(out), "-d", "kallelse", "-f", "html", "-j", "2"]
    result = runner.invoke(
        app,
        [*arguments, "--layers", str(layers), "--timeout", "6"],
        env={"SIPDOCS_SCHEDULER": scheduler},
    )
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == "sipdocs: note: --jobs is ignored with --scheduler"
    assert f"{slow}: error: rendering took longer than 6 s" in lines
    assert sum(line.startswith("[") for line in lines) == 3  # progress: a line a case
    assert lines[-1] == (
        f"3 case(s): 18 file(s) written, 0 up to date, 1 case(s) failed; "
        f"manifest: {out / 'manifest.json'}"
    )
    assert manifest_hashes(out) == documents(out)
    options = Options(("kallelse",), ("html",), layers=(layers,))
    local = run_batch([cases], tmp_path / "local", jobs=2, options=options, timeout=6)
    assert [case.error for case in local.cases] == [
        None,
        None,
        "rendering took longer than 6 s",
    ]
    assert documents(out) == documents(tmp_path / "local")
    assert len(documents(out)) == 18


def test_a_worker_with_other_templates_is_named(
    tmp_path: Path, scheduler: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sipdocs.batch.fingerprint", lambda layers: "0" * 64)
    with pytest.raises(RenderError) as raised:
        run_batch([copies(tmp_path / "cases", 1)[0]], tmp_path / "out", scheduler=scheduler)
    assert re.fullmatch(
        r"worker tcp://127\.0\.0\.1:\d+: its sipdocs \(0\.1\.0\), built-in templates and "
        r"catalogs or layers differ from the client's; install the same sipdocs version, with "
        r"its templates, on every worker as on the client",
        str(raised.value),
    )
    assert not documents(tmp_path / "out")


def test_a_worker_killed_mid_batch_still_gives_every_file(tmp_path: Path, scheduler: str) -> None:
    with distributed.Client(scheduler) as client:
        pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_the_other(result: CaseResult, done: int, total: int) -> None:
        if not killed:  # the other worker is still on its first case
            killed.extend(pid for address, pid in pids.items() if address != result.worker_name)
            os.kill(killed[0], signal.SIGKILL)

    out = tmp_path / "out"
    result = run_batch(
        copies(tmp_path / "cases", 4),
        out,
        options=Options(("kallelse",), ("html",)),
        scheduler=scheduler,
        on_case=kill_the_other,
    )
    assert len(killed) == 1
    assert not result.failed
    assert len(documents(out)) == 4 * 9
    assert manifest_hashes(out) == documents(out)
