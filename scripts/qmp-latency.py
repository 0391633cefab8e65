#!/usr/bin/env python3
"""Round-trip latency of `info migrate` (query-migrate) to a real QEMU, one request at a time,
through QEMU's own HMP on `-monitor stdio` and through qmp-shell on a QMP socket.

usage: qmp-latency.py hmp-stdio QEMU N
       qmp-latency.py qmp-shell QMP_SHELL SOCKET N
       qmp-latency.py first-output N COMMAND...
Prints: p50_us p99_us (microseconds), measured from writing the line to reading the whole answer;
for first-output, from starting COMMAND to its first byte on standard output (N runs).
"""
import os
import subprocess
import sys
import time


def percentiles(samples):
    samples = sorted(samples)
    def at(p):
        return samples[min(len(samples) - 1, int(p * len(samples)))]
    return at(0.50), at(0.99)


def read_until(stream, marker):
    data = b""
    while not data.endswith(marker):
        chunk = os.read(stream.fileno(), 65536)
        if not chunk:
            raise SystemExit("the monitor closed its output")
        data += chunk
    return data


def hmp_stdio(qemu, n):
    proc = subprocess.Popen([qemu, "-M", "none", "-display", "none", "-nodefaults", "-monitor", "stdio"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
    try:
        read_until(proc.stdout, b"(qemu) ")
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            proc.stdin.write(b"info migrate\n")
            proc.stdin.flush()
            # The echo of the line, the answer, then the next prompt.
            read_until(proc.stdout, b"(qemu) ")
            samples.append((time.perf_counter() - start) * 1e6)
        proc.stdin.write(b"quit\n")
        proc.stdin.flush()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    return samples


def qmp_shell(shell, socket_path, n):
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen([shell, socket_path], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, env=env)
    try:
        read_until(proc.stdout, b"(QEMU) ")
        samples = []
        for _ in range(n):
            start = time.perf_counter()
            proc.stdin.write(b"query-migrate\n")
            proc.stdin.flush()
            read_until(proc.stdout, b"(QEMU) ")
            samples.append((time.perf_counter() - start) * 1e6)
        proc.stdin.close()
        proc.wait(timeout=10)
    finally:
        if proc.poll() is None:
            proc.kill()
    return samples


def first_output(n, command):
    samples = []
    for _ in range(n):
        start = time.perf_counter()
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        if not os.read(proc.stdout.fileno(), 1):
            raise SystemExit("the command printed nothing")
        samples.append((time.perf_counter() - start) * 1e6)
        proc.stdout.read()
        proc.wait(timeout=10)
    return samples


def main():
    mode = sys.argv[1]
    if mode == "hmp-stdio":
        samples = hmp_stdio(sys.argv[2], int(sys.argv[3]))
    elif mode == "qmp-shell":
        samples = qmp_shell(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif mode == "first-output":
        samples = first_output(int(sys.argv[2]), sys.argv[3:])
    else:
        raise SystemExit(__doc__)
    p50, p99 = percentiles(samples)
    print(f"{p50:.0f} {p99:.0f}")


if __name__ == "__main__":
    main()
