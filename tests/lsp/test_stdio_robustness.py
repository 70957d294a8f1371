"""The stdio transport survives garbled messages: a frame whose body is not JSON-RPC is logged
to stderr and skipped, and the next well-formed request is answered."""

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


def test_garbled_frames_are_skipped():
    server = subprocess.Popen(
        [RAMPART_BIN, "lsp"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        server.stdin.write(frame(b"{ this is not json"))
        server.stdin.write(frame(b'{"jsonrpc": "2.0", "nonsense": true}'))
        server.stdin.write(message({"jsonrpc": "2.0", "id": 1, "method": "initialize", "params": {"capabilities": {}}}))
        server.stdin.flush()
        response = read_message(server.stdout)
        assert response["id"] == 1
        assert "capabilities" in response["result"]
        server.stdin.write(message({"jsonrpc": "2.0", "method": "initialized", "params": {}}))
        server.stdin.write(message({"jsonrpc": "2.0", "id": 2, "method": "shutdown"}))
        server.stdin.flush()
        assert read_message(server.stdout)["id"] == 2
        server.stdin.write(message({"jsonrpc": "2.0", "method": "exit"}))
        server.stdin.flush()
        assert server.wait(timeout=10) == 0
        assert b"malformed" in server.stderr.read()
    finally:
        if server.poll() is None:
            server.kill()
