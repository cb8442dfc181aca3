//! The `scalescope` command.
fn main() {
    println!("scalescope {}", env!("CARGO_PKG_VERSION"));
}
