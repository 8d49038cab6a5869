//! Gives the shared library the SONAME `libcrmlite.so`, the file name it is built under, so
//! a host linked against target/debug or an installed copy finds it by that name.

fn main() {
    // Cargo tells build scripts the target through the environment.
    #[allow(clippy::disallowed_methods)]
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,libcrmlite.so");
    }
}
