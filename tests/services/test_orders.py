from decimal import Decimal

import pytest
from sqlalchemy import select

from app.bootstrap import Station
from app.db.models import (
    Allocation,
    AuditEvent,
    Bin,
    Customer,
    Order,
    OrderLine,
    OutboxCommand,
    Product,
    StockLevel,
)
from app.domain.errors import DomainError, ForbiddenTransition, NotAllowed
from app.domain.status import OrderStatus
from app.domain.users import Actor, Role
from app.services import auth, orders


@pytest.fixture
def allocated_order(station: Station) -> str:
    """Order 100234: 3 Earl Grey allocated from bin B-11-4 (10 on hand)."""
    with station.local() as uow:
        s = uow.session
        tea = Product(sku="TEA-EARL-100", name="Earl Grey 100 g", price=Decimal("4.20"))
        bin_ = Bin(code="B-11-4", zone="B", walk_sequence=114)
        s.add_all([tea, bin_])
        s.flush()
        s.add(StockLevel(product_id=tea.id, bin_id=bin_.id, on_hand=10, committed=3))
        order = Order(
            number="100234",
            channel="shopify",
            external_id="820982911946154508",
            currency="GBP",
            status=OrderStatus.ALLOCATED,
            customer=Customer(name="Jürgen Müller"),
        )
        line = OrderLine(
            line_no=1,
            product_id=tea.id,
            sku=tea.sku,
            name=tea.name,
            quantity_ordered=3,
            quantity_allocated=3,
            unit_price=Decimal("4.20"),
            tax_rate=Decimal("0.20"),
        )
        order.lines.append(line)
        s.add(order)
        s.flush()
        s.add(Allocation(order_line_id=line.id, bin_id=bin_.id, product_id=tea.id, quantity=3))
        uow.commit()
    return "100234"


def signed_in(station: Station, role: Role) -> Actor:
    auth.create_user(
        station.local, None, f"{role.value} one", role, "5927", badge=f"B-{role.value}"
    )
    return auth.login_with_badge(station.local, "ST-01", f"B-{role.value}")


def test_voiding_frees_the_committed_stock_and_records_why(
    station: Station, allocated_order: str
) -> None:
    boss = signed_in(station, Role.SUPERVISOR)
    orders.change_status(
        station.local, boss, allocated_order, OrderStatus.VOID, "customer cancelled by phone"
    )
    with station.local(readonly=True) as uow:
        s = uow.session
        order = s.scalars(select(Order).where(Order.number == allocated_order)).one()
        assert order.status is OrderStatus.VOID
        assert order.void_reason == "customer cancelled by phone"
        assert order.lines[0].quantity_allocated == 0
        assert s.scalars(select(StockLevel)).one().committed == 0
        assert s.scalars(select(Allocation)).all() == []
        event = s.scalars(select(AuditEvent).where(AuditEvent.action == "order.status")).one()
        assert event.user_name == boss.name and "allocated -> void" in (event.detail or "")
        command = s.scalars(select(OutboxCommand)).one()
        assert command.kind == "order.status"
        assert command.payload["to"] == "void"


def test_a_packer_cannot_void_and_nothing_changes(station: Station, allocated_order: str) -> None:
    packer = signed_in(station, Role.PACKER)
    with pytest.raises(NotAllowed, match="may not void orders"):
        orders.change_status(station.local, packer, allocated_order, OrderStatus.VOID, "oops")
    assert orders.get_order_status(station.local, allocated_order) is OrderStatus.ALLOCATED


def test_voiding_needs_a_reason(station: Station, allocated_order: str) -> None:
    boss = signed_in(station, Role.SUPERVISOR)
    with pytest.raises(DomainError, match="Say why"):
        orders.change_status(station.local, boss, allocated_order, OrderStatus.VOID, "  ")


def test_a_forbidden_transition_changes_nothing_and_writes_no_command(
    station: Station, allocated_order: str
) -> None:
    boss = signed_in(station, Role.SUPERVISOR)
    with pytest.raises(ForbiddenTransition, match="Order 100234 is allocated"):
        orders.change_status(station.local, boss, allocated_order, OrderStatus.SHIPPED)
    with station.local(readonly=True) as uow:
        assert uow.session.scalars(select(OutboxCommand)).all() == []
    assert orders.get_order_status(station.local, allocated_order) is OrderStatus.ALLOCATED


def test_the_orders_list_carries_the_gross_total_and_counts(
    station: Station, allocated_order: str
) -> None:
    [row] = orders.list_orders(station.local)
    assert (row.number, row.customer, row.lines, row.units) == ("100234", "Jürgen Müller", 1, 3)
    assert row.total == Decimal("15.12")  # 3 × 4.20 × 1.20
    assert orders.status_counts(station.local) == {OrderStatus.ALLOCATED: 1}
