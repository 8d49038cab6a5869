//! Keyset pagination.

/// One page of results and the cursor for the next page.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Page<T> {
    /// The items on this page, in order.
    pub items: Vec<T>,
    /// Pass this back to get the next page; `None` on the last page.
    pub next: Option<String>,
}

/// The largest page size accepted by list queries.
pub const MAX_PAGE: u32 = 1000;

/// Checks a page size: 1..=[`MAX_PAGE`].
pub fn check_limit(limit: u32) -> crate::Result<u32> {
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(limit)
    } else {
        Err(crate::Error::validation(
            "limit",
            format!("must be between 1 and {MAX_PAGE}"),
        ))
    }
}
