"""Cluster mode: several `kabar` processes (on several Scrapyd nodes) share one frontier on Redis.

Switched on by one setting or environment variable, the Redis URL::

    NEWSCRAWL_CLUSTER=redis://10.0.0.5:6379/0 scrapy crawl kabar -a network=prmn   # on every node

Every process started with the same URL and the same *group* (``NEWSCRAWL_CLUSTER_GROUP``, else
``NEWSCRAWL_FEED_GROUP`` as `newscrawl schedule` sets it, else a name derived from the spider's
arguments, so identical command lines meet) works on one crawl:

* **Start URLs are pushed once.** The first process to join takes the seeding flag and yields the
  spider's start requests; the others yield none and pull from the shared queue. A seeder that
  dies mid-way loses the flag (with its lease) and another process seeds again (the shared
  duplicate filter drops what was already pushed).
* **One queue, one duplicate filter.** The scheduler (`scheduler.ClusterScheduler`, a scrapy-redis
  ``Scheduler`` subclass) pushes every request to a Redis sorted set by priority, after an atomic
  check of its fingerprint in a Redis set (``SADD`` and ``ZADD`` in one Lua script: a process
  killed between the two could otherwise mark a request seen that was never queued). Requests are
  pickled with scrapy-redis' serializer; callbacks are spider methods and a multi-page article's
  partial item travels in ``cb_kwargs``.
* **Nothing is lost when a process dies.** Popping a request moves it into the process's
  *in-flight* set. When the engine has finished with a request (its callback's requests are
  queued and its items written), the request is acknowledged and forgotten. Each process holds a
  lease (a score in a Redis sorted set of workers) that a thread renews every quarter lease, so a
  busy event loop is not taken for a death. A process whose lease expires (SIGKILL, a dead node, a
  partitioned network, an event loop stuck for `STALL` seconds) is *reaped* by any live one: its
  in-flight requests go back to the queue, its unconfirmed article claims are released. Only a
  reaper decides a death; a reaped process that wakes up is told so and stops.
* **Each article is emitted once across the cluster.** `components.ClusterClaimPipeline` claims an article
  (its state key digest, ``HSETNX``) before it is delivered; a claim held by another process is a
  counted drop (``newscrawl/dropped/duplicate``). A claim is *tentative* until its article is
  durably written (a local feed: the line flushed to the file, written whole by one ``write()``;
  the S3 feed: its batch in S3), then *committed* at once. A request is acknowledged only after
  the articles it produced are committed, so a reaped process's work is redone exactly where its
  output was not durable. The one window left is the microseconds between a line's ``write()``
  to a local feed and the commit's ``send()``: a SIGKILL landing exactly there duplicates that
  article (only the process's last line can be in that state).
* **With the S3 feed, no article depends on one node's disk** (`batches`). A sealed batch is held
  by its process's lease in Redis, uploaded only by that process after checking that the lease
  still holds it (the fence), and committed to the crawl state only once S3 has it. When a
  process dies (or leaves) holding batches, a live one asks S3 about each: there, it is committed
  on the gone process's behalf; not there, its articles and requests go back to the cluster and a
  survivor emits them in a batch of its own. The gone process's spool file is never uploaded: any
  crawl that finds it (the node coming back) deletes it.
* **The crawl ends when the cluster's does**: the start requests are all pushed, the queue is
  empty and no live process has a request in flight. The last process to leave deletes the
  frontier; if every process died, the next ones started for the group (the next scheduled round)
  resume it before anything else.

Per process stay: the downloader and its politeness slots (``CONCURRENT_REQUESTS_PER_DOMAIN`` is
per node), robots.txt, the item pipelines, the feeds, ``max_articles``. The crawl state
(``NEWSCRAWL_STATE``) must be shared too: a local SQLite state is refused in cluster mode.

Settings: ``NEWSCRAWL_CLUSTER`` (the Redis URL; password from ``REDISCLI_AUTH``),
``NEWSCRAWL_CLUSTER_GROUP``, ``NEWSCRAWL_CLUSTER_RUN`` (set by `newscrawl schedule`: a process
of a run that already finished exits at once), ``NEWSCRAWL_CLUSTER_LEASE`` (seconds, default 15).

The modules, each depending only on those above it:

* `lua`: the Lua scripts, as data;
* `frontier`: a group's keys in Redis and its atomic operations (`Frontier`), with no Scrapy;
* `addon`: `ClusterAddon` (the settings checked, the components installed), the group's name;
* (the private Scrapy and scrapy-redis internals it needs are reached through `newscrawl.compat`);
* `batches`: the S3 batches under a process's lease, and the resolution of a gone process's;
* `worker`: one process's part (`Worker`): its lease and heartbeat, its requests and claims;
* `scheduler`: the scrapy-redis queue, duplicate filter and scheduler over the frontier;
* `components`: the seeding middleware and the claim pipeline.

Cluster mode must never decide what a crawl fetches (the spider does), never drop an article
another process has not durably claimed, and never log a password.
"""
