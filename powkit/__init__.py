"""powkit: a Jupyter teaching kit on the law of prisoners of war.

One module per idea, each importable on its own so that a notebook pays only for what it uses.
From the bottom up (a module uses only those listed before it):

- ``powkit.resources``   where the kit's files are: shipped content, ``$POWKIT_DATA``, assets
- ``powkit.site_assets``  Pyodide and its wheels for the course site, verified against its lockfile
- ``powkit.lesson_version`` which version of the kit the lessons were written for
- ``powkit.lab_settings`` the kit's JupyterLab settings (no notebook shortcuts inside outputs)
- ``powkit.validation``  one way to report problems in any content file (file: item: field)
- ``powkit.markup``      shared HTML, the one stylesheet, and HTMLView (the display idiom)
- ``powkit.convention``  the treaty texts and citations (``cite("GCIII 13(2)")``)
- ``powkit.crosscheck``  the treaty texts compared with the official copies, paragraph by paragraph
- ``powkit.progress``    a learner's saved answers, and the export's columns
- ``powkit.data``        the sourced datasets of reported captures and repatriations
- ``powkit.exercises``   student versions of exercises generated from solutions
- ``powkit.student_tree`` the student-facing copy of the course (no solutions, no instructor notes)
- ``powkit.banks``       question banks, scenarios and topics: formats, loading, checks
- ``powkit.casefile``    the case file: sourced facts and the articles each engages
- ``powkit.trees``       decision trees (the status tree): format, loading, checks
- ``powkit.quotations``  checks that treaty words quoted in prose are the treaty's words
- ``powkit.analysis``    item analysis of exported quiz results
- ``powkit.chart_cache`` drawn charts kept on disk, keyed by their rows, code and settings
- ``powkit.charts``      charts of the datasets (Chart), and the ChartExplorer widget
- ``powkit.browser``     the ConventionBrowser and FindTheRule widgets
- ``powkit.quiz``        the Quiz and Scenario widgets
- ``powkit.case``        the case's timeline and sources, and the CaseAnnotator widget
- ``powkit.status``      the StatusTree widget
- ``powkit.course``      the learning path (``data/toc.yaml``) and the environment check
- ``powkit.site``        the course as a static JupyterLite site (``powkit build-site``)
- ``powkit.checks``      the kinds of check an exercise can use (no answers in them)
- ``powkit.grading``     the check framework: ``check("ex1_q1", answer)``
- ``powkit.catalog``     every content file, found and checked (``powkit validate``)
- ``powkit.cli``         the command line (``powkit COMMAND`` or ``python -m powkit COMMAND``)

What a lesson author calls is listed in ``docs/api.md``; the content formats in
``docs/authoring.md``.
"""

#: The kit's version, the one place it is written (pyproject.toml reads it from here).
__version__ = "0.1.0"
