"""The diff bounded in time: two unrelated 300,000-character single-article texts go through
`scdocs diff` in a few seconds. Exact diff-match-patch on them ran for minutes (its time grows
with the square of the characters that differ); the character diff now falls back to a
sentence-level diff when the texts differ that much (scdocs/changes/text.py).

The texts are generated here from a seeded word list (nothing from the corpus is checked in):
the same vocabulary, so the section aligner pairs the two articles as 'modified' and the
character diff must run on them. Before the fallback, this test ran past its 30 s timeout.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from hostile.conftest import TIMEOUT, Run

# Plain procedural words with few theme cues: tagging a 300,000-character section full of cues is
# slow on its own (see the report of issue 14), and this test is about the diff.
WORDS = re.findall(r"\S+", "本 规定 适用 于 区域 内 的 活动 工作 单位 组织 开展 事项 办理 程序 时间 地点 文件 "
                   "材料 提交 审查 决定 通知 送达 日期 起 日 月 年 由 负责 办法 执行 期间 范围 条件 方式 "
                   "内容 说明 情况 结果 及时 书面 形式 申请 受理 期限 延长 次 名称 地址 变更 登记 手续 费用 "
                   "收取 标准 格式")
SIZE = 300_000


def _prose(seed: int, size: int = SIZE) -> str:
    """Regulation-like sentences from WORDS, `size` characters, different for each seed."""
    rng = random.Random(seed)
    parts: list[str] = []
    total = 0
    while total < size:
        sentence = "".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))) + rng.choice("，。；。")
        parts.append(sentence)
        total += len(sentence)
    return "".join(parts)[:size]


def _article(path: Path, title: str, body: str) -> Path:
    path.write_text(f"{title}\n第一条　{body}\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["unrelated", "shuffled"])
def test_two_unrelated_300k_articles_diff_in_bounded_time(scdocs: Callable[..., Run], tmp_path: Path,
                                                          kind: str) -> None:
    old = _prose(1)
    if kind == "unrelated":
        new = _prose(2)
    else:  # the same sentences in another order: what made exact diff-match-patch run longest
        sentences = [s + "。" for s in old.split("。")]
        random.Random(3).shuffle(sentences)
        new = "".join(sentences)[:SIZE]
    a = _article(tmp_path / "a.txt", "甲条例", old)
    b = _article(tmp_path / "b.txt", "乙条例", new)
    start = time.perf_counter()
    run = scdocs("diff", a, b, "--format", "json", "--output", tmp_path / "diff.json")
    took = time.perf_counter() - start
    run.assert_ok()
    assert took < TIMEOUT / 2, f"{took:.1f} s"
    assert (tmp_path / "diff.json").stat().st_size > 0
