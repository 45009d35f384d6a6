"""A local Meilisearch stand-in at the HTTP boundary: it records every request and answers
with the engine's own recorded responses (``../shared/meilisearch/responses``), filled in
with our documents where a response carries documents.

It is deliberately dumb: it stores documents and counts facet values, but does not rank, and
of the filters it applies only ``id IN [...]`` and ``id NOT IN [...]`` (so merchandising's
restricted searches can be followed end to end). The adapter's *requests* are what the
contract tests check. With ``match_words`` it also matches ``q`` word by word (a word is in a
document when its title, subtitle or tags hold it), following ``matchingStrategy``: ``all``
keeps the documents with every word, ``last`` those with the first word, more of the
leading words first (the engine's words rule), so a relaxed search can be followed too.
"""

from __future__ import annotations

import copy
import hashlib
import hmac
import json
import threading
from collections import Counter
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from tests.meili.shared import recorded

# The engine's error shape (as in the recorded errors) for a key that does not exist; no
# recorded response carries this code, so only the code and message are ours.
KEY_NOT_FOUND = {
    "code": "api_key_not_found",
    "type": "invalid_request",
    "link": "https://docs.meilisearch.com/errors#api_key_not_found",
}


@dataclass
class Recorded:
    method: str
    path: str
    query: str
    headers: dict[str, str]
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


@dataclass
class StubState:
    requests: list[Recorded] = field(default_factory=list)
    indexes: dict[str, dict[str, dict[str, Any]]] = field(default_factory=dict)
    tasks: dict[int, tuple[str, str | None]] = field(default_factory=dict)  # uid -> (type, index)
    keys: dict[str, dict[str, Any]] = field(default_factory=dict)  # uid -> KeyView
    fail_tasks: bool = False
    next_task: int = 100
    # Each index's updatedAt, stamped by every write as the engine does in the same write.
    updated: dict[str, str] = field(default_factory=dict)
    match_words: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)

    def touch(self, index: str) -> None:
        self.updated[index] = f"2026-08-10T12:00:00.{self.next_task:06d}Z"


class MeiliStub:
    """Start with ``with MeiliStub() as stub:``; ``stub.url`` is its base URL."""

    def __init__(self, match_words: bool = False) -> None:
        self.state = StubState(match_words=match_words)
        state = self.state

        class Handler(_Handler):
            stub_state = state

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        # Polled every 10 ms for shutdown (the default half second was each test's teardown).
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True)

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> MeiliStub:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()

    def requests(self, method: str | None = None, path: str | None = None) -> list[Recorded]:
        return [
            r
            for r in self.state.requests
            if (method is None or r.method == method) and (path is None or r.path == path)
        ]


class _Handler(BaseHTTPRequestHandler):
    stub_state: StubState

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _record(self) -> Recorded:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        parts = urlsplit(self.path)
        request = Recorded(
            self.command,
            parts.path,
            parts.query,
            {k.lower(): v for k, v in self.headers.items()},
            body,
        )
        with self.stub_state.lock:
            self.stub_state.requests.append(request)
        return request

    def _send(self, status: int, payload: Any) -> None:
        data = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _task(self, kind: str, index: str | None) -> None:
        state = self.stub_state
        with state.lock:
            uid = state.next_task
            state.next_task += 1
            state.tasks[uid] = (kind, index)
            if index is not None:
                state.touch(index)
        body = recorded("task-enqueued.json")
        body.update(taskUid=uid, indexUid=index, type=kind)
        self._send(202, body)

    def do_GET(self) -> None:
        request = self._record()
        parts = request.path.strip("/").split("/")
        state = self.stub_state
        if parts == ["health"]:
            self._send(200, recorded("health.json"))
        elif parts[0] == "keys" and len(parts) == 2:
            if parts[1] in state.keys:
                self._send(200, state.keys[parts[1]])
            else:
                self._send(404, KEY_NOT_FOUND | {"message": f"API key `{parts[1]}` not found."})
        elif parts[0] == "tasks" and len(parts) == 2:
            kind, index = state.tasks.get(int(parts[1]), ("documentAdditionOrUpdate", None))
            name = (
                "task-failed-documents.json"
                if state.fail_tasks
                else ("task-succeeded-documents.json")
            )
            body = recorded(name)
            body.update(uid=int(parts[1]), indexUid=index, type=kind)
            self._send(200, body)
        elif parts[0] == "indexes" and len(parts) == 2:
            if parts[1] in state.indexes:
                self._send(
                    200,
                    {
                        "uid": parts[1],
                        "primaryKey": "id",
                        "createdAt": "2026-08-10T12:00:00Z",
                        "updatedAt": state.updated.get(parts[1], "2026-08-10T12:00:00Z"),
                    },
                )
            else:
                error = recorded("error-index-not-found.json")
                error["message"] = f"Index `{parts[1]}` not found."
                self._send(404, error)
        elif parts[0] == "indexes" and parts[2:] == ["stats"]:
            body = recorded("stats.json")
            body["numberOfDocuments"] = len(state.indexes.get(parts[1], {}))
            self._send(200, body)
        else:
            self._send(404, recorded("error-index-not-found.json"))

    def do_POST(self) -> None:
        request = self._record()
        parts = request.path.strip("/").split("/")
        state = self.stub_state
        body = request.json()
        if parts == ["indexes"]:
            state.indexes.setdefault(body["uid"], {})
            self._task("indexCreation", body["uid"])
        elif parts[0] == "indexes" and parts[2:] == ["documents"]:
            docs = state.indexes.setdefault(parts[1], {})
            for doc in body:
                docs[doc["id"]] = doc
            self._task("documentAdditionOrUpdate", parts[1])
        elif parts[0] == "indexes" and parts[2:] == ["documents", "delete-batch"]:
            for doc_id in body:
                state.indexes.get(parts[1], {}).pop(doc_id, None)
            self._task("documentDeletion", parts[1])
        elif parts == ["swap-indexes"]:
            for swap in body:
                a, b = swap["indexes"]
                state.indexes[a], state.indexes[b] = (
                    state.indexes.get(b, {}),
                    state.indexes.get(a, {}),
                )
                # A swap exchanges the indexes' contents and stamps alike.
                state.updated[a], state.updated[b] = (
                    state.updated.get(b, ""),
                    state.updated.get(a, ""),
                )
            self._task("indexSwap", None)
        elif parts == ["multi-search"]:
            self._send(200, {"results": [self._search(q) for q in body["queries"]]})
        elif parts == ["keys"]:
            master = request.headers.get("authorization", "").removeprefix("Bearer ")
            # Meilisearch derives a key from its uid and the master key.
            key = hmac.new(master.encode(), body["uid"].encode(), hashlib.sha256).hexdigest()
            view = {
                "name": body.get("name"),
                "description": body.get("description"),
                "key": key,
                "uid": body["uid"],
                "actions": body["actions"],
                "indexes": body["indexes"],
                "expiresAt": body["expiresAt"],
                "createdAt": "2026-08-10T12:00:00Z",
                "updatedAt": "2026-08-10T12:00:00Z",
            }
            with state.lock:
                state.keys[body["uid"]] = view
            self._send(201, view)
        else:
            self._send(404, recorded("error-index-not-found.json"))

    def do_PATCH(self) -> None:
        request = self._record()
        parts = request.path.strip("/").split("/")
        self.stub_state.indexes.setdefault(parts[1], {})
        self._task("settingsUpdate", parts[1])

    def do_DELETE(self) -> None:
        request = self._record()
        parts = request.path.strip("/").split("/")
        self.stub_state.indexes.pop(parts[1], None)
        self._task("indexDeletion", parts[1])

    def _search(self, query: dict[str, Any]) -> dict[str, Any]:
        """The recorded page-mode envelope (or offset mode for limit queries), our documents."""
        docs = list(self.stub_state.indexes.get(query["indexUid"], {}).values())
        for condition in query.get("filter") or []:
            if isinstance(condition, str) and condition.startswith("id IN ["):
                wanted = set(json.loads(condition[len("id IN ") :]))
                docs = [d for d in docs if d["id"] in wanted]
            elif isinstance(condition, str) and condition.startswith("id NOT IN ["):
                unwanted = set(json.loads(condition[len("id NOT IN ") :]))
                docs = [d for d in docs if d["id"] not in unwanted]
        if self.stub_state.match_words and query.get("q"):
            docs = _matching(docs, query["q"], query.get("matchingStrategy", "last"))
        if "limit" in query:
            result = copy.deepcopy(recorded("search-offset-mode.json"))
            result.update(limit=query["limit"], offset=0, estimatedTotalHits=len(docs), hits=[])
        else:
            result = copy.deepcopy(recorded("search-page-mode.json"))
            per_page, page = query.get("hitsPerPage", 20), query.get("page", 1)
            start = (page - 1) * per_page
            hits = [dict(d) for d in docs[start : start + per_page]]
            for hit in hits:
                if "attributesToHighlight" in query:
                    hit["_formatted"] = {k: hit[k] for k in query["attributesToHighlight"]}
            result.update(
                hits=hits,
                hitsPerPage=per_page,
                page=page,
                totalHits=len(docs),
                totalPages=-(-len(docs) // per_page) if per_page else 0,
            )
        result["query"] = query.get("q", "")
        result["indexUid"] = query["indexUid"]
        if query.get("facets"):
            result["facetDistribution"] = {
                f: dict(
                    Counter(
                        str(v).lower() if isinstance(v, bool) else str(v)
                        for d in docs
                        for v in _values(d.get(f))
                    )
                )
                for f in query["facets"]
            }
            result["facetStats"] = {}
        return result


def _matching(docs: list[dict[str, Any]], q: str, strategy: str) -> list[dict[str, Any]]:
    words = q.lower().replace('"', " ").split()

    def leading(doc: dict[str, Any]) -> int:
        text = " ".join([doc["title"], doc["subtitle"], *doc["tags"]]).lower().split()
        count = 0
        while count < len(words) and words[count] in text:
            count += 1
        return count

    if strategy == "all":
        return [d for d in docs if leading(d) == len(words)]
    return sorted((d for d in docs if leading(d)), key=lambda d: -leading(d))


def _values(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]
