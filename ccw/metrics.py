"""The metrics catalogue, as the app computes it: MetricFlow's SQL for dbt's metrics.

Every rate is defined once, in the dbt project (models/marts/metrics/_metrics.yml): a
ratio of counts the marts carry, or an expression of such ratios. dbt writes them to
``semantic_manifest.json``; the publish step keeps that file in the snapshot beside the
marts it describes (``main.semantic_manifest``). :class:`Catalogue` hands a request
(metrics, group by, filters) to MetricFlow, which writes the SQL, and the app runs it
on the snapshot: a tile is what ``mf query`` returns for the same period and filters.
Nothing here knows which counts make which metric.
"""

from __future__ import annotations

import json
import math
import re
import threading
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

import pandas as pd


@dataclass(frozen=True)
class MetricDefinition:
    name: str
    label: str
    description: str
    kind: str  # simple, ratio or derived
    formula: str  # in the catalogue's own terms, e.g. "resolved_calls / resolution_observed_calls"
    model: str  # the semantic model (mart) whose counts it sums; "" for a derived metric
    inputs: tuple[str, ...] = ()  # a ratio's numerator and denominator; a derived one's metrics
    aggregation: str = ""  # a simple metric's: how its measure adds up (sum, count_distinct...)


class _RenderOnlySqlClient:
    """What MetricFlow needs to write DuckDB SQL; the app runs the SQL itself."""

    def __init__(self) -> None:
        from metricflow.protocols.sql_client import SqlEngine
        from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer

        self.sql_engine_type = SqlEngine.DUCKDB
        self.sql_plan_renderer = DuckDbSqlPlanRenderer()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"

    def close(self) -> None:
        pass


def _relations_in(content: dict[str, Any], database: str) -> dict[str, Any]:
    """The manifest with every table read from ``database`` (the snapshot's catalog)."""
    relations = [model["node_relation"] for model in content["semantic_models"]]
    spines = content["project_configuration"]["time_spines"]
    relations += [spine["node_relation"] for spine in spines]
    for relation in relations:
        relation["database"] = database
        relation["relation_name"] = (
            f'"{database}"."{relation["schema_name"]}"."{relation["alias"]}"'
        )
    return content


class Catalogue:
    """The metric definitions of one semantic manifest, and the SQL of any request."""

    def __init__(self, semantic_manifest: str, database: str) -> None:
        self._content = _relations_in(json.loads(semantic_manifest), database)
        self._lock = threading.Lock()

    @cached_property
    def _engine(self):
        from metricflow.engine.metricflow_engine import MetricFlowEngine
        from metricflow_semantics.model.dbt_manifest_parser import (
            parse_manifest_from_dbt_generated_manifest,
        )
        from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup

        manifest = parse_manifest_from_dbt_generated_manifest(json.dumps(self._content))
        return MetricFlowEngine(SemanticManifestLookup(manifest), _RenderOnlySqlClient())

    @cached_property
    def definitions(self) -> dict[str, MetricDefinition]:
        """Every metric, by name, in the manifest's order."""
        measures, aggregations = {}, {}  # each measure's semantic model, and its agg
        for semantic_model in self._content["semantic_models"]:
            for measure in semantic_model["measures"]:
                measures[measure["name"]] = semantic_model["name"]
                aggregations[measure["name"]] = measure["agg"]
        definitions = {}
        for metric in self._content["metrics"]:
            params = metric["type_params"]
            kind = metric["type"]
            aggregation = ""
            if kind == "ratio":
                inputs = (params["numerator"]["name"], params["denominator"]["name"])
                formula = " / ".join(inputs)
                model = measures.get(inputs[0], "")
            elif kind == "derived":
                inputs = tuple(input_metric["name"] for input_metric in params["metrics"])
                formula, model = params["expr"], ""
            else:
                measure = params["measure"]["name"]
                aggregation = aggregations[measure]
                inputs, model = (), measures.get(measure, "")
                formula = f"{aggregation.replace('_', ' ')} of {measure}"
            definitions[metric["name"]] = MetricDefinition(
                metric["name"],
                metric.get("label") or metric["name"],
                " ".join((metric.get("description") or "").split()),
                kind,
                formula,
                model,
                inputs,
                aggregation,
            )
        return definitions

    def ratio_counts(self, metric: str) -> tuple[str, str]:
        """The numerator and denominator counts of a ratio metric."""
        definition = self.definitions[metric]
        if definition.kind != "ratio":
            raise ValueError(f"{metric} is a {definition.kind} metric, not a ratio")
        numerator, denominator = definition.inputs
        return numerator, denominator

    def counts(self, metric: str) -> tuple[str, ...]:
        """Every count a ratio metric, or a derived metric of ratios, divides."""
        definition = self.definitions[metric]
        if definition.kind == "derived":
            inputs = (self.counts(name) for name in definition.inputs)
            return tuple(dict.fromkeys(count for counts in inputs for count in counts))
        return self.ratio_counts(metric)

    def sample_count(self, metric: str) -> str:
        """The count a metric's sample is: a ratio's denominator (for a derived metric,
        that of its first ratio: NPS's responses)."""
        definition = self.definitions[metric]
        if definition.kind == "derived":
            return self.sample_count(definition.inputs[0])
        return self.ratio_counts(metric)[1]

    def rate(self, frame, metric: str):
        """A ratio metric over rows of a frame holding its (summed) counts: for
        breakdowns the semantic models do not have, such as intervals of a day. A
        derived metric is its expression of such ratios (NPS). `frame` may also be one
        row as a dict of numbers (the rate is then a number, NaN without a base)."""
        definition = self.definitions[metric]
        if definition.kind == "derived":
            values = {name: self.rate(frame, name) for name in definition.inputs}
            return pd.eval(definition.formula, local_dict=values, engine="python")
        numerator, denominator = self.ratio_counts(metric)
        counts = frame[denominator]
        if not isinstance(counts, pd.Series):
            return float(frame[numerator]) / counts if counts > 0 else math.nan
        return frame[numerator].astype(float) / counts.where(counts > 0)

    def sql(
        self,
        metrics: tuple[str, ...],
        group_by: tuple[str, ...] = (),
        where: tuple[str, ...] = (),
    ) -> str:
        """MetricFlow's SQL for the request (``where``: MetricFlow filter expressions).

        Planning a request takes MetricFlow 0.1 to 0.2 s, so each shape of request is
        planned once: the filters' text literals (dates, queue names; not the names
        inside a filter's {{ Dimension(...) }}) are planned as placeholders, then
        written into the SQL in their place. A plan that does not carry every
        placeholder through unchanged is not used: the request is then planned with
        its literals."""
        literals: list[str] = []

        def placeholder(match: re.Match) -> str:
            if match.group(0).startswith("{{"):
                return match.group(0)
            literals.append(match.group(0))
            return f"'{_PLACEHOLDER}{len(literals) - 1}'"

        shapes = tuple(_LITERAL.sub(placeholder, condition) for condition in where)
        template = _sql(self, tuple(metrics), tuple(group_by), shapes)
        filled = _with_literals(template, literals)
        return filled or _sql(self, tuple(metrics), tuple(group_by), tuple(where))

    def _explain(self, metrics, group_by, where) -> str:
        from metricflow.engine.metricflow_engine import MetricFlowQueryRequest

        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by) or None,
            where_constraints=list(where) or None,
        )
        with self._lock:  # MetricFlow's planner is not known to be thread-safe
            return self._engine.explain(request).sql_statement.sql


@lru_cache(maxsize=512)
def _sql(catalogue: Catalogue, metrics, group_by, where) -> str:
    return catalogue._explain(metrics, group_by, where)


# A filter's {{ ... }} (kept whole) or a SQL text literal ('' is a quote inside it).
_LITERAL = re.compile(r"\{\{.*?\}\}|'(?:[^']|'')*'", re.DOTALL)
_PLACEHOLDER = "ccw_literal_"
_PLACEHOLDERS = re.compile(rf"'{_PLACEHOLDER}(\d+)'")


def _with_literals(template: str, literals: list[str]) -> str | None:
    """The template's placeholders replaced by their literals, in one pass; None when
    the template lost one of them on the way (MetricFlow rewrote it)."""
    found = {int(index) for index in _PLACEHOLDERS.findall(template)}
    if found != set(range(len(literals))):
        return None
    return _PLACEHOLDERS.sub(lambda match: literals[int(match.group(1))], template)


def quoted(value: str) -> str:
    """A text literal for a MetricFlow filter."""
    return "'" + str(value).replace("'", "''") + "'"


def dimension(model: str, name: str) -> str:
    return "{{ Dimension('" + f"{model}__{name}" + "') }}"


def metric_time(grain: str = "day") -> str:
    return "{{ TimeDimension('metric_time', '" + grain + "') }}"


def one_of(model: str, name: str, values: tuple[str, ...]) -> str | None:
    """A filter keeping rows whose dimension is one of ``values`` (None: no filter)."""
    if not values:
        return None
    return f"{dimension(model, name)} in ({', '.join(quoted(value) for value in values)})"


def output_column(group_by: str) -> str:
    """The column MetricFlow names a group-by in its output."""
    return re.sub(r"[^a-z0-9_]", "_", group_by.lower())
