"""Sanity checks for the PolicyBot data files in this folder.

    python tests/data_checks.py

Checks:
  regions.toml  - parses with tomllib; every region has name/level/parent/aliases;
                  level is one of 国家/省/市/区县; no name or alias is used twice
                  (also across regions, and case-insensitively for Latin text);
                  every parent exists; exactly 34 province-level divisions.
  userdict.txt  - every line is "word freq tag" with an integer freq; no duplicate words;
                  every Chinese region name/alias of 2+ characters is present.
  glossary.toml - parses; has [english] and [synonyms] tables of str -> list[str];
                  English keys are lower-case.
Exits non-zero on the first failed assertion; prints counts otherwise.
"""

from __future__ import annotations

import collections
import re
import sys
import tomllib
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent / "knowledge" / "data"
LEVELS = ("国家", "省", "市", "区县")
HAN = re.compile(r"[\u3400-\u9fff]")


def check_regions(path: Path) -> list[dict]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"region"}, f"unexpected top-level keys: {set(data)}"
    regions = data["region"]
    owner: dict[str, str] = {}
    for r in regions:
        assert set(r) == {"name", "level", "parent", "aliases"}, f"bad keys in {r.get('name')}: {set(r)}"
        assert isinstance(r["name"], str) and r["name"], r
        assert r["level"] in LEVELS, f"{r['name']}: bad level {r['level']!r}"
        assert isinstance(r["parent"], str), r["name"]
        assert isinstance(r["aliases"], list) and all(isinstance(a, str) and a.strip() == a and a for a in r["aliases"]), r["name"]
        for term in [r["name"], *r["aliases"]]:
            key = term if HAN.search(term) else term.casefold()
            assert key not in owner, (
                f"name/alias {term!r} of {r['name']} already used by {owner[key]}"
                if owner.get(key) != r["name"]
                else f"{term!r} repeated inside {r['name']}"
            )
            owner[key] = r["name"]
    names = {r["name"] for r in regions}
    for r in regions:
        assert r["parent"] == "" or r["parent"] in names, f"{r['name']}: unknown parent {r['parent']!r}"
        assert r["parent"] != r["name"], r["name"]
    by_name = {r["name"]: r for r in regions}
    # no cycles, and parent level is above child level
    for r in regions:
        seen, cur = set(), r
        while cur["parent"]:
            assert cur["name"] not in seen, f"cycle at {r['name']}"
            seen.add(cur["name"])
            par = by_name[cur["parent"]]
            assert LEVELS.index(par["level"]) < LEVELS.index(cur["level"]), f"{cur['name']} under {par['name']}"
            cur = par
    provinces = [r for r in regions if r["level"] == "省"]
    assert len(provinces) == 34, f"expected 34 province-level divisions, got {len(provinces)}"
    assert all(r["parent"] == "" for r in provinces), 'province-level divisions must have parent ""'
    assert by_name["南京市"]["aliases"].count("宁") == 1, "宁 must be an alias of 南京市"
    return regions


def check_userdict(path: Path, regions: list[dict]) -> list[tuple[str, int, str]]:
    rows, seen = [], set()
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        parts = line.split(" ")
        assert len(parts) == 3, f"userdict line {n}: expected 3 fields: {line!r}"
        word, freq, tag = parts
        assert word and tag, f"userdict line {n}: {line!r}"
        assert freq.isdigit() and int(freq) > 0, f"userdict line {n}: freq not a positive integer: {line!r}"
        assert re.fullmatch(r"[a-z]+", tag), f"userdict line {n}: bad tag {tag!r}"
        assert word not in seen, f"userdict line {n}: duplicate word {word!r}"
        seen.add(word)
        rows.append((word, int(freq), tag))
    missing = [t for r in regions for t in [r["name"], *r["aliases"]] if HAN.search(t) and len(t) >= 2 and " " not in t and t not in seen]
    assert not missing, f"region terms missing from userdict: {missing[:20]}"
    return rows


def check_glossary(path: Path) -> dict:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    assert set(data) == {"english", "synonyms"}, f"unexpected tables: {set(data)}"
    for table in ("english", "synonyms"):
        for k, v in data[table].items():
            assert isinstance(v, list) and v and all(isinstance(x, str) and x for x in v), f"[{table}] {k!r}"
            assert len(set(v)) == len(v), f"[{table}] {k!r} has repeated values"
    for k in data["english"]:
        assert k == k.lower() and k.strip() == k, f"[english] key not lower-case/trimmed: {k!r}"
    return data


def main() -> int:
    regions = check_regions(HERE / "regions.toml")
    levels = collections.Counter(r["level"] for r in regions)
    n_alias = sum(len(r["aliases"]) for r in regions)
    print(f"regions.toml : {len(regions)} regions ({', '.join(f'{lv} {levels[lv]}' for lv in LEVELS)}), {n_alias} aliases")
    rows = check_userdict(HERE / "userdict.txt", regions)
    tags = collections.Counter(t for _, _, t in rows)
    print(f"userdict.txt : {len(rows)} entries (tags: {dict(tags.most_common())})")
    g = check_glossary(HERE / "glossary.toml")
    print(f"glossary.toml: {len(g['english'])} english entries, {len(g['synonyms'])} synonym entries")
    print("OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())
