//! The negotiation engine's fold of moves into states, in Rust.
//!
//! `rules` holds the rules of the Python package's `negotiation.rules.play`, over interned ids;
//! `py` (with the `python` feature, as maturin builds it) is the extension module
//! `negotiation_native` the package drives. The Python core stays the reference: this crate
//! must reach the very states it reaches, which the package's differential tests check.

pub mod hash;
pub mod rules;

#[cfg(feature = "python")]
mod alloc;
#[cfg(feature = "python")]
mod py;

#[cfg(feature = "python")]
#[global_allocator]
static ALLOCATOR: alloc::Counting = alloc::Counting;
