"""The console and a QMP client on one VM at once: hmp runs in a tmux pane (a real
terminal), a client talks to its socket. Each sees what the other did."""

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import time

from support import HMP, Raw, check, finish

work = tempfile.mkdtemp(prefix="hmp-qmp-console.")
server = f"hmp-qmp-{os.getpid()}"
path = os.path.join(work, "vm.qmp")


def tmux(*args, capture=False):
    return subprocess.run(["tmux", "-L", server, "-f", "/dev/null", *args],
                          capture_output=True, text=True, check=False).stdout if capture else \
        subprocess.run(["tmux", "-L", server, "-f", "/dev/null", *args], check=False)


def screen():
    return tmux("capture-pane", "-p", "-t", "c", capture=True)


def history():
    """The whole pane, scrolled-off lines included."""
    return tmux("capture-pane", "-p", "-S", "-", "-t", "c", capture=True)


def wait_screen(pattern, timeout=8.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if re.search(pattern, screen(), re.M):
            return True
        time.sleep(0.05)
    print("---- screen ----\n" + screen() + "----")
    return False


def type_line(text):
    tmux("send-keys", "-t", "c", "-l", "--", text)
    tmux("send-keys", "-t", "c", "Enter")


def main():
    command = (f"cd {shlex.quote(work)} && env TERM=tmux-256color LANG=C.UTF-8 HOME={shlex.quote(work)} "
               f"{shlex.quote(HMP)} --no-history --format qemu --ram 512M --qmp unix:{shlex.quote(path)}; "
               "echo \"[exit $?]\"; sleep 3600")
    tmux("new-session", "-d", "-s", "c", "-x", "120", "-y", "40", command)
    check(wait_screen(r"^\(hmp\)"), "the console starts with --qmp")
    client = Raw(path, negotiate=True)

    r = client.command({"execute": "migrate-set-parameters", "arguments": {"downtime-limit": 1234}})
    check(r == {"return": {}}, f"client sets a parameter ({r})")
    type_line("info migrate_parameters")
    check(wait_screen(r"downtime-limit: 1234 ms"), "the console's info migrate_parameters shows the client's change")

    type_line("stop")
    event = client.event("STOP")
    check(event is not None, f"the console's stop reaches the client as an event ({event})")
    check(wait_screen(r"STOP"), "the console shows the event too")
    type_line("cont")
    check(client.event("RESUME") is not None, "cont: RESUME reaches the client")

    # A foreground migrate in the console: the client is still answered meanwhile.
    client.command({"execute": "migrate-set-parameters", "arguments": {"max-bandwidth": 100 << 20}})
    type_line("migrate tcp:192.0.2.1:4444")
    time.sleep(0.5)
    started = time.monotonic()
    r = client.command({"execute": "query-migrate", "id": "during"})
    answered = time.monotonic() - started
    check(r.get("return", {}).get("status") == "active" and answered < 1.0,
          f"query-migrate answered in {answered * 1000:.0f} ms during the console's migrate ({r.get('return', {}).get('status')})")
    deadline = time.monotonic() + 20
    status = None
    while time.monotonic() < deadline:
        status = client.command({"execute": "query-migrate"}).get("return", {}).get("status")
        if status in ("completed", "failed", "cancelled"):
            break
        time.sleep(0.1)
    check(status == "completed" and wait_screen(r"^\(hmp\) *$"), f"the console's migrate finishes ({status})")

    # An event caused by the client shows above the console's prompt (the guest is paused
    # after the migration, so the client resumes it).
    resumes = history().count("RESUME")
    r = client.command({"execute": "cont"})
    deadline = time.monotonic() + 8
    while history().count("RESUME") <= resumes and time.monotonic() < deadline:
        time.sleep(0.05)
    check(history().count("RESUME") > resumes, f"the client's cont shows in the console as an event ({r})")

    r = client.command({"execute": "quit"})
    check(r == {"return": {}}, "client quit answered")
    check(wait_screen(r"\[exit 0\]"), "a client's quit ends the console, status 0")
    check(not os.path.exists(path), "the socket file is removed")
    client.close()


def terminated():
    """SIGTERM to a console serving QMP: it ends at once, as without --qmp, socket removed."""
    other = os.path.join(work, "term.qmp")
    command = (f"cd {shlex.quote(work)} && env TERM=tmux-256color HOME={shlex.quote(work)} "
               f"{shlex.quote(HMP)} --no-history --qmp unix:{shlex.quote(other)}; echo \"[exit $?]\"; sleep 3600")
    tmux("new-session", "-d", "-s", "t", "-x", "100", "-y", "20", command)
    deadline = time.monotonic() + 8
    while not os.path.exists(other) and time.monotonic() < deadline:
        time.sleep(0.05)
    shell = tmux("list-panes", "-t", "t", "-F", "#{pane_pid}", capture=True).strip()
    children = []
    for task in os.listdir(f"/proc/{shell}/task"):
        with open(f"/proc/{shell}/task/{task}/children") as f:
            children += f.read().split()
    check(len(children) == 1 and os.path.exists(other), f"console started ({children})")
    if not children:
        return
    pid = int(children[0])
    os.kill(pid, 15)
    deadline = time.monotonic() + 8
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as f:
                if f.read().split(")")[1].split()[0] == "Z":
                    break
        except FileNotFoundError:
            break
        time.sleep(0.05)
    else:
        check(False, "SIGTERM ends the console")
        return
    check(not os.path.exists(other), "SIGTERM ends the console at once and removes the socket file")


try:
    main()
    terminated()
finally:
    tmux("kill-server")
    shutil.rmtree(work, ignore_errors=True)
finish("console and QMP client")
