//! Which network address a request comes from, behind trusted proxies.
//!
//! A reverse proxy makes every request arrive from the proxy's own address. The proxy writes
//! the address it saw into `X-Forwarded-For` (or `Forwarded`), after whatever the client wrote
//! there itself. So the header is read only when the peer is a proxy we trust, and from the
//! right: each trusted proxy's entry is skipped, and the first address that is not a trusted
//! proxy is the client. Anything a client wrote further left is never believed.

use std::net::IpAddr;

use ipnet::IpNet;

/// A set of addresses and networks: the proxies whose forwarding headers are believed, or
/// the addresses that may read the metrics.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Networks(Vec<IpNet>);

/// Which header the proxies write the client's address into.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ForwardedHeader {
    /// `X-Forwarded-For: client, proxy1` (nginx, HAProxy, most load balancers).
    XForwardedFor,
    /// RFC 7239 `Forwarded: for=client, for=proxy1`.
    Forwarded,
}

impl Networks {
    /// Parses addresses (`10.0.0.5`) and networks (`10.0.0.0/8`, `fd00::/8`).
    pub fn parse(entries: &[String]) -> Result<Networks, String> {
        entries
            .iter()
            .map(|e| {
                let e = e.trim();
                e.parse::<IpNet>()
                    .or_else(|_| e.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| format!("{e:?} is not an IP address or network like 10.0.0.0/8"))
            })
            .collect::<Result<Vec<_>, _>>()
            .map(Networks)
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        self.0.iter().any(|net| net.contains(&ip))
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// An IPv4 address that arrived as IPv6 (`::ffff:10.0.0.1`) is the IPv4 address.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// The address a client is counted as by the per-address limits: an IPv4 address itself, an
/// IPv6 address its /64. One subscriber, phone or server is given a whole /64 and can send from
/// any address in it, so counting single IPv6 addresses would give it endless tries.
pub fn counted_as(ip: IpAddr) -> IpAddr {
    match canonical(ip) {
        IpAddr::V6(v6) => {
            let bits = u128::from(v6) & !((1u128 << 64) - 1);
            IpAddr::V6(std::net::Ipv6Addr::from(bits))
        }
        v4 => v4,
    }
}

/// The client's address: the peer itself unless it is a trusted proxy; then the right-most
/// address in the forwarding header (all its lines, in order) that is not a trusted proxy.
/// An entry that is not an address (`unknown`, an obfuscated name) ends the search at the
/// last proxy seen, so a mangled header cannot name an arbitrary client.
pub fn client_address(
    peer: IpAddr,
    header: ForwardedHeader,
    header_lines: &[&str],
    trusted: &Networks,
) -> IpAddr {
    let mut client = canonical(peer);
    if !trusted.contains(client) {
        return client;
    }
    let entries: Vec<&str> = header_lines.iter().flat_map(|line| line.split(',')).collect();
    for entry in entries.iter().rev() {
        let address = match header {
            ForwardedHeader::XForwardedFor => parse_address(entry.trim()),
            ForwardedHeader::Forwarded => forwarded_for(entry).and_then(parse_address),
        };
        let Some(address) = address else { return client };
        client = canonical(address);
        if !trusted.contains(client) {
            return client;
        }
    }
    client
}

/// The `for=` value of one element of a `Forwarded` header.
fn forwarded_for(element: &str) -> Option<&str> {
    element.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        name.trim().eq_ignore_ascii_case("for").then(|| value.trim().trim_matches('"'))
    })
}

/// `192.0.2.1`, `192.0.2.1:4711`, `2001:db8::1` or `[2001:db8::1]:4711`.
fn parse_address(text: &str) -> Option<IpAddr> {
    if let Ok(ip) = text.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = text.strip_prefix('[') {
        return rest.split_once(']').and_then(|(ip, _)| ip.parse().ok());
    }
    text.rsplit_once(':').and_then(|(ip, port)| port.parse::<u16>().ok().and_then(|_| ip.parse().ok()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect("ip")
    }

    fn proxies(list: &[&str]) -> Networks {
        Networks::parse(&list.iter().map(|s| s.to_string()).collect::<Vec<_>>()).expect("proxies")
    }

    const XFF: ForwardedHeader = ForwardedHeader::XForwardedFor;

    #[test]
    fn ipv6_clients_count_per_64_and_ipv4_clients_per_address() {
        assert_eq!(counted_as(ip("2001:db8:1:2:aaaa:bbbb:cccc:dddd")), ip("2001:db8:1:2::"));
        assert_eq!(counted_as(ip("2001:db8:1:2::1")), counted_as(ip("2001:db8:1:2:ffff::9")));
        assert_ne!(counted_as(ip("2001:db8:1:2::1")), counted_as(ip("2001:db8:1:3::1")));
        assert_eq!(counted_as(ip("203.0.113.9")), ip("203.0.113.9"));
        assert_ne!(counted_as(ip("203.0.113.9")), counted_as(ip("203.0.113.10")));
        assert_eq!(counted_as(ip("::ffff:203.0.113.9")), ip("203.0.113.9"), "a mapped IPv4 address is IPv4");
    }

    #[test]
    fn without_trusted_proxies_the_peer_is_the_client_whatever_the_header_says() {
        let none = Networks::default();
        assert_eq!(client_address(ip("203.0.113.9"), XFF, &["10.9.9.9"], &none), ip("203.0.113.9"));
        // A peer that is not a trusted proxy cannot speak for anyone else either.
        let p = proxies(&["10.0.0.0/8"]);
        assert_eq!(client_address(ip("203.0.113.9"), XFF, &["198.51.100.1"], &p), ip("203.0.113.9"));
    }

    #[test]
    fn behind_a_trusted_proxy_the_right_most_untrusted_address_is_the_client() {
        let p = proxies(&["10.0.0.0/8", "192.168.1.5"]);
        // The client wrote a made-up address first; the proxy appended the real one.
        let lines = ["1.2.3.4, 198.51.100.7"];
        assert_eq!(client_address(ip("10.0.0.2"), XFF, &lines, &p), ip("198.51.100.7"));
        // Two proxies in a row, over two header lines.
        let lines = ["198.51.100.7", "192.168.1.5"];
        assert_eq!(client_address(ip("10.0.0.2"), XFF, &lines, &p), ip("198.51.100.7"));
        // Only proxies: the left-most of them.
        assert_eq!(client_address(ip("10.0.0.2"), XFF, &["10.1.1.1"], &p), ip("10.1.1.1"));
        // No header: the proxy itself.
        assert_eq!(client_address(ip("10.0.0.2"), XFF, &[], &p), ip("10.0.0.2"));
        // Garbage ends the search at the last proxy seen.
        assert_eq!(client_address(ip("10.0.0.2"), XFF, &["198.51.100.7, unknown"], &p), ip("10.0.0.2"));
    }

    #[test]
    fn the_forwarded_header_is_read_with_ports_quotes_and_ipv6() {
        let p = proxies(&["10.0.0.0/8"]);
        let lines = [r#"for=1.2.3.4, for="[2001:db8:cafe::17]:4711";proto=https;by=10.0.0.2"#];
        assert_eq!(
            client_address(ip("10.0.0.2"), ForwardedHeader::Forwarded, &lines, &p),
            ip("2001:db8:cafe::17")
        );
        let lines = ["for=198.51.100.7:5000"];
        assert_eq!(
            client_address(ip("10.0.0.2"), ForwardedHeader::Forwarded, &lines, &p),
            ip("198.51.100.7")
        );
    }

    #[test]
    fn mapped_ipv4_addresses_are_ipv4() {
        let p = proxies(&["127.0.0.1"]);
        assert_eq!(client_address(ip("::ffff:127.0.0.1"), XFF, &["198.51.100.7"], &p), ip("198.51.100.7"));
    }

    #[test]
    fn a_bad_proxy_entry_is_named() {
        let err = Networks::parse(&["10.0.0.0/8".into(), "proxy.local".into()]).expect_err("bad");
        assert!(err.contains("proxy.local"), "{err}");
    }
}
