//! Unit tests of deal validation, line totals and the reports.
