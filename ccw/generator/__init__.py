"""A realistic generator of the four source exports (see docs/sources.md)."""

from ccw.generator.engine import GenerateRequest, GenerationSummary, generate

__all__ = ["GenerateRequest", "GenerationSummary", "generate"]
