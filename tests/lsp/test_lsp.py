"""End-to-end tests of `rampart lsp` driven over stdio by pytest-lsp.

Each test starts the real binary (RAMPART_BIN, set by run.sh), opens a two-file policy set
written to a temporary directory, and checks what an editor would see.
"""

import asyncio
import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

RAMPART_BIN = os.environ.get("RAMPART_BIN", "rampart")

SCHEMA = """source handbook {
  title "Example Handbook"
}

pillar governance "Governance"
stage voting "Voting"

enum Level { "basic", "advanced" }

/// The election.
type Election {
  /// Polling day.
  date: date
  level: Level
}

schema {
  election: Election
  systems: [System]
}

type System {
  id: string
  certified: bool
}

/// Minimum number of systems.
param min_systems: int = 1
"""

MAIN = """use "schema.rampart"

def certified_all = all s in systems: s.certified

/// Polling day must be recent.
norm gov-date {
  title    "The polling day is recent"
  pillar   governance
  stages   [voting]
  severity medium
  cites    handbook "§1"
  require  election.date >= 2020-01-01 and certified_all and count(systems) >= min_systems
}
"""


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[RAMPART_BIN, "lsp"]))
async def client(lsp_client: LanguageClient, tmp_path: pathlib.Path):
    (tmp_path / "schema.rampart").write_text(SCHEMA, encoding="utf-8")
    (tmp_path / "main.rampart").write_text(MAIN, encoding="utf-8")
    params = types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=tmp_path.as_uri(),
        workspace_folders=[types.WorkspaceFolder(uri=tmp_path.as_uri(), name="policies")],
    )
    await lsp_client.initialize_session(params)
    lsp_client.policy_root = tmp_path
    yield
    await lsp_client.shutdown_session()


def uri(client: LanguageClient, name: str) -> str:
    return (client.policy_root / name).as_uri()


def open_main(client: LanguageClient, text: str = MAIN) -> str:
    main = uri(client, "main.rampart")
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(uri=main, language_id="rampart", version=1, text=text)
        )
    )
    return main


def change(client: LanguageClient, doc: str, version: int, text: str) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=doc, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def diagnostics_until(client: LanguageClient, doc: str, predicate) -> list:
    """Waits (up to 10 s) until the diagnostics published for `doc` satisfy `predicate`."""
    for _ in range(200):
        if doc in client.diagnostics and predicate(client.diagnostics[doc]):
            return list(client.diagnostics[doc])
        await asyncio.sleep(0.05)
    raise AssertionError(f"diagnostics for {doc}: {client.diagnostics.get(doc)}")


def position_of(text: str, needle: str, delta: int = 0) -> types.Position:
    """The UTF-16 position of `needle` (plus `delta` characters) in `text`."""
    offset = text.index(needle) + delta
    line = text.count("\n", 0, offset)
    line_start = text.rfind("\n", 0, offset) + 1
    column = len(text[line_start:offset].encode("utf-16-le")) // 2
    return types.Position(line=line, character=column)


async def test_diagnostics_appear_and_clear(client: LanguageClient):
    doc = open_main(client)
    await diagnostics_until(client, doc, lambda ds: len(ds) == 0)
    change(client, doc, 2, MAIN.replace("election.date", "election.dat"))
    found = await diagnostics_until(client, doc, lambda ds: len(ds) > 0)
    assert [d.code for d in found] == ["rampart::check::unknown-field"]
    assert found[0].severity == types.DiagnosticSeverity.Error
    change(client, doc, 3, MAIN)
    await diagnostics_until(client, doc, lambda ds: len(ds) == 0)


async def test_hover_shows_a_norm(client: LanguageClient):
    doc = open_main(client)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            position=position_of(MAIN, "gov-date", 2),
        )
    )
    assert hover is not None
    assert "The polling day is recent" in hover.contents.value
    assert "severity: **medium**" in hover.contents.value


async def test_completion_offers_fields_after_a_dot(client: LanguageClient):
    text = MAIN.replace("election.date >= 2020-01-01", "election.")
    doc = open_main(client, text)
    result = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            position=position_of(text, "election.", len("election.")),
        )
    )
    items = result.items if isinstance(result, types.CompletionList) else result
    assert [item.label for item in items] == ["date", "level"]


async def test_definition_jumps_to_the_other_file(client: LanguageClient):
    doc = open_main(client)
    result = await client.text_document_definition_async(
        types.DefinitionParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            position=position_of(MAIN, "governance", 3),
        )
    )
    assert isinstance(result, list) and len(result) == 1
    assert result[0].uri == uri(client, "schema.rampart")
    assert result[0].range.start == position_of(SCHEMA, "governance")


async def test_rename_edits_both_files(client: LanguageClient):
    doc = open_main(client)
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            position=position_of(MAIN, "min_systems"),
            new_name="least_systems",
        )
    )
    assert edit is not None and edit.changes is not None
    assert sorted(edit.changes) == sorted([uri(client, "main.rampart"), uri(client, "schema.rampart")])
    for edits in edit.changes.values():
        assert [e.new_text for e in edits] == ["least_systems"]


async def test_formatting_returns_the_canonical_layout(client: LanguageClient):
    messy = MAIN.replace("severity medium", "severity    medium").replace("  title    ", "    title ")
    doc = open_main(client, messy)
    edits = await client.text_document_formatting_async(
        types.DocumentFormattingParams(
            text_document=types.TextDocumentIdentifier(uri=doc),
            options=types.FormattingOptions(tab_size=2, insert_spaces=True),
        )
    )
    assert edits is not None and len(edits) == 1
    assert "severity medium" in edits[0].new_text
    assert "\n  title    \"The polling day is recent\"" in edits[0].new_text


if __name__ == "__main__":
    sys.exit(pytest.main([__file__]))
