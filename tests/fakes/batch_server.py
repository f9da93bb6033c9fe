"""A loopback server implementing the providers' batch endpoints (and their plain interactive calls),
for the real SDKs to talk to.

Anthropic Message Batches: POST /v1/messages/batches, GET …/{id}, POST …/{id}/cancel,
GET …/{id}/results (JSONL). OpenAI Batch API: POST /v1/files (multipart upload),
GET /v1/files/{id}/content, POST /v1/batches, GET /v1/batches/{id}, POST /v1/batches/{id}/cancel.

A batch stays "in progress" for `polls_to_finish` reads, then ends: every request is answered
through `answer(params)` (the same request body an interactive call would send) unless its
custom id is in `fail`, or the batch was cancelled or set to expire (then only the first
`finish_before_end` requests have answers — partial results). Every request is recorded, so a
test can check that nothing was submitted twice. State lives in `state`, which a test can keep
across server restarts (a batch survives the client, as at a real provider).

Listing (for reconciling a submission whose id never reached the client): GET /v1/messages/batches
(Anthropic, newest first, with real creation times), GET /v1/batches (OpenAI, with the batch's
`metadata`) and, with an `x-goog-api-key` header, GET /v1/batches (Gemini operations with their
`displayName`). `kill_on_create` = a pid makes the server accept the next create and then SIGKILL
that process before answering — the crash between the provider's accepting and our saving;
with `drop_create` the create is not kept either (the crash came before the request arrived).
"""

from __future__ import annotations

import json
import os
import re
import signal
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Batch:
    id: str
    protocol: str  # anthropic | openai
    items: list[tuple[str, dict[str, Any]]]  # (custom_id, params/body)
    reads: int = 0
    cancelled: bool = False
    ended: bool = False
    results: list[dict[str, Any]] = field(default_factory=list)
    label: str = ""  # OpenAI metadata value / Gemini displayName
    metadata: dict[str, str] | None = None
    created: float = field(default_factory=time.time)


@dataclass
class BatchState:
    answer: Callable[[dict[str, Any]], str] = lambda params: "{}"
    polls_to_finish: int = 1
    fail: set[str] = field(default_factory=set)  # custom ids answered with a per-request error
    fail_if: Callable[[dict[str, Any]], bool] = lambda params: False  # …or requests this says yes to
    interactive: list[dict[str, Any]] = field(default_factory=list)  # bodies of plain /messages, /chat calls
    expire: bool = False
    finish_before_end: int = 0  # with expire/cancel: how many requests were answered in time
    batches: dict[str, Batch] = field(default_factory=dict)
    kill_on_create: int | None = None  # a pid to SIGKILL right after a create arrives, before answering
    drop_create: bool = False  # …and forget that create (it never reached the provider)
    files: dict[str, bytes] = field(default_factory=dict)
    requests: list[tuple[str, str]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def creates(self) -> list[Batch]:
        return list(self.batches.values())


def _anthropic_message(text: str, model: str) -> dict[str, Any]:
    return {"id": "msg_b", "type": "message", "role": "assistant", "model": model,
            "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
            "usage": {"input_tokens": 40, "output_tokens": 12}}


def _openai_completion(text: str, model: str) -> dict[str, Any]:
    return {"id": "chatcmpl-b", "object": "chat.completion", "created": 1, "model": model,
            "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": text}}],
            "usage": {"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52}}


def _openai_sse(text: str, model: str) -> str:
    chunk = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": model}
    events = [dict(chunk, choices=[{"index": 0, "delta": {"role": "assistant", "content": text}, "finish_reason": None}]),
              dict(chunk, choices=[{"index": 0, "delta": {}, "finish_reason": "stop"}]),
              dict(chunk, choices=[], usage={"prompt_tokens": 40, "completion_tokens": 12, "total_tokens": 52})]
    return "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"


class _Killed(Exception):
    """The client was killed right after its create arrived."""


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:
        pass

    def _send(self, status: int, data: bytes, content_type: str = "application/json") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _json(self, obj: Any, status: int = 200) -> None:
        self._send(status, json.dumps(obj).encode())

    def _not_found(self) -> None:
        self._json({"type": "error", "error": {"type": "not_found_error", "message": "no such batch"}}, 404)

    # ------------------------------------------------------------------ routing
    def do_GET(self) -> None:  # noqa: N802
        st = self.server.state
        with st.lock:
            st.requests.append(("GET", self.path))
            path = self.path.split("?", 1)[0]
            newest = sorted(st.batches.values(), key=lambda b: b.created, reverse=True)
            if path == "/v1/messages/batches":
                data = [self._anthropic_batch(b) for b in newest if b.protocol == "anthropic"]
                return self._json({"data": data, "has_more": False, "first_id": data[0]["id"] if data else None,
                                   "last_id": data[-1]["id"] if data else None})
            if re.fullmatch(r"/v1\w*/batches", path) and self.headers.get("x-goog-api-key"):
                return self._json({"operations": [self._gemini_batch(b) for b in newest if b.protocol == "gemini"]})
            if path == "/v1/batches":
                data = [self._openai_batch(b) for b in newest if b.protocol == "openai"]
                return self._json({"object": "list", "data": data, "has_more": False,
                                   "first_id": data[0]["id"] if data else None, "last_id": data[-1]["id"] if data else None})
            if m := re.fullmatch(r"/v1/messages/batches/([\w-]+)", self.path):
                batch = st.batches.get(m[1])
                return self._json(self._anthropic_batch(self._read(batch))) if batch else self._not_found()
            if m := re.fullmatch(r"/v1/messages/batches/([\w-]+)/results", self.path):
                batch = st.batches.get(m[1])
                if batch is None or not batch.ended:
                    return self._not_found()
                lines = "".join(json.dumps(r) + "\n" for r in batch.results)
                return self._send(200, lines.encode(), "application/binary")
            if m := re.fullmatch(r"/v1\w*/batches/([\w-]+)", self.path):
                batch = st.batches.get(m[1])
                if batch is None:
                    return self._not_found()
                render = self._gemini_batch if batch.protocol == "gemini" else self._openai_batch
                return self._json(render(self._read(batch)))
            if m := re.fullmatch(r"/v1/files/([\w-]+)/content", self.path):
                data = st.files.get(m[1])
                return self._send(200, data, "application/octet-stream") if data is not None else self._not_found()
        self._not_found()

    def do_POST(self) -> None:  # noqa: N802
        try:
            self._post()
        except _Killed:
            self.close_connection = True  # the client is gone: no answer

    def _post(self) -> None:
        st = self.server.state
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        with st.lock:
            st.requests.append(("POST", self.path))
            if self.path == "/v1/messages/batches":
                body = json.loads(raw)
                batch = self._new(st, "anthropic", [(r["custom_id"], r["params"]) for r in body["requests"]])
                return self._json(self._anthropic_batch(batch))
            if self.path in ("/v1/messages", "/v1/chat/completions"):  # an interactive call, answered at once
                body = json.loads(raw)
                st.interactive.append(body)
                text, model = st.answer(body), body.get("model", "m")
                if body.get("stream"):  # OpenAI-compatible servers on this machine are streamed from
                    return self._send(200, _openai_sse(text, model).encode(), "text/event-stream")
                return self._json(_anthropic_message(text, model) if self.path == "/v1/messages"
                                  else _openai_completion(text, model))
            if self.path == "/v1/files":
                content = _multipart_file(raw, self.headers.get("Content-Type", ""))
                file_id = f"file-{len(st.files) + 1}"
                st.files[file_id] = content
                return self._json({"id": file_id, "object": "file", "bytes": len(content), "created_at": 1,
                                   "filename": "batch.jsonl", "purpose": "batch", "status": "processed"})
            if self.path == "/v1/batches":
                body = json.loads(raw)
                lines = [json.loads(line) for line in st.files[body["input_file_id"]].decode().splitlines() if line.strip()]
                batch = self._new(st, "openai", [(line["custom_id"], line["body"]) for line in lines],
                                  metadata=body.get("metadata"))
                return self._json(self._openai_batch(batch))
            if m := re.fullmatch(r"/v1\w*/models/([^/:]+):generateContent", self.path):  # interactive Gemini
                body = json.loads(raw)
                st.interactive.append(body)
                return self._json({"candidates": [{"content": {"role": "model", "parts": [{"text": st.answer(body)}]},
                                                   "finishReason": "STOP", "index": 0}],
                                   "usageMetadata": {"promptTokenCount": 40, "candidatesTokenCount": 12,
                                                     "totalTokenCount": 52}})
            if m := re.fullmatch(r"/v1\w*/models/([^/:]+):batchGenerateContent", self.path):
                body = json.loads(raw)
                requests = body["batch"]["inputConfig"]["requests"]["requests"]
                batch = self._new(st, "gemini", [((r.get("metadata") or {}).get("key", str(n)), r["request"])
                                                 for n, r in enumerate(requests)], label=body["batch"].get("displayName", ""))
                return self._json(self._gemini_batch(batch))
            if m := re.fullmatch(r"/v1\w*/batches/([\w-]+):cancel", self.path):
                batch = st.batches.get(m[1])
                if batch is None:
                    return self._not_found()
                batch.cancelled = True
                return self._json({})
            if m := re.fullmatch(r"/v1/(?:messages/)?batches/([\w-]+)/cancel", self.path):
                batch = st.batches.get(m[1])
                if batch is None:
                    return self._not_found()
                batch.cancelled = True
                render = self._anthropic_batch if batch.protocol == "anthropic" else self._openai_batch
                return self._json(render(batch))
        self._not_found()

    # ------------------------------------------------------------------ batches
    def _new(self, st: BatchState, protocol: str, items: list[tuple[str, dict[str, Any]]], *,
             metadata: dict[str, str] | None = None, label: str = "") -> Batch:
        prefix = {"anthropic": "msgbatch_", "openai": "batch_", "gemini": "gbatch_"}[protocol]
        batch = Batch(id=f"{prefix}{len(st.batches) + 1}", protocol=protocol, items=items, metadata=metadata, label=label)
        if st.kill_on_create is not None:  # the client dies before it hears the batch id
            pid, st.kill_on_create = st.kill_on_create, None
            if not st.drop_create:
                st.batches[batch.id] = batch
            os.kill(pid, signal.SIGKILL)
            raise _Killed

        st.batches[batch.id] = batch
        return batch

    def _read(self, batch: Batch | None) -> Batch | None:
        """A status read: after `polls_to_finish` of them (or a cancel) the batch ends and its results exist."""
        st = self.server.state
        if batch is None or batch.ended:
            return batch
        batch.reads += 1
        if batch.reads > st.polls_to_finish or batch.cancelled:
            batch.ended = True
            batch.results = [self._result(batch, n, cid, params) for n, (cid, params) in enumerate(batch.items)]
        return batch

    def _result(self, batch: Batch, n: int, custom_id: str, params: dict[str, Any]) -> dict[str, Any]:
        st = self.server.state
        cut_short = (batch.cancelled or st.expire) and n >= st.finish_before_end
        model = params.get("model", "m")
        if batch.protocol == "anthropic":
            if cut_short:
                return {"custom_id": custom_id, "result": {"type": "canceled" if batch.cancelled else "expired"}}
            if custom_id in st.fail or st.fail_if(params):
                return {"custom_id": custom_id, "result": {"type": "errored", "error": {"type": "error", "error": {
                    "type": "invalid_request_error", "message": "max_tokens: too large"}}}}
            return {"custom_id": custom_id, "result": {"type": "succeeded",
                                                       "message": _anthropic_message(st.answer(params), model)}}
        if batch.protocol == "gemini":
            meta = {"key": custom_id}
            if cut_short:
                return {"error": {"code": 4, "message": "the batch ended before this request ran"}, "metadata": meta}
            if custom_id in st.fail or st.fail_if(params):
                return {"error": {"code": 400, "message": "Invalid generation config"}, "metadata": meta}
            return {"response": {"candidates": [{"content": {"role": "model", "parts": [{"text": st.answer(params)}]},
                                                 "finishReason": "STOP", "index": 0}],
                                 "usageMetadata": {"promptTokenCount": 40, "candidatesTokenCount": 12,
                                                   "totalTokenCount": 52}}, "metadata": meta}
        if cut_short:
            return {"custom_id": custom_id, "response": None,
                    "error": {"code": "batch_expired" if not batch.cancelled else "batch_cancelled",
                              "message": "This request could not be executed before the batch ended."}}
        if custom_id in st.fail or st.fail_if(params):
            return {"custom_id": custom_id, "response": {"status_code": 400, "body": {"error": {
                "message": "Invalid 'max_completion_tokens'", "type": "invalid_request_error"}}}, "error": None}
        return {"custom_id": custom_id, "response": {"status_code": 200, "body": _openai_completion(st.answer(params), model)},
                "error": None}

    def _counts(self, batch: Batch) -> dict[str, int]:
        ok = sum(1 for r in batch.results if (r.get("result") or {}).get("type") == "succeeded"
                 or (r.get("response") or {}).get("status_code") == 200)
        return {"ok": ok, "bad": len(batch.results) - ok, "total": len(batch.items)}

    def _anthropic_batch(self, batch: Batch) -> dict[str, Any]:
        base = f"http://127.0.0.1:{self.server.server_address[1]}"
        c = self._counts(batch)
        kinds = [(r.get("result") or {}).get("type") for r in batch.results]
        return {"id": batch.id, "type": "message_batch",
                "processing_status": "ended" if batch.ended else ("canceling" if batch.cancelled else "in_progress"),
                "request_counts": {"processing": 0 if batch.ended else c["total"], "succeeded": c["ok"],
                                   "errored": kinds.count("errored"), "canceled": kinds.count("canceled"),
                                   "expired": kinds.count("expired")},
                "created_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(batch.created)),
                "expires_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(batch.created + 86400)), "archived_at": None,
                "cancel_initiated_at": "2026-12-04T00:01:00Z" if batch.cancelled else None,
                "ended_at": "2026-12-04T00:02:00Z" if batch.ended else None,
                "results_url": f"{base}/v1/messages/batches/{batch.id}/results" if batch.ended else None}

    def _gemini_batch(self, batch: Batch) -> dict[str, Any]:
        st = self.server.state
        state = "BATCH_STATE_RUNNING"
        if batch.ended:
            state = "BATCH_STATE_CANCELLED" if batch.cancelled else "BATCH_STATE_EXPIRED" if st.expire else "BATCH_STATE_SUCCEEDED"
        meta: dict[str, Any] = {"@type": "type.googleapis.com/google.ai.generativelanguage.v1main.GenerateContentBatch",
                                "name": f"batches/{batch.id}", "model": "models/m", "state": state,
                                "displayName": batch.label}
        if batch.ended:
            meta["output"] = {"inlinedResponses": {"inlinedResponses": batch.results}}
        return {"name": f"batches/{batch.id}", "metadata": meta}

    def _openai_batch(self, batch: Batch) -> dict[str, Any]:
        st = self.server.state
        c = self._counts(batch)
        status = "in_progress"
        output = error = None
        if batch.ended:
            status = "cancelled" if batch.cancelled else "expired" if st.expire else "completed"
            ok = [r for r in batch.results if (r.get("response") or {}).get("status_code") == 200]
            bad = [r for r in batch.results if r not in ok]
            if ok:
                output = f"file-out-{batch.id}"
                st.files[output] = "".join(json.dumps(r) + "\n" for r in ok).encode()
            if bad:
                error = f"file-err-{batch.id}"
                st.files[error] = "".join(json.dumps(r) + "\n" for r in bad).encode()
        elif batch.cancelled:
            status = "cancelling"
        return {"id": batch.id, "object": "batch", "endpoint": "/v1/chat/completions", "errors": None,
                "input_file_id": "file-1", "completion_window": "24h", "status": status, "created_at": int(batch.created),
                "metadata": batch.metadata,
                "output_file_id": output, "error_file_id": error,
                "request_counts": {"total": c["total"], "completed": c["ok"], "failed": c["bad"]}}


def _multipart_file(raw: bytes, content_type: str) -> bytes:
    """The `file` part of a multipart/form-data body."""
    boundary = content_type.split("boundary=", 1)[1].strip().strip('"').encode()
    for part in raw.split(b"--" + boundary):
        head, _, body = part.partition(b"\r\n\r\n")
        if b'name="file"' in head:
            return body.rsplit(b"\r\n", 1)[0]
    raise ValueError("no file part")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: BatchState


class FakeBatchServer:
    def __init__(self, state: BatchState | None = None, port: int = 0) -> None:
        self.httpd = _Server(("127.0.0.1", port), _Handler)
        self.httpd.state = state or BatchState()
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def state(self) -> BatchState:
        return self.httpd.state

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> FakeBatchServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
