"""Raw-socket conformance: QEMU's QMP wire, point by point (docs/interop/qmp-spec and
tests/qtest/qmp-test.c), against `hmp --qmp unix:... --no-console`."""

import json
import os
import shutil
import socket
import stat
import subprocess
import tempfile
import time

from support import HMP, Raw, Server, check, error_class, finish, rss_kib

ALIVE = {"execute": "query-status"}


def recovered(client, what):
    """After a bad message the connection keeps serving (qmp-test's assert_recovered())."""
    reply = client.command({"execute": "no-such-command"})
    check(error_class(reply) == "CommandNotFound", f"{what}: connection still serves ({reply})")


def greeting_and_negotiation(path):
    c = Raw(path)
    g = c.greeting.get("QMP", {})
    check(set(g) == {"version", "capabilities"}, f"greeting members {sorted(g)}")
    check(g.get("capabilities") == ["oob"], "greeting offers oob")
    version = g.get("version", {})
    check(set(version.get("qemu", {})) == {"major", "minor", "micro"} and isinstance(version.get("package"), str),
          f"greeting version {version}")
    r = c.command(ALIVE)
    check(error_class(r) == "CommandNotFound" and "qmp_capabilities" in r["error"]["desc"],
          f"before negotiation a command is CommandNotFound ({r})")
    r = c.command({"execute": "qmp_capabilities", "arguments": {"enable": ["no-such-cap"]}})
    check(error_class(r) == "GenericError", f"unknown capability refused ({r})")
    r = c.command(ALIVE)
    check(error_class(r) == "CommandNotFound", "still negotiating after a refused qmp_capabilities")
    r = c.command({"execute": "qmp_capabilities", "id": "n"})
    check(r == {"return": {}, "id": "n"}, f"qmp_capabilities ({r})")
    r = c.command({"execute": "qmp_capabilities"})
    check(error_class(r) == "CommandNotFound", f"second qmp_capabilities is CommandNotFound ({r})")
    r = c.command(ALIVE)
    check(r.get("return", {}).get("status") == "running", f"query-status after negotiation ({r})")
    c.close()


def stream_framing(path):
    c = Raw(path, negotiate=True)
    c.send(b'{"execute":"query-status","id":1}{"execute":"query-name","id":2}  {"execute":"query-version","id":3}')
    ids = [c.reply().get("id") for _ in range(3)]
    check(ids == [1, 2, 3], f"three commands in one write, no separator: {ids}")
    text = b'{"execute": "query-status", "id": "split"}'
    for byte in text:
        c.send(bytes([byte]))
    check(c.reply().get("id") == "split", "a command sent one byte per write")
    c.send(b'{"execute": "query-st')
    time.sleep(0.05)
    c.send(b'atus", "id": "two"}\n')
    line = c.line()
    check(line.endswith(b"\r\n") and json.loads(line).get("id") == "two", f"split across writes; output line ends with a newline ({line[-4:]!r})")
    for ident in ["s", 7, -3, 1.5, None, True, [1, {"a": "b"}], {"x": [None]}, ""]:
        r = c.command({"execute": "query-status", "id": ident})
        check("id" in r and r["id"] == ident, f"id {ident!r} echoed ({r.get('id', 'missing')!r})")
    c.close()


def bad_requests(path):
    c = Raw(path, negotiate=True)
    cases = [
        ("null", b"null\n"),
        ("{}", b"{}"),
        ("non-string execute", b'{"execute": true}'),
        ("non-object arguments", b'{"execute": "query-status", "arguments": []}'),
        ("unknown top-level key", b'{"execute": "query-status", "extra": 1}'),
        ("unknown argument", b'{"execute": "query-status", "arguments": {"bogus": 1}}'),
        ("wrong argument type", b'{"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": "fast"}}'),
        ("a number", b"42 "),
        ("an array", b"[1, 2]"),
    ]
    for what, data in cases:
        c.send(data)
        r = c.reply()
        check(error_class(r) == "GenericError", f"{what} -> GenericError ({r})")
        recovered(c, what)
    r = c.command({"execute": "query-status", "extra": 1, "id": "kept"})
    check(r.get("id") == "kept", "a refused request still echoes its id")
    c.close()


def lexical_errors(path):
    c = Raw(path, negotiate=True)
    cases = [
        ("{]", b"{]\n"),
        ("impossible byte outside a string", b"{\xff"),
        ("invalid UTF-8 in a string", b'{"execute": "query-status", "id": "\xc3\x28"}'),
        ("impossible byte in a string", b"{'bad \xff"),
        ("control byte outside a string", b"{\x01"),
        ("control byte in a string", b'{"execute": "query-status", "id": "a\x02b"}'),
        ("unterminated string", b'{"execute": "nonexistent", "id": "abc\n'),
        ("bad escape", b'{"execute": "query-status", "id": "\\q"}'),
        ("stray closing brace", b"}"),
        ("bad keyword", b"{'execute': nil}"),
    ]
    for what, data in cases:
        c.send(data)
        r = c.reply()
        check(error_class(r) == "GenericError" and r["error"]["desc"].startswith("JSON parse error"),
              f"{what} -> JSON parse error ({r})")
        # QEMU resynchronises at a brace or a control character: drain any second error
        # a leftover '}' gives, then the next well-formed command is answered.
        c.send(b"\n")
        c.send(json.dumps({"execute": "query-status", "id": what}))
        while True:
            r = c.reply()
            if "id" in r or "return" in r:
                break
            check(error_class(r) == "GenericError", f"{what}: only errors before recovery ({r})")
        check(r.get("id") == what and "return" in r, f"{what}: next command answered ({r})")
    c.close()


def out_of_band(path):
    c = Raw(path, negotiate=True)
    r = c.command({"exec-oob": "migrate-pause", "id": 1})
    check(error_class(r) == "GenericError" and "exec-oob" in r["error"]["desc"], f"exec-oob without the oob capability ({r})")
    c.close()
    c = Raw(path)
    r = c.command({"execute": "qmp_capabilities", "arguments": {"enable": ["oob"]}})
    check(r == {"return": {}}, f"oob enabled ({r})")
    r = c.command({"exec-oob": "migrate-pause", "id": "p"})
    check(r.get("id") == "p" and "does not support OOB" not in json.dumps(r), f"exec-oob of an allow-oob command runs ({r})")
    r = c.command({"exec-oob": "query-status", "id": "q"})
    check(error_class(r) == "GenericError" and "does not support OOB" in r["error"]["desc"], f"exec-oob of another command refused ({r})")
    r = c.command({"exec-oob": "query-status", "execute": "query-status"})
    check(error_class(r) == "GenericError", f"execute and exec-oob together refused ({r})")
    c.close()


def events(path):
    a = Raw(path, negotiate=True)
    b = Raw(path, negotiate=True)
    waiting = Raw(path)  # never negotiates: gets no events
    before = time.time()
    check("return" in a.command({"execute": "stop"}), "stop")
    for who, client in (("sender", a), ("other client", b)):
        e = client.event("STOP")
        check(e is not None, f"{who} gets STOP")
        if e:
            ts = e.get("timestamp", {})
            seconds = ts.get("seconds", 0) + ts.get("microseconds", -1) / 1e6
            check(0 <= ts.get("microseconds", -1) < 1_000_000 and abs(seconds - before) < 5,
                  f"timestamp is wall-clock time ({ts}, now {before:.0f})")
    a.command({"execute": "cont"})
    check(b.event("RESUME") is not None, "RESUME reaches the other client")
    waiting.sock.settimeout(0.3)
    try:
        stray = waiting.line()
    except (socket.timeout, TimeoutError):
        stray = None
    check(stray is None, f"a client still negotiating gets no events ({stray})")
    for client in (a, b, waiting):
        client.close()


def several_clients(path, server):
    clients = [Raw(path) for _ in range(8)]
    for index, client in enumerate(clients):
        if index % 2 == 0:
            client.command({"execute": "qmp_capabilities"})
    for index, client in enumerate(clients):
        r = client.command(ALIVE)
        expected = "return" if index % 2 == 0 else "error"
        check(expected in r, f"client {index}: its own negotiation state ({list(r)})")
    # Disconnect in the middle of a command.
    half = Raw(path, negotiate=True)
    half.send(b'{"execute": "query-sta')
    half.close()
    # A 1 MiB string comes back whole.
    big = "x" * (1 << 20)
    r = clients[0].command({"execute": "query-status", "id": big})
    check(r.get("id") == big, "a 1 MiB string is read and echoed")
    # A flood: 5000 commands sent without reading; a second client is answered meanwhile.
    flood = Raw(path, negotiate=True)
    flood.send(b"".join(json.dumps({"execute": "query-status", "id": i}).encode() for i in range(5000)))
    r = clients[2].command({"execute": "query-name", "id": "meanwhile"})
    check(r.get("id") == "meanwhile", "another client is served during a flood")
    ids = [flood.reply().get("id") for _ in range(5000)]
    check(ids == list(range(5000)), "every flooded command answered in order")
    # A client that sends and never reads: once about 1 MiB of replies waits for it, it is no
    # longer read from, so the server's memory stays put and others are served at once.
    before = rss_kib(server.process.pid)
    deaf = Raw(path, negotiate=True)
    deaf.sock.setblocking(False)
    burst = b'{"execute": "query-qmp-schema"}' * 1000
    sent = 0
    until = time.monotonic() + 1.5
    while time.monotonic() < until:
        try:
            sent += deaf.sock.send(burst)
        except BlockingIOError:
            time.sleep(0.01)
    started = time.monotonic()
    r = clients[2].command({"execute": "query-status", "id": "beside"})
    took = time.monotonic() - started
    grown = rss_kib(server.process.pid) - before
    check(r.get("id") == "beside" and took < 1.0, f"a client that does not read leaves others served ({took * 1000:.0f} ms)")
    check(grown < 16 * 1024, f"a client that does not read does not grow the server (+{grown} KiB after {sent} bytes sent)")
    deaf.close()
    # More than 16 MiB of one unfinished message closes only that client.
    hog = Raw(path, negotiate=True)
    chunk = b'{"execute": "query-status", "id": "' + b"y" * (1 << 20)
    closed = False
    try:
        hog.send(chunk)
        for _ in range(20):
            hog.send(b"y" * (1 << 20))
        hog.sock.settimeout(5)
        closed = hog.sock.recv(1) == b""
    except (BrokenPipeError, ConnectionResetError):
        closed = True
    check(closed, "a client past the input limit is disconnected")
    r = clients[4].command({"execute": "query-status", "id": "after"})
    check(r.get("id") == "after", "other clients unaffected by the disconnect")
    for client in clients + [flood]:
        client.close()


def socket_files():
    with Server() as server:
        mode = stat.S_IMODE(os.stat(server.path).st_mode)
        check(mode == 0o600, f"socket mode 0600 (got {oct(mode)})")
        second = subprocess.run([HMP, "--qmp", f"unix:{server.path}", "--no-console"],
                                capture_output=True, text=True, timeout=10)
        check(second.returncode != 0 and "in use" in second.stderr, f"a live server's path is refused ({second.stderr.strip()})")
        directory = server.directory
        plain = os.path.join(directory, "plain")
        open(plain, "w").close()
        third = subprocess.run([HMP, "--qmp", f"unix:{plain}", "--no-console"], capture_output=True, text=True, timeout=10)
        check(third.returncode != 0 and "not a socket" in third.stderr and os.path.isfile(plain),
              f"a non-socket file is refused and kept ({third.stderr.strip()})")
        # A socket file whose server is gone.
        stale = os.path.join(directory, "stale.qmp")
        s = socket.socket(socket.AF_UNIX)
        s.bind(stale)
        s.close()
        with Server(directory=directory, name="stale.qmp") as replaced:
            c = Raw(replaced.path, negotiate=True)
            check("return" in c.command(ALIVE), "a stale socket file is replaced")
            c.close()
        check(not os.path.exists(stale), "the socket file is removed at exit (SIGTERM)")
    # With a console (here a batch waiting on its input), SIGTERM still ends hmp at once, and
    # the socket file goes with it.
    directory = tempfile.mkdtemp(prefix="hmp-qmp-term.")
    path = os.path.join(directory, "vm.qmp")
    batch = subprocess.Popen([HMP, "--qmp", f"unix:{path}"], stdin=subprocess.PIPE,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(500):
            if os.path.exists(path):
                break
            time.sleep(0.01)
        c = Raw(path, negotiate=True)
        check("return" in c.command(ALIVE), "a batch waiting on its input serves QMP")
        batch.terminate()
        code = batch.wait(5)
        check(code == -15 and not os.path.exists(path), f"SIGTERM with a console: ends at once, socket removed (exit {code})")
        c.close()
    finally:
        if batch.poll() is None:
            batch.kill()
            batch.wait()
        shutil.rmtree(directory, ignore_errors=True)
    for sig in ("INT", "quit"):
        with Server() as server:
            if sig == "INT":
                server.process.send_signal(2)
            else:
                c = Raw(server.path, negotiate=True)
                r = c.command({"execute": "quit"})
                check(r == {"return": {}}, f"quit answered ({r})")
            code = server.process.wait(5)
            check(code == 0 and not os.path.exists(server.path), f"after {sig}: exit 0 and no socket file (exit {code})")


def two_sockets():
    """--qmp given twice: both sockets serve the same VM."""
    directory = tempfile.mkdtemp(prefix="hmp-qmp-two.")
    second = os.path.join(directory, "second.qmp")
    try:
        with Server("--qmp", f"unix:{second}", directory=directory) as server:
            a = Raw(server.path, negotiate=True)
            b = Raw(second, negotiate=True)
            a.command({"execute": "stop"})
            r = b.command({"execute": "query-status"})
            check(r.get("return", {}).get("status") == "paused" and b.event("STOP") is not None,
                  f"a second --qmp socket serves the same VM ({r})")
            a.close()
            b.close()
        check(not os.path.exists(second), "both socket files are removed at exit")
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def wait_on():
    """wait=on: nothing starts until a first client connects, as in QEMU."""
    directory = tempfile.mkdtemp(prefix="hmp-qmp-wait.")
    path = os.path.join(directory, "vm.qmp")
    process = subprocess.Popen([HMP, "--qmp", f"unix:{path},server=on,wait=on", "--no-console"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        for _ in range(500):
            if os.path.exists(path):
                break
            time.sleep(0.01)
        c = Raw(path, negotiate=True)
        r = c.command({"execute": "quit"})
        check(r == {"return": {}} and process.wait(5) == 0, "wait=on: served once a client connects")
        check("waiting for a QMP client" in process.stderr.read().decode(), "wait=on says it waits")
        c.close()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        shutil.rmtree(directory, ignore_errors=True)


def tcp_loopback():
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    process = subprocess.Popen([HMP, "--qmp", f"tcp::{port},server=on,wait=off", "--no-console"],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 10
        conn = None
        while time.monotonic() < deadline and conn is None:
            try:
                conn = socket.create_connection(("127.0.0.1", port), timeout=5)
            except OSError:
                time.sleep(0.02)
        check(conn is not None, "tcp::PORT listens on loopback")
        if conn:
            greeting = conn.makefile("rb").readline()
            check(b'"QMP"' in greeting, "greeting over tcp")
            conn.close()
    finally:
        process.terminate()
        process.wait(5)


def main():
    with Server() as server:
        greeting_and_negotiation(server.path)
        stream_framing(server.path)
        bad_requests(server.path)
        lexical_errors(server.path)
        out_of_band(server.path)
        events(server.path)
        several_clients(server.path, server)
        check(server.process.poll() is None, "the server is still running")
        server.stop()
        log = server.stderr_text()
        check("disconnected" in log, f"the cut-off client is logged ({log.strip()[:200]})")
    socket_files()
    two_sockets()
    wait_on()
    tcp_loopback()
    finish("QMP wire")


if __name__ == "__main__":
    main()
