#!/usr/bin/python3
"""The grader against its floor, on each exercise's good fixture.

The floor is what grading cannot do without: the same program starts and
the same exchanges, with no waits. It is derived from the grader's own run:
the grader grades a fixture with a seed (--format json), and the floor then
replays that run's transcript at once, check by check -- it starts the
program where the grader did, dials (retrying a refused dial every half
millisecond) or accepts where it did, sends the same bytes, reads until
bytes arrive where the grader received some, stops the program where the
grader did, and kills it at the end of each check. Nothing is judged.

Each pair (grader, then its floor) uses its own seed; the table gives the
medians, and the median of the pairs' ratios with the middle half of
them (the machine's speed drifts from one pair to the next; a pair, run
back to back, shares it). The grader's time is its own duration_ms (grading
only: the command's start and the reports are left out, as the floor has
neither), and the floor's is measured around its replay.

    bench/floor.py                 # every exercise, 5 pairs
    bench/floor.py -n 9 problem2   # one exercise, 9 pairs

As root it re-runs itself in a private network namespace, so the fixtures'
fixed ports collide with nothing. Timing is by /usr/bin/python3, and the
programs are started with /usr/bin/python3 by both, whatever python3 the
PATH holds (a pyenv shim costs ~300 ms a start).
"""

import argparse
import base64
import json
import os
import platform
import select
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAIT = 2.0  # the most the floor waits for anything; more is a divergence
DEBUG = os.environ.get("FLOOR_DEBUG") == "1"  # each replayed event on stderr

# The good fixture graded for an exercise: the one closest to the course;
# for an exercise not named here, good-lab or else its first good fixture.
FIXTURES = {
    "problem3": "good-httpserver",
    "calculator": "good-raw-threads",
    "tcp-chat": "good-threads",
    "http-by-hand": "good-crlf",
    "smtp-server": "good-socketserver",
}


def exercises():
    return sorted(e for e in os.listdir(os.path.join(REPO, "fixtures")) if good_fixture(e))


def good_fixture(exercise):
    if exercise in FIXTURES:
        return FIXTURES[exercise]
    goods = sorted(d for d in os.listdir(os.path.join(REPO, "fixtures", exercise)) if d.startswith("good-"))
    return "good-lab" if "good-lab" in goods else (goods[0] if goods else None)


def udp_bound(port):
    """Tells whether some socket is bound to the UDP port (/proc/net/udp)."""
    for name in ("/proc/net/udp", "/proc/net/udp6"):
        try:
            with open(name) as f:
                next(f)
                for line in f:
                    local = line.split()[1]
                    if int(local.rsplit(":", 1)[1], 16) == port:
                        return True
        except OSError:
            pass
    return False


def udp_socket(data, prog):
    """The grader's UDP socket: to the program's address, once it is bound."""
    to = data.rsplit("→", 1)[1].strip()
    host, port = to.rsplit(":", 1)
    deadline = time.monotonic() + WAIT
    while not udp_bound(int(port)):
        if time.monotonic() > deadline or (prog and prog.p.poll() is not None):
            raise OSError("the program never bound " + to)
        time.sleep(0.0005)
    fam = socket.AF_INET6 if ":" in host.strip("[]") else socket.AF_INET
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.connect((host.strip("[]"), int(port)))
    return s


class Program:
    """A started program, its output drained in the background."""

    def __init__(self, argv, cwd, env):
        self.p = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                  start_new_session=True)
        self.out = {"stdout": 0, "stderr": 0}
        self.used = {"stdout": 0, "stderr": 0}
        self.cv = threading.Condition()
        for name, f in (("stdout", self.p.stdout), ("stderr", self.p.stderr)):
            threading.Thread(target=self.drain, args=(name, f), daemon=True).start()

    def drain(self, name, f):
        while True:
            b = os.read(f.fileno(), 65536)
            with self.cv:
                self.out[name] += len(b)
                self.cv.notify_all()
            if not b:
                return

    def printed(self, name, n):
        """Waits until output the grader saw is there, or a short while:
        a program that prints less this time (another game) is not waited
        for long."""
        with self.cv:
            ok = self.cv.wait_for(lambda: self.out[name] - self.used[name] >= 1 or self.p.poll() is not None, WAIT / 10)
            self.used[name] = min(self.out[name], self.used[name] + n)
            return ok

    def stop(self):
        if self.p.poll() is None:
            try:
                os.killpg(self.p.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        self.p.wait()


class Conn:
    def __init__(self, sock):
        self.s = sock
        self.buffered = 0
        self.ended = False
        self.other = False  # it received other bytes than the grader did

    def recv(self, want):
        """Takes the bytes the grader received: from what was read already,
        else from one read that waits for them. Once they differ (a game
        went another way), the end of the stream is not waited for."""
        n = len(want)
        if self.buffered == 0 and not self.ended:
            self.s.settimeout(WAIT)
            try:
                b = self.s.recv(1 << 20)
            except socket.timeout:
                return False
            except OSError:
                b = b""
            if not b:
                self.ended = True
            elif len(b) != n and max(len(b), n) < 64:
                # Another game's answer ("Draw!" for "You win!"); a Date
                # header that changed keeps its length.
                self.other = True
            self.buffered += len(b)
        self.buffered = max(0, self.buffered - n)
        return True

    def until_end(self):
        if self.other:
            return False
        self.s.settimeout(WAIT)
        try:
            while self.s.recv(1 << 20):
                pass
        except socket.timeout:
            return False
        except OSError:
            pass
        self.ended = True
        return True

    def abort(self):
        try:
            self.s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, b"\x01\x00\x00\x00\x00\x00\x00\x00")
        except OSError:
            pass
        self.s.close()


def dial(addr, prog):
    host, port = addr.rsplit(":", 1)
    deadline = time.monotonic() + WAIT
    while True:
        try:
            return socket.create_connection((host.strip("[]"), int(port)), timeout=WAIT)
        except ConnectionRefusedError:
            if time.monotonic() > deadline or (prog and prog.p.poll() is not None):
                raise
            time.sleep(0.0005)


def raw(e):
    """The bytes of a transcript event: data_base64 where they are not
    UTF-8 (data then shows them with U+FFFD in place of each bad byte)."""
    if "data_base64" in e:
        return base64.b64decode(e["data_base64"])
    return e.get("data", "").encode("utf-8", "surrogateescape")


def replay_check(check, cwd, env):
    """Replays one check's transcript; returns how many waits diverged."""
    prog, conns, listener, diverged, owed = None, {}, None, 0, []
    try:
        for e in check.get("transcript") or []:
            kind, name, data = e["kind"], e.get("conn", ""), e.get("data", "")
            t0 = time.perf_counter()
            if DEBUG:
                print(f"    {check['id']} {kind} {name} {data[:40]!r}", file=sys.stderr)
            try:
                if owed and kind in ("send", "datagram-send", "close", "start", "exit") or (kind == "note" and data == "the grader stops the program"):
                    for stream, n in owed:
                        diverged += not prog.printed(stream, n)
                    owed = []
                if kind == "start":
                    if prog:
                        prog.stop()
                    prog = Program(data.split(), cwd, env)
                elif kind == "note" and data.startswith("the grader listens on "):
                    host, port = data.rsplit(" ", 1)[1].rsplit(":", 1)
                    listener = socket.socket()
                    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                    listener.bind((host, int(port)))
                    listener.listen(16)
                elif kind == "note" and data == "the grader stops the program" and prog:
                    # Connections are reset first, as the grader does, so
                    # the program's port is not left in TIME_WAIT.
                    for c in conns.values():
                        c.abort()
                    conns = {}
                    prog.stop()
                elif kind == "connect" and data.startswith("UDP socket"):
                    conns[name] = Conn(udp_socket(data, prog))
                elif kind == "datagram-send":
                    conns[name].s.send(raw(e))
                elif kind == "datagram-recv":
                    conns[name].s.settimeout(WAIT)
                    conns[name].s.recv(65536)
                elif kind == "connect" and data.startswith("accepted from"):
                    listener.settimeout(WAIT)
                    conns[name] = Conn(listener.accept()[0])
                elif kind == "connect":
                    conns[name] = Conn(dial(data, prog))
                elif kind == "send" and name == "stdin":
                    prog.p.stdin.write(raw(e))
                    prog.p.stdin.flush()
                elif kind == "send":
                    conns[name].s.sendall(raw(e))
                elif kind == "recv":
                    diverged += not conns[name].recv(raw(e))
                elif kind in ("eof", "reset"):
                    diverged += not conns[name].until_end()
                elif kind == "close" and name == "stdin":
                    prog.p.stdin.close()
                elif kind == "close" and data == "reset":
                    conns.pop(name).abort()
                elif kind == "close":
                    conns[name].s.shutdown(socket.SHUT_WR)
                elif kind in ("stdout", "stderr") and prog:
                    # Output is waited for before the grader's next action
                    # (not before a dial: a connection may be what prints).
                    owed.append((kind, len(raw(e))))
                elif kind == "exit" and prog:
                    try:
                        prog.p.wait(WAIT)
                    except subprocess.TimeoutExpired:
                        diverged += 1
            except (OSError, KeyError, AttributeError, ValueError):
                # The program did something else this time (a game ended a
                # round sooner): the floor goes on with the next event.
                diverged += 1
                if DEBUG:
                    print(f"    diverged: {sys.exc_info()[1]!r}", file=sys.stderr)
            if DEBUG and time.perf_counter() - t0 > 0.02:
                print(f"    ^ took {(time.perf_counter() - t0) * 1000:.0f} ms", file=sys.stderr)
    finally:
        for c in conns.values():
            c.abort()
        if listener:
            listener.close()
        if prog:
            prog.stop()
    return diverged


def floor(result, cwd, env):
    start = time.perf_counter()
    diverged = sum(replay_check(c, cwd, env) for c in result["checks"])
    return (time.perf_counter() - start) * 1000, diverged


def fixture_cmd(fixture):
    """The cmd of a fixture.yaml, if it has one (a real program's command)."""
    with open(os.path.join(fixture, "fixture.yaml")) as f:
        for line in f:
            if line.startswith("cmd:"):
                return line[4:].strip().strip("'\"")
    return None


def grade(grader, exercise, fixture, seed, env):
    cmd = [grader, "check", exercise, "--dir", fixture, "--seed", str(seed), "--format", "json"]
    if fixture_cmd(fixture):
        cmd += ["--cmd", fixture_cmd(fixture)]
    start = time.perf_counter()
    p = subprocess.run(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=REPO)
    wall = (time.perf_counter() - start) * 1000
    res = json.loads(p.stdout)
    return res, wall


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("-n", type=int, default=5, help="pairs per exercise (default 5)")
    ap.add_argument("--grader", help="a built grader (default: CGO_ENABLED=0 go build ./cmd/grader)")
    ap.add_argument("exercises", nargs="*", help="default: all")
    args = ap.parse_args()

    if os.geteuid() == 0 and not os.environ.get("GRADER_BENCH_NETNS") and shutil.which("unshare"):
        env = dict(os.environ, GRADER_BENCH_NETNS="1")
        inner = "ip link set lo up 2>/dev/null || true; exec \"$@\""
        os.execvpe("unshare", ["unshare", "-n", "sh", "-c", inner, "sh", sys.executable] + sys.argv, env)

    tmp = tempfile.mkdtemp(prefix="grader-bench-")
    # Programs run in the sandbox as a user of their own, who must be able
    # to run the python3 placed here.
    os.chmod(tmp, 0o755)
    try:
        grader = args.grader
        if not grader:
            grader = os.path.join(tmp, "grader")
            # Built as the README installs it: static.
            subprocess.run(["go", "build", "-o", grader, "./cmd/grader"], cwd=REPO, check=True,
                           env=dict(os.environ, CGO_ENABLED="0"))
        os.symlink("/usr/bin/python3", os.path.join(tmp, "python3"))
        env = dict(os.environ, PATH=tmp + os.pathsep + os.environ["PATH"], NO_COLOR="1",
                   PYTHONUNBUFFERED="1", PYTHONDONTWRITEBYTECODE="1")
        version = subprocess.run(["/usr/bin/python3", "--version"], stdout=subprocess.PIPE, text=True).stdout.strip()
        print(f"timing: {sys.executable} ({platform.python_version()}); programs: /usr/bin/python3 ({version.split()[-1]}), for the grader and the floor alike")
        print(f"{args.n} pairs per exercise; medians in ms; the grader's time is its duration_ms\n")
        print(f"{'exercise':16} {'fixture':18} {'grader':>8} {'floor':>8} {'ratio':>6} {'middle half':>11}  {'wall':>7}  diverged")
        worst = 0.0
        for exercise in args.exercises or exercises():
            fixture = os.path.join(REPO, "fixtures", exercise, good_fixture(exercise))
            g, f, w, d = [], [], [], 0
            for seed in range(1, args.n + 1):
                res, wall = grade(grader, exercise, fixture, seed, env)
                if res["score"] != res["max_score"]:
                    print(f"  {exercise} seed {seed}: the good fixture did not pass: "
                          + "; ".join(c["id"] + ": " + c.get("message", "") for c in res["checks"] if c["status"] != "passed"))
                ms, div = floor(res, fixture, env)
                g.append(res["duration_ms"])
                w.append(wall)
                f.append(ms)
                d += div
            gm, fm = statistics.median(g), statistics.median(f)
            if any(c.get("transcript") for c in res["checks"]) and any(e["kind"] == "start" for c in res["checks"] for e in c["transcript"]):
                ratios = sorted(a / b for a, b in zip(g, f))
                ratio = statistics.median(ratios)
                worst = max(worst, ratio)
                shown = f"{ratio:5.2f}x"
                q = len(ratios) // 4
                spread = f"{ratios[q]:4.2f}-{ratios[-1 - q]:4.2f}"
            else:
                shown, spread = "    --", ""  # nothing is run: there is no floor to compare with
            print(f"{exercise:16} {good_fixture(exercise):18} {gm:8.0f} {fm:8.0f} {shown:>6} {spread:>11}  {statistics.median(w):7.0f}  {d}")
        print(f"\nworst ratio {worst:.2f}x (target 1.10x); -- runs no program")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
