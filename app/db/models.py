"""The schema shared by a station's local database and the central order store.

SQLAlchemy 2 typed models. Money is stored exactly (NUMERIC on PostgreSQL, text on SQLite,
Decimal in Python); times are timezone-aware UTC. Bulk paths (import, sync, demo) use these
tables through Core; the ORM classes are for one order at a time.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Dialect,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy import text as sa_text
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship
from sqlalchemy.types import TypeDecorator, TypeEngine

from app.domain.barcodes import BarcodeKind
from app.domain.status import OrderStatus
from app.domain.users import Role


def utcnow() -> datetime:
    return datetime.now(UTC)


class Money(TypeDecorator[Decimal]):
    """Exact decimal: NUMERIC(18, 4) where the database has it, canonical text on SQLite."""

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(Numeric(18, 4, asdecimal=True))

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            raise TypeError(f"money must be a Decimal, not {type(value).__name__}")
        return str(value) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on every database."""

    impl = String(32)
    cache_ok = True

    def load_dialect_impl(self, dialect: Dialect) -> TypeEngine[Any]:
        if dialect.name == "sqlite":  # fixed-width ISO text sorts in time order
            return dialect.type_descriptor(String(32))
        return dialect.type_descriptor(DateTime(timezone=True))

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: store timezone-aware UTC times only")
        value = value.astimezone(UTC)
        return value.isoformat(timespec="microseconds") if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        moment = datetime.fromisoformat(value) if isinstance(value, str) else value
        assert isinstance(moment, datetime)
        return moment.astimezone(UTC)


class JSONText(TypeDecorator[Any]):
    """JSON kept as text, so both databases read it the same way."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.dumps(value, ensure_ascii=False, sort_keys=True)

    def process_result_value(self, value: Any, dialect: Dialect) -> Any:
        return None if value is None else json.loads(value)


def _enum(cls: type[Any], length: int = 24) -> Enum:
    return Enum(
        cls,
        native_enum=False,
        create_constraint=True,
        length=length,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    pass


class Synced:
    """A row the central store hands to stations: ``change_seq`` says when it last changed.

    The central store stamps every row a transaction changed with one number taken from
    ``sync_clock`` just before that transaction commits, under the clock row's lock, so
    numbers become visible in commit order (see docs/sync.md). Children (order lines,
    allocations, barcodes) travel with their parent and have no number of their own.
    """

    change_seq: Mapped[int | None] = mapped_column(BigInteger, index=True, default=None)


class Setting(Base):
    """Site-wide values (the badge salt, the demo marker)."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


# --- catalogue and stock --------------------------------------------------------------------


class Product(Synced, Base):
    __tablename__ = "products"
    __table_args__ = (
        CheckConstraint("weight_g IS NULL OR weight_g >= 0", name="weight_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    sku: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    weight_g: Mapped[int | None] = mapped_column(Integer)
    length_mm: Mapped[int | None] = mapped_column(Integer)
    width_mm: Mapped[int | None] = mapped_column(Integer)
    height_mm: Mapped[int | None] = mapped_column(Integer)
    price: Mapped[Decimal | None] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3), default="GBP")
    serial_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    lot_tracked: Mapped[bool] = mapped_column(Boolean, default=False)
    # Created from an order line with no catalogue entry: a supervisor finishes it.
    incomplete: Mapped[bool] = mapped_column(Boolean, default=False)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    barcodes: Mapped[list[ProductBarcode]] = relationship(
        back_populates="product", cascade="all, delete-orphan"
    )
    stock: Mapped[list[StockLevel]] = relationship(back_populates="product")


class ProductBarcode(Base):
    """A code a product answers to; a case barcode counts ``units`` per scan."""

    __tablename__ = "product_barcodes"
    __table_args__ = (CheckConstraint("units >= 1", name="units_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    product_id: Mapped[int] = mapped_column(
        ForeignKey("products.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(64), unique=True)
    kind: Mapped[BarcodeKind] = mapped_column(_enum(BarcodeKind, 8))
    units: Mapped[int] = mapped_column(Integer, default=1)

    product: Mapped[Product] = relationship(back_populates="barcodes")


# The warehouse every row belongs to when there is only one: migration 0010 makes it (id 1,
# code MAIN) from the data that was there, so code that names no warehouse keeps working.
DEFAULT_WAREHOUSE_ID = 1


class Warehouse(Synced, Base):
    """A building orders ship from: shared by design (every station knows every warehouse).

    ``address_lines`` is the ship-from on labels and the seller address on documents of its
    orders (empty: the station's ``[ship_from]``); ``serves`` the ship-to countries (ISO
    alpha-2) it prefers to serve; ``priority`` breaks the last tie of the assignment rule
    (app/domain/warehouses.py), higher first.
    """

    __tablename__ = "warehouses"
    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    address_lines: Mapped[list[str]] = mapped_column(JSONText, default=list)
    country: Mapped[str] = mapped_column(String(2), default="GB")
    serves: Mapped[list[str]] = mapped_column(JSONText, default=list)
    priority: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


def _warehouse_column() -> Mapped[int]:
    return mapped_column(
        ForeignKey("warehouses.id"),
        default=DEFAULT_WAREHOUSE_ID,
        server_default=str(DEFAULT_WAREHOUSE_ID),
    )


class Bin(Synced, Base):
    """A place in one warehouse; its code is unique within that warehouse."""

    __tablename__ = "bins"
    __table_args__ = (
        UniqueConstraint("warehouse_id", "code", name="uq_bins_warehouse_code"),
        # One warehouse's pull reads its rows in change order from the index alone.
        Index("ix_bins_warehouse_change", "warehouse_id", "change_seq", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    warehouse_id: Mapped[int] = _warehouse_column()
    code: Mapped[str] = mapped_column(String(32))
    zone: Mapped[str] = mapped_column(String(32))
    walk_sequence: Mapped[int] = mapped_column(Integer, index=True)


class StockLevel(Synced, Base):
    """Stock in hand and committed to orders; available = on_hand - committed."""

    __tablename__ = "stock_levels"
    __table_args__ = (
        CheckConstraint("on_hand >= 0", name="on_hand_not_negative"),
        CheckConstraint("committed >= 0 AND committed <= on_hand", name="committed_within_on_hand"),
        Index(
            "ix_stock_levels_warehouse_change", "warehouse_id", "change_seq", "product_id", "bin_id"
        ),
    )
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), primary_key=True)
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"), primary_key=True)
    # The bin's warehouse, kept on the row so a warehouse's stock is read without a join.
    warehouse_id: Mapped[int] = _warehouse_column()
    on_hand: Mapped[int] = mapped_column(Integer, default=0)
    committed: Mapped[int] = mapped_column(Integer, default=0)

    product: Mapped[Product] = relationship(back_populates="stock")
    bin: Mapped[Bin] = relationship()

    @property
    def available(self) -> int:
        return self.on_hand - self.committed


# --- customers and orders -------------------------------------------------------------------


class Customer(Synced, Base):
    __tablename__ = "customers"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    phone: Mapped[str | None] = mapped_column(String(40))
    channel_ref: Mapped[str | None] = mapped_column(String(64))


class Address(Synced, Base):
    __tablename__ = "addresses"
    id: Mapped[int] = mapped_column(primary_key=True)
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    company: Mapped[str | None] = mapped_column(String(200))
    line1: Mapped[str] = mapped_column(String(200))
    line2: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str] = mapped_column(String(120))
    region: Mapped[str | None] = mapped_column(String(120))
    postcode: Mapped[str | None] = mapped_column(String(20))
    country: Mapped[str] = mapped_column(String(2))  # ISO 3166-1 alpha-2
    phone: Mapped[str | None] = mapped_column(String(40))


class Order(Synced, Base):
    __tablename__ = "orders"
    __table_args__ = (
        UniqueConstraint("channel", "external_id", name="uq_orders_channel_external_id"),
        Index("ix_orders_status_priority", "status", "priority"),
        Index("ix_orders_warehouse_change", "warehouse_id", "change_seq", "id"),
        Index("ix_orders_warehouse_customer", "warehouse_id", "customer_id"),
        # The Orders workspace's first page, newest first (migration 0013).
        Index("ix_orders_placed_at_id", "placed_at", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    # The warehouse that ships it, and why (app/domain/warehouses.py says it in words).
    warehouse_id: Mapped[int] = _warehouse_column()
    warehouse_reason: Mapped[str | None] = mapped_column(Text)
    # A split part ("ORD-1-B") names the order it was split from; the parent keeps part A.
    split_of: Mapped[str | None] = mapped_column(String(32), index=True)
    channel: Mapped[str] = mapped_column(String(32))  # woocommerce, shopify, ..., csv, manual
    external_id: Mapped[str] = mapped_column(String(64))
    customer_id: Mapped[int | None] = mapped_column(ForeignKey("customers.id"), index=True)
    ship_to_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    bill_to_id: Mapped[int | None] = mapped_column(ForeignKey("addresses.id"))
    currency: Mapped[str] = mapped_column(String(3))
    priority: Mapped[int] = mapped_column(Integer, default=0)  # higher goes first
    carrier: Mapped[str | None] = mapped_column(String(40))
    service: Mapped[str | None] = mapped_column(String(60))
    status: Mapped[OrderStatus] = mapped_column(_enum(OrderStatus), default=OrderStatus.IMPORTED)
    hold_reasons: Mapped[list[str]] = mapped_column(JSONText, default=list)
    void_reason: Mapped[str | None] = mapped_column(Text)
    # Set when the channel had already fulfilled the order elsewhere when it was imported
    # ("completed in WooCommerce"): status fulfilled, every line's steps at the quantity
    # shipped, nothing allocated, picked or packed here. The returns desk finds it by this.
    fulfilled_elsewhere: Mapped[str | None] = mapped_column(String(120))
    shipping_total: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    placed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    # Optimistic lock: a stale edit (another station, another window) fails instead of winning.
    version: Mapped[int] = mapped_column(Integer, default=1)

    warehouse: Mapped[Warehouse] = relationship()
    customer: Mapped[Customer | None] = relationship()
    ship_to: Mapped[Address | None] = relationship(foreign_keys=[ship_to_id])
    bill_to: Mapped[Address | None] = relationship(foreign_keys=[bill_to_id])
    lines: Mapped[list[OrderLine]] = relationship(
        back_populates="order", cascade="all, delete-orphan", order_by="OrderLine.line_no"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012


class OrderLine(Base):
    """One product on an order, with how far each of its units has got."""

    __tablename__ = "order_lines"
    __table_args__ = (
        UniqueConstraint("order_id", "line_no", name="uq_order_lines_order_line_no"),
        CheckConstraint("quantity_ordered > 0", name="ordered_positive"),
        CheckConstraint(
            "quantity_allocated <= quantity_ordered AND quantity_picked <= quantity_allocated"
            " AND quantity_packed <= quantity_picked AND quantity_shipped <= quantity_packed",
            name="steps_in_order",
        ),
        CheckConstraint(
            "quantity_invoiced <= quantity_shipped AND quantity_returned <= quantity_shipped",
            name="billed_and_returned_within_shipped",
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    quantity_ordered: Mapped[int] = mapped_column(Integer)
    quantity_allocated: Mapped[int] = mapped_column(Integer, default=0)
    quantity_picked: Mapped[int] = mapped_column(Integer, default=0)
    quantity_packed: Mapped[int] = mapped_column(Integer, default=0)
    quantity_shipped: Mapped[int] = mapped_column(Integer, default=0)
    quantity_invoiced: Mapped[int] = mapped_column(Integer, default=0)
    quantity_returned: Mapped[int] = mapped_column(Integer, default=0)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    tax_rate: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"))
    # Taken off all the ordered units together (a channel's line discount); invoices bill
    # their share of it (app/domain/invoicing.py).
    discount: Mapped[Decimal] = mapped_column(Money, default=Decimal("0"), server_default="0")
    personalised: Mapped[bool] = mapped_column(Boolean, default=False)
    external_line_id: Mapped[str | None] = mapped_column(String(64))

    order: Mapped[Order] = relationship(back_populates="lines")
    product: Mapped[Product] = relationship()


class Allocation(Base):
    """Units of an order line committed in one bin: where the picker will find them."""

    __tablename__ = "allocations"
    __table_args__ = (CheckConstraint("quantity > 0", name="quantity_positive"),)
    order_line_id: Mapped[int] = mapped_column(
        ForeignKey("order_lines.id", ondelete="CASCADE"), primary_key=True
    )
    bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"), primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    quantity: Mapped[int] = mapped_column(Integer)


class OrderDeparture(Synced, Base):
    """An order moved out of a warehouse: the station of the warehouse it left pulls this
    (it no longer pulls the order itself) and learns the order went elsewhere."""

    __tablename__ = "order_departures"
    __table_args__ = (
        Index("ix_order_departures_from_change", "from_warehouse_id", "change_seq", "id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(Integer)  # no FK: the station may not hold it
    order_number: Mapped[str] = mapped_column(String(32))
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"))
    user_name: Mapped[str | None] = mapped_column(String(120))
    moved_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class Transfer(Synced, Base):
    """Stock on its way from one warehouse to another (app/domain/stock.py, transfers).

    Its lines hold what is in transit (sent - received - written off); ``state`` is the
    domain's ``transfer_state`` of them, kept for listing."""

    __tablename__ = "transfers"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(16), unique=True)
    from_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    to_warehouse_id: Mapped[int] = mapped_column(ForeignKey("warehouses.id"), index=True)
    state: Mapped[str] = mapped_column(String(16), default="in transit", index=True)
    created_by: Mapped[str | None] = mapped_column(String(120))
    station: Mapped[str | None] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    lines: Mapped[list[TransferLineRow]] = relationship(
        back_populates="transfer", order_by="TransferLineRow.line_no"
    )


class TransferLineRow(Base):
    """One product on a transfer; in transit = sent - received - written_off."""

    __tablename__ = "transfer_lines"
    __table_args__ = (
        CheckConstraint("quantity_sent > 0", name="sent_positive"),
        CheckConstraint(
            "quantity_received >= 0 AND quantity_written_off >= 0 AND "
            "quantity_received + quantity_written_off <= quantity_sent",
            name="arrived_within_sent",
        ),
        UniqueConstraint("transfer_id", "line_no", name="uq_transfer_lines_line"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    transfer_id: Mapped[int] = mapped_column(ForeignKey("transfers.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id"), index=True)
    sku: Mapped[str] = mapped_column(String(64))
    from_bin_id: Mapped[int] = mapped_column(ForeignKey("bins.id"))
    quantity_sent: Mapped[int] = mapped_column(Integer)
    quantity_received: Mapped[int] = mapped_column(Integer, default=0)
    quantity_written_off: Mapped[int] = mapped_column(Integer, default=0)

    transfer: Mapped[Transfer] = relationship(back_populates="lines")


# --- people and the audit trail -------------------------------------------------------------


class User(Synced, Base):
    """A person who signs in at a station. Badge and PIN are stored only as scrypt hashes."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    role: Mapped[Role] = mapped_column(_enum(Role, 16))
    badge_hash: Mapped[str | None] = mapped_column(String(160), unique=True)
    pin_hash: Mapped[str] = mapped_column(String(160))
    grants: Mapped[list[str]] = mapped_column(JSONText, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AuditEvent(Base):
    """Append-only: who did what, where and when (the database refuses UPDATE and DELETE).

    Each entry is sealed into this database's hash chain when its transaction commits
    (``app.db.audit_chain``): ``chain_seq`` is its place, ``hash`` covers its fields and the
    previous entry's hash. Sealing is the one UPDATE the triggers let through.
    """

    __tablename__ = "audit_events"
    __table_args__ = (
        Index(
            "ix_audit_events_unsealed",
            "id",
            sqlite_where=sa_text("hash IS NULL"),
            postgresql_where=sa_text("hash IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(Integer)  # no FK: the trail outlives users
    user_name: Mapped[str | None] = mapped_column(String(120))
    station: Mapped[str] = mapped_column(String(16))
    action: Mapped[str] = mapped_column(String(40), index=True)
    subject: Mapped[str | None] = mapped_column(String(120), index=True)
    detail: Mapped[str | None] = mapped_column(Text)
    raw_scan: Mapped[str | None] = mapped_column(Text)
    chain_seq: Mapped[int | None] = mapped_column(Integer, unique=True, index=True)
    hash: Mapped[str | None] = mapped_column(String(64))


class SyncClock(Base):
    """Central store: the one counter every writing transaction bumps last (its row lock
    orders the commits)."""

    __tablename__ = "sync_clock"
    id: Mapped[int] = mapped_column(primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)


class AppliedCommand(Base):
    """Central store: each station command once, with its answer (idempotency by id)."""

    __tablename__ = "applied_commands"
    command_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    station: Mapped[str] = mapped_column(String(16))
    kind: Mapped[str] = mapped_column(String(40))
    outcome: Mapped[str] = mapped_column(String(12))  # applied | rejected
    reason: Mapped[str | None] = mapped_column(Text)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrderClaim(Base):
    """Central store: which station is packing an order, until when."""

    __tablename__ = "order_claims"
    order_id: Mapped[int] = mapped_column(ForeignKey("orders.id"), primary_key=True)
    station: Mapped[str] = mapped_column(String(16))
    user_name: Mapped[str | None] = mapped_column(String(120))
    claimed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime)


class SyncState(Base):
    """Station: how far it has pulled from the central store, and how the last sync went."""

    __tablename__ = "sync_state"
    id: Mapped[int] = mapped_column(primary_key=True)
    watermark: Mapped[int] = mapped_column(BigInteger, default=0)
    last_pull_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class OutboxCommand(Base):
    """A local change waiting to be pushed to the central store, in order, once."""

    __tablename__ = "outbox"
    id: Mapped[int] = mapped_column(primary_key=True)
    command_id: Mapped[str] = mapped_column(String(36), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    payload: Mapped[Any] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    answered_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    reason: Mapped[str | None] = mapped_column(Text)


# --- the connector (central store) ----------------------------------------------------------


class ChannelAccount(Base):
    """Central store: one sales channel account the connector pulls from and reports to.

    ``cursor`` is how far its pulls have got (the channel's own words: a time, a page); it is
    written in the same transaction as the orders of the page it follows, so a connector
    stopped anywhere takes nothing twice and misses nothing. ``claimed_by`` is the connector
    process that works the account until ``claimed_until`` (renewed on each pass).
    """

    __tablename__ = "channel_accounts"
    name: Mapped[str] = mapped_column(String(64), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    cursor: Mapped[Any] = mapped_column(JSONText, default=dict)
    claimed_by: Mapped[str | None] = mapped_column(String(120))
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_pull_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    pulled: Mapped[int] = mapped_column(BigInteger, default=0)


class ChannelOrder(Base):
    """Central store: which account an order was pulled from (where its news goes back)."""

    __tablename__ = "channel_orders"
    channel: Mapped[str] = mapped_column(String(32), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    account: Mapped[str] = mapped_column(String(64), index=True)


class ChannelEvent(Base):
    """Central store: news for a sales channel (a shipment, a void, a refund), recorded in the
    transaction that made it and sent by the connector at least once; ``key`` makes the
    sending idempotent where the channel's API takes a key, and names the event in messages.
    """

    __tablename__ = "channel_events"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(80), unique=True)
    account: Mapped[str] = mapped_column(String(64), index=True)
    kind: Mapped[str] = mapped_column(String(24))  # shipment | void | refund
    order_number: Mapped[str] = mapped_column(String(32))
    external_id: Mapped[str] = mapped_column(String(64))
    payload: Mapped[Any] = mapped_column(JSONText)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    state: Mapped[str] = mapped_column(String(12), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_try_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)


class PartnerOrder(Base):
    """Central store: an order sent to a dropship or 3PL partner (docs/connector.md,
    "Partners"): written in the same transaction that marks the order fulfilled by the
    partner, so an order is sent once."""

    __tablename__ = "partner_orders"
    order_number: Mapped[str] = mapped_column(String(32), primary_key=True)
    partner: Mapped[str] = mapped_column(String(64), index=True)
    file: Mapped[str] = mapped_column(String(200))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class PartnerFile(Base):
    """Central store: a tracking file read from a partner, by its content's SHA-256: a file
    seen twice (under any name) is applied once."""

    __tablename__ = "partner_files"
    partner: Mapped[str] = mapped_column(String(64), primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    rows: Mapped[int] = mapped_column(Integer)
    applied_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


# --- the packing bench (station only) -------------------------------------------------------


class PackSession(Base):
    """An order being packed at this station: lives until the shipment is made or dropped.

    Station-only, like everything the bench writes while packing: the central store hears
    of the result (``shipment.record``) when the shipment is complete. An ``open`` session
    is what a restarted station reopens; ``paused`` ones resume when their order is scanned.
    """

    __tablename__ = "pack_sessions"
    __table_args__ = (
        Index(
            "uq_pack_sessions_order_active",
            "order_number",
            unique=True,
            sqlite_where=sa_text("state IN ('open', 'paused')"),
            postgresql_where=sa_text("state IN ('open', 'paused')"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    station: Mapped[str] = mapped_column(String(16))
    user_id: Mapped[int | None] = mapped_column(Integer)
    user_name: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    claimed: Mapped[bool] = mapped_column(Boolean, default=False)
    box_code: Mapped[str | None] = mapped_column(String(12))
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    ended_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PackScan(Base):
    """One confirmed item scan: which line, which parcel, how many units, serial and lot.

    Written and committed the moment the bench beeps, so a crash loses no scan. Undo marks
    the row (``undone_at``) rather than deleting it: the trail stays.
    """

    __tablename__ = "pack_scans"
    __table_args__ = (
        CheckConstraint("units >= 1", name="units_positive"),
        Index(
            "uq_pack_scans_serial",
            "product_id",
            "serial",
            unique=True,
            sqlite_where=sa_text("serial IS NOT NULL AND undone_at IS NULL"),
            postgresql_where=sa_text("serial IS NOT NULL AND undone_at IS NULL"),
        ),
        # What every item scan reads back (units per parcel and line, serials and lots),
        # from the index alone: no temporary sort, no table row per scan.
        Index(
            "ix_pack_scans_live",
            "session_id",
            "parcel_no",
            "line_no",
            "units",
            "serial",
            "lot",
            sqlite_where=sa_text("undone_at IS NULL"),
            postgresql_where=sa_text("undone_at IS NULL"),
        ),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    product_id: Mapped[int] = mapped_column(Integer)
    parcel_no: Mapped[int] = mapped_column(Integer)
    units: Mapped[int] = mapped_column(Integer)
    serial: Mapped[str | None] = mapped_column(String(40))
    lot: Mapped[str | None] = mapped_column(String(20))
    expiry: Mapped[str | None] = mapped_column(String(10))  # ISO date from AI 17
    raw_scan: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    undone_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class PackParcel(Base):
    """A parcel of a pack session: its box, its weight, open or closed."""

    __tablename__ = "pack_parcels"
    __table_args__ = (UniqueConstraint("session_id", "parcel_no", name="uq_pack_parcels_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("pack_sessions.id"), index=True)
    parcel_no: Mapped[int] = mapped_column(Integer)
    box_code: Mapped[str | None] = mapped_column(String(12))
    tare_g: Mapped[int] = mapped_column(Integer, default=0)
    weight_g: Mapped[int | None] = mapped_column(Integer)
    weight_source: Mapped[str | None] = mapped_column(String(8))  # scale | typed
    weight_accepted_by: Mapped[str | None] = mapped_column(String(120))  # out of range, OK'd
    state: Mapped[str] = mapped_column(String(8), default="open")  # open | closed
    sscc: Mapped[str | None] = mapped_column(String(18), unique=True)
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class NumberSeries(Base):
    """Station: the next number of a gap-free series (shipments, SSCC serial references)."""

    __tablename__ = "number_series"
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    next_value: Mapped[int] = mapped_column(BigInteger)


class PrintJob(Base):
    """A document waiting for, or sent to, a printer: kept until sent, sent once.

    ``state``: queued (waiting: printer unreachable, out of paper...), sending (handed to
    the link; a crash here leaves it for a person to check, never resent by itself), sent,
    cancelled. A reprint is a new job pointing at the one it repeats.
    """

    __tablename__ = "print_jobs"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12))  # label | slip | commands
    target: Mapped[str] = mapped_column(String(10))  # label (printer) | document
    data_format: Mapped[str] = mapped_column(String(4))  # zpl | pdf
    subject: Mapped[str] = mapped_column(String(40), index=True)  # SSCC, shipment number
    name: Mapped[str] = mapped_column(String(120))
    payload: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(10), default="queued", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    waiting_for: Mapped[str | None] = mapped_column(Text)
    reprint_of: Mapped[int | None] = mapped_column(ForeignKey("print_jobs.id"))
    user_name: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_to: Mapped[str | None] = mapped_column(Text)


# --- shipments (station and central store) --------------------------------------------------


class Shipment(Base):
    """What left the building for an order at once: its parcels and their contents.

    The station writes its own when the last parcel closes; the central store writes its
    copy when it applies the station's ``shipment.record`` command. Numbers are made per
    station without coordination ("ST-01-S000042"), so they never clash.
    """

    __tablename__ = "shipments"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    station: Mapped[str] = mapped_column(String(16))
    user_name: Mapped[str | None] = mapped_column(String(120))
    shipped_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    partial: Mapped[bool] = mapped_column(Boolean, default=False)
    partial_reason: Mapped[str | None] = mapped_column(Text)
    carrier: Mapped[str | None] = mapped_column(String(40))
    service: Mapped[str | None] = mapped_column(String(60))

    parcels: Mapped[list[ShipmentParcel]] = relationship(
        back_populates="shipment", cascade="all, delete-orphan", order_by="ShipmentParcel.parcel_no"
    )


class ShipmentParcel(Base):
    __tablename__ = "shipment_parcels"
    __table_args__ = (UniqueConstraint("shipment_id", "parcel_no", name="uq_shipment_parcels_no"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    shipment_id: Mapped[int] = mapped_column(
        ForeignKey("shipments.id", ondelete="CASCADE"), index=True
    )
    parcel_no: Mapped[int] = mapped_column(Integer)
    sscc: Mapped[str] = mapped_column(String(18), unique=True)
    box_code: Mapped[str | None] = mapped_column(String(12))
    weight_g: Mapped[int | None] = mapped_column(Integer)

    shipment: Mapped[Shipment] = relationship(back_populates="parcels")
    items: Mapped[list[ShipmentItem]] = relationship(
        back_populates="parcel", cascade="all, delete-orphan", order_by="ShipmentItem.line_no"
    )


class ShipmentItem(Base):
    """Units of one order line in one parcel, with the serials and lots recorded at packing."""

    __tablename__ = "shipment_items"
    __table_args__ = (CheckConstraint("quantity >= 1", name="quantity_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    parcel_id: Mapped[int] = mapped_column(
        ForeignKey("shipment_parcels.id", ondelete="CASCADE"), index=True
    )
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    serials: Mapped[list[str]] = mapped_column(JSONText, default=list)
    lots: Mapped[list[str]] = mapped_column(JSONText, default=list)

    parcel: Mapped[ShipmentParcel] = relationship(back_populates="items")


# --- invoices and credit notes (station and central store) ----------------------------------


class Invoice(Synced, Base):
    """An issued invoice or credit note: never changed or removed (the database refuses).

    Everything the printed document shows is kept here (addresses, seller, amounts), so a
    reprint is the same document made again from these rows. The station writes it with
    its number in one transaction and sends ``invoice.record`` through the outbox
    (``command_id``); the central store keeps its copy when it accepts that command. A
    mistake is corrected by a credit note (``kind`` credit_note) naming ``corrects``.

    The central store's copies travel to every station by the pull (with their lines), as
    rows of their own: ``change_seq`` is stamped once, when the central store records the
    document (the append-only triggers allow that one change), and a pulled document is
    inserted by its number, never updated (app/sync/pull.py).
    """

    __tablename__ = "invoices"
    __table_args__ = (
        CheckConstraint("kind IN ('invoice', 'credit_note')", name="kind_known"),
        CheckConstraint("kind = 'invoice' OR corrects IS NOT NULL", name="credit_corrects"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    customer_name: Mapped[str] = mapped_column(String(200), index=True)
    station: Mapped[str] = mapped_column(String(16))
    user_name: Mapped[str | None] = mapped_column(String(120))
    issued_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    currency: Mapped[str] = mapped_column(String(3))
    locale: Mapped[str] = mapped_column(String(8))
    rounding: Mapped[str] = mapped_column(String(8))
    net: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    gross: Mapped[Decimal] = mapped_column(Money)
    corrects: Mapped[str | None] = mapped_column(String(40), index=True)
    partial_index: Mapped[int | None] = mapped_column(Integer)
    document: Mapped[Any] = mapped_column(JSONText)  # seller, addresses, terms, breakdown
    command_id: Mapped[str | None] = mapped_column(String(36))

    lines: Mapped[list[InvoiceLineRow]] = relationship(
        back_populates="invoice", order_by="InvoiceLineRow.position"
    )


class InvoiceLineRow(Base):
    """A billed (or credited) line, naming the shipment and parcel its units came from."""

    __tablename__ = "invoice_lines"
    __table_args__ = (
        UniqueConstraint("invoice_id", "position", name="uq_invoice_lines_position"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        Index("ix_invoice_lines_parcel", "shipment_number", "sscc", "line_no"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    invoice_id: Mapped[int] = mapped_column(ForeignKey("invoices.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    line_no: Mapped[int | None] = mapped_column(Integer)  # None: shipping
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    shipment_number: Mapped[str | None] = mapped_column(String(32))
    sscc: Mapped[str | None] = mapped_column(String(18))
    quantity: Mapped[int] = mapped_column(Integer)
    unit_price: Mapped[Decimal] = mapped_column(Money)
    discount: Mapped[Decimal] = mapped_column(Money)
    tax_rate: Mapped[Decimal] = mapped_column(Money)
    net: Mapped[Decimal] = mapped_column(Money)
    tax: Mapped[Decimal] = mapped_column(Money)
    credits: Mapped[int | None] = mapped_column(Integer)  # credit note: the invoice line's position

    invoice: Mapped[Invoice] = relationship(back_populates="lines")


# --- returns (station and central store) -------------------------------------------------------


class ReturnRecord(Base):
    """A return authorisation: what came back of one order (docs/returns.md).

    Saved at the station unit by unit while open (so a crash or a break loses nothing) and
    confirmed in one transaction, which moves stock, issues the credit note and sends
    ``return.record`` through the outbox; the central store keeps its copy when it applies
    that command. ``number`` comes from the station's ``RA-{station}-`` series.
    """

    __tablename__ = "returns"
    __table_args__ = (CheckConstraint("state IN ('open', 'confirmed')", name="state_known"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(32), unique=True)
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    station: Mapped[str] = mapped_column(String(16))
    user_name: Mapped[str | None] = mapped_column(String(120))
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    opened_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, index=True)
    confirmed_by: Mapped[str | None] = mapped_column(String(120))
    late_reason: Mapped[str | None] = mapped_column(Text)  # accepted outside the window: why
    late_accepted_by: Mapped[str | None] = mapped_column(String(120))
    credit_notes: Mapped[list[str]] = mapped_column(JSONText, default=list)
    refund: Mapped[Any] = mapped_column(JSONText, default=dict)  # amounts as strings
    command_id: Mapped[str | None] = mapped_column(String(36))
    # The station finishing it: another station takes an open return over centrally, and the
    # central store then refuses the first station's later changes to it.
    held_by: Mapped[str | None] = mapped_column(String(16))
    # The warehouse (code) of the station that received it: restocked units go into its
    # bins, whichever warehouse shipped the order. None: a return from before warehouses,
    # restocked into the order's warehouse.
    warehouse: Mapped[str | None] = mapped_column(String(16))

    units: Mapped[list[ReturnUnit]] = relationship(
        back_populates="ret", cascade="all, delete-orphan", order_by="ReturnUnit.id"
    )


class ReturnUnit(Base):
    """Units taken back (one, or a case), with why, in what state, and where they go."""

    __tablename__ = "return_units"
    __table_args__ = (CheckConstraint("units >= 1", name="units_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    return_id: Mapped[int] = mapped_column(ForeignKey("returns.id", ondelete="CASCADE"), index=True)
    line_no: Mapped[int | None] = mapped_column(Integer)  # None: not in the order (unexpected)
    sku: Mapped[str] = mapped_column(String(64), index=True)
    units: Mapped[int] = mapped_column(Integer, default=1)
    serial: Mapped[str | None] = mapped_column(String(40), index=True)
    reason: Mapped[str | None] = mapped_column(String(24))
    reason_text: Mapped[str | None] = mapped_column(Text)
    condition: Mapped[str | None] = mapped_column(String(12))
    disposition: Mapped[str | None] = mapped_column(String(20))
    bin_code: Mapped[str | None] = mapped_column(String(32))
    unexpected: Mapped[bool] = mapped_column(Boolean, default=False)
    raw_scan: Mapped[str | None] = mapped_column(Text)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    ret: Mapped[ReturnRecord] = relationship(back_populates="units")


# --- picking (station and central store) --------------------------------------------------------


class PickList(Base):
    """A walk through the bins for one or more orders (docs/picking.md).

    Built at a station in one transaction, its number from the station's ``PL-{station}-``
    series; the central store keeps its copy when it accepts ``picklist.record`` and refuses
    a list naming an order already on another station's open list (that station is told
    who). ``state``: open (printed or waiting), picking, paused, done, cancelled, refused
    (the central store gave its orders to another station's list first).

    The picker's place is kept here, so a list paused at one bench resumes where it stopped:
    ``at_line`` is the line whose bin was scanned, ``in_hand`` the units scanned from it and
    not yet put in a tote.
    """

    __tablename__ = "pick_lists"
    __table_args__ = (
        CheckConstraint(
            "state IN ('open', 'picking', 'paused', 'done', 'cancelled', 'refused')",
            name="state_known",
        ),
        CheckConstraint("in_hand >= 0", name="in_hand_not_negative"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    station: Mapped[str] = mapped_column(String(16))
    warehouse: Mapped[str | None] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(12))  # single | batch | wave | follow-up
    grouping: Mapped[str | None] = mapped_column(String(60))  # "carrier DPD next-day", ...
    zone: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[str] = mapped_column(String(12), default="open", index=True)
    created_by: Mapped[str | None] = mapped_column(String(120))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    picker: Mapped[str | None] = mapped_column(String(120))
    picking_at: Mapped[str | None] = mapped_column(String(16))  # the station picking it now
    at_line: Mapped[int | None] = mapped_column(Integer)  # pick_list_lines.position
    in_hand: Mapped[int] = mapped_column(Integer, default=0)
    done_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    refused_reason: Mapped[str | None] = mapped_column(Text)
    command_id: Mapped[str | None] = mapped_column(String(36))

    orders: Mapped[list[PickListOrder]] = relationship(
        back_populates="pick_list", cascade="all, delete-orphan", order_by="PickListOrder.slot"
    )
    lines: Mapped[list[PickListLine]] = relationship(
        back_populates="pick_list", cascade="all, delete-orphan", order_by="PickListLine.position"
    )


class PickListOrder(Base):
    """An order on a list, in its slot of the cart; its tote once the picker scans one."""

    __tablename__ = "pick_list_orders"
    __table_args__ = (
        UniqueConstraint("pick_list_id", "slot", name="uq_pick_list_orders_slot"),
        UniqueConstraint("pick_list_id", "order_number", name="uq_pick_list_orders_order"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(
        ForeignKey("pick_lists.id", ondelete="CASCADE"), index=True
    )
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    slot: Mapped[int] = mapped_column(Integer)
    tote: Mapped[str | None] = mapped_column(String(40), index=True)

    pick_list: Mapped[PickList] = relationship(back_populates="orders")


class PickListLine(Base):
    """One stop of the walk: a product in a bin, the orders' units merged, split kept."""

    __tablename__ = "pick_list_lines"
    __table_args__ = (
        UniqueConstraint("pick_list_id", "position", name="uq_pick_list_lines_position"),
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("picked >= 0 AND short >= 0 AND picked + short <= quantity", name="within"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_id: Mapped[int] = mapped_column(
        ForeignKey("pick_lists.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    bin_code: Mapped[str] = mapped_column(String(32))
    zone: Mapped[str] = mapped_column(String(32))
    walk_sequence: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    barcode: Mapped[str | None] = mapped_column(String(64))
    quantity: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, default=0)
    short: Mapped[int] = mapped_column(Integer, default=0)

    pick_list: Mapped[PickList] = relationship(back_populates="lines")
    splits: Mapped[list[PickListSplit]] = relationship(
        back_populates="line", cascade="all, delete-orphan", order_by="PickListSplit.slot"
    )


class PickListSplit(Base):
    """What one order takes of a merged line, and how much of it was picked or short."""

    __tablename__ = "pick_list_splits"
    __table_args__ = (
        CheckConstraint("quantity >= 1", name="quantity_positive"),
        CheckConstraint("picked >= 0 AND short >= 0 AND picked + short <= quantity", name="within"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    line_id: Mapped[int] = mapped_column(
        ForeignKey("pick_list_lines.id", ondelete="CASCADE"), index=True
    )
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    slot: Mapped[int] = mapped_column(Integer)
    quantity: Mapped[int] = mapped_column(Integer)
    picked: Mapped[int] = mapped_column(Integer, default=0)
    short: Mapped[int] = mapped_column(Integer, default=0)

    line: Mapped[PickListLine] = relationship(back_populates="splits")


class ShortPick(Base):
    """Units a picker did not find, with why, waiting for a supervisor's choice.

    ``resolution``: None (waiting), reallocated (a follow-up list), partial (ship what was
    picked), held (the order put on hold). Every choice is in the audit trail too.
    """

    __tablename__ = "short_picks"
    __table_args__ = (CheckConstraint("missing >= 1", name="missing_positive"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    pick_list_number: Mapped[str] = mapped_column(String(40), index=True)
    order_number: Mapped[str] = mapped_column(String(32), index=True)
    line_no: Mapped[int] = mapped_column(Integer)
    sku: Mapped[str] = mapped_column(String(64))
    bin_code: Mapped[str] = mapped_column(String(32))
    missing: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str] = mapped_column(String(16))  # bin_empty | damaged | not_found
    user_name: Mapped[str | None] = mapped_column(String(120))
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    resolution: Mapped[str | None] = mapped_column(String(12), index=True)
    resolved_by: Mapped[str | None] = mapped_column(String(120))
    resolved_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    follow_up: Mapped[str | None] = mapped_column(String(40))
