package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"time"
)

// checkTarget accepts only an http(s) origin on 127.0.0.1 or ::1, written
// as an address: a host name could resolve anywhere.
func checkTarget(s string) error {
	u, err := url.Parse(s)
	if err != nil {
		return fmt.Errorf("%q: %w", s, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("%q: want http or https", s)
	}
	if u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" {
		return fmt.Errorf("%q: want a bare origin", s)
	}
	return loopback(u.Hostname())
}

func loopback(host string) error {
	a, err := netip.ParseAddr(host)
	if err != nil {
		return fmt.Errorf("%q is not 127.0.0.1 or ::1", host)
	}
	if a.Unmap() != netip.MustParseAddr("127.0.0.1") && a != netip.IPv6Loopback() {
		return fmt.Errorf("%s is not 127.0.0.1 or ::1", a)
	}
	return nil
}

// loopbackTransport dials 127.0.0.1 and ::1 only, uses no proxy from the
// environment and keeps enough idle connections for every worker.
func loopbackTransport(conns int) *http.Transport {
	d := &net.Dialer{Timeout: 5 * time.Second}
	return &http.Transport{
		Proxy: nil,
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			host, _, err := net.SplitHostPort(addr)
			if err != nil {
				return nil, fmt.Errorf("dial %s: %w", addr, err)
			}
			if err := loopback(host); err != nil {
				return nil, fmt.Errorf("dial refused: %w", err)
			}
			return d.DialContext(ctx, network, addr)
		},
		MaxIdleConns:        conns,
		MaxIdleConnsPerHost: conns,
		IdleConnTimeout:     time.Minute,
	}
}

// errRedirect: the server never redirects these calls, and following one
// could leave the machine.
var errRedirect = errors.New("redirect not followed")

func noRedirect(*http.Request, []*http.Request) error { return errRedirect }
