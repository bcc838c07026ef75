//! The prebuilt signer's hot paths perform no heap allocation: `Authent` in the current and the legacy
//! encoding (decoded on the fly, an escape spanning query and body included), with and without a nonce, and
//! the WebSocket challenge. Counted with a counting global allocator.

use auth_kraken_futures::{AUTHENT_LEN, Encoding, FuturesSigner, SIGNED_CHALLENGE_LEN};

const SECRET: &str = "cHl0aG9uLWtyYWtlbi1zZGsgdW5pdC10ZXN0IHNlY3JldCB2YWx1ZQ==";

#[test]
fn sign_into_does_not_allocate() {
    let signer = FuturesSigner::new("key", SECRET).unwrap();
    let requests: [(&str, &[u8], &[u8]); 4] = [
        (
            "/derivatives/api/v3/sendorder",
            b"",
            b"orderType=lmt&symbol=PI_XBTUSD",
        ),
        (
            "/derivatives/api/v3/sendorder",
            b"orderType=lmt&symbol=PI_XBTUSD&cliOrdId=a%20b%2",
            b"0c%zz%",
        ),
        ("/api/history/v2/history", b"since=1616492376594", b""),
        ("/derivatives/api/v3/openpositions", b"", b""),
    ];
    let mut out = [0u8; AUTHENT_LEN];
    let info = allocation_counter::measure(|| {
        for (path, query, body) in requests {
            for nonce in [Some(1_616_492_376_594), None] {
                for encoding in [Encoding::Current, Encoding::Legacy] {
                    let signed = signer.sign_into(path, query, body, nonce, encoding, &mut out);
                    assert_eq!(signed.map(str::len), Ok(AUTHENT_LEN));
                }
            }
        }
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn sign_challenge_into_does_not_allocate() {
    let signer = FuturesSigner::new("key", SECRET).unwrap();
    let mut out = [0u8; SIGNED_CHALLENGE_LEN];
    let info = allocation_counter::measure(|| {
        let signed = signer.sign_challenge_into(b"c100b894-1729-464d-ace1-52dbce11db42", &mut out);
        assert_eq!(signed.len(), SIGNED_CHALLENGE_LEN);
    });
    assert_eq!(info.count_total, 0, "{info:?}");
}

#[test]
fn the_counter_does_count() {
    // Guards the tests above against a counter that silently counts nothing.
    let info = allocation_counter::measure(|| {
        std::hint::black_box(FuturesSigner::new("key", SECRET).unwrap());
    });
    assert!(info.count_total > 0);
}
