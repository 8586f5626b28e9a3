#!/usr/bin/env python3
"""First full Today frame of the caseload UI through a bare pty.

    scripts/pty_frame.py RUNS CMD...
    scripts/pty_frame.py 7 faketime '2026-11-30 10:00:00' caseload --data-dir STORE

Starts CMD on a 120x40 pseudo-terminal RUNS times and prints the time
from the fork until one of Today's section headings is written to the
terminal: what a terminal emulator sees, without tmux's own launch and
polling (scripts/bench.sh measures through tmux). Start the store's
service first (`caseload --data-dir STORE settings`): a UI under
faketime that has to start it starts it under faketime too (such a
service was seen never to finish stopping: kill it by its pid).
Not for CI (docs/performance.md, "Stop 20").
"""
import os, pty, sys, time, select, signal, fcntl, termios, struct, re
MARK = re.compile(rb"Follow-ups due|Overdue follow-ups|Re-engagement")
def once(cmd):
    t0 = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
        os.execvp(cmd[0], cmd)
    buf = b""; t1 = None
    while time.perf_counter() - t0 < 10:
        r, _, _ = select.select([fd], [], [], 0.5)
        if not r: continue
        try: chunk = os.read(fd, 65536)
        except OSError: break
        buf += chunk
        if b"\x1b[6n" in chunk: os.write(fd, b"\x1b[1;1R")
        if MARK.search(buf[-len(chunk)-40:]):
            t1 = time.perf_counter(); break
    os.kill(pid, signal.SIGTERM)
    end = time.time() + 3
    while time.time() < end:
        try:
            r, _, _ = select.select([fd], [], [], 0.1)
            if r: os.read(fd, 65536)
        except OSError: pass
        if os.waitpid(pid, os.WNOHANG)[0]: break
    else:
        os.kill(pid, signal.SIGKILL); os.waitpid(pid, 0)
    os.close(fd)
    return None if t1 is None else (t1 - t0) * 1000
runs = int(sys.argv[1]); cmd = sys.argv[2:]
out = [once(cmd) for _ in range(runs)]
ok = sorted(x for x in out if x is not None)
print(" ".join("%.0f" % x if x else "-" for x in out), "| median %.1f" % ok[len(ok)//2] if ok else "| none")
