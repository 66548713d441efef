"""``make-report preview``: the HTML preview served on this machine, refreshed on save.

- :mod:`.inputs`: what a build reads (config, audiences, dataset, template folders) and
  which of them a changed file touches;
- :mod:`.bench`: the threads that build, each with its own :class:`~reporting.pipeline.build.Builder`;
- :mod:`.state`: per selection, the last good page, the problems, the open pages;
- :mod:`.page`: the served page (toolbar, problems overlay, refresh script, CSP);
- :mod:`.watcher`: watchfiles over the inputs;
- :mod:`.server`: the aiohttp application and :func:`~.server.serve`.
"""

from .inputs import Selection, Settings
from .server import PortInUse, serve

__all__ = ["PortInUse", "Selection", "Settings", "serve"]
