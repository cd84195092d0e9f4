"""Section alignment: which section of OLD became which section of NEW.

Alignment is by content, so it survives renumbering and edits and works for any two
documents (a law and its amendment, a central text and a local one):

1. every unit is reduced to its body (the printed num removed, NFKC-folded, cross-references
   masked) and to character trigrams; an inverted index gives each new unit its candidate
   old units with a Dice similarity (a long text is first cut at units whose body is found once
   on each side, and candidates per unit are bounded: see COMMON_POSTINGS);
2. the order-preserving chain of pairs with the greatest total similarity (a maximum-weight
   increasing subsequence, O(P log P) over P candidate pairs) gives the pairs in place:
   unchanged, renumbered or modified;
3. what is left is paired greedily at a stricter threshold: moved;
4. an unpaired unit whose text lies inside a neighbour's partner is part of a split or merge;
5. the rest is added or removed.

Numbers break ties (`--by number` aligns by number alone).
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import overload

from scdocs.document.model import Section
from scdocs.document.numerals import CHINESE_NUMERAL_CHARS as CN
from scdocs.document.numerals import chinese_to_int, int_to_chinese

MATCH_THRESHOLD = 0.35  # in-place pairs
MOVE_THRESHOLD = 0.5  # out-of-order pairs must be more alike
CONTAIN_THRESHOLD = 0.6  # share of a fragment's trigrams found in the whole, for splits and merges
RESIDUAL_THRESHOLD = 0.25  # share of a fragment's trigrams in what a split or merge's whole adds to its partner
CANDIDATE_THRESHOLD = min(MATCH_THRESHOLD, CONTAIN_THRESHOLD / 2)  # pairs kept for any of the three
XREF = re.compile(rf"第([{CN}0-9]+)条")
SPACE = re.compile(r"\s+")


@dataclass
class Link:
    """One aligned pair of units (either side may be None), before text diffs and themes."""

    old: int | None
    new: int | None
    status: str
    similarity: float
    group: int | None = None  # split/merge group number


#: A pair of aligned sections at this similarity or more shares its text (what `compare` counts).
SHARED_SIMILARITY = 0.5
#: Below this share of both documents' sections aligned at SHARED_SIMILARITY, two documents are
#: probably not versions of one text: the corpus's seven revision pairs share 0.33–0.97 of their
#: sections, two different laws or two cities' credit regulations 0.00–0.17.
RELATED_MIN = 0.2


def shared_share(links: Sequence[Link], n_old: int, n_new: int, threshold: float = SHARED_SIMILARITY) -> float:
    """Share of both documents' sections that the alignment pairs at `threshold` or more. Counting
    sections on both sides (not links) keeps splits and merges from counting twice, and makes a long
    document that contains a short one score by how much of both is shared."""
    if not n_old and not n_new:
        return 1.0
    paired = [lk for lk in links if lk.old is not None and lk.new is not None and lk.similarity >= threshold]
    return (len({lk.old for lk in paired}) + len({lk.new for lk in paired})) / (n_old + n_new)


def unrelated_warning(links: Sequence[Link], n_old: int, n_new: int) -> str | None:
    """Why two documents look like two texts rather than two versions of one (see RELATED_MIN), or
    None. `diff` warns with it and `annotate migrate` refuses on it."""
    share = shared_share(links, n_old, n_new)
    if max(n_old, n_new) < 3 or share >= RELATED_MIN:
        return None
    return (f"only {share:.0%} of the two documents' sections align with similarity {SHARED_SIMILARITY} or more: "
            "they may not be versions of one text")


def body(section: Section) -> str:
    """The text of a unit without its printed num, for comparing content across renumbering."""
    return strip_num(section.text, section.num)


def strip_num(text: str, num: str | None) -> str:
    if num and text.startswith(num):
        text = text[len(num):]
    return text.strip(" \u3000\t\n")


def fold(text: str) -> str:
    """Content for similarity: width-folded, whitespace-free, cross-references masked."""
    text = unicodedata.normalize("NFKC", text)
    text = XREF.sub("第#条", text)
    return SPACE.sub("", text)


def grams(text: str, n: int = 3) -> Counter[str]:
    if len(text) < n:
        return Counter([text]) if text else Counter()
    return Counter(text[i: i + n] for i in range(len(text) - n + 1))


@lru_cache(maxsize=50_000)
def unit_grams(text: str, num: str | None) -> Counter[str]:
    """Trigrams of a unit's folded body, cached: comparing many documents pairwise meets each unit
    once per pair. The Counter is shared: callers must not change it."""
    return grams(fold(strip_num(text, num)))


def dice(a: Counter[str], b: Counter[str]) -> float:
    total = sum(a.values()) + sum(b.values())
    if not total:
        return 1.0
    common = sum((a & b).values())
    return 2 * common / total


def containment(part: Counter[str], whole: Counter[str]) -> float:
    size = sum(part.values())
    return sum((part & whole).values()) / size if size else 0.0


#: Long texts (more units than this on a side) are aligned in bounded time and memory: a trigram
#: found in more old units than this is too common to find candidates by (a thousand articles of one
#: template share most of theirs), and each new unit is compared with at most NEAREST old units that
#: share its rarer trigrams plus the WINDOW units either side of its place in order. Shorter texts
#: compare every pair that shares a trigram, as always.
COMMON_POSTINGS = 300
NEAREST = 20
WINDOW = 20
#: The fixed points of a long text are used when they pair at least this share of the shorter side.
ANCHORED_SHARE = 0.5


def candidates(old: list[Counter[str]], new: list[Counter[str]], threshold: float) -> dict[tuple[int, int], float]:
    """Dice similarity of every (old, new) pair that shares trigrams and reaches `threshold`.

    Bounded for long texts of look-alike units: trigrams of more than COMMON_POSTINGS old units do not
    make candidates; a pair is compared when it shares a rarer trigram or lies within WINDOW units of
    the diagonal (where a long run of template articles pairs up), at most NEAREST + 2 × WINDOW + 1
    pairs per new unit: time and memory grow with the number of units, not with its square."""
    index: dict[str, list[tuple[int, int]]] = {}
    for i, g in enumerate(old):
        for gram, count in g.items():
            index.setdefault(gram, []).append((i, count))
    common_grams = {gram for gram, postings in index.items() if len(postings) > COMMON_POSTINGS}
    sizes_old = [sum(g.values()) for g in old]
    empty_old = [i for i, size in enumerate(sizes_old) if not size]
    out: dict[tuple[int, int], float] = {}
    for j, g in enumerate(new):
        if not g:  # a unit with no body (a bare 第五条) shares no trigram, but is like another empty one
            out.update({(i, j): dice(old[i], g) for i in empty_old})
            continue
        common: dict[int, int] = {}
        for gram, count in g.items():
            if gram in common_grams:
                continue
            for i, c in index.get(gram, ()):
                common[i] = common.get(i, 0) + min(c, count)
        size = sum(g.values())
        if common_grams:  # the shared counts above leave the common trigrams out: count each pair whole
            at = j * len(old) // max(len(new), 1)
            near = range(max(0, at - WINDOW), min(len(old), at + WINDOW + 1))
            best = heapq.nlargest(NEAREST, common, key=common.__getitem__)
            common = {i: _shared(old[i], g) for i in (*best, *near)}
        for i, c in common.items():
            sim = 2 * c / (sizes_old[i] + size) if sizes_old[i] + size else 0.0
            if sim >= threshold:
                out[(i, j)] = sim
    return out


def _shared(a: Counter[str], b: Counter[str]) -> int:
    """The trigrams two units share, counted as `dice` counts them."""
    if len(a) > len(b):
        a, b = b, a
    get = b.get
    return sum(min(c, get(gram, 0)) for gram, c in a.items())


def _anchors(old: Sequence[str], new: Sequence[str]) -> list[tuple[int, int]]:
    """Pairs of units with the same body found once on each side, the longest run of them in order on
    both sides: the fixed points between which a long text is aligned piece by piece."""
    seen: dict[str, int] = {}
    for i, k in enumerate(old):
        seen[k] = -1 if k in seen else i
    once_old = {k: i for k, i in seen.items() if i >= 0}
    seen = {}
    for j, k in enumerate(new):
        seen[k] = -1 if k in seen else j
    pairs = [(once_old[k], j) for k, j in seen.items() if j >= 0 and k in once_old]
    pairs.sort(key=lambda p: p[1])
    # longest increasing subsequence of the old positions (patience sorting)
    tails: list[int] = []
    tail_at: list[int] = []
    back = [-1] * len(pairs)
    for at, (i, _) in enumerate(pairs):
        rank = bisect_left(tails, i)
        if rank == len(tails):
            tails.append(i)
            tail_at.append(at)
        else:
            tails[rank], tail_at[rank] = i, at
        back[at] = tail_at[rank - 1] if rank else -1
    out = []
    at = tail_at[-1] if tail_at else -1
    while at != -1:
        out.append(pairs[at])
        at = back[at]
    return out[::-1]


def best_chain(pairs: dict[tuple[int, int], float], n_new: int,
               same_number: Callable[[int, int], bool] | None = None) -> list[tuple[int, int]]:
    """The increasing chain of pairs (i and j both strictly rising) with the greatest total weight.
    Ties go to pairs whose units bear the same number (`same_number`), else to pairs on the diagonal."""
    tree = [(0.0, -1)] * (n_new + 1)  # Fenwick tree of (best total, pair index) over new positions

    def query(j: int) -> tuple[float, int]:  # best over new positions < j
        best = (0.0, -1)
        while j > 0:
            best = max(best, tree[j])
            j -= j & -j
        return best

    def update(j: int, value: tuple[float, int]) -> None:
        j += 1
        while j <= n_new:
            tree[j] = max(tree[j], value)
            j += j & -j

    items = sorted(pairs.items(), key=lambda kv: (kv[0][0], kv[0][1]))
    # Numbers as a tiebreak: a tiny bonus for pairs on the diagonal.
    tie = same_number or (lambda i, j: i == j)
    scores = [w + (1e-6 if tie(i, j) else 0.0) for (i, j), w in items]
    back = [-1] * len(items)
    totals = [0.0] * len(items)
    k = 0
    while k < len(items):
        i = items[k][0][0]
        group = []
        while k < len(items) and items[k][0][0] == i:
            group.append(k)
            k += 1
        results = []
        for g in group:  # query all pairs of this old unit before any update: one pair per old unit
            prev_total, prev = query(items[g][0][1])
            results.append((g, prev_total + scores[g], prev))
        for g, total, prev in results:
            totals[g], back[g] = total, prev
            update(items[g][0][1], (total, g))
    if not items:
        return []
    end = max(range(len(items)), key=lambda g: totals[g])
    chain = []
    while end != -1:
        chain.append(items[end][0])
        end = back[end]
    return chain[::-1]


def _same_number(old: Sequence[Section], new: Sequence[Section]) -> Callable[[int, int], bool]:
    """Whether old unit i and new unit j bear the same printed number: among units of the same text
    (look-alikes), the one that kept its number is the likelier partner; a number is only a tiebreak."""
    return lambda i, j: old[i].num is not None and old[i].num == new[j].num


def status_of(a: Section, b: Section, xref_map: dict[int, int]) -> tuple[str, bool]:
    """(status, references-only) of an in-place pair."""
    ba, bb = body(a), body(b)
    renumbered = a.number != b.number
    if ba == bb:
        return ("renumbered" if renumbered else "unchanged"), False
    if xref_map and remap_references(ba, xref_map) == bb:
        return ("renumbered" if renumbered else "unchanged"), True
    return "modified", False


def remap_references(text: str, mapping: dict[int, int]) -> str:
    """Rewrite 第N条 references with the new numbers of the articles they point to."""
    def sub(m: re.Match[str]) -> str:
        try:
            n = chinese_to_int(m.group(1))
        except ValueError:
            return m.group(0)
        if n not in mapping:
            return m.group(0)
        new = mapping[n]
        digits = m.group(1).isdigit()
        return f"第{new if digits else int_to_chinese(new)}条"

    return XREF.sub(sub, text)


def align(old: Sequence[Section], new: Sequence[Section], by: str = "content") -> tuple[list[Link], dict[int, bool]]:
    """Pair the units of two documents. Returns the links in reading order and, per link index,
    whether a pair differs only in cross-references to renumbered articles."""
    if by == "number":
        return _align_by_number(old, new)
    g_old: Sequence[Counter[str]]
    g_new: Sequence[Counter[str]]
    if max(len(old), len(new)) > COMMON_POSTINGS:  # trigrams only of the units that need them
        g_old, g_new = _Grams(old), _Grams(new)
        sims, chain = _long_alignment(old, new, g_old, g_new)
    else:
        g_old = [unit_grams(s.text, s.num) for s in old]
        g_new = [unit_grams(s.text, s.num) for s in new]
        sims = candidates(g_old, g_new, CANDIDATE_THRESHOLD)
        chain = best_chain({k: v for k, v in sims.items() if v >= MATCH_THRESHOLD}, len(new), _same_number(old, new))
    used_old = {i for i, _ in chain}
    used_new = {j for _, j in chain}
    links: list[Link] = [Link(i, j, "", sims[(i, j)]) for i, j in chain]
    # Moves: the most alike remaining pairs, each unit used once.
    for (i, j), sim in sorted(sims.items(), key=lambda kv: -kv[1]):
        if sim >= MOVE_THRESHOLD and i not in used_old and j not in used_new:
            links.append(Link(i, j, "moved", sim))
            used_old.add(i)
            used_new.add(j)
    _pair_grown(links, old, new, g_old, g_new, used_old, used_new)
    partner_of_new = {lk.new: lk for lk in links if lk.new is not None}
    partner_of_old = {lk.old: lk for lk in links if lk.old is not None}
    # Splits: an unpaired new unit beside a paired one, whose text lies inside that pair's old unit;
    # merges: the same with old and new swapped.
    group = _join_fragments(links, g_new, g_old, used_new, partner_of_new, "split", 0)
    _join_fragments(links, g_old, g_new, used_old, partner_of_old, "merged", group)
    links += [Link(i, None, "removed", 0.0) for i in range(len(old)) if i not in used_old]
    links += [Link(None, j, "added", 0.0) for j in range(len(new)) if j not in used_new]
    # Statuses of in-place pairs, with cross-references remapped through the alignment.
    xref_map: dict[int, int] = {}
    for lk in links:
        if lk.old is not None and lk.new is not None:
            a, b = old[lk.old], new[lk.new]
            if a.kind == "article" and a.number is not None and b.number is not None:
                xref_map[a.number] = b.number
    refs_only: dict[int, bool] = {}
    for lk in links:
        if lk.status == "" and lk.old is not None and lk.new is not None:
            lk.status, only = status_of(old[lk.old], new[lk.new], xref_map)
            if only:
                refs_only[id(lk)] = True
    ordered = _reading_order(links)
    return ordered, {k: refs_only.get(id(lk), False) for k, lk in enumerate(ordered)}


class _Grams(Sequence[Counter[str]]):
    """The trigrams of units, made when asked for: a long text aligned between fixed points needs
    those of the few units between them, not of all (a Counter per unit is some kilobytes)."""

    def __init__(self, units: Sequence[Section]) -> None:
        self.units = units

    def __len__(self) -> int:
        return len(self.units)

    @overload
    def __getitem__(self, k: int) -> Counter[str]: ...
    @overload
    def __getitem__(self, k: slice) -> list[Counter[str]]: ...

    def __getitem__(self, k: int | slice) -> Counter[str] | list[Counter[str]]:
        if isinstance(k, slice):
            return [unit_grams(s.text, s.num) for s in self.units[k]]
        s = self.units[k]
        return unit_grams(s.text, s.num)


def _long_alignment(old: Sequence[Section], new: Sequence[Section], g_old: Sequence[Counter[str]],
                    g_new: Sequence[Counter[str]]) -> tuple[dict[tuple[int, int], float], list[tuple[int, int]]]:
    """Candidate pairs and the in-place chain of a long text, piece by piece: units with the same body
    found once on each side are fixed points (in order on both sides); each stretch between two is
    aligned as a short text would be; the units left over are then compared with each other, so a
    unit moved far away is still found."""
    keys_old = [fold(strip_num(s.text, s.num)) for s in old]
    keys_new = [fold(strip_num(s.text, s.num)) for s in new]
    anchors = _anchors(keys_old, keys_new)
    if len(anchors) < ANCHORED_SHARE * min(len(old), len(new)):
        # Few fixed points say little about the order (one unchanged article moved far, every other one
        # edited): one of them would pin everything around it. Align the whole, bounded as it is.
        anchors = []
    sims: dict[tuple[int, int], float] = {}
    chain: list[tuple[int, int]] = []
    for (a, c), (b, d) in zip([(-1, -1), *anchors], [*anchors, (len(old), len(new))], strict=True):
        o0, n0 = a + 1, c + 1
        part = candidates(list(g_old[o0:b]), list(g_new[n0:d]), CANDIDATE_THRESHOLD)
        sims.update({(i + o0, j + n0): v for (i, j), v in part.items()})
        chain += [(i + o0, j + n0) for i, j in best_chain({k: v for k, v in part.items() if v >= MATCH_THRESHOLD},
                                                           d - n0, _same_number(old[o0:b], new[n0:d]))]
        if b < len(old):
            sims[(b, d)] = dice(g_old[b], g_new[d])
            chain.append((b, d))
    paired_old, paired_new = {i for i, _ in chain}, {j for _, j in chain}
    rest_old = [i for i in range(len(old)) if i not in paired_old]
    rest_new = [j for j in range(len(new)) if j not in paired_new]
    rest = candidates([g_old[i] for i in rest_old], [g_new[j] for j in rest_new], CANDIDATE_THRESHOLD)
    for (i, j), v in rest.items():
        sims.setdefault((rest_old[i], rest_new[j]), v)
    return sims, chain


#: Share of the shorter unit's trigrams found in the longer for a grown or shortened unit to pair
#: in its place (第二条 kept word for word with a new paragraph after it is modified, not replaced).
GROWN_THRESHOLD = 0.8


def _pair_grown(links: list[Link], old: Sequence[Section], new: Sequence[Section], g_old: Sequence[Counter[str]],
                g_new: Sequence[Counter[str]], used_old: set[int], used_new: set[int]) -> None:
    """Pair an unpaired old unit with the unpaired new unit in its place (between the same paired
    neighbours) where one holds nearly all of the other's text: a short article that gained a
    paragraph, or lost one, is far from its other version by Dice similarity, yet the same article."""
    new_of_old = {lk.old: lk.new for lk in links if lk.old is not None and lk.new is not None}
    old_of_new = {v: k for k, v in new_of_old.items()}
    for i in range(len(old)):
        if i in used_old:
            continue
        # the new unit in i's place: after the partner of i's predecessor, or before its successor's
        j = new_of_old[i - 1] + 1 if i - 1 in new_of_old else 0 if i == 0 else None
        if j is None and i + 1 in new_of_old:
            j = new_of_old[i + 1] - 1
        if j is None or not 0 <= j < len(new) or j in used_new or old[i].kind != new[j].kind:
            continue
        a, b = g_old[i], g_new[j]
        shorter, longer = (a, b) if sum(a.values()) <= sum(b.values()) else (b, a)
        if containment(shorter, longer) >= GROWN_THRESHOLD:
            links.append(Link(i, j, "", dice(a, b)))
            used_old.add(i)
            used_new.add(j)
            new_of_old[i], old_of_new[j] = j, i


def _join_fragments(links: list[Link], fragments: Sequence[Counter[str]], wholes: Sequence[Counter[str]],
                    used: set[int], partner_of: dict[int, Link], status: str, group: int) -> int:
    """Attach each unpaired fragment to a neighbour's pair when its text lies inside that pair's
    other side. `status` "split" reads fragments on the new side, "merged" on the old side."""
    for k in range(len(fragments)):
        if k in used:
            continue
        for nb in (k - 1, k + 1):
            link = partner_of.get(nb)
            whole = None if link is None else link.old if status == "split" else link.new
            if link is None or whole is None or containment(fragments[k], wholes[whole]) < CONTAIN_THRESHOLD:
                continue
            # The fragment's words must be in what the whole has beyond its partner: among look-alike
            # articles a removed one is contained in its neighbour's new version too, but adds nothing to it.
            if containment(fragments[k], wholes[whole] - fragments[nb]) < RESIDUAL_THRESHOLD:
                continue
            if link.group is None:
                group += 1
                link.group = group
            link.status = status
            sim = dice(wholes[whole], fragments[k])
            links.append(Link(whole, k, status, sim, link.group) if status == "split"
                         else Link(k, whole, status, sim, link.group))
            used.add(k)
            break
    return group


def _reading_order(links: list[Link]) -> list[Link]:
    """New-document order; a removed unit comes right after the new partner of its old predecessor."""
    pos_of_old: dict[int, float] = {}
    for lk in links:
        if lk.old is not None and lk.new is not None:
            pos_of_old[lk.old] = max(pos_of_old.get(lk.old, -1.0), float(lk.new))

    def key(lk: Link) -> tuple[float, float]:
        if lk.new is not None:
            return (float(lk.new), float(lk.old if lk.old is not None else -1))
        assert lk.old is not None
        before = [pos for i, pos in pos_of_old.items() if i < lk.old]
        anchor = max(before) if before else -1.0
        return (anchor + 0.5, float(lk.old))

    return sorted(links, key=key)


def _number_keys(units: Sequence[Section]) -> dict[tuple[str, int], int]:
    """Each unit by its printed number (第四条之一 is not 第四条; widths and spaces folded) and the
    how-manieth unit of that number it is: a duplicated number, or items whose numbering restarts per
    part, pair in order, and no unit is left out of the pairing."""
    keys: dict[tuple[str, int], int] = {}
    seen: dict[str, int] = {}
    for i, s in enumerate(units):
        num = SPACE.sub("", unicodedata.normalize("NFKC", s.num)) if s.num else s.eid
        seen[num] = seen.get(num, -1) + 1
        keys[(num, seen[num])] = i
    return keys


def _align_by_number(old: Sequence[Section], new: Sequence[Section]) -> tuple[list[Link], dict[int, bool]]:
    by_old, by_new = _number_keys(old), _number_keys(new)
    links = []
    for number, i in by_old.items():
        j = by_new.get(number)
        if j is None:
            links.append(Link(i, None, "removed", 0.0))
            continue
        sim = dice(grams(fold(body(old[i]))), grams(fold(body(new[j]))))
        status = "unchanged" if body(old[i]) == body(new[j]) else "modified"
        links.append(Link(i, j, status, sim))
    links += [Link(None, j, "added", 0.0) for n, j in by_new.items() if n not in by_old]
    ordered = _reading_order(links)
    return ordered, dict.fromkeys(range(len(ordered)), False)
