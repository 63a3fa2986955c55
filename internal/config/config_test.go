package config

import (
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
