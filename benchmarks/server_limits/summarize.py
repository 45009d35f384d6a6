#!/usr/bin/env python3
"""Render results/*.json as a compact markdown table."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))
RES = os.environ.get("RESULTS_DIR", os.path.join(HERE, "results"))
SETUPS = ["uvicorn-httptools", "uvicorn-h11", "granian-default", "granian-tuned", "hypercorn"]


def load(s, p):
    try:
        with open(os.path.join(RES, f"{s}.{p}.json")) as f:
            return json.load(f)
    except FileNotFoundError:
        return None


def status(r):
    return (r.get("status_line") or "no response").replace("HTTP/1.1 ", "")


def cell_big(r):
    if r is None:
        return "n/a"
    st = status(r)
    end = r["conn_end"]
    if end == "still open":
        closed = "conn open after +10 s"
    else:
        ca = r.get("close_after_response_s")
        closed = f"{end} at {r['t_conn_end']}s" + (
            f" (+{ca}s after resp)" if ca is not None else ""
        )
    sent = f"{r['bytes_sent'] // 1024} KiB sent"
    if r.get("send_error"):
        sent += f", {r['send_error']}"
    return f"{st}; {closed}; {sent}"


def cell_wait(r):
    if r is None:
        return "n/a"
    st = status(r)
    if r["conn_end"] == "still open":
        return f"{st}; open at 30 s"
    extra = (
        f" ({r['header_lines_sent_after_host']} lines sent)"
        if "header_lines_sent_after_host" in r
        else ""
    )
    return f"{st}; {r['conn_end']} at {r['t_conn_end']}s{extra}"


def cell_mem(r):
    if r is None:
        return "n/a"
    if "probe_failed" in r:
        return "probe failed"
    outc = "; ".join(f"{v}x {k}" for k, v in r["outcomes (status / conn end)"].items())
    return (
        f"idle {r['idle_worker_rss_MiB']} MiB, peak {r['peak_worker_rss_MiB']} MiB, "
        f"held {r['held_worker_rss_MiB']} MiB, after close {r['after_close_worker_rss_MiB']} MiB; "
        f"{r['total_bytes_sent_MiB']} MiB accepted by socket; {outc}"
    )


def main():
    print(
        "| setup | P1 100 KB header | P2 8 MB header | P3 partial headers | P4 1 header/s | "
        "P5 short body | P6 16x16 MB unfinished header (worker RSS) |"
    )
    print("|---|---|---|---|---|---|---|")
    for s in SETUPS:
        r = {p: load(s, p) for p in ["P1", "P2", "P3", "P4", "P5", "P6"]}
        print(
            f"| {s} | {cell_big(r['P1'])} | {cell_big(r['P2'])} | {cell_wait(r['P3'])} | "
            f"{cell_wait(r['P4'])} | {cell_wait(r['P5'])} | {cell_mem(r['P6'])} |"
        )
        dead = [p for p, x in r.items() if x and not x.get("server_alive_after_probe", True)]
        if dead:
            print(f"|  ^ server process died after: {', '.join(dead)} | | | | | | |")


if __name__ == "__main__":
    main()
