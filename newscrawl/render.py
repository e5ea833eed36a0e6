"""Old import path of the browser-side functions, kept for Redis frontiers pickled before 0.2.

Requests queued in a cluster frontier by an earlier release name ``newscrawl.render.watch_page``
(in their meta) and ``newscrawl.render.run_actions`` (pickled in their page methods). Remove this
module one release after 0.2, once no frontier written by 0.1 can still be running.
"""

from newscrawl.crawl.render.page import run_actions, watch_page

__all__ = ["run_actions", "watch_page"]
