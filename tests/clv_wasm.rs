//! The CLV fit on wasm32 gives the same bits as natively: the fingerprint of every fitted parameter
//! and customer figure on CDNOW equals the one `tests/clv.rs` asserts natively. Run by
//! `cargo test --target wasm32-unknown-unknown --test clv_wasm`; native `cargo test` compiles this
//! file to nothing.
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing)]

#[path = "common/clv_cdnow.rs"]
mod cdnow;

use wasm_bindgen_test::*;

#[wasm_bindgen_test]
fn clv_fit_has_the_native_bits() {
    assert_eq!(cdnow::fingerprint(), cdnow::FINGERPRINT);
}
