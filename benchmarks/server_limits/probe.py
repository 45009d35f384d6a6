#!/usr/bin/env python3
"""Raw-socket probes for hostile slow/huge HTTP/1.1 requests.

Usage: probe.py --port PORT --probe P1|P2|P3|P4|P5|P6 [--pid SERVER_PID]
Prints one JSON object (the observation) on stdout.

Every probe is bounded to 30 s of observation (P6: 30 s of sending/holding,
plus a few seconds of RSS sampling after the clients go away).
"""

import argparse
import contextlib
import errno
import json
import socket
import threading
import time

HOST = "127.0.0.1"
BOUND = 30.0  # seconds, hard bound for each probe's observation window


class Conn:
    """A client connection with a background reader that records what the
    server sends back and when/how the connection ends."""

    def __init__(self, port, t0=None):
        self.t0 = t0 if t0 is not None else time.monotonic()
        self.sock = socket.create_connection((HOST, port), timeout=5)
        self.sock.settimeout(0.5)
        self.rx = bytearray()
        self.t_first_rx = None
        self.end = None  # 'eof' | 'reset' | 'error:<x>'
        self.t_end = None
        self.bytes_sent = 0
        self.send_error = None
        self.t_send_error = None
        self._stop = False
        self._lock = threading.Lock()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def now(self):
        return round(time.monotonic() - self.t0, 2)

    def _read(self):
        while not self._stop:
            try:
                data = self.sock.recv(65536)
            except TimeoutError:
                continue
            except ConnectionResetError:
                self._finish("reset")
                return
            except OSError as e:
                if self._stop:
                    return
                self._finish("error:" + (errno.errorcode.get(e.errno, str(e))))
                return
            if not data:
                self._finish("eof")
                return
            with self._lock:
                if self.t_first_rx is None:
                    self.t_first_rx = self.now()
                self.rx += data

    def _finish(self, how):
        with self._lock:
            if self.end is None:
                self.end = how
                self.t_end = self.now()

    @property
    def closed(self):
        return self.end is not None

    def send(self, data, deadline):
        """Send data; returns True if all sent. Stops on error, server close
        or deadline (absolute monotonic time)."""
        view = memoryview(data)
        while view:
            if time.monotonic() >= deadline or self.closed:
                return False
            try:
                n = self.sock.send(view[:65536])
            except TimeoutError:
                continue
            except OSError as e:
                self.send_error = type(e).__name__
                self.t_send_error = self.now()
                return False
            self.bytes_sent += n
            view = view[n:]
        return True

    def status_line(self):
        with self._lock:
            if not self.rx:
                return None
            return bytes(self.rx.split(b"\r\n", 1)[0]).decode("latin-1")[:120]

    def wait(self, until_fn, deadline):
        while time.monotonic() < deadline and not until_fn():
            time.sleep(0.05)

    def close(self):
        self._stop = True
        with contextlib.suppress(OSError):
            self.sock.close()

    def summary(self):
        with self._lock:
            body = bytes(self.rx)
        return {
            "status_line": self.status_line(),
            "t_first_response_byte": self.t_first_rx,
            "response_bytes": len(body),
            "response_head": body[:300].decode("latin-1"),
            "bytes_sent": self.bytes_sent,
            "send_error": self.send_error,
            "t_send_error": self.t_send_error,
            "conn_end": self.end or "still open",
            "t_conn_end": self.t_end,
        }


def big_header_get(port, size):
    """P1/P2: GET with one header of `size` bytes, complete request."""
    t0 = time.monotonic()
    deadline = t0 + BOUND
    c = Conn(port, t0)
    req = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + b"a" * size + b"\r\n\r\n"
    all_sent = c.send(req, deadline)
    t_sent = c.now()
    # wait for a response or a close
    c.wait(lambda: c.closed or c.rx, deadline)
    t_resp = c.now()
    # then wait up to 10 s more to see whether the server closes the conn
    c.wait(lambda: c.closed, min(deadline, time.monotonic() + 10))
    res = c.summary()
    res.update(
        {
            "request_bytes": len(req),
            "all_sent": all_sent,
            "t_sent": t_sent,
            "t_observed_response_or_close": t_resp,
            "close_after_response_s": (
                round(c.t_end - c.t_first_rx, 2)
                if c.t_end is not None and c.t_first_rx is not None
                else None
            ),
            "note": "waited up to 10 s after response for a close",
        }
    )
    c.close()
    return res


def partial_headers(port):
    """P3: send part of the header block, then nothing."""
    t0 = time.monotonic()
    deadline = t0 + BOUND
    c = Conn(port, t0)
    c.send(b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Partial: abc", deadline)
    c.wait(lambda: c.closed, deadline)
    res = c.summary()
    c.close()
    return res


def slow_headers(port):
    """P4: one header line per second, forever (bounded at 30 s)."""
    t0 = time.monotonic()
    deadline = t0 + BOUND
    c = Conn(port, t0)
    c.send(b"GET / HTTP/1.1\r\nHost: localhost\r\n", deadline)
    i = 0
    lines_sent = 0
    while time.monotonic() < deadline and not c.closed and c.send_error is None:
        i += 1
        nxt = t0 + i
        while time.monotonic() < min(nxt, deadline) and not c.closed:
            time.sleep(0.02)
        if c.closed or time.monotonic() >= deadline:
            break
        if c.send(b"X-Slow-%d: v\r\n" % i, deadline):
            lines_sent += 1
    c.wait(lambda: c.closed, min(deadline, time.monotonic() + 0.5))
    res = c.summary()
    res["header_lines_sent_after_host"] = lines_sent
    c.close()
    return res


def short_body(port):
    """P5: POST announcing 60000 bytes, send 10, then nothing."""
    t0 = time.monotonic()
    deadline = t0 + BOUND
    c = Conn(port, t0)
    c.send(
        b"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
        b"Content-Length: 60000\r\n\r\n0123456789",
        deadline,
    )
    c.wait(lambda: c.closed, deadline)
    res = c.summary()
    c.close()
    return res


# ---------------------------------------------------------------- P6 (memory)


def proc_tree(pid):
    import psutil

    root = psutil.Process(pid)
    kids = [
        p for p in root.children(recursive=True) if "resource_tracker" not in " ".join(p.cmdline())
    ]
    return root, kids


def rss_snapshot(pid):
    import psutil

    root, kids = proc_tree(pid)
    workers = kids if kids else [root]
    out = {}
    for p in [root, *kids]:
        with contextlib.suppress(psutil.Error):
            out[p.pid] = p.memory_info().rss
    worker_rss = sum(out.get(p.pid, 0) for p in workers)
    return worker_rss, sum(out.values()), [p.pid for p in workers]


def memory_flood(port, pid, nconn=16, size=16 * 1024 * 1024):
    """P6: nconn concurrent connections each sending `size` bytes of an
    unterminated header, then holding the connection open."""
    MiB = 1024 * 1024
    idle_worker, idle_total, worker_pids = rss_snapshot(pid)
    t0 = time.monotonic()
    deadline = t0 + BOUND
    samples = []
    stop_sampling = threading.Event()

    def sampler():
        while not stop_sampling.is_set():
            try:
                w, t, _ = rss_snapshot(pid)
                samples.append((round(time.monotonic() - t0, 2), w, t))
            except Exception:  # noqa: S110 - a process gone between samples
                pass
            time.sleep(0.25)

    st = threading.Thread(target=sampler, daemon=True)
    st.start()
    conns = []
    results = [None] * nconn

    def sender(i):
        try:
            c = Conn(port, t0)
        except OSError as e:
            results[i] = {"connect_error": type(e).__name__}
            return
        conns.append(c)
        head = b"GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: "
        payload = head + b"a" * (size - len(head))
        c.send(payload, deadline)
        results[i] = c

    threads = [threading.Thread(target=sender, args=(i,), daemon=True) for i in range(nconn)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=max(0.1, deadline - time.monotonic()))
    t_senders_done = round(time.monotonic() - t0, 2)
    # hold the connections open for 5 s (bounded by the 30 s window)
    hold_until = min(deadline, time.monotonic() + 5)
    while time.monotonic() < hold_until:
        time.sleep(0.1)
    held_worker, held_total, _ = rss_snapshot(pid)
    t_held = round(time.monotonic() - t0, 2)
    per_conn = []
    for c in conns:
        per_conn.append(c.summary())
    for c in conns:
        c.close()
    # RSS a few seconds after the clients went away
    time.sleep(4)
    stop_sampling.set()
    st.join()
    after_worker, _after_total, _ = rss_snapshot(pid)
    peak_worker = max((s[1] for s in samples), default=held_worker)
    peak_total = max((s[2] for s in samples), default=held_total)
    statuses = {}
    for s in per_conn:
        key = "{} / {}".format(s["status_line"], s["conn_end"])
        statuses[key] = statuses.get(key, 0) + 1
    return {
        "worker_pids": worker_pids,
        "idle_worker_rss_MiB": round(idle_worker / MiB, 1),
        "peak_worker_rss_MiB": round(peak_worker / MiB, 1),
        "held_worker_rss_MiB": round(held_worker / MiB, 1),
        "after_close_worker_rss_MiB": round(after_worker / MiB, 1),
        "idle_tree_rss_MiB": round(idle_total / MiB, 1),
        "peak_tree_rss_MiB": round(peak_total / MiB, 1),
        "t_senders_done": t_senders_done,
        "t_held_sample": t_held,
        "connections_opened": len(conns),
        "total_bytes_sent_MiB": round(sum(s["bytes_sent"] for s in per_conn) / MiB, 1),
        "min_bytes_sent_per_conn": min((s["bytes_sent"] for s in per_conn), default=0),
        "max_bytes_sent_per_conn": max((s["bytes_sent"] for s in per_conn), default=0),
        "outcomes (status / conn end)": statuses,
        "t_conn_end_range": [
            min((s["t_conn_end"] for s in per_conn if s["t_conn_end"] is not None), default=None),
            max((s["t_conn_end"] for s in per_conn if s["t_conn_end"] is not None), default=None),
        ],
        "rss_samples_worker_MiB": [(t, round(w / MiB, 1)) for t, w, _ in samples[::4]],
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--probe", required=True, choices=["P1", "P2", "P3", "P4", "P5", "P6"])
    ap.add_argument("--pid", type=int, help="server main pid (needed for P6)")
    a = ap.parse_args()
    if a.probe == "P1":
        r = big_header_get(a.port, 100 * 1024)
    elif a.probe == "P2":
        r = big_header_get(a.port, 8 * 1024 * 1024)
    elif a.probe == "P3":
        r = partial_headers(a.port)
    elif a.probe == "P4":
        r = slow_headers(a.port)
    elif a.probe == "P5":
        r = short_body(a.port)
    else:
        r = memory_flood(a.port, a.pid)
    r["probe"] = a.probe
    print(json.dumps(r))


if __name__ == "__main__":
    main()
