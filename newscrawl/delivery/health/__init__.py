"""Extraction health: per portal and per crawl, what its articles had and how, kept and compared.

The day a portal changes its template (a renamed body class, a moved date element, a consent page
instead of articles), its crawl is *flagged* with one line per reason, against the portal's own
history kept beside the crawl state:

* record.py: `Tally` (one crawl's articles of a portal) and `PortalCrawl` (the kept record);
* rules.py: `judge`, the rules that flag a crawl, with their margins (NEWSCRAWL_HEALTH_*);
* store.py: the records in the crawl state's SQLite file or Redis (`open_health`);
* collect.py: the pipeline and extension that count, judge, keep and tell (log, summary, command);
* report.py, html.py: the summary's lines, ``newscrawl health`` (table, JSON) and the HTML report.

Nothing here changes an item or decides what a crawl fetches.
"""
