"""hmp's QMP server driven by qemu.qmp's QMPClient: negotiation, queries, a refused
set that changes nothing, events through an EventListener, human-monitor-command."""

import asyncio
import os

from qemu.qmp import EventListener, ExecuteError, QMPClient

from support import Server, check, finish


async def wait_event(listener, name, timeout=10):
    async def first():
        async for event in listener:
            if event["event"] == name:
                return event
    try:
        return await asyncio.wait_for(first(), timeout)
    except asyncio.TimeoutError:
        return None


async def scenario(path):
    client = QMPClient("hmp-test")
    await client.connect(path)
    check(client.greeting is not None and "oob" in [str(c) for c in client.greeting.QMP.capabilities],
          "greeting read and negotiated")
    status = await client.execute("query-status")
    check(status == {"running": True, "status": "running"}, f"query-status {status}")
    version = await client.execute("query-version")
    check(version.get("package") == "swift-hmp", f"query-version {version}")
    commands = {c["name"] for c in await client.execute("query-commands")}
    check({"query-status", "migrate", "human-monitor-command", "query-qmp-schema"} <= commands, "query-commands lists the schema")
    schema = await client.execute("query-qmp-schema")
    check(any(entry.get("name") == "query-status" for entry in schema), "query-qmp-schema")

    before = await client.execute("query-migrate-parameters")
    try:
        await client.execute("migrate-set-parameters", {"max-bandwidth": 1000, "downtime-limit": 10 ** 9})
        check(False, "an out-of-range parameter is refused")
    except ExecuteError as error:
        check(error.error_class == "GenericError", f"refused with GenericError ({error.error_class}: {error})")
    after = await client.execute("query-migrate-parameters")
    check(after == before, "a refused set changes nothing, not even its valid members")
    await client.execute("migrate-set-parameters", {"max-bandwidth": 123456789})
    after = await client.execute("query-migrate-parameters")
    check(after.get("max-bandwidth") == 123456789, "an accepted set shows in query-migrate-parameters")

    listener = EventListener()
    with client.listen(listener):
        await client.execute("stop")
        stop = await wait_event(listener, "STOP")
        check(stop is not None and {"seconds", "microseconds"} <= set(stop.get("timestamp", {})), f"STOP event ({stop})")
        text = await client.execute("human-monitor-command", {"command-line": "info status"})
        check(text == "VM status: paused\r\n", f"human-monitor-command, QEMU's \\r\\n inside ({text!r})")
        await client.execute("cont")
        check(await wait_event(listener, "RESUME") is not None, "RESUME event")
        # MIGRATION events are sent only with the "events" capability, as in QEMU.
        await client.execute("migrate-set-capabilities", {"capabilities": [{"capability": "events", "state": True}]})
        await client.execute("migrate", {"uri": "tcp:192.0.2.1:4444"})
        statuses = []
        async def migration_done():
            async for event in listener:
                if event["event"] == "MIGRATION":
                    statuses.append(event["data"]["status"])
                    if event["data"]["status"] in ("completed", "failed"):
                        return
        try:
            await asyncio.wait_for(migration_done(), 20)
        except asyncio.TimeoutError:
            pass
        check(statuses[:1] == ["setup"] and statuses[-1:] == ["completed"], f"MIGRATION events {statuses}")
    await client.execute("cont")  # out of postmigrate, so that another migration may start
    text = await client.execute("human-monitor-command", {"command-line": "migrate tcp:192.0.2.1:4444"})
    check(text == "terminal does not allow synchronous migration, continuing detached\r\n",
          f"HMP migrate without -d goes on detached, as in QEMU ({text!r})")
    text = await client.execute("human-monitor-command", {"command-line": "info migrate_parameters"})
    check("max-bandwidth: 123456789 bytes/second\r\n" in text, "HMP sees the same VM")
    try:
        text = await client.execute("human-monitor-command", {"command-line": "info bogus"})
        check(text.endswith("\r\n"), f"a bad HMP line gives its error text ({text!r})")
    except ExecuteError:
        check(False, "a bad HMP line is text, not a QMP error (as in QEMU)")
    await client.execute("quit")
    try:
        await client.disconnect()
    except EOFError:
        pass  # the server closed first, as QEMU does after quit


def main():
    with Server("--ram", "256M") as server:
        asyncio.run(scenario(server.path))
        code = server.process.wait(5)
        check(code == 0 and not os.path.exists(server.path), f"quit ends the server and removes its socket (exit {code})")
    finish("QMPClient")


if __name__ == "__main__":
    main()
