"""powkit: a Jupyter teaching kit on the law of prisoners of war.

One module per idea, each importable on its own so that a notebook pays only for what it uses:

- ``powkit.convention``  the treaty texts and citations (``cite("GCIII 13(2)")``)
- ``powkit.browser``     the ConventionBrowser widget
- ``powkit.quiz``        question banks, their validation, the Quiz and Scenario widgets
- ``powkit.progress``    a learner's saved answers
- ``powkit.data``        the sourced datasets of reported captures and repatriations
- ``powkit.charts``      charts of those datasets, with sources and text descriptions
- ``powkit.grading``     friendly checks for the exercises
"""

__version__ = "0.1.0"
