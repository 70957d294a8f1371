"""The stdio transport survives garbled messages: a frame without a usable `Content-Length` is
logged to stderr and skipped, a body that is not a JSON-RPC message gets an error response as
JSON-RPC asks, every request is answered with the id it came with, and the next well-formed
request is answered."""

import json
import os
import subprocess

RAMPART_BIN = os.environ.get("RAMPART_BIN", "rampart")


def frame(body: bytes) -> bytes:
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


def message(payload: dict) -> bytes:
    return frame(json.dumps(payload).encode("utf-8"))


def read_message(stream) -> dict:
    length = None
    while True:
        line = stream.readline()
        assert line, "the server closed its output"
        if line == b"\r\n":
            break
        name, _, value = line.decode("ascii").partition(":")
        if name.lower() == "content-length":
            length = int(value.strip())
    return json.loads(stream.read(length))


INITIALIZE = {"jsonrpc": "2.0", "id": "first", "method": "initialize", "params": {"capabilities": {}}}
SHUTDOWN = {"jsonrpc": "2.0", "id": "last", "method": "shutdown"}


def run(*frames: bytes) -> subprocess.CompletedProcess:
    """Sends `initialize`, then `frames`, then `shutdown` and `exit`, and closes the input (so
    nothing can hang); checks that the server answered both ends and exited cleanly."""
    exit = {"jsonrpc": "2.0", "method": "exit"}
    stdin = message(INITIALIZE) + b"".join(frames) + message(SHUTDOWN) + message(exit)
    done = subprocess.run([RAMPART_BIN, "lsp"], input=stdin, capture_output=True, timeout=30)
    assert done.returncode == 0, done.stderr
    return done


def bodies(output: bytes) -> list[bytes]:
    """The bodies of the frames in `output`."""
    out = []
    while output:
        head, _, output = output.partition(b"\r\n\r\n")
        length = int(head.split(b":")[1])
        out.append(output[:length])
        output = output[length:]
    return out


def raw_session(*frames: bytes) -> list[bytes]:
    """The bodies the server wrote for `frames`, in order, leaving out the answers to
    `initialize` and `shutdown` (refusals may come before the first)."""
    written = bodies(run(*frames).stdout)
    ends = [body for body in written if json.loads(body).get("id") in ("first", "last")]
    assert len(ends) == 2, written
    return [body for body in written if body not in ends]


def session(*frames: bytes) -> list[dict]:
    """Like `raw_session`, with the bodies decoded."""
    return [json.loads(body) for body in raw_session(*frames)]


def test_frames_without_a_valid_content_length_are_skipped():
    hover = {"jsonrpc": "2.0", "id": 1, "method": "rampart/no-such-method"}
    done = run(b"X-Nonsense\r\n\r\n", b"Content-Length: \xff\r\n\r\n", message(hover))
    assert b"skipping a frame" in done.stderr
    assert json.loads(bodies(done.stdout)[1])["id"] == 1


def test_a_body_that_is_not_json_gets_a_parse_error_with_id_null():
    [error] = session(frame(b"{ this is not json"))
    assert error["id"] is None
    assert error["error"]["code"] == -32700


def test_json_that_is_not_a_message_gets_an_invalid_request_error():
    errors = session(frame(b'{"jsonrpc": "2.0", "nonsense": true}'), frame(b'{"jsonrpc": "2.0", "id": 7, "method": 7}'))
    assert [(e["id"], e["error"]["code"]) for e in errors] == [(None, -32600), (7, -32600)]


def test_requests_are_answered_with_the_id_they_came_with_whatever_its_form():
    ids = [2**31, -(2**31) - 1, 2**63, 123456789012345678901234567890, -1, "a string", "", None]
    frames = [message({"jsonrpc": "2.0", "id": id, "method": "rampart/no-such-method"}) for id in ids]
    responses = session(*frames)
    assert [r["id"] for r in responses] == ids
    assert all(r["error"]["code"] == -32601 for r in responses)


def test_ids_are_echoed_in_the_form_the_client_wrote_them():
    frames = [frame(b'{"jsonrpc": "2.0", "id": 1e400, "method": "x"}'), frame(b'{"jsonrpc": "2.0", "id": 100000000000000000000000001, "method": "x"}')]
    ids = [raw.split(b'"id":')[1].split(b",")[0] for raw in raw_session(*frames)]
    assert ids == [b"1e400", b"100000000000000000000000001"]
