//! IP allowlist entries (KV5-027): single addresses and CIDR ranges, IPv4 and IPv6, with `std::net` only.
//!
//! An entry is an address (`203.0.113.7`, `2001:db8::1`: a range of one) or `address/prefix` (`198.51.100.0/24`,
//! `2001:db8::/32`). Parsing is strict, so that a typo in server configuration is refused at registration rather
//! than silently allowing more (or fewer) addresses than meant:
//!
//! - addresses are what `std::net` parses: dotted-quad IPv4 without leading zeros, RFC 4291 IPv6 text (with an
//!   embedded IPv4 tail allowed), no zone (`%eth0`), no brackets, no whitespace;
//! - the prefix is decimal without sign or leading zero, at most 32 (IPv4) or 128 (IPv6).
//!
//! Bits of an entry's address beyond the prefix: the spec's matching ignores them (`198.51.100.7/24` matches like
//! `198.51.100.0/24`, so that matching is total) and says a registry should refuse such entries (R10). Both are
//! here: [`IpNet::parse`], the registry's reading, refuses them ([`IpNetError::HostBits`]: a range meant, or one
//! address with a stray prefix? refusing cannot widen access by accident); [`IpNet::parse_masked`] and
//! [`IpNet::new`] clear them, as matching does.
//!
//! IPv4-mapped IPv6 (`::ffff:203.0.113.7`, RFC 4291 section 2.5.5.2) is the same host as its IPv4 address: a dual
//! stack server sees IPv4 clients that way. The remote address is compared as IPv4 when it is mapped, and so is an
//! entry inside `::ffff:0:0/96` (`::ffff:203.0.113.0/120` is `203.0.113.0/24`). An IPv6 entry wider than that
//! block (`::/0`) matches IPv6 remotes only: an IPv6 range never admits IPv4 clients. The deprecated
//! IPv4-compatible form (`::203.0.113.7`) is plain IPv6.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::str::FromStr;

/// One allowlist entry: an address range given by a network address and a prefix length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct IpNet {
    /// The network address (host bits zero); IPv4 for entries in `::ffff:0:0/96`.
    addr: IpAddr,
    /// Leading bits that must match.
    prefix: u8,
}

/// Why a text is not an allowlist entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum IpNetError {
    /// The address part is not an IPv4 or IPv6 address.
    #[error("not an IP address")]
    Address,
    /// The prefix is not decimal, has a sign or a leading zero, or exceeds 32 (IPv4) or 128 (IPv6).
    #[error("the prefix length is not 0-32 (IPv4) or 0-128 (IPv6) in canonical decimal")]
    Prefix,
    /// The address has bits set after the prefix (`10.0.0.1/8`).
    #[error("the address has host bits set after the prefix")]
    HostBits,
}

impl IpNet {
    /// The range of `addr`'s first `prefix` bits; the bits after them are ignored (cleared). Refuses a prefix
    /// longer than the address; an IPv4-mapped range of prefix 96 or more becomes the IPv4 range.
    pub fn new(addr: IpAddr, prefix: u8) -> Result<Self, IpNetError> {
        let (addr, prefix) = match addr {
            IpAddr::V6(v6) if (96..=128).contains(&prefix) => match v6.to_ipv4_mapped() {
                Some(v4) => (IpAddr::V4(v4), prefix - 96),
                None => (addr, prefix),
            },
            _ => (addr, prefix),
        };
        let bits = match addr {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        if prefix > bits {
            return Err(IpNetError::Prefix);
        }
        let net = IpNet { addr, prefix };
        Ok(IpNet {
            addr: net.network(),
            prefix,
        })
    }

    /// A range of one address.
    pub fn host(addr: IpAddr) -> Self {
        let canonical = addr.to_canonical();
        let prefix = match canonical {
            IpAddr::V4(_) => 32,
            IpAddr::V6(_) => 128,
        };
        IpNet {
            addr: canonical,
            prefix,
        }
    }

    /// Parses `address` or `address/prefix` as a registry should (see the module doc): an address with bits set
    /// after the prefix is refused.
    pub fn parse(text: &str) -> Result<Self, IpNetError> {
        let (net, given) = IpNet::parse_parts(text)?;
        if net.addr != given.to_canonical() && net.addr != given {
            return Err(IpNetError::HostBits);
        }
        Ok(net)
    }

    /// Parses `address` or `address/prefix` as the spec's matching reads it: bits after the prefix are ignored
    /// (`198.51.100.7/24` is `198.51.100.0/24`).
    pub fn parse_masked(text: &str) -> Result<Self, IpNetError> {
        IpNet::parse_parts(text).map(|(net, _)| net)
    }

    /// The entry (host bits cleared) and the address as written.
    fn parse_parts(text: &str) -> Result<(Self, IpAddr), IpNetError> {
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let addr = IpAddr::from_str(address).map_err(|_| IpNetError::Address)?;
        let net = match prefix {
            None => IpNet::host(addr),
            Some(prefix) => IpNet::new(addr, parse_prefix(prefix)?)?,
        };
        Ok((net, addr))
    }

    /// The network address (IPv4 for an IPv4-mapped entry).
    pub const fn addr(&self) -> IpAddr {
        self.addr
    }

    /// The prefix length (relative to the IPv4 address for an IPv4-mapped entry).
    pub const fn prefix_len(&self) -> u8 {
        self.prefix
    }

    /// Whether `remote` is in this range. An IPv4-mapped IPv6 `remote` is compared as its IPv4 address.
    pub fn contains(&self, remote: IpAddr) -> bool {
        self.matches(remote.to_canonical())
    }

    /// Whether the first `prefix` bits of `addr` (same family) equal the network's.
    fn matches(&self, addr: IpAddr) -> bool {
        match (self.addr, addr) {
            (IpAddr::V4(net), IpAddr::V4(addr)) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                u32::from(net) & mask == u32::from(addr) & mask
            }
            (IpAddr::V6(net), IpAddr::V6(addr)) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                u128::from(net) & mask == u128::from(addr) & mask
            }
            _ => false,
        }
    }

    /// The address with the host bits cleared.
    fn network(&self) -> IpAddr {
        match self.addr {
            IpAddr::V4(addr) => {
                let mask = u32::MAX
                    .checked_shl(32 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V4(Ipv4Addr::from(u32::from(addr) & mask))
            }
            IpAddr::V6(addr) => {
                let mask = u128::MAX
                    .checked_shl(128 - u32::from(self.prefix))
                    .unwrap_or(0);
                IpAddr::V6(Ipv6Addr::from(u128::from(addr) & mask))
            }
        }
    }
}

/// Canonical decimal 0-255 (the family bound is checked by [`IpNet::new`]).
fn parse_prefix(text: &str) -> Result<u8, IpNetError> {
    let canonical = !text.is_empty()
        && text.len() <= 3
        && text.bytes().all(|b| b.is_ascii_digit())
        && (text == "0" || !text.starts_with('0'));
    if !canonical {
        return Err(IpNetError::Prefix);
    }
    text.parse().map_err(|_| IpNetError::Prefix)
}

impl FromStr for IpNet {
    type Err = IpNetError;

    fn from_str(text: &str) -> Result<Self, IpNetError> {
        IpNet::parse(text)
    }
}

/// `address/prefix`, always with the prefix (`203.0.113.7/32`); an IPv4-mapped entry shows as IPv4.
impl fmt::Display for IpNet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap()
    }

    #[test]
    fn ranges_and_single_addresses() {
        let net = IpNet::parse("198.51.100.0/24").unwrap();
        assert!(net.contains(ip("198.51.100.0")));
        assert!(net.contains(ip("198.51.100.255")));
        assert!(!net.contains(ip("198.51.101.0")));
        let host = IpNet::parse("2001:db8::1").unwrap();
        assert_eq!(host.to_string(), "2001:db8::1/128");
        assert!(host.contains(ip("2001:db8::1")));
        assert!(!host.contains(ip("2001:db8::2")));
    }

    #[test]
    fn zero_prefix_matches_its_family_only() {
        let all_v4 = IpNet::parse("0.0.0.0/0").unwrap();
        assert!(all_v4.contains(ip("255.255.255.255")));
        assert!(all_v4.contains(ip("::ffff:1.2.3.4")));
        assert!(!all_v4.contains(ip("::1")));
        let all_v6 = IpNet::parse("::/0").unwrap();
        assert!(all_v6.contains(ip("2001:db8::1")));
        assert!(!all_v6.contains(ip("1.2.3.4")));
        assert!(!all_v6.contains(ip("::ffff:1.2.3.4")));
    }

    #[test]
    fn mapped_entries_become_ipv4() {
        let net = IpNet::parse("::ffff:203.0.113.0/120").unwrap();
        assert_eq!(net.to_string(), "203.0.113.0/24");
        assert_eq!(
            IpNet::parse("::ffff:0:0/96").unwrap().to_string(),
            "0.0.0.0/0"
        );
        assert_eq!(
            IpNet::parse("::ffff:203.0.113.7").unwrap(),
            IpNet::parse("203.0.113.7").unwrap()
        );
        // Just wider than the mapped block: stays IPv6, and admits no IPv4 client.
        let wider = IpNet::parse("::fffe:0:0/95").unwrap();
        assert_eq!(wider.to_string(), "::fffe:0:0/95");
        assert!(wider.contains(ip("::fffe:1:2")));
        assert!(!wider.contains(ip("::ffff:1.2.3.4")));
    }

    #[test]
    fn host_bits_are_refused_or_ignored() {
        assert_eq!(IpNet::parse("10.0.0.1/8"), Err(IpNetError::HostBits));
        let masked = IpNet::parse_masked("10.0.0.1/8").unwrap();
        assert_eq!(masked, IpNet::parse("10.0.0.0/8").unwrap());
        assert!(masked.contains(ip("10.255.0.1")));
        assert_eq!(
            IpNet::parse_masked("::ffff:203.0.113.7/120")
                .unwrap()
                .to_string(),
            "203.0.113.0/24"
        );
        assert_eq!(
            IpNet::new(ip("2001:db8::1"), 32).unwrap().to_string(),
            "2001:db8::/32"
        );
        // A bad prefix is bad either way.
        assert_eq!(IpNet::parse_masked("10.0.0.1/33"), Err(IpNetError::Prefix));
    }

    #[test]
    fn bad_entries() {
        for (text, error) in [
            ("10.0.0.1/8", IpNetError::HostBits),
            ("2001:db8::1/32", IpNetError::HostBits),
            ("10.0.0.0/33", IpNetError::Prefix),
            ("::/129", IpNetError::Prefix),
            ("10.0.0.0/08", IpNetError::Prefix),
            ("10.0.0.0/+8", IpNetError::Prefix),
            ("10.0.0.0/", IpNetError::Prefix),
            ("10.0.0.0/8/8", IpNetError::Prefix),
            ("010.0.0.1", IpNetError::Address),
            ("10.0.0", IpNetError::Address),
            ("fe80::1%eth0", IpNetError::Address),
            ("[::1]", IpNetError::Address),
            (" 10.0.0.1", IpNetError::Address),
            ("", IpNetError::Address),
        ] {
            assert_eq!(IpNet::parse(text), Err(error), "{text:?}");
        }
    }
}
