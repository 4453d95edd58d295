"""The ``check`` job as library steps (:mod:`eduint._job`), without the command line.

Issue 12 turns these steps into ``eduint.run``; here they must give what the CLI
gives: the rule set the data names, the reports and their provenance, and user
mistakes as :class:`~eduint._job.JobError` with the CLI's message.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from eduint import _job
from eduint._resources import bundled_examples
from eduint.engine.evaluator import evaluate

BAOSHAN = next(p for p in bundled_examples() if p.stem == "baoshan-2018")


def test_the_data_names_its_rule_set_and_every_county_is_evaluated() -> None:
    """Without --rules, the rule set the data names is used; the report equals a
    direct evaluation and the provenance names the bundled file and both hashes."""
    notes: list[str] = []
    job = _job.prepare(_job.Data(BAOSHAN, BAOSHAN.name), None, notify=notes.append)
    assert job.rules.ruleset.id == "chengxiang_yitihua_2018"
    assert notes == []
    (one,) = _job.evaluate_all(job, as_of=None)
    assert one.report == evaluate(job.rules.ruleset, job.loads[0].county)
    assert one.provenance.rules_file == "bundled:chengxiang-yitihua-2018.rules"
    assert one.provenance.data_file == BAOSHAN.name
    assert one.provenance.data_sha256 == job.loads[0].sha256
    assert one.provenance.rules_sha256 == job.rules.sha256


def test_rules_given_win_with_a_note() -> None:
    """A rule set given explicitly is used, with a note naming the data's own."""
    notes: list[str] = []
    rules = _job.find_rules("jiben-junheng-2012")
    job = _job.prepare(
        _job.Data(BAOSHAN, BAOSHAN.name),
        rules,
        rules_name="jiben-junheng-2012",
        notify=notes.append,
    )
    assert job.rules is rules
    assert notes == [
        "说明：采用命令行指定的规则集 jiben-junheng-2012；数据文件指定的是 chengxiang_yitihua_2018"
    ]


def test_user_mistakes_are_job_errors(tmp_path: Path) -> None:
    """An unknown rule set, rules that do not check and data naming no rule set are
    JobErrors whose text is the message the CLI prints."""
    with pytest.raises(_job.JobError, match=r"^error: --rules nope: no such rule file"):
        _job.find_rules("nope")
    bad = tmp_path / "bad.rules"
    bad.write_text('rule r "r" {\n  require studnets >= 1 人\n}\n', encoding="utf-8")
    with pytest.raises(_job.JobError, match="E101") as info:
        _job.read_rules(bad)
    assert str(info.value).endswith(f"error: {bad}: the rules do not check; nothing was evaluated")
    data = tmp_path / "county.yaml"
    data.write_text("name: 某县\n", encoding="utf-8")
    with pytest.raises(_job.JobError, match=r"^error: x\.yaml: no rule set"):
        _job.prepare(_job.Data(data, "x.yaml"), None, notify=print)
