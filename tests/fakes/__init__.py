"""Loopback fakes for provider tests and benchmarks: LLM wire protocols and a fake `claude` CLI."""
