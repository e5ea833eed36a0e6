"""The crawl's feeds: which ones (addon.py), and the S3 feed that loses nothing (naming, spool, s3, storage).

naming.py says where S3 objects go; spool.py is the on-disk outbox; s3.py seals, commits, uploads
and recovers batches; storage.py is the feed storage Scrapy writes to; fence.py is what cluster
mode's batch lease offers the S3 feed. The cluster worker calls `set_key_mark` to make its S3 keys
its own and `set_batch_lease` to hold its batches, so that this package never imports the cluster.

This package must never import the cluster (ops) nor decide what a crawl fetches.
"""

from newscrawl.delivery.feeds.fence import set_batch_lease
from newscrawl.delivery.feeds.naming import set_key_mark

__all__ = ["set_batch_lease", "set_key_mark"]
