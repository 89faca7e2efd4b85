package fetch

import (
	"fmt"
	"net"
	"net/netip"
	"syscall"
)

// nonPublic are the address ranges a crawler on someone's network must not
// be talked into reaching: loopback, private, link-local (cloud metadata
// lives at 169.254.169.254), carrier-grade NAT, unspecified, multicast,
// and the IPv6 equivalents.
var nonPublic = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("10.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("127.0.0.0/8"),
	netip.MustParsePrefix("169.254.0.0/16"),
	netip.MustParsePrefix("172.16.0.0/12"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.168.0.0/16"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("224.0.0.0/4"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/128"),
	netip.MustParsePrefix("::1/128"),
	netip.MustParsePrefix("64:ff9b::/96"), // NAT64 can embed a private IPv4 address
	netip.MustParsePrefix("fc00::/7"),
	netip.MustParsePrefix("fe80::/10"),
	netip.MustParsePrefix("ff00::/8"),
}

// Public reports whether ip is an ordinary public unicast address.
// IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry.
func Public(ip netip.Addr) bool {
	ip = ip.Unmap()
	if !ip.IsValid() {
		return false
	}
	for _, p := range nonPublic {
		if p.Contains(ip) {
			return false
		}
	}
	return true
}

// refusePrivate is a net.Dialer Control function: it runs after DNS
// resolution, on the very address about to be connected to, so a name
// that resolves to a public address when checked and a private one when
// dialled (DNS rebinding) is still refused.
func refusePrivate(network, address string, _ syscall.RawConn) error {
	host, _, err := net.SplitHostPort(address)
	if err != nil {
		return err
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%w: %s is not an IP address", ErrPrivate, host)
	}
	if !Public(ip) {
		return fmt.Errorf("%w: %s", ErrPrivate, ip)
	}
	return nil
}
