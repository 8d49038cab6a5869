use super::*;
use crate::{Error, OrderId, Timestamp};

const NOW: Timestamp = Timestamp(1_780_000_000_000);

fn order() -> Order {
    let new = NewOrder::new(CustomerId(1), "AMD")
        .line(NewOrderLine::new("Ասպիրին", 3, 1000))
        .line(NewOrderLine::new("Բինտ", 1, 999).discount(99));
    let mut o = validate_order(&new, NOW).unwrap();
    o.id = OrderId(5);
    o
}

fn field(e: Error) -> String {
    e.field().unwrap_or_default().to_owned()
}

#[test]
fn order_totals_are_exact_integers() {
    let o = order();
    assert_eq!(o.lines[1].total, 900);
    assert_eq!((o.total.minor, o.paid.minor), (3900, 3900));
    assert_eq!(o.at, NOW);
}

#[test]
fn bad_orders_name_the_field() {
    let base = || NewOrder::new(CustomerId(1), "AMD");
    let cases = [
        (base(), "lines"),
        (base().line(NewOrderLine::new("", 1, 1)), "lines[0].product"),
        (
            base().line(NewOrderLine::new("x", 0, 1)),
            "lines[0].quantity",
        ),
        (
            base().line(NewOrderLine::new("x", 1, -1)),
            "lines[0].unit_price",
        ),
        (
            base().line(NewOrderLine::new("x", 1, 5).discount(6)),
            "lines[0].discount",
        ),
        (
            base().line(NewOrderLine::new("x", 1, 5).discount(-1)),
            "lines[0].discount",
        ),
        (
            base().line(NewOrderLine::new("x", 2, i64::MAX)),
            "lines[0].unit_price",
        ),
        (
            base()
                .line(NewOrderLine::new("x", 1, i64::MAX))
                .line(NewOrderLine::new("y", 1, 1)),
            "lines[1].unit_price",
        ),
        (base().line(NewOrderLine::new("x", 1, 5)).paid(6), "paid"),
        (base().line(NewOrderLine::new("x", 1, 5)).paid(-1), "paid"),
        (
            NewOrder::new(CustomerId(1), "XXZ").line(NewOrderLine::new("x", 1, 5)),
            "currency",
        ),
    ];
    for (new, expected) in cases {
        assert_eq!(field(validate_order(&new, NOW).unwrap_err()), expected);
    }
}

#[test]
fn partial_returns_round_down_and_a_full_return_gives_back_the_line_total() {
    let o = order();
    let r1 = validate_return(&NewReturn::new(o.id).line(1, 1), &o, &[], NOW).unwrap();
    assert_eq!(r1.amount.minor, 900);
    let mut before = Vec::new();
    let mut total = 0;
    for _ in 0..3 {
        let mut r = validate_return(&NewReturn::new(o.id).line(0, 1), &o, &before, NOW).unwrap();
        total += r.amount.minor;
        r.id = crate::ReturnId(before.len() as i64 + 1);
        before.push(r);
    }
    assert_eq!(total, 3000);
    let err = validate_return(&NewReturn::new(o.id).line(0, 1), &o, &before, NOW).unwrap_err();
    assert_eq!(field(err), "lines[0].line");
}

#[test]
fn bad_returns_name_the_field() {
    let o = order();
    let cases = [
        (NewReturn::new(o.id), "lines"),
        (NewReturn::new(o.id).line(2, 1), "lines[0].line"),
        (NewReturn::new(o.id).line(0, 0), "lines[0].quantity"),
        (NewReturn::new(o.id).line(0, -2), "lines[0].quantity"),
        (NewReturn::new(o.id).line(0, 4), "lines[0].quantity"),
        (
            NewReturn::new(o.id).line(0, 1).line(1, 1).line(0, 1),
            "lines[2].line",
        ),
    ];
    for (new, expected) in cases {
        assert_eq!(
            field(validate_return(&new, &o, &[], NOW).unwrap_err()),
            expected
        );
    }
}
