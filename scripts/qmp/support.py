"""Shared by the QMP tests: start `hmp --qmp ... --no-console` on a unix socket in a
private temp directory, stop it whatever happens, and talk raw QMP to it."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time

HMP = os.environ.get("HMP") or sys.exit("HMP must name the hmp binary")

passed = 0
failed = 0


def check(condition, what):
    """Records one check; failures are printed, the run goes on."""
    global passed, failed
    if condition:
        passed += 1
    else:
        failed += 1
        print(f"  FAIL: {what}", flush=True)
    return condition


def finish(name):
    print(f"{name}: {passed} passed, {failed} failed", flush=True)
    sys.exit(1 if failed else 0)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Server:
    """hmp serving QMP only; `args` go before --qmp (model options)."""

    def __init__(self, *args, name="vm.qmp", directory=None):
        self.args = list(args)
        self.own_directory = directory is None
        self.directory = directory or tempfile.mkdtemp(prefix="hmp-qmp.")
        self.path = os.path.join(self.directory, name)
        self.process = None

    def __enter__(self):
        self.start()
        return self

    def start(self):
        self.process = subprocess.Popen(
            [HMP, *self.args, "--qmp", f"unix:{self.path}", "--no-console"],
            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"hmp exited early: {self.process.stderr.read().decode()}")
            try:
                with socket.socket(socket.AF_UNIX) as probe:
                    probe.connect(self.path)
                return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("hmp did not start listening")

    def stop(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()

    def __exit__(self, *exc):
        self.stop()
        if self.own_directory:
            shutil.rmtree(self.directory, ignore_errors=True)

    def stderr_text(self):
        return self.process.stderr.read().decode(errors="replace") if self.process.poll() is not None else ""


class Raw:
    """A QMP connection at the byte level: send what you like, read messages back."""

    def __init__(self, path, negotiate=False, timeout=5.0):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.settimeout(timeout)
        self.sock.connect(path)
        self.buffer = b""
        self.events = []
        self.greeting = self.message()
        if negotiate:
            reply = self.command({"execute": "qmp_capabilities"})
            assert "return" in reply, reply

    def send(self, data):
        self.sock.sendall(data if isinstance(data, bytes) else data.encode())

    def line(self):
        """The next raw line, "\\r\\n" included."""
        while b"\n" not in self.buffer:
            chunk = self.sock.recv(1 << 20)
            if not chunk:
                raise EOFError("connection closed")
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"\n")
        return line + b"\n"

    def message(self):
        return json.loads(self.line())

    def reply(self):
        """The next reply, events set aside in `self.events`."""
        while True:
            message = self.message()
            if "event" in message:
                self.events.append(message)
                continue
            return message

    def command(self, request):
        self.send(json.dumps(request))
        return self.reply()

    def event(self, name, timeout=5.0):
        deadline = time.monotonic() + timeout
        while True:
            for index, event in enumerate(self.events):
                if event["event"] == name:
                    return self.events.pop(index)
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                self.events.append(self.message())
            except (socket.timeout, TimeoutError):
                return None
            finally:
                self.sock.settimeout(5.0)

    def close(self):
        self.sock.close()


def error_class(reply):
    return reply.get("error", {}).get("class")
