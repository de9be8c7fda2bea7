"""A scripted LSP client (python3 standard library only) for fork-hazard-clangd's tests and
benchmark: JSON-RPC over the server's stdin/stdout, a reader thread that keeps every message
it receives in order, and waits on what the server sends."""
import json
import os
import queue
import subprocess
import threading
import time


class ProtocolError(Exception):
    pass


def frame(body):
    if isinstance(body, (dict, list)):
        body = json.dumps(body)
    if isinstance(body, str):
        body = body.encode()
    return b"Content-Length: %d\r\n\r\n" % len(body) + body


class Session:
    def __init__(self, argv, cwd=None, env=None, stderr=None):
        self.proc = subprocess.Popen(argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=stderr, cwd=cwd, env=env)
        self.messages = []  # everything received, in order
        self.cond = threading.Condition()
        self.next_id = 1
        self.closed = False
        self.write_lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    # -- receiving
    def _read(self):
        out = self.proc.stdout
        while True:
            length = None
            while True:
                line = out.readline()
                if not line:
                    with self.cond:
                        self.closed = True
                        self.cond.notify_all()
                    return
                line = line.strip()
                if not line:
                    break
                if line.lower().startswith(b"content-length:"):
                    length = int(line.split(b":", 1)[1])
            if length is None:
                raise ProtocolError("a message from the server without Content-Length")
            body = out.read(length)
            message = json.loads(body)
            with self.cond:
                message["_received"] = time.monotonic()
                self.messages.append(message)
                self.cond.notify_all()

    def wait_for(self, predicate, timeout=30, start=0, what="a message"):
        """The first message at index >= start for which predicate is true (and its index)."""
        deadline = time.monotonic() + timeout
        with self.cond:
            index = start
            while True:
                while index < len(self.messages):
                    if predicate(self.messages[index]):
                        return index, self.messages[index]
                    index += 1
                remaining = deadline - time.monotonic()
                if remaining <= 0 or self.closed:
                    raise ProtocolError("timed out waiting for %s; received: %s" % (
                        what, json.dumps([m.get("method", m.get("id")) for m in self.messages[-20:]])))
                self.cond.wait(remaining)

    def count(self):
        with self.cond:
            return len(self.messages)

    # -- sending
    def send_raw(self, data):
        with self.write_lock:
            self.proc.stdin.write(data)
            self.proc.stdin.flush()

    def notify(self, method, params=None):
        message = {"jsonrpc": "2.0", "method": method}
        if params is not None:
            message["params"] = params
        self.send_raw(frame(message))

    def request(self, method, params=None):
        """Sends a request; returns its id."""
        rid = self.next_id
        self.next_id += 1
        message = {"jsonrpc": "2.0", "id": rid, "method": method}
        if params is not None:
            message["params"] = params
        self.send_raw(frame(message))
        return rid

    def response(self, rid, timeout=30, start=0):
        return self.wait_for(lambda m: m.get("id") == rid and "method" not in m, timeout,
                             start, "the response to request %s" % rid)[1]

    def call(self, method, params=None, timeout=30):
        """A request and its response, which must not be an error."""
        message = self.response(self.request(method, params), timeout)
        if "error" in message:
            raise ProtocolError("%s answered with an error: %s" % (method, json.dumps(message["error"])))
        return message

    # -- the LSP session
    def initialize(self, root, related=True, literals=True, encodings=None):
        capabilities = {"textDocument": {
            "publishDiagnostics": {"relatedInformation": related, "versionSupport": True,
                                   "codeDescriptionSupport": True},
            "codeAction": {"codeActionLiteralSupport": {"codeActionKind": {"valueSet": ["quickfix"]}}}
            if literals else {}}}
        if encodings:
            capabilities["general"] = {"positionEncodings": encodings}
        result = self.call("initialize", {"processId": os.getpid(), "rootUri": uri(root),
                                          "capabilities": capabilities}, timeout=60)
        self.notify("initialized", {})
        return result

    def publishes(self, file_uri, start=0):
        with self.cond:
            return [m for m in self.messages[start:]
                    if m.get("method") == "textDocument/publishDiagnostics"
                    and m["params"]["uri"] == file_uri]

    def wait_publish(self, file_uri, predicate=lambda p: True, timeout=30, start=0, what=None):
        return self.wait_for(
            lambda m: m.get("method") == "textDocument/publishDiagnostics"
            and m["params"]["uri"] == file_uri and predicate(m["params"]),
            timeout, start, what or "diagnostics for " + file_uri)

    def shutdown(self, timeout=60):
        self.call("shutdown", timeout=timeout)
        self.notify("exit")
        return self.proc.wait(timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def uri(path):
    from urllib.parse import quote
    return "file://" + quote(os.path.abspath(path))


def ours(params):
    return [d for d in params["diagnostics"] if d.get("source") == "fork-hazard"]


def theirs(params):
    return [d for d in params["diagnostics"] if d.get("source") != "fork-hazard"]
