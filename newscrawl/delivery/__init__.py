"""Delivery: what happens to an article after extraction, and to the pages it was read from.

pipelines.py cleans, dates, checks and filters items; feeds/ decides the crawl's feeds and delivers
the S3 feed through the spool; state/ remembers which version of each article was delivered;
stories/ groups copies of one text across portals and crawls (``story_id``, ``copy_of``);
warc/ archives every response as fetched (WARC, to a directory or through a spool to S3);
summary.py prints (and writes) what the crawl delivered, archived, dropped and why.

This package must never decide what a crawl fetches, nor import the spiders, the crawl machinery
or ops (the cluster, the scheduler): they call into delivery, never the other way round.
"""
