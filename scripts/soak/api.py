"""A small HTTP/JSON client for the coordinator's API and the fake panels' control API."""

import http.client
import json
import time


class Api:
    """One keep-alive connection; not shared between threads. Never retries by itself:
    whether a failed request may be repeated is the caller's decision."""

    def __init__(self, port, token=None, timeout=30.0, host="127.0.0.1", keep_alive=True):
        self.host, self.port, self.token, self.timeout = host, port, token, timeout
        self.keep_alive = keep_alive
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        """Returns (status, body): the parsed JSON body (or the text, or None when empty).
        status 0 means no answer (refused, reset, timed out); body then says why."""
        h = {"Accept": "application/json"}
        if self.token:
            h["Authorization"] = "Bearer " + self.token
        data = None
        if body is not None:
            data = json.dumps(body)
            h["Content-Type"] = "application/json"
        if not self.keep_alive:
            h["Connection"] = "close"
        h.update(headers or {})
        try:
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            self.conn.request(method, path, body=data, headers=h)
            res = self.conn.getresponse()
            raw = res.read()
            status = res.status
            if not self.keep_alive or res.getheader("Connection", "").lower() == "close":
                self.close()
        except (OSError, http.client.HTTPException) as e:
            self.close()
            return 0, type(e).__name__ + ": " + str(e)
        if not raw:
            return status, None
        try:
            return status, json.loads(raw)
        except ValueError:
            return status, raw.decode("utf-8", "replace")

    def read(self, path, attempts=3):
        """GET with a fresh connection after a failure: reads may be repeated."""
        for _ in range(attempts):
            status, body = self.request("GET", path)
            if status != 0:
                break
            time.sleep(1)
        return status, body

    def close(self):
        if self.conn is not None:
            self.conn.close()
            self.conn = None


def error_code(body):
    """The API error code of an error answer, or a short description of what came back."""
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        return body["error"].get("code", "?")
    if isinstance(body, str):
        return body.split(":")[0][:40]
    return "?"
