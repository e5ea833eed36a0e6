"""Build shim for ``scrapyd-deploy``, which builds eggs with ``python setup.py bdist_egg``.

All metadata is in pyproject.toml (including the ``scrapy`` entry point Scrapyd needs); without
this file scrapyd-deploy would write its own setup.py, with a different project name.
"""

from setuptools import setup

setup()
