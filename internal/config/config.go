// Package config holds opensom's one Config struct: filled from command-line
// flags, with OPENSOM_* environment variables as defaults, and validated
// once before anything starts.
package config

import (
	"errors"
	"flag"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// DefaultSeed is the seed of the built-in demo world.
const DefaultSeed = 20240801

// Config is every setting of a serve run. Sub-commands that need fewer use
// the same struct.
type Config struct {
	Addr      string // listen address
	DB        string // SQLite file, ":memory:", or a postgres:// URL
	PublicURL string // origin written into somtoday_api_url and every href
	OOPURL    string // somtoday_oop_url
	Seed      int64  // seed of the demo world
	Scale     int    // demo world size: 1 as usual, 10 has ten times the pupils
	// World is a world file (docs/world-files.md) that an empty database
	// is filled with, and that an admin reset goes back to, instead of the
	// demo world; "" is the demo world.
	World string

	AccessTTL       time.Duration
	RefreshTTL      time.Duration
	RefreshGrace    time.Duration // reuse window after a rotation
	MaxAttempts     int           // failed logins before a lockout
	LockFor         time.Duration
	ShutdownTimeout time.Duration
	LogFormat       string // "text" or "json"
	// AnswerCacheMiB bounds the cache of finished REST answers; 0 turns it
	// off.
	AnswerCacheMiB int
	// AdminToken opens the admin API under /_opensom/ to requests that
	// send it as a Bearer token; "" keeps it closed.
	AdminToken string
	// CORSOrigins are the browser origins that may call the REST API,
	// comma-separated; "" allows none.
	CORSOrigins string
	// Redis is a redis:// URL where the per-address rate limit keeps its
	// buckets; "" keeps them in the database when several nodes share it
	// (PostgreSQL), in memory otherwise.
	Redis string
	// RatePerSecond and RateBurst are the per-address rate limit of the
	// token endpoint and the login pages.
	RatePerSecond float64
	RateBurst     int
	// TrustForwardedFor takes a request's client address, which the rate
	// limit counts by, from X-Forwarded-For: only behind a proxy that
	// sets it, or any client picks its own address.
	TrustForwardedFor bool
}

// Default is the configuration with nothing set.
func Default() Config {
	return Config{
		Addr:            "127.0.0.1:8080",
		DB:              "opensom.db",
		Seed:            DefaultSeed,
		Scale:           1,
		AccessTTL:       time.Hour,
		RefreshTTL:      60 * 24 * time.Hour,
		RefreshGrace:    10 * time.Second,
		MaxAttempts:     5,
		LockFor:         15 * time.Minute,
		ShutdownTimeout: 15 * time.Second,
		LogFormat:       "text",
		AnswerCacheMiB:  64,
		CORSOrigins:     "https://leerling.somtoday.nl",
		RatePerSecond:   200,
		RateBurst:       1000,
	}
}

// Register adds the flags of c to fs. Each flag's default is taken from
// its OPENSOM_* variable when that is set, so a flag on the command line
// wins over the environment, which wins over the built-in default.
// Problems with variables are kept and reported by Parse.
func (c *Config) Register(fs *flag.FlagSet) *Env {
	e := &Env{}
	e.str(fs, &c.Addr, "addr", "ADDR", "listen address")
	e.str(fs, &c.DB, "db", "DB",
		"SQLite database file, :memory:, or a postgres://user@host/db URL")
	e.str(fs, &c.PublicURL, "public-url", "PUBLIC_URL",
		"public origin of this server (default http://<addr>)")
	e.str(fs, &c.OOPURL, "oop-url", "OOP_URL", "somtoday_oop_url (default the public URL)")
	e.int64(fs, &c.Seed, "seed", "SEED", "seed of the demo world")
	e.int(fs, &c.Scale, "scale", "SCALE",
		"size of an empty database's demo world: 1 as usual, 10 has ten times the pupils")
	e.str(fs, &c.World, "world", "WORLD",
		"world file (YAML or JSON) to fill an empty database with instead of the demo world")
	e.dur(fs, &c.AccessTTL, "access-ttl", "ACCESS_TTL", "access token lifetime")
	e.dur(fs, &c.RefreshTTL, "refresh-ttl", "REFRESH_TTL", "refresh token lifetime")
	e.dur(fs, &c.RefreshGrace, "refresh-grace", "REFRESH_GRACE",
		"window in which a rotated refresh token still works")
	e.int(fs, &c.MaxAttempts, "max-attempts", "MAX_ATTEMPTS", "failed logins before a lockout")
	e.dur(fs, &c.LockFor, "lockout", "LOCKOUT", "how long a locked username stays locked")
	e.dur(fs, &c.ShutdownTimeout, "shutdown-timeout", "SHUTDOWN_TIMEOUT",
		"time given to requests in flight at shutdown")
	e.str(fs, &c.LogFormat, "log-format", "LOG_FORMAT", "text or json")
	e.int(fs, &c.AnswerCacheMiB, "answer-cache", "ANSWER_CACHE",
		"MiB of finished REST answers kept for repeated requests; 0 turns it off")
	// Not e.str: that shows the variable's value as the flag's default in
	// -h, and this one is a secret.
	fs.StringVar(&c.AdminToken, "admin-token", "",
		"token that opens the admin API under /_opensom/; empty keeps it closed "+
			"(OPENSOM_ADMIN_TOKEN)")
	if v, ok := e.lookup("ADMIN_TOKEN"); ok {
		c.AdminToken = v
	}
	e.str(fs, &c.CORSOrigins, "cors-origins", "CORS_ORIGINS",
		"comma-separated browser origins that may call the REST API")
	// Not e.str either: the URL may hold a password.
	fs.StringVar(&c.Redis, "redis", "",
		"redis://host:port/db URL for the shared per-address rate limit; empty keeps it in "+
			"the database (PostgreSQL) or in memory (SQLite) (OPENSOM_REDIS)")
	if v, ok := e.lookup("REDIS"); ok {
		c.Redis = v
	}
	e.float(fs, &c.RatePerSecond, "rate-limit", "RATE_LIMIT",
		"requests a second per client address to the token endpoint and the login pages")
	e.int(fs, &c.RateBurst, "rate-burst", "RATE_BURST",
		"requests per client address allowed at once above the rate")
	e.bool(fs, &c.TrustForwardedFor, "trust-forwarded-for", "TRUST_FORWARDED_FOR",
		"take the client address from the X-Forwarded-For that the proxy in front appends")
	return e
}

// Env collects errors in OPENSOM_* variables while flags are registered.
type Env struct{ errs []error }

// Err reports the variables that could not be read.
func (e *Env) Err() error { return errors.Join(e.errs...) }

func (e *Env) lookup(name string) (string, bool) {
	return os.LookupEnv("OPENSOM_" + name)
}

func (e *Env) str(fs *flag.FlagSet, p *string, flagName, env, usage string) {
	if v, ok := e.lookup(env); ok {
		*p = v
	}
	fs.StringVar(p, flagName, *p, usage+" (OPENSOM_"+env+")")
}

func (e *Env) int(fs *flag.FlagSet, p *int, flagName, env, usage string) {
	if v, ok := e.lookup(env); ok {
		n, err := strconv.Atoi(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("OPENSOM_%s: %q is not a number", env, v))
		}
		*p = n
	}
	fs.IntVar(p, flagName, *p, usage+" (OPENSOM_"+env+")")
}

func (e *Env) int64(fs *flag.FlagSet, p *int64, flagName, env, usage string) {
	if v, ok := e.lookup(env); ok {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("OPENSOM_%s: %q is not a number", env, v))
		}
		*p = n
	}
	fs.Int64Var(p, flagName, *p, usage+" (OPENSOM_"+env+")")
}

func (e *Env) float(fs *flag.FlagSet, p *float64, flagName, env, usage string) {
	if v, ok := e.lookup(env); ok {
		f, err := strconv.ParseFloat(v, 64)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("OPENSOM_%s: %q is not a number", env, v))
		}
		*p = f
	}
	fs.Float64Var(p, flagName, *p, usage+" (OPENSOM_"+env+")")
}

func (e *Env) bool(fs *flag.FlagSet, p *bool, flagName, env, usage string) {
	if v, ok := e.lookup(env); ok {
		b, err := strconv.ParseBool(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("OPENSOM_%s: %q is not true or false", env, v))
		}
		*p = b
	}
	fs.BoolVar(p, flagName, *p, usage+" (OPENSOM_"+env+")")
}

func (e *Env) dur(fs *flag.FlagSet, p *time.Duration, flagName, env, usage string) {
	if v, ok := e.lookup(env); ok {
		d, err := time.ParseDuration(v)
		if err != nil {
			e.errs = append(e.errs, fmt.Errorf("OPENSOM_%s: %q is not a duration", env, v))
		}
		*p = d
	}
	fs.DurationVar(p, flagName, *p, usage+" (OPENSOM_"+env+")")
}

// Validate checks c once and fills the defaults that derive from other
// fields (the public URL from the address).
func (c *Config) Validate() error {
	var errs []error
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		errs = append(errs, fmt.Errorf("addr %q: want host:port", c.Addr))
	}
	if c.DB == "" {
		errs = append(errs, errors.New("db: must not be empty"))
	}
	if c.PublicURL == "" {
		c.PublicURL = "http://" + c.Addr
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	if err := checkOrigin(c.PublicURL); err != nil {
		errs = append(errs, fmt.Errorf("public-url: %w", err))
	}
	if c.OOPURL == "" {
		c.OOPURL = c.PublicURL
	}
	if err := checkOrigin(c.OOPURL); err != nil {
		errs = append(errs, fmt.Errorf("oop-url: %w", err))
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"access-ttl", c.AccessTTL}, {"refresh-ttl", c.RefreshTTL}, {"lockout", c.LockFor},
		{"shutdown-timeout", c.ShutdownTimeout}} {
		if d.v <= 0 {
			errs = append(errs, fmt.Errorf("%s: must be positive, got %s", d.name, d.v))
		}
	}
	if c.RefreshGrace < 0 || c.RefreshGrace > time.Minute {
		errs = append(errs, fmt.Errorf("refresh-grace: want 0 to 1m, got %s", c.RefreshGrace))
	}
	// 20 is demo.MaxScale, where the name lists run out.
	if c.Scale < 1 || c.Scale > 20 {
		errs = append(errs, fmt.Errorf("scale: want 1 to 20, got %d", c.Scale))
	}
	if c.World != "" && c.Scale != 1 {
		errs = append(errs, fmt.Errorf("scale: only for the demo world, not with world %q",
			c.World))
	}
	if c.MaxAttempts < 1 {
		errs = append(errs, fmt.Errorf("max-attempts: must be at least 1, got %d", c.MaxAttempts))
	}
	if c.AnswerCacheMiB < 0 || c.AnswerCacheMiB > 1<<14 {
		errs = append(errs, fmt.Errorf("answer-cache: want 0 to 16384 MiB, got %d", c.AnswerCacheMiB))
	}
	for _, o := range c.AllowedOrigins() {
		if err := checkOrigin(o); err != nil {
			errs = append(errs, fmt.Errorf("cors-origins: %w", err))
		}
	}
	if !(c.RatePerSecond > 0 && c.RatePerSecond <= 1e6) {
		errs = append(errs, fmt.Errorf("rate-limit: want above 0, at most 1000000, got %v",
			c.RatePerSecond))
	}
	if c.RateBurst < 1 || c.RateBurst > 1e6 {
		errs = append(errs, fmt.Errorf("rate-burst: want 1 to 1000000, got %d", c.RateBurst))
	}
	if err := checkRedis(c.Redis); err != nil {
		errs = append(errs, fmt.Errorf("redis: %w", err))
	}
	if strings.ContainsAny(c.AdminToken, " \t\r\n") {
		errs = append(errs, errors.New("admin-token: must not contain white space"))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("log-format: want text or json, got %q", c.LogFormat))
	}
	return errors.Join(errs...)
}

// DBForLog is DB with a PostgreSQL URL's password, in its user part or
// its query, replaced by xxxxx, fit for a log line.
func (c Config) DBForLog() string {
	if !strings.HasPrefix(c.DB, "postgres://") && !strings.HasPrefix(c.DB, "postgresql://") {
		return c.DB
	}
	u, err := url.Parse(c.DB)
	if err != nil {
		// Unparsable, so its password cannot be told apart: show none of it.
		return "postgres://(unparsable url)"
	}
	// pgx also takes the password as a query parameter.
	if q := u.Query(); q.Has("password") {
		q.Set("password", "xxxxx")
		u.RawQuery = q.Encode()
	}
	return u.Redacted()
}

// checkRedis accepts "" or a redis:// or rediss:// URL with a host. Its
// errors never quote the URL, which may hold a password.
func checkRedis(s string) error {
	if s == "" {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "redis" && u.Scheme != "rediss") || u.Host == "" {
		return errors.New("want a redis://host:port/db URL")
	}
	return nil
}

func checkOrigin(s string) error {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return fmt.Errorf("%q is not an http(s) origin", s)
	}
	if u.Path != "" || u.RawQuery != "" || u.Fragment != "" {
		return fmt.Errorf("%q: want an origin without path or query", s)
	}
	return nil
}

// AllowedOrigins splits CORSOrigins; an empty list allows no browser
// origin.
func (c *Config) AllowedOrigins() []string {
	out := []string{}
	for o := range strings.SplitSeq(c.CORSOrigins, ",") {
		if o = strings.TrimRight(strings.TrimSpace(o), "/"); o != "" {
			out = append(out, o)
		}
	}
	return out
}
