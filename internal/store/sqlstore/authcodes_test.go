package sqlstore

import (
	"path/filepath"
	"testing"

	"github.com/opensom/opensom/internal/school"
	"github.com/opensom/opensom/internal/store/storetest"
)

// The AuthStore part of the conformance suite, on a file and in memory.
func TestAuthConformance(t *testing.T) {
	cases := []struct {
		name string
		dsn  func(t *testing.T) string
	}{
		{"file", func(t *testing.T) string { return filepath.Join(t.TempDir(), "opensom.db") }},
		{"memory", func(*testing.T) string { return ":memory:" }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			storetest.RunAuth(t, func(t *testing.T) school.Store {
				return openTest(t, tc.dsn(t))
			})
		})
	}
}
