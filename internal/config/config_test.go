package config

import (
	"errors"
	"flag"
	"slices"
	"strings"
	"testing"
)

func TestDBForLog(t *testing.T) {
	cases := []struct {
		name, db, want string
	}{
		{"sqlite file", "opensom.db", "opensom.db"},
		{"memory", ":memory:", ":memory:"},
		{"postgres without password", "postgres://app@127.0.0.1:5432/opensom",
			"postgres://app@127.0.0.1:5432/opensom"},
		{"password in the user part", "postgres://app:s3cret@127.0.0.1/opensom?sslmode=disable",
			"postgres://app:xxxxx@127.0.0.1/opensom?sslmode=disable"},
		{"password in the query", "postgresql://app@127.0.0.1/opensom?password=s3cret",
			"postgresql://app@127.0.0.1/opensom?password=xxxxx"},
		{"unparsable", "postgres://app:s3cret@[::1/opensom", "postgres://(unparsable url)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			c.DB = tc.db
			got := c.DBForLog()
			if got != tc.want {
				t.Errorf("DBForLog(%q) = %q, want %q", tc.db, got, tc.want)
			}
			if strings.Contains(got, "s3cret") {
				t.Errorf("DBForLog(%q) = %q shows the password", tc.db, got)
			}
		})
	}
}

func TestCORSOrigins(t *testing.T) {
	tests := []struct {
		name, in string
		want     []string
		ok       bool
	}{
		{"default", Default().CORSOrigins, []string{"https://leerling.somtoday.nl"}, true},
		{"two", " http://127.0.0.1:5173/, https://app.example ", []string{"http://127.0.0.1:5173",
			"https://app.example"}, true},
		{"none", "", []string{}, true},
		{"with a path", "https://app.example/login", nil, false},
		{"not a url", "app", nil, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Default()
			c.CORSOrigins = tc.in
			err := c.Validate()
			if (err == nil) != tc.ok {
				t.Fatalf("Validate = %v, want ok %v", err, tc.ok)
			}
			if tc.ok && !slices.Equal(c.AllowedOrigins(), tc.want) {
				t.Fatalf("AllowedOrigins = %q, want %q", c.AllowedOrigins(), tc.want)
			}
		})
	}
}

// The rate limit and the Redis URL: flags and variables fill them, bad
// values are refused by name, and no error shows a Redis password.
func TestRateLimitAndRedis(t *testing.T) {
	cases := []struct {
		name    string
		env     map[string]string
		args    []string
		wantErr string // "" for valid
		check   func(Config) bool
	}{
		{"defaults", nil, nil, "", func(c Config) bool {
			return c.RatePerSecond == 200 && c.RateBurst == 1000 && c.Redis == ""
		}},
		{"flags", nil, []string{"--rate-limit", "2.5", "--rate-burst", "7",
			"--redis", "redis://127.0.0.1:6379/1"}, "", func(c Config) bool {
			return c.RatePerSecond == 2.5 && c.RateBurst == 7 && c.Redis == "redis://127.0.0.1:6379/1"
		}},
		{"variables", map[string]string{"OPENSOM_RATE_LIMIT": "3", "OPENSOM_RATE_BURST": "9",
			"OPENSOM_REDIS": "rediss://:pw@127.0.0.1:6380"}, nil, "", func(c Config) bool {
			return c.RatePerSecond == 3 && c.RateBurst == 9 && c.Redis == "rediss://:pw@127.0.0.1:6380"
		}},
		{"a flag wins over its variable", map[string]string{"OPENSOM_RATE_BURST": "9"},
			[]string{"--rate-burst", "4"}, "", func(c Config) bool { return c.RateBurst == 4 }},
		{"trust the proxy", map[string]string{"OPENSOM_TRUST_FORWARDED_FOR": "true"}, nil, "",
			func(c Config) bool { return c.TrustForwardedFor }},
		{"trust not a bool", map[string]string{"OPENSOM_TRUST_FORWARDED_FOR": "ja"}, nil,
			"OPENSOM_TRUST_FORWARDED_FOR", nil},
		{"zero rate", nil, []string{"--rate-limit", "0"}, "rate-limit", nil},
		{"not a number", map[string]string{"OPENSOM_RATE_LIMIT": "fast"}, nil, "OPENSOM_RATE_LIMIT", nil},
		{"zero burst", nil, []string{"--rate-burst", "0"}, "rate-burst", nil},
		{"redis not a URL", nil, []string{"--redis", "127.0.0.1:6379"}, "redis", nil},
		{"redis of another scheme", nil, []string{"--redis", "http://:hunter2@127.0.0.1:6379"},
			"redis", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			c := Default()
			fs := flag.NewFlagSet("test", flag.ContinueOnError)
			env := c.Register(fs)
			if err := fs.Parse(tc.args); err != nil {
				t.Fatal(err)
			}
			err := errors.Join(env.Err(), c.Validate())
			if tc.wantErr == "" {
				if err != nil || !tc.check(c) {
					t.Fatalf("err %v, config %+v", err, c)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
				t.Fatalf("err %v, want one naming %q", err, tc.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q shows the password", err)
			}
		})
	}
}

// TestWorldScale: --scale sizes the demo world only, so with a world file
// it is a mistake rather than silently ignored.
func TestWorldScale(t *testing.T) {
	c := Default()
	c.World = "w.yaml"
	if err := c.Validate(); err != nil {
		t.Fatalf("world alone: %v", err)
	}
	c.Scale = 10
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "scale") {
		t.Errorf("world with scale 10: %v, want a scale error", err)
	}
}
