// Package datagen fills a beian store with many realistic filings — sponsor
// accounts with approved unit subjects, recorded sites with real GB/T 2260
// areas and record numbers, drafts ready to submit and sites waiting for
// review — fast enough to put 1,000,000 recorded sites under a benchmark.
//
// It writes the schema of internal/store/sqlstore directly (multi-row
// INSERTs in large transactions on SQLite, COPY on PostgreSQL), because the
// store's one-row-per-call API would take an hour for a million sites. Every
// value is what the desk itself would have stored, so the server reads the
// rows as its own; the tests prove it through the real HTTP API.
//
// Everything is a pure function of the Config: a Plan tells, without
// reading the database, the ID, domain and owner of every site and the
// bearer token of every account, so the load generator can reuse a
// database generated earlier. The tokens are for benchmarks on loopback
// only: anyone who knows the seed can compute them.
package datagen

import (
	"crypto/sha256"
	"encoding/base32"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"time"
)

// Config says what to generate.
type Config struct {
	// Recorded is the number of recorded sites.
	Recorded int
	// Drafts is the number of drafts ready to submit (valid, with a fresh
	// domain each), spread round-robin over the accounts.
	Drafts int
	// UnderReview is the number of submitted sites waiting for review.
	UnderReview int
	// SitesPerAccount sets the number of sponsor accounts: Recorded /
	// SitesPerAccount, at least MinAccounts. Default 10 (a hosting company
	// files hundreds, a person one; ten is the platform's average here).
	SitesPerAccount int
	// MinAccounts is the least number of sponsor accounts; default 64, so a
	// 64-connection load has an account per connection.
	MinAccounts int
	// Seed makes a different but equally reproducible data set; default 1.
	Seed uint64
}

func (c Config) withDefaults() Config {
	if c.SitesPerAccount <= 0 {
		c.SitesPerAccount = 10
	}
	if c.MinAccounts <= 0 {
		c.MinAccounts = 64
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	return c
}

// Plan is the generated data set, computed from the Config alone.
type Plan struct {
	cfg      Config
	accounts int
}

// NewPlan returns the plan of cfg.
func NewPlan(cfg Config) *Plan {
	cfg = cfg.withDefaults()
	n := (cfg.Recorded + cfg.SitesPerAccount - 1) / cfg.SitesPerAccount
	return &Plan{cfg: cfg, accounts: max(n, cfg.MinAccounts)}
}

// Config is the plan's configuration, defaults filled in.
func (p *Plan) Config() Config { return p.cfg }

// Accounts is the number of sponsor accounts.
func (p *Plan) Accounts() int { return p.accounts }

// Sites is the number of sites of every state.
func (p *Plan) Sites() int { return p.cfg.Recorded + p.cfg.Drafts + p.cfg.UnderReview }

// SiteKind is the state a generated site is in.
type SiteKind int

const (
	Recorded SiteKind = iota
	Draft
	UnderReview
)

// Range returns the site indexes [lo, hi) of a kind: recorded sites come
// first, then drafts, then sites under review.
func (p *Plan) Range(k SiteKind) (lo, hi int) {
	r, d, u := p.cfg.Recorded, p.cfg.Drafts, p.cfg.UnderReview
	switch k {
	case Recorded:
		return 0, r
	case Draft:
		return r, r + d
	}
	return r + d, r + d + u
}

// Kind is the state of site i.
func (p *Plan) Kind(i int) SiteKind {
	switch {
	case i < p.cfg.Recorded:
		return Recorded
	case i < p.cfg.Recorded+p.cfg.Drafts:
		return Draft
	}
	return UnderReview
}

// AccountOf is the index of the account that owns site i. Sites are dealt
// round-robin, so every account has recorded sites, drafts and sites under
// review in equal measure.
func (p *Plan) AccountOf(i int) int { return i % p.accounts }

// Domain is the primary domain (A-label) of site i; unique per site.
func (p *Plan) Domain(i int) string { return domainOf(i, p.cfg.Seed) }

// FreshDomain is a domain that no site of the plan holds: the load
// generator checks and files these (n ≥ 0; unique per n).
func (p *Plan) FreshDomain(n int) string {
	// Site indexes from 2^40 up are never generated.
	return domainOf(1<<40+n, p.cfg.Seed)
}

// base is the creation time of the first generated row: IDs start from it,
// one millisecond per row, so that generated rows sort before anything the
// server creates later and in generation order among themselves.
var base = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// idEncoding is sqlstore's: lower-case Crockford base32 of 16 bytes.
var idEncoding = base32.NewEncoding("0123456789abcdefghjkmnpqrstvwxyz").WithPadding(base32.NoPadding)

// id builds an ID in sqlstore's format: 48 bits of Unix milliseconds, then
// 80 bits from the hash of (space, n).
func (p *Plan) id(space byte, n int, at time.Time) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], uint64(at.UnixMilli())<<16)
	h := mix(p.cfg.Seed<<8 ^ uint64(space)<<56 ^ uint64(n))
	b[6] = space
	binary.BigEndian.PutUint64(b[7:15], h)
	b[15] = byte(mix(h))
	return idEncoding.EncodeToString(b[:])
}

// SiteID is the ID of site i.
func (p *Plan) SiteID(i int) string { return p.id('s', i, p.siteTime(i)) }

func (p *Plan) siteTime(i int) time.Time { return base.Add(time.Duration(i) * time.Millisecond) }

// AccountID is the ID of sponsor account j.
func (p *Plan) AccountID(j int) string { return p.id('a', j, base.Add(-time.Hour)) }

// AdminID is the ID of the plan's admin (a nationwide reviewer).
func (p *Plan) AdminID() string { return p.id('r', 0, base.Add(-2*time.Hour)) }

// Token is the bearer token of sponsor account j.
func (p *Plan) Token(j int) string { return p.token("sponsor", j) }

// AdminToken is the bearer token of the admin.
func (p *Plan) AdminToken() string { return p.token("admin", 0) }

// AdminLogin is the admin's login name.
const AdminLogin = "bench-admin"

func (p *Plan) token(kind string, j int) string {
	sum := sha256.Sum256(fmt.Appendf(nil, "beian datagen %s %d %d", kind, p.cfg.Seed, j))
	return "bench_" + hex.EncodeToString(sum[:20])
}

// tokenHash is how the desk stores a token: hex SHA-256 of the token.
func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// AreaOf is the GB/T 2260 county code of account j's subject: the review
// jurisdiction and record-number prefix of its sites.
func (p *Plan) AreaOf(j int) string {
	return areaPool[mix(p.cfg.Seed^uint64(j)*0x51)%uint64(len(areaPool))]
}

// Login is account j's login name.
func (p *Plan) Login(j int) string { return fmt.Sprintf("bench%07d", j) }
