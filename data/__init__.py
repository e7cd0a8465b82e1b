"""The kit's content, shipped inside the distribution as the resource package ``powkit.content``.

This folder holds data, not code: treaty texts, question banks, scenarios, case files, decision
trees, datasets and the course's table of contents. The build (``pyproject.toml``) maps it into
the installed package, and ``powkit.resources`` finds it there with ``importlib.resources``.
This file only marks the folder as that package; keep it empty of code.
"""
