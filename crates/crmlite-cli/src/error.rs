//! Why a command failed, and the exit code each failure maps to.

use std::io::{self, Write as _};
use std::process::ExitCode;

use crmlite::{Error, ErrorKind};

/// Exit code: writing the output failed.
pub const EXIT_OUTPUT: u8 = 1;
/// Exit code: bad usage or an input the library rejected (clap uses 2 for usage errors too).
pub const EXIT_VALIDATION: u8 = 2;
/// Exit code: a record that was asked for does not exist.
pub const EXIT_NOT_FOUND: u8 = 3;
/// Exit code: the write clashed with the stored state (stale version, duplicate code, non-empty demo file).
pub const EXIT_CONFLICT: u8 = 4;
/// Exit code: the database failed (locked, damaged, unreadable, too new).
pub const EXIT_STORAGE: u8 = 5;
/// Exit code: `verify` found stored data that breaks an invariant.
pub const EXIT_VIOLATIONS: u8 = 6;

/// A failed command.
#[derive(Debug)]
pub enum Failure {
    /// The library (or the CLI's own input parsing, in the library's terms) refused.
    Crm(Error),
    /// Standard output could not be written.
    Output(io::Error),
    /// `verify` ran and found this many violations.
    Violations(i64),
}

impl From<Error> for Failure {
    fn from(e: Error) -> Self {
        Self::Crm(e)
    }
}

impl From<io::Error> for Failure {
    fn from(e: io::Error) -> Self {
        Self::Output(e)
    }
}

impl Failure {
    /// The process exit code for this failure.
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Crm(e) => match e.kind() {
                ErrorKind::Validation => EXIT_VALIDATION,
                ErrorKind::NotFound => EXIT_NOT_FOUND,
                ErrorKind::Conflict => EXIT_CONFLICT,
                _ => EXIT_STORAGE,
            },
            Self::Output(_) => EXIT_OUTPUT,
            Self::Violations(_) => EXIT_VIOLATIONS,
        }
    }

    /// Prints `error: <message>` to standard error and returns the exit code.
    /// A closed pipe (`crmlite changes | head`) is not worth a message.
    pub fn report(&self) -> std::process::ExitCode {
        let message = match self {
            Self::Crm(e) => e.to_string(),
            Self::Output(e) if e.kind() == io::ErrorKind::BrokenPipe => return ExitCode::SUCCESS,
            Self::Output(e) => format!("cannot write output: {e}"),
            Self::Violations(n) => format!("verify found {n} violations"),
        };
        // Nothing is left to do if standard error is gone too.
        let _ = writeln!(io::stderr().lock(), "error: {message}");
        ExitCode::from(self.exit_code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crmlite::{EntityKind, StorageKind};

    #[test]
    fn each_error_kind_has_its_exit_code() {
        let code = |e: Error| Failure::from(e).exit_code();
        assert_eq!(code(Error::validation("phones[0]", "bad")), 2);
        assert_eq!(code(Error::not_found(EntityKind::Customer, 7)), 3);
        assert_eq!(code(Error::Conflict("stale".into())), 4);
        assert_eq!(code(Error::storage(StorageKind::Corrupt, "bad file")), 5);
        assert_eq!(code(Error::storage(StorageKind::Busy, "locked")), 5);
        assert_eq!(Failure::from(io::Error::other("disk")).exit_code(), 1);
        assert_eq!(Failure::Violations(3).exit_code(), 6);
    }
}
