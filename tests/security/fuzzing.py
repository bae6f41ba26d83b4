"""A property-based run over the real server's OpenAPI schema (schemathesis + Hypothesis).

Every operation gets positive cases (that fit the schema) and negative ones (that do not); each is
sent over HTTP with a real token to a server on a loopback port. A case fails when the server answers
5xx, or answers a documented status with a body its schema does not allow. Path parameters are drawn
from real ids (a finished conversation, its job and members) as often as from generated strings, so
the success paths are exercised too, not only the 404s.

Failures are collected, not raised, so one bad operation does not stop the run and Hypothesis does
not spend the budget shrinking.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

CHECKS = [not_a_server_error, response_schema_conformance]


@dataclass
class Failure:
    operation: str
    status: int
    error: str
    request: str


@dataclass
class FuzzReport:
    cases: int = 0
    failures: list[Failure] = field(default_factory=list)
    statuses: dict[int, int] = field(default_factory=dict)
    seconds: float = 0.0

    def summary(self) -> str:
        lines = [f"{self.cases} cases in {self.seconds:.1f} s, {len(self.failures)} failures"]
        lines += [f"  {f.operation} -> {f.status}: {f.error}\n    {f.request}" for f in self.failures[:20]]
        return "\n".join(lines)


def operations(base_url: str) -> Iterator[Any]:
    schema = schemathesis.openapi.from_url(f"{base_url}/openapi.json")
    for result in schema.get_all_operations():
        yield result.ok()  # type: ignore[union-attr]  # an invalid schema raises here, as it should


def _with_real_ids(case_strategy: Any, ids: dict[str, list[str]], share: int) -> Any:
    """Cases whose path parameters are, `share` times in four, ids that exist."""

    @st.composite
    def draw(data: st.DrawFn) -> Any:
        case = data(case_strategy)
        for name in list(case.path_parameters or {}):
            if ids.get(name) and data(st.integers(0, 3)) < share:
                case.path_parameters[name] = data(st.sampled_from(ids[name]))
        return case

    return draw()


def fuzz_operation(
    operation: Any,
    base_url: str,
    token: str,
    ids: dict[str, list[str]],
    max_examples: int,
    report: FuzzReport,
    *,
    seed: int | None = None,
) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}
    label = f"{operation.method.upper()} {operation.path}"
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
        share = 3 if mode is GenerationMode.POSITIVE else 1
        strategy = _with_real_ids(operation.as_strategy(generation_mode=mode), ids, share)

        @settings(
            max_examples=max_examples,
            deadline=None,
            database=None,
            derandomize=seed is not None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        @given(case=strategy)
        def run(case: Any) -> None:
            response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
            report.cases += 1
            report.statuses[response.status_code] = report.statuses.get(response.status_code, 0) + 1
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (AssertionError, BaseExceptionGroup) as error:  # a group of every failed check
                report.failures.append(
                    Failure(label, response.status_code, str(error)[:2000], case.as_curl_command(headers))
                )

        try:
            run()
        except Unsatisfiable:  # nothing in this operation can be made invalid (a path of strings)
            continue
        except Exception as error:  # a generation problem: record it, carry on with the next one
            report.failures.append(Failure(label, 0, f"{type(error).__name__}: {error}"[:2000], ""))
    session.close()


def fuzz(
    base_url: str,
    token: str,
    ids: dict[str, list[str]],
    max_examples: int,
    *,
    skip: frozenset[str] = frozenset(),
    seed: int | None = None,
) -> FuzzReport:
    report = FuzzReport()
    started = time.monotonic()
    for operation in operations(base_url):
        if f"{operation.method.upper()} {operation.path}" in skip:
            continue
        # A deleted conversation would leave nothing for the operations after it to read.
        own_ids = {} if operation.method.upper() == "DELETE" else ids
        fuzz_operation(operation, base_url, token, own_ids, max_examples, report, seed=seed)
    report.seconds = time.monotonic() - started
    return report
