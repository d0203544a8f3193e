package mockplatform

import (
	"crypto/tls"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Platform imitates one platform's deliveries. Build it with New; it is safe
// for concurrent use and reuses one keep-alive HTTP/1.1 client. Call Close
// when done to release idle connections.
type Platform struct {
	cfg     Config  // defaulted and validated; never mutated
	version version // parsed cfg.Version
	prof    profile
	client  *http.Client
	own     *http.Transport // nil when cfg.Client was supplied
}

// New validates cfg (zero values mean the defaults of NewConfig) and returns
// a Platform. Errors wrap ErrInvalidConfig.
func New(cfg Config) (*Platform, error) {
	cfg = cfg.withDefaults()
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	v, _ := parseVersion(cfg.Version)
	cfg.Header = cfg.Header.Clone()
	if cfg.TLSConfig != nil {
		cfg.TLSConfig = cfg.TLSConfig.Clone()
	}
	p := &Platform{cfg: cfg, version: v, prof: profiles[cfg.Platform]}
	if cfg.Client != nil {
		c := *cfg.Client
		c.CheckRedirect = useLastResponse
		p.client = &c
	} else {
		p.own = newTransport(cfg)
		p.client = &http.Client{Transport: p.own, CheckRedirect: useLastResponse}
	}
	return p, nil
}

func useLastResponse(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }

// newTransport builds the HTTP/1.1 transport: no proxy (the platforms post
// directly), no transparent decompression (Accept-Encoding is the
// platform's), dial bounded by Timeout.
func newTransport(cfg Config) *http.Transport {
	d := &net.Dialer{Timeout: cfg.Timeout, KeepAlive: 30 * time.Second}
	return &http.Transport{
		Proxy:                 nil,
		DialContext:           d.DialContext,
		TLSClientConfig:       cfg.TLSConfig,
		TLSHandshakeTimeout:   cfg.Timeout,
		DisableCompression:    true,
		ForceAttemptHTTP2:     false,
		TLSNextProto:          map[string]func(string, *tls.Conn) http.RoundTripper{},
		MaxIdleConns:          256,
		MaxIdleConnsPerHost:   64,
		IdleConnTimeout:       90 * time.Second,
		ExpectContinueTimeout: 0,
	}
}

// Config returns the Platform's configuration with defaults filled in.
func (p *Platform) Config() Config {
	c := p.cfg
	c.Header = c.Header.Clone()
	return c
}

// Close closes the idle connections of the Platform's own transport (not of
// a Config.Client). The Platform stays usable.
func (p *Platform) Close() {
	if p.own != nil {
		p.own.CloseIdleConnections()
	}
}

// String describes the Platform without secrets.
func (p *Platform) String() string {
	if p.cfg.Platform == PlatformChatwoot {
		return fmt.Sprintf("mockplatform: chatwoot %s %s webhook", p.version, p.cfg.Receiver)
	}
	return "mockplatform: " + p.cfg.Platform
}

// parseTarget accepts absolute http and https URLs.
func parseTarget(target string) (*url.URL, error) {
	u, err := url.Parse(strings.TrimSpace(target))
	if err != nil {
		return nil, fmt.Errorf("%w: target: %w", ErrInvalidArgument, err)
	}
	if (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("%w: target %q is not an absolute http or https URL", ErrInvalidArgument, u.Redacted())
	}
	return u, nil
}
