"""The station as services, sync and commands see it: who it is, its settings, its databases.

One object, built by ``app.bootstrap.open_station`` and handed down: ``bootstrap.Station`` is
this context with the station's devices and loops added. Services take a ``StationContext``
(never a protocol of their own for "the station"), and devices only through the small
interfaces the services that use them declare (``app.services.printjobs.LabelPrinter``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine

from app.config import Config, PackingSettings
from app.db.session import UnitOfWorkFactory
from app.domain.users import LockoutPolicy
from app.sync.link import CentralLink


@dataclass(kw_only=True)
class StationContext:
    """A station's configuration, its own database and its link to the central store."""

    config: Config
    local_engine: Engine
    local: UnitOfWorkFactory
    central_link: CentralLink
    demo: bool = False

    @property
    def station_id(self) -> str:
        return self.config.station_id

    @property
    def packing(self) -> PackingSettings:
        return self.config.packing

    @property
    def lockout(self) -> LockoutPolicy:
        return LockoutPolicy(self.config.pin_attempts, self.config.lockout_minutes)

    def central_engine(self) -> Engine:
        """The central store's engine (opened on first use): see ``CentralLink.engine``."""
        return self.central_link.engine()

    def central(self) -> UnitOfWorkFactory:
        """Units of work on the central store: every commit stamps its change number."""
        return self.central_link.units()
