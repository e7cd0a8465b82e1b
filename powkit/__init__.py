"""powkit: a Jupyter teaching kit on the law of prisoners of war.

One module per idea, each importable on its own so that a notebook pays only for what it uses:

- ``powkit.convention``  the treaty texts and citations (``cite("GCIII 13(2)")``)
- ``powkit.quotations``  checks that treaty words quoted in prose are the treaty's words
- ``powkit.browser``     the ConventionBrowser and FindTheRule widgets
- ``powkit.banks``       the question-bank and scenario formats, and their validation
- ``powkit.quiz``        the Quiz and Scenario widgets
- ``powkit.progress``    a learner's saved answers
- ``powkit.case``        the Kyiv case file and the CaseAnnotator widget
- ``powkit.status``      the Article 4 decision tree (StatusTree widget)
- ``powkit.data``        the sourced datasets of reported captures and repatriations
- ``powkit.charts``      charts of those datasets, with sources and text descriptions
- ``powkit.grading``     friendly checks for the exercises
- ``powkit.exercises``   student versions generated from solutions; item analysis
- ``powkit.course``      the learning path and the environment check
"""

__version__ = "0.1.0"
