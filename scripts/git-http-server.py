#!/usr/bin/env python3
"""A git smart-HTTP server for the mirror tests: git-http-backend behind HTTP Basic auth.

Serves the bare repositories under ROOT on 127.0.0.1 (`http://127.0.0.1:PORT/NAME.git`), as
a git host does for an https remote with a token: every request must carry
`Authorization: Basic base64(USER:TOKEN)`, else 401. Writes its port to ROOT/port once
listening (a test polls for it instead of blocking on a pipe), and appends one line per request to ROOT/requests.log: method, path, and `auth=ok`, `auth=wrong`
or `auth=none` (never the header itself).

    git-http-server.py ROOT USER TOKEN
"""
import base64
import http.server
import os
import subprocess
import sys

ROOT, USER, TOKEN = sys.argv[1], sys.argv[2], sys.argv[3]
EXPECTED = "Basic " + base64.b64encode(f"{USER}:{TOKEN}".encode()).decode()


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def record(self, verdict):
        with open(os.path.join(ROOT, "requests.log"), "a") as f:
            f.write(f"{self.command} {self.path.split('?')[0]} auth={verdict}\n")

    def body(self):
        if self.headers.get("Transfer-Encoding", "").lower() == "chunked":
            data = b""
            while True:
                size = int(self.rfile.readline().strip().split(b";")[0], 16)
                if size == 0:
                    self.rfile.readline()
                    return data
                data += self.rfile.read(size)
                self.rfile.readline()
        return self.rfile.read(int(self.headers.get("Content-Length") or 0))

    def handle_git(self):
        given = self.headers.get("Authorization")
        verdict = "none" if given is None else "ok" if given == EXPECTED else "wrong"
        self.record(verdict)
        data = self.body()
        if verdict != "ok":
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="git"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "GIT_PROJECT_ROOT": ROOT, "GIT_HTTP_EXPORT_ALL": "1", "REMOTE_USER": USER,
            "REQUEST_METHOD": self.command, "PATH_INFO": path, "QUERY_STRING": query,
            "CONTENT_TYPE": self.headers.get("Content-Type", ""), "CONTENT_LENGTH": str(len(data)),
            "HTTP_CONTENT_ENCODING": self.headers.get("Content-Encoding", ""), "GIT_PROTOCOL": self.headers.get("Git-Protocol", ""),
        }
        result = subprocess.run(["/usr/lib/git-core/git-http-backend"], input=data, capture_output=True, env=environment)
        head, _, payload = result.stdout.partition(b"\r\n\r\n")
        status, headers = 200, []
        for line in head.decode("latin-1").split("\r\n"):
            name, _, value = line.partition(":")
            if name.lower() == "status":
                status = int(value.strip().split()[0])
            elif name:
                headers.append((name, value.strip()))
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    do_GET = handle_git
    do_POST = handle_git


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(os.path.join(ROOT, "port.new"), "w") as f:
    f.write(str(server.server_address[1]))
os.rename(os.path.join(ROOT, "port.new"), os.path.join(ROOT, "port"))
server.serve_forever()
