"""Contract tests of the batch clients against a loopback fake of the batch endpoints, through the real SDKs.

Each client must: submit every request (Anthropic in one create; OpenAI as one uploaded JSONL
file and one batch), read the state while pending and once ended, return a validated value per
succeeded request, and an error (never a value) for a request that failed, was cancelled or
expired — partial results are kept. Nothing here reaches beyond 127.0.0.1.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Literal

import pytest
from fakes.batch_server import BatchState, FakeBatchServer
from pydantic import BaseModel

from resume_tui.providers.base import LLMRequest, Message
from resume_tui.providers.batch_api import BatchItem, batch_client
from resume_tui.providers.batch_api.base import CANCELLED, ENDED, EXPIRED, PENDING


class Verdict(BaseModel):
    label: Literal["pos", "neg"]
    score: float = 0.0


def _answer(params: dict) -> str:
    """Echo which prompt this is, so a test can check every result went to its own request."""
    text = json.dumps(params.get("messages") or params.get("contents"))
    if "broken" in text:
        return "this is not JSON"
    return json.dumps({"label": "pos" if "good" in text else "neg", "score": 1.0})


@pytest.fixture
def fake() -> Iterator[FakeBatchServer]:
    with FakeBatchServer(BatchState(answer=_answer)) as srv:
        yield srv


def items(*prompts: str) -> list[BatchItem]:
    return [BatchItem(f"req-{n}", LLMRequest(task=f"t{n}", messages=(Message("system", "Judge."), Message("user", p)),
                                             schema=Verdict, max_output_tokens=100))
            for n, p in enumerate(prompts)]


def client(family: str, fake: FakeBatchServer):
    base = fake.url + "/v1" if family == "openai" else fake.url
    return batch_client(family, "m-batch", api_key="k-test", base_url=base, timeout_s=5.0)


FAMILIES = ["anthropic", "openai", "gemini"]


def local(remote: str) -> str:
    return remote.split("/")[-1]  # Gemini names a batch "batches/<id>"


@pytest.mark.parametrize("family", FAMILIES)
async def test_create_poll_and_results(family: str, fake: FakeBatchServer) -> None:
    fake.state.polls_to_finish = 2
    batches = client(family, fake)
    sent = items("a good one", "a bad one", "another good one")
    remote = await batches.submit(sent)
    assert len(fake.state.batches) == 1 and [cid for cid, _ in fake.state.batches[local(remote)].items] == ["req-0", "req-1", "req-2"]
    assert (await batches.poll(remote)).state == PENDING
    assert (await batches.poll(remote)).state == PENDING
    assert (await batches.poll(remote)).state == ENDED
    outcomes = {o.custom_id: o for o in await batches.results(remote, {i.custom_id: Verdict for i in sent})}
    assert {k: o.value.label for k, o in outcomes.items() if o.value} == {"req-0": "pos", "req-1": "neg", "req-2": "pos"}
    assert all(o.error is None and o.usage.input_tokens == 40 and o.usage.output_tokens == 12 for o in outcomes.values())
    # The request carried the structured-output schema an interactive call sends.
    params = fake.state.batches[local(remote)].items[0][1]
    if family == "gemini":
        assert params["generationConfig"]["responseMimeType"] == "application/json"
        assert "responseJsonSchema" in params["generationConfig"] and params["contents"][0]["role"] == "user"
    elif family == "anthropic":
        assert params["output_config"]["format"]["type"] == "json_schema" and params["system"] == "Judge."
        assert ("POST", "/v1/messages/batches") in fake.state.requests
    else:
        assert params["response_format"]["json_schema"]["name"] == "Verdict"
        assert ("POST", "/v1/files") in fake.state.requests and ("POST", "/v1/batches") in fake.state.requests
    await batches.aclose()


@pytest.mark.parametrize("family", FAMILIES)
async def test_some_requests_fail_and_bad_answers_are_not_values(family: str, fake: FakeBatchServer) -> None:
    fake.state.fail = {"req-1"}
    batches = client(family, fake)
    sent = items("good", "good too", "broken answer")
    remote = await batches.submit(sent)
    while not (await batches.poll(remote)).final:
        pass
    outcomes = {o.custom_id: o for o in await batches.results(remote, {i.custom_id: Verdict for i in sent})}
    assert outcomes["req-0"].value is not None
    assert outcomes["req-1"].value is None and "refused the request" in (outcomes["req-1"].error or "")
    assert outcomes["req-2"].value is None and "not valid JSON" in (outcomes["req-2"].error or "")
    await batches.aclose()


@pytest.mark.parametrize("family", FAMILIES)
async def test_cancel_keeps_what_finished(family: str, fake: FakeBatchServer) -> None:
    fake.state.polls_to_finish = 5
    fake.state.finish_before_end = 1
    batches = client(family, fake)
    sent = items("good", "good", "good")
    remote = await batches.submit(sent)
    assert (await batches.poll(remote)).state == PENDING
    await batches.cancel(remote)
    poll = await batches.poll(remote)
    assert poll.state == CANCELLED
    outcomes = {o.custom_id: o for o in await batches.results(remote, {i.custom_id: Verdict for i in sent})}
    assert outcomes["req-0"].value is not None
    assert [o.value for k, o in sorted(outcomes.items())][1:] == [None, None]
    assert all(o.error for k, o in outcomes.items() if k != "req-0")
    await batches.aclose()


@pytest.mark.parametrize("family", FAMILIES)
async def test_expiry_gives_partial_results(family: str, fake: FakeBatchServer) -> None:
    fake.state.expire = True
    fake.state.finish_before_end = 2
    batches = client(family, fake)
    sent = items("good", "bad", "good")
    remote = await batches.submit(sent)
    poll = await batches.poll(remote)
    while not poll.final:
        poll = await batches.poll(remote)
    assert poll.state == EXPIRED
    outcomes = {o.custom_id: o for o in await batches.results(remote, {i.custom_id: Verdict for i in sent})}
    assert outcomes["req-0"].value is not None and outcomes["req-1"].value is not None
    assert outcomes["req-2"].value is None and "expired" in (outcomes["req-2"].error or "")
    await batches.aclose()


@pytest.mark.parametrize("family", FAMILIES)
async def test_unknown_batch_is_one_provider_error(family: str, fake: FakeBatchServer) -> None:
    from resume_tui.providers.base import ProviderError

    batches = client(family, fake)
    with pytest.raises(ProviderError) as caught:
        await batches.poll({"anthropic": "msgbatch_404", "openai": "batch_404", "gemini": "batches/gbatch_404"}[family])
    assert "k-test" not in caught.value.message
    await batches.aclose()


async def test_anthropic_without_a_key_says_so() -> None:
    from resume_tui.providers.base import ErrorKind, ProviderError

    batches = batch_client("anthropic", "m", api_key=None, base_url="http://127.0.0.1:9")
    with pytest.raises(ProviderError) as caught:
        await batches.submit(items("x"))
    assert caught.value.kind == ErrorKind.AUTH
