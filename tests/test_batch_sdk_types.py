"""The batch clients' state and result handling, fed with the installed SDKs' own types.

The loopback fake speaks JSON we wrote; these tests build the responses from the SDKs' models
(`openai.types.Batch`, `anthropic.types.messages.MessageBatch` and its result union,
`google.genai.types.BatchJob` / `JobState`), iterating over every status the type allows, so a
status renamed or added in an SDK release fails here instead of leaving a batch "pending" forever.
"""

from __future__ import annotations

import json
import typing
from types import SimpleNamespace
from typing import Any

import pytest
from pydantic import BaseModel

from resume_tui.providers.batch_api import batch_client
from resume_tui.providers.batch_api.base import CANCELLED, ENDED, EXPIRED, FAILED, FINAL_STATES, PENDING


class Verdict(BaseModel):
    label: str


def stub(**methods: Any) -> Any:
    """An SDK client whose methods return the given (real SDK) objects."""

    async def returns(value: Any, *args: Any, **kwargs: Any) -> Any:
        return value

    def tree(spec: dict[str, Any]) -> Any:
        return SimpleNamespace(**{k: tree(v) if isinstance(v, dict) else (lambda *a, _v=v, **k: returns(_v))
                                  for k, v in spec.items()})

    return tree(methods)


def with_client(family: str, client: Any) -> Any:
    batches = batch_client(family, "m", api_key="k", base_url="http://127.0.0.1:9")
    batches._client = client
    return batches


# ---------------------------------------------------------------------------------------------- OpenAI
OPENAI_FINAL = {"completed": ENDED, "expired": EXPIRED, "cancelled": CANCELLED, "failed": FAILED}


def openai_batch(status: str) -> Any:
    from openai.types import Batch

    return Batch.model_validate({
        "id": "batch_1", "object": "batch", "endpoint": "/v1/chat/completions", "input_file_id": "file-1",
        "completion_window": "24h", "created_at": 1, "status": status,
        "request_counts": {"total": 2, "completed": 1, "failed": 1},
        "errors": {"object": "list", "data": [{"code": "invalid", "message": "bad line 1"}]} if status == "failed" else None})


def test_openai_status_literal_is_what_we_map() -> None:
    from openai.types import Batch

    allowed = set(typing.get_args(Batch.model_fields["status"].annotation))
    assert set(OPENAI_FINAL) <= allowed  # every final state we rely on exists in the SDK
    # …and the ones we treat as "still working" are exactly the others
    assert allowed - set(OPENAI_FINAL) == {"validating", "in_progress", "finalizing", "cancelling"}


@pytest.mark.parametrize("status", typing.get_args(__import__("openai").types.Batch.model_fields["status"].annotation))
async def test_openai_poll_every_status(status: str) -> None:
    batches = with_client("openai", stub(batches={"retrieve": openai_batch(status)}))
    poll = await batches.poll("batch_1")
    assert poll.state == OPENAI_FINAL.get(status, PENDING)
    assert poll.counts == {"completed": 1, "failed": 1, "total": 2}
    if status == "failed":
        assert poll.message == "bad line 1"


def test_openai_wrong_status_cannot_be_built() -> None:
    """The guard on the guard: the SDK type rejects a status it does not know (so the tests above mean something)."""
    with pytest.raises(ValueError):
        openai_batch("canceled")  # Anthropic's spelling, not OpenAI's


def test_openai_output_line_from_a_chat_completion() -> None:
    from openai.types.chat import ChatCompletion

    completion = ChatCompletion.model_validate({
        "id": "c", "object": "chat.completion", "created": 1, "model": "m",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": '{"label": "x"}'}}],
        "usage": {"prompt_tokens": 5, "completion_tokens": 3, "total_tokens": 8}})
    batches = batch_client("openai", "m", api_key="k")
    line = json.loads(json.dumps({"custom_id": "r1", "response": {"status_code": 200, "body": completion.model_dump(
        mode="json")}, "error": None}))
    outcome = batches._line(line, {"r1": Verdict})
    assert outcome.value == Verdict(label="x") and outcome.usage.input_tokens == 5
    truncated = completion.model_copy(update={"choices": [completion.choices[0].model_copy(update={"finish_reason": "length"})]})
    line["response"]["body"] = truncated.model_dump(mode="json")
    assert "output token limit" in (batches._line(line, {"r1": Verdict}).error or "")


# ---------------------------------------------------------------------------------------------- Anthropic
def anthropic_batch(status: str, *, cancelled: bool = False, expired: int = 0) -> Any:
    from anthropic.types.messages import MessageBatch

    return MessageBatch.model_validate({
        "id": "msgbatch_1", "type": "message_batch", "processing_status": status,
        "request_counts": {"processing": 0 if status == "ended" else 2, "succeeded": 1, "errored": 0, "canceled": 0,
                           "expired": expired},
        "created_at": "2026-12-04T00:00:00Z", "expires_at": "2026-12-05T00:00:00Z",
        "cancel_initiated_at": "2026-12-04T00:01:00Z" if cancelled else None})


def test_anthropic_processing_status_literal() -> None:
    from anthropic.types.messages import MessageBatch

    assert set(typing.get_args(MessageBatch.model_fields["processing_status"].annotation)) == {
        "in_progress", "canceling", "ended"}


@pytest.mark.parametrize(("status", "cancelled", "expired", "want"), [
    ("in_progress", False, 0, PENDING), ("canceling", True, 0, PENDING), ("ended", False, 0, ENDED),
    ("ended", True, 0, CANCELLED), ("ended", False, 1, EXPIRED)])
async def test_anthropic_poll(status: str, cancelled: bool, expired: int, want: str) -> None:
    batches = with_client("anthropic", stub(messages={"batches": {"retrieve": anthropic_batch(
        status, cancelled=cancelled, expired=expired)}}))
    assert (await batches.poll("msgbatch_1")).state == want


def test_anthropic_every_result_type_is_handled() -> None:
    """One line per member of the SDK's MessageBatchResult union: only `succeeded` can carry a value."""
    from anthropic.types.messages import MessageBatchIndividualResponse, MessageBatchResult

    kinds = {typing.get_args(m.model_fields["type"].annotation)[0] for m in typing.get_args(
        typing.get_args(MessageBatchResult)[0])}
    assert kinds == {"succeeded", "errored", "canceled", "expired"}
    message = {"id": "m", "type": "message", "role": "assistant", "model": "m", "stop_reason": "end_turn",
               "stop_sequence": None, "content": [{"type": "text", "text": '{"label": "y"}'}],
               "usage": {"input_tokens": 4, "output_tokens": 2}}
    bodies = {"succeeded": {"type": "succeeded", "message": message},
              "errored": {"type": "errored", "error": {"type": "error", "error": {"type": "invalid_request_error",
                                                                                  "message": "too long"}}},
              "canceled": {"type": "canceled"}, "expired": {"type": "expired"}}
    batches = batch_client("anthropic", "m", api_key="k")
    for kind in kinds:
        line = MessageBatchIndividualResponse.model_validate({"custom_id": "r1", "result": bodies[kind]})
        outcome = batches._line(line, {"r1": Verdict})
        if kind == "succeeded":
            assert outcome.value == Verdict(label="y") and outcome.usage.output_tokens == 2
        else:
            assert outcome.value is None and outcome.error
    assert "expired" in (batches._line(MessageBatchIndividualResponse.model_validate(
        {"custom_id": "r1", "result": bodies["expired"]}), {"r1": Verdict}).error or "")


# ---------------------------------------------------------------------------------------------- Gemini
def test_gemini_states_are_job_states_and_cover_the_sdk_ended_list() -> None:
    from google.genai import types

    from resume_tui.providers.batch_api.gemini_batch import _STATES

    members = {s.value for s in types.JobState}
    assert set(_STATES) <= members  # no made-up name
    assert set(types.JOB_STATES_ENDED_VERTEX) <= set(_STATES)  # everything the SDK calls ended is final for us
    # the Gemini API's own wire names reach us as JobState through the SDK's transformer
    from google.genai import _transformers

    for wire in ("BATCH_STATE_SUCCEEDED", "BATCH_STATE_FAILED", "BATCH_STATE_CANCELLED", "BATCH_STATE_EXPIRED"):
        assert _transformers.t_job_state(wire) in _STATES
    assert _transformers.t_job_state("BATCH_STATE_RUNNING") not in _STATES


@pytest.mark.parametrize("state", [s.value for s in __import__("google.genai.types", fromlist=["JobState"]).JobState])
async def test_gemini_poll_every_job_state(state: str) -> None:
    from google.genai import types

    job = types.BatchJob(name="batches/1", state=types.JobState(state),
                         error=types.JobError(message="quota", code=8) if state == "JOB_STATE_FAILED" else None)
    batches = with_client("gemini", SimpleNamespace(aio=stub(batches={"get": job})))
    poll = await batches.poll("batches/1")
    want = {"JOB_STATE_SUCCEEDED": ENDED, "JOB_STATE_PARTIALLY_SUCCEEDED": ENDED, "JOB_STATE_EXPIRED": EXPIRED,
            "JOB_STATE_CANCELLED": CANCELLED, "JOB_STATE_FAILED": FAILED}.get(state, PENDING)
    assert poll.state == want and (poll.final == (want in FINAL_STATES))
    if state == "JOB_STATE_FAILED":
        assert poll.message == "quota"


async def test_gemini_inlined_responses_from_sdk_types() -> None:
    from google.genai import types

    ok = types.InlinedResponse(metadata={"key": "r1"}, response=types.GenerateContentResponse(
        candidates=[types.Candidate(content=types.Content(role="model", parts=[types.Part(text='{"label": "z"}')]),
                                    finish_reason=types.FinishReason.STOP)],
        usage_metadata=types.GenerateContentResponseUsageMetadata(prompt_token_count=7, candidates_token_count=1)))
    late = types.InlinedResponse(metadata={"key": "r2"}, error=types.JobError(code=4, message="ran out of time"))
    job = types.BatchJob(name="batches/1", state=types.JobState.JOB_STATE_EXPIRED,
                         dest=types.BatchJobDestination(inlined_responses=[ok, late]))
    batches = with_client("gemini", SimpleNamespace(aio=stub(batches={"get": job})))
    outcomes = {o.custom_id: o for o in await batches.results("batches/1", {"r1": Verdict, "r2": Verdict})}
    assert outcomes["r1"].value == Verdict(label="z") and outcomes["r1"].usage.input_tokens == 7
    assert outcomes["r2"].value is None and "expired" in (outcomes["r2"].error or "")
