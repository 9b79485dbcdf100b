//! `sqlx::migrate!` embeds the migrations it finds, but on stable Rust it cannot ask cargo to watch
//! their directory: without this, a migration added later is missing from an incremental build.
fn main() {
    println!("cargo:rerun-if-changed=../../migrations/order");
}
