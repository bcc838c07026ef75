//! Published vectors, checked through every entry point of the crate: Kraken's worked example
//! (docs.kraken.com, "Spot REST Authentication") and python-kraken-sdk's unit-test vector
//! (`tests/spot/test_spot_base_api_unit.py`). The expected values are theirs, not ours.

use std::sync::Arc;

use auth_core::{MemoryKeyStore, MemoryNonceStore, NonceWindow, Request};
use auth_kraken_spot::{
    API_SIGN_LEN, BodyKind, Credentials, Permissions, SpotKey, SpotSigner, SpotVerifier, sign,
    sign_with_stages,
};

struct Published {
    secret: &'static str,
    nonce: u64,
    body: &'static str,
    path: &'static str,
    api_sign: &'static str,
}

const VENDOR: Published = Published {
    secret: "kQH5HW/8p1uGOVjbgWA7FunAmGO8lsSUXNsu3eow76sz84Q18fWxnyRzBHCd3pd5nE9qa99HAZtuZuj6F1huXg==",
    nonce: 1_616_492_376_594,
    body: "nonce=1616492376594&ordertype=limit&pair=XBTUSD&price=37500&type=buy&volume=1.25",
    path: "/0/private/AddOrder",
    api_sign: "4/dpxb3iT4tp/ZCVEwSnEsLxx0bqyhLpdfOpc6fn7OR8+UClSV5n9E6aSS8MPtnRfp32bAb0nmbRn6H8ndwLUQ==",
};

const PYTHON_KRAKEN_SDK: Published = Published {
    secret: "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ==",
    nonce: 1_616_492_376_594,
    body: "nonce=1616492376594&ordertype=limit&pair=XBTUSD",
    path: "/0/private/AddOrder",
    api_sign: "Fo+0Uhanvs3F1byZFCjVBMLsCcRE2xLQMDpoA3Q9hawoZ0ZL35AmbknAQBlOIs4baRx9UGhzQH+/CTl9qnyp1w==",
};

fn request(vector: &Published) -> Request {
    Request::new("POST", vector.path)
        .header("Content-Type", "application/x-www-form-urlencoded")
        .body(vector.body)
}

#[test]
fn prebuilt_hot_path_reproduces_published_signatures() {
    for vector in [VENDOR, PYTHON_KRAKEN_SDK] {
        let signer = SpotSigner::new("key", vector.secret).unwrap();
        let mut out = [0u8; API_SIGN_LEN];
        let api_sign = signer.sign_into(
            vector.path,
            vector.nonce,
            vector.body.as_bytes(),
            BodyKind::Form,
            &mut out,
        );
        assert_eq!(api_sign, Ok(vector.api_sign));
    }
}

#[test]
fn one_shot_and_request_api_reproduce_published_signatures() {
    for vector in [VENDOR, PYTHON_KRAKEN_SDK] {
        let credentials = Credentials {
            api_key: "key",
            secret: vector.secret,
        };
        let output = sign(&credentials, &request(&vector), &vector.nonce.to_string()).unwrap();
        assert_eq!(output.headers.get("api-key"), Some("key"));
        assert_eq!(output.headers.get("api-sign"), Some(vector.api_sign));
    }
}

#[test]
fn stages_of_the_vendor_example() {
    let credentials = Credentials {
        api_key: "key",
        secret: VENDOR.secret,
    };
    let (_, stages) = sign_with_stages(&credentials, &request(&VENDOR), "1616492376594").unwrap();
    let named: Vec<_> = stages.to_named();
    let names: Vec<_> = named.iter().map(|(name, _)| *name).collect();
    assert_eq!(
        names,
        [
            "hmac_key",
            "sha256_input",
            "sha256_digest",
            "hmac_message",
            "hmac_digest",
            "api_sign"
        ]
    );
    assert_eq!(named[1].1, format!("1616492376594{}", VENDOR.body));
    // The message starts with the path's bytes and carries the raw 32-byte digest (not its hex).
    assert!(
        named[3]
            .1
            .starts_with("2f302f707269766174652f4164644f72646572")
    );
    assert_eq!(named[3].1.len(), 2 * (VENDOR.path.len() + 32));
    assert!(named[3].1.ends_with(&named[2].1));
    assert_eq!(named[5].1, VENDOR.api_sign);
    // Debug never shows the key.
    assert!(format!("{stages:?}").contains("Secret(**redacted**)"));
}

#[test]
fn verifier_accepts_published_requests() {
    for vector in [VENDOR, PYTHON_KRAKEN_SDK] {
        let mut keys = MemoryKeyStore::new();
        keys.insert(
            "key",
            Arc::new(SpotKey::new("key", vector.secret, Permissions::All).unwrap()),
        );
        let verifier = SpotVerifier::new(keys, MemoryNonceStore::new(NonceWindow(0)));
        let received = request(&vector)
            .header("API-Key", "key")
            .header("API-Sign", vector.api_sign);
        let principal = verifier.verify(&received).unwrap();
        assert_eq!(
            (
                principal.api_key.as_str(),
                principal.nonce,
                principal.endpoint.as_str()
            ),
            ("key", vector.nonce, "AddOrder")
        );
    }
}

#[test]
fn keyed_mac_state_is_zeroized_on_drop() {
    // The prebuilt signer keeps no decoded secret, only the keyed HMAC state, which is key-equivalent: two
    // SHA-512 cores (the ipad and opad states) and a block buffer. hmac 0.13 does not declare `ZeroizeOnDrop` on
    // `Hmac`, but with the `zeroize` feature its parts zeroize themselves in `Drop` (sha2's cores here; the
    // buffer through block-buffer's `zeroize` feature, enabled by digest's). This stops compiling if the
    // feature is dropped from the workspace dependencies.
    fn zeroized_on_drop<T: zeroize::ZeroizeOnDrop>() {}
    zeroized_on_drop::<sha2::block_api::Sha512VarCore>();
    zeroized_on_drop::<sha2::block_api::Sha256VarCore>();
}
