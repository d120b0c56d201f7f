#!/usr/bin/env python3
"""bench/console.py: time the console under tmux, as a person at a terminal sees it.

    console.py --arfdesk BIN --db DB [--maildir DIR] [--runs N] [--keys N]

Opening: a tmux session (a private socket, 100x30) starts a shell that waits on a FIFO and
then execs the program; the clock starts when the FIFO is written and stops when
capture-pane first shows the finished first screen (arfdesk: the title with its selection and
the top group's row; mutt: the index's status line with every message counted). mutt and
arfdesk take turns, run after run, so that both see the same machine.

Keys: one arfdesk session; for each key the clock starts just before `tmux send-keys` and stops
when capture-pane shows what the key does (the selection moved to the row it should be on, the
view it opens drawn). A capture costs a few milliseconds, which every figure includes: the
floor is measured the same way on `less` scrolling a file.

Prints one line per measure: runs, min, median, 90th percentile and max in milliseconds.
"""
import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

COLS, ROWS = 100, 30


class Pane:
    """A program in its own tmux server, started on a FIFO's signal."""

    made = 0

    def __init__(self, work, name, argv, env=None):
        # A socket and FIFO of its own: a server being killed may still hold the last ones.
        Pane.made += 1
        name = "%s.%d" % (name, Pane.made)
        self.sock = os.path.join(work, name + ".sock")
        self.fifo = os.path.join(work, name + ".go")
        if os.path.exists(self.fifo):
            os.unlink(self.fifo)
        os.mkfifo(self.fifo)
        envs = " ".join("%s=%s" % (k, shq(v)) for k, v in (env or {}).items())
        cmd = "read go < %s; exec env %s %s" % (shq(self.fifo), envs,
                                               " ".join(shq(a) for a in argv))
        self.tmux("new-session", "-d", "-x", str(COLS), "-y", str(ROWS), "-s", "b", cmd)
        self.tmux("set-option", "-g", "status", "off")
        self.t0 = None
        panes.append(self)

    def tmux(self, *args):
        return subprocess.run(["tmux", "-S", self.sock, "-f", "/dev/null"] + list(args),
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                              check=False).stdout.decode("utf-8", "replace")

    def go(self):
        # The shell is blocked opening the FIFO: opening it without blocking then succeeds.
        for _ in range(200):
            try:
                fd = os.open(self.fifo, os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError:
                time.sleep(0.05)
        else:
            sys.exit("console.py: the tmux session did not start")
        self.t0 = time.perf_counter()
        os.write(fd, b"go\n")
        os.close(fd)

    def screen(self):
        return self.tmux("capture-pane", "-p", "-t", "b")

    def keys(self, *keys):
        self.t0 = time.perf_counter()
        self.tmux("send-keys", "-t", "b", *keys)

    def wait(self, pred, timeout=60.0):
        """Milliseconds from t0 until pred(screen) holds."""
        end = time.perf_counter() + timeout
        while time.perf_counter() < end:
            s = self.screen()
            if pred(s):
                return (time.perf_counter() - self.t0) * 1000.0
        sys.exit("console.py: timed out; the screen was:\n" + self.screen())

    def close(self):
        self.tmux("kill-server")
        if self in panes:
            panes.remove(self)


panes = []


def close_all():
    for p in list(panes):
        p.close()


def shq(s):
    return "'" + s.replace("'", "'\\''") + "'"


def selected(screen):
    """The selected row's number in the title, "(12/200+)", or None."""
    m = re.search(r"\((\d+)/\d+\+?\)", screen.split("\n", 1)[0])
    return int(m.group(1)) if m else None


results = []


def report(name, times, target=None):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    med = statistics.median(times)
    verdict = "" if target is None else ("met" if med < target else "MISSED")
    line = "%-44s %4d %8.1f %8.1f %8.1f %8.1f %7s  %s" % (
        name, len(times), times[0], med, p90, times[-1],
        "" if target is None else "%d" % target, verdict)
    results.append(line)
    print(line, flush=True)


def arfdesk_argv(a):
    return [a.arfdesk, "-d", a.db]


def open_arfdesk(a, work, top):
    p = Pane(work, "open", arfdesk_argv(a), {"ARFDESK_CONFIG": "/dev/null"})
    p.go()
    ms = p.wait(lambda s: selected(s) == 1 and top in s)
    p.close()
    return ms


def open_mutt(a, work, count):
    # No system or personal muttrc: the defaults, but a folder that exists (else it asks).
    rc = os.path.join(work, "muttrc")
    with open(rc, "w") as f:
        f.write('set folder="%s"\n' % work)
    p = Pane(work, "mutt", ["mutt", "-n", "-F", rc, "-R", "-f", a.maildir])
    p.go()
    pat = re.compile(r"Msgs?:%d\b" % count)
    ms = p.wait(lambda s: pat.search(s) is not None)
    p.close()
    return ms


def keys(a, work, top, search_keys):
    p = Pane(work, "keys", arfdesk_argv(a), {"ARFDESK_CONFIG": "/dev/null"})
    p.go()
    p.wait(lambda s: selected(s) == 1 and top in s)
    page = None
    # j: one row down, many times; then k back up.
    t = []
    for i in range(a.keys):
        want = i + 2
        p.keys("j")
        t.append(p.wait(lambda s: selected(s) == want))
    report("groups: j (next row)", t, 50)
    # PageDown: a page at a time, past the first pages read (each further page is a query).
    t = []
    for i in range(a.keys):
        before = selected(p.screen())
        p.keys("PageDown")
        t.append(p.wait(lambda s: (selected(s) or 0) > before))
        if page is None:
            page = selected(p.screen()) - before
    report("groups: PageDown (%d rows, %d pages)" % (page, a.keys), t, 50)
    t = []
    for _ in range(a.keys):
        p.keys("g")
        t.append(p.wait(lambda s: selected(s) == 1))
    report("groups: g (first row)", t, 50)
    last_row(p, a, "groups --by ip", "groups: G (last of %d rows)")
    p.keys("g")
    p.wait(lambda s: selected(s) == 1)
    # Tab: the next grouping, and round again to ip.
    t = []
    for _ in range(a.keys // 4 or 1):
        for kind in ("net", "domain", "customer", "ip"):
            p.keys("Tab")
            t.append(p.wait(lambda s: s.startswith("arfdesk: Groups by " + kind) and
                            selected(s) in (0, 1)))
    report("groups: Tab (next grouping)", t, 50)
    # Enter on the top IP: its case, with the newest of its reports; q back.
    t, back = [], []
    for _ in range(a.keys // 2 or 1):
        p.keys("Enter")
        t.append(p.wait(lambda s: "Case ip:" + top in s.split("\n", 1)[0] and
                        re.search(r"\n +\d+ +\d{4}-\d\d-\d\d \d\d:\d\d", s) is not None))
        p.keys("q")
        back.append(p.wait(lambda s: s.startswith("arfdesk: Groups by ip") and
                           selected(s) == 1))
    report("Enter: the top IP's case (%s reports)" % a.top_reports, t, 50)
    report("q: back to the groups", back, 50)
    # In that case: page down through its reports.
    p.keys("Enter")
    p.wait(lambda s: "Case ip:" + top in s.split("\n", 1)[0])
    t = []
    for _ in range(a.keys):
        before = selected(p.screen())
        p.keys("PageDown")
        t.append(p.wait(lambda s: (selected(s) or 0) > before))
    report("case: PageDown through its reports", t, 50)
    p.keys("q")
    p.wait(lambda s: s.startswith("arfdesk: Groups by ip"))
    # G in that case: the key's own 20 ms, then reading on between keys; a key meanwhile is
    # answered and stops it; G again goes on to the last report.
    first, stop, total, rows = [], [], [], 0
    for _ in range(max(3, a.keys // 4)):
        p.keys("Enter")
        p.wait(lambda s: "Case ip:" + top in s.split("\n", 1)[0] and selected(s) is not None)
        before = selected(p.screen())
        p.keys("G")
        first.append(p.wait(lambda s: (selected(s) or 0) > before))
        if reading(p.screen()):
            p.keys("k")
            stop.append(p.wait(lambda s: not reading(s)))
        p.keys("G")
        total.append(p.wait(lambda s: done_rows(s) is not None, timeout=600))
        rows = done_rows(p.screen())
        p.keys("q")
        p.wait(lambda s: s.startswith("arfdesk: Groups by ip"))
    report("case: G, the first screen", first, 50)
    if stop:
        report("case: k while G reads on (stops it)", stop, 50)
    report("case: G on to the last of %d rows, whole" % rows, total)
    # Search: for the key of a group further down, from the top.
    t = []
    for row, key in search_keys:
        p.keys("g")
        p.wait(lambda s: selected(s) == 1)
        p.keys("/")
        p.wait(lambda s: s.rstrip("\n").rsplit("\n", 1)[-1].startswith("/"))
        p.tmux("send-keys", "-t", "b", "-l", key)
        p.keys("Enter")
        t.append(p.wait(lambda s: selected(s) == row))
    report("/ search: a group %d to %d rows down" % (search_keys[0][0], search_keys[-1][0]),
           t, 50)
    p.close()


def done_rows(screen):
    """The title's count when every row is read ("(12/12)"), or None."""
    m = re.search(r"\((\d+)/(\d+)\)", screen.split("\n", 1)[0])
    return int(m.group(2)) if m and m.group(1) == m.group(2) else None


def reading(screen):
    """The status line says a key is reading on."""
    last = screen.rstrip("\n").rsplit("\n", 1)[-1]
    return "reading to the last row" in last or "rows read so far" in last


def last_row(p, a, command, name):
    """G, in a view just opened by the command (no page past the first read): the key's own
    20 ms, then it reads on between keys until the last row."""
    first, total, rows = [], [], 0
    for _ in range(max(3, a.keys // 4)):
        p.keys(":")
        p.wait(lambda s: s.rstrip("\n").rsplit("\n", 1)[-1].startswith(":"))
        p.tmux("send-keys", "-t", "b", "-l", command)
        p.keys("Enter")
        p.wait(lambda s: selected(s) == 1)
        p.keys("G")
        first.append(p.wait(lambda s: (selected(s) or 0) > 1 or done_rows(s) is not None))
        total.append(p.wait(lambda s: done_rows(s) is not None, timeout=600))
        rows = done_rows(p.screen())
        p.keys("q")
        p.wait(lambda s: selected(s) is not None)
    report(name % rows + ", the first screen", first, 50)
    report(name % rows + ", whole", total)


def floor(work, n):
    path = os.path.join(work, "lines.txt")
    with open(path, "w") as f:
        for i in range(5000):
            f.write("line %d\n" % i)
    p = Pane(work, "less", ["less", "-N", path], {"LESS": ""})
    p.go()
    p.wait(lambda s: "line 0" in s)
    t = []
    for i in range(n):
        want = "line %d\n" % (ROWS - 1 + i)
        p.keys("j")
        t.append(p.wait(lambda s: want in s))
    p.close()
    report("floor: less, j (send-keys to capture)", t)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--arfdesk", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--maildir")
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--keys", type=int, default=20)
    ap.add_argument("--open-target", type=float, default=500)
    a = ap.parse_args()
    for tool in ["tmux"] + (["mutt"] if a.maildir else []):
        if shutil.which(tool) is None:
            sys.exit("console.py: %s is needed" % tool)
    out = subprocess.run(arfdesk_argv(a) + ["groups", "--json", "--limit", "2000"],
                         stdout=subprocess.PIPE, check=True,
                         env=dict(os.environ, ARFDESK_CONFIG="/dev/null")).stdout
    groups = [json.loads(l) for l in out.decode().splitlines()]
    top = groups[0]["key"]
    a.top_reports = groups[0]["reports"]
    search_keys = [(r, groups[r - 1]["key"]) for r in (50, 150, 400, 1000, 2000)
                   if r <= len(groups)]
    # Between spaces, as the row shows it: no other key holds it.
    search_keys = [(r, " " + k + " ") for r, k in search_keys]
    maildir_count = 0
    if a.maildir:
        maildir_count = sum(len(os.listdir(os.path.join(a.maildir, d))) for d in ("cur", "new"))
    work = tempfile.mkdtemp(prefix="arfdesk-console.")
    try:
        print("%-44s %4s %8s %8s %8s %8s %7s" % ("", "runs", "min ms", "med ms", "p90 ms",
                                                "max ms", "target"), flush=True)
        tm, ta = [], []
        for _ in range(a.runs):
            if a.maildir:
                tm.append(open_mutt(a, work, maildir_count))
            ta.append(open_arfdesk(a, work, top))
        if a.maildir:
            report("open: mutt, a %d-message Maildir" % maildir_count, tm)
        report("open: arfdesk, the first screen", ta, a.open_target)
        if a.maildir:
            print("arfdesk opens in %.2f of mutt's time (medians)" %
                  (statistics.median(ta) / statistics.median(tm)), flush=True)
        floor(work, a.keys)
        keys(a, work, top, search_keys)
    finally:
        close_all()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
