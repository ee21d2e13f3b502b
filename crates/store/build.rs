//! `sqlx::migrate!` embeds the files of `migrations/` at compile time: build
//! again whenever one of them changes.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
