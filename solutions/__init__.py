"""The exercises' check files, shipped inside the distribution as ``powkit.exercise_checks``.

This folder holds the solution notebooks (the instructor's copies) and, beside each, its check
file ``<exercise>.checks.yaml``. The build (``pyproject.toml``) ships only the check files, so
that ``powkit.grading.check`` works wherever an exercise runs, even where this folder is not.
This file only marks the folder as that package; keep it empty of code.
"""
