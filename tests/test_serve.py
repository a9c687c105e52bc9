"""`sipdocs serve`: the API's status codes and JSON, its safety rules, its OpenAPI schema
(Schemathesis) and its logs.

One service runs for the module as `sipdocs -vv serve --workers 1 --timeout 30 --token ...`,
with its temporary directory in a folder the tests look into. Its log, every library's debug
records included, is searched for the cases' personal data at the end.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import io
import json
import os
import threading
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from sipdocs.cli import app
from sipdocs.serve import check_address, is_loopback
from sipdocs.serve.jobs import WORKER_NICENESS
from tests.conftest import _DATA, ADULT
from tests.serving import Service, running_service
from tests.test_privacy import broken_adult, leaks

schemathesis = pytest.importorskip("schemathesis")
from hypothesis import HealthCheck, given, settings  # noqa: E402
from schemathesis.checks import not_a_server_error  # noqa: E402
from schemathesis.specs.openapi.checks import (  # noqa: E402
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

TOKEN = "s3cret-token-for-tests"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
YAML = {"Content-Type": "application/yaml", **AUTH}
TIMEOUT = 30  # seconds: --timeout of the service; a small render takes well under one
SMALL = {"doc": "kallelse", "format": "html", "lang": "sv"}  # a render of well under a second
# A render of hundreds of files: past the timeout on any machine.
SLOW = {
    "format": ["pdf", "docx", "html", "txt", "audio"],
    "lang": ["en", "ar", "fa", "uk"],
    "variant": ["standard", "storstil", "lattlast", "lattlast-storstil"],
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("serve")


@pytest.fixture(scope="module")
def service(folder: Path) -> Iterator[Service]:
    scratch = folder / "tmp"
    scratch.mkdir()
    with running_service(
        "--workers", "1", "--timeout", str(TIMEOUT), "--token", TOKEN,
        log=folder / "serve.log",
        environment={"TMPDIR": str(scratch)},
    ) as running:  # fmt: skip
        yield running


@pytest.fixture(scope="module")
def client(service: Service) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=service.url, timeout=120) as http:
        yield http


def adult_yaml() -> bytes:
    return ADULT.read_bytes()


def misspelt() -> bytes:
    data = copy.deepcopy(_DATA[ADULT])
    data["plan"]["overal_responsible"] = data["plan"].pop("overall_responsible")
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False).encode()


MISSPELT_FINDINGS = [
    {
        "severity": "error",
        "rule": "R-P5",
        "path": "plan",
        "line": 103,
        "column": 1,
        "message": "the plan needs overall_responsible: the principal with overall responsibility",
    },
    {
        "severity": "error",
        "rule": None,
        "path": "plan.overal_responsible",
        "line": 182,
        "column": 3,
        "message": "unknown key (did you mean 'overall_responsible'?)",
    },
]


# --- Safe by default ------------------------------------------------------------------------


def test_only_loopback_is_served_without_a_token() -> None:
    assert [is_loopback(h) for h in ("127.0.0.1", "::1", "[::1]", "localhost", "127.8.0.1")] == [
        True
    ] * 5
    assert [is_loopback(h) for h in ("0.0.0.0", "::", "192.0.2.7", "sipdocs.example")] == [
        False
    ] * 4
    check_address("0.0.0.0", "a-token")  # allowed with a token


def test_another_address_without_a_token_is_refused_with_exit_2() -> None:
    result = CliRunner().invoke(app, ["serve", "--host", "0.0.0.0"], env={"SIPDOCS_TOKEN": ""})
    assert result.exit_code == 2
    assert result.stderr == (
        "sipdocs: error: --host 0.0.0.0 is reachable from other machines: give --token TOKEN "
        "(or set SIPDOCS_TOKEN) so that only callers with the token are served\n"
    )


def test_health_needs_no_token(client: httpx.Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "version": "0.1.0",
        "workers": 1,
        "running": 0,
        "token_required": True,
    }


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": "Bearer wrong"}, {"Authorization": TOKEN}, {"Authorization": "Basic x"}],
    ids=["none", "wrong", "no-scheme", "basic"],
)
def test_without_the_token_every_v1_request_gets_401(
    client: httpx.Client, headers: dict[str, str]
) -> None:
    for response in (
        client.post("/v1/validate", content=adult_yaml(), headers=headers),
        client.post("/v1/render", content=adult_yaml(), headers=headers),
        client.get("/v1/templates", headers=headers),
    ):
        assert response.status_code == 401
        assert response.headers["www-authenticate"] == "Bearer"
        assert response.json() == {
            "detail": "a bearer token is required: Authorization: Bearer TOKEN",
            "findings": [],
        }


def test_a_body_over_1_mib_gets_413(client: httpx.Client) -> None:
    body = b"# " + b"x" * (1024 * 1024)
    response = client.post("/v1/validate", content=body, headers=YAML)
    assert response.status_code == 413
    assert response.json() == {
        "detail": "the case is larger than 1048576 bytes (1 MiB)",
        "findings": [],
    }

    def chunks() -> Iterator[bytes]:  # no Content-Length: counted as it arrives
        for _ in range(17):
            yield b"#" * 65535 + b"\n"

    response = client.post("/v1/render", content=chunks(), headers=YAML)
    assert response.status_code == 413


def test_a_body_that_is_neither_yaml_nor_json_gets_415(client: httpx.Client) -> None:
    response = client.post(
        "/v1/validate", content=adult_yaml(), headers={**AUTH, "Content-Type": "text/plain"}
    )
    assert response.status_code == 415
    assert response.json() == {
        "detail": "send the case as application/yaml or application/json, not 'text/plain'",
        "findings": [],
    }


# --- Validate -------------------------------------------------------------------------------


def test_a_valid_case_validates_as_yaml_and_as_json(client: httpx.Client) -> None:
    response = client.post("/v1/validate", content=adult_yaml(), headers=YAML)
    assert response.status_code == 200
    assert response.json() == {"valid": True, "findings": []}
    as_json = json.dumps(_DATA[ADULT], default=str, ensure_ascii=False)
    response = client.post(
        "/v1/validate", content=as_json, headers={**AUTH, "Content-Type": "application/json"}
    )
    assert response.json() == {"valid": True, "findings": []}


def test_an_invalid_case_gets_every_finding_at_its_line(client: httpx.Client) -> None:
    response = client.post("/v1/validate", content=misspelt(), headers=YAML)
    assert response.status_code == 200
    assert response.json() == {"valid": False, "findings": MISSPELT_FINDINGS}
    response = client.post("/v1/validate", content=b"- a list\n", headers=YAML)
    assert response.json() == {
        "valid": False,
        "findings": [
            {
                "severity": "error",
                "rule": None,
                "path": "",
                "line": 1,
                "column": 1,
                "message": "a case file is a mapping of keys to values, not a list",
            }
        ],
    }


def test_a_municipality_without_a_layer_is_a_finding(client: httpx.Client) -> None:
    text = adult_yaml().decode("utf-8").replace("municipality: lillan", "municipality: storby")
    line = text.splitlines().index(next(x for x in text.splitlines() if "storby" in x)) + 1
    validated = client.post("/v1/validate", content=text.encode("utf-8"), headers=YAML)
    assert validated.json() == {
        "valid": False,
        "findings": [
            {
                "severity": "error",
                "rule": None,
                "path": "case.municipality",
                "line": line,
                "column": 3,
                "message": "unknown municipality 'storby' (known: lillan); give the folder "
                "that holds its layer with --layers or SIPDOCS_LAYERS",
            }
        ],
    }
    response = client.post("/v1/render", content=text.encode("utf-8"), headers=YAML)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "the case has 1 error(s); see findings",
        "findings": validated.json()["findings"],
    }


# --- Render ---------------------------------------------------------------------------------


def test_render_gives_the_files_render_writes_and_a_manifest(
    client: httpx.Client, tmp_path: Path
) -> None:
    response = client.post("/v1/render", params=SMALL, content=adult_yaml(), headers=YAML)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="SIP-2026-0142.zip"'
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    options = [f"--{key}={value}" for key, value in SMALL.items()]
    result = CliRunner().invoke(app, ["render", str(ADULT), *options, "--out", str(tmp_path)])
    assert result.exit_code == 0, result.stderr
    written = sorted(
        path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("*") if path.is_file()
    )
    assert sorted(archive.namelist()) == sorted([*written, "manifest.json"])
    for name in written:
        assert archive.read(name) == (tmp_path / name).read_bytes(), name
    manifest = json.loads(archive.read("manifest.json"))
    assert [entry["path"] for entry in manifest] == [
        name for name in archive.namelist() if name != "manifest.json"
    ]
    first = manifest[0]
    assert first["sha256"] == hashlib.sha256(archive.read(first["path"])).hexdigest()
    assert first["input_sha256"] == hashlib.sha256(adult_yaml()).hexdigest()
    assert first | {"sha256": "", "input_sha256": "", "warnings": []} == {
        "path": "SIP-2026-0142/kallelse-soc-sv.html",
        "case_id": "SIP-2026-0142",
        "document": "kallelse",
        "recipient": "soc",
        "language": "sv",
        "variant": "standard",
        "format": "html",
        "template_version": "kallelse/2",
        "layers": "default > mellanland > lillan",
        "sha256": "",
        "input_sha256": "",
        "sipdocs_version": "0.1.0",
        "warnings": [],
    }


def test_render_of_an_invalid_case_gets_422_with_the_findings(client: httpx.Client) -> None:
    response = client.post("/v1/render", params=SMALL, content=misspelt(), headers=YAML)
    assert response.status_code == 422
    assert response.json() == {
        "detail": "the case has 2 error(s); see findings",
        "findings": MISSPELT_FINDINGS,
    }


@pytest.mark.parametrize(
    ("params", "status", "detail"),
    [
        ({"format": "odt"}, 400, "unknown format 'odt' (formats: audio, docx, html, pdf, txt)"),
        (
            {"doc": "brev"},
            400,
            "unknown document 'brev' (documents: kallelse, samtycke, plan, uppfoljning, avslutning)",
        ),
        ({"doc": "avslutning"}, 422, "the case has no data for document 'avslutning'"),
        ({"follow_up": "0"}, 400, "query.follow_up: Input should be greater than or equal to 1"),
    ],
)
def test_render_options_that_cannot_be_met(
    client: httpx.Client, params: dict[str, str], status: int, detail: str
) -> None:
    response = client.post("/v1/render", params=params, content=adult_yaml(), headers=YAML)
    assert response.status_code == status
    assert response.json() == {"detail": detail, "findings": []}


def test_preview_gives_one_copy_as_html_and_pdf_and_the_copies_to_choose_from(
    client: httpx.Client,
) -> None:
    params = {"doc": "plan", "recipient": "individ", "lang": "ar", "variant": "storstil"}
    response = client.post("/v1/preview", params=params, content=adult_yaml(), headers=YAML)
    assert response.status_code == 200, response.text
    preview = response.json()
    shown = preview["shown"]
    assert [shown[key] for key in ("document", "recipient", "language", "variant")] == [
        "plan", "individ", "ar", "storstil",
    ]  # fmt: skip
    assert shown["name"] == "plan-individ-ar-storstil"
    assert '<html lang="ar" dir="rtl" class="large-print">' in shown["html"]
    assert base64.b64decode(shown["pdf"]).startswith(b"%PDF-")
    assert preview["languages"][:3] == ["sv", "en", "fi"]
    assert preview["copies"][0] == {
        "document": "kallelse",
        "recipient": "soc",
        "own_copy": False,
        "language": "sv",
        "variant": "standard",
        "name": "kallelse-soc-sv",
    }
    response = client.post(
        "/v1/preview",
        params={"doc": "plan", "recipient": "nobody"},
        content=adult_yaml(),
        headers=YAML,
    )
    assert response.status_code == 422
    assert response.json()["detail"] == (
        "the case has no copy of 'plan' for recipient 'nobody' in language 'sv'"
    )


def test_templates_lists_documents_layers_and_options(client: httpx.Client) -> None:
    response = client.get("/v1/templates", headers=AUTH)
    assert response.status_code == 200
    listing = response.json()
    assert [d["name"] for d in listing["documents"]] == [
        "avslutning", "kallelse", "plan", "samtycke", "uppfoljning",
    ]  # fmt: skip
    assert listing["documents"][1]["versions"][0]["version"] == "1"
    assert [(layer["name"], layer["kind"]) for layer in listing["layers"]] == [
        ("default", "default"), ("lillan", "municipality"), ("mellanland", "region"),
    ]  # fmt: skip
    assert listing["layers"][2]["guideline"].startswith("Riktlinje för samordnad individuell")
    assert listing["formats"] == ["audio", "docx", "html", "pdf", "txt"]
    assert listing["variants"] == ["standard", "storstil", "lattlast", "lattlast-storstil"]
    assert client.get("/v1/preview/changes", headers=AUTH).json() == {
        "watching": False,
        "generation": 0,
    }


# --- Overloaded and slow --------------------------------------------------------------------


def test_past_the_workers_503_and_past_the_timeout_504(
    client: httpx.Client, service: Service, folder: Path
) -> None:
    slow: dict[str, httpx.Response] = {}

    def render_slowly() -> None:
        with httpx.Client(base_url=service.url, timeout=120) as other:
            slow["response"] = other.post(
                "/v1/render", params=SLOW, content=adult_yaml(), headers=YAML
            )

    thread = threading.Thread(target=render_slowly)
    thread.start()
    deadline = time.monotonic() + 30
    while client.get("/healthz").json()["running"] == 0:
        assert time.monotonic() < deadline
        time.sleep(0.05)
    response = client.post("/v1/render", params=SMALL, content=adult_yaml(), headers=YAML)
    assert response.status_code == 503
    retry = response.headers["retry-after"]
    assert retry.isdigit()
    assert response.json() == {
        "detail": f"all 1 worker(s) are busy (--workers); retry after {retry} s",
        "findings": [],
    }
    assert [p.name[:14] for p in (folder / "tmp").iterdir()] == ["sipdocs-serve-"]
    thread.join()
    assert slow["response"].status_code == 504
    assert slow["response"].json() == {
        "detail": f"the render took longer than {TIMEOUT} s (--timeout) and was stopped",
        "findings": [],
    }
    assert list((folder / "tmp").iterdir()) == []  # the job's temporary folder is gone
    # The stopped worker is replaced; the next render waits for it.
    response = client.post("/v1/render", params=SMALL, content=adult_yaml(), headers=YAML)
    assert response.status_code == 200
    assert list((folder / "tmp").iterdir()) == []


def test_workers_render_at_a_lower_priority_than_the_service(service: Service) -> None:
    """A validation, answered in the service's own process, gets the CPU before a render."""
    own = os.getpriority(os.PRIO_PROCESS, service.process.pid)
    tasks = Path(f"/proc/{service.process.pid}/task").iterdir()
    children = [int(pid) for task in tasks for pid in (task / "children").read_text().split()]
    # multiprocessing's resource tracker is a child too; a worker runs its `spawn_main`
    workers = [
        pid for pid in children if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
    ]
    assert len(workers) == 1  # --workers 1
    assert [os.getpriority(os.PRIO_PROCESS, pid) for pid in workers] == [own + WORKER_NICENESS]


# --- The schema -----------------------------------------------------------------------------


def test_the_api_keeps_to_its_openapi_schema(service: Service) -> None:
    """Schemathesis, from the service's own /openapi.json: no 5xx, and every status, header,
    content type and body as the schema declares, for 15 generated requests an operation.
    """
    schema = schemathesis.openapi.from_url(f"{service.url}/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    assert sorted(f"{o.method.upper()} {o.path}" for o in operations) == [
        "GET /healthz",
        "GET /v1/preview/changes",
        "GET /v1/templates",
        "POST /v1/preview",
        "POST /v1/render",
        "POST /v1/validate",
    ]
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            derandomize=True,
            database=None,
        )
        def keeps_to_the_schema(case: Any) -> None:
            case.call_and_validate(
                headers=AUTH,
                checks=[
                    not_a_server_error,
                    status_code_conformance,
                    content_type_conformance,
                    response_headers_conformance,
                    response_schema_conformance,
                ],
                timeout=60,
            )

        keeps_to_the_schema()


# --- Logs -----------------------------------------------------------------------------------


def test_the_log_has_a_line_per_request_and_no_case_content(
    client: httpx.Client, service: Service
) -> None:
    broken = broken_adult()
    body = yaml.safe_dump(broken, allow_unicode=True, sort_keys=False).encode()
    name = _DATA[ADULT]["individual"]["name"]
    for path in ("/v1/validate", "/v1/render", "/v1/preview"):
        client.post(path, content=body, headers=YAML, params={"lang": name})
    client.post(f"/v1/{name}", content=body, headers=YAML)
    client.post("/v1/preview", content=adult_yaml(), headers=YAML, params={"recipient": name})
    log = service.log_text()
    assert "POST /v1/validate 200 " in log
    assert "POST /v1/render 504 " in log
    assert "POST /v1/render 503 " in log
    assert "POST (no route) 404 " in log
    assert "DEBUG " in log  # every library's debug records, with -vv
    for data in (_DATA[ADULT], broken):
        assert leaks(log, data) == []
