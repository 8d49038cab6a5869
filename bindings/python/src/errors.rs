//! Maps `crmlite::Error` to the exception classes defined in `crmlite/errors.py`.

use crmlite::{Error, ErrorKind, StorageKind};
use pyo3::exceptions::{PyBaseException, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyTuple};

/// The Python module that defines the exception tree.
const ERRORS_MODULE: &str = "crmlite.errors";

/// Converts a crmlite error into the matching Python exception.
pub(crate) fn to_py(py: Python<'_>, err: &Error) -> PyErr {
    build(py, err).unwrap_or_else(|import_failure| import_failure)
}

/// A `crmlite.ValidationError` naming `field`, for input rejected by the binding itself.
pub(crate) fn validation(py: Python<'_>, field: &str, reason: impl Into<String>) -> PyErr {
    to_py(py, &Error::validation(field, reason))
}

/// A plain `crmlite.Error` with `message` (e.g. use after close).
pub(crate) fn plain(py: Python<'_>, message: &str) -> PyErr {
    (message,)
        .into_pyobject(py)
        .and_then(|args| instantiate(py, "Error", args, None))
        .unwrap_or_else(|import_failure| import_failure)
}

/// The name of the exception class for each error kind; unknown kinds get the base class.
pub(crate) fn class_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "ValidationError",
        ErrorKind::NotFound => "NotFoundError",
        ErrorKind::Conflict => "ConflictError",
        ErrorKind::Storage => "StorageError",
        ErrorKind::Busy => "BusyError",
        _ => "Error",
    }
}

/// The stable lower-case name of an error kind, as the Python tests see it.
pub(crate) fn kind_name(kind: ErrorKind) -> &'static str {
    match kind {
        ErrorKind::Validation => "validation",
        ErrorKind::NotFound => "not_found",
        ErrorKind::Conflict => "conflict",
        ErrorKind::Storage => "storage",
        ErrorKind::Busy => "busy",
        _ => "unknown",
    }
}

/// The stable lower-case name of a storage failure kind (`StorageError.kind`).
fn storage_kind_name(kind: StorageKind) -> &'static str {
    match kind {
        StorageKind::Busy => "busy",
        StorageKind::Corrupt => "corrupt",
        StorageKind::TooNew => "too_new",
        StorageKind::Io => "io",
        StorageKind::ReadOnly => "read_only",
        StorageKind::Internal => "internal",
        _ => "other",
    }
}

fn build(py: Python<'_>, err: &Error) -> PyResult<PyErr> {
    let class = class_name(err.kind());
    let message = err.to_string();
    let kwargs = PyDict::new(py);
    match err {
        Error::Validation { field, reason } => {
            return instantiate(
                py,
                class,
                (field.as_str(), reason.as_str()).into_pyobject(py)?,
                None,
            );
        }
        Error::NotFound { kind, key } => {
            kwargs.set_item("kind", kind.as_str())?;
            kwargs.set_item("key", key.as_str())?;
        }
        Error::Storage { kind, .. } => kwargs.set_item("kind", storage_kind_name(*kind))?,
        _ => {}
    }
    instantiate(py, class, (message,).into_pyobject(py)?, Some(&kwargs))
}

fn instantiate<'py>(
    py: Python<'py>,
    name: &str,
    args: Bound<'py, PyTuple>,
    kwargs: Option<&Bound<'py, PyDict>>,
) -> PyResult<PyErr> {
    let value = py
        .import(ERRORS_MODULE)?
        .getattr(name)?
        .call(args, kwargs)?;
    if value.is_instance_of::<PyBaseException>() {
        Ok(PyErr::from_value(value))
    } else {
        Err(PyRuntimeError::new_err(format!(
            "{ERRORS_MODULE}.{name} is not an exception class"
        )))
    }
}
