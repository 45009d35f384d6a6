#!/usr/bin/env python3
"""Start each server setup (one at a time, fresh process per probe) on a free
loopback port, run probe.py against it, store JSON in results/.

Usage: venv/bin/python run_all.py [--setups a,b] [--probes P1,P2]
"""

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
VENV = os.path.join(HERE, "venv", "bin")
RES = os.environ.get("RESULTS_DIR", os.path.join(HERE, "results"))

SETUPS = {
    "uvicorn-httptools": lambda p: [
        f"{VENV}/uvicorn",
        "app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(p),
        "--http",
        "httptools",
    ],
    "uvicorn-h11": lambda p: [
        f"{VENV}/uvicorn",
        "app:app",
        "--host",
        "127.0.0.1",
        "--port",
        str(p),
        "--http",
        "h11",
    ],
    "granian-default": lambda p: [
        f"{VENV}/granian",
        "--interface",
        "asgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(p),
        "app:app",
    ],
    "granian-tuned": lambda p: [
        f"{VENV}/granian",
        "--interface",
        "asgi",
        "--host",
        "127.0.0.1",
        "--port",
        str(p),
        "--http1-header-read-timeout",
        "5000",
        "--http1-buffer-size",
        "65536",
        "app:app",
    ],
    "hypercorn": lambda p: [f"{VENV}/hypercorn", "-b", f"127.0.0.1:{p}", "app:app"],
}
PROBES = ["P1", "P2", "P3", "P4", "P5", "P6"]


def free_port():
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def ready(port, timeout=20):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                data = b""
                while True:
                    d = s.recv(4096)
                    if not d:
                        break
                    data += d
                if data.startswith(b"HTTP/1.1 200") and data.endswith(b"ok"):
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def stop(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)  # process group of the server we started
    except ProcessLookupError:
        return
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    time.sleep(0.5)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--setups", default=",".join(SETUPS))
    ap.add_argument("--probes", default=",".join(PROBES))
    a = ap.parse_args()
    os.makedirs(RES, exist_ok=True)
    for name in a.setups.split(","):
        for probe in a.probes.split(","):
            port = free_port()
            cmd = SETUPS[name](port)
            log = open(os.path.join(RES, f"{name}.{probe}.server.log"), "w")  # noqa: SIM115
            proc = subprocess.Popen(
                cmd, cwd=HERE, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
            try:
                if not ready(port):
                    print(f"[{name} {probe}] server not ready", file=sys.stderr)
                    continue
                time.sleep(1)
                print(
                    f"[{name} {probe}] port {port} pid {proc.pid} ...", file=sys.stderr, flush=True
                )
                t = time.monotonic()
                out = subprocess.run(
                    [
                        f"{VENV}/python",
                        "probe.py",
                        "--port",
                        str(port),
                        "--probe",
                        probe,
                        "--pid",
                        str(proc.pid),
                    ],
                    cwd=HERE,
                    capture_output=True,
                    text=True,
                    timeout=90,
                )
                try:
                    r = json.loads(out.stdout)
                except ValueError:
                    r = {"probe": probe, "probe_failed": out.stdout[-2000:] + out.stderr[-2000:]}
                r["server_alive_after_probe"] = proc.poll() is None
                r["setup"] = name
                r["cmd"] = " ".join(cmd)
                with open(os.path.join(RES, f"{name}.{probe}.json"), "w") as f:
                    json.dump(r, f, indent=1)
                print(
                    f"[{name} {probe}] done in {time.monotonic() - t:.1f}s",
                    file=sys.stderr,
                    flush=True,
                )
            finally:
                stop(proc)
                log.close()


if __name__ == "__main__":
    main()
