"""QMP throughput and memory, hmp's server beside QEMU's, in the same run:
  query-status round trips over one connection (one request in flight at a time),
  the same over 8 connections at once (8 client processes), and the server's RSS
  with 8 negotiated clients connected.
QEMU takes one client per socket, so it gets 8 -qmp sockets; hmp serves all 8 on one.
The load comes from Sources/qmp-roundtrips (QMP_CLIENT) when given, else from Python,
which then bounds the figure. Figures only: nothing here fails on a slow machine."""

import multiprocessing
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HMP = os.environ.get("HMP") or sys.exit("HMP must name the hmp binary")
QEMU = os.environ.get("QEMU", "qemu-system-x86_64")
ONE = int(os.environ.get("QMP_ROUND_TRIPS", "20000"))
EACH = int(os.environ.get("QMP_ROUND_TRIPS_EACH", "5000"))
CLIENTS = 8
# The load client: Sources/qmp-roundtrips when built (make bench builds it), else Python.
CLIENT = os.environ.get("QMP_CLIENT")
REQUEST = b'{"execute": "query-status"}'


def connect(path):
    sock = socket.socket(socket.AF_UNIX)
    for _ in range(500):
        try:
            sock.connect(path)
            break
        except OSError:
            time.sleep(0.01)
    buffer = b""
    while b"\n" not in buffer:
        buffer += sock.recv(65536)
    sock.sendall(b'{"execute": "qmp_capabilities"}')
    buffer = b""
    while b"\n" not in buffer:
        buffer += sock.recv(65536)
    return sock


def round_trips(sock, count):
    pending = 0
    for _ in range(count):
        sock.sendall(REQUEST)
        pending += 1
        while pending:
            pending -= sock.recv(65536).count(b"\n")


def worker(path, count, barrier, results):
    sock = connect(path)
    round_trips(sock, 200)  # warm-up
    barrier.wait()
    started = time.perf_counter()
    round_trips(sock, count)
    results.put(time.perf_counter() - started)
    barrier.wait()  # stay connected until every client is done
    sock.close()


def concurrent(paths, each):
    barrier = multiprocessing.Barrier(len(paths) + 1)
    results = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker, args=(p, each, barrier, results)) for p in paths]
    for w in workers:
        w.start()
    barrier.wait()
    started = time.perf_counter()
    durations = [results.get() for _ in workers]
    elapsed = time.perf_counter() - started
    barrier.wait()
    for w in workers:
        w.join()
    return len(paths) * each / elapsed, max(durations)


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def native_clients(paths, count):
    """Runs QMP_CLIENT (Sources/qmp-roundtrips) once per path, all at once; answers the
    requests per second over the wall time, and the server's RSS with every client on."""
    clients = [subprocess.Popen([CLIENT, p, str(count)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
               for p in paths]
    try:
        for c in clients:
            if c.stdout.readline().strip() != "ready":
                raise RuntimeError("the load client did not start")
        started = time.perf_counter()
        for c in clients:
            c.stdin.write("\n")
            c.stdin.flush()
        for c in clients:
            float(c.stdout.readline())
        elapsed = time.perf_counter() - started
        return len(paths) * count / elapsed
    finally:
        for c in clients:
            try:
                c.stdin.write("\n")
                c.stdin.flush()
            except BrokenPipeError:
                pass
        for c in clients:
            c.wait(10)


def measure(name, command, paths):
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        connect(paths[0]).close()  # up and answering
        time.sleep(0.1)
        idle = rss_kib(process.pid)
        if CLIENT:
            single = native_clients(paths[:1], ONE)
            rate = native_clients(paths, EACH)
        else:
            one = connect(paths[0])
            round_trips(one, 500)
            started = time.perf_counter()
            round_trips(one, ONE)
            single = ONE / (time.perf_counter() - started)
            one.close()
            rate, _ = concurrent(paths, EACH)
        held = [connect(p) for p in paths]
        for sock in held:
            round_trips(sock, 10)
        with_clients = rss_kib(process.pid)
        for sock in held:
            sock.close()
        return {"single": single, "concurrent": rate, "rss_idle": idle, "rss_clients": with_clients}
    finally:
        process.terminate()
        try:
            process.wait(5)
        except subprocess.TimeoutExpired:
            process.kill()


def main():
    work = tempfile.mkdtemp(prefix="hmp-qmp-bench.")
    try:
        hmp_path = os.path.join(work, "hmp.qmp")
        hmp = measure("hmp", [HMP, "--qmp", f"unix:{hmp_path}", "--no-console"], [hmp_path] * CLIENTS)
        qemu = None
        if shutil.which(QEMU):
            qemu_paths = [os.path.join(work, f"qemu{i}.qmp") for i in range(CLIENTS)]
            command = [QEMU, "-M", "none", "-display", "none", "-nodefaults"]
            for p in qemu_paths:
                command += ["-qmp", f"unix:{p},server=on,wait=off"]
            version = subprocess.run([QEMU, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
            print(f"qemu: {version}", file=sys.stderr, flush=True)
            qemu = measure("qemu", command, qemu_paths)
        else:
            print(f"qemu: {QEMU} not installed; QEMU columns skipped", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)

    def rate(v):
        return f"{v:,.0f} req/s"

    def mib(k):
        return f"{k / 1024:.1f} MiB"

    rows = [
        ("query-status, 1 connection", rate(hmp["single"]), qemu and rate(qemu["single"]),
         qemu and f"{hmp['single'] / qemu['single']:.1f}x rate"),
        (f"query-status, {CLIENTS} connections", rate(hmp["concurrent"]), qemu and rate(qemu["concurrent"]),
         qemu and f"{hmp['concurrent'] / qemu['concurrent']:.1f}x rate"),
        ("RSS, no client", mib(hmp["rss_idle"]), qemu and mib(qemu["rss_idle"]),
         qemu and f"{hmp['rss_idle'] / qemu['rss_idle']:.2f}x"),
        (f"RSS, {CLIENTS} clients", mib(hmp["rss_clients"]), qemu and mib(qemu["rss_clients"]),
         qemu and f"{hmp['rss_clients'] / qemu['rss_clients']:.2f}x"),
    ]
    kind = "qmp-roundtrips clients" if CLIENT else "Python clients"
    print(f"\nQMP server ({ONE} round trips on one connection; {CLIENTS} x {EACH} at once; {kind})")
    print(f"{'':32} {'hmp':>16} {'qemu':>16} {'hmp vs qemu':>14}")
    for label, h, q, ratio in rows:
        print(f"{label:32} {h:>16} {q or '-':>16} {ratio or '':>14}")


if __name__ == "__main__":
    main()
