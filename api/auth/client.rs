//! Who is calling, by network address: the socket's peer, or, when that peer is a trusted
//! reverse proxy, the right-most `X-Forwarded-For` hop that is not itself a trusted proxy.
//!
//! Everything left of that hop was written by the client and proves nothing; taking the
//! left-most entry (as many frameworks do) would let an attacker pick a new "address" for
//! every request and escape the login throttle.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use actix_web::HttpRequest;

use crate::config::{canonical, TrustedProxies};

/// One `X-Forwarded-For` hop: `203.0.113.7`, `203.0.113.7:51234`, `2001:db8::1` or
/// `[2001:db8::1]:443`.
fn parse_hop(hop: &str) -> Option<IpAddr> {
    let hop = hop.trim();
    if let Ok(ip) = hop.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = hop.strip_prefix('[') {
        return rest
            .split_once(']')?
            .0
            .parse::<Ipv6Addr>()
            .ok()
            .map(IpAddr::V6);
    }
    let (host, port) = hop.split_once(':')?;
    port.parse::<u16>().ok()?;
    host.parse::<Ipv4Addr>().ok().map(IpAddr::V4)
}

/// The client's address, given the peer and the `X-Forwarded-For` values in header order.
pub fn client_ip<'a>(
    peer: Option<IpAddr>,
    forwarded_for: impl DoubleEndedIterator<Item = &'a str>,
    trusted: &TrustedProxies,
) -> Option<IpAddr> {
    let mut client = canonical(peer?);
    if !trusted.contains(client) {
        return Some(client);
    }
    let hops: Vec<&str> = forwarded_for
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .filter(|h| !h.is_empty())
        .collect();
    for hop in hops.into_iter().rev() {
        // A hop that is not an address was written by whoever sent it: stop at the last
        // address a trusted proxy vouched for.
        let Some(ip) = parse_hop(hop).map(canonical) else {
            break;
        };
        client = ip;
        if !trusted.contains(ip) {
            break;
        }
    }
    Some(client)
}

/// The client's address for this request.
pub fn request_ip(req: &HttpRequest, trusted: &TrustedProxies) -> Option<IpAddr> {
    let peer = req.peer_addr().map(|a| a.ip());
    let values = req.headers().get_all("x-forwarded-for");
    let texts: Vec<&str> = values.filter_map(|v| v.to_str().ok()).collect();
    client_ip(peer, texts.into_iter(), trusted)
}

/// The address as the throttle counts it: IPv4 as is, IPv6 by its /64 (one subscriber's
/// network: anyone holding one has 2^64 addresses to rotate through).
pub fn throttle_address(ip: Option<IpAddr>) -> String {
    match ip.map(canonical) {
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => {
            let net = u128::from(v6) & !((1u128 << 64) - 1);
            format!("{}/64", Ipv6Addr::from(net))
        }
        None => "unknown".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> Option<IpAddr> {
        Some(s.parse().unwrap())
    }

    fn trusted(list: &[&str]) -> TrustedProxies {
        TrustedProxies::parse(list).unwrap()
    }

    #[test]
    fn without_trusted_proxies_the_header_is_ignored() {
        let none = TrustedProxies::default();
        let xff = ["198.51.100.1"];
        assert_eq!(
            client_ip(ip("203.0.113.5"), xff.into_iter(), &none),
            ip("203.0.113.5")
        );
        // A proxy that is not on the list is not believed either.
        let other = trusted(&["10.0.0.1"]);
        assert_eq!(
            client_ip(ip("203.0.113.5"), xff.into_iter(), &other),
            ip("203.0.113.5")
        );
    }

    #[test]
    fn the_right_most_untrusted_hop_is_the_client() {
        let t = trusted(&["10.0.0.0/8"]);
        let peer = ip("10.0.0.1");
        // The client forged the first entry; the proxies appended the rest.
        let xff = ["1.2.3.4, 198.51.100.9", "10.0.0.7"];
        assert_eq!(client_ip(peer, xff.into_iter(), &t), ip("198.51.100.9"));
        // No header: the proxy itself.
        assert_eq!(client_ip(peer, std::iter::empty(), &t), peer);
        // Every hop trusted: the left-most.
        assert_eq!(
            client_ip(peer, ["10.1.1.1, 10.2.2.2"].into_iter(), &t),
            ip("10.1.1.1")
        );
        // Garbage stops the walk at the last vouched-for address.
        let xff = ["198.51.100.9, nonsense, 10.3.3.3"];
        assert_eq!(client_ip(peer, xff.into_iter(), &t), ip("10.3.3.3"));
    }

    #[test]
    fn hops_with_ports_and_mapped_addresses() {
        let t = trusted(&["127.0.0.1"]);
        let peer = ip("::ffff:127.0.0.1");
        for (hop, want) in [
            ("198.51.100.9:5123", "198.51.100.9"),
            ("[2001:db8::7]:443", "2001:db8::7"),
            ("2001:db8::7", "2001:db8::7"),
            ("::ffff:198.51.100.9", "198.51.100.9"),
        ] {
            assert_eq!(client_ip(peer, [hop].into_iter(), &t), ip(want), "{hop}");
        }
    }

    #[test]
    fn ipv6_counts_by_its_64() {
        assert_eq!(
            throttle_address(ip("2001:db8:1:2:aaaa::1")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(
            throttle_address(ip("2001:db8:1:2:bbbb::9")),
            "2001:db8:1:2::/64"
        );
        assert_eq!(throttle_address(ip("198.51.100.9")), "198.51.100.9");
        assert_eq!(throttle_address(ip("::ffff:198.51.100.9")), "198.51.100.9");
        assert_eq!(throttle_address(None), "unknown");
    }
}
