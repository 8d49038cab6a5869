"""A short tour of crmlite from Python: customers in several scripts, search, timeline, change feed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import crmlite


def main() -> None:
    clock = crmlite.FixedClock(datetime(2026, 12, 7, 9, 30, tzinfo=UTC))
    with crmlite.open(":memory:", default_region="GR", clock=clock) as crm:
        shop = crm.add_customer("Έπιπλα Παπαδόπουλος Α.Ε.", kind="organisation", external_code="GR-0042")
        giorgos = crm.add_customer(
            "Γιώργος Παπαδόπουλος",
            emails=["giorgos@example.gr"],
            phones=["210 123 4567"],
            language="el",
            tags=["vip"],
            attributes={"credit": crmlite.Money(Decimal("150.00"), "EUR"), "orders": 3},
        )
        anahit = crm.add_customer(
            "Անահիտ Սարգսյան",
            phones=["+374 10 567890"],
            language="hy",
            attributes={"credit": crmlite.Money(Decimal("25000.00"), "AMD")},
        )
        crm.link_customer(giorgos.id, shop.id, role="διευθυντής")

        print("Customers:")
        for c in crm.iter_customers():
            print(f"  #{c.id} {c.name} ({c.kind}) phone={c.primary_phone or '-'}")

        for query in ("γιωργος", "ΠΑΠΑΔΟΠΟΥΛΟΣ", "անահիտ", "567890", "giorgos@example.gr"):
            found = crm.search_customers(query)
            print(f"search {query!r}: {[c.name for c in found]}")

        clock.advance(timedelta(hours=2))
        crm.add_timeline_entry(giorgos.id, "call", "Ρώτησε για τον καναπέ", author="maria")
        clock.advance(timedelta(days=1))
        crm.add_timeline_entry(anahit.id, "visit", "Այցելեց խանութ", body="Գնեց 2 աթոռ")

        print(f"Timeline of {shop.name}:")
        for entry in crm.timeline(shop.id).items:
            print(f"  {entry.at:%Y-%m-%d %H:%M} {entry.kind:<8} {entry.summary}")

        updated = crm.update_customer(anahit.id, version=anahit.version, tags=["newsletter"])
        print(f"{updated.name}: version {updated.version}, tags {list(updated.tags)}")

        try:
            crm.add_customer("Νίκος", phones=["12"])
        except crmlite.ValidationError as e:
            print(f"rejected: field={e.field!r} reason={e.reason!r}")

        print("Changes:")
        for change in crm.changes_since(0):
            print(f"  {change.seq:>2} {change.op:<6} {change.entity} {change.entity_id}")


if __name__ == "__main__":
    main()
