"""Transactions from Python: many calls committed together, a failing call that undoes only itself."""

from __future__ import annotations

import crmlite


def main() -> None:
    with crmlite.open(":memory:") as crm:
        # The block's calls run in one transaction: committed when it ends normally,
        # rolled back (and the exception re-raised) when it raises.
        with crm.transaction():
            for i, name in enumerate(["Արմեն Սարգսյան", "ნინო ბერიძე", "Γιώργος Παπαδόπουλος", "مریم احمدی"]):
                c = crm.add_customer(name, external_code=f"C-{i}")
                crm.add_timeline_entry(c.id, "note", "imported")
            # A call that fails undoes only its own changes; the transaction goes on.
            try:
                crm.add_customer("Anna", external_code="C-0")
            except crmlite.ConflictError as e:
                print(f"skipped: {e}")
        print(f"committed {len(list(crm.iter_customers()))} customers")

        try:
            with crm.transaction():
                crm.add_customer("Temporary")
                raise RuntimeError("changed my mind")
        except RuntimeError:
            pass
        print(f"{len(list(crm.iter_customers()))} customers after the rollback")

        # Or by hand; the calling thread owns the transaction.
        crm.begin_transaction()
        crm.add_customer("Ani")
        crm.commit_transaction()
        assert len(list(crm.iter_customers())) == 5


if __name__ == "__main__":
    main()
