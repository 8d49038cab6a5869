//! Progress reports of a running import.

use crate::{Error, Result};
use std::ops::ControlFlow;

/// How far an import has got, as reported to a progress callback.
///
/// Reading goes first (`bytes_read` up to `bytes_total`), then writing (`written` up to
/// `to_write`), all inside the import's transaction: a callback that stops the import
/// leaves the database unchanged.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ImportProgress {
    /// Rows read from the file so far.
    pub rows_read: u64,
    /// Bytes of the (decoded) file read so far.
    pub bytes_read: u64,
    /// Bytes of the (decoded) file in all.
    pub bytes_total: u64,
    /// Records (rows, or orders for purchase history) written so far; 0 while reading.
    pub written: u64,
    /// Records that passed the checks and will be written; 0 while reading.
    pub to_write: u64,
    /// Whether the file has been read to the end.
    pub read_done: bool,
}

/// The callback of an import with progress: return `ControlFlow::Break(())` to stop the
/// import, which then fails with a validation error on field `progress` and writes nothing.
pub type ProgressFn<'a> = dyn FnMut(&ImportProgress) -> ControlFlow<()> + 'a;

/// Counts rows and calls the callback every `every` rows and at the end of each phase.
pub(crate) struct Progress<'a, 'b> {
    callback: Option<&'a mut ProgressFn<'b>>,
    every: u64,
    state: ImportProgress,
}

impl<'a, 'b> Progress<'a, 'b> {
    pub(crate) fn new(callback: &'a mut ProgressFn<'b>, every: u64) -> Self {
        Self {
            callback: Some(callback),
            every: every.max(1),
            state: ImportProgress::default(),
        }
    }

    /// No callback: counting only.
    pub(crate) fn none() -> Self {
        Self {
            callback: None,
            every: u64::MAX,
            state: ImportProgress::default(),
        }
    }

    fn report(&mut self) -> Result<()> {
        let Some(callback) = self.callback.as_mut() else {
            return Ok(());
        };
        match callback(&self.state) {
            ControlFlow::Continue(()) => Ok(()),
            ControlFlow::Break(()) => Err(Error::validation(
                "progress",
                "the progress callback stopped the import; nothing was imported",
            )),
        }
    }

    /// Starts reading a file of `total` bytes.
    pub(crate) fn start(&mut self, total: usize) {
        self.state = ImportProgress {
            bytes_total: u64::try_from(total).unwrap_or(u64::MAX),
            ..ImportProgress::default()
        };
    }

    /// One more row read, the reader being at byte `offset`.
    pub(crate) fn row_read(&mut self, offset: u64) -> Result<()> {
        self.state.rows_read = self.state.rows_read.saturating_add(1);
        self.state.bytes_read = offset.min(self.state.bytes_total);
        if self.state.rows_read.is_multiple_of(self.every) {
            self.report()?;
        }
        Ok(())
    }

    /// The whole file was read.
    pub(crate) fn read_done(&mut self) -> Result<()> {
        self.state.bytes_read = self.state.bytes_total;
        self.state.read_done = true;
        self.report()
    }

    /// Writing starts with `count` checked records (again on a retried transaction).
    pub(crate) fn start_writing(&mut self, count: usize) {
        self.state.written = 0;
        self.state.to_write = u64::try_from(count).unwrap_or(u64::MAX);
    }

    /// One more record written (or rejected by the database checks).
    pub(crate) fn wrote(&mut self) -> Result<()> {
        self.state.written = self.state.written.saturating_add(1);
        if self.state.written.is_multiple_of(self.every) {
            self.report()?;
        }
        Ok(())
    }

    /// Everything was written; the transaction is not committed yet.
    pub(crate) fn write_done(&mut self) -> Result<()> {
        self.state.written = self.state.to_write;
        self.report()
    }
}
