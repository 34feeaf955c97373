"""Pelican's writer, writing through the build's ``OutputFiles``: a page rendered to the same bytes as
the file already there leaves that file untouched."""

from __future__ import annotations

import io
import logging
import os

from pelican.writers import FileOverwriteFailedError, Writer

logger = logging.getLogger(__name__)


class _Page(io.StringIO):
    """What Pelican writes a page or feed into; handed to ``OutputFiles`` when closed."""

    def __init__(self, files, rel: str):
        super().__init__()
        self._files, self._rel = files, rel

    def close(self) -> None:
        if not self.closed:
            self._files.write(self._rel, self.getvalue())
        super().close()


class OutputWriter(Writer):
    """Pelican's ``Writer``; only where its bytes go changes (``files``: the build's ``OutputFiles``)."""

    files = None  # set by the plugin for each build

    def _open_w(self, filename, encoding, override=False):
        # Pelican's own rules for a file written twice (Writer._open_w), then a page in memory.
        if filename in self._overridden_files:
            if override:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" a second time '
                                               "(was previously overwritten)")
            logger.info('Skipping "%s", not overwriting', filename)
            return open(os.devnull, "w", encoding=encoding)
        if filename in self._written_files:
            if override:
                logger.info('Overwriting "%s"', filename)
            else:
                raise FileOverwriteFailedError(f'Failed to overwrite "{filename}" as Pelican has already '
                                               "written to it previously (set `override=True` if intended)")
        if override:
            self._overridden_files.add(filename)
        self._written_files.add(filename)
        return _Page(self.files, os.path.relpath(filename, self.output_path))
