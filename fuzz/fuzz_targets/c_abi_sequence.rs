//! Sequences of C ABI calls decoded from bytes, as a careless host would make them: NULL
//! handles and out-parameters, strings that are not UTF-8, handles used after the host closed
//! and forgot them (NULL, as the header asks), out-of-range enum codes and limits, cursors
//! abandoned midway. Must hold: every status is a documented code and never
//! `CRMLITE_ERR_INTERNAL` (a caught panic); an out-parameter is written only on success; under
//! the sanitizers, no memory error and no leak once everything handed out is freed.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::ffi::{CStr, CString, c_char, c_void};
use std::path::PathBuf;
use std::ptr::{null, null_mut};
use std::sync::OnceLock;

// Link the C ABI (bindings/c/src) built with the fuzzer's instrumentation.
extern crate crmlite_capi;

type Db = c_void;
type Status = i32;

unsafe extern "C" {
    fn crmlite_open_v2(
        path: *const c_char,
        region: *const c_char,
        synchronous: i32,
        out: *mut *mut Db,
    ) -> Status;
    fn crmlite_close(db: *mut Db);
    fn crmlite_customer_draft_new(kind: i32, name: *const c_char, out: *mut *mut c_void) -> Status;
    fn crmlite_customer_draft_add_email(draft: *mut c_void, email: *const c_char) -> Status;
    fn crmlite_customer_draft_add_phone(draft: *mut c_void, phone: *const c_char) -> Status;
    fn crmlite_customer_draft_free(draft: *mut c_void);
    fn crmlite_customer_add(db: *const Db, draft: *const c_void, id_out: *mut i64) -> Status;
    fn crmlite_customer_get(db: *const Db, id: i64, out: *mut *mut c_void) -> Status;
    fn crmlite_customer_free(customer: *mut c_void);
    fn crmlite_customer_id(customer: *const c_void, out: *mut i64) -> Status;
    fn crmlite_customer_version(customer: *const c_void, out: *mut i64) -> Status;
    fn crmlite_customer_name(customer: *const c_void, out: *mut *const c_char) -> Status;
    fn crmlite_customer_email_at(
        customer: *const c_void,
        index: usize,
        out: *mut *const c_char,
    ) -> Status;
    fn crmlite_customer_search(
        db: *const Db,
        query: *const c_char,
        limit: u32,
        out: *mut *mut c_void,
    ) -> Status;
    fn crmlite_customer_cursor_next(cursor: *mut c_void, row: *mut *const c_void) -> Status;
    fn crmlite_customer_cursor_free(cursor: *mut c_void);
    fn crmlite_customer_patch_new(out: *mut *mut c_void) -> Status;
    fn crmlite_customer_patch_set_name(patch: *mut c_void, name: *const c_char) -> Status;
    fn crmlite_customer_patch_free(patch: *mut c_void);
    fn crmlite_customer_update(
        db: *const Db,
        id: i64,
        version: i64,
        patch: *const c_void,
        out: *mut i64,
    ) -> Status;
    fn crmlite_import(
        db: *const Db,
        kind: *const c_char,
        data: *const u8,
        len: usize,
        format: *const c_char,
        encoding: *const c_char,
        delimiter: c_char,
        currency: *const c_char,
        skip_bad_rows: i32,
        inserted: *mut i64,
        updated: *mut i64,
        unchanged: *mut i64,
        rejected: *mut i64,
    ) -> Status;
    fn crmlite_export(
        db: *const Db,
        kind: *const c_char,
        format: *const c_char,
        encoding: *const c_char,
        delimiter: c_char,
        decimal_comma: i32,
        data_out: *mut *mut c_char,
        len_out: *mut usize,
    ) -> Status;
    fn crmlite_string_free(text: *mut c_char);
    fn crmlite_template_save(
        db: *const Db,
        code: *const c_char,
        kind: i32,
        format: i32,
        body: *const c_char,
        id_out: *mut i64,
    ) -> Status;
    fn crmlite_template_render(
        db: *const Db,
        code: *const c_char,
        customer: i64,
        vars_json: *const c_char,
        text_out: *mut *mut c_char,
    ) -> Status;
    fn crmlite_changes_since(
        db: *const Db,
        cursor: i64,
        limit: u32,
        out: *mut *mut c_void,
    ) -> Status;
    fn crmlite_change_cursor_next(cursor: *mut c_void, row: *mut *const c_void) -> Status;
    fn crmlite_change_cursor_free(cursor: *mut c_void);
    fn crmlite_verify(db: *const Db, out: *mut *mut c_void) -> Status;
    fn crmlite_verify_report_ok(report: *const c_void, ok: *mut bool) -> Status;
    fn crmlite_verify_report_free(report: *mut c_void);
    fn crmlite_last_error_message() -> *const c_char;
}

const OK: Status = 0;
const ROW: Status = 100;
const DONE: Status = 101;
const DOCUMENTED: &[Status] = &[0, 1, 2, 3, 4, 5, 21, 100, 101];

/// A pointer the library must not write on failure.
fn sentinel<T>() -> *mut T {
    std::ptr::dangling_mut()
}

fn check(call: &str, status: Status) -> Status {
    assert!(
        DOCUMENTED.contains(&status),
        "{call} returned undocumented status {status}"
    );
    assert_ne!(status, 22, "{call}: a panic reached the boundary");
    status
}

/// Takes an out-pointer's value when `status` is OK; on failure asserts it was not written.
fn taken<T>(call: &str, status: Status, value: *mut T) -> *mut T {
    if status == OK {
        value
    } else {
        assert_eq!(
            value,
            sentinel(),
            "{call} wrote its out-parameter on failure"
        );
        null_mut()
    }
}

/// Reads a C string the library handed out, so the sanitizers see every byte.
fn touch(text: *const c_char) -> usize {
    if text.is_null() {
        0
    } else {
        // SAFETY: the library promises a NUL-terminated string alive until its owner is freed.
        unsafe { CStr::from_ptr(text) }.to_bytes().len()
    }
}

/// A migrated, empty database file made once per process (`scripts/fuzz` removes the
/// directory); every open copies it, so runs start alike without paying for the migrations.
fn template() -> &'static PathBuf {
    static TEMPLATE: OnceLock<PathBuf> = OnceLock::new();
    TEMPLATE.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("crmlite-fuzz-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("template.db");
        let c_path = CString::new(path.to_string_lossy().into_owned()).expect("path");
        let mut db = null_mut();
        // SAFETY: a valid path and out-pointer; the handle is closed right away.
        unsafe {
            assert_eq!(crmlite_open_v2(c_path.as_ptr(), null(), 1, &mut db), OK);
            crmlite_close(db);
        }
        path
    })
}

/// A fresh copy of the template for slot `slot`.
fn fresh_copy(slot: usize) -> CString {
    let template = template();
    let path = template.with_file_name(format!("db{slot}.db"));
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    std::fs::copy(template, &path).expect("copy the template");
    CString::new(path.to_string_lossy().into_owned()).expect("path")
}

struct Input<'a>(&'a [u8]);

impl Input<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }

    fn int(&mut self) -> i64 {
        match self.byte() {
            0..=199 => i64::from(self.byte() % 8),
            200..=249 => i64::from(i8::from_le_bytes([self.byte()])),
            250 => i64::MAX,
            251 => i64::MIN,
            _ => i64::from_le_bytes(std::array::from_fn(|_| self.byte())),
        }
    }

    fn bytes(&mut self) -> Vec<u8> {
        let n = usize::from(self.byte() % 48).min(self.0.len());
        let (taken, rest) = self.0.split_at(n);
        self.0 = rest;
        taken.to_vec()
    }

    /// NULL, or a C string of arbitrary bytes (not necessarily UTF-8), cut at any NUL.
    fn text(&mut self) -> Option<CString> {
        match self.byte() % 8 {
            0 => None,
            1 => Some(CString::from(c"customer")),
            2 => Some(CString::from(c"unit")),
            3 => Some(CString::from(c"Γιώργος Παπαδόπουλος")),
            _ => {
                let mut b = self.bytes();
                if let Some(nul) = b.iter().position(|&c| c == 0) {
                    b.truncate(nul);
                }
                CString::new(b).ok()
            }
        }
    }
}

fn ptr(s: &Option<CString>) -> *const c_char {
    s.as_ref().map_or(null(), |s| s.as_ptr())
}

struct Host {
    dbs: [*mut Db; 2],
    drafts: [*mut c_void; 2],
    customers: [*mut c_void; 2],
    cursors: [*mut c_void; 2],
    patch: *mut c_void,
    ids: Vec<i64>,
}

impl Host {
    fn new() -> Self {
        Self {
            dbs: [null_mut(); 2],
            drafts: [null_mut(); 2],
            customers: [null_mut(); 2],
            cursors: [null_mut(); 2],
            patch: null_mut(),
            ids: Vec::new(),
        }
    }

    fn db(&self, input: &mut Input<'_>) -> *mut Db {
        self.dbs[usize::from(input.byte() & 1)]
    }

    fn id(&self, input: &mut Input<'_>) -> i64 {
        let n = input.int();
        if n >= 0 && !self.ids.is_empty() {
            self.ids[n as usize % self.ids.len()]
        } else {
            n
        }
    }

    /// Runs one call; SAFETY of each: every handle passed is NULL or live (the host sets a
    /// slot to NULL when it frees it), and every out-pointer is valid or NULL.
    fn step(&mut self, input: &mut Input<'_>) {
        let slot = usize::from(input.byte() & 1);
        match input.byte() % 22 {
            0 => {
                let region = input.text();
                let sync = i32::from(input.byte() % 4) - 1;
                let mut out: *mut Db = sentinel();
                let out_ptr = if input.byte() % 16 == 0 {
                    null_mut()
                } else {
                    &mut out
                };
                // The slot's file is replaced, so its old handle is closed first.
                // SAFETY: the old handle (or NULL) is closed once and forgotten.
                unsafe { crmlite_close(self.dbs[slot]) };
                self.dbs[slot] = null_mut();
                let file = fresh_copy(slot);
                let path = match input.byte() % 16 {
                    0 => null(),
                    1 => c":memory:".as_ptr(),
                    _ => file.as_ptr(),
                };
                // SAFETY: see `step`.
                let s = check("open", unsafe {
                    crmlite_open_v2(path, ptr(&region), sync, out_ptr)
                });
                if !out_ptr.is_null() {
                    self.dbs[slot] = taken("open", s, out);
                }
            }
            1 => {
                // SAFETY: closed once, then forgotten.
                unsafe { crmlite_close(self.dbs[slot]) };
                self.dbs[slot] = null_mut();
            }
            2 => {
                let kind = i32::from(input.byte() % 4) - 1;
                let name = input.text();
                let mut out = sentinel();
                // SAFETY: see `step`.
                let s = check("draft_new", unsafe {
                    crmlite_customer_draft_new(kind, ptr(&name), &mut out)
                });
                let draft = taken("draft_new", s, out);
                if !draft.is_null() {
                    // SAFETY: the old draft is freed once and replaced.
                    unsafe { crmlite_customer_draft_free(self.drafts[slot]) };
                    self.drafts[slot] = draft;
                }
            }
            3 => {
                let text = input.text();
                // SAFETY: see `step`.
                check("draft_add_email", unsafe {
                    crmlite_customer_draft_add_email(self.drafts[slot], ptr(&text))
                });
            }
            4 => {
                let text = input.text();
                // SAFETY: see `step`.
                check("draft_add_phone", unsafe {
                    crmlite_customer_draft_add_phone(self.drafts[slot], ptr(&text))
                });
            }
            5 => {
                // SAFETY: freed once, then forgotten.
                unsafe { crmlite_customer_draft_free(self.drafts[slot]) };
                self.drafts[slot] = null_mut();
            }
            6 => {
                let db = self.db(input);
                let mut id = i64::MIN + 7;
                // SAFETY: see `step`.
                let s = check("customer_add", unsafe {
                    crmlite_customer_add(db, self.drafts[slot], &mut id)
                });
                if s == OK {
                    self.ids.push(id);
                } else {
                    assert_eq!(id, i64::MIN + 7, "customer_add wrote id_out on failure");
                }
            }
            7 => {
                let db = self.db(input);
                let id = self.id(input);
                let mut out = sentinel();
                // SAFETY: see `step`.
                let s = check("customer_get", unsafe {
                    crmlite_customer_get(db, id, &mut out)
                });
                let c = taken("customer_get", s, out);
                if !c.is_null() {
                    // SAFETY: the old customer is freed once and replaced.
                    unsafe { crmlite_customer_free(self.customers[slot]) };
                    self.customers[slot] = c;
                }
            }
            8 => {
                let c = self.customers[slot];
                let mut name = sentinel::<c_char>().cast_const();
                let mut email = sentinel::<c_char>().cast_const();
                let mut id = 0;
                let index = input.int() as usize;
                // SAFETY: see `step`; strings read only on success.
                unsafe {
                    if check("customer_name", crmlite_customer_name(c, &mut name)) == OK {
                        touch(name);
                    }
                    if check(
                        "customer_email_at",
                        crmlite_customer_email_at(c, index, &mut email),
                    ) == OK
                    {
                        touch(email);
                    }
                    check("customer_id", crmlite_customer_id(c, &mut id));
                }
            }
            9 => {
                // SAFETY: freed once, then forgotten.
                unsafe { crmlite_customer_free(self.customers[slot]) };
                self.customers[slot] = null_mut();
            }
            10 => {
                let db = self.db(input);
                let query = input.text();
                let limit = match input.byte() % 4 {
                    0 => 0,
                    1 => u32::MAX,
                    _ => u32::from(input.byte()),
                };
                let mut out = sentinel();
                // SAFETY: see `step`.
                let s = check("search", unsafe {
                    crmlite_customer_search(db, ptr(&query), limit, &mut out)
                });
                let cursor = taken("search", s, out);
                if !cursor.is_null() {
                    // SAFETY: the old cursor is freed once (abandoned midway) and replaced.
                    unsafe { crmlite_customer_cursor_free(self.cursors[slot]) };
                    self.cursors[slot] = cursor;
                }
            }
            11 => {
                let mut row = sentinel::<c_void>().cast_const();
                // SAFETY: see `step`; the row is borrowed from the live cursor.
                let s = check("cursor_next", unsafe {
                    crmlite_customer_cursor_next(self.cursors[slot], &mut row)
                });
                if s == ROW {
                    let (mut id, mut version, mut name) = (0, 0, null());
                    // SAFETY: the row stays valid until the next step of its cursor.
                    unsafe {
                        check("row id", crmlite_customer_id(row, &mut id));
                        check("row version", crmlite_customer_version(row, &mut version));
                        if check("row name", crmlite_customer_name(row, &mut name)) == OK {
                            touch(name);
                        }
                    }
                } else if s != DONE {
                    assert_eq!(
                        row,
                        sentinel::<c_void>().cast_const(),
                        "cursor_next wrote row"
                    );
                }
            }
            12 => {
                // SAFETY: freed once, then forgotten.
                unsafe { crmlite_customer_cursor_free(self.cursors[slot]) };
                self.cursors[slot] = null_mut();
            }
            13 => {
                let db = self.db(input);
                let kind = input.text();
                let data = input.bytes();
                let format = input.text();
                let encoding = input.text();
                let delimiter = input.byte() as c_char;
                let skip = i32::from(input.byte() % 3);
                let data_ptr = if input.byte() % 16 == 0 {
                    null()
                } else {
                    data.as_ptr()
                };
                let (mut a, mut b, mut c, mut d) = (0, 0, 0, 0);
                // SAFETY: see `step`; `data` outlives the call.
                check("import", unsafe {
                    crmlite_import(
                        db,
                        ptr(&kind),
                        data_ptr,
                        data.len(),
                        ptr(&format),
                        ptr(&encoding),
                        delimiter,
                        null(),
                        skip,
                        &mut a,
                        &mut b,
                        &mut c,
                        &mut d,
                    )
                });
            }
            14 => {
                let db = self.db(input);
                let kind = input.text();
                let format = input.text();
                let mut data = sentinel();
                let mut len = usize::MAX;
                // SAFETY: see `step`.
                let s = check("export", unsafe {
                    crmlite_export(
                        db,
                        ptr(&kind),
                        ptr(&format),
                        null(),
                        b',' as c_char,
                        i32::from(input.byte() & 1),
                        &mut data,
                        &mut len,
                    )
                });
                let data = taken("export", s, data);
                if !data.is_null() {
                    // SAFETY: the library hands out `len` bytes plus a NUL, freed once here.
                    unsafe {
                        let bytes = std::slice::from_raw_parts(data.cast::<u8>(), len);
                        std::hint::black_box(bytes.iter().map(|&b| u64::from(b)).sum::<u64>());
                        crmlite_string_free(data);
                    }
                }
            }
            15 => {
                let db = self.db(input);
                let code = input.text();
                let body = input.text();
                let kind = i32::from(input.byte() % 8) - 1;
                let format = i32::from(input.byte() % 3);
                let mut id = 0;
                // SAFETY: see `step`.
                check("template_save", unsafe {
                    crmlite_template_save(db, ptr(&code), kind, format, ptr(&body), &mut id)
                });
            }
            16 => {
                let db = self.db(input);
                let code = input.text();
                let vars = input.text();
                let customer = self.id(input);
                let mut out = sentinel();
                // SAFETY: see `step`.
                let s = check("template_render", unsafe {
                    crmlite_template_render(db, ptr(&code), customer, ptr(&vars), &mut out)
                });
                let text = taken("template_render", s, out);
                if !text.is_null() {
                    touch(text);
                    // SAFETY: freed once.
                    unsafe { crmlite_string_free(text) };
                }
            }
            17 => {
                if self.patch.is_null() {
                    let mut out = sentinel();
                    // SAFETY: see `step`.
                    let s = check("patch_new", unsafe { crmlite_customer_patch_new(&mut out) });
                    self.patch = taken("patch_new", s, out);
                }
                let name = input.text();
                // SAFETY: see `step`.
                check("patch_set_name", unsafe {
                    crmlite_customer_patch_set_name(self.patch, ptr(&name))
                });
                let db = self.db(input);
                let id = self.id(input);
                let version = input.int();
                let mut new_version = -7;
                // SAFETY: see `step`.
                let s = check("customer_update", unsafe {
                    crmlite_customer_update(db, id, version, self.patch, &mut new_version)
                });
                if s != OK {
                    assert_eq!(new_version, -7, "customer_update wrote on failure");
                }
                if input.byte() & 1 == 1 {
                    // SAFETY: freed once, then forgotten.
                    unsafe { crmlite_customer_patch_free(self.patch) };
                    self.patch = null_mut();
                }
            }
            18 => {
                let db = self.db(input);
                let from = input.int();
                let limit = u32::from(input.byte());
                let mut out = sentinel();
                // SAFETY: see `step`.
                let s = check("changes_since", unsafe {
                    crmlite_changes_since(db, from, limit, &mut out)
                });
                let cursor = taken("changes_since", s, out);
                if !cursor.is_null() {
                    for _ in 0..input.byte() % 4 {
                        let mut row = null();
                        // SAFETY: the cursor is live until freed below.
                        if check("change_next", unsafe {
                            crmlite_change_cursor_next(cursor, &mut row)
                        }) != ROW
                        {
                            break;
                        }
                    }
                    // SAFETY: freed once (possibly midway).
                    unsafe { crmlite_change_cursor_free(cursor) };
                }
            }
            19 => {
                let db = self.db(input);
                let mut out = sentinel();
                // SAFETY: see `step`.
                let s = check("verify", unsafe { crmlite_verify(db, &mut out) });
                let report = taken("verify", s, out);
                if !report.is_null() {
                    let mut ok = false;
                    // SAFETY: the report is live until freed below.
                    unsafe {
                        check("verify_ok", crmlite_verify_report_ok(report, &mut ok));
                        crmlite_verify_report_free(report);
                    }
                    assert!(ok, "verify() failed after a sequence of C calls");
                }
            }
            20 => {
                // SAFETY: no arguments; the message is valid until the next call on this thread.
                touch(unsafe { crmlite_last_error_message() });
            }
            _ => {
                // SAFETY: freeing NULL is documented as a no-op, for every free function.
                unsafe {
                    crmlite_string_free(null_mut());
                    crmlite_customer_free(null_mut());
                    crmlite_customer_cursor_free(null_mut());
                    crmlite_verify_report_free(null_mut());
                    crmlite_close(null_mut());
                }
            }
        }
    }
}

impl Drop for Host {
    fn drop(&mut self) {
        // SAFETY: each live handle is released exactly once; NULL slots are no-ops.
        unsafe {
            for c in self.cursors {
                crmlite_customer_cursor_free(c);
            }
            for c in self.customers {
                crmlite_customer_free(c);
            }
            for d in self.drafts {
                crmlite_customer_draft_free(d);
            }
            crmlite_customer_patch_free(self.patch);
            for db in self.dbs {
                crmlite_close(db);
            }
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let mut input = Input(data);
    let mut host = Host::new();
    let mut steps = 0;
    while !input.0.is_empty() && steps < 64 {
        host.step(&mut input);
        steps += 1;
    }
});
