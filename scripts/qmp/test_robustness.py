"""10,000 random and mutated messages, with abrupt disconnects, against one server: it
keeps answering well-formed commands and its memory stays bounded."""

import json
import random
import socket
import time

from support import Raw, Server, check, finish, rss_kib

CORPUS = [
    {"execute": "qmp_capabilities"},
    {"execute": "query-status", "id": 1},
    {"execute": "query-migrate"},
    {"execute": "query-migrate-parameters", "id": "p"},
    {"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 1000000, "downtime-limit": 300}},
    {"execute": "migrate-set-capabilities", "arguments": {"capabilities": [{"capability": "xbzrle", "state": True}]}},
    {"execute": "query-block"},
    {"execute": "query-commands"},
    {"exec-oob": "migrate-pause", "id": [1, 2]},
    {"execute": "human-monitor-command", "arguments": {"command-line": "info status"}},
    {"execute": "query-version", "id": {"nested": [None, True, 1.5]}},
]
ALPHABET = b'{}[]",:\'\\ \n\r\t0123456789.-+eEtrufalsn\x00\x01\x7f\x80\xc3\xa9\xfe\xff'


def mutate(rng, data):
    data = bytearray(data)
    for _ in range(rng.randint(1, 4)):
        choice = rng.random()
        position = rng.randrange(len(data) + 1)
        if choice < 0.3 and data:
            data[min(position, len(data) - 1)] = rng.choice(ALPHABET)
        elif choice < 0.55:
            data[position:position] = bytes([rng.choice(ALPHABET)])
        elif choice < 0.8 and data:
            del data[position:position + rng.randint(1, 8)]
        else:
            data = data[:position]  # truncated
    return bytes(data)


def message(rng):
    kind = rng.random()
    if kind < 0.1:
        return bytes(rng.getrandbits(8) for _ in range(rng.randint(1, 64)))
    base = json.dumps(rng.choice(CORPUS)).encode()
    if kind < 0.3:
        return base
    return mutate(rng, base)


def drain(sock):
    sock.setblocking(False)
    try:
        while sock.recv(1 << 20):
            pass
    except (BlockingIOError, ConnectionError):
        pass
    sock.setblocking(True)


def main():
    rng = random.Random(20261204)
    with Server("--ram", "256M") as server:
        first = Raw(server.path, negotiate=True)
        first.command({"execute": "query-status"})
        baseline = rss_kib(server.process.pid)
        sent = 0
        connections = 0
        started = time.monotonic()
        while sent < 10_000:
            connections += 1
            sock = socket.socket(socket.AF_UNIX)
            sock.connect(server.path)
            batch = [message(rng) for _ in range(rng.randint(20, 200))]
            # Never quit the server by accident.
            batch = [m for m in batch if b"quit" not in m]
            try:
                for item in batch:
                    sock.sendall(item)
                    drain(sock)
            except (BrokenPipeError, ConnectionResetError):
                pass
            sent += len(batch)
            if rng.random() < 0.5:
                # Abrupt: reset instead of an orderly close.
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
            sock.close()
        elapsed = time.monotonic() - started
        check(server.process.poll() is None, "the server survived")
        probe = Raw(server.path, negotiate=True)
        reply = probe.command({"execute": "query-status", "id": "alive"})
        check(reply.get("id") == "alive" and "return" in reply, f"a well-formed command is answered afterwards ({reply})")
        reply = first.command({"execute": "query-name", "id": "first"})
        check(reply.get("id") == "first", "a client connected throughout is still served")
        after = rss_kib(server.process.pid)
        print(f"  {sent} messages over {connections} connections in {elapsed:.1f} s; RSS {baseline} KiB -> {after} KiB")
        check(after < baseline + 32 * 1024, f"RSS bounded ({baseline} KiB -> {after} KiB)")
        probe.close()
        first.close()
    finish("QMP robustness")


if __name__ == "__main__":
    main()
