"""End-to-end: a jurisdiction document opened in the editor is evaluated against the embedded
norm library (the workspace has no policy set of its own), and each failing norm is shown on
the evidence value it read.
"""

import asyncio
import os
import pathlib
import shutil

import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

RAMPART_BIN = os.environ.get("RAMPART_BIN", "rampart")
EXAMPLES = pathlib.Path(__file__).resolve().parents[2] / "examples"


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[RAMPART_BIN, "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: pathlib.Path):
    (tmp_path / "examples").mkdir()
    shutil.copy(EXAMPLES / "ossmark.json", tmp_path / "examples" / "ossmark.json")
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="member-state")],
    )
    await lsp_client.initialize_session(params)
    lsp_client.root = tmp_path
    yield
    await lsp_client.shutdown_session()


async def diagnostics_of(client: LanguageClient, doc: str) -> list:
    """Waits (up to 20 s) for the diagnostics published for `doc`."""
    for _ in range(400):
        if client.diagnostics.get(doc):
            return list(client.diagnostics[doc])
        await asyncio.sleep(0.05)
    raise AssertionError(f"no diagnostics for {doc}")


def line_of(text: str, needle: str) -> tuple[int, int]:
    """The line and UTF-16 column of the first `needle` in `text`."""
    offset = text.index(needle)
    line = text.count("\n", 0, offset)
    column = len(text[text.rfind("\n", 0, offset) + 1 : offset].encode("utf-16-le")) // 2
    return line, column


async def test_ossmark_failing_norm_sits_on_its_evidence_value(client: LanguageClient):
    path = client.root / "examples" / "ossmark.json"
    text = path.read_text(encoding="utf-8")
    doc = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=doc, language_id="json", version=1, text=text)
        )
    )
    found = await diagnostics_of(client, doc)
    ciso = [d for d in found if d.code == "gov-ciso"]
    assert len(ciso) == 1
    assert ciso[0].severity == types.DiagnosticSeverity.Error
    start = ciso[0].range.start
    assert text.splitlines()[start.line][start.character :].startswith('"role": "ministry"')
    assert 'institutions[1].role is "ministry"' in ciso[0].message
    # An unknown norm is information, on the closest ancestor of the missing value.
    budget = [d for d in found if d.code == "gov-dedicated-budget"]
    assert [d.severity for d in budget] == [types.DiagnosticSeverity.Information]
    start = budget[0].range.start
    assert text.splitlines()[start.line].strip() == '"budget": {'
