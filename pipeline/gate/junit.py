"""JUnit XML for CI test reporters: one test case per gate rule and system.

A failed required rule is a ``<failure>``; a failed advisory rule is ``<skipped>`` with the reason
(JUnit has no "warning", and skipped is what reporters show as neither green nor red).
"""

from __future__ import annotations

import re

from junitparser import Failure, JUnitXml, Skipped, TestCase, TestSuite

from .evaluate import FAIL, WARN, GateResult

# Characters XML 1.0 cannot carry; a translation may hold them.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _clean(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def render_junit(result: GateResult, suite_name: str = "mtqa gate") -> str:
    suite = TestSuite(suite_name)
    for o in result.outcomes:
        name = o.rule if o.system is None else f"{o.rule} [{o.system}]"
        case = TestCase(_clean(name), classname=f"mtqa.gate.{o.kind}", time=0.0)
        if o.status == FAIL:
            case.result = [Failure(_clean(o.message), type_=o.kind)]
        elif o.status == WARN:
            case.result = [Skipped(_clean(f"advisory rule failed: {o.message}"), type_="advisory")]
        case.system_out = _clean(o.message)
        suite.add_testcase(case)
    xml = JUnitXml("mtqa")
    xml.add_testsuite(suite)
    xml.update_statistics()
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + xml.tostring().decode("utf-8") + "\n"
