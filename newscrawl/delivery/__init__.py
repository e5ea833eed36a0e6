"""Delivery: what happens to an article after extraction.

pipelines.py cleans, dates, checks and filters items; feeds/ decides the crawl's feeds and delivers
the S3 feed through the spool; state/ remembers which version of each article was delivered;
stories/ groups copies of one text across portals and crawls (``story_id``, ``copy_of``);
summary.py prints (and writes) what the crawl delivered, dropped and why.

This package must never decide what a crawl fetches, nor import the spiders, the crawl machinery
or ops (the cluster, the scheduler): they call into delivery, never the other way round.
"""
