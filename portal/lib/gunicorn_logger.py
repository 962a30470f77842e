"""gunicorn's access log with the portal's masking (``--logger-class``).

Run gunicorn with ``--access-logfile - --logger-class
portal.lib.gunicorn_logger.MaskingLogger`` when an access log is wanted: the
request line, path, query and referrer then go through the same masking as the
application's own lines (link tokens, admin searches, emails, phones, IDs).
"""

from __future__ import annotations

from typing import Any

from gunicorn.glogging import Logger

from portal.lib.logs import mask

_URL_ATOMS = ("r", "U", "q", "f")


class MaskingLogger(Logger):
    def atoms(self, resp: Any, req: Any, environ: Any, request_time: Any) -> Any:
        atoms = super().atoms(resp, req, environ, request_time)
        for key in _URL_ATOMS:
            if isinstance(atoms.get(key), str):
                atoms[key] = mask(atoms[key])
        atoms.pop("{cookie}i", None)
        return atoms
