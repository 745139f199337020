"""人物与机构: who the paper names, in what post, and which organisations.

- :mod:`~pinghu_core.people.rules` — the word lists of ``data/people_rules.toml`` (surnames, post
  titles, where a name ends, organisation suffixes), compiled once per content.
- :mod:`~pinghu_core.people.directory` — ``data/people.toml``: names, aliases, posts with dates,
  organisations (a malformed edit keeps the last good file and says why, by line, in Chinese).
- :mod:`~pinghu_core.people.extract` — one text → the people and organisations it names, with
  offsets (pure functions over strings).
- :mod:`~pinghu_core.people.tables` — the frames: mentions per article, the summary table, one
  person's timeline, co-appearances, sentences (KWIC), suggested additions to people.toml, the
  stored result.
- :mod:`~pinghu_core.people.charts` — the timeline and the co-appearance network (pure Plotly).

Rules and limits: docs/PEOPLE.md.
"""
