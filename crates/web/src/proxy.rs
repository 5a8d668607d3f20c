//! Which proxies to believe about the client's address. `X-Forwarded-For` is a list each proxy
//! appends to, so only its right-hand end was written by proxies we run; its left-hand entry is
//! whatever the client sent (issue 23: rotating it defeated every per-address limit). The
//! client is found by walking from the right past the trusted proxies (MDN, "X-Forwarded-For:
//! Selecting an IP address"; RFC 7239 §5.2 for the same rule on `Forwarded`).

use std::net::IpAddr;
use std::str::FromStr;

/// The reverse proxies in front of the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum TrustedProxies {
    /// None: the connection's own address is the client's; `X-Forwarded-For` is ignored.
    #[default]
    None,
    /// This many proxies, each appending to `X-Forwarded-For`.
    Hops(usize),
    /// Proxies at these addresses or networks, wherever they sit in the chain.
    Networks(Vec<Network>),
}

/// An address, or a network in CIDR notation (`10.0.0.0/8`, `2001:db8::/32`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    address: IpAddr,
    prefix: u32,
}

impl Network {
    pub fn contains(&self, ip: IpAddr) -> bool {
        let bits = |ip: IpAddr| -> Option<(u128, u32)> {
            match (ip, self.address) {
                (IpAddr::V4(a), IpAddr::V4(_)) => Some((u32::from(a) as u128, 32)),
                (IpAddr::V6(a), IpAddr::V6(_)) => Some((u128::from(a), 128)),
                // An IPv4 client seen through an IPv6 socket (::ffff:a.b.c.d).
                (IpAddr::V6(a), IpAddr::V4(_)) => {
                    a.to_ipv4_mapped().map(|v4| (u32::from(v4) as u128, 32))
                }
                (IpAddr::V4(_), IpAddr::V6(_)) => None,
            }
        };
        let (Some((ip, width)), Some((net, _))) = (bits(ip), bits(self.address)) else {
            return false;
        };
        let shift = width - self.prefix;
        shift >= width || (ip >> shift) == (net >> shift)
    }
}

impl FromStr for Network {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let (address, prefix) = match text.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (text, None),
        };
        let address: IpAddr = address
            .trim()
            .parse()
            .map_err(|_| format!("“{text}” is not an IP address or network"))?;
        let width = if address.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => width,
            Some(p) => p
                .trim()
                .parse()
                .ok()
                .filter(|p| *p <= width)
                .ok_or_else(|| format!("“{text}”: the prefix must be 0 to {width}"))?,
        };
        Ok(Network { address, prefix })
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// `0` (or `false`): none; a number of hops (`true`: one, as the old flag meant); or a
    /// comma-separated list of addresses and networks.
    fn from_str(text: &str) -> Result<Self, String> {
        let text = text.trim();
        match text {
            "" | "false" | "0" => return Ok(TrustedProxies::None),
            "true" => return Ok(TrustedProxies::Hops(1)),
            _ => {}
        }
        if let Ok(hops) = text.parse::<usize>() {
            return Ok(TrustedProxies::Hops(hops));
        }
        text.split(',')
            .map(str::parse)
            .collect::<Result<_, _>>()
            .map(TrustedProxies::Networks)
    }
}

impl TrustedProxies {
    /// The client's address, from the connection's address (`peer`, none when unknown) and the
    /// `X-Forwarded-For` values in the order received.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: &[&str]) -> Option<IpAddr> {
        if *self == TrustedProxies::None {
            return peer;
        }
        // Nearest first: the connection, then the list from its right-hand end. An entry that
        // is not an address ends it: nothing to its left can be believed.
        let mut chain: Vec<Option<IpAddr>> = vec![peer];
        let entries = forwarded_for.iter().flat_map(|v| v.split(',')).rev();
        for entry in entries {
            match entry.trim().parse::<IpAddr>() {
                Ok(ip) => chain.push(Some(ip)),
                Err(_) => break,
            }
        }
        match self {
            TrustedProxies::None => peer,
            // Each of the `hops` proxies is one step nearer than the address it appended.
            TrustedProxies::Hops(hops) => chain[(*hops).min(chain.len() - 1)],
            TrustedProxies::Networks(networks) => {
                let trusted = |ip: &Option<IpAddr>| {
                    ip.is_some_and(|ip| networks.iter().any(|n| n.contains(ip)))
                };
                let last = chain.len() - 1;
                let first_untrusted = chain.iter().position(|ip| !trusted(ip)).unwrap_or(last);
                chain[first_untrusted]
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn the_client_written_entry_is_never_taken_past_the_trusted_hops() {
        let proxies = TrustedProxies::Hops(1);
        let peer = ip("10.0.0.2");
        // The proxy appended the address that connected to it: 203.0.113.9.
        let header = ["1.2.3.4, 203.0.113.9"];
        assert_eq!(proxies.client(peer, &header), ip("203.0.113.9"));
        assert_eq!(
            TrustedProxies::Hops(2).client(peer, &["1.2.3.4, 198.51.100.7", "10.0.0.9"]),
            ip("198.51.100.7")
        );
        // Fewer entries than hops: the furthest known address.
        assert_eq!(
            TrustedProxies::Hops(3).client(peer, &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert_eq!(TrustedProxies::None.client(peer, &header), peer);
        // Junk at the right-hand end stops the walk at the proxy.
        assert_eq!(proxies.client(peer, &["1.2.3.4, junk"]), peer);
    }

    #[test]
    fn networks_are_skipped_from_the_right_and_only_when_the_peer_is_one() {
        let proxies: TrustedProxies = "10.0.0.0/8, 192.168.1.5".parse().unwrap();
        let header = ["1.2.3.4, 203.0.113.9, 192.168.1.5"];
        assert_eq!(proxies.client(ip("10.1.2.3"), &header), ip("203.0.113.9"));
        // A client connecting directly cannot name another address.
        assert_eq!(
            proxies.client(ip("198.51.100.1"), &header),
            ip("198.51.100.1")
        );
        assert_eq!(
            proxies.client(ip("::ffff:10.0.0.1"), &["203.0.113.9"]),
            ip("203.0.113.9")
        );
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert!("proxy.example".parse::<TrustedProxies>().is_err());
        assert_eq!("true".parse(), Ok(TrustedProxies::Hops(1)));
        let v6: Network = "2001:db8::/32".parse().unwrap();
        assert!(v6.contains("2001:db8::1".parse().unwrap()));
        assert!(!v6.contains("2001:db9::1".parse().unwrap()));
        let all: Network = "0.0.0.0/0".parse().unwrap();
        assert!(all.contains("8.8.8.8".parse().unwrap()));
    }
}
