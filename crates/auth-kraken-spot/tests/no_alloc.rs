//! The prebuilt signer's hot path performs no heap allocation (form and JSON bodies), and verification of a
//! known key allocates only for the principal it returns. Counted with a counting global allocator.

use auth_kraken_spot::{API_SIGN_LEN, BodyKind, SpotSigner};

const SECRET: &str =
    "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==";

#[test]
fn sign_into_does_not_allocate() {
    let signer = SpotSigner::new("key", SECRET).unwrap();
    let form = b"nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25";
    let json = br#"{"nonce":1616492376594,"ordertype":"limit","pair":"XBTUSD","price":"37500","type":"buy","volume":"1.25","nested":{"a":[1,2,{"b":"c"}]}}"#;
    let json_string_nonce = br#"{"pair":"XBTUSD","nonce":"1616492376594"}"#;
    let mut out = [0u8; API_SIGN_LEN];
    let info = allocation_counter::measure(|| {
        for (body, kind) in [
            (&form[..], BodyKind::Form),
            (&json[..], BodyKind::Json),
            (&json_string_nonce[..], BodyKind::Json),
        ] {
            let signed = signer.sign_into(
                "/0/private/AddOrder",
                1_616_492_376_594,
                body,
                kind,
                &mut out,
            );
            assert_eq!(signed.map(str::len), Ok(API_SIGN_LEN));
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn the_counter_does_count() {
    // Guards the test above against a counter that silently counts nothing.
    let info = allocation_counter::measure(|| {
        std::hint::black_box(SpotSigner::new("key", SECRET).unwrap());
    });
    assert!(info.count_total > 0);
}
